"""Drafts: every answer saved atomically under the state dir, found again, resumed, removed."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from studylog.blog import drafts
from studylog.errors import DraftError
from studylog.post.model import QA, Topic

FIELDS: dict[str, Any] = {
    "date": dt.date(2021, 8, 24),
    "day": 17,
    "title": "[boostcourse] Day17 학습기록",
    "topics": [Topic("CNN", "https://example-blog.github.io/ai/cnn"), Topic("ResNet 구현")],
    "moderator": "최수아",
    "participants": ["김민준", "최수아"],
    "discussion": [QA("왜 {{ x }}?", "첫 줄\n\n![image](https://example.com/a.png)")],
    "mentoring": "- a\n    - b",
}


def saved_draft(blog: Path, fields: dict[str, Any]) -> drafts.Draft:
    draft = drafts.Draft.start(blog)
    draft.save(fields)
    return draft


def test_save_and_load_round_trip(blog: Path) -> None:
    draft = saved_draft(blog, FIELDS)
    assert draft.path is not None and draft.path.parent == drafts.folder(blog)
    assert draft.path.name.startswith("2021-08-24--")
    assert drafts.load(draft.path, blog).fields == FIELDS
    data = json.loads(draft.path.read_text("utf-8"))
    assert data["fields"]["topics"][1] == {"label": "ResNet 구현"} and data["blog"] == str(blog)
    assert [p.name for p in draft.path.parent.iterdir()] == [draft.path.name]  # no temp file


def test_the_draft_is_renamed_once_the_date_is_known(blog: Path) -> None:
    draft = saved_draft(blog, {"title": "T"})
    undated = draft.path
    assert undated is not None and undated.name.startswith("undated--")
    draft.save({"title": "T", "date": dt.date(2021, 8, 24)})
    assert not undated.exists() and draft.path is not None and draft.path.exists()
    assert [d.fields for d in drafts.find(blog)] == [{"title": "T", "date": dt.date(2021, 8, 24)}]


def test_a_failed_save_keeps_the_previous_version(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = saved_draft(blog, {"title": "first"})

    def no_space(*_args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(DraftError, match="No space left on device"):
        draft.save({"title": "second"})
    monkeypatch.undo()
    assert draft.path is not None
    assert drafts.load(draft.path, blog).fields == {"title": "first"}
    assert len(list(draft.path.parent.iterdir())) == 1  # the temp file is gone


def test_an_unusable_state_dir_is_a_draft_error(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "state-file").write_text("", "utf-8")
    monkeypatch.setenv("STUDYLOG_STATE_DIR", str(tmp_path / "state-file"))
    with pytest.raises(DraftError, match="cannot save the draft"):
        saved_draft(blog, {"title": "T"})


def test_find_lists_newest_first_and_skips_damaged_ones(blog: Path, tmp_path: Path) -> None:
    older = saved_draft(blog, {"title": "older"})
    newer = saved_draft(blog, {"title": "newer"})
    assert older.path is not None and newer.path is not None
    os.utime(older.path, (1_000_000, 1_000_000))
    (drafts.folder(blog) / "undated--broken.json").write_text("{not json", "utf-8")
    other_blog = tmp_path / "other"
    other_blog.mkdir()
    saved_draft(other_blog, {"title": "elsewhere"})
    assert [d.fields["title"] for d in drafts.find(blog)] == ["newer", "older"]
    assert drafts.latest(blog).session == newer.session


def test_remove_and_latest_without_drafts(blog: Path) -> None:
    draft = saved_draft(blog, FIELDS)
    draft.remove()
    assert drafts.find(blog) == []
    with pytest.raises(DraftError, match="no draft to resume"):
        drafts.latest(blog)


def test_a_damaged_draft_names_its_file(blog: Path) -> None:
    path = drafts.folder(blog) / "2021-08-24--x.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"studylog_draft": 1, "fields": {"day": "x"}}), "utf-8")
    with pytest.raises(DraftError, match=str(path)):
        drafts.load(path, blog)

"""`studylog new --resume` without a terminal: the draft's answers merged with the flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog import paths
from studylog.blog import drafts
from studylog.cli.app import app
from studylog.post.model import Topic
from tests.test_drafts import FIELDS, saved_draft

DATA = Path(__file__).parent / "data"

runner = CliRunner()


def new(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["new", *args])


def test_resume_yes_writes_the_draft_and_removes_it(example_blog: Path) -> None:
    draft = saved_draft(example_blog, FIELDS)
    result = new("--resume", "--yes", "--blog", str(example_blog))
    assert result.exit_code == 0, result.output
    text = (example_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert "모더레이터 : 최수아" in text and "참가자 : 김민준, 최수아" in text
    assert "Q. {% raw %}왜 {{ x }}?{% endraw %}" in text
    assert "### 멘토링\n\n- a\n    - b\n" in text
    assert draft.path is not None and not draft.path.exists()


def test_resume_merges_flags_over_the_draft_and_defaults_for_the_rest(example_blog: Path) -> None:
    saved_draft(example_blog, {"date": dt.date(2021, 8, 24), "topics": [Topic("CNN")]})
    result = new("--resume", "--yes", "--moderator", "강하린", "--blog", str(example_blog))
    assert result.exit_code == 0, result.output
    text = (example_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert "- CNN\n" in text and "모더레이터 : 강하린" in text
    assert "참가자 : 김민준, 이서연, 박지호, 최수아, 정도윤, 강하린" in text  # from history


def test_a_failed_write_keeps_the_draft(
    example_blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studylog.blog import site as blogmod
    from studylog.errors import BlogError

    draft = saved_draft(example_blog, FIELDS)

    def disk_full(path: Path, _text: str) -> Path:
        raise BlogError(f"cannot write {path}: No space left on device; nothing was changed")

    monkeypatch.setattr(blogmod, "_write_temp", disk_full)
    result = new("--resume", "--yes", "--blog", str(example_blog))
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "--resume" in result.output
    assert draft.path is not None and drafts.load(draft.path, example_blog).fields == FIELDS


def test_an_existing_post_keeps_the_draft(example_blog: Path) -> None:
    draft = saved_draft(example_blog, {**FIELDS, "date": dt.date(2021, 8, 23), "day": 16})
    result = new("--resume", "--yes", "--blog", str(example_blog))
    assert result.exit_code == 1 and "already exists" in result.output
    assert "your answers are kept" in result.output
    assert draft.path is not None and draft.path.exists()


def test_new_hints_at_a_waiting_draft(blog: Path) -> None:
    saved_draft(blog, {"date": dt.date(2021, 8, 24)})
    result = new("--from", str(DATA / "2021-08-18-day13.entry.yaml"), "--yes", "--blog", str(blog))
    assert result.exit_code == 0, result.output
    assert "a draft of 2021-08-24, saved" in result.output
    assert "`studylog new --resume` continues it" in result.output
    assert len(drafts.find(blog)) == 1  # another session's draft is left alone


def test_the_hint_points_to_the_drafts_command_when_several_wait(blog: Path) -> None:
    saved_draft(blog, {"date": dt.date(2021, 8, 24)})
    saved_draft(blog, {"date": dt.date(2021, 8, 25)})
    result = new("--from", str(DATA / "2021-08-18-day13.entry.yaml"), "--yes", "--blog", str(blog))
    assert result.exit_code == 0, result.output
    assert "(and 1 older: `studylog drafts` lists them)" in result.output


def test_resume_without_a_draft_is_an_error(blog: Path) -> None:
    result = new("--resume", "--yes", "--blog", str(blog))
    assert result.exit_code == 1 and "no draft to resume" in result.output
    assert not paths.drafts_dir().exists()

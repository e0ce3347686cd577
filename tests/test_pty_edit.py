"""`studylog edit` in a real terminal (pexpect, a pty): one field changed, the rest accepted."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from pathlib import Path

import pytest

from studylog import paths
from studylog.blog import drafts
from studylog.config import Settings
from studylog.post.parse import parse_post
from tests.test_pty_new import CLEAR, CTRL_C, DONE, ENTER, spawn_studylog

try:
    import pexpect
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("pexpect is missing: pip install -e '.[test]'", allow_module_level=True)

EXTRA = "A paragraph written by hand, between the sections."


@pytest.fixture
def post(example_blog: Path) -> Path:
    """Day 16, with hand-written text the reader keeps as an extra."""
    path = example_blog / "_posts" / "2021-08-23-day16.md"
    text = path.read_text("utf-8").replace("\n### 토의 내용", f"\n{EXTRA}\n\n### 토의 내용")
    path.write_text(text, "utf-8")
    return path


def spawn(blog: Path, *args: str) -> tuple[pexpect.spawn, io.StringIO]:
    return spawn_studylog("edit", "--blog", str(blog), *args)


def answer(child: pexpect.spawn, *steps: tuple[str, str]) -> None:
    for prompt, keys in steps:
        child.expect_exact(prompt)
        child.send(keys)


def finish(child: pexpect.spawn, output: io.StringIO) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in output.getvalue()
    return int(child.exitstatus)


def read(path: Path):  # type: ignore[no-untyped-def]
    return parse_post(path.read_text("utf-8"), path, Settings())


def test_edit_one_field_and_accept_the_rest(post: Path) -> None:
    before, old_bytes = read(post), post.read_bytes()
    child, output = spawn(post.parents[1], "16")
    answer(
        child,
        ("Date", ENTER),
        ("Course day", ENTER),
        ("Title", CLEAR + "Day16, revised" + ENTER),
        ("Study topic", ENTER),  # semantic segmentation, offered
        ('Link for "semantic segmentation"', ENTER),
        ("Study topic", ENTER),  # no more: finish
        ("Moderator", ENTER),
        ("Participants", ENTER),
        ("Question", DONE),  # the offered question, as it is
        ("Answer", DONE),
        ("Question", ENTER),
        ("Mentoring", DONE),
        ("Rewrite", "y"),
    )
    child.expect_exact("Wrote")
    assert finish(child, output) == 0
    after = read(post)
    assert after.title == "Day16, revised"
    for name in ("date", "day", "topics", "moderator", "participants", "discussion", "mentoring"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.extras == before.extras and EXTRA in post.read_text("utf-8")
    assert after.front_matter["last_modified_at"] == dt.date.today()
    [backup] = (paths.state_dir() / "backups").iterdir()
    assert backup.read_bytes() == old_bytes
    assert drafts.find(post.parents[1], post) == []


def test_ctrl_c_keeps_the_edit_as_a_draft_of_this_post(post: Path) -> None:
    old_bytes = post.read_bytes()
    child, output = spawn(post.parents[1], "16")
    answer(child, ("Date", ENTER), ("Course day", ENTER), ("Title", CLEAR + "Half"))
    child.expect_exact("Half")
    child.send(CTRL_C)
    child.expect_exact("draft saved, resume with `studylog edit 16 --resume`")
    assert finish(child, output) == 130
    assert post.read_bytes() == old_bytes
    [draft] = drafts.find(post.parents[1], post.resolve())
    assert draft.fields["title"] == "Half" and draft.fields["moderator"] == "박지호"
    assert drafts.find(post.parents[1]) == []  # `new --resume` does not take it


def test_editor_problems_offer_to_reopen_in_a_terminal(
    post: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # First save: a date that is not the name's (an error); reopened: fixed, moderator changed.
    marker = tmp_path / "opened-once"
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\n"
        "text = path.read_text('utf-8')\nmarker = Path(sys.argv[0]).with_name('opened-once')\n"
        "if marker.exists():\n"
        "    text = text.replace('2021-09-01', '2021-08-23').replace('박지호', '강하린')\n"
        "else:\n"
        "    marker.touch()\n"
        "    text = text.replace('date: 2021-08-23', 'date: 2021-09-01')\n"
        "path.write_text(text, 'utf-8')\n",
        "utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    child, output = spawn(post.parents[1], "16", "--editor")
    child.expect_exact("Open the editor again?")
    assert post.read_text("utf-8").count("2021-09-01") == 0  # the post is untouched meanwhile
    child.send("y")
    child.expect_exact("Wrote")
    assert finish(child, output) == 0
    assert marker.exists() and "would not build right" in output.getvalue()
    text = post.read_text("utf-8")
    assert "모더레이터 : 강하린" in text and "date: 2021-08-23" in text
    assert not list(paths.edits_dir().iterdir())

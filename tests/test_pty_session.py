"""The `new` and `edit` session in a real terminal: declining, the preview, the editor, failures."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from studylog.blog import drafts
from tests.test_pty_new import (  # skips this module too when pexpect is missing
    CLEAR,
    DONE,
    ENTER,
    TIMEOUT,
    Session,
    pexpect,
    studylog_command,
)

from .conftest import read_only

POST = "2021-08-24-day17.md"
SHORT_DAY = (
    ("Date", CLEAR + "2021-08-24" + ENTER),
    ("Course day", ENTER),
    ("Title", ENTER),
    ("Study topic", ENTER),
    ("Moderator", ENTER),
    ("Participants", ENTER),
    ("Question", "왜?" + DONE),
    ("Answer", "이유" + DONE),
    ("Question", ENTER),
    ("Mentoring", "- m" + DONE),
)


class Run(Session):
    """One `studylog ARGS` in a pty (not only `new`); `output` is everything it printed."""

    def __init__(self, *args: str, rows: int = 40, **env: str) -> None:
        command = studylog_command()
        self.output = io.StringIO()
        self.child = pexpect.spawn(
            command[0],
            [*command[1:], *args],
            env=dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1", **env),
            encoding="utf-8",
            dimensions=(rows, 100),
            timeout=TIMEOUT,
        )
        self.child.logfile_read = self.output
        self.child.delaybeforesend = None

    def text(self) -> str:
        """What was printed, without escape sequences, with the terminal's CRLF as LF."""
        return re.sub(r"\x1b\[[\d;?]*[A-Za-z]", "", self.output.getvalue()).replace("\r\n", "\n")


def fake_editor(tmp_path: Path, code: str) -> str:
    """An $EDITOR running `code` on `text` (its file's text); the file is written back as bytes."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\n"
        f"text = path.read_text('utf-8')\n{code}\npath.write_bytes(text.encode('utf-8'))\n",
        "utf-8",
    )
    return f"{sys.executable} {script}"


def test_declining_the_write_is_a_choice_and_the_answers_wait(example_blog: Path) -> None:
    run = Run("new", "--blog", str(example_blog))
    run.answer(*SHORT_DAY, ("Write", "n"))
    assert run.finish() == 0
    said = " ".join(run.text().split("Write")[-1].split())
    assert "error" not in said
    assert (
        "not written; your answers are kept as a draft: `studylog new --resume` continues" in said
    )
    assert not (example_blog / "_posts" / POST).exists()
    [draft] = drafts.find(example_blog)
    assert draft.fields["date"] == dt.date(2021, 8, 24) and draft.fields["mentoring"]

    again = Run("new", "--resume", "--blog", str(example_blog))
    again.answer(*[(prompt, ENTER) for prompt, _ in SHORT_DAY[:6]])
    again.answer(
        ("Question", DONE),
        ("Answer", DONE),
        ("Question", ENTER),
        ("Mentoring", DONE),
        ("Write", "y"),
    )
    again.child.expect_exact("Wrote")
    assert again.finish() == 0
    text = (example_blog / "_posts" / POST).read_text("utf-8")
    assert "Q. 왜?\n\nA. 이유\n" in text and "### 멘토링\n\n- m\n" in text
    assert drafts.find(example_blog) == []


EDIT_DAY16 = (
    ("Date", ENTER),
    ("Course day", ENTER),
    ("Title", CLEAR + "revised" + ENTER),
    ("Study topic", ENTER),
    ('Link for "semantic segmentation"', ENTER),
    ("Study topic", ENTER),
    ("Moderator", ENTER),
    ("Participants", ENTER),
    ("Question", DONE),  # the offered question, as it is
    ("Answer", DONE),
    ("Question", ENTER),
    ("Mentoring", DONE),
)


def test_declining_a_rewrite_keeps_the_post_and_the_answers(example_blog: Path) -> None:
    post = example_blog / "_posts" / "2021-08-23-day16.md"
    before = post.read_bytes()
    run = Run("edit", "16", "--blog", str(example_blog))
    run.answer(*EDIT_DAY16, ("Rewrite", "n"))
    assert run.finish() == 0
    said = " ".join(run.text().split("Rewrite")[-1].split())
    assert "error" not in said
    assert "not rewritten; your answers are kept as a draft: `studylog edit 16 --resume`" in said
    assert post.read_bytes() == before
    assert drafts.find(example_blog, post)[0].fields["title"] == "revised"


def test_a_rewrite_ends_in_one_line(example_blog: Path) -> None:
    post = example_blog / "_posts" / "2021-08-23-day16.md"
    run = Run("edit", "16", "--blog", str(example_blog))
    run.answer(*EDIT_DAY16, ("Rewrite", "y"))
    run.child.expect_exact("Wrote")
    assert run.finish() == 0
    said = run.text().split("Wrote")[-1]
    assert said.startswith(f" {post}; the old version is kept at ")
    assert said.count("\n") == 1 and "replaced" not in run.text()


def test_new_edit_closed_without_a_change_goes_on_to_the_preview(
    example_blog: Path, tmp_path: Path
) -> None:
    editor = fake_editor(tmp_path, "")  # saved as it was: "looks fine"
    run = Run("new", "--edit", "--blog", str(example_blog), EDITOR=editor)
    run.answer(*SHORT_DAY)
    run.child.expect_exact("Write")
    assert "### 멘토링" in run.text()  # the preview came first
    run.child.send("y")
    run.child.expect_exact("Wrote")
    assert run.finish() == 0
    assert "nothing was written" not in run.text()
    assert "Q. 왜?\n\nA. 이유\n" in (example_blog / "_posts" / POST).read_text("utf-8")


def test_declining_after_new_edit_says_where_the_edited_post_is(
    example_blog: Path, tmp_path: Path
) -> None:
    editor = fake_editor(tmp_path, "text += 'mine\\n'")
    run = Run("new", "--edit", "--blog", str(example_blog), EDITOR=editor)
    run.answer(*SHORT_DAY, ("Write", "n"))
    assert run.finish() == 0
    said = " ".join(run.text().split("Write")[-1].split())
    assert "not written; the edited post is kept in " in said and "error" not in said
    kept = Path(said.split("kept in ")[1].split(";")[0])
    assert kept.read_text("utf-8").endswith("mine\n")
    assert "your answers are kept as a draft: `studylog new --resume` continues" in said


def test_the_preview_is_the_markdown_with_the_front_matter_on_a_line(example_blog: Path) -> None:
    image = "![shot](https://example.com/shot.png)"
    run = Run("new", "--blog", str(example_blog))
    run.answer(*SHORT_DAY[:7], ("Answer", f"보세요\r\r{image}" + DONE))
    run.answer(("Question", ENTER), ("Mentoring", DONE))
    run.child.expect_exact("Write")
    shown = run.text().split("Mentoring")[-1]
    [front] = [line for line in shown.splitlines() if line.startswith("---  ")]
    assert 'title: "[boostcourse] Day17 학습기록"' in front and "date: 2021-08-24" in front
    assert front.endswith("…")  # one line, cut at the edge
    assert "## 학습 내용" in shown and "Q. 왜?" in shown
    assert shown.index("보세요") < shown.index(image)  # the image stays under its text
    run.child.send("n")
    assert run.finish() == 0


def test_a_long_preview_is_paged(example_blog: Path, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    run = Run("new", "--blog", str(example_blog), rows=20, PAGER=f"tee {paged}")
    run.answer(*SHORT_DAY, ("Write", "n"))
    assert run.finish() == 0
    text = re.sub(r"\x1b\[[\d;]*m", "", paged.read_text("utf-8"))
    assert (
        text.startswith("---  defaults: … · title: ")
        and "### 토의 내용" in text
        and "Q. 왜?" in text
    )


def test_a_short_preview_is_not_paged(example_blog: Path, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    run = Run("new", "--blog", str(example_blog), rows=100, PAGER=f"tee {paged}")
    run.answer(*SHORT_DAY, ("Write", "n"))
    assert run.finish() == 0
    assert not paged.exists() and "### 토의 내용" in run.text()


@pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed")
def test_the_preview_pages_in_less_and_q_goes_on_to_the_question(example_blog: Path) -> None:
    run = Run("new", "--blog", str(example_blog), rows=20, PAGER="", LESS="")
    run.answer(*SHORT_DAY)
    run.child.expect_exact("학습 내용")
    with pytest.raises(pexpect.TIMEOUT):  # less holds the question back until q
        run.child.expect_exact("Write", timeout=2)
    run.child.send("q")
    run.answer(("Write", "y"))
    run.child.expect_exact("Wrote")
    assert run.finish() == 0


def test_a_failed_write_says_the_answers_wait_as_a_draft(example_blog: Path) -> None:
    posts = example_blog / "_posts"
    run = Run("new", "--blog", str(example_blog))
    run.answer(*SHORT_DAY)
    run.child.expect_exact("Write")
    posts.rename(example_blog / "away")
    posts.write_text("not a folder\n", "utf-8")  # root writes anywhere: a file stops the write
    run.child.send("y")
    assert run.finish() == 1
    said = " ".join(run.text().split("Write")[-1].split())
    assert "error:" in said and "is a file, not a folder" in said
    assert "your answers are kept as a draft: `studylog new --resume` continues" in said
    assert "internal error" not in said
    posts.unlink()
    (example_blog / "away").rename(posts)
    again = Run("new", "--resume", "--yes", "--blog", str(example_blog))
    assert again.finish() == 0
    assert "Q. 왜?\n\nA. 이유\n" in (posts / POST).read_text("utf-8")


def test_a_read_only_posts_folder_keeps_the_answers(example_blog: Path) -> None:
    posts = example_blog / "_posts"
    run = Run("new", "--blog", str(example_blog))
    run.answer(*SHORT_DAY)
    run.child.expect_exact("Write")
    with read_only(posts):
        run.child.send("y")
        assert run.finish() == 1
    said = " ".join(run.text().split("Write")[-1].split())
    assert str(posts) in said and "internal error" not in said
    assert "your answers are kept as a draft: `studylog new --resume` continues" in said
    assert len(drafts.find(example_blog)) == 1


def test_an_editor_bom_and_crlf_never_reach_the_answer(example_blog: Path, tmp_path: Path) -> None:
    editor = fake_editor(tmp_path, "text = '\\ufeff' + 'line one\\r\\nline two\\r\\n'")
    run = Run("new", "--blog", str(example_blog), EDITOR=editor)
    run.answer(*SHORT_DAY[:7], ("Answer", ":e" + DONE))
    run.answer(("Question", ENTER), ("Mentoring", DONE), ("Write", "y"))
    run.child.expect_exact("Wrote")
    assert run.finish() == 0
    data = (example_blog / "_posts" / POST).read_bytes()
    assert b"\r" not in data and "\ufeff".encode() not in data
    assert b"A.\nline one\nline two\n" in data


def test_discard_defaults_to_no(example_blog: Path) -> None:
    drafts.Draft.start(example_blog).save({"date": dt.date(2021, 8, 24)})
    run = Run("drafts", "discard", "1", "--blog", str(example_blog))
    run.answer(("Discard this draft?", ENTER))
    assert run.finish() == 0
    assert "(y/N)" in run.text() and "not discarded: nothing was changed" in run.text()
    assert "error" not in run.text()
    assert len(drafts.find(example_blog)) == 1

"""`studylog new` in a real terminal (pexpect, a pty): the installed CLI, typed at like a user."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import sys
from pathlib import Path

import pytest

from studylog.blog import drafts
from studylog.post.model import QA, Topic

try:
    import pexpect
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("pexpect is missing: pip install -e '.[test]'", allow_module_level=True)

ENTER, DONE, CLEAR, DOWN = "\r", "\x1b\r", "\x15", "\x1b[B"
CTRL_C, CTRL_D = "\x03", "\x04"
TIMEOUT = 30  # generous for a loaded machine; a passing run takes about a second per session
NAMES = ["김민준", "이서연", "박지호", "최수아", "정도윤", "강하린"]
RESUME_HINT = "draft saved, resume with `studylog new --resume`"


def studylog_command() -> list[str]:
    """The installed console script, else the package run by this interpreter."""
    script = Path(sys.executable).with_name("studylog")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "studylog"]


def spawn_studylog(
    *args: str, cwd: Path | None = None, size: tuple[int, int] = (40, 200)
) -> tuple[pexpect.spawn, io.StringIO]:
    """The installed `studylog ARGS` in a pty of `size` (rows, columns); what it prints is
    collected. os.environ already holds the isolated STUDYLOG_* directories of the autouse
    fixture."""
    command = studylog_command()
    env = dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    child = pexpect.spawn(
        command[0],
        [*command[1:], *args],
        cwd=None if cwd is None else str(cwd),
        env=env,
        encoding="utf-8",
        dimensions=size,
        timeout=TIMEOUT,
    )
    output = io.StringIO()
    child.logfile_read = output
    child.delaybeforesend = None  # each prompt is drawn only once its terminal is raw
    return child, output


class Session:
    """One `studylog new` in a pty; `output` is everything it printed."""

    def __init__(self, blog: Path, *args: str) -> None:
        self.child, self.output = spawn_studylog("new", "--blog", str(blog), *args)

    def answer(self, *steps: tuple[str, str]) -> None:
        """For each (prompt, keys): wait for the prompt, then type the keys."""
        for prompt, keys in steps:
            self.child.expect_exact(prompt)
            self.child.send(keys)

    def finish(self) -> int:
        """Wait for the end; the exit status."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert "Traceback" not in self.output.getvalue()
        return int(self.child.exitstatus)


def on_screen(text: str) -> str:
    """A pattern for `text` as the terminal shows it: escape sequences may come between."""
    return r"(?:\x1b\[[\d;?]*[A-Za-z])*".join(re.escape(char) for char in text)


def only_draft(blog: Path) -> dict[str, object]:
    found = drafts.find(blog)
    assert len(found) == 1
    return found[0].fields


def stopped_draft(session: Session, blog: Path) -> dict[str, object]:
    """The draft a session stopped by Ctrl-C left, once it said how to resume."""
    session.child.expect_exact(RESUME_HINT)
    assert session.finish() == 130
    return only_draft(blog)


DATE = ("Date", CLEAR + "2021-08-24" + ENTER)
DAY = ("Course day", ENTER)  # 17: counted from day 16 on Monday 2021-08-23
TITLE = ("Title", ENTER)


def test_a_full_session_writes_exactly_what_was_typed(example_blog: Path) -> None:
    session = Session(example_blog)
    session.answer(
        DATE,
        DAY,
        TITLE,
        ("Study topic", "CNN" + ENTER),
        ('Link for "CNN"', "https://example-blog.github.io/ai/cnn" + ENTER),
        ("Study topic", "[필수 과제 4] ResNet 구현" + ENTER),
        ('Link for "[필수 과제 4] ResNet 구현"', ENTER),
        ("Study topic", ENTER),
        ("Moderator", ENTER),  # 김민준: has not moderated yet
        ("Participants", ENTER),  # the latest post's, ticked
        ("Question", "1x1 conv는 왜 쓰나요?" + DONE),
        (
            "Answer",
            "채널 수를 줄여 연산량을 줄인다\r\r![image](https://example.com/1x1.png)" + DONE,
        ),
        ("Question", "BatchNorm 위치는?" + CTRL_D),
        ("Answer", "conv 다음, activation 전" + DONE),
        ("Question", ENTER),
        (
            "Mentoring",
            "- 논문 읽는 법\r    - abstract부터\r        - [링크](https://x.io)\r- 다음" + DONE,
        ),
        ("Write", "y"),
    )
    session.child.expect_exact("Wrote")
    assert session.finish() == 0
    text = (example_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert 'title: "[boostcourse] Day17 학습기록"' in text and "date: 2021-08-24" in text
    body = text.split("\n---\n", 1)[1]
    assert body == (
        "\n## 학습 내용\n\n"
        '- <a href="https://example-blog.github.io/ai/cnn">'
        '<img src="https://img.shields.io/badge/-CNN-red"/></a>\n'
        "- [필수 과제 4] ResNet 구현\n\n<br>\n\n"
        "## 피어세션 👨👨👦👦 👨👨👦\n\n"
        "모더레이터 : 김민준\n\n"
        "참가자 : 김민준, 이서연, 박지호, 최수아, 정도윤, 강하린\n\n<br>\n\n"
        "### 토의 내용\n\n"
        "Q. 1x1 conv는 왜 쓰나요?\n\n"
        "A.\n채널 수를 줄여 연산량을 줄인다\n\n![image](https://example.com/1x1.png)\n\n"
        "---\n\n"
        "Q. BatchNorm 위치는?\n\n"
        "A. conv 다음, activation 전\n\n<br>\n\n"
        "### 멘토링\n\n"
        "- 논문 읽는 법\n    - abstract부터\n        - [링크](https://x.io)\n- 다음\n\n<br>\n\n"
        "```\n💡 수정 필요한 내용은 댓글이나 메일로 알려주시면 감사하겠습니다!💡 \n```\n"
    )
    assert drafts.find(example_blog) == []


def test_ctrl_c_keeps_every_answer_and_resume_completes_the_post(example_blog: Path) -> None:
    first = Session(example_blog)
    first.answer(
        DATE,
        DAY,
        TITLE,
        ("Study topic", "CNN" + ENTER),
        ('Link for "CNN"', "https://x.io/cnn" + ENTER),
        ("Study topic", ENTER),
        ("Moderator", DOWN + ENTER),  # the next in the roster: 이서연
        ("Participants", ENTER),
        ("Question", "Q1" + DONE),
        ("Answer", "half"),
    )
    first.child.expect_exact("half")
    first.child.send(CTRL_C)
    first.child.expect_exact(RESUME_HINT)
    assert first.finish() == 130
    assert only_draft(example_blog) == {
        "date": dt.date(2021, 8, 24),
        "day": 17,
        "title": "[boostcourse] Day17 학습기록",
        "topics": [Topic("CNN", "https://x.io/cnn")],
        "moderator": "이서연",
        "participants": NAMES,
        "discussion": [QA("Q1", "half")],  # even the answer being typed
    }

    again = Session(example_blog, "--resume")
    again.answer(
        ("Date", ENTER),
        DAY,
        TITLE,
        ("Study topic", ENTER),  # CNN, offered again
        ('Link for "CNN"', ENTER),
        ("Study topic", ENTER),
        ("Moderator", ENTER),
        ("Participants", ENTER),
        ("Question", DONE),  # Q1
        ("Answer", " and the rest" + DONE),
        ("Question", ENTER),
        ("Mentoring", "- m" + DONE),
        ("Write", "y"),
    )
    again.child.expect_exact("Wrote")
    assert again.finish() == 0
    text = (example_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert '<a href="https://x.io/cnn">' in text and "모더레이터 : 이서연" in text
    assert "Q. Q1\n\nA. half and the rest\n" in text and "### 멘토링\n\n- m\n" in text
    assert drafts.find(example_blog) == []


def test_ctrl_d_finishes_a_typed_answer_and_stops_like_ctrl_c_on_nothing(
    example_blog: Path,
) -> None:
    session = Session(example_blog)
    session.answer(DATE, DAY, ("Title", "Mine" + CTRL_D), ("Study topic", CTRL_D))
    session.child.expect_exact(RESUME_HINT)
    assert session.finish() == 130
    assert "EOFError" not in session.output.getvalue()
    assert only_draft(example_blog) == {
        "date": dt.date(2021, 8, 24),
        "day": 17,
        "title": "Mine",
    }


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_keeps_every_completed_answer(example_blog: Path, signum: int) -> None:
    session = Session(example_blog)
    session.answer(DATE, DAY, TITLE, ("Study topic", "CNN-in-progress"))
    session.child.expect(on_screen("CNN-in-progress"))
    session.child.kill(signum)
    session.child.expect_exact(RESUME_HINT)
    assert session.finish() == 128 + signum
    assert f"stopped by {signal.Signals(signum).name}" in session.output.getvalue()
    assert only_draft(example_blog) == {
        "date": dt.date(2021, 8, 24),
        "day": 17,
        "title": "[boostcourse] Day17 학습기록",
        "topics": [Topic("CNN-in-progress")],  # typed, not yet accepted: kept all the same
    }


def test_a_closed_terminal_keeps_every_answer_without_a_crash(example_blog: Path) -> None:
    session = Session(example_blog)
    session.answer(DATE, DAY, TITLE, ("Study topic", "CNN-in-progress"))
    session.child.expect(on_screen("CNN-in-progress"))
    session.child.ptyproc.fileobj.close()  # the terminal goes away: the kernel sends SIGHUP
    assert session.child.ptyproc.wait() == 128 + signal.SIGHUP
    session.child.close()
    assert only_draft(example_blog)["topics"] == [Topic("CNN-in-progress")]
    assert not list(Path(os.environ["STUDYLOG_STATE_DIR"]).glob("crash-*.log"))


def test_two_sessions_for_the_same_day_write_one_post(example_blog: Path) -> None:
    sessions = [Session(example_blog, "--date", "2021-08-24") for _ in range(2)]
    for name, session in zip(("first", "second"), sessions, strict=True):
        session.answer(
            DAY,
            TITLE,
            ("Study topic", f"{name} topic" + ENTER),
            (f'Link for "{name} topic"', ENTER),
            ("Study topic", ENTER),
            ("Moderator", ENTER),
            ("Participants", ENTER),
            ("Question", ENTER),
            ("Mentoring", DONE),
            ("Write", ""),
        )
    first, second = sessions
    first.child.send("y")
    first.child.expect_exact("Wrote")
    assert first.finish() == 0
    second.child.send("y")
    second.child.expect_exact("already exists")
    assert second.finish() == 1
    assert "your answers are kept" in second.output.getvalue().replace("\r\n", " ")
    assert [p.name for p in (example_blog / "_posts").iterdir() if "08-24" in p.name] == [
        "2021-08-24-day17.md"
    ]
    post = (example_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert "- first topic\n" in post
    assert only_draft(example_blog)["topics"] == [Topic("second topic")]


def test_a_taken_date_is_said_at_once_and_asked_again(example_blog: Path) -> None:
    session = Session(example_blog)
    session.answer(("Date", CLEAR + "2021-08-18" + ENTER))
    session.child.expect_exact("2021-08-18 already has a post: `studylog edit 13` to change it")
    session.child.send(CLEAR + "2021-08-24" + ENTER)  # the same question, asked again
    session.answer(("Course day", CTRL_C))
    session.child.expect_exact(RESUME_HINT)
    assert session.finish() == 130
    assert "--force" not in session.output.getvalue()
    assert only_draft(example_blog) == {"date": dt.date(2021, 8, 24)}


def test_a_taken_date_given_as_a_flag_stops_before_any_question(example_blog: Path) -> None:
    session = Session(example_blog, "--date", "2021-08-23")
    session.child.expect_exact("2021-08-23 already has a post: `studylog edit 16` to change it")
    assert session.finish() == 1
    assert "Course day" not in session.output.getvalue()
    assert "--force" not in session.output.getvalue().replace("--date", "")


def test_a_fresh_blog_offers_the_moderator_typed_as_a_participant(blog: Path) -> None:
    session = Session(blog)
    session.answer(
        ("Date", ENTER),
        ("Course day", ENTER),
        ("Title", ENTER),
        ("Study topic", ENTER),
        ("Moderator's name", "김민준" + ENTER),
        ("Participants", ""),
    )
    session.child.expect(on_screen("● 김민준"))  # ticked, and no "More participants" asked
    session.answer(("(add new names)", ENTER), ("Question", CTRL_C))
    assert stopped_draft(session, blog)["participants"] == ["김민준"]


def test_typing_replaces_an_offered_answer_and_checks_it_on_enter(example_blog: Path) -> None:
    session = Session(example_blog)
    session.answer(("Date", "2021-08-24" + ENTER), ("Course day", "x"))
    session.child.expect(on_screen("x"))
    with pytest.raises(pexpect.TIMEOUT):  # not while typing
        session.child.expect_exact("a course day is a whole number", timeout=1)
    session.child.send(ENTER)
    session.child.expect_exact("a course day is a whole number")
    session.child.send("\x7f" + "18" + ENTER)
    session.answer(("Title", "My own title" + ENTER), ("Study topic", CTRL_C))
    assert stopped_draft(session, example_blog) == {
        "date": dt.date(2021, 8, 24),
        "day": 18,
        "title": "My own title",
    }


def test_a_question_holds_several_lines_and_the_editor_text_is_shown(
    example_blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import sys\nopen(sys.argv[1], 'w').write('written in the editor\\n')\n", "utf-8"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    session = Session(example_blog)
    session.answer(
        DATE,
        DAY,
        TITLE,
        ("Study topic", ENTER),
        ("Moderator", ENTER),
        ("Participants", ENTER),
        ("Question", "Why 1x1?\r![shot](https://x.io/shot.png)" + DONE),
        ("Answer", ":e" + DONE),
    )
    session.child.expect_exact("  written in the editor")  # what was saved, under the `:e`
    session.answer(("Question", ENTER), ("Mentoring", "- m" + DONE), ("Write", "y"))
    session.child.expect_exact("Wrote")
    assert session.finish() == 0
    text = (example_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert "Q. Why 1x1?\n![shot](https://x.io/shot.png)\n\nA. written in the editor\n" in text


def test_a_link_that_is_not_a_url_is_asked_again_and_people_are_counted(
    example_blog: Path,
) -> None:
    session = Session(example_blog)
    session.answer(DATE, DAY, TITLE, ("Study topic", "CNN" + ENTER), ('Link for "CNN"', "cnn page"))
    session.child.expect(on_screen("cnn page"))
    session.child.send(ENTER)
    session.child.expect_exact("not a link: give a URL (https://...) or a site path (/...)")
    session.child.send(CLEAR + "https://x.io/cnn" + ENTER)
    session.answer(("Study topic", ENTER), ("Moderator", ENTER), ("Participants", ENTER))
    session.child.expect(on_screen("Participants 6 selected"))
    session.answer(("Question", CTRL_C))
    session.child.expect_exact(RESUME_HINT)
    assert session.finish() == 130
    assert "selections" not in session.output.getvalue()  # questionary's own count is gone
    assert only_draft(example_blog)["topics"] == [Topic("CNN", "https://x.io/cnn")]

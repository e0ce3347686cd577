"""Text typed at `studylog new`'s prompts in a real terminal comes out as typed on the page."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from typer.testing import CliRunner

from studylog.cli.app import app

from .test_pty_new import DONE, ENTER, Session

ANSWER = (
    "    List<String> names = new ArrayList<>();\r\rQ. not a question\r\r### 멘토링\rUse List<T>."
)


def test_typed_text_is_composed_escaped_and_read_back_as_typed(blog: Path) -> None:
    nfd = unicodedata.normalize("NFD", "질문")  # as macOS pastes Korean
    session = Session(
        blog,
        "--date",
        "2021-08-18",
        "--day",
        "13",
        "--title",
        "Day13",
        "--moderator",
        "이서연",
        "--participant",
        "이서연",
    )
    session.answer(
        ("Study topic", f"{nfd} List<String>" + ENTER),
        ("Link for", ENTER),
        ("Study topic", ENTER),
        ("Question", f"{nfd} <T>?" + DONE),
        ("Answer", ANSWER + DONE),
        ("Question", ENTER),
        ("Mentoring", "- keep Map<K, V>" + DONE),
        ("Write", "y"),
    )
    session.child.expect_exact("Wrote")
    assert session.finish() == 0
    text = (blog / "_posts" / "2021-08-18-day13.md").read_text("utf-8")
    assert unicodedata.is_normalized("NFC", text) and "- 질문 List&lt;String>\n" in text
    assert "\nQ. 질문 &lt;T>?\n\nA.\n\n    List<String> names = new ArrayList<>();\n" in text
    assert "\nQ\\. not a question\n\n\\### 멘토링\nUse List&lt;T>.\n" in text
    shown = CliRunner().invoke(app, ["show", "2021-08-18", "--json", "--blog", str(blog)])
    entry = json.loads(shown.stdout)
    assert entry["topics"] == [{"label": "질문 List<String>"}]
    assert entry["discussion"] == [{"question": "질문 <T>?", "answer": ANSWER.replace("\r", "\n")}]
    assert entry["mentoring"] == "- keep Map<K, V>"

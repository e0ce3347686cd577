"""Find text in the posts' topics, questions, answers and mentoring, line by line."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studylog.blog import cache
from studylog.blog.cache import Row
from studylog.config import Settings
from studylog.errors import UsageError


@dataclass(frozen=True)
class Hit:
    """One matching line: where it is (post, section, Q&A number) and the matched spans."""

    path: str  # the post's path in the blog
    date: dt.date | None
    day: int
    section: str  # topic, question, answer, mentoring
    number: int | None  # the Q&A's number, for a question or an answer
    line: str
    spans: list[tuple[int, int]]


def compile_pattern(text: str, *, regex: bool = False) -> re.Pattern[str]:
    """The case-insensitive pattern for TEXT (literal unless `regex`); UsageError if invalid."""
    if not text:
        raise UsageError("nothing to search for: give the text to find")
    try:
        text = unicodedata.normalize("NFC", text)  # as the posts' text is read
        return re.compile(text if regex else re.escape(text), re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"invalid regular expression {text!r}: {exc}") from exc


def find(
    blog: Path, settings: Settings, pattern: re.Pattern[str], *, drafts: bool = False
) -> tuple[list[Hit], list[Row]]:
    """Every hit in the blog's posts, newest post first, and the posts that cannot be read."""
    hits: list[Hit] = []
    errors: list[Row] = []
    for row in cache.newest_first(cache.rows(blog, settings, drafts=drafts, search=True)):
        if row.error:
            errors.append(row)
        else:
            hits += hits_in(row, pattern)
    return hits, errors


def hits_in(row: Row, pattern: re.Pattern[str]) -> list[Hit]:
    """The matching lines of a post's searchable fields, in the post's order."""
    found = []
    for section, number, text in row.fields:
        if not unicodedata.is_normalized("NFC", text):  # a row cached before text was NFC
            text = unicodedata.normalize("NFC", text)
        for line in text.split("\n"):
            if not pattern.search(line):  # most lines: then no iterator is made
                continue
            spans = [m.span() for m in pattern.finditer(line) if m.end() > m.start()]
            if spans:
                found.append(Hit(row.path, row.date, row.day or 0, section, number, line, spans))
    return found


def hit_dict(hit: Hit) -> dict[str, Any]:
    """A hit as `search --json` prints it."""
    return {
        "path": hit.path,
        "date": hit.date.isoformat() if hit.date else None,
        "day": hit.day,
        "section": hit.section,
        "number": hit.number,
        "line": hit.line,
        "spans": [list(span) for span in hit.spans],
    }

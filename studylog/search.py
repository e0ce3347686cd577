"""Find text in the posts' topics, questions, answers and mentoring, line by line."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studylog.config import Settings
from studylog.errors import PostError, UsageError
from studylog.model import Entry
from studylog.parse import Summary, parse_post, read_text
from studylog.render import RAW_CLOSE_ESCAPED
from studylog.sections import BADGE_PREFIX, BADGE_SUFFIX, badge_label

BADGE_SRC = re.compile(re.escape(BADGE_PREFIX) + r"(.*?)" + re.escape(BADGE_SUFFIX) + "[\"']")


@dataclass
class Hit:
    """One matching line: where it is (post, section, Q&A number) and the matched spans."""

    path: Path
    date: dt.date
    day: int
    section: str  # topic, question, answer, mentoring
    number: int | None  # the Q&A's number, for a question or an answer
    line: str
    spans: list[tuple[int, int]] = field(default_factory=list)


def compile_pattern(text: str, *, regex: bool = False) -> re.Pattern[str]:
    """The case-insensitive pattern for TEXT (literal unless `regex`); UsageError if invalid."""
    if not text:
        raise UsageError("nothing to search for: give the text to find")
    try:
        return re.compile(text if regex else re.escape(text), re.IGNORECASE)
    except re.error as exc:
        raise UsageError(f"invalid regular expression {text!r}: {exc}") from exc


def find(
    blog: Path, settings: Settings, pattern: re.Pattern[str], *, regex: bool, drafts: bool = False
) -> tuple[list[Hit], list[Summary]]:
    """Every hit in the blog's posts, newest post first, and the posts that cannot be read."""
    from studylog import index

    hits: list[Hit] = []
    rows = index.newest_first(index.summaries(blog, settings, drafts=drafts))
    for row in rows:
        if row.error:
            continue
        try:
            text = read_text(row.path)
            if not regex and not _may_match(text, pattern):
                continue  # a literal that is nowhere in the file is in none of its fields
            entry = parse_post(text, row.path, settings, row.date)
        except PostError as exc:  # changed since it was indexed
            row.error = exc.reason
            continue
        hits += hits_in(entry, row.path, pattern)
    return hits, [row for row in rows if row.error]


def _may_match(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether a literal can be in a field: the file holds every field's text, but for badges."""
    if pattern.search(text) or RAW_CLOSE_ESCAPED in text:
        return True
    labels = (badge_label(html.unescape(m[1])) for m in BADGE_SRC.finditer(text))
    return any(pattern.search(label) for label in labels)


def hits_in(entry: Entry, path: Path, pattern: re.Pattern[str]) -> list[Hit]:
    """The matching lines of one entry, in the post's order."""
    fields: list[tuple[str, int | None, str]] = [("topic", None, t.label) for t in entry.topics]
    for i, qa in enumerate(entry.discussion, 1):
        fields += [("question", i, qa.question), ("answer", i, qa.answer)]
    fields.append(("mentoring", None, entry.mentoring))
    found = []
    for section, number, text in fields:
        for line in text.split("\n"):
            spans = [m.span() for m in pattern.finditer(line) if m.end() > m.start()]
            if spans:
                found.append(Hit(path, entry.date, entry.day, section, number, line, spans))
    return found


def hit_dict(hit: Hit, blog: Path) -> dict[str, Any]:
    """A hit as `search --json` prints it."""
    from studylog.index import relative

    return {
        "path": relative(hit.path, blog),
        "date": hit.date.isoformat(),
        "day": hit.day,
        "section": hit.section,
        "number": hit.number,
        "line": hit.line,
        "spans": [list(span) for span in hit.spans],
    }

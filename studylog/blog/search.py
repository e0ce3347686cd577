"""Find text in the posts' topics, questions, answers and mentoring, line by line."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from studylog.blog import textcache
from studylog.blog.textcache import SECTIONS, Text
from studylog.config import Settings
from studylog.errors import UsageError
from studylog.post.model import Entry
from studylog.post.summary import Summary


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
    """Every hit in the blog's posts, newest post first, and the posts that cannot be read.

    The posts' text comes from `textcache` (only posts it lacks are read and parsed)."""
    from studylog.blog import index

    rows = sorted(index.rows(blog, settings, drafts=drafts), key=index.Row.order, reverse=True)
    wanted = {row.rel: row.date for row in rows if not row.error}
    cached = textcache.texts(blog, settings, wanted)
    hits: list[Hit] = []
    errors: list[Summary] = []
    for row in rows:
        text = cached.get(row.rel)
        if text is None or text.error:  # unreadable, or changed since it was indexed
            summary = row.summary(blog)
            summary.error = row.error or (text.error if text else None)
            errors.append(summary)
        elif regex:
            hits += _hits(blog / row.rel, text.date, text.day, text.fields(), pattern)
        elif pattern.search(text.text):  # a literal is in no line if not in all of them
            hits += _literal_hits(blog / row.rel, text, pattern)
    return hits, errors


def _literal_hits(path: Path, text: Text, pattern: re.Pattern[str]) -> list[Hit]:
    """`_hits` for a literal, found in the fields' lines all at once: a literal holds no line end,
    so it matches across none, and its matches in a line are those in the whole text."""
    body, date = text.text, text.date
    ends = list(accumulate(text.layout[2::3]))  # each field's last line + 1
    found: list[Hit] = []
    line = pos = 0  # the line of offset `pos`
    start = end = -1  # the current hit's line
    for match in pattern.finditer(body):
        first, last = match.span()
        if body.find("\n", first, last) >= 0:
            continue  # a literal with a line end: in no line
        if first >= end:  # a new line
            line += body.count("\n", pos, first)
            pos = first
            start = body.rfind("\n", 0, first) + 1
            end = body.find("\n", first)
            end = len(body) if end < 0 else end
            at = bisect_right(ends, line) * 3
            section, number = SECTIONS[text.layout[at]], text.layout[at + 1] or None
            hit = Hit(path, date, text.day, section, number, body[start:end], [])  # type: ignore[arg-type]
            found.append(hit)
        found[-1].spans.append((first - start, last - start))
    return found


def hits_in(entry: Entry, path: Path, pattern: re.Pattern[str]) -> list[Hit]:
    """The matching lines of one entry, in the post's order."""
    fields = ((s, n, text.split("\n")) for s, n, text in textcache.entry_fields(entry))
    return _hits(path, entry.date, entry.day, fields, pattern)


def _hits(
    path: Path,
    date: dt.date | None,
    day: int,
    fields: Iterable[tuple[str, int | None, list[str]]],
    pattern: re.Pattern[str],
) -> list[Hit]:
    """The matching lines of a post's fields (section, Q&A number, lines), in order."""
    found = []
    for section, number, lines in fields:
        for line in lines:
            spans = [m.span() for m in pattern.finditer(line) if m.end() > m.start()]
            if spans:
                found.append(Hit(path, date, day, section, number, line, spans))  # type: ignore[arg-type]
    return found


def hit_dict(hit: Hit, blog: Path) -> dict[str, Any]:
    """A hit as `search --json` prints it."""
    from studylog.blog.index import relative

    return {
        "path": relative(hit.path, blog),
        "date": hit.date.isoformat(),
        "day": hit.day,
        "section": hit.section,
        "number": hit.number,
        "line": hit.line,
        "spans": [list(span) for span in hit.spans],
    }

"""Post text -> the Entry it records (the reader), or the Summary a list needs (fast); never writes.

A post that cannot be read raises PostError with its path and the reason: not UTF-8, no or an
unclosed front matter, invalid YAML, a front matter that is no mapping, an impossible date.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from studylog.blog.site import date_from_name
from studylog.config import DEFAULT_HEADINGS, Settings
from studylog.errors import PostError
from studylog.post import quickread, sections
from studylog.post.model import Entry
from studylog.post.quickread import DAY_IN_TITLE
from studylog.post.quickread import yaml_loader as yaml_loader  # re-exported: check and new use it
from studylog.post.summary import Summary

FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
LIQUID_OPEN_TAG = '{{ "{%" }}'  # how render writes a literal `{%` after closing a raw block


def grammar_for(settings: Settings) -> sections.Grammar:
    """The section grammar for the configured headings and footer."""
    return sections.grammar(tuple(sorted(settings.headings.items())), settings.footer)


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 text without a BOM and with LF line ends; PostError if it is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PostError(
            str(path),
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            "save it as UTF-8",
        ) from exc
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def split_front(text: str, path: Path | str) -> tuple[str, str]:
    """(front matter, body) as Jekyll splits them: between a first `---` line and the next."""
    first, _, rest = text.partition("\n")
    if first.rstrip() != "---":
        raise PostError(str(path), "no front matter: a post starts with a '---' line")
    end = FRONT_END.search(rest)
    if end is None:
        raise PostError(str(path), "the front matter is not closed: add a '---' line after it")
    return rest[: end.start()], rest[end.end() + 1 :]


def front_matter(front: str, path: Path | str) -> dict[str, Any]:
    """The front matter as a mapping in file order; PostError for invalid YAML or no mapping."""
    import yaml

    try:
        data = yaml.load(front, yaml_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        reason = f"the front matter is not valid YAML ({where}{problem})"
        raise PostError(str(path), reason) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PostError(str(path), "the front matter is not a mapping of keys (key: value)")
    return data


def post_date(value: Any, path: Path | str, fallback: dt.date | None) -> dt.date:
    """The post's date: the front matter's (a date, datetime or text) or else `fallback`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        if fallback is None:
            raise PostError(
                str(path), "no date: name the file YYYY-MM-DD-slug.md or set 'date' in it"
            )
        return fallback
    if isinstance(value, str) and (date := quickread.text_date(value)):
        return date
    raise PostError(str(path), f"date {str(value)!r} is not a real date: write it as YYYY-MM-DD")


def title_text(value: Any) -> str:
    """The title as text (YAML may give a number or nothing)."""
    return "" if value is None else value if isinstance(value, str) else str(value)


def course_day(title: str, path: Path) -> int | None:
    """The course day in the title (Day13), else in the file name (day13)."""
    match = DAY_IN_TITLE.search(title) or DAY_IN_TITLE.search(path.stem)
    return int(match[1]) if match else None


def parse_post(text: str, path: Path, settings: Settings, fallback: dt.date | None = None) -> Entry:
    """The entry a post's text records; `fallback` dates a post whose matter and name have none."""
    front, body = split_front(text, path)
    data = front_matter(front, path)
    date = post_date(data.get("date"), path, date_from_name(path) or fallback)
    title = title_text(data.get("title"))
    parts = sections.parse_body(body, grammar_for(settings))
    return Entry(
        date=date,
        day=course_day(title, path) or 0,
        title=title,
        topics=parts.topics,
        moderator=parts.moderator,
        participants=parts.participants,
        discussion=parts.discussion,
        mentoring=parts.mentoring,
        front_matter=data,
        extras=parts.extras,
    )


def summary(text: str, path: Path, settings: Settings, fallback: dt.date | None = None) -> Summary:
    """The list columns of a post's text, as `parse_post` would give them but faster."""
    front, body = split_front(text, path)
    title_value, date_value = _quick_front(front, path)
    title = title_text(title_value)
    date = post_date(date_value, path, date_from_name(path) or fallback)
    g = grammar_for(settings)
    fields = quickread.quick_fields("\n" + body, 1, g) or sections.summary_fields(body, g)
    moderator, participants, questions = fields
    return Summary(path, date, course_day(title, path), title, moderator, participants, questions)


def summary_of(entry: Entry, path: Path) -> Summary:
    """The list columns of a parsed entry."""
    day = course_day(entry.title, path)
    return Summary(
        path,
        entry.date,
        day,
        entry.title,
        entry.moderator,
        list(entry.participants),
        len(entry.discussion),
    )


def _quick_front(front: str, path: Path) -> tuple[Any, Any]:
    """(title, date) as YAML reads them: by `quickread.front_values` when it can tell."""
    known = quickread.front_values("\n" + front)
    return _slow_front(front, path) if known is None else known


def _slow_front(front: str, path: Path) -> tuple[Any, Any]:
    data = front_matter(front, path)
    return data.get("title"), data.get("date")


def fallback_date(path: Path, mtime: float | None = None) -> dt.date | None:
    """A draft's date when it has none: its modification day, as Jekyll does."""
    if "_drafts" not in path.parts:
        return None
    if mtime is None:
        mtime = path.stat().st_mtime
    return dt.date.fromtimestamp(mtime)


def read_text(path: Path) -> str:
    """A post file's text (decoded, LF line ends); PostError if it cannot be read."""
    try:
        data = _read_bytes(path)
    except OSError as exc:
        raise PostError(str(path), f"cannot read it: {exc.strerror or exc}") from exc
    return decode(data, path)


def _read_bytes(path: Path) -> bytes:
    """`path.read_bytes()` by bare system calls: half the time (no buffered file object)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_post(path: Path, settings: Settings) -> Entry:
    """The entry recorded in a post file; PostError with the reason if it cannot be read."""
    return parse_post(read_text(path), path, settings, fallback_date(path))


def read_summary(path: Path, settings: Settings, mtime: float | None = None) -> Summary:
    """The list columns of a post file; an unreadable post comes back with `error` set."""
    try:
        return summary(read_text(path), path, settings, fallback_date(path, mtime))
    except PostError as exc:
        return unreadable(path, exc)


def unreadable(path: Path, exc: PostError) -> Summary:
    """The row of a post that cannot be read: dated and numbered by its file name."""
    return Summary(path, date_from_name(path), course_day("", path), "", error=exc.reason)


def summarize(
    text: str, path: Path, moderator_label: str = "", participants_label: str = ""
) -> Summary:
    """The list columns of a post's text with the given labels; never raises."""
    labels = {"moderator": moderator_label, "participants": participants_label}
    settings = Settings(headings={**DEFAULT_HEADINGS, **{k: v for k, v in labels.items() if v}})
    try:
        return summary(text, path, settings)
    except PostError as exc:
        return unreadable(path, exc)


def display_body(body: str) -> str:
    """A body for a terminal: badges as Markdown links, raw blocks shown as Liquid prints them."""
    lines = []
    for line in body.split("\n"):
        topic = sections.topic_from_line(line) if line[:1] in "-*+{" else None
        lines.append(f"- [{topic.label}]({topic.url})" if topic and topic.url else line)
    text = "\n".join(lines)
    shown, position, in_raw = [], 0, False
    for tag in sections.RAW_TAG.finditer(text):
        if (tag[1] is not None) != in_raw:
            continue  # a raw tag inside a raw block is text; a stray endraw is Liquid's error
        piece = text[position : tag.start()]
        shown.append(piece if in_raw else piece.replace(LIQUID_OPEN_TAG, "{%"))
        position, in_raw = tag.end(), not in_raw
    rest = text[position:]
    return "".join(shown) + (rest if in_raw else rest.replace(LIQUID_OPEN_TAG, "{%"))

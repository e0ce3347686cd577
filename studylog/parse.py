"""Post text -> what studylog needs of it. For now the summary line scan behind the defaults."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

DAY_IN_TITLE = re.compile(r"day\s*(\d+)", re.IGNORECASE)
FM_LINE = re.compile(r"^(title|date):\s*(.*?)\s*$")


@dataclass
class Summary:
    """The columns of one post that lists and defaults need."""

    path: Path
    date: dt.date | None
    day: int | None
    title: str
    moderator: str = ""
    participants: list[str] = field(default_factory=list)


def summarize(text: str, path: Path, moderator_label: str, participants_label: str) -> Summary:
    """Scan a post's lines for title, date, day, moderator and participants."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    front, body = _split_front(lines)
    values = dict(m.groups() for line in front if (m := FM_LINE.match(line)))
    title = _unquote(values.get("title", ""))
    summary = Summary(path, _date(values.get("date", "")), _day(title, path), title)
    for line in body:
        label, sep, rest = line.partition(":")
        if not sep:
            continue
        if label.strip() == moderator_label and not summary.moderator:
            summary.moderator = rest.strip()
        elif label.strip() == participants_label and not summary.participants:
            summary.participants = [n.strip() for n in rest.split(",") if n.strip()]
    return summary


def _split_front(lines: list[str]) -> tuple[list[str], list[str]]:
    if not lines or lines[0].strip() != "---":
        return [], lines
    for i, line in enumerate(lines[1:], 1):
        if line.strip() in ("---", "..."):
            return lines[1:i], lines[i + 1 :]
    return lines[1:], []


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"')
    return value


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_unquote(value)[:10])
    except ValueError:
        return None


def _day(title: str, path: Path) -> int | None:
    match = DAY_IN_TITLE.search(title) or DAY_IN_TITLE.search(path.stem)
    return int(match[1]) if match else None

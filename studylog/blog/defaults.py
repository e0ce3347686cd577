"""Smart defaults for a new entry, taken from the blog's history; pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from studylog.blog.cache import Row
from studylog.config import Settings, fill_pattern

RECENT_POSTS = 20


@dataclass(frozen=True)
class Defaults:
    """What the prompts offer, and what --from/--yes fill gaps with."""

    date: dt.date
    day: int
    title: str
    moderator: str
    participants: list[str] = field(default_factory=list)
    roster: list[str] = field(default_factory=list)


def is_course_day(day: dt.date, settings: Settings) -> bool:
    """Monday-Friday (or every day), minus the configured holidays."""
    if day in settings.holidays:
        return False
    return settings.course_days == "every" or day.weekday() < 5


def course_days_between(start: dt.date, end: dt.date, settings: Settings) -> int:
    """How many course days lie in (start, end]."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_course_day(day, settings)
    return count


def course_day(history: Sequence[Row], date: dt.date, settings: Settings) -> int:
    """The course day of `date`, counted from the nearest dated post with a day number."""
    known = [s for s in history if s.date and s.day is not None]
    if not known:
        return 1
    anchor = min(known, key=lambda s: (abs((s.date - date).days), s.date))  # type: ignore[operator]
    assert anchor.date is not None and anchor.day is not None
    if date > anchor.date:
        return anchor.day + max(1, course_days_between(anchor.date, date, settings))
    if date < anchor.date:
        return max(1, anchor.day - max(1, course_days_between(date, anchor.date, settings)))
    return anchor.day


def title_for(day: int, date: dt.date, settings: Settings) -> str:
    """The title pattern with the day and date filled in."""
    return fill_pattern(settings.title_pattern, day, date)


def roster(history: Sequence[Row], settings: Settings) -> list[str]:
    """The configured roster, then everyone seen in recent posts, in order of first appearance in
    the blog: a stable order from day to day, so the lists that offer it do not reshuffle."""
    newest = by_recency(history)
    recent = {name for row in newest[:RECENT_POSTS] for name in [row.moderator, *row.participants]}
    names = list(settings.roster)
    for row in reversed(newest):
        for name in [*row.participants, row.moderator]:
            if name and name in recent and name not in names:
                names.append(name)
    return names


def next_moderator(history: Sequence[Row], names: Sequence[str]) -> str:
    """Who has moderated least recently among `names` (never is least recent)."""
    if not names:
        return ""
    last: dict[str, int] = {}
    for position, row in enumerate(by_recency(history)):
        last.setdefault(row.moderator, position)
    never = [n for n in names if n not in last]
    if never:
        return never[0]
    return max(names, key=lambda n: last[n])


def by_recency(history: Sequence[Row]) -> list[Row]:
    """The posts by date, then course day, the newest first (equals in the order given)."""
    return sorted(history, key=lambda s: (s.date or dt.date.min, s.day or 0), reverse=True)


def suggest(history: Sequence[Row], settings: Settings, date: dt.date | None = None) -> Defaults:
    """All defaults for a new entry on `date` (today by default)."""
    date = date or dt.date.today()
    day = course_day(history, date, settings)
    names = roster(history, settings)
    newest = by_recency(history)
    participants = list(newest[0].participants) if newest else []
    return Defaults(
        date=date,
        day=day,
        title=title_for(day, date, settings),
        moderator=next_moderator(history, names),
        participants=participants,
        roster=names,
    )

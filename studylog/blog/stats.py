"""The blog's record over a period: posts and Q&As a week, attendance, rotation, streak, gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from studylog.blog.cache import Row
from studylog.blog.defaults import by_recency, is_course_day, next_moderator, roster
from studylog.config import Settings
from studylog.errors import UsageError

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Week:
    """One calendar week (Monday first) of the period."""

    start: dt.date
    course_days: int
    posts: int
    questions: int

    @property
    def label(self) -> str:
        """The ISO week, e.g. 2021-W33."""
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Person:
    """One person's record: course days present (moderator or participant) and moderations."""

    name: str
    present: int
    course_days: int
    moderated: int

    @property
    def attendance(self) -> float | None:
        """Days present over the period's course days (None when it has none)."""
        return self.present / self.course_days if self.course_days else None


@dataclass(frozen=True)
class Turn:
    """A place in the moderator rotation: who, and when they last moderated (None: never)."""

    name: str
    last_moderated: dt.date | None


@dataclass(frozen=True)
class Streak:
    """A run of consecutive course days that each have a post."""

    days: int
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Stats:
    """Everything `studylog stats` shows; `since`/`until` are None for a blog without posts."""

    since: dt.date | None
    until: dt.date | None
    course_days: int
    days_logged: int
    posts: int
    questions: int
    weeks: list[Week]
    people: list[Person]
    rotation: list[Turn]
    next_moderator: str
    longest_streak: Streak
    gaps: list[dt.date]


def compute(
    history: Sequence[Row],
    settings: Settings,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Stats:
    """The statistics of the readable posts `history` in [since, until] (default: first to
    last post)."""
    dated = sorted(
        ((r.date, r) for r in history if r.date is not None),
        key=lambda pair: (pair[0], pair[1].path),
    )
    turns = rotation(history, roster(history, settings))
    upcoming = next_moderator(history, [t.name for t in turns])
    bounds = period([d for d, _ in dated], since, until)
    if bounds is None:
        return Stats(None, None, 0, 0, 0, 0, [], [], turns, upcoming, Streak(0, None, None), [])
    first, last = bounds
    posts = [(d, s) for d, s in dated if first <= d <= last]
    days = list(course_days(first, last, settings))
    logged = {d for d, _ in posts} & set(days)
    return Stats(
        since=first,
        until=last,
        course_days=len(days),
        days_logged=len(logged),
        posts=len(posts),
        questions=sum(r.questions for _, r in posts),
        weeks=weeks(first, last, days, posts),
        people=people(posts, days, settings),
        rotation=turns,
        next_moderator=upcoming,
        longest_streak=longest_streak(days, logged),
        gaps=[d for d in days if d not in logged],
    )


def period(
    dates: Sequence[dt.date], since: dt.date | None, until: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    """The period: the given bounds, the missing ones from the posts; None when nothing to show."""
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}: swap them")
    first = since or (min(dates) if dates else until)
    last = until or (max(dates) if dates else since)
    if first is None or last is None:
        return None
    if first > last:  # one bound was given, and every post lies beyond it
        first = last = since or last
    return first, last


def course_days(first: dt.date, last: dt.date, settings: Settings) -> Iterator[dt.date]:
    """The course days in [first, last]."""
    day = first
    while day <= last:
        if is_course_day(day, settings):
            yield day
        day += ONE_DAY


def weeks(
    first: dt.date,
    last: dt.date,
    days: Sequence[dt.date],
    posts: Sequence[tuple[dt.date, Row]],
) -> list[Week]:
    """Every calendar week the period touches, empty ones included."""
    found = []
    start = first - dt.timedelta(days=first.weekday())
    while start <= last:
        end = start + dt.timedelta(days=7)
        mine = [s for d, s in posts if start <= d < end]
        found.append(
            Week(
                start,
                sum(1 for d in days if start <= d < end),
                len(mine),
                sum(r.questions for r in mine),
            )
        )
        start = end
    return found


def people(
    posts: Sequence[tuple[dt.date, Row]], days: Sequence[dt.date], settings: Settings
) -> list[Person]:
    """The roster, then everyone in the period's posts in order of first appearance."""
    course = set(days)
    present: dict[str, set[dt.date]] = {name: set() for name in settings.roster}
    moderated: dict[str, int] = {}
    for date, row in posts:
        for name in [row.moderator, *row.participants]:
            if name:
                present.setdefault(name, set())
                if date in course:
                    present[name].add(date)
        if row.moderator:
            moderated[row.moderator] = moderated.get(row.moderator, 0) + 1
    return [
        Person(name, len(dates), len(days), moderated.get(name, 0))
        for name, dates in present.items()
    ]


def rotation(history: Sequence[Row], names: Sequence[str]) -> list[Turn]:
    """The moderator queue, next first: never moderated (in roster order), then least recent."""
    # Ordered as `defaults.next_moderator` orders, so the head is who `new` suggests.
    newest = by_recency(history)
    position: dict[str, int] = {}
    for i, row in enumerate(newest):
        position.setdefault(row.moderator, i)
    never = [Turn(name, None) for name in names if name not in position]
    done = sorted((name for name in names if name in position), key=lambda n: -position[n])
    return never + [Turn(name, newest[position[name]].date) for name in done]


def longest_streak(days: Sequence[dt.date], logged: set[dt.date]) -> Streak:
    """The longest run of consecutive course days with a post (the earliest of equals)."""
    best, run_start, run = Streak(0, None, None), None, 0
    for day in days:
        if day not in logged:
            run_start, run = None, 0
            continue
        run_start, run = run_start or day, run + 1
        if run > best.days:
            best = Streak(run, run_start, day)
    return best


def as_json(stats: Stats) -> dict[str, Any]:
    """The statistics as JSON-ready data, with the keys the README documents."""
    iso = _iso
    streak = stats.longest_streak
    return {
        "since": iso(stats.since),
        "until": iso(stats.until),
        "course_days": stats.course_days,
        "days_logged": stats.days_logged,
        "posts": stats.posts,
        "questions": stats.questions,
        "weeks": [
            {
                "week": w.label,
                "start": iso(w.start),
                "course_days": w.course_days,
                "posts": w.posts,
                "questions": w.questions,
            }
            for w in stats.weeks
        ],
        "people": [
            {
                "name": p.name,
                "present": p.present,
                "course_days": p.course_days,
                "attendance": None if p.attendance is None else round(p.attendance, 4),
                "moderated": p.moderated,
            }
            for p in stats.people
        ],
        "rotation": [
            {"name": t.name, "last_moderated": iso(t.last_moderated)} for t in stats.rotation
        ],
        "next_moderator": stats.next_moderator,
        "longest_streak": {"days": streak.days, "start": iso(streak.start), "end": iso(streak.end)},
        "gaps": [iso(d) for d in stats.gaps],
    }


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None

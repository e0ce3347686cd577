"""Defaults from history: the course day (weekend rule, holidays), participants, rotation."""

from __future__ import annotations

import datetime as dt

import pytest

from studylog.blog.cache import Row
from studylog.blog.defaults import course_day, next_moderator, roster, suggest
from studylog.config import Settings

D = dt.date


def post(date: dt.date, day: int, moderator: str = "", participants: tuple[str, ...] = ()) -> Row:
    return Row(f"_posts/{date}-day{day}.md", date, day, f"Day{day}", moderator, participants)


@pytest.mark.parametrize(
    ("last", "new", "expected"),
    [
        (D(2021, 8, 18), D(2021, 8, 19), 14),  # Wednesday -> Thursday
        (D(2021, 8, 20), D(2021, 8, 23), 14),  # Friday Day13 -> Monday Day14
        (D(2021, 8, 18), D(2021, 8, 18), 13),  # same day
        (D(2021, 8, 18), D(2021, 8, 25), 18),  # a week later: five course days
        (D(2021, 8, 23), D(2021, 8, 20), 12),  # backfilling the Friday before a Monday
    ],
)
def test_course_day_counts_weekdays(last: dt.date, new: dt.date, expected: int) -> None:
    assert course_day([post(last, 13)], new, Settings()) == expected


def test_every_day_course_and_holidays() -> None:
    history = [post(D(2021, 8, 20), 13)]
    assert course_day(history, D(2021, 8, 23), Settings(course_days="every")) == 16
    holiday = Settings(holidays=(D(2021, 8, 23),))
    assert course_day(history, D(2021, 8, 24), holiday) == 14


def test_first_post_is_day_one() -> None:
    assert course_day([], D(2021, 8, 2), Settings()) == 1


def test_roster_is_configured_names_then_recent_ones_by_first_appearance() -> None:
    history = [
        post(D(2021, 8, 18), 13, "이서연", ("김민준", "이서연")),
        post(D(2021, 8, 19), 14, "박지호", ("박지호",)),
    ]
    settings = Settings(roster=("강하린",))
    assert roster(history, settings) == ["강하린", "김민준", "이서연", "박지호"]
    later = [*history, post(D(2021, 8, 20), 15, "박지호", ("박지호", "김민준"))]
    assert roster(later, settings) == roster(history, settings)  # not reshuffled by recency


def test_next_moderator_is_who_moderated_least_recently() -> None:
    history = [
        post(D(2021, 8, 16), 11, "A"),
        post(D(2021, 8, 17), 12, "B"),
        post(D(2021, 8, 18), 13, "C"),
    ]
    assert next_moderator(history, ["A", "B", "C"]) == "A"
    assert next_moderator(history, ["A", "B", "C", "D"]) == "D"  # never moderated comes first


def test_suggest_takes_participants_from_the_latest_post_and_fills_the_title() -> None:
    history = [
        post(D(2021, 8, 17), 12, "A", ("A", "B")),
        post(D(2021, 8, 18), 13, "B", ("A", "B", "C")),
    ]
    found = suggest(history, Settings(), D(2021, 8, 19))
    assert (found.day, found.title) == (14, "[boostcourse] Day14 학습기록")
    assert found.participants == ["A", "B", "C"]
    assert found.moderator == "C"

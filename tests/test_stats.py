"""`studylog stats` over a blog of hand-made posts: three weeks with a holiday, gaps, a Saturday."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog.blog.stats import period
from studylog.cli.app import app
from studylog.cli.display import bar

from .conftest import write_config

DATA = Path(__file__).parent / "data"
D = dt.date
runner = CliRunner()

# date, moderator, participants, questions. Wednesday 2021-08-11 is a holiday; Friday 08-13 and
# Thursday 08-19 have no post; Saturday 08-14 has one (not a course day).
POSTS = [
    (D(2021, 8, 2), "A", "A, B, C", 1),
    (D(2021, 8, 3), "B", "A, B, C", 1),
    (D(2021, 8, 4), "C", "A, B, C", 1),
    (D(2021, 8, 5), "A", "A, B, C", 1),
    (D(2021, 8, 6), "B", "A, B, C", 1),
    (D(2021, 8, 9), "C", "A, B", 2),  # C moderates without being listed: present all the same
    (D(2021, 8, 10), "A", "A", 0),
    (D(2021, 8, 12), "B", "A, B", 1),
    (D(2021, 8, 14), "A", "A, D", 1),
    (D(2021, 8, 16), "A", "A, B", 2),
    (D(2021, 8, 17), "B", "A, B", 2),
    (D(2021, 8, 18), "A", "A", 2),
    (D(2021, 8, 20), "B", "A, B", 3),
]
CONFIG = 'roster = ["A", "B", "C", "D"]\nholidays = [2021-08-11]\n'


def post_text(date: dt.date, moderator: str, participants: str, questions: int) -> str:
    """A post the way the user writes one by hand, mentoring `Q:` lines and all."""
    qas = "\n\n---\n\n".join(f"Q. question {i}?\n\nA. answer {i}" for i in range(questions))
    return f"""---
title: "[boostcourse] {date} 학습기록"
date: {date}
---

## 학습 내용

- topic

<br>

## 피어세션 👨👨👦👦 👨👨👦

모더레이터 : {moderator}

참가자 : {participants}

<br>

### 토의 내용

{qas}

<br>

### 멘토링

#### Q & A

Q: not a peer-session question

A: so not counted

<br>
"""


@pytest.fixture
def study_blog(blog: Path, isolated_home: Path) -> Path:
    """The blog of POSTS, with the roster and the holiday configured."""
    write_config(isolated_home, CONFIG)
    for day, (date, moderator, participants, questions) in enumerate(POSTS, 1):
        path = blog / "_posts" / f"{date}-day{day}.md"
        path.write_text(post_text(date, moderator, participants, questions), "utf-8")
    return blog


def stats(blog: Path, *args: str) -> dict:
    result = runner.invoke(app, ["stats", "--json", "--blog", str(blog), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_stats_of_the_whole_blog(study_blog: Path) -> None:
    data = stats(study_blog)
    assert list(data) == [
        "since",
        "until",
        "course_days",
        "days_logged",
        "posts",
        "questions",
        "weeks",
        "people",
        "rotation",
        "next_moderator",
        "longest_streak",
        "gaps",
    ]
    assert (data["since"], data["until"]) == ("2021-08-02", "2021-08-20")
    assert (data["course_days"], data["days_logged"], data["posts"], data["questions"]) == (
        14,
        12,
        13,
        18,
    )
    assert data["weeks"] == [
        {"week": "2021-W31", "start": "2021-08-02", "course_days": 5, "posts": 5, "questions": 5},
        {"week": "2021-W32", "start": "2021-08-09", "course_days": 4, "posts": 4, "questions": 4},
        {"week": "2021-W33", "start": "2021-08-16", "course_days": 5, "posts": 4, "questions": 9},
    ]
    assert data["gaps"] == ["2021-08-13", "2021-08-19"]
    # The holiday neither breaks the streak nor counts as a gap.
    assert data["longest_streak"] == {"days": 8, "start": "2021-08-02", "end": "2021-08-12"}


def test_attendance_and_moderations(study_blog: Path) -> None:
    people = {p["name"]: p for p in stats(study_blog)["people"]}
    assert list(people) == ["A", "B", "C", "D"]
    assert people["A"] == {
        "name": "A",
        "present": 12,
        "course_days": 14,
        "attendance": 0.8571,
        "moderated": 6,
    }
    assert [(p["present"], p["moderated"]) for p in people.values()] == [
        (12, 6),
        (10, 5),
        (6, 2),
        (0, 0),  # D came only on the Saturday: not a course day
    ]


def test_rotation_and_next_moderator_match_what_new_suggests(study_blog: Path) -> None:
    data = stats(study_blog)
    assert data["rotation"] == [
        {"name": "D", "last_moderated": None},
        {"name": "C", "last_moderated": "2021-08-09"},
        {"name": "A", "last_moderated": "2021-08-18"},
        {"name": "B", "last_moderated": "2021-08-20"},
    ]
    assert data["next_moderator"] == "D"
    entry = study_blog.parent / "entry.yaml"
    entry.write_text("date: 2021-08-23\n", "utf-8")
    result = runner.invoke(app, ["new", "--from", str(entry), "--yes", "--blog", str(study_blog)])
    assert result.exit_code == 0, result.output
    assert "모더레이터 : D\n" in (study_blog / "_posts" / "2021-08-23-day14.md").read_text("utf-8")


def test_a_period(study_blog: Path) -> None:
    data = stats(study_blog, "--since", "2021-08-16", "--until", "2021-08-20")
    assert (data["course_days"], data["days_logged"], data["posts"], data["questions"]) == (
        5,
        4,
        4,
        9,
    )
    assert data["gaps"] == ["2021-08-19"]
    assert data["longest_streak"] == {"days": 3, "start": "2021-08-16", "end": "2021-08-18"}
    assert [(p["name"], p["present"], p["moderated"]) for p in data["people"]] == [
        ("A", 4, 2),
        ("B", 3, 2),
        ("C", 0, 0),
        ("D", 0, 0),
    ]
    assert data["next_moderator"] == "D"  # the rotation is the whole blog's, as `new` sees it


def test_a_period_past_the_last_post_is_all_gaps(study_blog: Path) -> None:
    data = stats(study_blog, "--since", "2021-08-23", "--until", "2021-08-24")
    assert data["posts"] == 0 and data["gaps"] == ["2021-08-23", "2021-08-24"]
    assert data["longest_streak"] == {"days": 0, "start": None, "end": None}


def test_stats_in_the_terminal_tables_and_bars(study_blog: Path) -> None:
    result = runner.invoke(app, ["stats", "--blog", str(study_blog)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "2021-08-02 to 2021-08-20: 14 course days, 12 logged (86%), 13 posts, 18 Q&As",
        "Longest streak: 8 course days in a row (2021-08-02 to 2021-08-12)",
        "Next moderator: D",
    ]
    assert "Gaps (2 course days without a post): 2021-08-13, 2021-08-19" in lines
    week = next(line for line in lines if line.startswith("2021-W33"))
    assert week.split() == ["2021-W33", "2021-08-16", "5", "4", "9", "#" * 16]
    person = next(line for line in lines if line.startswith("B "))
    assert person.split() == ["B", "10/14", "71%", "5", "#" * 14]


def test_an_empty_blog(blog: Path) -> None:
    data = stats(blog)
    assert (data["since"], data["posts"], data["weeks"], data["gaps"]) == (None, 0, [], [])
    result = runner.invoke(app, ["stats", "--blog", str(blog)])
    assert result.exit_code == 0 and result.stdout == "No posts yet. Next moderator: -\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2021-08-20", "--until", "2021-08-02"], "--since 2021-08-20 is after --until"),
        (["--since", "last week"], "--since 'last week' is not a date"),
    ],
)
def test_bad_periods_are_usage_errors(study_blog: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["stats", "--blog", str(study_blog), *args])
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


# --- the pieces ---


def test_the_examples_q_and_as_are_their_discussions(example_blog: Path) -> None:
    weeks = stats(example_blog)["weeks"]
    assert [(w["start"], w["questions"]) for w in weeks] == [("2021-08-16", 2), ("2021-08-23", 1)]


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        (None, None, (D(2021, 8, 2), D(2021, 8, 20))),
        (D(2021, 8, 10), None, (D(2021, 8, 10), D(2021, 8, 20))),
        (None, D(2021, 8, 1), (D(2021, 8, 1), D(2021, 8, 1))),
        (D(2021, 9, 1), None, (D(2021, 9, 1), D(2021, 9, 1))),
    ],
)
def test_period_fills_missing_bounds_from_the_posts(
    since: dt.date | None, until: dt.date | None, expected: tuple[dt.date, dt.date]
) -> None:
    assert period([D(2021, 8, 2), D(2021, 8, 20)], since, until) == expected


def test_period_of_nothing_is_none() -> None:
    assert period([], None, None) is None


@pytest.mark.parametrize(
    ("value", "maximum", "plain", "expected"),
    [
        (5, 5, False, "█" * 20),
        (1, 16, False, "█▎"),
        (1, 1000, False, "▏"),  # never invisible
        (0, 5, False, ""),
        (3, 4, True, "#" * 15),
        (1, 1000, True, "#"),
    ],
)
def test_bars(value: int, maximum: int, plain: bool, expected: str) -> None:
    assert bar(value, maximum, plain=plain) == expected

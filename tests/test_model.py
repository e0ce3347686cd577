"""The entry's validation: what --from may say about dates, and how it must say it."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.config import Settings
from studylog.errors import EntryError
from studylog.post.model import Entry, fields_from_mapping, site_day, stamp_of
from studylog.post.render import render

from .conftest import DATA

KST = dt.timezone(dt.timedelta(hours=9))


def test_a_front_matter_time_with_an_offset_on_the_posts_day_is_kept() -> None:
    fields = fields_from_mapping(
        {"date": "2021-08-18", "front_matter": {"date": "2021-08-18T01:30:00+09:00"}}
    )
    assert fields["front_matter"]["date"] == dt.datetime(2021, 8, 18, 1, 30, tzinfo=KST)
    text = render(Entry(day=13, title="t", **fields), Settings(front_matter="layout: post\n"))
    assert "\ndate: 2021-08-18 01:30:00+09:00\n" in text


def test_the_front_matter_date_gives_the_posts_date_when_date_is_missing() -> None:
    fields = fields_from_mapping({"front_matter": {"date": "2021-08-18"}})
    assert fields["date"] == dt.date(2021, 8, 18)


def test_a_time_with_an_offset_stays_a_time_until_the_sites_timezone_gives_its_day() -> None:
    stamp = dt.datetime(2021, 8, 18, 23, 30, tzinfo=dt.UTC)
    assert fields_from_mapping({"date": "2021-08-18T23:30:00Z"})["date"] == stamp
    assert fields_from_mapping({"date": stamp})["date"] == stamp
    assert fields_from_mapping({"front_matter": {"date": "2021-08-18 23:30:00 Z"}})["date"] == stamp
    with pytest.raises(EntryError, match="field 'date' .2021-08-18 23:30:00. has a time but no"):
        fields_from_mapping({"date": "2021-08-18T23:30:00"})
    with pytest.raises(EntryError, match="is not field 'date'"):
        fields_from_mapping({"date": stamp, "front_matter": {"date": "2021-08-18"}})


@pytest.mark.parametrize(
    ("stamp", "named", "day"),
    [
        ("2021-08-18T23:30:00Z", "2021-08-19", "2021-08-19"),  # Asia/Seoul's day, in the name
        ("2021-08-18T23:30:00Z", "2021-08-18", "2021-08-18"),
        ("2021-08-18T23:30:00Z", "2021-08-25", "2021-08-18"),  # not this time's day anywhere
        ("2021-08-18 23:30:00", "2021-08-19", "2021-08-18"),  # no offset: the site's own time
        ("2021-08-18", "2021-08-19", "2021-08-18"),
    ],
)
def test_site_day_is_the_names_day_when_the_time_can_fall_on_it(
    stamp: str, named: str, day: str
) -> None:
    found = stamp_of(stamp)
    assert found is not None
    assert site_day(found, dt.date.fromisoformat(named)) == dt.date.fromisoformat(day)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"front_matter": {"date": dt.datetime(2021, 8, 18, 10, 0)}},
            "field 'front_matter.date' (2021-08-18 10:00:00) has a time but no UTC offset: add one",
        ),
        (
            {"front_matter": {"date": "2021-08-18T10:00:00"}},
            "field 'front_matter.date' (2021-08-18 10:00:00) has a time but no UTC offset",
        ),
        (
            {"date": "2021-08-18", "front_matter": {"date": "2021-08-19"}},
            "field 'front_matter.date' (2021-08-19) is not the day of field 'date' (2021-08-18)",
        ),
    ],
)
def test_front_matter_dates_that_could_disagree_with_the_file_name_are_refused(
    data: dict, message: str
) -> None:
    with pytest.raises(EntryError) as info:
        fields_from_mapping(data)
    assert info.value.message.startswith(message)


def test_a_time_that_is_not_on_the_posts_day_is_never_written() -> None:
    # A time within a day of it may be the post's day in the site's timezone: `check` decides
    # (tests/test_cli_new.py); one further away never is.
    stamp = dt.datetime(2021, 8, 16, 23, 0, tzinfo=KST)
    entry = Entry(date=dt.date(2021, 8, 18), day=13, title="t", front_matter={"date": stamp})
    assert "\ndate: 2021-08-18\n" in render(entry, Settings(front_matter="layout: post\n"))


def test_a_time_may_fall_on_the_next_or_previous_day_of_field_date() -> None:
    stamp = "2021-08-18T23:30:00+00:00"  # the 19th in Seoul: a draft of such a post reads back
    fields = fields_from_mapping({"date": "2021-08-19", "front_matter": {"date": stamp}})
    assert fields["date"] == dt.date(2021, 8, 19)
    with pytest.raises(EntryError, match="is not the day of field 'date' .2021-08-20."):
        fields_from_mapping({"date": "2021-08-20", "front_matter": {"date": stamp}})


# --- text on the way in: NFC, LF -----------------------------------------------------------

runner = CliRunner()
NAME, WORD = "김민준", "질문"
NFD_NAME, NFD_WORD = (unicodedata.normalize("NFD", s) for s in (NAME, WORD))


def _new_from(blog: Path, fields: dict[str, Any]) -> bytes:
    source = blog.parent / "entry.json"
    source.write_text(json.dumps(fields, ensure_ascii=False), "utf-8")
    made = runner.invoke(app, ["new", "--from", str(source), "--yes", "--blog", str(blog)])
    assert made.exit_code == 0, made.output
    [written] = (blog / "_posts").iterdir()
    return written.read_bytes()


def test_decomposed_korean_in_from_is_written_composed_and_found(blog: Path) -> None:
    assert NFD_NAME != NAME  # the test's input really is decomposed
    data = _new_from(
        blog,
        {
            "date": "2021-08-18",
            "day": 13,
            "title": f"Day13 {NFD_WORD}",
            "topics": [{"label": NFD_WORD}],
            "moderator": NFD_NAME,
            "participants": [NFD_NAME, "Alex"],
            "discussion": [{"question": f"{NFD_WORD}?", "answer": f"{NFD_WORD} 답"}],
            "mentoring": f"- {NFD_WORD}",
        },
    ).decode("utf-8")
    assert unicodedata.is_normalized("NFC", data)
    assert f"모더레이터 : {NAME}\n" in data and f"Q. {WORD}?" in data
    for flag in ("--participant", "--moderator"):
        for name in (NAME, NFD_NAME):
            listed = runner.invoke(app, ["list", flag, name, "--json", "--blog", str(blog)])
            assert listed.exit_code == 0, listed.output
            assert len(json.loads(listed.stdout)) == 1
    for word in (WORD, NFD_WORD):
        found = runner.invoke(app, ["search", word, "--json", "--blog", str(blog)])
        assert found.exit_code == 0, found.output
        assert {h["section"] for h in json.loads(found.stdout)} >= {"question", "answer"}


def test_a_hand_written_decomposed_post_is_read_composed(blog: Path) -> None:
    post = (DATA / "2021-08-18-day13.md").read_text("utf-8")
    (blog / "_posts" / "2021-08-18-day13.md").write_text(
        unicodedata.normalize("NFD", post), "utf-8"
    )
    listed = runner.invoke(app, ["list", "--participant", "박지호", "--json", "--blog", str(blog)])
    assert len(json.loads(listed.stdout)) == 1, listed.output
    shown = runner.invoke(app, ["show", "2021-08-18", "--json", "--blog", str(blog)])
    entry = json.loads(shown.stdout)
    assert entry["moderator"] == "이서연" and "박지호" in entry["participants"]
    found = runner.invoke(app, ["search", "선택 과제", "--json", "--blog", str(blog)])
    assert found.exit_code == 0 and json.loads(found.stdout), found.output


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_carriage_returns_in_from_values_never_reach_the_file(blog: Path, newline: str) -> None:
    answer = newline.join(["첫 줄", "둘째 줄", "", "```", "code", "```"])
    data = _new_from(
        blog,
        {
            "date": "2021-08-18",
            "day": 13,
            "moderator": "이서연",
            "participants": ["이서연"],
            "discussion": [{"question": f"질문{newline}둘째 줄", "answer": answer}],
            "mentoring": f"- a{newline}    - b",
            "extras": {"tail": f"끝{newline}정말"},
        },
    )
    assert b"\r" not in data
    shown = runner.invoke(app, ["show", "2021-08-18", "--json", "--blog", str(blog)])
    entry = json.loads(shown.stdout)
    assert entry["discussion"][0] == {
        "question": "질문\n둘째 줄",
        "answer": "첫 줄\n둘째 줄\n\n```\ncode\n```",
    }
    assert entry["mentoring"] == "- a\n    - b"


def test_a_title_or_name_with_a_carriage_return_is_refused() -> None:
    with pytest.raises(EntryError, match="line break"):
        fields_from_mapping({"title": "Day13\r"})
    with pytest.raises(EntryError, match="line break"):
        fields_from_mapping({"moderator": "이서연\r김민준"})

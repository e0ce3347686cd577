"""The entry's validation: what --from may say about dates, and how it must say it."""

from __future__ import annotations

import datetime as dt

import pytest

from studylog.config import Settings
from studylog.errors import EntryError
from studylog.post.model import Entry, fields_from_mapping
from studylog.post.render import render

KST = dt.timezone(dt.timedelta(hours=9))


def test_a_front_matter_time_with_an_offset_on_the_posts_day_is_kept() -> None:
    fields = fields_from_mapping(
        {"date": "2021-08-18", "front_matter": {"date": "2021-08-18T01:30:00+09:00"}}
    )
    assert fields["front_matter"]["date"] == dt.datetime(2021, 8, 18, 1, 30, tzinfo=KST)
    text = render(Entry(day=13, title="t", **fields), Settings(front_matter="layout: post\n"))
    assert "\ndate: 2021-08-18 01:30:00+09:00\n" in text


def test_the_front_matter_date_gives_the_posts_date_when_date_is_missing() -> None:
    fields = fields_from_mapping({"front_matter": {"date": "2021-08-18T23:00:00+09:00"}})
    assert fields["date"] == dt.date(2021, 8, 18)


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
    stamp = dt.datetime(2021, 8, 17, 23, 0, tzinfo=KST)
    entry = Entry(date=dt.date(2021, 8, 18), day=13, title="t", front_matter={"date": stamp})
    assert "\ndate: 2021-08-18\n" in render(entry, Settings(front_matter="layout: post\n"))

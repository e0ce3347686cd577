"""The shortcuts of `new` render what Jinja2 and ruamel would: the same bytes, for any input.

- the default front matter written directly against ruamel's round trip.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studylog import render
from studylog.config import DEFAULT_FRONT_MATTER


@settings(max_examples=300, deadline=None)
@given(title=st.text(max_size=40), date=st.dates())
def test_default_front_matter_is_ruamels(title: str, date: dt.date) -> None:
    quick = render.default_front_matter(title, date)
    if quick is not None:
        assert quick == render._round_trip(DEFAULT_FRONT_MATTER, {}, title, date)


@pytest.mark.parametrize("title", ["[boostcourse] Day13 학습기록", "", "yes", "a: b", "😀 #1"])
def test_ordinary_titles_take_the_quick_front_matter(title: str) -> None:
    date = dt.date(2021, 8, 18)
    quick = render.default_front_matter(title, date)
    assert quick == render._round_trip(DEFAULT_FRONT_MATTER, {}, title, date)


@pytest.mark.parametrize("title", ['say "hi"', "back\\slash", "tab\there", "\ufeffbom", "x" * 1001])
def test_titles_ruamel_escapes_or_folds_are_left_to_it(title: str) -> None:
    assert render.default_front_matter(title, dt.date(2021, 8, 18)) is None
    front = render.front_matter_yaml(DEFAULT_FRONT_MATTER, {}, title, dt.date(2021, 8, 18))
    assert front == render._round_trip(DEFAULT_FRONT_MATTER, {}, title, dt.date(2021, 8, 18))

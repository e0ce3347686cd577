"""`newpost.compose` and `newpost.write_entry`: the whole `new --yes` path with no terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studylog.blog import newpost
from studylog.config import Settings
from studylog.errors import BlogError

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "2021-08-18-day13.entry.yaml"


def test_a_complete_entry_is_the_given_fields(blog: Path) -> None:
    given = newpost.read_from(str(EXAMPLE))
    entry = newpost.compose(given, blog, Settings())
    defaults = newpost.defaults_for(given, blog, Settings(), complete=False)
    assert entry == newpost.fill(given, defaults)


def test_a_partial_entry_takes_the_defaults_from_history(example_blog: Path) -> None:
    given = {"date": dt.date(2021, 8, 24), "mentoring": "- 멘토링"}
    entry = newpost.compose(given, example_blog, Settings())
    defaults = newpost.defaults_for(given, example_blog, Settings(), complete=False)
    assert entry == newpost.fill(given, defaults)
    assert entry.day == 17 and entry.moderator


def test_write_entry_writes_the_golden_post_and_never_clobbers(blog: Path) -> None:
    entry = newpost.compose(newpost.read_from(str(EXAMPLE)), blog, Settings())
    written = newpost.write_entry(entry, Settings(), blog)
    assert written.path == blog / "_posts" / "2021-08-18-day13.md"
    assert written.path.read_bytes() == (DATA / "2021-08-18-day13.md").read_bytes()
    assert written.backup is None and written.warnings == []
    with pytest.raises(BlogError, match="already exists"):
        newpost.write_entry(entry, Settings(), blog)
    forced = newpost.write_entry(entry, Settings(), blog, force=True)
    assert forced.backup is not None and forced.backup.is_file()


def test_write_entry_warns_of_a_future_date_and_writes_drafts(blog: Path) -> None:
    given = newpost.read_from(str(EXAMPLE))
    future = dt.date.today() + dt.timedelta(days=30)
    entry = newpost.compose({**given, "date": future}, blog, Settings())
    written = newpost.write_entry(entry, Settings(), blog, draft=True)
    assert written.path.parent == blog / "_drafts"
    assert [w for w in written.warnings if "is in the future" in w]

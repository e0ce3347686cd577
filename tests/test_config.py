"""Configuration: defaults when absent, every key documented, errors that name file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studylog.config import FIELDS, KEY_DOCS, Settings, fill_pattern, load_settings
from studylog.errors import ConfigError

from .conftest import write_config


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "none.toml")
    assert settings == Settings() and set(settings.sources.values()) == {"default"}


def test_values_are_read_and_sources_recorded(isolated_home: Path) -> None:
    path = write_config(
        isolated_home,
        'roster = ["김민준"]\nholidays = [2021-08-16, "2021-08-17"]\ncourse_days = "every"\n',
    )
    settings = load_settings()
    assert settings.roster == ("김민준",) and settings.course_days == "every"
    assert settings.holidays == (dt.date(2021, 8, 16), dt.date(2021, 8, 17))
    assert settings.sources["roster"] == str(path) and settings.sources["blog"] == "default"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("roster = = 1", "is not valid TOML: .*line 1"),
        ("nonsense = 1", "unknown key 'nonsense'"),
        ("course_days = 'sometimes'", "'weekdays' or 'every'"),
        ("roster = 'a'", "must be a list of str"),
        ("holidays = ['tomorrow']", "'tomorrow' is not a date"),
        ("title_pattern = 3", "must be a str"),
        ("[headings]\nbogus = 'x'", "unknown heading 'bogus'"),
        ('title_pattern = "{day:%Y}"', r"key 'title_pattern': Invalid format specifier '%Y'"),
        ('slug_pattern = "{date:05d}"', r"key 'slug_pattern': a \{date\} spec is strftime codes"),
        ('title_pattern = "{day:q}"', r"key 'title_pattern': Unknown format code 'q'"),
    ],
)
def test_broken_config_is_an_error_naming_the_file(
    isolated_home: Path, text: str, message: str
) -> None:
    path = write_config(isolated_home, text)
    with pytest.raises(ConfigError, match=message) as info:
        load_settings()
    assert str(path) in info.value.message


def test_every_settings_field_is_documented() -> None:
    assert set(FIELDS) == set(KEY_DOCS)


def test_settings_are_frozen_values() -> None:
    settings = Settings(roster=("a",), sources={"roster": "here"})
    assert settings == Settings(roster=("a",)) != Settings()  # sources do not count
    assert settings.headings == Settings().headings and settings.headings is not Settings().headings
    with pytest.raises(AttributeError):
        settings.roster = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(settings)
    assert repr(Settings()).startswith("Settings(blog=None, template='default', ")


def test_patterns_take_date_formats_and_day_specs(isolated_home: Path) -> None:
    write_config(
        isolated_home,
        'title_pattern = "{date:%Y} Day{day:02d}"\nslug_pattern = "{date:%m}-d{day}"\n',
    )
    settings = load_settings()
    assert fill_pattern(settings.title_pattern, 7, dt.date(2021, 8, 18)) == "2021 Day07"
    assert fill_pattern(settings.slug_pattern, 7, dt.date(2021, 8, 18)) == "08-d7"
    assert fill_pattern("day{day}-{date}", 7, dt.date(2021, 8, 18)) == "day7-2021-08-18"

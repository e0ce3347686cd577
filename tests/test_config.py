"""Configuration: defaults when absent, every key documented, errors that name file and line."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.config import (
    FIELDS,
    KEY_DOCS,
    Settings,
    fill_pattern,
    load_settings,
    settings_from_text,
)
from studylog.config_write import with_value
from studylog.errors import ConfigError

from .conftest import write_config

runner = CliRunner()


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


COMMENTED = '# my settings\ntemplate = "en"  # English headings\n\n[headings]\ntopics = "Notes"\n'


@pytest.mark.parametrize(
    ("value", "roster"),
    [
        ("김민준, 이서연", ["김민준", "이서연"]),
        ('["김민준", "이서연"]', ["김민준", "이서연"]),
        ("김민준", ["김민준"]),
    ],
)
def test_setting_the_roster_keeps_comments_and_layout(value: str, roster: list[str]) -> None:
    text = with_value(COMMENTED, "roster", value, Path("config.toml"))
    assert text.startswith('# my settings\ntemplate = "en"  # English headings\n')
    assert text.endswith('\n[headings]\ntopics = "Notes"\n')
    assert settings_from_text(text, Path("config.toml")).roster == tuple(roster)


def test_set_values_are_typed_as_the_key_wants() -> None:
    text = with_value("", "holidays", "2021-09-20, 2021-09-21", Path("c.toml"))
    assert "holidays = [2021-09-20, 2021-09-21]" in text
    assert with_value("", "editor", "code --wait", Path("c.toml")) == 'editor = "code --wait"\n'
    assert with_value("", "footer", '"quoted"', Path("c.toml")) == 'footer = "quoted"\n'
    headings = with_value("", "headings", '{ topics = "Notes" }', Path("c.toml"))
    assert settings_from_text(headings, Path("c.toml")).headings["topics"] == "Notes"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("nope", "1", "unknown key 'nope'"),
        ("course_days", "sometimes", "key 'course_days' must be 'weekdays' or 'every'"),
        ("holidays", "someday", "key 'holidays': 'someday' is not a date"),
        ("title_pattern", "Day{week}", "key 'title_pattern': {week} is not a placeholder"),
        ("headings", "Notes", "key 'headings' takes a TOML table"),
    ],
)
def test_a_bad_key_or_value_is_refused_naming_it(key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        with_value(COMMENTED, key, value, Path("config.toml"))


def test_config_shows_toml_the_file_once_and_the_blog_in_use(
    isolated_home: Path, blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(isolated_home, f'roster = ["김민준"]\nblog = "{blog}"\n')
    monkeypatch.chdir(isolated_home)
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.count(str(path)) == 1 and f"# config file: {path} (exists)" in result.stdout
    )
    assert f"# blog in use: {blog} (from the 'blog' config key)" in result.stdout
    assert 'roster = ["김민준"]  # from the config file' in result.stdout
    assert "holidays = []  # default" in result.stdout and "('" not in result.stdout
    body = "\n".join(x for x in result.stdout.splitlines() if not x.startswith("#"))
    assert tomllib.loads(body)["roster"] == ["김민준"]  # what is shown is TOML


def test_config_says_when_the_file_does_not_exist(tmp_path: Path) -> None:
    result = runner.invoke(app, ["config"])
    assert "(does not exist: every value is a default)" in result.stdout
    assert "# blog is not set  # default" in result.stdout


def test_config_set_writes_the_key_and_a_bad_one_leaves_the_file(isolated_home: Path) -> None:
    path = write_config(isolated_home, COMMENTED)
    result = runner.invoke(app, ["config", "set", "roster", "김민준, 이서연"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f'roster = ["김민준", "이서연"]  # set in {path}\n'
    assert (
        load_settings().roster == ("김민준", "이서연") and "# English headings" in path.read_text()
    )
    before = path.read_bytes()
    for key, value in (("nope", "x"), ("course_days", "sometimes")):
        bad = runner.invoke(app, ["config", "set", key, value])
        assert bad.exit_code == 1 and f"'{key}'" in bad.output and "Traceback" not in bad.output
        assert len(bad.output.strip().splitlines()) == 1
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def fake_editor(tmp_path: Path, text: str) -> str:
    """An editor command that replaces the file it is given with `text`."""
    source = tmp_path / "edited.toml"
    source.write_text(text, encoding="utf-8")
    return f"cp {source}"


def test_config_edit_saves_a_good_result(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(isolated_home, COMMENTED)
    monkeypatch.setenv("VISUAL", fake_editor(tmp_path, 'roster = ["a"]\n' + COMMENTED))
    result = runner.invoke(app, ["config", "edit"])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == 'roster = ["a"]\n' + COMMENTED


@pytest.mark.parametrize("broken", ['roster = "a"\n', "roster = [\n", "nope = 1\n"])
def test_config_edit_keeps_the_file_when_the_result_is_broken(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    path = write_config(isolated_home, COMMENTED)
    monkeypatch.setenv("VISUAL", fake_editor(tmp_path, broken))
    result = runner.invoke(app, ["config", "edit"])
    assert result.exit_code == 1 and "is unchanged; your text is kept in" in result.output
    assert path.read_text(encoding="utf-8") == COMMENTED
    kept = Path(result.output.split("your text is kept in ")[1].split()[0].rstrip("."))
    assert kept.read_text(encoding="utf-8") == broken


def test_patterns_take_date_formats_and_day_specs(isolated_home: Path) -> None:
    write_config(
        isolated_home,
        'title_pattern = "{date:%Y} Day{day:02d}"\nslug_pattern = "{date:%m}-d{day}"\n',
    )
    settings = load_settings()
    assert fill_pattern(settings.title_pattern, 7, dt.date(2021, 8, 18)) == "2021 Day07"
    assert fill_pattern(settings.slug_pattern, 7, dt.date(2021, 8, 18)) == "08-d7"
    assert fill_pattern("day{day}-{date}", 7, dt.date(2021, 8, 18)) == "day7-2021-08-18"

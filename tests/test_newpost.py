"""`newpost.compose` and `newpost.write_entry`: the whole `new --yes` path with no terminal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from studylog.blog import newpost
from studylog.cli.app import app
from studylog.config import Settings
from studylog.errors import BlogError

from .conftest import write_config

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


def new(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["new", *args])


def from_file(tmp_path: Path, **fields: object) -> str:
    """A --from file: the example entry with `fields` replaced."""
    data = {**yaml.safe_load(EXAMPLE.read_text("utf-8")), **fields}
    path = tmp_path / "entry.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), "utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("config", "name"),
    [
        ("theme: minima\ntimezone: Asia/Seoul\n", "2021-08-19-day13.md"),  # 08:30 on the 19th
        ("theme: minima\n", "2021-08-18-day13.md"),  # no timezone: UTC, as GitHub Pages
    ],
)
def test_a_date_with_a_time_keeps_it_and_names_the_post_by_the_sites_day(
    blog: Path, tmp_path: Path, config: str, name: str
) -> None:
    (blog / "_config.yml").write_text(config, "utf-8")
    result = new(
        "--from", from_file(tmp_path, date="2021-08-18T23:30:00Z"), "--yes", "--blog", str(blog)
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (blog / "_posts").iterdir()] == [name]
    text = (blog / "_posts" / name).read_text("utf-8")
    assert f"\ndate: 2021-08-18 23:30:00+00:00\nlast_modified_at: {name[:10]}\n" in text
    assert 'toc_label: "Label"\n' in text  # the configured front matter, as for a plain date
    listed = CliRunner().invoke(app, ["list", "--json", "--blog", str(blog)])
    assert json.loads(listed.output)[0]["date"] == name[:10]
    checked = CliRunner().invoke(app, ["check", "--blog", str(blog)])
    assert checked.exit_code == 0 and "no problems" in checked.output


def test_a_date_with_a_time_but_no_offset_is_refused(blog: Path, tmp_path: Path) -> None:
    result = new(
        "--from", from_file(tmp_path, date="2021-08-18T23:30:00"), "--yes", "--blog", str(blog)
    )
    assert result.exit_code == 1 and not list((blog / "_posts").iterdir())
    assert result.stderr.startswith(
        "error: field 'date' (2021-08-18 23:30:00) has a time but no UTC offset: add one ("
    )
    assert "Traceback" not in result.output


def test_patterns_with_format_specs_name_and_title_the_post(blog: Path, tmp_path: Path) -> None:
    write_config(
        Path(),
        'title_pattern = "{date:%Y.%m} Day{day:03d}"\nslug_pattern = "m{date:%m}-{day:02d}"\n',
    )
    source = from_file(tmp_path, day=7)
    data = json.loads(Path(source).read_text("utf-8"))
    del data["title"]
    Path(source).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    result = new("--from", source, "--yes", "--blog", str(blog))
    assert result.exit_code == 0, result.output
    text = (blog / "_posts" / "2021-08-18-m08-07.md").read_text("utf-8")
    assert '\ntitle: "2021.08 Day007"\n' in text


def test_a_bad_format_spec_in_a_pattern_is_a_config_error(blog: Path, tmp_path: Path) -> None:
    config = write_config(Path(), 'title_pattern = "Day{day:%Y}"\n')
    result = new("--from", from_file(tmp_path), "--yes", "--blog", str(blog))
    assert result.exit_code == 1 and not list((blog / "_posts").iterdir())
    assert result.stderr.startswith(
        f"error: config file {config}: key 'title_pattern': Invalid format specifier '%Y' for "
        "object of type 'int'; write {day} specs like {day:02d} and {date} specs like {date:%Y-%m}"
    )

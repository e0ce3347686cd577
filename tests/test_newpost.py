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
from .test_pty_new import DONE, ENTER, Session

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


def _entry_file(tmp_path: Path, **fields: object) -> Path:
    """The example entry with `fields` replaced, as a --from file."""
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    source = tmp_path / "entry.yaml"
    source.write_text(yaml.safe_dump({**data, **fields}, allow_unicode=True), "utf-8")
    return source


def test_new_copies_image_files_named_in_from_into_the_blog(
    blog: Path, tmp_path: Path, isolated_home: Path
) -> None:
    shot = tmp_path / "Pictures" / "shot 1.png"
    shot.parent.mkdir()
    shot.write_bytes(b"\x89PNG screenshot")
    question = f"왜 그런가요?\n\n'{shot}'"  # as dragged into the terminal
    discussion = [{"question": question, "answer": f"![graph]({shot})"}]
    write_config(isolated_home, 'image_dir = "assets/shots/{date}"\n')
    source = _entry_file(tmp_path, discussion=discussion)
    result = CliRunner().invoke(app, ["new", "--from", str(source), "--yes", "--blog", str(blog)])
    assert result.exit_code == 0, result.output
    copied = blog / "assets" / "shots" / "2021-08-18" / "shot-1.png"
    assert copied.read_bytes() == shot.read_bytes()
    post = (blog / "_posts" / "2021-08-18-day13.md").read_text("utf-8")
    url = "/assets/shots/2021-08-18/shot-1.png"
    assert f"왜 그런가요?\n\n![]({url})" in post and f"![graph]({url})" in post
    assert str(shot) not in post


def test_a_post_that_is_not_written_copies_no_image(blog: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG")
    (blog / "_posts" / "2021-08-18-day13.md").write_text("taken", "utf-8")
    source = _entry_file(tmp_path, mentoring=f"- {shot}")
    result = CliRunner().invoke(app, ["new", "--from", str(source), "--yes", "--blog", str(blog)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert not (blog / "assets").exists()


def test_edit_copies_an_image_file_added_to_a_post(example_blog: Path, tmp_path: Path) -> None:
    shot = tmp_path / "diagram.png"
    shot.write_bytes(b"\x89PNG diagram")
    source = tmp_path / "fields.yaml"
    source.write_text(f"mentoring: |-\n  - 구조도\n      - {shot}\n", "utf-8")
    args = ["edit", "13", "--from", str(source), "--yes", "--blog", str(example_blog)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (example_blog / "assets" / "images" / "2021-08-18" / "diagram.png").is_file()
    post = (example_blog / "_posts" / "2021-08-18-day13.md").read_text("utf-8")
    assert "- 구조도\n    - ![](/assets/images/2021-08-18/diagram.png)" in post


def test_a_path_dragged_into_an_answer_at_the_prompt_is_copied(
    example_blog: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "Pictures" / "Screenshot from 2021-08-24 10-00-00.png"
    shot.parent.mkdir()
    shot.write_bytes(b"\x89PNG screenshot")
    flags = ["--date", "2021-08-24", "--day", "17", "--title", "T", "--moderator", "김민준"]
    session = Session(example_blog, *flags, "--participant", "김민준")
    session.answer(
        ("Study topic", ENTER),
        ("Question", "무엇이 보이나요?" + DONE),
        ("Answer", f"이 그림:\r'{shot}' " + DONE),  # as a terminal types a dropped file
        ("Question", ENTER),
        ("Mentoring", DONE),
        ("Write", "y"),
    )
    session.child.expect_exact("Wrote")
    assert session.finish() == 0
    name = "Screenshot-from-2021-08-24-10-00-00.png"
    assert (example_blog / "assets" / "images" / "2021-08-24" / name).is_file()
    post = (example_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert f"이 그림:\n![](/assets/images/2021-08-24/{name}) \n" in post

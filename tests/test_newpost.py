"""`newpost.compose` and `newpost.write_entry`: the whole `new --yes` path with no terminal."""

from __future__ import annotations

import datetime as dt
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
        ("Question", "무엇이 보이나요?" + ENTER),
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

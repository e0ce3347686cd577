"""`studylog new` without a terminal: --from, --yes and flags write exactly the user's post."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from studylog.cli.app import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def new(*args: str, input: str | None = None):
    return runner.invoke(app, ["new", *args], input=input)


def test_new_from_the_day13_entry_writes_the_example_byte_for_byte(blog: Path) -> None:
    result = new("--from", str(DATA / "2021-08-18-day13.entry.yaml"), "--yes", "--blog", str(blog))
    assert result.exit_code == 0, result.output
    written = blog / "_posts" / "2021-08-18-day13.md"
    assert written.read_bytes() == (DATA / "2021-08-18-day13.md").read_bytes()
    assert "Wrote" in result.output


def test_new_from_json_on_stdin(blog: Path) -> None:
    data = yaml.safe_load((DATA / "2021-08-18-day13.entry.yaml").read_text("utf-8"))
    data["date"] = "2021-08-18"
    result = new(
        "--from", "-", "--yes", "--blog", str(blog), input=json.dumps(data, ensure_ascii=False)
    )
    assert result.exit_code == 0, result.output
    assert (blog / "_posts" / "2021-08-18-day13.md").read_bytes() == (
        DATA / "2021-08-18-day13.md"
    ).read_bytes()


def test_missing_fields_take_the_defaults_from_history(example_blog: Path) -> None:
    entry = example_blog / "entry.yaml"
    entry.write_text("date: 2021-08-24\ntopics: [{label: CNN}]\n", "utf-8")
    result = new("--from", str(entry), "--yes", "--blog", str(example_blog))
    assert result.exit_code == 0, result.output
    text = (example_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert 'title: "[boostcourse] Day17 학습기록"' in text
    assert "참가자 : 김민준, 이서연, 박지호, 최수아, 정도윤, 강하린" in text
    assert "모더레이터 : 김민준" in text  # never moderated in these two posts, first in the roster


def test_flags_fill_gaps_and_win_over_the_file(blog: Path) -> None:
    result = new(
        "--from",
        str(DATA / "2021-08-18-day13.entry.yaml"),
        "--yes",
        "--blog",
        str(blog),
        "--moderator",
        "강하린",
        "--participant",
        "강하린",
        "--participant",
        "김민준",
        "--day",
        "20",
    )
    assert result.exit_code == 0, result.output
    text = (blog / "_posts" / "2021-08-18-day20.md").read_text("utf-8")
    assert "모더레이터 : 강하린" in text and "참가자 : 강하린, 김민준" in text
    assert (
        "Day13 학습기록" in text
    )  # the file's title is kept: flags fill gaps, --title replaces it


def test_an_existing_post_is_never_overwritten_without_force(blog: Path) -> None:
    args = ("--from", str(DATA / "2021-08-18-day13.entry.yaml"), "--yes", "--blog", str(blog))
    assert new(*args).exit_code == 0
    post = blog / "_posts" / "2021-08-18-day13.md"
    post.write_text("hand edited\n", "utf-8")
    again = new(*args)
    assert again.exit_code == 1 and "already exists: use --force" in again.output
    assert post.read_text("utf-8") == "hand edited\n"
    forced = new(*args, "--force")
    assert forced.exit_code == 0 and "the old version is kept at" in forced.output
    assert post.read_bytes() == (DATA / "2021-08-18-day13.md").read_bytes()


def test_draft_goes_to_drafts(blog: Path) -> None:
    result = new(
        "--from", str(DATA / "2021-08-18-day13.entry.yaml"), "--yes", "--draft", "--blog", str(blog)
    )
    assert result.exit_code == 0, result.output
    assert (blog / "_drafts" / "day13.md").is_file() and not list((blog / "_posts").iterdir())


def test_no_terminal_and_missing_values_is_a_clear_usage_error(blog: Path) -> None:
    result = new("--blog", str(blog))
    assert result.exit_code == 2
    assert "no terminal to ask for" in result.output and "--from" in result.output
    assert not list((blog / "_posts").iterdir())


def test_bad_from_file_names_the_problem(blog: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("date: 2021-13-45\n", "utf-8")
    result = new("--from", str(bad), "--yes", "--blog", str(blog))
    assert (
        result.exit_code == 1 and "field 'date'" in result.output and "YYYY-MM-DD" in result.output
    )
    assert "Traceback" not in result.output


def test_a_date_in_the_future_is_written_with_a_warning(blog: Path) -> None:
    import datetime as dt

    future = dt.date.today() + dt.timedelta(days=30)
    entry = DATA / "2021-08-18-day13.entry.yaml"
    result = new("--from", str(entry), "--yes", "--date", future.isoformat(), "--blog", str(blog))
    assert result.exit_code == 0, result.output
    assert f"warning: {future} is in the future" in result.stderr
    assert (blog / "_posts" / f"{future}-day13.md").is_file()


def test_a_time_that_jekyll_files_on_another_day_is_not_written(blog: Path) -> None:
    data = yaml.safe_load((DATA / "2021-08-18-day13.entry.yaml").read_text("utf-8"))
    data["front_matter"] = {"title": "", "date": "2021-08-18T01:00:00+09:00"}
    entry = blog / "entry.json"
    entry.write_text(json.dumps(data, default=str), "utf-8")
    refused = new("--from", str(entry), "--yes", "--blog", str(blog))
    assert refused.exit_code == 1 and not list((blog / "_posts").iterdir())
    assert refused.stderr == (
        "error: 2021-08-18-day13.md would not build right (the date 2021-08-18 01:00:00+09:00 "
        "falls on 2021-08-17 in the site's timezone (UTC: _config.yml sets no timezone, and "
        "GitHub Pages builds in UTC), not on 2021-08-18 as the name says: set 'timezone' in "
        "_config.yml or write the date without a time); nothing was written\n"
    )
    (blog / "_config.yml").write_text("theme: minima\ntimezone: Asia/Seoul\n", "utf-8")
    written = new("--from", str(entry), "--yes", "--blog", str(blog))
    assert written.exit_code == 0, written.output
    text = (blog / "_posts" / "2021-08-18-day13.md").read_text("utf-8")
    assert "\ndate: 2021-08-18 01:00:00+09:00\n" in text


def test_a_blog_path_that_looks_like_markup_is_printed_as_it_is(tmp_path: Path) -> None:
    site = tmp_path / "[red]blog[/]"
    (site / "_posts").mkdir(parents=True)
    result = new("--from", str(DATA / "2021-08-18-day13.entry.yaml"), "--yes", "--blog", str(site))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {site / '_posts' / '2021-08-18-day13.md'}\n"


def test_preview_shows_the_markdown_as_written_and_the_front_matter_on_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from studylog.cli.session import preview

    text = "---\ntitle: Day1\ntags:\n  - a\n  - b\ndate: 2021-08-18\n---\n\n## 학습 내용\n"
    text += "\nQ. 왜?\n\nA.\n설명\n\n![shot](/assets/x.png)\n\n<br>\n"
    preview(text)
    shown = capsys.readouterr().out
    assert shown == (
        "---  title: Day1 · tags: a, b · date: 2021-08-18  ---\n"
        "## 학습 내용\n\nQ. 왜?\n\nA.\n설명\n\n![shot](/assets/x.png)\n\n<br>\n"
    )


def test_preview_folds_a_long_front_matter_into_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.console import Console

    from studylog.cli import session

    terminal = Console(width=80, height=200, force_terminal=True, color_system=None)
    monkeypatch.setattr(session, "rich_console", lambda: terminal)  # an 80-column terminal
    session.preview((DATA / "2021-08-18-day13.md").read_text("utf-8"))
    first, second, *rest = capsys.readouterr().out.splitlines()
    assert first.startswith('---  defaults: … · title: "[boostcourse] Day13 학습기록" · ')
    assert first.endswith("…")  # cut at the terminal's edge
    assert second == "## 학습 내용"
    assert '<img src="https://img.shields.io/badge/-Transformer-red"/>' in "".join(rest)

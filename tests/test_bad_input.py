"""Bad input, through the real CLI: one line naming the field and the fix, exit 1 (2 for usage),
nothing written, never a traceback; an internal bug is a short message and a saved traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog.cli import app as cli

from .conftest import DATA, write_config

runner = CliRunner()
ENTRY = DATA / "2021-08-18-day13.entry.yaml"

# (id, --from text, exit code, the exact message after "error: "); {src} is the --from file.
FROM_CASES = [
    (
        "missing label",
        "topics: [{url: 'https://x.io'}]",
        1,
        "field 'topics', item 1: the label is missing; give 'label: TEXT'",
    ),
    (
        "missing question",
        "discussion: [{answer: a}]",
        1,
        "field 'discussion', item 1: the question is empty; give 'question: TEXT'",
    ),
    (
        "missing moderator",
        "date: 2021-08-18\n",
        1,
        "no moderator: pass --moderator NAME (or 'moderator' in --from)",
    ),
    (
        "day not a number",
        "day: thirteen",
        1,
        "field 'day': 'thirteen' is not a course day; give a whole number",
    ),
    ("negative day", "day: -1", 1, "field 'day': -1 is not a course day; give a whole number"),
    ("title a number", "title: 3", 1, "field 'title' must be text, not int: put it in quotes"),
    (
        "participants not a list",
        "participants: 김민준",
        1,
        "field 'participants' must be a list of names, like [김민준, 이서연]",
    ),
    (
        "mentoring a list",
        "mentoring: [a, b]",
        1,
        "field 'mentoring' must be text, not list: put it in quotes",
    ),
    (
        "front matter not a mapping",
        "front_matter: 3",
        1,
        "field 'front_matter' must be a mapping of 'key: value' lines",
    ),
    (
        "unknown extras slot",
        "extras: {middle: x}",
        1,
        "field 'extras': unknown slot 'middle' (head, topics, peer, discussion, mentoring, tail, "
        "footer)",
    ),
    (
        "unknown field",
        "nonsense: 1",
        1,
        "unknown field 'nonsense': the fields are date, day, title, topics, moderator, "
        "participants, discussion, mentoring, front_matter, extras",
    ),
    (
        "malformed YAML",
        "date: [2021",
        1,
        "--from {src} is not valid YAML or JSON (line 1: expected ',' or ']', but got "
        "'<stream end>'): fix the file",
    ),
    (
        "malformed JSON",
        '{"date": "2021-08-18" "day": 13}',
        1,
        "--from {src} is not valid YAML or JSON (line 1, column 23: Expecting ',' delimiter): "
        "fix the file",
    ),
    ("empty file", "", 1, "--from {src} is empty: write the entry's fields in it"),
    (
        "a list, not fields",
        "- date: 2021-08-18",
        1,
        "--from {src} holds a list, not the entry's fields: write 'field: value' lines",
    ),
    (
        "impossible date",
        "date: 2021-02-30",
        1,
        "field 'date': 2021-02-30 does not exist; give a real date (YYYY-MM-DD)",
    ),
    (
        "impossible month",
        "date: 2021-13-45",
        1,
        "field 'date': 2021-13-45 does not exist; give a real date (YYYY-MM-DD)",
    ),
    (
        "date a number",
        "date: 20210818",
        1,
        "field 'date': 20210818 is not a date; write it as YYYY-MM-DD",
    ),
    (
        "name with a line break",
        'moderator: "a\\nb"',
        1,
        "field 'moderator' 'a\\nb' holds a line break: a name is one line",
    ),
    (
        "name with a comma",
        "participants: ['a, b']",
        1,
        "field 'participants': name 'a, b' holds a comma: participants are comma-separated",
    ),
    (
        "title with a NUL",
        'title: "a\\0b"',
        1,
        "field 'title' holds the control character U+0000: remove it",
    ),
    (
        "naive front matter time",
        "front_matter: {date: 2021-08-18 10:00:00}",
        1,
        "field 'front_matter.date' (2021-08-18 10:00:00) has a time but no UTC offset: add one "
        "({offset}) or write only the date",
    ),
    (
        "front matter on another day",
        "date: 2021-08-18\nfront_matter: {date: 2021-08-19}",
        1,
        "field 'front_matter.date' (2021-08-19) is not the day of field 'date' (2021-08-18): "
        "make them the same day",
    ),
]


def ids(cases: list[tuple]) -> list[str]:
    return [case[0] for case in cases]


def run_new(*args: str, input: str | None = None):
    return runner.invoke(cli.app, ["new", *args], input=input)


def assert_refused(result, code: int, message: str, blog: Path) -> None:
    assert (result.exit_code, result.stderr) == (code, f"error: {message}\n")
    assert result.stdout == "" and "Traceback" not in result.output
    assert not [p for p in blog.rglob("*.md")], "nothing may be written"


@pytest.mark.parametrize(("name", "text", "code", "message"), FROM_CASES, ids=ids(FROM_CASES))
def test_bad_from_files(
    blog: Path, tmp_path: Path, name: str, text: str, code: int, message: str
) -> None:
    import datetime as dt

    source = tmp_path / "entry.yaml"
    source.write_text(text, "utf-8")
    offset = dt.datetime(2021, 8, 18, 10).astimezone().isoformat(" ")
    result = run_new("--from", str(source), "--yes", "--blog", str(blog))
    assert_refused(result, code, message.format(src=source, offset=offset), blog)


# (id, arguments after `new`, exit code, message); {blog}, {entry}, {tmp} are filled in.
ARG_CASES = [
    (
        "no --from file",
        ["--from", "{tmp}/none.yaml", "--yes"],
        1,
        "cannot read --from {tmp}/none.yaml: No such file or directory; check the path",
    ),
    (
        "--from a folder",
        ["--from", "{tmp}", "--yes"],
        1,
        "cannot read --from {tmp}: Is a directory; check the path",
    ),
    (
        "file name that looks like markup",
        ["--from", "{tmp}/[/]x[red].yaml", "--yes"],
        1,
        "cannot read --from {tmp}/[/]x[red].yaml: No such file or directory; check the path",
    ),
    (
        "bad --date",
        ["--from", "{entry}", "--yes", "--date", "someday"],
        2,
        "--date 'someday' is not a date: use YYYY-MM-DD, today or yesterday",
    ),
    (
        "--title on two lines",
        ["--from", "{entry}", "--yes", "--title", "a\nb"],
        2,
        "--title holds a line break: it must be one line",
    ),
    (
        "--moderator on two lines",
        ["--from", "{entry}", "--yes", "--moderator", "a\nb"],
        2,
        "--moderator 'a\\nb' holds a line break: a name is one line",
    ),
    (
        "empty --participant",
        ["--from", "{entry}", "--yes", "-p", " "],
        2,
        "--participant is empty: give a name",
    ),
    (
        "no terminal, fields missing",
        [],
        2,
        "no terminal to ask for date, day, title, topics, moderator, participants, discussion, "
        "mentoring: pass them with --from FILE or flags, or add --yes to take the defaults",
    ),
]


@pytest.mark.parametrize(("name", "args", "code", "message"), ARG_CASES, ids=ids(ARG_CASES))
def test_bad_arguments(
    blog: Path, tmp_path: Path, name: str, args: list[str], code: int, message: str
) -> None:
    fill = {"blog": blog, "entry": ENTRY, "tmp": tmp_path}
    result = run_new(*[a.format(**fill) for a in args], "--blog", str(blog))
    assert_refused(result, code, message.format(**fill), blog)


def test_a_bad_value_for_a_typed_option_is_clicks_usage_error(blog: Path) -> None:
    result = run_new("--from", str(ENTRY), "--yes", "--day", "abc", "--blog", str(blog))
    assert result.exit_code == 2 and "Invalid value for '--day'" in result.output
    assert "Traceback" not in result.output and not list((blog / "_posts").iterdir())


# (id, config.toml text, message); {config} is the file.
CONFIG_CASES = [
    (
        "not TOML",
        "roster = = 1",
        "config file {config} is not valid TOML: Invalid value (at line 1, column 10); "
        "fix or remove it",
    ),
    ("not UTF-8", b"\xff", "config file {config} is not UTF-8 text: save it as UTF-8"),
    (
        "unknown placeholder",
        'title_pattern = "Day{bogus}"',
        "config file {config}: key 'title_pattern': {{bogus}} is not a placeholder "
        "(use {{day}}, {{date}})",
    ),
    (
        "unbalanced brace",
        'slug_pattern = "day{day"',
        "config file {config}: key 'slug_pattern': expected '}}' before end of string; "
        "write {{{{ and }}}} for a literal brace",
    ),
    (
        "holiday with a time",
        "holidays = [2021-08-16T10:00:00]",
        "config file {config}: key 'holidays': 2021-08-16 10:00:00 has a time; "
        "write only the date (YYYY-MM-DD)",
    ),
    (
        "front matter not YAML",
        "front_matter = 'a: [x'",
        "the 'front_matter' config key is not valid YAML (line 1: expected ',' or ']', but got "
        "'<stream end>'): fix it",
    ),
    (
        "blog missing",
        "blog = '/nonexistent/blog'",
        "blog directory /nonexistent/blog (from the 'blog' config key) does not exist: create it "
        "or fix the 'blog' config key",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), CONFIG_CASES, ids=ids(CONFIG_CASES))
def test_a_broken_config_file(
    blog: Path, isolated_home: Path, name: str, text: str | bytes, message: str
) -> None:
    config = write_config(isolated_home, "")
    config.write_bytes(text if isinstance(text, bytes) else text.encode())
    # without --blog, so that the 'blog' key is used; the cwd is no Jekyll site
    args = ["--from", str(ENTRY), "--yes"] + (
        [] if "blog =" in str(text) else ["--blog", str(blog)]
    )
    result = run_new(*args)
    assert_refused(result, 1, message.format(config=config), blog)


def test_a_blog_that_is_not_a_jekyll_site(tmp_path: Path) -> None:
    result = run_new("--from", str(ENTRY), "--yes", "--blog", str(tmp_path))
    assert_refused(
        result,
        1,
        f"{tmp_path} (from --blog) is not a Jekyll site (no _config.yml or _posts/): "
        "point it at your blog's root",
        tmp_path,
    )


def test_a_blog_that_is_a_file(blog: Path) -> None:
    result = run_new("--from", str(ENTRY), "--yes", "--blog", str(ENTRY))
    message = f"{ENTRY} (from --blog) is a file, not a directory: give the blog's folder"
    assert_refused(result, 1, message, blog)


def test_an_unreadable_blog_directory(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access
    # root reads everything, so unreadability is simulated where studylog asks for it
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != blog and real_access(p, mode))
    monkeypatch.setenv("STUDYLOG_BLOG", str(blog))
    result = runner.invoke(cli.app, ["check"])
    message = f"blog directory {blog} (from $STUDYLOG_BLOG) is not readable: check its permissions"
    assert (result.exit_code, result.stderr) == (1, f"error: {message}\n")
    by_option = runner.invoke(cli.app, ["check", "--blog", str(blog)])  # click checks it first
    assert by_option.exit_code == 2 and "is not readable" in by_option.output


def test_posts_that_is_a_file_is_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text("title: t\n", "utf-8")
    (site / "_posts").write_text("", "utf-8")
    result = run_new("--from", str(ENTRY), "--yes", "--blog", str(site))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {site / '_posts'} is a file, not a folder: move it away\n",
    )


def studylog(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `studylog` script, in its own process."""
    script = Path(sys.executable).with_name("studylog")
    return subprocess.run(
        [str(script), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--from", "{tmp}/entry.yaml", "--yes"], 1, "error: field 'day': 'thirteen' is not"),
        (["--date", "someday", "--yes"], 2, "error: --date 'someday' is not a date"),
        (["--day", "abc", "--yes"], 2, "Invalid value for '--day'"),
    ],
)
def test_the_installed_command_shows_no_traceback(
    blog: Path, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    (tmp_path / "entry.yaml").write_text("day: thirteen\n", "utf-8")
    done = studylog("new", *[a.format(tmp=tmp_path) for a in args], "--blog", str(blog))
    assert done.returncode == code and message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout and done.stdout == ""


def test_the_installed_command_with_a_broken_config(blog: Path, isolated_home: Path) -> None:
    config = write_config(isolated_home, "roster = = 1\n")
    done = studylog("check", "--blog", str(blog))
    assert done.returncode == 1 and done.stderr.startswith(f"error: config file {config} ")
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


def test_an_internal_bug_is_a_short_message_and_a_saved_traceback(
    blog: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from studylog.blog import newpost

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(newpost, "read_from", broken)
    monkeypatch.setattr(sys, "argv", ["studylog", "new", "--from", str(ENTRY), "--blog", str(blog)])
    with pytest.raises(SystemExit) as exit_info:
        cli.run()
    assert exit_info.value.code == 70
    err = capsys.readouterr().err
    [log] = (isolated_home / "state").glob("crash-*.log")
    assert err == (
        f"internal error in studylog (RuntimeError('simulated bug')); the full traceback is in "
        f"{log}\n"
    )
    saved = log.read_text("utf-8")
    assert saved.startswith("Traceback") and "RuntimeError: simulated bug" in saved
    assert "Traceback" not in err


@pytest.mark.parametrize("errno_", [13, 30, 28])
def test_posts_that_cannot_be_written_is_one_clean_line(
    blog: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch, errno_: int
) -> None:
    import tempfile

    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno_, os.strerror(errno_))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    result = run_new("--from", str(ENTRY), "--yes", "--blog", str(blog))
    post = blog / "_posts" / "2021-08-18-day13.md"
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: cannot write {post}: {os.strerror(errno_)}")
    assert result.stderr.endswith("; nothing was changed\n") and result.stderr.count("\n") == 1
    assert not list((isolated_home / "state").glob("crash-*.log"))


def test_a_markdown_twin_is_refused_as_the_same_post(blog: Path) -> None:
    twin = blog / "_posts" / "2021-08-18-day13.markdown"
    twin.write_text("---\ntitle: mine\n---\nhand-written\n", "utf-8")
    result = run_new("--from", str(ENTRY), "--yes", "--blog", str(blog))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {twin} already exists: use --force to replace it (a backup is kept)\n",
    )
    assert [p.name for p in (blog / "_posts").iterdir()] == [twin.name]


def test_a_linked_posts_folder_is_refused_by_new_list_and_show(
    blog: Path, tmp_path: Path, isolated_home: Path
) -> None:
    outside = tmp_path / "elsewhere"
    (blog / "_posts").rename(outside)
    (blog / "_posts").symlink_to(outside)
    message = f"error: {blog / '_posts'} is a symbolic link (to {outside}): GitHub Pages"
    for args in (["new", "--from", str(ENTRY), "--yes"], ["list"], ["show", "13"]):
        result = runner.invoke(cli.app, [*args, "--blog", str(blog)])
        assert result.exit_code == 1 and result.stderr.startswith(message), args
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert list(outside.iterdir()) == []
    assert not list((isolated_home / "state").glob("crash-*.log"))


def test_list_and_show_read_the_names_jekyll_reads_and_only_those(example_blog: Path) -> None:
    posts = example_blog / "_posts"
    day13 = (posts / "2021-08-18-day13.md").read_bytes()
    (posts / "2021-08-18-day13.md").rename(posts / "2021-08-18-day13.MD")
    (posts / "2021-08-23-day16.md").rename(posts / "2021-08-23-day16.mkd")
    (posts / ".2021-08-12-day9.md").write_bytes(day13.replace(b"day13", b"day9"))
    (posts / "_2021-08-13-day10.md").write_bytes(day13)
    (posts / "2021-08-14-day11.md").symlink_to(posts / "2021-08-18-day13.MD")
    listed = runner.invoke(cli.app, ["list", "--json", "--blog", str(example_blog)])
    assert listed.exit_code == 0, listed.output
    assert [row["path"] for row in json.loads(listed.stdout)] == [
        "_posts/2021-08-23-day16.mkd",
        "_posts/2021-08-18-day13.MD",
    ]
    shown = runner.invoke(cli.app, ["show", "13", "--blog", str(example_blog)])
    assert shown.exit_code == 0 and "2021-08-18" in shown.stdout
    named = str(posts / "2021-08-14-day11.md")
    link = runner.invoke(cli.app, ["show", named, "--blog", str(example_blog)])
    assert link.exit_code == 1 and link.stderr.startswith(f"error: {posts}/2021-08-14-day11.md is")

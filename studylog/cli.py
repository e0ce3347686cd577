"""The command line: one thin function per command; the only place that prints errors and exits."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
import typer.core

from studylog.errors import StudylogError, UsageError


class _Group(typer.core.TyperGroup):
    """Turns StudylogError into one red line on stderr and its exit code, for every command."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except StudylogError as exc:
            _console(stderr=True).print(f"[red]error:[/] {exc.message}", soft_wrap=True)
            ctx.exit(exc.exit_code)


app = typer.Typer(
    name="studylog",
    cls=_Group,
    help="Write, list and publish the daily study-log posts of a Jekyll blog.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)

BlogOption = Annotated[
    Path | None,
    typer.Option(
        "--blog", help="The blog directory (default: $STUDYLOG_BLOG, cwd, config, built-in)."
    ),
]


def _version(value: bool) -> None:
    if value:
        from studylog import __version__

        typer.echo(f"studylog {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Write, list and publish the daily study-log posts of a Jekyll blog."""


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _settings():
    from studylog.config import load_settings

    return load_settings()


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@app.command()
def new(
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from", help="Read the entry's fields from a YAML or JSON file ('-': stdin)."
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Ask nothing: take defaults for missing fields, write."),
    ] = False,
    date: Annotated[
        str | None, typer.Option(help="The post's date: YYYY-MM-DD, today, yesterday.")
    ] = None,
    day: Annotated[
        int | None, typer.Option(help="The course day (default: counted from history).")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The title (default: the title pattern).")
    ] = None,
    moderator: Annotated[str | None, typer.Option(help="The peer session's moderator.")] = None,
    participant: Annotated[
        list[str] | None, typer.Option("--participant", "-p", help="A participant (repeat).")
    ] = None,
    draft: Annotated[
        bool, typer.Option("--draft", help="Write to _drafts/ instead of _posts/.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing post (a backup is kept).")
    ] = False,
    blog: BlogOption = None,
) -> None:
    """Write the day's post: ask for the record (defaults from history), preview, write."""
    from studylog import newpost
    from studylog.blog import resolve_blog
    from studylog.model import check_name, parse_date

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    given = newpost.read_from(from_file) if from_file else {}
    flags = {
        "date": parse_date(date) if date else None,
        "day": day,
        "title": title,
        "moderator": check_name(moderator, "--moderator") if moderator is not None else None,
        "participants": [check_name(p, "--participant") for p in participant]
        if participant
        else None,
    }
    given.update({k: v for k, v in flags.items() if v is not None})
    defaults = newpost.defaults_for(given, blog_dir, settings)
    if not yes and newpost.missing(given):
        if not _interactive():
            fields = ", ".join(newpost.missing(given))
            raise UsageError(
                f"no terminal to ask for {fields}: pass them with --from FILE or flags, "
                "or add --yes to take the defaults"
            )
        from studylog import prompts

        given = prompts.collect(given, defaults, settings)
    entry = newpost.fill(given, defaults)
    _write_entry(
        entry, settings, blog_dir, draft=draft, force=force, confirm=not yes and _interactive()
    )


def _write_entry(
    entry, settings, blog_dir: Path, *, draft: bool, force: bool, confirm: bool
) -> None:
    from studylog import newpost
    from studylog.render import render

    text = render(entry, settings)
    path = newpost.target(blog_dir, entry, settings, draft=draft)
    if confirm:
        from studylog import prompts

        _preview(text)
        if not prompts.confirm(f"Write {path}?"):
            raise StudylogError("not written: nothing was changed")
    backup = newpost.write(path, text, force=force)
    err = _console(stderr=True)
    if warning := newpost.future_warning(entry):
        err.print(f"[yellow]warning:[/] {warning}")
    if backup:
        err.print(f"replaced {path}; the old version is kept at {backup}")
    _console().print(f"Wrote {path}")


def _preview(text: str) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel

    body = text.split("\n---\n", 1)[-1]
    _console().print(Panel(Markdown(body), title="preview"))


@app.command("config")
def config_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    path: Annotated[
        bool, typer.Option("--path", help="Print only the config file's path.")
    ] = False,
) -> None:
    """Show the effective configuration and where each value came from."""
    from studylog import paths
    from studylog.config import effective

    if path:
        typer.echo(str(paths.config_file()))
        return
    rows = effective(_settings())
    if as_json:
        import json

        data = {key: {"value": _plain(value), "source": source} for key, value, source in rows}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title=f"studylog config ({paths.config_file()})")
    for column in ("key", "value", "source"):
        table.add_column(column)
    for key, value, source in rows:
        table.add_row(key, str(_plain(value)), source)
    _console().print(table)


# --- reader: list, show, search ---

LIST_COLUMNS = ["date", "day", "title", "moderator", "participants", "Q&As", "state"]


def _day_option(value: str | None, flag: str):
    if value is None:
        return None
    from studylog.errors import EntryError
    from studylog.model import parse_date

    try:
        return parse_date(value)
    except EntryError as exc:
        raise UsageError(f"{flag}: {exc.message}") from exc


def _color() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


@app.command("list")
def list_cmd(
    since: Annotated[
        str | None, typer.Option(help="Only posts on or after this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only posts on or before this date (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=0, help="At most this many posts (the newest).")
    ] = None,
    moderator: Annotated[str | None, typer.Option(help="Only posts this person moderated.")] = None,
    participant: Annotated[
        str | None, typer.Option(help="Only posts this person took part in.")
    ] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include _drafts/.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a listed post cannot be read.")
    ] = False,
    blog: BlogOption = None,
) -> None:
    """List the posts, newest first: date, day, title, moderator, participants, Q&As, git state."""
    from studylog import index, states
    from studylog.blog import resolve_blog
    from studylog.errors import BlogError

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    filters = index.Filters(
        _day_option(since, "--since"), _day_option(until, "--until"), moderator, participant, limit
    )
    rows = index.select(index.summaries(blog_dir, settings, drafts=drafts), filters)
    git = states.query(blog_dir)
    listed = [index.row(r, blog_dir, git.state(index.relative(r.path, blog_dir))) for r in rows]
    if as_json:
        import json

        typer.echo(json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        _print_list(listed, blog_dir)
    broken = sum(1 for r in listed if "error" in r)
    if strict and broken:
        raise BlogError(f"{broken} of the listed posts cannot be read (their rows say why)")


def _print_list(listed: list[dict], blog_dir: Path) -> None:
    import shutil

    from studylog.columns import layout

    if not listed:
        _console(stderr=True).print(f"no posts in {blog_dir}", soft_wrap=True)
        return
    cells = [_list_cells(r) for r in listed]
    width = shutil.get_terminal_size(fallback=(1_000_000, 24)).columns  # a pipe: no cutting
    lines = layout(LIST_COLUMNS, cells, width=width, right={1, 4, 5}, flex=2)
    if _color():
        lines[2:] = [
            typer.style(x, fg="red") if "error" in r else x
            for x, r in zip(lines[2:], listed, strict=True)
        ]
    typer.echo("\n".join(lines))


def _list_cells(r: dict) -> list[str]:
    if "error" in r:
        from studylog.blog import date_from_name

        date = date_from_name(Path(r["path"]))
        return [date.isoformat() if date else "", "", f"{r['path']}: {r['error']}"]
    day = "" if r["day"] is None else str(r["day"])
    count = str(len(r["participants"]))
    return [
        r["date"],
        day,
        r["title"],
        r["moderator"],
        count,
        str(r["questions"]),
        r["state"] or "",
    ]


@app.command()
def show(
    post: Annotated[
        str, typer.Argument(help="The post: a path, a date (YYYY-MM-DD) or a day (13).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the entry as JSON (what `new --from` reads).")
    ] = False,
    raw: Annotated[bool, typer.Option("--raw", help="Print the file as it is.")] = False,
    blog: BlogOption = None,
) -> None:
    """Show a post: its front matter on top, then its body as Markdown."""
    from studylog.blog import find_post, resolve_blog
    from studylog.parse import read_post

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    path = find_post(blog_dir, post)
    if raw:
        typer.echo(path.read_bytes(), nl=False)
        return
    entry = read_post(path, settings)
    if as_json:
        import json

        typer.echo(json.dumps(entry.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    _print_post(entry, path, blog_dir)


def _print_post(entry, path: Path, blog_dir: Path) -> None:
    from rich.markdown import Markdown
    from rich.table import Table
    from rich.text import Text

    from studylog.parse import display_body, read_text, split_front

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    shown = path.relative_to(blog_dir) if path.is_relative_to(blog_dir) else path
    summary.add_row("file", Text(str(shown)))
    for key, value in entry.front_matter.items():
        if key != "defaults":
            summary.add_row(Text(str(key)), Text(_front_value(value)))
    console = _console()
    console.print(summary)
    console.rule()
    console.print(Markdown(display_body(split_front(read_text(path), path)[1])))


def _front_value(value) -> str:
    import datetime as dt

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_front_value(v) for v in value) or "[]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What to find (case-insensitive).")],
    regex: Annotated[
        bool, typer.Option("--regex", help="TEXT is a regular expression (Python syntax).")
    ] = False,
    drafts: Annotated[bool, typer.Option("--drafts", help="Search _drafts/ too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of hits.")] = False,
    blog: BlogOption = None,
) -> None:
    """Find TEXT in the questions, answers, mentoring and topics of every post."""
    from studylog import search as finder
    from studylog.blog import resolve_blog

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    pattern = finder.compile_pattern(text, regex=regex)
    hits, errors = finder.find(blog_dir, settings, pattern, regex=regex, drafts=drafts)
    if errors:
        _console(stderr=True).print(
            f"[yellow]warning:[/] skipped {len(errors)} unreadable "
            f"post{'s' if len(errors) > 1 else ''} (`studylog list` shows why)",
            soft_wrap=True,
        )
    if as_json:
        import json

        data = [_hit_dict(h, blog_dir) for h in hits]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_hits(hits)


def _hit_dict(hit, blog_dir: Path) -> dict:
    return {
        "path": hit.path.relative_to(blog_dir).as_posix(),
        "date": hit.date.isoformat(),
        "day": hit.day,
        "section": hit.section,
        "number": hit.number,
        "line": hit.line,
        "spans": [list(s) for s in hit.spans],
    }


def _print_hits(hits) -> None:
    from rich.text import Text

    console = _console()
    if not hits:
        _console(stderr=True).print("no match")
        return
    for hit in hits:
        where = hit.section + (f" {hit.number}" if hit.number else "")
        line = Text(f"{hit.date}  Day {hit.day}  {where}: ", style="dim")
        found = Text(hit.line)
        for start, end in hit.spans:
            found.stylize("bold reverse", start, end)
        console.print(line + found, soft_wrap=True)


# --- publish ---


# --- check ---


# --- stats, edit, template ---


def _plain(value):
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return value


def run() -> None:
    """Run the app; an internal bug becomes a short message and a crash log, not a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        _console(stderr=True).print("[red]interrupted[/]")
        sys.exit(130)
    except Exception:  # an internal bug: short message, full traceback in a file
        sys.exit(_crash_report())


def _crash_report() -> int:
    import datetime as dt
    import traceback

    from studylog import paths

    log = paths.state_dir() / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"the full traceback is in {log}"
    except OSError:
        where = "the traceback could not be saved"
    _console(stderr=True).print(
        f"[red]internal error in studylog[/] ({sys.exc_info()[1]!r}); {where}"
    )
    return 70

"""`studylog list`, `show` and `search`: the blog read back."""

from __future__ import annotations

import sys
from pathlib import Path

from studylog.commands import date_option, load_settings
from studylog.output import rich_console, style, write

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from studylog import index

LIST_COLUMNS = ["date", "day", "title", "moderator", "participants", "Q&As", "state"]


def list_posts(
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    moderator: str | None = None,
    participant: str | None = None,
    drafts: bool = False,
    as_json: bool = False,
    strict: bool = False,
    blog: Path | None = None,
) -> None:
    """List the posts, newest first: date, day, title, moderator, participants, Q&As, git state."""
    from studylog import index, states
    from studylog.blog import resolve_blog
    from studylog.errors import BlogError

    settings = load_settings()
    blog_dir = resolve_blog(blog, settings.blog)
    filters = index.Filters(
        date_option(since, "--since"),
        date_option(until, "--until"),
        moderator,
        participant,
        limit,
    )
    rows = index.select(index.rows(blog_dir, settings, drafts=drafts), filters)
    git = states.query(blog_dir)
    found = [git.state(r.rel) for r in rows]
    if as_json:
        import json

        listed = [index.row(r, state) for r, state in zip(rows, found, strict=True)]
        write(json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        _print_list(rows, found, blog_dir)
    broken = sum(1 for r in rows if r.error)
    if strict and broken:
        raise BlogError(f"{broken} of the listed posts cannot be read (their rows say why)")


def _color() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _print_list(rows: list[index.Row], found: list[str | None], blog_dir: Path) -> None:
    import shutil

    from studylog.columns import layout

    if not rows:
        rich_console(stderr=True).print(f"no posts in {blog_dir}", soft_wrap=True)
        return
    cells = [_list_cells(r, state) for r, state in zip(rows, found, strict=True)]
    width = shutil.get_terminal_size(fallback=(1_000_000, 24)).columns  # a pipe: no cutting
    lines = layout(LIST_COLUMNS, cells, width=width, right={1, 4, 5}, flex=2)
    if _color():
        lines[2:] = [
            style(x, "red") if r.error else x for x, r in zip(lines[2:], rows, strict=True)
        ]
    write("\n".join(lines))


def _list_cells(r: index.Row, state: str | None) -> list[str]:
    if r.error:  # dated by its file name, as an unreadable post's row is
        return [r.iso, "", f"{r.rel}: {r.error}"]
    return [
        r.iso,
        "" if r.day is None else str(r.day),
        r.title,
        r.moderator,
        str(len(r.participants)),
        str(r.questions),
        state or "",
    ]


def show(post: str, as_json: bool = False, raw: bool = False, blog: Path | None = None) -> None:
    """Show a post: its front matter on top, then its body as Markdown."""
    from studylog.blog import find_post, resolve_blog
    from studylog.parse import read_post

    settings = load_settings()
    blog_dir = resolve_blog(blog, settings.blog)
    path = find_post(blog_dir, post)
    if raw:
        write(path.read_bytes(), nl=False)
        return
    entry = read_post(path, settings)
    if as_json:
        import json

        write(json.dumps(entry.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    _print_post(entry, path, blog_dir)


def _print_post(entry, path: Path, blog_dir: Path) -> None:
    from rich.markdown import Markdown
    from rich.table import Table

    from studylog.display import row
    from studylog.parse import display_body, read_text, split_front

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    shown = path.relative_to(blog_dir) if path.is_relative_to(blog_dir) else path
    summary.add_row(*row("file", shown))
    for key, value in entry.front_matter.items():
        if key != "defaults":
            summary.add_row(*row(key, _front_value(value)))
    console = rich_console()
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


def search(
    text: str,
    regex: bool = False,
    drafts: bool = False,
    as_json: bool = False,
    blog: Path | None = None,
) -> None:
    """Find TEXT in the questions, answers, mentoring and topics of every post."""
    from studylog import search as finder
    from studylog.blog import resolve_blog
    from studylog.display import count

    settings = load_settings()
    blog_dir = resolve_blog(blog, settings.blog)
    pattern = finder.compile_pattern(text, regex=regex)
    hits, errors = finder.find(blog_dir, settings, pattern, regex=regex, drafts=drafts)
    if errors:
        rich_console(stderr=True).print(
            f"[yellow]warning:[/] skipped {count(len(errors), 'unreadable post')} "
            "(`studylog list` shows why)",
            soft_wrap=True,
        )
    if as_json:
        import json

        data = [finder.hit_dict(h, blog_dir) for h in hits]
        write(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_hits(hits)


def _print_hits(hits) -> None:
    from rich.text import Text

    console = rich_console()
    if not hits:
        rich_console(stderr=True).print("no match")
        return
    for hit in hits:
        where = hit.section + (f" {hit.number}" if hit.number else "")
        line = Text(f"{hit.date}  Day {hit.day}  {where}: ", style="dim")
        found = Text(hit.line)
        for start, end in hit.spans:
            found.stylize("bold reverse", start, end)
        console.print(line + found, soft_wrap=True)

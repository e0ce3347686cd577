"""`studylog list`, `show` and `search`: the blog read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from studylog.blog import search as finder
from studylog.blog.cache import Filters
from studylog.blog.search import Hit
from studylog.blog.site import find_post
from studylog.cli import listing
from studylog.cli.commands import blog_in_use, date_option, load_settings
from studylog.cli.console import rich_console
from studylog.cli.display import count, row
from studylog.cli.output import Exit, echo, write
from studylog.errors import BlogError
from studylog.post.model import Entry
from studylog.post.parse import display_body, read_post, read_text, split_front


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
    settings = load_settings()
    blog_dir = blog_in_use(blog, settings)
    filters = Filters(
        date_option(since, "--since"),
        date_option(until, "--until"),
        moderator,
        participant,
        limit,
    )
    shown = listing.listing(
        blog_dir, settings, filters, drafts=drafts, as_json=as_json, color=listing.wants_color()
    )
    write(shown.out, nl=False)
    if shown.err:
        write(shown.err, err=True, nl=False)
    if strict and shown.broken:
        raise BlogError(f"{shown.broken} of the listed posts cannot be read (their rows say why)")


def show(post: str, as_json: bool = False, raw: bool = False, blog: Path | None = None) -> None:
    """Show a post: its front matter on top, then its body as Markdown."""
    settings = load_settings()
    blog_dir = blog_in_use(blog, settings)
    path = find_post(blog_dir, post)
    if raw:
        write(path.read_bytes(), nl=False)
        return
    entry = read_post(path, settings)
    if as_json:
        write(json.dumps(entry.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    _print_post(entry, path, blog_dir)


def _print_post(entry: Entry, path: Path, blog_dir: Path) -> None:
    """The front matter as `key  value` lines, then the body: drawn on a terminal, piped as text."""
    shown = path.relative_to(blog_dir) if path.is_relative_to(blog_dir) else path
    fields = [("file", str(shown))]
    fields += [(k, _front_value(v)) for k, v in entry.front_matter.items() if k != "defaults"]
    body = display_body(split_front(read_text(path), path)[1])
    console = rich_console()
    if not console.is_terminal:  # no bullets or rules drawn: the Markdown as it is
        width = max(len(key) for key, _ in fields)
        lines = [f"{key.ljust(width)}  {value}".rstrip() for key, value in fields]
        write("\n".join(lines) + "\n\n" + body.strip("\n"))
        return
    # markdown-it (under rich.markdown) serves `show` alone: loaded here, not by every command.
    from rich.markdown import Markdown

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    for key, value in fields:
        summary.add_row(*row(key, value))
    console.print(summary)
    console.rule()
    console.print(Markdown(body))


def _front_value(value: object) -> str:
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
    settings = load_settings()
    blog_dir = blog_in_use(blog, settings)
    pattern = finder.compile_pattern(text, regex=regex)
    hits, errors = finder.find(blog_dir, settings, pattern, drafts=drafts)
    if errors:
        rich_console(stderr=True).print(
            f"[yellow]warning:[/] skipped {count(len(errors), 'unreadable post')} "
            "(`studylog list` shows why)",
            soft_wrap=True,
        )
    if as_json:
        data = [finder.hit_dict(h) for h in hits]
        write(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_hits(hits)
    if not hits:  # as grep: no match is exit 1
        where = f"the posts{' and drafts' if drafts else ''} of {blog_dir}"
        echo(f"no match for {text!r} in {where}", err=True)
        raise Exit(1)


def _print_hits(hits: list[Hit], console: Console | None = None) -> None:
    """A line a hit: date, day and section dimmed, the matches in bold reverse on a terminal."""
    console = console or rich_console()
    if not hits:
        return
    lines = [(_hit_head(hit), hit.line) for hit in hits]
    if not console.is_terminal and all(h.isprintable() and x.isprintable() for h, x in lines):
        # What rich prints off a terminal for printable text, without rendering it line by line
        # (seconds for thousands of hits); tabs and control characters are left to rich.
        write("\n".join(head + line for head, line in lines))
        return
    shown = Text()  # printed once: rich lays out each print on its own
    for i, (hit, (head, line)) in enumerate(zip(hits, lines, strict=True)):
        found = Text(line)
        for start, end in hit.spans:
            found.stylize("bold reverse", start, end)
        if i:
            shown.append("\n")
        shown.append_text(Text(head, style="dim") + found)  # the line dim, as its head
    console.print(shown, soft_wrap=True)


def _hit_head(hit: Hit) -> str:
    where = hit.section + (f" {hit.number}" if hit.number else "")
    return f"{hit.date}  Day {hit.day}  {where}: "

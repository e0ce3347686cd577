"""`studylog show`: one post, its front matter on top, then its body as Markdown."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rich.table import Table

from studylog.blog.site import find_post
from studylog.cli.commands import blog_in_use, load_settings
from studylog.cli.console import rich_console
from studylog.cli.display import row
from studylog.cli.output import write
from studylog.post.model import Entry
from studylog.post.parse import display_body, read_post, read_text, split_front


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

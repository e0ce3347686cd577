"""`studylog list`: the posts, newest first, as a table or JSON, from the cached rows and git
(which runs in the background while the posts are scanned)."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studylog.blog import cache
from studylog.blog.cache import Filters, Row
from studylog.cli import output
from studylog.cli.columns import layout
from studylog.cli.commands import blog_in_use, date_option, load_settings
from studylog.config import Settings
from studylog.errors import BlogError
from studylog.git import states

HEADERS = ["date", "day", "title", "moderator", "participants", "Q&As", "state"]
RIGHT = {1, 4, 5}  # right-aligned: day, participants, Q&As
FLEX = 2  # the title is cut to fit the terminal
RED, PLAIN = "\x1b[31m", "\x1b[0m"  # click.style(text, fg="red")
NO_WIDTH = 1_000_000  # no terminal (a pipe): nothing is cut


@dataclass(frozen=True)
class Listing:
    """What `list` prints: `out` on stdout, `err` on stderr (either may be empty); `broken`: how
    many listed posts cannot be read (`--strict` fails then)."""

    out: str
    err: str = ""
    broken: int = 0


def listing(
    blog: Path,
    settings: Settings,
    filters: Filters,
    *,
    drafts: bool = False,
    as_json: bool = False,
    color: bool = False,
    width: int | None = None,
    rule: bool | None = None,
) -> Listing:
    """The posts, newest first, as `list` prints them: a table (`width`: the terminal's columns,
    by default as `shutil.get_terminal_size` finds them; `color`: unreadable rows in red) or,
    `as_json`, a JSON array. `rule`: a line of `─` under the header (default: on a terminal)."""
    git = states.start(blog)
    every = cache.rows(blog, settings, drafts=drafts)
    rows = cache.select(every, filters)
    known = git.result()
    found = [known.state(r.path) for r in rows]
    broken = sum(1 for r in rows if r.error)
    if as_json:
        listed = [json_row(r, state) for r, state in zip(rows, found, strict=True)]
        return Listing(json.dumps(listed, ensure_ascii=False, indent=2) + "\n", "", broken)
    if not rows:
        return Listing("", nothing_listed(blog, len(every), filters) + "\n")
    lines = table_lines(rows, found, terminal_width() if width is None else width, color=color)
    if not (sys.stdout.isatty() if rule is None else rule):
        del lines[1]  # piped: no line of box characters
    return Listing("\n".join(lines) + "\n", "", broken)


def nothing_listed(blog: Path, total: int, filters: Filters) -> str:
    """Why the list is empty: the filters that left nothing out of how many posts, or none."""
    if not total:
        return f"no posts in {blog}: `studylog new` writes the first"
    posts = f"{total} post{'' if total == 1 else 's'}"
    return f"no posts match {' '.join(filter_flags(filters))} ({posts} in {blog})"


def filter_flags(filters: Filters) -> list[str]:
    """The filters as the options that set them: `--moderator 홍길동`, `--limit 0`."""
    flags = []
    for name in ("since", "until", "moderator", "participant", "limit"):
        value = getattr(filters, name)
        if value is not None:
            flags.append(f"--{name} {value}")
    return flags


def table_lines(
    rows: list[Row], found: list[str | None], width: int, *, color: bool = False
) -> list[str]:
    """The table's lines: header, rule, one line a row (red when unreadable, with `color`)."""
    cells = [list_cells(r, state) for r, state in zip(rows, found, strict=True)]
    lines = layout(HEADERS, cells, width=width, right=RIGHT, flex=FLEX)
    if color:
        lines[2:] = [
            f"{RED}{x}{PLAIN}" if r.error else x for x, r in zip(lines[2:], rows, strict=True)
        ]
    return lines


def list_cells(r: Row, state: str | None) -> list[str]:
    """A row's cells; an unreadable post's ends in one that says why (dated by its file name)."""
    date = r.date.isoformat() if r.date else ""
    if r.error:
        return [date, "", f"{r.path}: {r.error}"]
    day = r.day
    return [
        date,
        "" if day is None else str(day),
        r.title,
        r.moderator,
        str(len(r.participants)),
        str(r.questions),
        state or "",
    ]


def json_row(r: Row, state: str | None) -> dict[str, Any]:
    """A row as `list --json` prints it; an unreadable post has `path`, `error` and `state`."""
    if r.error:
        return {"path": r.path, "error": r.error, "state": state}
    return {
        "path": r.path,
        "date": r.date.isoformat() if r.date else None,
        "day": r.day,
        "title": r.title,
        "moderator": r.moderator,
        "participants": list(r.participants),
        "questions": r.questions,
        "state": state,
    }


def terminal_width() -> int:
    """`shutil.get_terminal_size(fallback=(NO_WIDTH, 24)).columns`: a pipe cuts nothing."""
    return output.terminal_width(NO_WIDTH)


def wants_color() -> bool:
    """Whether `list` colours its output: stdout a terminal, no $NO_COLOR, not TERM=dumb."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


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
    shown = listing(
        blog_dir, settings, filters, drafts=drafts, as_json=as_json, color=wants_color()
    )
    output.write(shown.out, nl=False)
    if shown.err:
        output.write(shown.err, err=True, nl=False)
    if strict and shown.broken:
        raise BlogError(f"{shown.broken} of the listed posts cannot be read (their rows say why)")

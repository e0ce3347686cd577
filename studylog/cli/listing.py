"""What `studylog list` prints, without the command framework: a table or JSON, from the post
index and git.

git runs in the background while the posts are scanned and their cached rows loaded; the table
is laid out a column at a time and the JSON written from templates (json.dumps with `indent` runs
its encoder in Python, 20 times slower than the C one).
"""

from __future__ import annotations

import os
import sys

from studylog.blog import index
from studylog.cli import output
from studylog.cli.columns import layout
from studylog.git import states

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from studylog.config import Settings

HEADERS = ["date", "day", "title", "moderator", "participants", "Q&As", "state"]
RIGHT = {1, 4, 5}  # right-aligned: day, participants, Q&As
FLEX = 2  # the title is cut to fit the terminal
RED, PLAIN = "\x1b[31m", "\x1b[0m"  # click.style(text, fg="red")
NO_WIDTH = 1_000_000  # no terminal (a pipe): nothing is cut


class Listing:
    """What `list` prints: `out` on stdout, `err` on stderr (either may be empty); `broken`: how
    many listed posts cannot be read (`--strict` fails then)."""

    __slots__ = ("out", "err", "broken")

    def __init__(self, out: str, err: str = "", broken: int = 0) -> None:
        self.out = out
        self.err = err
        self.broken = broken

    def __repr__(self) -> str:
        return f"Listing(out={len(self.out)} chars, err={self.err!r}, broken={self.broken})"


def listing(
    blog: Path,
    settings: Settings,
    filters: index.Filters,
    *,
    drafts: bool = False,
    as_json: bool = False,
    color: bool = False,
    width: int | None = None,
) -> Listing:
    """The posts, newest first, as `list` prints them: a table (`width`: the terminal's columns,
    by default as `shutil.get_terminal_size` finds them; `color`: unreadable rows in red) or,
    `as_json`, a JSON array."""
    git = states.start(blog)
    rows = index.select(index.rows(blog, settings, drafts=drafts, before_read=git.wait), filters)
    known = git.result()
    found = [known.state(r.rel) for r in rows]
    broken = sum(1 for r in rows if r.error)
    if as_json:
        return Listing(json_text(rows, found) + "\n", "", broken)
    if not rows:
        return Listing("", f"no posts in {blog}\n")
    lines = table_lines(rows, found, terminal_width() if width is None else width, color=color)
    return Listing("\n".join(lines) + "\n", "", broken)


def table_lines(
    rows: list[index.Row], found: list[str | None], width: int, *, color: bool = False
) -> list[str]:
    """The table's lines: header, rule, one line a row (red when unreadable, with `color`)."""
    cells = [list_cells(r, state) for r, state in zip(rows, found, strict=True)]
    lines = layout(HEADERS, cells, width=width, right=RIGHT, flex=FLEX)
    if color:
        lines[2:] = [
            f"{RED}{x}{PLAIN}" if r.error else x for x, r in zip(lines[2:], rows, strict=True)
        ]
    return lines


def list_cells(r: index.Row, state: str | None) -> list[str]:
    """A row's cells; an unreadable post's ends in one that says why (dated by its file name)."""
    if r.error:
        return [r.iso, "", f"{r.rel}: {r.error}"]
    day = r.day
    return [
        r.iso,
        "" if day is None else str(day),
        r.title,
        r.moderator,
        str(len(r.participants)),
        str(r.questions),
        state or "",
    ]


def json_text(rows: list[index.Row], found: list[str | None]) -> str:
    """`json.dumps([index.row(r, state) ...], ensure_ascii=False, indent=2)`, by templates."""
    from json.encoder import encode_basestring as text  # the C encoder of one string

    def value(v: str | int | None) -> str:
        return "null" if v is None else text(v) if type(v) is str else str(v)

    items = []
    for r, state in zip(rows, found, strict=True):
        if r.error:
            items.append(
                f'  {{\n    "path": {text(r.rel)},\n    "error": {text(r.error)},\n'
                f'    "state": {value(state)}\n  }}'
            )
            continue
        people = (
            "[\n      " + ",\n      ".join(map(text, r.participants)) + "\n    ]"
            if r.participants
            else "[]"
        )
        items.append(
            f'  {{\n    "path": {text(r.rel)},\n    "date": {value(r.iso or None)},\n'
            f'    "day": {value(r.day)},\n    "title": {text(r.title)},\n'
            f'    "moderator": {text(r.moderator)},\n    "participants": {people},\n'
            f'    "questions": {r.questions},\n    "state": {value(state)}\n  }}'
        )
    return "[\n" + ",\n".join(items) + "\n]" if items else "[]"


def terminal_width() -> int:
    """`shutil.get_terminal_size(fallback=(NO_WIDTH, 24)).columns`: a pipe cuts nothing."""
    return output.terminal_width(NO_WIDTH)


def wants_color() -> bool:
    """Whether `list` colours its output: stdout a terminal, no $NO_COLOR, not TERM=dumb."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"

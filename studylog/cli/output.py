"""What the commands print as plain lines: `write` and `echo` (rich consoles for tables and
previews are in `cli/console.py`).

A plain line is styled the way click styles it: ANSI colour only on a terminal, never with
$NO_COLOR. Error messages and exit codes are the app's job (`cli/app.py`).
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TextIO

COLORS = {"red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36}


class Exit(Exception):
    """Leave a command with this exit code, having printed what it had to (`check`'s errors)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def style(text: str, color: str) -> str:
    """`text` in a foreground colour, as click's `style(text, fg=color)` writes it."""
    return f"\x1b[{COLORS[color]}m{text}\x1b[0m"


def stream(err: bool = False) -> TextIO:
    """Standard output, or standard error."""
    return sys.stderr if err else sys.stdout


def write(text: str | bytes, *, err: bool = False, nl: bool = True) -> None:
    """Text as it is (bytes to the binary buffer), then a newline, flushed: click's `echo`."""
    out = stream(err)
    if isinstance(text, bytes):
        out.flush()
        out.buffer.write(text + (b"\n" if nl else b""))
        out.buffer.flush()
        return
    out.write(text + ("\n" if nl else ""))
    out.flush()


def terminal_width(fallback: int) -> int:
    """$COLUMNS, else the terminal's width, else `fallback`."""
    return shutil.get_terminal_size((fallback, 24)).columns


def colored(err: bool = False) -> bool:
    """Whether a label gets its colour: on a terminal, unless $NO_COLOR is set."""
    return not os.environ.get("NO_COLOR") and stream(err).isatty()


def echo(message: str, *, err: bool = False, label: str = "", color: str = "") -> None:
    """One plain line; `label` coloured on a terminal (not with $NO_COLOR), text never markup."""
    if label:
        shown = style(label, color) if color and colored(err) else label
        message = f"{shown} {message}" if message else shown
    write(message, err=err)

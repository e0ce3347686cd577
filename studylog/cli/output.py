"""What the commands print, and the one place a StudylogError becomes a message and an exit code.

Plain lines are written here without the command framework (click's `echo`/`style` behaviour:
ANSI styles only on a terminal, never with $NO_COLOR), so a command runs the same under typer and
on the fast path; rich is imported only for tables, previews and markup.
"""

from __future__ import annotations

import os
import sys

from studylog.errors import StudylogError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (8 ms on every command)
if TYPE_CHECKING:
    from typing import TextIO

    from rich.console import Console

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
    """`shutil.get_terminal_size((fallback, 24)).columns`, without importing shutil (10 ms of bz2,
    lzma and fnmatch): $COLUMNS, else the terminal's width, else `fallback`."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns or fallback


def colored(err: bool = False) -> bool:
    """Whether a label gets its colour: on a terminal, unless $NO_COLOR is set."""
    return not os.environ.get("NO_COLOR") and stream(err).isatty()


def echo(message: str, *, err: bool = False, label: str = "", color: str = "") -> None:
    """One plain line; `label` coloured on a terminal (not with $NO_COLOR), text never markup."""
    if label:
        shown = style(label, color) if color and colored(err) else label
        message = f"{shown} {message}" if message else shown
    write(message, err=err)


def rich_console(stderr: bool = False) -> Console:
    """A Rich console, for tables and previews; plain lines go through `echo` (no rich import)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def literal(text: str) -> str:
    """Text (file names, titles, messages) as printed, never read as rich markup."""
    from rich.markup import escape

    return escape(text)


def fail(exc: StudylogError) -> int:
    """Print a StudylogError as one red-labelled line on stderr; its exit code."""
    try:
        echo(exc.message, err=True, label="error:", color="red")
    except OSError:  # the terminal may be gone (a hangup)
        pass
    return exc.exit_code


def crash_report() -> int:
    """An internal bug: a short message, the traceback in a file under the state dir; exit 70."""
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
    echo(
        f"({sys.exc_info()[1]!r}); {where}",
        err=True,
        label="internal error in studylog",
        color="red",
    )
    return 70


def silence_stdout() -> None:
    """After a closed pipe (`studylog list | head`): nothing more is written, nor complained of."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass

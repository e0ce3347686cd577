"""Rich consoles, for tables and previews: box drawing and colour on a terminal; piped, plain
lines that are never wrapped and carry no trailing padding."""

from __future__ import annotations

from rich.console import Console, RenderableType
from rich.markup import escape

from studylog.cli.output import write

PIPE_WIDTH = 100_000  # off a terminal nothing is wrapped or folded: a path stays whole


def rich_console(stderr: bool = False) -> Console:
    """A Rich console, for tables and previews; piped, it never wraps a line."""
    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:
        console.width = PIPE_WIDTH
        console.soft_wrap = True
    return console


def show(console: Console, *renderables: RenderableType, sep: str = " ") -> None:
    """Print renderables; piped, each line without the padding rich leaves at its end."""
    if console.is_terminal:
        console.print(*renderables, sep=sep)
        return
    with console.capture() as captured:
        console.print(*renderables, sep=sep)
    write("\n".join(line.rstrip() for line in captured.get().splitlines()), err=console.stderr)


def literal(text: str) -> str:
    """Text (file names, titles, messages) as printed, never read as rich markup."""
    return escape(text)

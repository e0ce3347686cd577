"""The commands, one module each, free of the command framework: `cli.py` declares them for typer
and the fast path (`fastpath.py`) calls the everyday ones directly. They print through `output`
and raise StudylogError; the caller turns that into a message and an exit code."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import datetime as dt

    from studylog.config import Settings


def load_settings(template: str | None = None) -> Settings:
    """The settings: config file, environment, and the --template option."""
    from studylog.config import load_settings as load

    return load(template=template)


def at_terminal() -> bool:
    """Whether there is a person at a terminal to ask."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def date_option(value: str | None, flag: str) -> dt.date | None:
    """A date option's value (YYYY-MM-DD, today, yesterday); a usage error names the flag."""
    if value is None:
        return None
    from studylog.errors import EntryError, UsageError
    from studylog.post.model import parse_date

    try:
        return parse_date(value)
    except EntryError as exc:
        raise UsageError(
            f"{flag} {value!r} is not a date: use YYYY-MM-DD, today or yesterday"
        ) from exc

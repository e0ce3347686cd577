"""The commands, one module each: `cli/app.py` declares them for typer and hands them their options.
They print through `cli.output` and raise StudylogError; the app turns that into an exit code."""

from __future__ import annotations

import datetime as dt
import sys

from studylog.config import Settings
from studylog.config import load_settings as read_config
from studylog.errors import EntryError, UsageError
from studylog.post.model import parse_date


def load_settings(template: str | None = None) -> Settings:
    """The settings: config file, environment, and the --template option."""
    return read_config(template=template)


def at_terminal() -> bool:
    """Whether there is a person at a terminal to ask."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def date_option(value: str | None, flag: str) -> dt.date | None:
    """A date option's value (YYYY-MM-DD, today, yesterday); a usage error names the flag."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except EntryError as exc:
        raise UsageError(
            f"{flag} {value!r} is not a date: use YYYY-MM-DD, today or yesterday"
        ) from exc

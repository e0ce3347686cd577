"""The commands, one module each: `cli/app.py` declares them for typer and hands them their options.
They print through `cli.output` and raise StudylogError; the app turns that into an exit code."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from studylog.blog.site import ensure_default_blog, find_blog
from studylog.cli.output import echo
from studylog.config import Settings
from studylog.config import load_settings as read_config
from studylog.errors import EntryError, UsageError
from studylog.git import repo as gitrepo
from studylog.post.model import parse_date


def load_settings(template: str | None = None) -> Settings:
    """The settings: config file, environment, and the --template option."""
    return read_config(template=template)


def at_terminal() -> bool:
    """Whether there is a person at a terminal to ask."""
    return sys.stdin.isatty() and sys.stdout.isatty()


DEFAULT_NOTICE = (
    "not in a Jekyll site: using the default blog at {path} (cd into your blog, or set `blog`)"
)


def blog_in_use(option: Path | None, settings: Settings, *, ask: bool = True) -> Path:
    """The blog a command works in; when none is named, ask once (at a terminal) or say so."""
    choice = find_blog(option, settings.blog)
    if not choice.is_default:
        return choice.path
    if ask and at_terminal():
        # questionary loads only when something is asked (see cli/prompts.py).
        from studylog.cli import first_run

        blog = first_run.ask_blog(choice.path) or default_blog(choice.path)
        first_run.keep(blog)
        return blog
    path = default_blog(choice.path)
    echo(DEFAULT_NOTICE.format(path=path), err=True)
    return path


def default_blog(path: Path) -> Path:
    """The default blog, created the first time as a Jekyll site in a git repository."""
    return gitrepo.init(ensure_default_blog(path))


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

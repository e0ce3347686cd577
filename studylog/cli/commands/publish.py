"""`studylog publish`: commit the posts (with their images) and push them."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path

from studylog.cli.commands import blog_in_use, load_settings
from studylog.cli.console import rich_console
from studylog.cli.output import echo, write
from studylog.git import publish as pub
from studylog.post.model import parse_date


def publish(
    posts: list[str] | None = None,
    dry_run: bool = False,
    no_push: bool = False,
    message: str | None = None,
    date: str | None = None,
    blog: Path | None = None,
) -> None:
    """Commit new or modified posts (with their images) and push them, never forcing."""
    settings = load_settings()
    blog_dir = blog_in_use(blog, settings)
    when = parse_date(date) if date else None
    # A spinner on a terminal only: a pipe or a CI log gets no animation, whatever FORCE_COLOR says.
    spinner = _spinner if sys.stderr.isatty() else None
    pub.run(
        blog_dir, posts or [], settings,
        dry_run=dry_run, no_push=no_push, message=message, date=when, echo=write, spinner=spinner,
        warn=_warn,
    )  # fmt: skip


def _warn(text: str) -> None:
    """A warning line on stderr."""
    echo(text, err=True, label="warning:", color="yellow")


def _spinner(text: str) -> AbstractContextManager[object]:
    """A rich spinner on stderr while `text` is under way."""
    return rich_console(stderr=True).status(text)

"""`studylog publish`: commit the posts (with their images) and push them."""

from __future__ import annotations

import sys
from pathlib import Path

from studylog.cli.commands import load_settings
from studylog.cli.output import rich_console, write


def publish(
    posts: list[str] | None = None,
    dry_run: bool = False,
    no_push: bool = False,
    message: str | None = None,
    date: str | None = None,
    blog: Path | None = None,
) -> None:
    """Commit new or modified posts (with their images) and push them, never forcing."""
    from studylog.blog.site import resolve_blog
    from studylog.git import publish as pub

    settings = load_settings()
    blog_dir = resolve_blog(blog, settings.blog)
    when = None
    if date:
        from studylog.post.model import parse_date  # the model loads dataclasses: only when needed

        when = parse_date(date)
    # Plain lines, not rich (whose import costs what a commit does); a spinner on a terminal only:
    # a pipe or a CI log gets no animation, whatever FORCE_COLOR says.
    spinner = _spinner if sys.stderr.isatty() else None
    pub.run(
        blog_dir, posts or [], settings,
        dry_run=dry_run, no_push=no_push, message=message, date=when, echo=write, spinner=spinner,
    )  # fmt: skip


def _spinner(text: str):  # type: ignore[no-untyped-def]
    return rich_console(stderr=True).status(text)

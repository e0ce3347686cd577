"""`studylog publish`: commit the posts (with their images) and push them."""

from __future__ import annotations

import sys
from pathlib import Path

from studylog.commands import load_settings
from studylog.output import rich_console, write


def publish(
    posts: list[str] | None = None,
    dry_run: bool = False,
    no_push: bool = False,
    message: str | None = None,
    date: str | None = None,
    blog: Path | None = None,
) -> None:
    """Commit new or modified posts (with their images) and push them, never forcing."""
    from studylog import publish as pub
    from studylog.blog import resolve_blog
    from studylog.model import parse_date

    settings = load_settings()
    blog_dir = resolve_blog(blog, settings.blog)
    when = parse_date(date) if date else None
    plan = pub.prepare(blog_dir, posts or [], settings, date=when, message=message)
    if dry_run:  # plain lines, not rich (whose import costs what a commit does)
        write(pub.describe(plan, push=not no_push))
        return
    sha = pub.commit(plan)
    if sha:
        write(pub.describe_commit(plan, sha))
    pushed = None
    if not no_push and plan.push_needed(committed=sha is not None):
        with _spinner(f"Pushing to {plan.target or 'the remote'}…"):
            pushed = pub.send(plan, committed=sha is not None)
    if pushed and not pushed.up_to_date:
        write(pub.describe_push(pushed))
    elif not sha:
        write("nothing to publish")


def _spinner(text: str):  # type: ignore[no-untyped-def]
    import contextlib

    if not sys.stderr.isatty():  # a pipe or a CI log gets no animation, whatever FORCE_COLOR says
        return contextlib.nullcontext()
    return rich_console(stderr=True).status(text)

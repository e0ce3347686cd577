"""`studylog new`: the day's record from --from, flags, a draft and the prompts; then written."""

from __future__ import annotations

from pathlib import Path

from studylog.cli.commands import at_terminal, load_settings
from studylog.cli.session import (
    autosave,
    fresh_session,
    in_editor,
    keeping,
    preview,
    say_written,
)
from studylog.errors import StudylogError, UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    import datetime as dt
    from typing import Any

    from studylog.blog.defaults import Defaults
    from studylog.blog.drafts import Draft
    from studylog.config import Settings


def new(
    from_file: str | None = None,
    yes: bool = False,
    date: str | None = None,
    day: int | None = None,
    title: str | None = None,
    moderator: str | None = None,
    participant: list[str] | None = None,
    resume: bool = False,
    draft: bool = False,
    force: bool = False,
    edit: bool = False,
    template: str | None = None,
    blog: Path | None = None,
) -> None:
    """Write the day's post: ask for the record (defaults from history), preview, write."""
    from studylog.blog import drafts, newpost
    from studylog.blog.site import resolve_blog

    settings = load_settings(template)
    blog_dir = resolve_blog(blog, settings.blog)
    given = _given(from_file, date, day, title, moderator, participant)
    session = drafts.latest(blog_dir) if resume else fresh_session(blog_dir)
    if yes:
        given = {**session.fields, **given}
    interactive = not yes and at_terminal()
    asking = not yes and bool(newpost.missing(given))
    if asking and not interactive:
        fields = ", ".join(newpost.missing(given))
        raise UsageError(
            f"no terminal to ask for {fields}: pass them with --from FILE or flags, "
            "or add --yes to take the defaults"
        )
    # Without prompts only the gaps need defaults: a complete --from reads no post at all.
    defaults = newpost.defaults_for(given, blog_dir, settings, complete=asking)
    with keeping(session, signals=interactive):
        if asking:
            given = _ask(given, defaults, settings, blog_dir, session)
        entry = newpost.fill(given, defaults)
        _write_entry(
            entry, settings, blog_dir, draft=draft, force=force, confirm=interactive, edit=edit
        )
    session.remove()  # only now: the post is durably written


def _given(
    from_file: str | None,
    date: str | None,
    day: int | None,
    title: str | None,
    moderator: str | None,
    participants: list[str] | None,
) -> dict[str, Any]:
    """The fields from --from and the flags (the flags win)."""
    from studylog.blog import newpost
    from studylog.post.model import check_name, check_title, parse_date

    flags = {
        "date": _flag(parse_date, date, None, "--date") if date else None,
        "day": day,
        "title": _flag(check_title, title, "--title") if title is not None else None,
        "moderator": _flag(check_name, moderator, "--moderator") if moderator is not None else None,
        "participants": [_flag(check_name, p, "--participant") for p in participants]
        if participants
        else None,
    }
    given = newpost.read_from(from_file) if from_file else {}
    given.update({k: v for k, v in flags.items() if v is not None})
    return given


def _ask(
    given: dict[str, Any], defaults: Defaults, settings: Settings, blog_dir: Path, session: Draft
) -> dict[str, Any]:
    """The prompts, offering the draft's answers and saving every new one to it."""
    from studylog.blog import newpost
    from studylog.cli import prompts

    def day_for(date: dt.date) -> int:
        return newpost.defaults_for({**given, "date": date}, blog_dir, settings).day

    return prompts.collect(
        given,
        defaults,
        settings,
        previous=session.fields,
        on_answer=autosave(session),
        day_for=day_for,
    )


def _flag(check, *args):  # type: ignore[no-untyped-def]
    """A flag's value through its check; a bad value is a usage error (exit 2)."""
    from studylog.errors import EntryError

    try:
        return check(*args)
    except EntryError as exc:
        raise UsageError(exc.message) from exc


def _write_entry(
    entry, settings, blog_dir: Path, *, draft: bool, force: bool, confirm: bool, edit: bool = False
) -> None:
    from studylog.blog import newpost
    from studylog.post.render import render, template_source

    text = render(entry, settings, template_source(settings, blog_dir))
    path = newpost.target(blog_dir, entry, settings, draft=draft)
    kept = None
    if edit:
        text, kept = in_editor(text, path, blog_dir, settings, interactive=confirm)
    try:
        warnings = newpost.vet(blog_dir, path, text)
        if confirm:
            from studylog.cli import prompts

            preview(text)
            if not prompts.confirm(f"Write {path}?"):
                raise StudylogError("not written: nothing was changed")
        backup = newpost.write(path, text, force=force)
    except StudylogError as exc:
        if kept is not None:
            exc.message += f"; the edited post is kept in {kept}"
        raise
    if kept is not None:
        kept.unlink(missing_ok=True)
    say_written(path, backup, [newpost.future_warning(entry), *warnings])

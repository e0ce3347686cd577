"""`studylog new`: the day's record from --from, flags, a draft and the prompts; then written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from studylog.blog import drafts, newpost
from studylog.cli.commands import at_terminal, blog_in_use, date_option, load_settings
from studylog.cli.session import (
    ask,
    autosave,
    confirm_write,
    day_for,
    fresh_session,
    keeping,
    say_written,
    through_editor,
)
from studylog.config import Settings
from studylog.errors import EntryError, StudylogError, UsageError
from studylog.post.model import Entry, check_name, check_title

Value = TypeVar("Value")


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
    settings = load_settings(template)
    blog_dir = blog_in_use(blog, settings, ask=not yes)
    given = _given(from_file, date, day, title, moderator, participant)
    session = drafts.latest(blog_dir) if resume else fresh_session(blog_dir)
    if yes:
        given = {**session.fields, **given}
    given = newpost.site_dated(given, blog_dir, settings)
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
            given = ask(
                given,
                defaults,
                settings,
                session,
                previous=session.fields,
                day_for=day_for(given, blog_dir, settings),
                taken=None if force else lambda date: newpost.taken(blog_dir, date, settings),
            )
        entry = newpost.fill(given, defaults)
        if interactive and not session.is_saved():  # a no, or a failed write, keeps them
            autosave(session)(given)
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
    flags = {
        "date": date_option(date, "--date") if date else None,
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


def _flag(check: Callable[[Any, str], Value], value: Any, flag: str) -> Value:
    """A flag's value through its check; a bad value is a usage error (exit 2)."""
    try:
        return check(value, flag)
    except EntryError as exc:
        raise UsageError(exc.message) from exc


def _write_entry(
    entry: Entry,
    settings: Settings,
    blog_dir: Path,
    *,
    draft: bool,
    force: bool,
    confirm: bool,
    edit: bool = False,
) -> None:
    """Render, optionally edit, vet, confirm and write the post; say where it went."""
    text, copies = newpost.post_text(entry, settings, blog_dir)
    path = newpost.target(blog_dir, entry, settings, draft=draft)
    kept = None
    if edit:  # closed without a change: it looks fine, on to the preview
        text, kept = through_editor(
            text, path, blog_dir, settings, interactive=confirm, unchanged_ok=True
        )
    try:
        warnings = newpost.vet(blog_dir, path, text)
        if confirm:
            confirm_write(text, f"Write {path}?")
        backup = newpost.write(path, text, force=force, copies=copies)
    except StudylogError as exc:
        if kept is not None:
            exc.message += f"; the edited post is kept in {kept}"
        raise
    if kept is not None:
        kept.unlink(missing_ok=True)
    say_written(path, backup, [newpost.future_warning(entry), *warnings])

"""`studylog edit`: a post through the prompts of `new`, or in its file; rewritten with a backup."""

from __future__ import annotations

from pathlib import Path

from studylog.cli.commands import at_terminal, load_settings
from studylog.cli.output import rich_console
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

    from studylog.blog.drafts import Draft
    from studylog.config import Settings


def edit(
    post: str,
    from_file: str | None = None,
    yes: bool = False,
    resume: bool = False,
    in_editor: bool = False,
    template: str | None = None,
    blog: Path | None = None,
) -> None:
    """Edit a post: the questions of `new`, each pre-filled from it; rewritten with a backup."""
    import shlex

    from studylog.blog import drafts, editpost, newpost
    from studylog.blog.site import find_post, resolve_blog

    settings = load_settings(template)
    blog_dir = resolve_blog(blog, settings.blog)
    if in_editor:
        if from_file or yes or resume:
            raise UsageError("--editor edits the file itself: leave out --from, --yes and --resume")
        _edit_file(find_post(blog_dir, post), settings, blog_dir)
        return
    opened = editpost.open_post(blog_dir, post, settings)
    given = newpost.read_from(from_file) if from_file else {}
    hint = f"studylog edit {shlex.quote(post)} --resume"
    session = (
        drafts.latest(blog_dir, opened.path)
        if resume
        else fresh_session(blog_dir, opened.path, hint)
    )
    interactive = not yes and at_terminal()
    if not yes and not interactive:
        raise UsageError(
            "no terminal to ask or confirm: add --yes to rewrite the post "
            "(with the --from fields; the rest as they are)"
        )
    with keeping(session, signals=interactive, resume=hint):
        answers = {**session.fields, **given}
        if interactive:
            answers = _ask_edit(given, opened, settings, blog_dir, session)
        entry = editpost.revise(opened.entry, answers)
        _rewrite(opened, entry, settings, blog_dir, confirm=interactive)
    session.remove()  # only now: the post is durably rewritten


def _ask_edit(given: dict[str, Any], opened, settings, blog_dir: Path, session: Draft):  # type: ignore[no-untyped-def]
    """The prompts of `new`, every answer offered from the post (or the interrupted edit)."""
    from studylog.blog import editpost, newpost
    from studylog.cli import prompts

    def day_for(date: dt.date) -> int:
        return newpost.defaults_for({"date": date}, blog_dir, settings).day

    return prompts.collect(
        given,
        editpost.defaults_of(opened.entry, blog_dir, settings),
        settings,
        previous={**editpost.fields_of(opened.entry), **session.fields},
        on_answer=autosave(session),
        day_for=day_for,
    )


def _rewrite(opened, entry, settings, blog_dir: Path, *, confirm: bool) -> None:  # type: ignore[no-untyped-def]
    from studylog.blog import editpost, newpost
    from studylog.post.render import render, template_source

    text = render(entry, settings, template_source(settings, blog_dir))
    target = editpost.destination(opened.path, opened.entry, entry, settings)
    warnings = newpost.vet(blog_dir, target, text)
    if confirm:
        from studylog.cli import prompts

        preview(text)
        moved = "" if target == opened.path else f" as {target}"
        if not prompts.confirm(f"Rewrite {opened.path}{moved}?"):
            raise StudylogError("not written: nothing was changed")
    done = editpost.rewrite(opened.path, opened.original, target, text)
    if done.renamed_from:
        rich_console(stderr=True).print(
            f"renamed {done.renamed_from} to {done.path} (its date or day changed); "
            f"the old version is kept at {done.backup}",
            markup=False,
        )
    say_written(done.path, None if done.renamed_from else done.backup, [*warnings])


def _edit_file(path: Path, settings: Settings, blog_dir: Path) -> None:
    """`edit --editor`: the file in the editor, checked, then written back with a backup."""
    from studylog.blog import editpost
    from studylog.post.parse import decode

    original = editpost.read_bytes(path)
    text = decode(original, path)  # a post that is not UTF-8 is refused, never garbled
    edited, kept = in_editor(
        text, path, blog_dir, settings, interactive=at_terminal(), unchanged_ok=True
    )
    if kept is None:
        rich_console(stderr=True).print(f"no change: {path} is as it was", markup=False)
        return
    try:
        backup = editpost.rewrite(path, original, path, editpost.touched(edited)).backup
    except StudylogError as exc:
        exc.message += f"; your edited text is kept in {kept}"
        raise
    kept.unlink(missing_ok=True)
    warnings = [f.message for f in editpost.findings(blog_dir, path, edited)]
    say_written(path, backup, [*warnings])

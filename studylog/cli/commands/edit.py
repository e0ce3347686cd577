"""`studylog edit`: a post through the prompts of `new`, or in its file; rewritten with a backup."""

from __future__ import annotations

import shlex
from pathlib import Path

from studylog.blog import assets, drafts, editpost, newpost
from studylog.blog.editpost import Opened
from studylog.blog.site import find_post
from studylog.cli.commands import at_terminal, blog_in_use, load_settings
from studylog.cli.console import rich_console
from studylog.cli.session import (
    ask,
    confirm_write,
    day_for,
    fresh_session,
    keeping,
    say_written,
    through_editor,
)
from studylog.config import Settings
from studylog.errors import StudylogError, UsageError
from studylog.git import repo as gitrepo
from studylog.post.model import Entry
from studylog.post.parse import decode


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
    settings = load_settings(template)
    blog_dir = blog_in_use(blog, settings)
    if in_editor:
        if from_file or yes or resume:
            raise UsageError("--editor edits the file itself: leave out --from, --yes and --resume")
        _edit_file(find_post(blog_dir, post), settings, blog_dir)
        return
    opened = editpost.open_post(blog_dir, post, settings)
    given = newpost.read_from(from_file) if from_file else {}
    given = newpost.site_dated(given, blog_dir, settings, opened.entry.front_matter)
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
            answers = ask(
                given,
                editpost.defaults_of(opened.entry, blog_dir, settings),
                settings,
                session,
                previous={**editpost.fields_of(opened.entry), **session.fields},
                day_for=day_for({}, blog_dir, settings),
            )
        entry = editpost.revise(opened.entry, answers)
        if editpost.unchanged(opened.entry, entry):
            say = rich_console(stderr=True).print
            say(f"nothing changed: {opened.path} is as it was", markup=False)
        else:
            _rewrite(opened, entry, settings, blog_dir, confirm=interactive)
    session.remove()  # only now: the post is durably rewritten


def _rewrite(
    opened: Opened, entry: Entry, settings: Settings, blog_dir: Path, *, confirm: bool
) -> None:
    """Render the revised entry, confirm, rewrite the post (renamed when its date or day moved)."""
    style = editpost.styled(opened, settings)  # the post's own front matter, kept as it is
    text, copies = newpost.post_text(entry, style, blog_dir)
    target = editpost.destination(opened.path, opened.entry, entry, settings)
    warnings = newpost.vet(blog_dir, target, text)
    if confirm:
        moved = "" if target == opened.path else f" as {target}"
        confirm_write(text, f"Rewrite {opened.path}{moved}?", "not rewritten")
    with assets.copied(copies):
        done = editpost.rewrite(opened.path, opened.original, target, text)
    if (
        done.renamed_from
    ):  # staged like `git mv`: publish commits the new name and the old's removal
        gitrepo.record_rename(done.renamed_from, done.path)
    say_written(done.path, done.backup, [*warnings], renamed_from=done.renamed_from)


def _edit_file(path: Path, settings: Settings, blog_dir: Path) -> None:
    """`edit --editor`: the file in the editor, checked, then written back with a backup."""
    original = editpost.read_bytes(path)
    text = decode(original, path)  # a post that is not UTF-8 is refused, never garbled
    edited, kept = through_editor(
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

"""What `new` and `edit` share: the draft that keeps every answer, the questions, the editor, the
preview and the confirmation. `prompts` and `questions` are imported where something is asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.markdown import Markdown
from rich.panel import Panel

from studylog import paths
from studylog.blog import drafts, editpost, newpost
from studylog.blog.check import ERROR, Report
from studylog.blog.defaults import Defaults
from studylog.blog.drafts import Draft
from studylog.cli import editor
from studylog.cli.display import print_findings
from studylog.cli.output import echo, rich_console
from studylog.config import Settings
from studylog.errors import DraftError, EditorError, Interrupted, StudylogError
from studylog.post.parse import display_body

Fields = dict[str, Any]
NEW_RESUME = "studylog new --resume"


def fresh_session(blog_dir: Path, editing: Path | None = None, resume: str = NEW_RESUME) -> Draft:
    """A new draft (of a new post, or editing one); the hint when earlier ones were left."""
    waiting = drafts.find(blog_dir, editing)
    if waiting:
        more = (
            f" (and {len(waiting) - 1} older: `studylog drafts` lists them)"
            if len(waiting) > 1
            else ""
        )
        echo(
            f"a draft {drafts.describe(waiting[0])} is waiting{more}: `{resume}` continues it",
            err=True,
        )
    return Draft.start(blog_dir, editing)


def autosave(session: Draft) -> Callable[[Fields], None]:
    """Save the draft after every answer; a draft that cannot be saved is reported once."""
    failed: list[str] = []

    def save(fields: Fields) -> None:
        try:
            session.save(fields)
        except DraftError as exc:
            if not failed:
                failed.append(exc.message)
                rich_console(stderr=True).print(
                    f"warning: {exc.message}; answers are not being saved", markup=False
                )

    return save


@contextmanager
def keeping(session: Draft, *, signals: bool, resume: str = NEW_RESUME) -> Iterator[None]:
    """Ctrl-C, Ctrl-D, SIGTERM, SIGHUP or a failed write: the error says where the answers are."""
    try:
        if signals:
            from studylog.cli import prompts

            with prompts.stop_on_signals():
                yield
        else:
            yield
    except KeyboardInterrupt:
        raise Interrupted(where_kept("interrupted", session, resume)) from None
    except Interrupted as exc:
        exc.message = where_kept(exc.message, session, resume)
        raise
    except StudylogError as exc:
        if session.is_saved():
            exc.message += f"; your answers are kept: `{resume}` continues"
        raise


def where_kept(what: str, session: Draft, resume: str) -> str:
    """What the message of an interruption adds: where the answers are, how to go on."""
    if session.is_saved():
        return f"{what}: draft saved, resume with `{resume}`"
    return f"{what}: no answer yet, so no draft was saved"


def ask(
    given: Fields,
    defaults: Defaults,
    settings: Settings,
    session: Draft,
    *,
    previous: Fields,
    day_for: Callable[[dt.date], int],
    taken: Callable[[dt.date], str | None] | None = None,
) -> Fields:
    """The questions for what `given` lacks, `previous` answers offered, each saved to the draft."""
    from studylog.cli import questions

    return questions.collect(
        given,
        defaults,
        settings,
        previous=previous,
        on_answer=autosave(session),
        day_for=day_for,
        taken=taken,
    )


def day_for(given: Fields, blog_dir: Path, settings: Settings) -> Callable[[dt.date], int]:
    """The course day another date gets, the rest of `given` as it is (when the date changes)."""
    return lambda date: newpost.defaults_for({**given, "date": date}, blog_dir, settings).day


def confirm(question: str) -> bool:
    """Yes or no from the person at the terminal; Enter is yes."""
    from studylog.cli import prompts

    return prompts.confirm(question)


def confirm_write(text: str, question: str) -> None:
    """Show the post and ask `question`; a no ends the command, nothing written."""
    preview(text)
    if not confirm(question):
        raise StudylogError("not written: nothing was changed")


def preview(text: str) -> None:
    """The post's body as Markdown in a panel, before the user confirms it."""
    body = text.split("\n---\n", 1)[-1]
    rich_console().print(Panel(Markdown(display_body(body)), title="preview"))


def say_written(path: Path, backup: Path | None, warnings: list[str | None]) -> None:
    """The warnings, the backup of a replaced post, then "Wrote PATH"."""
    for warning in warnings:
        if warning:
            echo(warning, err=True, label="warning:", color="yellow")
    if backup:
        echo(f"replaced {path}; the old version is kept at {backup}", err=True)
    echo(f"Wrote {path}")


def through_editor(
    text: str,
    path: Path,
    blog_dir: Path,
    settings: Settings,
    *,
    interactive: bool,
    unchanged_ok: bool = False,
) -> tuple[str, Path | None]:
    """The text as saved in the editor, and the file holding it; reopened on a problem in a TTY.

    With `unchanged_ok`, an unchanged text comes back with no file (nothing to write).
    """
    command, current, kept = editor.command(settings.editor), text, None
    while True:
        result = editor.edit(current, command, paths.edits_dir(), prefix=f"{path.stem}-")
        if kept is not None:
            kept.unlink(missing_ok=True)  # the new file holds all the old one did
        kept = result.path
        if result.error:
            raise EditorError(f"{result.error}: nothing was written; the text is kept in {kept}")
        if unchanged_ok and result.text == text:
            kept.unlink(missing_ok=True)
            return text, None
        problem = editor_problem(result.text, text, path, blog_dir)
        if problem is None:
            return result.text, kept
        if not reopen(problem, kept, interactive):
            raise StudylogError(f"{problem}: nothing was written; the text is kept in {kept}")
        current = result.text if result.text.strip() else text


def editor_problem(edited: str, original: str, path: Path, blog_dir: Path) -> str | None:
    """Why the editor's text cannot be written (empty, unchanged, an error `check` finds)."""
    if not edited.strip():
        return "the editor left the post empty"
    if edited == original:
        return "the editor left the post unchanged"
    errors = [f for f in editpost.findings(blog_dir, path, edited) if f.severity == ERROR]
    if not errors:
        return None
    print_findings(Report(1, errors))
    return f"{path.name} would not build right ({errors[0].message})"


def reopen(problem: str, kept: Path, interactive: bool) -> bool:
    """In a terminal, whether to open the editor again; Ctrl-C says where the text is."""
    if not interactive:
        return False
    try:
        return confirm(f"{problem}. Open the editor again?")
    except StudylogError as exc:
        exc.message += f"; the text is kept in {kept}"
        raise

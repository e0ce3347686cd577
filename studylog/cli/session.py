"""What `new` and `edit` share: the draft that keeps every answer, the questions, the editor, the
preview and the confirmation. `prompts` and `questions` are imported where something is asked."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.pager import Pager
from rich.syntax import Syntax
from rich.text import Text

from studylog import paths
from studylog.blog import drafts, editpost, newpost
from studylog.blog.check import ERROR, Report
from studylog.blog.defaults import Defaults
from studylog.blog.drafts import Draft
from studylog.cli import editor
from studylog.cli.console import rich_console
from studylog.cli.display import print_findings
from studylog.cli.output import Exit, echo, write
from studylog.config import Settings
from studylog.errors import DraftError, EditorError, Interrupted, PostError, StudylogError
from studylog.post.parse import split_front

Fields = dict[str, Any]
NEW_RESUME = "studylog new --resume"


class Declined(StudylogError):
    """The user said no to writing: a choice, not an error (exit 0); `keeping` says what waits."""

    exit_code = 0


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
    except Declined as exc:
        echo(exc.message + waiting(session, resume), err=True)
        raise Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise Interrupted(where_kept("interrupted", session, resume)) from None
    except Interrupted as exc:
        exc.message = where_kept(exc.message, session, resume)
        raise
    except StudylogError as exc:
        exc.message += waiting(session, resume)
        raise


def waiting(session: Draft, resume: str) -> str:
    """What a message ending a session adds when the answers wait as a draft: how to go on."""
    return f"; your answers are kept as a draft: `{resume}` continues" if session.is_saved() else ""


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


def confirm(question: str, *, default: bool = True) -> bool:
    """Yes or no from the person at the terminal; Enter is `default`."""
    from studylog.cli import prompts

    return prompts.confirm(question, default=default)


def confirm_write(text: str, question: str, declined: str = "not written") -> None:
    """Show the post and ask `question`; a no ends the command (Declined), nothing written."""
    preview(text)
    if not confirm(question):
        raise Declined(declined)


def preview(text: str) -> None:
    """The post as written: front matter on one line, then its Markdown; paged when long."""
    console = rich_console()
    try:
        front, body = split_front(text, "")
    except PostError:  # no front matter to fold: the text as it is
        front, body = "", text
    shown = [folded(front), highlighted(body.strip("\n"))]
    if console.is_terminal and _lines(console, shown) > console.height - 2:
        with console.pager(_LessPager(), styles=True):
            _print(console, shown)
    else:
        _print(console, shown)


def highlighted(markdown: str) -> Text:
    """Markdown as text with colours, not rendered: an image stays where it is written."""
    text = Syntax(markdown, "markdown", theme="ansi_dark", word_wrap=True).highlight(markdown)
    text.rstrip()
    return text


def _print(console: Console, shown: list[Text]) -> None:
    for part in shown:
        console.print(part, no_wrap=part.no_wrap, overflow=part.overflow)


def folded(front: str) -> Text:
    """The front matter on one line, cut at the edge: plain list items joined, nesting `…`."""
    keys: list[str] = []
    for line in front.splitlines():
        item = line.strip()
        if not item:
            continue
        if not keys or not (line[:1].isspace() or line.startswith("-")):
            keys.append(item)
        elif item.startswith("- ") and ":" not in item:
            keys[-1] += (" " if keys[-1].endswith(":") else ", ") + item[2:]
        elif not keys[-1].endswith("…"):
            keys[-1] += " …"
    return Text(f"---  {' · '.join(keys)}  ---", style="dim", no_wrap=True, overflow="ellipsis")


def _lines(console: Console, shown: list[Text]) -> int:
    """How many lines of the terminal `shown` takes."""
    return sum(len(part.wrap(console, console.width)) for part in shown)


class _LessPager(Pager):
    """$PAGER, else `less`; as git does, LESS=FRX unless set (colours; the text stays after q)."""

    def show(self, content: str) -> None:
        """Page `content`; printed as it is when no pager runs."""
        env = {**os.environ, "LESS": os.environ.get("LESS") or "FRX"}
        command = os.environ.get("PAGER") or "less"
        try:
            with editor.sigint_to_child():  # Ctrl-C in less is less's own
                ran = subprocess.run(command, shell=True, input=content, text=True, env=env)
        except OSError:
            ran = None
        if ran is None or ran.returncode == 127:  # no such pager: the text as it is
            write(content, nl=False)


def say_written(
    path: Path, backup: Path | None, warnings: list[str | None], renamed_from: Path | None = None
) -> None:
    """The warnings, then one line: "Wrote PATH", and where the old version is kept."""
    for warning in warnings:
        if warning:
            echo(warning, err=True, label="warning:", color="yellow")
    moved = f", renamed from {renamed_from} (its date or day changed)" if renamed_from else ""
    kept = f"; the old version is kept at {backup}" if backup else ""
    echo(f"Wrote {path}{moved}{kept}")


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

    With `unchanged_ok`, an unchanged text comes back with no file: the caller says what it means
    (`new --edit`: the post looks fine; `edit --editor`: nothing to write).
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

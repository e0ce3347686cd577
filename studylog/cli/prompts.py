"""One question at a time in the terminal: the only module importing questionary.

Ctrl-C, Ctrl-D, SIGTERM and SIGHUP end a question as `Stopped`, holding what was typed, so that
the session can keep it in its draft. questionary is a large dependency that only asking needs,
so this module (and `questions`) is imported where something is asked: `new --yes` never is.
"""

from __future__ import annotations

import errno
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

import questionary
from prompt_toolkit.application import Application
from prompt_toolkit.application.current import get_app
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.filters import Condition, has_selection
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
from prompt_toolkit.output import Output
from prompt_toolkit.selection import SelectionType
from prompt_toolkit.shortcuts import print_formatted_text
from questionary.styles import merge_styles_default

from studylog import paths
from studylog.cli import editor
from studylog.errors import Interrupted

Validate = Callable[[str], bool | str]
EDIT = ":e"
ANSWER_LINE = "\n>"  # a multi-line answer starts on a line of its own
FINISH = "Esc Enter or Ctrl-D: finish"  # Alt+Enter too, where the terminal sends it
EDIT_HINT = "last line :e: editor"
EMPTY_ENDS = "empty Enter: no more"


class Stopped(Interrupted):
    """A prompt ended by Ctrl-C, Ctrl-D or a signal; `partial` is the text it held."""

    def __init__(self, message: str = "interrupted", exit_code: int = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.partial = ""


@dataclass
class _Asking:
    """The question being asked, for the signal handler; a signal's stop not yet raised."""

    app: Application[Any] | None = None
    stop: Stopped | None = None


_NOW = _Asking()
_KEYS = KeyBindings()
_MULTILINE_KEYS = KeyBindings()
_EMPTY_ENDS_KEYS = KeyBindings()


@_KEYS.add("c-d")
def _end_of_input(event: KeyPressEvent) -> None:
    """Ctrl-D finishes an answer that has text (as in jrnl); on nothing, it ends the session
    like Ctrl-C."""
    if event.current_buffer.text.strip():
        event.current_buffer.validate_and_handle()
        return
    event.app.exit(exception=EOFError, style="class:aborting")


@_EMPTY_ENDS_KEYS.add("enter", filter=Condition(lambda: not get_app().current_buffer.text))
def _accept_nothing(event: KeyPressEvent) -> None:
    """Enter on an empty multi-line answer accepts it: the empty answer that ends a list."""
    event.current_buffer.validate_and_handle()


@_KEYS.add("c-u", filter=has_selection)
@_KEYS.add("c-w", filter=has_selection)
@_KEYS.add("c-k", filter=has_selection)
@_KEYS.add("c-a", filter=has_selection)
@_KEYS.add("c-e", filter=has_selection)
def _unselect_then(event: KeyPressEvent) -> None:
    """Line-editing keys (Ctrl-U first) act on an offered text that is selected, as on any."""
    event.current_buffer.exit_selection()
    event.key_processor.feed(event.key_sequence[0], first=True)


@_MULTILINE_KEYS.add("enter")
def _plain_newline(event: KeyPressEvent) -> None:
    """Enter starts a line without copying the indentation: what is typed is what is kept."""
    event.current_buffer.newline(copy_margin=False)


def _add_keys(question: questionary.Question, keys: KeyBindings) -> questionary.Question:
    """The question, with `keys` taking precedence over its own bindings."""
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])
    return question


def ask(question: questionary.Question) -> Any:
    """Run one question; Ctrl-C, Ctrl-D and signals become Stopped holding the typed text."""
    app = _add_keys(question, _KEYS).application
    _NOW.app, _NOW.stop = app, None
    try:
        answer = question.unsafe_ask()
    except (KeyboardInterrupt, EOFError, Stopped, OSError) as exc:
        stop = _stop_for(exc)
        stop.partial = app.current_buffer.text
        raise stop from None
    finally:
        _NOW.app = None
    if _NOW.stop is not None:  # the signal came as the answer was accepted
        stop, _NOW.stop = _NOW.stop, None
        stop.partial = answer if isinstance(answer, str) else ""
        raise stop
    return answer


def _stop_for(exc: BaseException) -> Stopped:
    """What ended a prompt, as a Stopped; a terminal gone (EIO) is a hangup."""
    if isinstance(exc, Stopped):
        return exc
    if isinstance(exc, OSError):
        if _NOW.stop is None and exc.errno != errno.EIO:
            raise exc
        return _NOW.stop or Stopped("the terminal is gone", 128 + signal.SIGHUP)
    return Stopped()


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    """SIGTERM or SIGHUP: end the running prompt (from its event loop), or stop right here."""
    stop = Stopped(f"stopped by {signal.Signals(signum).name}", 128 + signum)
    app = _NOW.app
    loop = getattr(app, "loop", None)
    if app is None or loop is None or loop.is_closed():
        raise stop
    _NOW.stop = stop
    loop.call_soon_threadsafe(_exit_app, app, stop)


def _exit_app(app: Application[Any], stop: Stopped) -> None:
    if app.future is not None and not app.future.done():
        app.exit(exception=stop, style="class:aborting")


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP end the session like Ctrl-C (exit 128 + the signal)."""
    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, _on_signal) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def signals_held() -> Iterator[None]:
    """SIGTERM and SIGHUP wait while an answer is saved, so the draft holds it when they stop us."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGHUP})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def text(
    message: str,
    default: str = "",
    *,
    validate: Validate | None = None,
    multiline: bool = False,
    editor_command: list[str] | None = None,
    partial: Callable[[str], None] | None = None,
    empty_ends: bool = False,
    **kwargs: Any,
) -> str:
    """A text answer; with an `editor_command`, a last word `:e` opens the editor on the text.

    `partial` gets the text typed but not accepted when the question is stopped; with
    `empty_ends`, Enter on an empty multi-line answer accepts it.
    """
    while True:
        multi = multiline or "\n" in default
        hints = _hints(multi, editor_command is not None, empty_ends)
        question = _text_question(message, default, validate, multi, hints, kwargs)
        if multi and empty_ends:
            _add_keys(question, _EMPTY_ENDS_KEYS)
        try:
            answer = ask(question)
        except Stopped as stop:
            if partial is not None and stop.partial.strip() and stop.partial != default:
                partial(stop.partial)
            raise
        if editor_command is None or not _wants_editor(answer):
            return str(answer)
        edited, default = _in_editor(_without_edit(answer), editor_command)
        if edited is not None:
            _show(edited)
            return edited


def _hints(multiline: bool, editable: bool, empty_ends: bool) -> str | None:
    """The keys of a multi-line answer, for the toolbar under it (an 80-column line)."""
    if not multiline:
        return None
    return " · ".join([EMPTY_ENDS] * empty_ends + [FINISH] + [EDIT_HINT] * editable)


def _show(text: str) -> None:
    """The text saved in the editor, where the prompt showed `:e`."""
    print("\n".join("  " + line for line in text.split("\n")), flush=True)


def _text_question(
    message: str,
    default: str,
    validate: Validate | None,
    multiline: bool,
    hints: str | None,
    kwargs: dict[str, Any],
) -> questionary.Question:
    question = questionary.text(
        message,
        default=default,
        validate=validate,
        validate_while_typing=False,
        multiline=multiline,
        instruction=ANSWER_LINE if multiline else None,
        bottom_toolbar=hints,
        **kwargs,
    )
    if multiline:
        return _add_keys(question, _MULTILINE_KEYS)
    app = question.application
    app.pre_run_callables.append(lambda: _select_all(app.current_buffer))
    return question


def _select_all(buffer: Buffer) -> None:
    """The offered text selected, as a form field does: a key typed replaces it, Enter takes it,
    an arrow key keeps it to edit."""
    if not buffer.text:
        return
    buffer.cursor_position = 0
    buffer.start_selection(SelectionType.CHARACTERS)
    buffer.cursor_position = len(buffer.text)
    if buffer.selection_state is not None:
        buffer.selection_state.enter_shift_mode()


def _wants_editor(answer: str) -> bool:
    words = answer.rstrip()
    return words == EDIT or words.endswith((" " + EDIT, "\n" + EDIT, "\t" + EDIT))


def _without_edit(answer: str) -> str:
    return answer.rstrip()[: -len(EDIT)].rstrip()


def _in_editor(typed: str, command: list[str]) -> tuple[str | None, str]:
    """The editor's text as the answer, or None and the text to offer again."""
    result = editor.edit(typed, command, paths.edits_dir())
    if result.error:
        _say(f"{result.error}; your text is kept in {result.path}")
        return None, result.text
    result.path.unlink(missing_ok=True)
    edited = result.text.strip("\n")
    if edited.strip() and edited != typed.strip("\n"):
        return edited, edited
    _say("the editor left the text empty or unchanged: answer again (:e reopens it)")
    return None, edited or typed


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def select(message: str, names: list[str], *, default: str, other: str, **kwargs: Any) -> str:
    """One of `names`, or "" for the last choice, `other` (to type a new one)."""
    choices: list[str | questionary.Choice] = [*names, questionary.Choice(other, value="")]
    return str(ask(questionary.select(message, choices, default=default, **kwargs)))


def checkbox(
    message: str, names: list[str], *, checked: list[str], other: str, **kwargs: Any
) -> list[str]:
    """The ticked `names` (`checked` ticked first), with "" for the last choice, `other`."""
    choices = [questionary.Choice(n, checked=n in checked) for n in names]
    choices.append(questionary.Choice(other, value=""))
    instruction = "(space toggles, Enter accepts)"
    question = questionary.checkbox(message, choices, instruction=instruction, **kwargs)
    question.application.erase_when_done = True  # the answered line is ours: it counts people
    chosen = list(ask(question))
    _answered(message, f"{sum(1 for n in chosen if n)} selected", kwargs.get("output"))
    return chosen


def _answered(message: str, answer: str, output: Output | None) -> None:
    """The line an answered question leaves, as questionary draws it."""
    tokens = [("class:qmark", "?"), ("class:question", f" {message} "), ("class:answer", answer)]
    style = merge_styles_default([None])
    print_formatted_text(FormattedText(tokens), style=style, output=output)


def confirm(message: str, *, default: bool = True, **kwargs: Any) -> bool:
    """Yes or no; Enter is `default` (yes unless told)."""
    return bool(ask(questionary.confirm(message, default=default, **kwargs)))

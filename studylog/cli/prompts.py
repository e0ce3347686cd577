"""The questions of `studylog new`, asked in the terminal; the only module importing questionary."""

from __future__ import annotations

import datetime as dt
import errno
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings

from studylog import paths
from studylog.blog.defaults import Defaults, title_for
from studylog.cli import editor
from studylog.config import Settings
from studylog.errors import EntryError, Interrupted
from studylog.post.model import QA, Topic, bullets_to_markdown, check_name, check_title, parse_date

Fields = dict[str, Any]
Validate = Callable[[str], bool | str]
EDIT = ":e"
NEW_NAME = "(type a new name)"
MORE_NAMES = "(add new names)"
FINISH = "(Esc then Enter, or Alt+Enter, to finish)\n>"
FINISH_OR_EDIT = "(Esc then Enter, or Alt+Enter, to finish; a last line :e opens your editor)\n>"
HEADING = re.compile(r"^\s*#{1,6}\s")


class Stopped(Interrupted):
    """A prompt ended by Ctrl-C, Ctrl-D or a signal; `partial` is the text it held."""

    def __init__(self, message: str = "interrupted", exit_code: int = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.partial = ""


class _Now:
    """The prompt being asked, for the signal handler; a signal's stop not yet raised."""

    app: Any = None
    stop: Stopped | None = None


_KEYS = KeyBindings()


@_KEYS.add("c-d")
def _end_of_input(event: KeyPressEvent) -> None:
    """Ctrl-D ends the session like Ctrl-C, whatever the prompt holds (it is kept)."""
    event.app.exit(exception=EOFError, style="class:aborting")


_MULTILINE_KEYS = KeyBindings()


@_MULTILINE_KEYS.add("enter")
def _plain_newline(event: KeyPressEvent) -> None:
    """Enter starts a line without copying the indentation: what is typed is what is kept."""
    event.current_buffer.newline(copy_margin=False)


def _add_keys(question: questionary.Question, keys: KeyBindings) -> questionary.Question:
    """The question, with `keys` taking precedence over its own bindings."""
    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])
    return question


def _ask(question: questionary.Question) -> Any:
    """Run one question; Ctrl-C, Ctrl-D and signals become Stopped holding the typed text."""
    app = _add_keys(question, _KEYS).application
    _Now.app, _Now.stop = app, None
    try:
        answer = question.unsafe_ask()
    except (KeyboardInterrupt, EOFError, Stopped, OSError) as exc:
        stop = _stop_for(exc)
        stop.partial = app.current_buffer.text
        raise stop from None
    finally:
        _Now.app = None
    if _Now.stop is not None:  # the signal came as the answer was accepted
        stop, _Now.stop = _Now.stop, None
        stop.partial = answer if isinstance(answer, str) else ""
        raise stop
    return answer


def _stop_for(exc: BaseException) -> Stopped:
    """What ended a prompt, as a Stopped; a terminal gone (EIO) is a hangup."""
    if isinstance(exc, Stopped):
        return exc
    if isinstance(exc, OSError):
        if _Now.stop is None and exc.errno != errno.EIO:
            raise exc
        return _Now.stop or Stopped("the terminal is gone", 128 + signal.SIGHUP)
    return Stopped()


def _on_signal(signum: int, _frame: Any) -> None:
    stop = Stopped(f"stopped by {signal.Signals(signum).name}", 128 + signum)
    app = _Now.app
    loop = getattr(app, "loop", None)
    if loop is None or loop.is_closed():
        raise stop  # no prompt is running: stop right here
    _Now.stop = stop
    loop.call_soon_threadsafe(_exit_app, app, stop)


def _exit_app(app: Any, stop: Stopped) -> None:
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
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGHUP wait while an answer is saved, so the draft holds it when they stop us."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGHUP})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@dataclass
class _Run:
    """One `collect`: the answers so far, what to offer, where to save."""

    answers: Fields
    defaults: Defaults
    settings: Settings
    previous: Fields
    on_answer: Callable[[Fields], None]
    day_for: Callable[[dt.date], int] | None
    kwargs: dict[str, Any]

    def keep(self, name: str, value: Any) -> None:
        """Record an answer and save the draft."""
        self.answers[name] = value
        with _signals_held():
            self.on_answer({**self.previous, **self.answers})

    def keep_partial(self, name: str, value: Any) -> None:
        """Save a field still being answered (a loop's items so far), not yet recorded."""
        with _signals_held():
            self.on_answer({**self.previous, **self.answers, name: value})

    def text(
        self,
        message: str,
        default: str = "",
        *,
        validate: Validate | None = None,
        multiline: bool = False,
        editable: bool = False,
        partial: Callable[[str], None] | None = None,
    ) -> str:
        """A text answer; with `editable`, a last word `:e` opens the editor on the text."""
        while True:
            question = _text(
                message, default, validate, multiline or "\n" in default, editable, self.kwargs
            )
            try:
                answer = _ask(question)
            except Stopped as stop:
                if partial is not None and stop.partial.strip() and stop.partial != default:
                    partial(stop.partial)  # typed, not yet accepted: kept all the same
                raise
            if not (editable and _wants_editor(answer)):
                return str(answer)
            edited, default = self._edit(_without_edit(answer))
            if edited is not None:
                return edited

    def _edit(self, text: str) -> tuple[str | None, str]:
        """The editor's text as the answer, or None and the text to offer again."""
        result = editor.edit(text, editor.command(self.settings.editor), paths.edits_dir())
        if result.error:
            _say(f"{result.error}; your text is kept in {result.path}")
            return None, result.text
        result.path.unlink(missing_ok=True)
        edited = result.text.strip("\n")
        if edited.strip() and edited != text.strip("\n"):
            return edited, edited
        _say("the editor left the text empty or unchanged: answer again (:e reopens it)")
        return None, edited or text


def _text(
    message: str,
    default: str,
    validate: Validate | None,
    multiline: bool,
    editable: bool,
    kwargs: dict[str, Any],
) -> questionary.Question:
    instruction = (FINISH_OR_EDIT if editable else FINISH) if multiline else None
    question = questionary.text(
        message,
        default=default,
        validate=validate,
        multiline=multiline,
        instruction=instruction,
        **kwargs,
    )
    return _add_keys(question, _MULTILINE_KEYS) if multiline else question


def _wants_editor(answer: str) -> bool:
    text = answer.rstrip()
    return text == EDIT or text.endswith((" " + EDIT, "\n" + EDIT, "\t" + EDIT))


def _without_edit(answer: str) -> str:
    return answer.rstrip()[: -len(EDIT)].rstrip()


def _validator(check: Callable[[str], object]) -> Validate:
    """A questionary validator from a check raising EntryError: True, or the error's message."""

    def validate(text: str) -> bool | str:
        try:
            check(text)
        except EntryError as exc:
            return exc.message
        return True

    return validate


def _typed_day(text: str) -> int:
    """A typed course day: a whole number."""
    word = text.strip()
    if not (word.isascii() and word.isdigit()):
        raise EntryError("a course day is a whole number: 1, 2, 3, ...")
    return int(word)


def _typed_title(text: str) -> str:
    """A typed title: one line, not empty."""
    if not text.strip():
        raise EntryError("the title is empty: give one")
    return check_title(text, "the title").strip()


def _typed_name(text: str) -> str:
    """A typed name."""
    return check_name(text, "the name")


def split_names(text: str) -> list[str]:
    """Comma-separated names, each checked; empty text is no names."""
    return [_typed_name(n) for n in text.split(",")] if text.strip() else []


def _unique(names: list[str]) -> list[str]:
    return [n for i, n in enumerate(names) if n and n not in names[:i]]


def mentoring_markdown(text: str) -> str:
    """Typed bullets (indent to nest) -> a Markdown list; text with a heading is kept as it is."""
    lines = text.strip("\n").split("\n")
    if any(HEADING.match(line) for line in lines):
        return text.strip("\n")
    return bullets_to_markdown(lines)


def _ask_date(run: _Run) -> None:
    default = run.previous.get("date", run.defaults.date)
    text = run.text(
        "Date (today, yesterday or YYYY-MM-DD)",
        default.isoformat(),
        validate=_validator(parse_date),
    )
    run.keep("date", parse_date(text))


def _day_default(run: _Run) -> int:
    date = run.answers.get("date", run.defaults.date)
    if "day" in run.previous and run.previous.get("date") == date:
        return int(run.previous["day"])
    if date == run.defaults.date or run.day_for is None:
        return run.defaults.day
    return run.day_for(date)


def _ask_day(run: _Run) -> None:
    text = run.text("Course day", str(_day_default(run)), validate=_validator(_typed_day))
    run.keep("day", _typed_day(text))


def _title_default(run: _Run) -> str:
    date = run.answers.get("date", run.defaults.date)
    day = run.answers.get("day", run.defaults.day)
    earlier = run.previous
    if "title" in earlier and (earlier.get("date"), earlier.get("day")) == (date, day):
        return str(earlier["title"])
    return title_for(day, date, run.settings)


def _ask_title(run: _Run) -> None:
    text = run.text(
        "Title",
        _title_default(run),
        validate=_validator(_typed_title),
        partial=lambda typed: run.keep_partial("title", typed.strip()),
    )
    run.keep("title", _typed_title(text))


def _ask_topics(run: _Run) -> None:
    earlier: list[Topic] = run.previous.get("topics", [])
    topics: list[Topic] = []
    while (topic := _ask_topic(run, topics, earlier)) is not None:
        topics.append(topic)
        run.keep_partial("topics", [*topics, *earlier[len(topics) :]])
    run.keep("topics", topics)


def _ask_topic(run: _Run, topics: list[Topic], earlier: list[Topic]) -> Topic | None:
    """The next topic (the earlier session's one offered), or None to finish."""
    old = earlier[len(topics)] if len(topics) < len(earlier) else Topic("")
    rest = earlier[len(topics) + 1 :]

    def pending(label: str, url: str | None) -> None:
        run.keep_partial("topics", [*topics, Topic(label, url), *rest])

    label = run.text(
        "Study topic (empty to finish)",
        old.label,
        partial=lambda typed: pending(typed.strip(), old.url),
    ).strip()
    if not label:
        return None
    pending(label, old.url)
    url = run.text(
        f'Link for "{label}" (empty for none)',
        old.url or "",
        partial=lambda typed: pending(label, typed.strip() or None),
    ).strip()
    return Topic(label, url or None)


def _ask_moderator(run: _Run) -> None:
    default = run.previous.get("moderator") or run.defaults.moderator
    names = _unique([*run.defaults.roster, default])
    if names:
        choices: list[str | questionary.Choice] = [*names, questionary.Choice(NEW_NAME, value="")]
        question = questionary.select(
            "Moderator", choices, default=default or names[0], **run.kwargs
        )
        chosen = _ask(question)
        if chosen:
            run.keep("moderator", check_name(chosen, "the moderator"))
            return
    typed = run.text("Moderator's name", validate=_validator(_typed_name))
    run.keep("moderator", check_name(typed, "the moderator"))


def _ask_participants(run: _Run) -> None:
    ticked: list[str] = list(run.previous.get("participants", run.defaults.participants))
    names = _unique([*ticked, *run.defaults.roster])
    chosen: list[str] = []
    if names:
        choices = [questionary.Choice(n, checked=n in ticked) for n in names]
        choices.append(questionary.Choice(MORE_NAMES, value=""))
        question = questionary.checkbox(
            "Participants", choices, instruction="(space toggles, Enter accepts)", **run.kwargs
        )
        chosen = [check_name(n, "a participant") if n else n for n in _ask(question)]
        if "" not in chosen:
            run.keep("participants", chosen)
            return
        chosen.remove("")
    more = run.text("More participants (comma-separated)", validate=_validator(split_names))
    run.keep("participants", _unique([*chosen, *split_names(more)]))


def _ask_discussion(run: _Run) -> None:
    earlier: list[QA] = run.previous.get("discussion", [])
    pairs: list[QA] = []
    while (pair := _ask_pair(run, pairs, earlier)) is not None:
        pairs.append(pair)
        run.keep_partial("discussion", [*pairs, *earlier[len(pairs) :]])
    run.keep("discussion", pairs)


def _ask_pair(run: _Run, pairs: list[QA], earlier: list[QA]) -> QA | None:
    """The next question and its answer (the earlier session's offered), or None to finish."""
    old = earlier[len(pairs)] if len(pairs) < len(earlier) else QA("", "")
    rest = earlier[len(pairs) + 1 :]

    def pending(question: str, answer: str) -> None:
        run.keep_partial("discussion", [*pairs, QA(question, answer), *rest])

    question = run.text(
        "Question (empty to finish; :e opens your editor)",
        old.question,
        editable=True,
        partial=lambda typed: pending(typed.strip("\n"), old.answer),
    ).strip("\n")
    if not question.strip():
        return None
    pending(question, old.answer)
    answer = run.text(
        "Answer",
        old.answer,
        multiline=True,
        editable=True,
        partial=lambda typed: pending(question, typed.strip("\n")),
    )
    return QA(question, answer.strip("\n"))


def _ask_mentoring(run: _Run) -> None:
    offered = run.previous.get("mentoring", "")
    text = run.text(
        "Mentoring (one bullet a line, indent to nest)",
        offered,
        multiline=True,
        editable=True,
        partial=lambda typed: run.keep_partial("mentoring", mentoring_markdown(typed)),
    )
    # Accepted as offered (a post being edited, a draft): kept as it is, free-form text too.
    run.keep("mentoring", offered if text == offered else mentoring_markdown(text))


STEPS: tuple[tuple[str, Callable[[_Run], None]], ...] = (
    ("date", _ask_date),
    ("day", _ask_day),
    ("title", _ask_title),
    ("topics", _ask_topics),
    ("moderator", _ask_moderator),
    ("participants", _ask_participants),
    ("discussion", _ask_discussion),
    ("mentoring", _ask_mentoring),
)


def collect(
    given: Fields,
    defaults: Defaults,
    settings: Settings,
    *,
    previous: Fields | None = None,
    on_answer: Callable[[Fields], None] | None = None,
    day_for: Callable[[dt.date], int] | None = None,
    **kwargs: Any,
) -> Fields:
    """Ask for every content field not in `given`, in order, offering `previous` answers first.

    `on_answer` gets all fields so far after every answer (the draft); `day_for` gives the
    course day of another date; `kwargs` go to prompt_toolkit (input=, output= in tests).
    """
    run = _Run(
        dict(given),
        defaults,
        settings,
        dict(previous or {}),
        on_answer or (lambda _fields: None),
        day_for,
        kwargs,
    )
    for name, step in STEPS:
        if name not in given:
            step(run)
    return run.answers


def confirm(message: str, **kwargs: Any) -> bool:
    """Yes or no; Enter is yes."""
    return bool(_ask(questionary.confirm(message, default=True, **kwargs)))

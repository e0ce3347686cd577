"""The questions of `studylog new` and `edit`: the day's record, field by field, in order.

Each answer is checked as it is typed, offered from an earlier session when there is one, and
handed to `on_answer` (the draft) at once. The terminal side is `prompts`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from studylog.blog.defaults import Defaults, title_for
from studylog.cli import editor, prompts
from studylog.config import Settings
from studylog.errors import EntryError
from studylog.post.model import QA, Topic, bullets_to_markdown, check_name, check_title, parse_date

Fields = dict[str, Any]
Item = TypeVar("Item", Topic, QA)
NEW_NAME = "(type a new name)"
MORE_NAMES = "(add new names)"
HEADING = re.compile(r"^\s*#{1,6}\s")


@dataclass(frozen=True)
class _Run:
    """One `collect`: the answers so far, what to offer, where to save."""

    answers: Fields
    defaults: Defaults
    settings: Settings
    previous: Fields
    on_answer: Callable[[Fields], None]
    day_for: Callable[[dt.date], int] | None
    taken: Callable[[dt.date], str | None] | None
    kwargs: dict[str, Any]
    roster: list[str]  # the defaults' roster, and every name typed in this session

    def known(self, *names: str) -> list[str]:
        """The names, each joining the session's roster if new to it (after the others)."""
        self.roster.extend(_unique([n for n in names if n not in self.roster]))
        return list(names)

    def keep(self, name: str, value: Any) -> None:
        """Record an answer and save the draft."""
        self.answers[name] = value
        with prompts.signals_held():
            self.on_answer({**self.previous, **self.answers})

    def keep_partial(self, name: str, value: Any) -> None:
        """Save a field still being answered (a loop's items so far), not yet recorded."""
        with prompts.signals_held():
            self.on_answer({**self.previous, **self.answers, name: value})

    def text(
        self,
        message: str,
        default: str = "",
        *,
        validate: Callable[[str], object] | None = None,
        multiline: bool = False,
        editable: bool = False,
        partial: Callable[[str], None] | None = None,
        empty_ends: bool = False,
    ) -> str:
        """A text answer checked by `validate`; with `editable`, `:e` opens the editor; with
        `empty_ends`, Enter on an empty multi-line answer accepts it."""
        return prompts.text(
            message,
            default,
            validate=None if validate is None else _validator(validate),
            multiline=multiline,
            editor_command=editor.command(self.settings.editor) if editable else None,
            partial=partial,
            empty_ends=empty_ends,
            **self.kwargs,
        )


def _validator(check: Callable[[str], object]) -> prompts.Validate:
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


def _typed_link(text: str) -> str:
    """A typed topic link: nothing, a URL (https://...) or a site path (/...), with no spaces."""
    link = text.strip()
    parts = urlsplit(link)
    web = parts.scheme in ("http", "https") and bool(parts.netloc)
    if link and (any(c.isspace() for c in link) or not (web or link.startswith("/"))):
        raise EntryError(
            "not a link: give a URL (https://...) or a site path (/...), or nothing for none"
        )
    return link


def split_names(text: str) -> list[str]:
    """Comma-separated names, each checked; empty text is no names."""
    return [_typed_name(n) for n in text.split(",")] if text.strip() else []


def _unique(names: list[str]) -> list[str]:
    return [n for i, n in enumerate(names) if n and n not in names[:i]]


def mentoring_markdown(text: str) -> str:
    """Typed bullets (indent to nest) -> a Markdown list; a heading line (`####`) is kept as
    typed, between blank lines, and the lines under it are bullets again."""
    blocks: list[str] = []
    run: list[str] = []
    for line in [*text.strip("\n").split("\n"), "#"]:  # a last heading ends the last run
        if not HEADING.match(line + " "):
            run.append(line)
            continue
        blocks.append(bullets_to_markdown(run))
        blocks.append(line.strip())
        run = []
    return "\n\n".join(block for block in blocks[:-1] if block)


def _ask_date(run: _Run) -> None:
    default = run.previous.get("date", run.defaults.date)
    text = run.text(
        "Date (today, yesterday or YYYY-MM-DD)",
        default.isoformat(),
        validate=lambda typed: _free_date(run, parse_date(typed)),
    )
    run.keep("date", parse_date(text))


def _free_date(run: _Run, date: dt.date) -> dt.date:
    """The date, if the blog has no post on it yet (EntryError naming that post otherwise)."""
    post = None if run.taken is None else run.taken(date)
    if post is not None:
        raise EntryError(f"{date} already has a post: `studylog edit {post}` to change it")
    return date


def _day_default(run: _Run) -> int:
    date = run.answers.get("date", run.defaults.date)
    if "day" in run.previous and run.previous.get("date") == date:
        return int(run.previous["day"])
    if date == run.defaults.date or run.day_for is None:
        return run.defaults.day
    return run.day_for(date)


def _ask_day(run: _Run) -> None:
    text = run.text("Course day", str(_day_default(run)), validate=_typed_day)
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
        validate=_typed_title,
        partial=lambda typed: run.keep_partial("title", typed.strip()),
    )
    run.keep("title", _typed_title(text))


def _ask_items(
    run: _Run,
    name: str,
    ask_one: Callable[[_Run, Item, Callable[[Item], None]], Item | None],
    blank: Item,
) -> None:
    """A list field item by item until an empty answer, the earlier session's items offered.

    `ask_one(run, offered, pending)` asks for one item, handing each half-typed one to `pending`.
    """
    earlier: list[Item] = run.previous.get(name, [])
    items: list[Item] = []
    while True:
        offered = earlier[len(items)] if len(items) < len(earlier) else blank
        pending = _saving_between(run, name, list(items), earlier[len(items) + 1 :])
        item = ask_one(run, offered, pending)
        if item is None:
            break
        items.append(item)
        run.keep_partial(name, [*items, *earlier[len(items) :]])
    run.keep(name, items)


def _saving_between(
    run: _Run, name: str, before: list[Item], after: list[Item]
) -> Callable[[Item], None]:
    """What saves the list with an item being typed between `before` and `after`."""
    return lambda item: run.keep_partial(name, [*before, item, *after])


def _ask_topics(run: _Run) -> None:
    _ask_items(run, "topics", _ask_topic, Topic(""))


def _ask_topic(run: _Run, old: Topic, pending: Callable[[Topic], None]) -> Topic | None:
    """The next topic (the earlier session's one offered), or None to finish."""
    label = run.text(
        "Study topic (empty to finish)",
        old.label,
        partial=lambda typed: pending(Topic(typed.strip(), old.url)),
    ).strip()
    if not label:
        return None
    pending(Topic(label, old.url))
    url = run.text(
        f'Link for "{label}" (empty for none)',
        old.url or "",
        validate=_typed_link,
        partial=lambda typed: pending(Topic(label, typed.strip() or None)),
    )
    return Topic(label, _typed_link(url) or None)


def _ask_moderator(run: _Run) -> None:
    default = run.previous.get("moderator") or run.defaults.moderator
    names = _unique([*run.roster, default])
    if names:
        chosen = prompts.select(
            "Moderator", names, default=default or names[0], other=NEW_NAME, **run.kwargs
        )
        if chosen:
            run.keep("moderator", check_name(chosen, "the moderator"))
            return
    typed = run.text("Moderator's name", validate=_typed_name)
    run.keep("moderator", run.known(check_name(typed, "the moderator"))[0])


def _ask_participants(run: _Run) -> None:
    """Everyone there, the moderator too: the roster in its own order, the moderator ticked."""
    moderator = run.answers.get("moderator") or run.previous.get("moderator", "")
    earlier: list[str] = list(run.previous.get("participants", run.defaults.participants))
    ticked = _unique([*earlier, moderator])
    names = _unique([*run.roster, *ticked])
    chosen: list[str] = []
    if names:
        answer = prompts.checkbox(
            "Participants", names, checked=ticked, other=MORE_NAMES, **run.kwargs
        )
        chosen = [check_name(n, "a participant") if n else n for n in answer]
        if "" not in chosen:
            run.keep("participants", _in_order(chosen, ticked))
            return
        chosen.remove("")
    more = run.text("More participants (comma-separated)", validate=split_names)
    run.keep("participants", _unique([*_in_order(chosen, ticked), *run.known(*split_names(more))]))


def _in_order(chosen: list[str], earlier: list[str]) -> list[str]:
    """The chosen names, those offered ticked first in their earlier order (an edit keeps it)."""
    return [n for n in earlier if n in chosen] + [n for n in chosen if n not in earlier]


def _ask_discussion(run: _Run) -> None:
    _ask_items(run, "discussion", _ask_pair, QA("", ""))


def _ask_pair(run: _Run, old: QA, pending: Callable[[QA], None]) -> QA | None:
    """The next question and its answer (the earlier session's offered), or None to finish."""
    question = run.text(
        "Question (empty to finish)",
        old.question,
        multiline=True,
        editable=True,
        empty_ends=True,
        partial=lambda typed: pending(QA(typed.strip("\n"), old.answer)),
    ).strip("\n")
    if not question.strip():
        return None
    pending(QA(question, old.answer))
    answer = run.text(
        "Answer",
        old.answer,
        multiline=True,
        editable=True,
        partial=lambda typed: pending(QA(question, typed.strip("\n"))),
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


def _given_date_is_free(run: _Run, date: dt.date) -> None:
    """A date given by a flag or --from that has a post already stops before any question."""
    try:
        _free_date(run, date)
    except EntryError as exc:
        raise EntryError(f"{exc.message}, or give another --date") from None


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
    taken: Callable[[dt.date], str | None] | None = None,
    **kwargs: Any,
) -> Fields:
    """Ask for every content field not in `given`, in order, offering `previous` answers first.

    `on_answer` gets all fields so far after every answer (the draft); `day_for` gives the
    course day of another date; `taken` names the post a date already has, to ask another date;
    `kwargs` go to prompt_toolkit (input=, output= in tests).
    """
    run = _Run(
        dict(given),
        defaults,
        settings,
        dict(previous or {}),
        on_answer or (lambda _fields: None),
        day_for,
        taken,
        kwargs,
        list(defaults.roster),
    )
    if "date" in given:
        _given_date_is_free(run, given["date"])
    for name, step in STEPS:
        if name not in given:
            step(run)
    return run.answers

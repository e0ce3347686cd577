"""The day's record (an entry) and its validation; no I/O."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studylog.errors import EntryError

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
OFFSET_GAP = re.compile(r"\s+(?=[+-]\d\d:?\d\d$|Z$)")  # `08:30:00 +0900`, as Jekyll reads it

# The fields a person answers for the day (the questions of `new`, in order)...
CONTENT_FIELDS = (
    "date",
    "day",
    "title",
    "topics",
    "moderator",
    "participants",
    "discussion",
    "mentoring",
)
# ... and every field of an entry: those, and what a post keeps besides.
FIELDS = (*CONTENT_FIELDS, "front_matter", "extras")

# Where text the template does not know is kept, so that re-rendering a post gives it back in
# place: before the first section, at the end of each section, and the closing block.
EXTRA_SLOTS = ("head", "topics", "peer", "discussion", "mentoring", "tail", "footer")


@dataclass(frozen=True, slots=True)
class Topic:
    """A study topic: a badge link when `url` is set, plain text otherwise."""

    label: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class QA:
    """One question of the peer session and its answer, both Markdown."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Entry:
    """Everything one daily post records."""

    date: dt.date
    day: int
    title: str
    topics: list[Topic] = field(default_factory=list)
    moderator: str = ""
    participants: list[str] = field(default_factory=list)
    discussion: list[QA] = field(default_factory=list)
    mentoring: str = ""
    front_matter: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Every text field as NFC with LF line ends, however the entry was made."""
        cleaned = {
            "title": clean_text(self.title),
            "topics": [
                Topic(clean_text(t.label), t.url and clean_text(t.url)) for t in self.topics
            ],
            "moderator": clean_text(self.moderator),
            "participants": [clean_text(p) for p in self.participants],
            "discussion": [
                QA(clean_text(q.question), clean_text(q.answer)) for q in self.discussion
            ],
            "mentoring": clean_text(self.mentoring),
            "extras": {k: clean_text(v) for k, v in self.extras.items()},
        }
        for name, value in cleaned.items():
            object.__setattr__(self, name, value)  # frozen: set once, while being made

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (the fields of the `.entry.yaml` example)."""
        return fields_to_mapping({name: getattr(self, name) for name in FIELDS})


def fields_to_mapping(fields: dict[str, Any]) -> dict[str, Any]:
    """(Some of) an entry's fields as JSON-ready data; the inverse of `fields_from_mapping`."""
    data: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "topics":
            data[name] = [_topic_dict(t) for t in value]
        elif name == "discussion":
            data[name] = [{"question": q.question, "answer": q.answer} for q in value]
        else:
            data[name] = _jsonable(value)
    return data


def _topic_dict(topic: Topic) -> dict[str, str]:
    return {"label": topic.label, "url": topic.url} if topic.url else {"label": topic.label}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def clean_text(text: str) -> str:
    """Text as studylog writes it: composed (NFC, as macOS and some editors do not paste it) and
    with LF line ends (a CRLF or a lone CR becomes LF)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def parse_date(text: str, today: dt.date | None = None, what: str = "date") -> dt.date:
    """A date from `today`, `yesterday`, or YYYY-MM-DD; EntryError (naming `what`) otherwise."""
    today = today or dt.date.today()
    word = text.strip().lower()
    if word in ("", "today", "오늘"):
        return today
    if word in ("yesterday", "어제"):
        return today - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(word)
    except ValueError as exc:
        raise EntryError(
            f"{what} {text!r} is not a date: use YYYY-MM-DD, today or yesterday"
        ) from exc


def check_name(name: Any, what: str) -> str:
    """A person's name: a non-empty single line."""
    if not isinstance(name, str):
        raise EntryError(f"{what} must be text, not {type(name).__name__}")
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise EntryError(f"{what} is empty: give a name")
    if "\n" in name or "\r" in name:
        raise EntryError(f"{what} {name!r} holds a line break: a name is one line")
    _no_control(name, f"{what} {name!r}")
    if "," in name:
        raise EntryError(f"{what} {name!r} holds a comma: participants are comma-separated")
    return name


def check_title(title: Any, what: str = "field 'title'") -> str:
    """A title: one line of text."""
    if not isinstance(title, str):
        raise EntryError(f"{what} must be text, not {type(title).__name__}: put it in quotes")
    if "\n" in title or "\r" in title:
        raise EntryError(f"{what} holds a line break: it must be one line")
    _no_control(title, what)
    return unicodedata.normalize("NFC", title)


def _no_control(text: str, what: str) -> None:
    bad = [c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r"]
    if bad:
        raise EntryError(f"{what} holds the control character U+{ord(bad[0]):04X}: remove it")


def _only_known(data: dict[Any, Any], known: tuple[str, ...], message: str) -> None:
    """EntryError naming the first key of `data` not in `known` (and listing those)."""
    unknown = [k for k in data if k not in known]
    if unknown:
        raise EntryError(message.format(unknown[0], ", ".join(known)))


def fields_from_mapping(data: Any) -> dict[str, Any]:
    """Validate a (partial) entry from YAML/JSON; returns only the fields present."""
    if not isinstance(data, dict):
        raise EntryError("the entry must be a mapping of fields (date, day, title, topics, ...)")
    _only_known(data, FIELDS, "unknown field '{}': the fields are {}")
    fields = {k: _CONVERT[k](v) for k, v in data.items() if v is not None}
    return _date_agrees(fields)


def _date_agrees(fields: dict[str, Any]) -> dict[str, Any]:
    """The post's date (its file name) and a front matter date must be the same day; a time
    with an offset stays a date-time until the blog's timezone gives its day (`site_dated`)."""
    stamp = fields.get("front_matter", {}).get("date")
    given = fields.get("date")
    if isinstance(given, dt.datetime):
        if isinstance(stamp, dt.date) and stamp != given:
            raise EntryError(
                f"field 'front_matter.date' ({stamp}) is not field 'date' ({given}): "
                "give the time in one of them"
            )
        return fields
    if not isinstance(stamp, dt.date):
        return fields
    if isinstance(stamp, dt.datetime) and given is None:
        fields["date"] = stamp
        return fields
    day = site_day(stamp, given)  # a day either side of a time's own: the site's timezone decides
    fields.setdefault("date", day)
    if fields["date"] != day:
        raise EntryError(
            f"field 'front_matter.date' ({stamp}) is not the day of field 'date' "
            f"({fields['date']}): make them the same day"
        )
    return fields


def stamp_of(value: Any) -> dt.date | None:
    """A front matter date as a date or date-time (YAML gives either, or text); None if neither."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = OFFSET_GAP.sub("", value.strip())
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def site_day(stamp: dt.date, named: dt.date | None) -> dt.date:
    """The day a front matter date files its post under. A time with an offset falls on the
    site's day, which the file name gives when within a day of the time's own (check says
    when the two disagree); a time without one is read in the site's timezone: its own day."""
    day = stamp.date() if isinstance(stamp, dt.datetime) else stamp
    if not isinstance(stamp, dt.datetime) or stamp.utcoffset() is None or named is None:
        return day
    return named if abs((named - day).days) <= 1 else day


def with_offset(stamp: dt.datetime, what: str) -> dt.datetime:
    """A date-time with a UTC offset; EntryError (naming `what`) for one without."""
    if stamp.utcoffset() is None:
        # Jekyll reads a time without an offset in the site's timezone, whatever the writer meant.
        raise EntryError(
            f"{what} ({stamp}) has a time but no UTC offset: "
            f"add one ({stamp.astimezone().isoformat(' ')}) or write only the date"
        )
    return stamp


def _date(value: Any) -> dt.date:
    """The post's date; a date-time with an offset is kept (the blog's timezone gives its day)."""
    if isinstance(value, str):
        value = value.strip()
        stamp = stamp_of(value)
        if stamp is None and ISO_DAY.fullmatch(value):
            raise EntryError(
                f"field 'date': {value} does not exist; give a real date (YYYY-MM-DD)"
            ) from None
        value = stamp if stamp is not None else value
    if isinstance(value, dt.datetime):
        return with_offset(value, "field 'date'")
    if isinstance(value, dt.date):
        return value
    raise EntryError(f"field 'date': {value!r} is not a date; write it as YYYY-MM-DD")


def _day(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EntryError(f"field 'day': {value!r} is not a course day; give a whole number")
    return value


def _text(name: str, *, one_line: bool = False) -> Callable[[Any], str]:
    def convert(value: Any) -> str:
        if not isinstance(value, str):
            kind = type(value).__name__
            raise EntryError(f"field '{name}' must be text, not {kind}: put it in quotes")
        if one_line and ("\n" in value or "\r" in value):
            raise EntryError(f"field '{name}' holds a line break: it must be one line")
        _no_control(value, f"field '{name}'")
        return clean_text(value)

    return convert


def _topics(value: Any) -> list[Topic]:
    if not isinstance(value, list):
        raise EntryError("field 'topics' must be a list of {label, url} items")
    return [_topic(item, i) for i, item in enumerate(value, 1)]


def _topic(item: Any, i: int) -> Topic:
    if isinstance(item, str):
        item = {"label": item}
    if not isinstance(item, dict) or set(item) - {"label", "url"}:
        raise EntryError(
            f"field 'topics', item {i}: give a mapping with 'label' and optional 'url'"
        )
    if item.get("label") is None:
        raise EntryError(f"field 'topics', item {i}: the label is missing; give 'label: TEXT'")
    label = _text(f"topics[{i}].label", one_line=True)(item["label"])
    if not label.strip():
        raise EntryError(f"field 'topics', item {i}: the label is empty; give 'label: TEXT'")
    url = item.get("url")
    if url is not None:
        url = _text(f"topics[{i}].url", one_line=True)(url).strip() or None
    return Topic(label.strip(), url)


def _participants(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise EntryError("field 'participants' must be a list of names, like [김민준, 이서연]")
    return [check_name(v, "field 'participants': name") for v in value]


def _discussion(value: Any) -> list[QA]:
    if not isinstance(value, list):
        raise EntryError("field 'discussion' must be a list of {question, answer} items")
    return [_qa(item, i) for i, item in enumerate(value, 1)]


def _qa(item: Any, i: int) -> QA:
    if not isinstance(item, dict) or set(item) - {"question", "answer"}:
        raise EntryError(f"field 'discussion', item {i}: give a mapping with question and answer")
    question = _text(f"discussion[{i}].question")(item.get("question", ""))
    answer = _text(f"discussion[{i}].answer")(item.get("answer", ""))
    if not question.strip():
        raise EntryError(
            f"field 'discussion', item {i}: the question is empty; give 'question: TEXT'"
        )
    return QA(question.strip("\n"), answer.strip("\n"))


def _front_matter(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise EntryError("field 'front_matter' must be a mapping of 'key: value' lines")
    result = dict(value)
    for key in ("date", "last_modified_at"):
        if isinstance(result.get(key), str):
            result[key] = _fm_date(result[key])
    stamp = result.get("date")
    if isinstance(stamp, dt.datetime):
        with_offset(stamp, "field 'front_matter.date'")
    return result


def _fm_date(text: str) -> Any:
    stamp = stamp_of(text)
    return text if stamp is None else stamp


def _extras(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise EntryError("field 'extras' must be a mapping of text")
    _only_known(value, EXTRA_SLOTS, "field 'extras': unknown slot '{}' ({})")
    return {k: _text(f"extras.{k}")(v) for k, v in value.items()}


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "date": _date,
    "day": _day,
    "title": check_title,
    "topics": _topics,
    "moderator": lambda v: check_name(v, "field 'moderator'"),
    "participants": _participants,
    "discussion": _discussion,
    "mentoring": _text("mentoring"),
    "front_matter": _front_matter,
    "extras": _extras,
}


def bullets_to_markdown(lines: list[str]) -> str:
    """Mentoring bullets typed one a line, indentation = nesting -> a Markdown list (4 spaces)."""
    out: list[str] = []
    stack: list[int] = []  # indentation widths of the open levels
    for raw in lines:
        if not raw.strip():
            continue
        expanded = raw.replace("\t", "    ")
        width = len(expanded) - len(expanded.lstrip(" "))
        while stack and width < stack[-1]:
            stack.pop()
        if not stack or width > stack[-1]:
            stack.append(width)
        text = expanded.strip()
        if text[:2] in ("- ", "* ", "+ "):
            text = text[2:].strip()
        out.append("    " * (len(stack) - 1) + "- " + text)
    return "\n".join(out)

"""A post's title for a commit message without the YAML parser (whose import costs more than a
commit): a line scan of plain front matter that gives exactly what `parse.summarize` gives, or
None when the front matter is anything it does not fully vouch for (then the caller parses).

The scan accepts block mappings and sequences of one-line scalars: keys of letters, digits, `_`
and `-`; values double-quoted without escapes, single-quoted without quotes inside, `[]`, `{}`
or plain words that cannot start a YAML token or end a key. PyYAML reads all of that without
error, and a top-level `title` that is quoted, or a plain one starting with a letter and not a
YAML word (yes, no, on, off, true, false, null), is that text. tests/test_posttitle.py holds
the scan to the parser on generated front matter.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from studylog.blog.site import date_from_name

END_LINE = re.compile(r"(?:---|\.\.\.)[ \t]*")
ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
DOUBLE = re.compile(r'"([^"\\]*)" *')
SINGLE = re.compile(r"'([^']*)' *")
PLAIN_START = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]")
DATE_VALUE = re.compile(
    r"\d{4}-\d\d-\d\d(?:[Tt ]\d\d?:\d\d(?::\d\d(?:\.\d+)?)?(?: ?(?:Z|[+-]\d\d?(?::?\d\d)?))?)?"
)
DATE_TEXT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")  # as parse.post_date reads text
YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}


class Unsure(Exception):
    """The front matter is not in the plain subset this scan reads."""


def title(text: str, path: Path) -> str | None:
    """`parse.summarize(text, path).title`, or None when only the parser can tell."""
    front = _front(text)
    if front is None:
        return None
    lines = [(len(line) - len(line.lstrip(" ")), line.strip(" ")) for line in front]
    lines = [(indent, rest) for indent, rest in lines if rest and not rest.startswith("#")]
    try:
        top = _Scan(lines).top()
    except Unsure:
        return None
    if not _dated(top.get("date"), path):
        return None
    value = top.get("title")
    return None if value is None else _title(value)


def _front(text: str) -> list[str] | None:
    """The front matter's lines, as `parse.split_front` cuts them; None when it would fail."""
    lines = text.split("\n")
    if lines[0] != "---":
        return None
    for number, line in enumerate(lines[1:], 1):
        if END_LINE.fullmatch(line):
            front = lines[1:number]
            # Printable (no tab, control, line separator, BOM or surrogate): what YAML takes too.
            return front if all(line.isprintable() for line in front) else None
    return None


class _Scan:
    """A recursive check of the block structure; records the top-level scalars' raw values."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        self.lines = lines
        self.at = 0
        self.top_values: dict[str, str] = {}

    def top(self) -> dict[str, str]:
        """The top-level mapping's inline values (raw text); Unsure unless all lines are read."""
        if not self.lines or self.lines[0][0] != 0:
            raise Unsure
        self.mapping(0, top=True)
        if self.at != len(self.lines):
            raise Unsure
        return self.top_values

    def peek(self) -> tuple[int, str] | None:
        return self.lines[self.at] if self.at < len(self.lines) else None

    def mapping(self, indent: int, *, top: bool = False, first: str | None = None) -> None:
        """Entries at `indent` (`first`: the entry's text after a sequence's `- `)."""
        while True:
            if first is not None:
                text, first = first, None
            else:
                line = self.peek()
                if line is None or line[0] < indent or _is_item(line[1]):
                    return
                if line[0] > indent:
                    raise Unsure
                text = line[1]
                self.at += 1
            match = ENTRY.fullmatch(text)
            if match is None:
                raise Unsure
            key, value = match[1], (match[2] or "").rstrip(" ")
            if top and key in ("title", "date"):
                if key in self.top_values:
                    raise Unsure  # YAML keeps the last one: not worth following
                self.top_values[key] = value
            if value:
                _scalar(value)
                self.scalar_ends(indent)
            else:
                self.value_block(indent, top and key in ("title", "date"))

    def value_block(self, indent: int, scalar_only: bool) -> None:
        """What follows `key:`: a nested block, a sequence at the key's indent, or nothing."""
        line = self.peek()
        if line is None or line[0] < indent or (line[0] == indent and not _is_item(line[1])):
            return
        if scalar_only:
            raise Unsure
        if line[0] == indent:
            self.sequence(indent)
        else:
            self.node(line[0])

    def node(self, indent: int) -> None:
        line = self.peek()
        if line is not None and _is_item(line[1]):
            self.sequence(indent)
        else:
            self.mapping(indent)

    def sequence(self, indent: int) -> None:
        """`- ` items at `indent`: scalars or compact mappings."""
        while (line := self.peek()) is not None and line[0] == indent and _is_item(line[1]):
            self.at += 1
            rest = line[1][2:]
            if rest.startswith(" ") or not rest:
                raise Unsure
            if ENTRY.fullmatch(rest):
                self.mapping(indent + 2, first=rest)
            else:
                _scalar(rest)
                self.scalar_ends(indent)
        if line is not None and line[0] > indent:
            raise Unsure

    def scalar_ends(self, indent: int) -> None:
        """A one-line scalar: a deeper line next would continue it (or be an error)."""
        line = self.peek()
        if line is not None and line[0] > indent:
            raise Unsure


def _is_item(text: str) -> bool:
    return text == "-" or text.startswith("- ")


def _scalar(value: str) -> None:
    """Unsure unless the value is a one-line scalar YAML reads without error."""
    if value in ("[]", "{}"):  # empty flow collections
        ok = True
    elif value[0] == '"':
        ok = DOUBLE.fullmatch(value) is not None
    elif value[0] == "'":
        ok = SINGLE.fullmatch(value) is not None
    else:
        ok = bool(PLAIN_START.match(value)) and ": " not in value and " #" not in value
        ok = ok and not value.endswith(":")
    if not ok:
        raise Unsure


def _title(value: str) -> str | None:
    """The title text of a raw value; None for a plain one YAML might not read as text."""
    if not value:
        return ""  # `title:` with nothing: null, which the parser makes ""
    if value[0] in "\"'":
        return value.rstrip(" ")[1:-1]
    if value != value.strip() or not value[0].isalpha() or value.lower() in YAML_WORDS:
        return None
    return value


def _dated(value: str | None, path: Path) -> bool:
    """Whether `parse.post_date` finds a date: a valid front matter one, else the name's."""
    if not value:
        return date_from_name(path) is not None
    if value[0] in "\"'":
        text = value.rstrip(" ")[1:-1].strip()
    elif DATE_VALUE.fullmatch(value):
        text = value
    else:
        return False
    match = DATE_TEXT.match(text)
    if match is None:
        return False
    try:
        dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True

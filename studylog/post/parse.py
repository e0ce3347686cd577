"""Post text -> the Entry it records; never writes.

python-frontmatter reads the front matter, through a YAML handler that splits a post as Jekyll
does; the section parser (`sections`) reads the body. The handler's own `split` and `load` are
called rather than `frontmatter.loads`, which strips the text (a body must come back as written)
and passes the mapping on as keyword arguments (a key may be any YAML value).

A post that cannot be read raises PostError with its path and the reason: not UTF-8, no or an
unclosed front matter, invalid YAML, a front matter that is no mapping, no or an impossible date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from yaml.constructor import SafeConstructor

from studylog.config import Settings
from studylog.errors import PostError
from studylog.post import sections
from studylog.post.grammar import Grammar, grammar
from studylog.post.model import Entry, site_day, stamp_of

FRONT_START = re.compile(r"---[ \t]*$", re.MULTILINE)
FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
# Any of Jekyll's default markdown_ext, in any case.
POST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)\.(md|markdown|mkdown|mkdn|mkd)$", re.I)
DAY_IN_TITLE = re.compile(r"day\s*(\d+)", re.IGNORECASE)
DATE_TEXT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
LIQUID_OPEN_TAG = '{{ "{%" }}'  # how render writes a literal `{%` after closing a raw block


class NoFrontMatter(ValueError):
    """The text does not start with a `---` line."""


class UnclosedFrontMatter(ValueError):
    """No `---` or `...` line closes the front matter."""


class JekyllHandler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, splitting as Jekyll does and loading with
    `yaml_loader` (impossible dates stay text, so that the reader can name them)."""

    FM_BOUNDARY = FRONT_START  # `detect`: the first line opens the front matter

    def split(self, text: str) -> tuple[str, str]:
        """(front matter, body): between a first `---` line and the next `---` or `...` line."""
        first, _, rest = text.partition("\n")
        if first.rstrip() != "---":
            raise NoFrontMatter(first)
        end = FRONT_END.search(rest)
        if end is None:
            raise UnclosedFrontMatter(first)
        return rest[: end.start()], rest[end.end() + 1 :]

    def load(self, fm: str, **kwargs: object) -> Any:
        """The front matter's YAML value (None when empty); yaml.YAMLError if it is no YAML."""
        kwargs.setdefault("Loader", yaml_loader())
        return super().load(fm, **kwargs)


HANDLER = JekyllHandler()


def _lenient_timestamp(loader: SafeConstructor, node: yaml.Node) -> object:
    """A YAML date that is no real date (2021-13-45) stays text, so the caller names it."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


@lru_cache(maxsize=2)
def yaml_loader(fast: bool = True) -> type[yaml.SafeLoader]:
    """A safe YAML loader that keeps impossible dates as text; `fast`: libyaml's when present
    (its error messages are Jekyll's parser's), else the pure-Python one (whose say more)."""
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if fast else yaml.SafeLoader

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
    return Loader


# A quote or bracket that YAML finds unclosed only lines later: the mistake is where it opens.
OPENED = {
    "while scanning a quoted scalar": "the quoted text",
    "while parsing a flow sequence": "the [ list",
    "while parsing a flow mapping": "the { mapping",
}


def yaml_problem(exc: yaml.YAMLError, first_line: int) -> str:
    """What a YAML error says, and on which line of the file the mistake is (the text's first
    line is `first_line`): where a quote or bracket opens, else where YAML stopped."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    opened = OPENED.get(getattr(exc, "context", None) or "")
    start = getattr(exc, "context_mark", None)
    if opened and start is not None and (mark is None or start.line < mark.line):
        return f"line {start.line + first_line}: {problem} in {opened} opened on this line"
    return f"line {mark.line + first_line}: {problem}" if mark else problem


def grammar_for(settings: Settings) -> Grammar:
    """The section grammar for the configured headings and footer."""
    return grammar(tuple(sorted(settings.headings.items())), settings.footer)


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 text without a BOM, with LF line ends and composed (NFC: a post saved decomposed
    reads as the same names and words); PostError if it is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PostError(
            str(path),
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            "save it as UTF-8",
        ) from exc
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def split_front(text: str, path: Path | str) -> tuple[str, str]:
    """(front matter, body) as Jekyll splits them: between a first `---` line and the next."""
    try:
        return HANDLER.split(text)
    except NoFrontMatter:
        reason = "no front matter: a post starts with a '---' line"
    except UnclosedFrontMatter:
        reason = "the front matter is not closed: add a '---' line after it"
    raise PostError(str(path), reason)


def front_matter(front: str, path: Path | str) -> dict[str, Any]:
    """The front matter as a mapping in file order; PostError for invalid YAML or no mapping."""
    try:
        data = HANDLER.load(front)
    except yaml.YAMLError as exc:
        reason = f"the front matter is not valid YAML ({yaml_problem(exc, 2)})"
        raise PostError(str(path), reason) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PostError(str(path), "the front matter is not a mapping of keys (key: value)")
    return data


def post_date(value: Any, path: Path | str, fallback: dt.date | None) -> dt.date:
    """The post's date: the front matter's (a date, datetime or text) or else `fallback`."""
    stamp = stamp_of(value)
    if isinstance(stamp, dt.datetime):
        return site_day(stamp, date_in_name(Path(path).name))
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        if fallback is None:
            raise PostError(
                str(path), "no date: name the file YYYY-MM-DD-slug.md or set 'date' in it"
            )
        return fallback
    if isinstance(value, str) and (date := text_date(value)):
        return date
    raise PostError(str(path), f"date {str(value)!r} is not a real date: write it as YYYY-MM-DD")


def text_date(value: str) -> dt.date | None:
    """The date a front-matter text gives (`2021-08-18`, `2021-8-18 10:00`), if a real one."""
    match = DATE_TEXT.match(value.strip())
    return _real_date(match[1], match[2], match[3]) if match else None


def date_in_name(name: str) -> dt.date | None:
    """The date a post's file name (`YYYY-MM-DD-slug.md`) gives, if it is a real one."""
    match = POST_NAME.match(name)
    return _real_date(match[1], match[2], match[3]) if match else None


def date_from_name(path: Path) -> dt.date | None:
    """The date in a post's file name, if it has a valid one."""
    return date_in_name(path.name)


def _real_date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def title_text(value: Any) -> str:
    """The title as text (YAML may give a number or nothing)."""
    return "" if value is None else value if isinstance(value, str) else str(value)


def course_day(title: str, name: str) -> int | None:
    """The course day in the title (Day13), else in the file name without its suffix (day13)."""
    match = DAY_IN_TITLE.search(title)
    if match is None:
        dot = name.rfind(".")
        match = DAY_IN_TITLE.search(name[:dot] if dot > 0 else name)
    return int(match[1]) if match else None


def parse_post(text: str, path: Path, settings: Settings, fallback: dt.date | None = None) -> Entry:
    """The entry a post's text records; `fallback` dates a post whose matter and name have none."""
    front, body = split_front(text, path)
    data = front_matter(front, path)
    date = post_date(data.get("date"), path, date_from_name(path) or fallback)
    title = title_text(data.get("title"))
    parts = sections.parse_body(body, grammar_for(settings))
    return Entry(
        date=date,
        day=course_day(title, path.name) or 0,
        title=title,
        topics=parts.topics,
        moderator=parts.moderator,
        participants=parts.participants,
        discussion=parts.discussion,
        mentoring=parts.mentoring,
        front_matter=data,
        extras=parts.extras,
    )


def fallback_date(path: Path, mtime: float | None = None) -> dt.date | None:
    """A draft's date when it has none: its modification day, as Jekyll does."""
    if "_drafts" not in path.parts:
        return None
    if mtime is None:
        mtime = path.stat().st_mtime
    return dt.date.fromtimestamp(mtime)


def read_text(path: Path) -> str:
    """A post file's text (decoded, LF line ends); PostError if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PostError(str(path), f"cannot read it: {exc.strerror or exc}") from exc
    return decode(data, path)


def read_post(path: Path, settings: Settings, mtime: float | None = None) -> Entry:
    """The entry recorded in a post file (`mtime`: its modification time, if known); PostError
    with the reason if it cannot be read."""
    return parse_post(read_text(path), path, settings, fallback_date(path, mtime))


def display_body(body: str) -> str:
    """A body for a terminal: badges as Markdown links, raw blocks shown as Liquid prints them."""
    lines = []
    for line in body.split("\n"):
        topic = sections.topic_from_line(line) if line[:1] in "-*+{" else None
        lines.append(f"- [{topic.label}]({topic.url})" if topic and topic.url else line)
    text = "\n".join(lines)
    shown, position, in_raw = [], 0, False
    for tag in sections.RAW_TAG.finditer(text):
        if (tag[1] is not None) != in_raw:
            continue  # a raw tag inside a raw block is text; a stray endraw is Liquid's error
        piece = text[position : tag.start()]
        shown.append(piece if in_raw else piece.replace(LIQUID_OPEN_TAG, "{%"))
        position, in_raw = tag.end(), not in_raw
    rest = text[position:]
    return "".join(shown) + (rest if in_raw else rest.replace(LIQUID_OPEN_TAG, "{%"))

"""A post file's bytes -> its list row as the full parser gives it, by a few searches; light.

`row` answers for the posts studylog writes and most written by hand: front matter whose title
and date YAML reads as the cached shape of thousands of others (one YAML parse per shape), and a
plain body (no Liquid, no code block before its last structural line). Whenever it is unsure it
answers None, and the caller runs the full parser (`parse`), which also names what is wrong.

This module imports no parser: a first `list` reads thousands of posts with only `re`, and the
processes it forks start at once. The searches look for one character at a time (memchr) and
try a pattern only where that character starts a line: a pattern searched over a whole body, or
a two-character needle, costs ten times as much on Korean text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from studylog.blog.site import date_in_name
from studylog.config import DEFAULT_HEADINGS, EN_HEADINGS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    # (iso date, course day, title, moderator, participants, number of Q&As)
    Values = tuple[str, int | None, str, str, tuple[str, ...], int]

SECTIONS = ("topics", "peer", "discussion", "mentoring")
# One alternative a kind of structural line; each is a named group, so `lastgroup` names the kind.
LINES = r"""
(?P<fence>[ ]{0,3}(?P<ticks>`{3,}|~{3,})(?P<info>[^\n]*))
|(?P<heading>(?P<hashes>\#{1,6})(?:[ \t]+(?P<title>[^\n]*?))?[ \t]*)
|(?P<q>Q\d*[ \t]*[.:](?:[ \t](?P<qtext>[^\n]*))?)
|(?P<a>A\d*[ \t]*[.:](?:[ \t](?P<atext>[^\n]*))?)
|(?P<rule>(?:-{3,}|\*{3,}|_{3,})[ \t]*)
|(?P<br>[ \t]*<br[ \t]*/?>[ \t]*)
|(?P<mod>(?:[-*+][ \t]+)?(?:\*\*)?(?:MOD)(?:\*\*)?[ \t]*[:：][ \t]*(?P<modtext>[^\n]*))
|(?P<par>(?:[-*+][ \t]+)?(?:\*\*)?(?:PAR)(?:\*\*)?[ \t]*[:：][ \t]*(?P<partext>[^\n]*))
"""
# A heading line: its level is one more than the length of group 1, its title group 2 without
# trailing blanks. `\n\#` is a literal prefix, which the regex engine jumps to: twice as fast as
# `\n(\#{1,6})`, and greedy rather than `([^\n]*?)[ \t]*$`.
HEADING_LINE = re.compile(r"\n\#(\#{0,5})(?:[ \t]+([^\n]*))?$", re.MULTILINE)
Q_LINE = re.compile(r"\nQ\d*[ \t]*[.:](?:[ \t]([^\n]*))?$", re.MULTILINE)
BR_LINE = re.compile(r"\n[ \t]*<br[ \t]*/?>[ \t]*$", re.MULTILINE)
# The line that closes the front matter, found from the newline before it.
FRONT_END = re.compile(r"\n(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
DAY_IN_TITLE = re.compile(r"day\s*(\d+)", re.IGNORECASE)
DATE_TEXT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# Characters PyYAML refuses anywhere, and the plain-scalar characters this scan does not vouch for.
_CTRL = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x84\\x86-\\x9f\\ud800-\\udfff\\ufffe\\uffff"
# A top-level title, date or last_modified_at line whose value is plainly a scalar, from the
# newline before it (a newline starts the text searched).
QUICK_VALUE = re.compile(
    "\n(title|date|last_modified_at):[ \\t]+("
    f'"[^"\\\\\\n{_CTRL}]*"'
    f"|'[^'\\n{_CTRL}]*'"
    "|\\d{4}-\\d\\d-\\d\\d(?:[Tt ]\\d\\d?:\\d\\d(?::\\d\\d(?:\\.\\d+)?)?"
    "(?:[ \\t]*(?:Z|[+-]\\d\\d?(?::?\\d\\d)?))?)?"
    f"|[^\\W\\d_][^\\n:#\"'\\\\\\[\\]{{}},&*!|>%@`{_CTRL}]*?"
    ")[ \\t]*$",
    re.MULTILINE,
)
YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}
PLACEHOLDER = {'"': '"T"', "'": "'T'", "plain": "T", "date": "2000-01-01"}
PLACEHOLDER_DATE = dt.date(2000, 1, 1)
MEMO_SIZE = 256
TAILS = 64  # the endings of bodies whose structure is remembered


class Grammar:
    """What the reader recognises: headings by section, the label lines, the closing block."""

    __slots__ = ("headings", "lines", "labels", "footer", "known", "tails")

    def __init__(
        self,
        headings: dict[str, frozenset[str]],
        lines: re.Pattern[str],
        labels: dict[str, re.Pattern[str]],  # "mod"/"par" -> that label's line, for quick scans
        footer: str,
    ) -> None:
        self.headings = headings
        self.lines = lines
        self.labels = labels
        self.footer = footer
        self.known: dict[str, str | None] = {}
        self.tails: dict[str, bool] = {}  # only_fences' answers: posts mostly end alike

    def section_of(self, heading: str) -> str | None:
        """The section a heading (of level 1-3) names, if any."""
        known = self.known
        if heading not in known:
            key = heading_key(heading)
            known[heading] = next((s for s in SECTIONS if key in self.headings[s]), None)
        return known[heading]

    def only_fences(self, tail: str) -> bool:
        """Whether the only structural lines of `tail` (from a newline on) are code fences."""
        tails = self.tails
        if tail not in tails:
            if len(tails) >= TAILS:
                tails.clear()
            tails[tail] = all(m.lastgroup == "fence" for m in self.lines.finditer(tail))
        return tails[tail]


def heading_key(text: str) -> str:
    """A heading as compared: letters and digits only, case-folded (emoji and spaces ignored)."""
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


@lru_cache(maxsize=8)
def grammar(headings: tuple[tuple[str, str], ...], footer: str) -> Grammar:
    """The grammar for configured headings (as sorted items) and footer line."""
    # The configured headings and labels, and the built-in Korean and English ones.
    given = dict(headings)
    names = {k: {given.get(k, ""), v, EN_HEADINGS[k]} - {""} for k, v in DEFAULT_HEADINGS.items()}
    keys = {s: frozenset(heading_key(n) for n in names[s]) - {""} for s in SECTIONS}

    def labels(key: str) -> str:
        longest_first = sorted(names[key], key=lambda n: (-len(n), n))
        return "(?i:" + "|".join(re.escape(n) for n in longest_first) + ")"

    pattern = LINES.replace("MOD", labels("moderator")).replace("PAR", labels("participants"))
    alternatives = [a.lstrip("|") for a in pattern.strip().split("\n")]
    # Anchored on a newline rather than `^`: the regex engine then jumps from line to line.
    lines = re.compile("\n(?:" + "|".join(alternatives) + ")$", re.MULTILINE)
    moderator, participants = (re.compile("\n" + a + "$", re.MULTILINE) for a in alternatives[-2:])
    quick = {"mod": moderator, "par": participants}
    return Grammar(keys, lines, quick, f"```\n{footer}\n```")


def grammar_for(headings: dict[str, str], footer: str) -> Grammar:
    """The grammar for the configured headings and footer (the settings' own)."""
    return grammar(tuple(sorted(headings.items())), footer)


def row(data: bytes, name: str, g: Grammar) -> Values | None:
    """A post file's list columns, as the full parse gives them; None when only it can tell.

    `name` is the file's name (it dates the post, and numbers its day, when the text does not).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text[:4] != "---\n" or "\r" in text:
        return None
    end = FRONT_END.search(text, 3)
    if end is None:
        return None
    values = front_values(text[3 : end.start() + 1])
    if values is None:
        return None
    title = title_text(values[0])
    date = post_date(values[1], name)
    if date is None:
        return None
    fields = quick_fields(text, end.end() + 1, g)
    if fields is None:
        return None
    moderator, participants, questions = fields
    day = course_day(title, name)
    return date.isoformat(), day, title, moderator, tuple(participants), questions


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


def post_date(value: Any, name: str) -> dt.date | None:
    """The date the front matter's value gives, else the file name's; None when the full parser
    must say (no date, not a real date, a draft dated by its modification day)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        return date_in_name(name)
    return text_date(value) if isinstance(value, str) else None


def text_date(value: str) -> dt.date | None:
    """The date a front-matter text gives (`2021-08-18`, `2021-8-18 10:00`), if a real one."""
    match = DATE_TEXT.match(value.strip())
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    return None


_MEMO: dict[str, tuple[Any, Any] | None] = {}


def front_values(front: str) -> tuple[Any, Any] | None:
    """(title, date) as YAML reads them from the front matter `front` (after a newline); None
    when YAML must read it whole, which also says what is wrong with it.

    YAML runs once per distinct shape of front matter: the values of `title`, `date` and
    `last_modified_at` that are plainly scalars are swapped for placeholders of the same kind, so
    thousands of posts that differ only there share one parse.
    """
    found: dict[str, tuple[str, str]] = {}
    skeleton = QUICK_VALUE.sub(lambda m: _placeholder(m, found), front)
    try:
        known = _MEMO[skeleton]
    except KeyError:
        known = _MEMO[skeleton] = _skeleton_values(skeleton[1:])
    if known is None:
        return None
    title, date = known
    if "title" in found:
        if title != "T":  # the swapped line was not the top-level key: let YAML decide
            return None
        kind, value = found["title"]
        title = value.strip() if kind == "plain" else value[1:-1]
    if "date" in found:
        if date != PLACEHOLDER_DATE:
            return None
        date = _timestamp(found["date"][1])
    return title, date


def _skeleton_values(skeleton: str) -> tuple[Any, Any] | None:
    """(title, date) of a front matter as YAML reads it; None if it is no mapping or no YAML."""
    import yaml

    if len(_MEMO) >= MEMO_SIZE:
        _MEMO.clear()
    try:
        data = yaml.load(skeleton, yaml_loader())
    except yaml.YAMLError:
        return None
    if data is None:
        return None, None
    if not isinstance(data, dict):
        return None
    return data.get("title"), data.get("date")


def _placeholder(match: re.Match[str], found: dict[str, tuple[str, str]]) -> str:
    """The line `match` with its value swapped for a placeholder of its kind (noted in `found`),
    or as it is when YAML may read the value otherwise (yes, no, a title that looks like a date)."""
    key, value = match[1], match[2]
    kind = value[0] if value[0] in "\"'" else "date" if value[0].isdigit() else "plain"
    if (key == "title") == (kind == "date") or value.strip().lower() in YAML_WORDS:
        return match[0]
    found[key] = (kind, value)
    return f"\n{key}: {PLACEHOLDER[kind]}"


def _timestamp(text: str) -> Any:
    """The date a YAML timestamp starts with; the text itself if that is no real date."""
    try:
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return text


def _lenient_timestamp(loader, node):  # type: ignore[no-untyped-def]
    """A YAML date that is no real date (2021-13-45) stays text, so the caller names it."""
    from yaml.constructor import SafeConstructor

    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


@lru_cache(maxsize=2)
def yaml_loader(fast: bool = True):  # type: ignore[no-untyped-def]
    """A safe YAML loader that keeps impossible dates as text; `fast`: libyaml when present.

    The pure-Python loader's error messages say more (`new --from` shows them).
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if fast else yaml.SafeLoader

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
    return Loader


def quick_fields(text: str, start: int, g: Grammar) -> tuple[str, list[str], int] | None:
    """(moderator, participants, number of Q&As) of the body `text[start:]` (after a newline)
    as `sections.summary_fields` finds them, for a plain body; None when it must be parsed.

    Plain: no Liquid, and no code block before the last structural line (the closing block is
    fine), so every line that looks structural is.
    """
    if text.find("{", start) >= 0 and (text.find("{{", start) >= 0 or text.find("{%", start) >= 0):
        return None
    end = _before_code(text, start, g)
    if end is None:
        return None
    heads = _headings(text, start, end, g)
    known = [h for h in heads if h[3]]
    moderator, participants, questions = "", list[str](), 0
    for i, (_, head_end, level, section) in enumerate(known):
        stop = known[i + 1][0] if i + 1 < len(known) else end
        if i + 1 == len(known) and (closing := BR_LINE.search(text, head_end, stop)):
            stop = closing.start()
        if section == "peer":
            moderator, participants = _quick_peer(text, head_end, stop, g)
        elif section == "discussion":
            cut = next((h[0] for h in heads if head_end <= h[0] < stop and h[2] <= level), stop)
            count = _questions(text, head_end, cut)
            if count is None:
                return None
            questions = count
    return moderator, participants, questions


def _headings(
    text: str, start: int, end: int, g: Grammar
) -> list[tuple[int, int, int, str | None]]:
    """The heading lines of the body `text[start:end]`: (start, end, level, the section it opens
    if it is the first heading of that section)."""
    heads, seen = [], set()
    for found in HEADING_LINE.finditer(text, start - 1, end):
        level = len(found[1]) + 1
        section = g.section_of((found[2] or "").rstrip(" \t")) if level <= 3 else None
        if section in seen:
            section = None
        seen.add(section)
        heads.append((found.start(), found.end(), level, section))
    return heads


def _questions(text: str, start: int, stop: int) -> int | None:
    """How many `Q.` lines from the newline at `start` up to `stop`; None if one has no question
    text on its line (the full parse decides then)."""
    found = Q_LINE.findall(text, start, stop)
    return len(found) if all(q.strip() for q in found) else None


def _before_code(text: str, start: int, g: Grammar) -> int | None:
    """Where the line of the body's first code block starts (or the end); None if structure
    follows it."""
    found = [i for i in (_find3(text, "`", start), _find3(text, "~", start)) if i >= 0]
    if not found:
        return len(text)
    end = text.rfind("\n", start - 1, min(found))
    return end if g.only_fences(text[end:]) else None


def _find3(text: str, char: str, start: int) -> int:
    """`text.find(char * 3, start)`, by a search for one character first (much faster)."""
    at = text.find(char, start)
    if at < 0 or text.startswith(char * 3, at):
        return at
    return text.find(char * 3, at + 1)


def _quick_peer(text: str, start: int, stop: int, g: Grammar) -> tuple[str, list[str]]:
    """The moderator and participants of the peer section `text[start:stop]`: its first label
    lines of each."""
    moderator = g.labels["mod"].search(text, start, stop)
    participants = g.labels["par"].search(text, start, stop)
    names = participants[2].split(",") if participants else []
    return (moderator[2].strip() if moderator else ""), [n.strip() for n in names if n.strip()]

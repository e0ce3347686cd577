"""A post's body -> its sections' fields, plus text kept verbatim for the template's slots; pure.

The body is read the way the default template writes it: an optional head, the four sections
(topics, peer session, discussion, mentoring) under their headings, `<br>` lines between them, and
the closing code block. Whatever does not fit a field is kept in `extras` under the slot where the
template prints it back, so nothing is dropped. Text inside `{% raw %}` blocks and code fences is
opaque: a `---`, `Q.` or `<br>` line there is just text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from studylog.model import QA, Topic
from studylog.render import liquid_safe, liquid_unwrap

SECTIONS = ("topics", "peer", "discussion", "mentoring")
# Headings and labels always understood besides the configured ones.
ENGLISH = {
    "topics": ("Topics", "What I studied", "Study"),
    "peer": ("Peer session",),
    "discussion": ("Discussion",),
    "mentoring": ("Mentoring",),
    "moderator": ("Moderator",),
    "participants": ("Participants",),
}
BADGE_PREFIX, BADGE_SUFFIX = "https://img.shields.io/badge/-", "-red"
RAW_TAG = re.compile(r"\{%-?\s*(end)?raw\s*-?%\}")
BULLET = re.compile(r"[-*+][ \t]+(.*)")
BADGE = re.compile(
    r"<a\s+href\s*=\s*([\"'])(?P<url>.*?)\1\s*>\s*"
    r"<img\s+src\s*=\s*([\"'])(?P<src>.*?)\3\s*/?\s*>\s*</a>"
)
BADGE_ESCAPES = re.compile(r"--|__|_")
LINES = r"""
(?P<fence>[ ]{0,3}(?:`{3,}|~{3,}))(?P<info>[^\n]*)
|(?P<hashes>\#{1,6})(?:[ \t]+(?P<heading>[^\n]*?))?[ \t]*
|(?P<qm>Q\d*[ \t]*[.:])(?:[ \t](?P<q>[^\n]*))?
|(?P<am>A\d*[ \t]*[.:])(?:[ \t](?P<a>[^\n]*))?
|(?P<rule>-{3,}|\*{3,}|_{3,})[ \t]*
|[ \t]*(?P<br><br[ \t]*/?>)[ \t]*
|(?:[-*+][ \t]+)?(?:\*\*)?(?:(?P<mod>MOD)|(?P<par>PAR))(?:\*\*)?[ \t]*[:：][ \t]*(?P<value>[^\n]*)
"""


@dataclass(frozen=True)
class Mark:
    """A line that shapes the body: a heading, a Q or A line, a rule, a `<br>`, a label line."""

    kind: str
    start: int
    end: int  # where the line's text ends (its newline, or the end of the body)
    text: str = ""
    level: int = 0
    section: str | None = None


@dataclass
class Body:
    """The fields a body holds, and the extras (slot -> text) the template prints back."""

    topics: list[Topic] = field(default_factory=list)
    moderator: str = ""
    participants: list[str] = field(default_factory=list)
    discussion: list[QA] = field(default_factory=list)
    mentoring: str = ""
    extras: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Grammar:
    """What the reader recognises: headings by section, the label lines, the closing block."""

    headings: dict[str, frozenset[str]]
    lines: re.Pattern[str]
    footer: str


def heading_key(text: str) -> str:
    """A heading as compared: letters and digits only, case-folded (emoji and spaces ignored)."""
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


@lru_cache(maxsize=8)
def grammar(headings: tuple[tuple[str, str], ...], footer: str) -> Grammar:
    """The grammar for configured headings (as sorted items) and footer line."""
    configured = dict(headings)
    names = {key: (configured.get(key, ""), *ENGLISH[key]) for key in ENGLISH}
    keys = {s: frozenset(heading_key(n) for n in names[s] if heading_key(n)) for s in SECTIONS}

    def labels(key: str) -> str:
        korean, *english = names[key]
        options = [re.escape(korean)] if korean else []
        return "|".join(options + [f"(?i:{re.escape(e)})" for e in english])

    pattern = LINES.replace("MOD", labels("moderator")).replace("PAR", labels("participants"))
    lines = re.compile("^(?:" + "".join(pattern.split("\n")) + ")$", re.MULTILINE)
    return Grammar(keys, lines, f"```\n{footer}\n```")


def marks(body: str, g: Grammar) -> list[Mark]:
    """The body's structural lines, in order, skipping those inside raw blocks and code fences."""
    events = [(m.start(), 0, m) for m in g.lines.finditer(body)]
    if "{%" in body:
        events += [(m.start(), 1, m) for m in RAW_TAG.finditer(body)]
        events.sort(key=lambda e: (e[0], e[1]))
    found: list[Mark] = []
    in_raw, fence = False, ""
    for _, is_tag, match in events:
        if is_tag:
            if (match[1] is not None) == in_raw:  # Liquid: raw blocks do not nest
                in_raw = not in_raw
            continue
        if in_raw:
            continue
        if match["fence"] is not None:
            fence = _fence(fence, match["fence"].strip(), match["info"])
            continue
        mark = _mark(match, g)
        if mark.section:  # a section heading always ends an unclosed fence
            fence = ""
        if not fence:
            found.append(mark)
    return found


def _fence(open_fence: str, marker: str, info: str) -> str:
    if not open_fence:
        return marker
    closes = marker[0] == open_fence[0] and len(marker) >= len(open_fence) and not info.strip()
    return "" if closes else open_fence


def _mark(match: re.Match[str], g: Grammar) -> Mark:
    start, end = match.span()
    if match["hashes"] is not None:
        text, level = match["heading"] or "", len(match["hashes"])
        key = heading_key(text)
        section = next((s for s in SECTIONS if key in g.headings[s]), None) if level <= 3 else None
        return Mark("heading", start, end, text, level, section)
    for kind, group in (("q", "qm"), ("a", "am"), ("rule", "rule"), ("br", "br")):
        if match[group] is not None:
            text = (match[kind] or "") if kind in ("q", "a") else ""
            return Mark(kind, start, end, text)
    return Mark("mod" if match["mod"] is not None else "par", start, end, match["value"])


def parse_body(body: str, g: Grammar) -> Body:
    """The fields and extras of a post's body (the text after the front matter)."""
    found = _first_sections(marks(body, g))
    heads = [m for m in found if m.section]
    result = Body()
    if not heads:
        end = _last_region(body, 0, len(body), found, g, result)
        _put(result, "head", _trim(body[:end]))
        return result
    _put(result, "head", _trim(body[: heads[0].start]))
    for i, head in enumerate(heads):
        start = min(head.end + 1, len(body))
        end = heads[i + 1].start if i + 1 < len(heads) else len(body)
        inside = [m for m in found if start <= m.start < end]
        if i + 1 < len(heads):
            end = _before_br(body, end, inside)
        else:
            end = _last_region(body, start, end, inside, g, result)
        inside = [m for m in inside if m.start < end]
        _SECTION[head.section or ""](result, body, start, end, inside, head.level)
    return result


def _first_sections(found: list[Mark]) -> list[Mark]:
    """Only the first heading of each section counts as that section; repeats are plain text."""
    seen: set[str] = set()
    result = []
    for mark in found:
        if mark.section in seen:
            mark = Mark("heading", mark.start, mark.end, mark.text, mark.level)
        elif mark.section:
            seen.add(mark.section)
        result.append(mark)
    return result


def _put(body: Body, slot: str, text: str) -> None:
    if text:
        body.extras[slot] = _join(body.extras.get(slot, ""), text)


def _join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _trim(text: str) -> str:
    """Text without its leading and trailing blank lines (indentation and inner lines kept)."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), -1)
    return "\n".join(lines[first : last + 1])


def _before_br(body: str, end: int, inside: list[Mark]) -> int:
    """The region's end without the `<br>` line the template puts after every section."""
    if inside and inside[-1].kind == "br" and not body[inside[-1].end : end].strip():
        return inside[-1].start
    return end


def _last_region(body: str, start: int, end: int, inside: list[Mark], g: Grammar, out: Body) -> int:
    """Split the closing `<br>`, tail and footer off the last region; returns its content's end."""
    brs = [m for m in inside if m.kind == "br"]
    if brs:
        if len(brs) > 1:
            _put(out, "tail", _trim(body[brs[0].end : brs[-1].start]))
        footer = _trim(body[brs[-1].end : end])
        if not _same_lines(footer, g.footer):
            out.extras["footer"] = footer
        return brs[0].start
    lines = body[start:end].rstrip().split("\n")
    wanted = g.footer.split("\n")
    if len(lines) >= len(wanted) and _same_lines("\n".join(lines[-len(wanted) :]), g.footer):
        return start + len("\n".join(lines[: -len(wanted)]))
    out.extras["footer"] = ""  # no closing block at all
    return end


def _same_lines(a: str, b: str) -> bool:
    return [line.rstrip() for line in a.split("\n")] == [line.rstrip() for line in b.split("\n")]


def literal(text: str) -> str | None:
    """User text as the template got it (unwrapped from `liquid_safe`); None for live Liquid."""
    if "{{" not in text and "{%" not in text:
        return text
    inner = liquid_unwrap(text)
    return inner if inner != text and liquid_safe(inner) == text else None


def _topics(out: Body, body: str, start: int, end: int, inside: list[Mark], level: int) -> None:
    lines = body[start:end].split("\n")
    rest = len(lines)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        topic = topic_from_line(line)
        if topic is None:
            rest = i
            break
        out.topics.append(topic)
    _put(out, "topics", _trim("\n".join(lines[rest:])))


def topic_from_line(line: str) -> Topic | None:
    """A study-content bullet: a badge link -> Topic(label, url); plain text -> Topic(label)."""
    text = literal(line.rstrip())
    item = BULLET.fullmatch(text) if text is not None else None
    if item is None or not item[1].strip():
        return None
    return _badge(item[1].strip()) or Topic(item[1].strip())


def _badge(item: str) -> Topic | None:
    match = BADGE.fullmatch(item)
    if not match:
        return None
    url, src = html.unescape(match["url"]).strip(), html.unescape(match["src"])
    if not (url and src.startswith(BADGE_PREFIX) and src.endswith(BADGE_SUFFIX)):
        return None
    label = badge_label(src[len(BADGE_PREFIX) : -len(BADGE_SUFFIX)])
    return Topic(label, url) if label and label == label.strip() and "\n" not in label else None


def badge_label(escaped: str) -> str:
    """The inverse of `render.badge_url` on a label: %XX, `--` -> `-`, `__` -> `_`, `_` -> space."""
    table = {"--": "-", "__": "_", "_": " "}
    return BADGE_ESCAPES.sub(lambda m: table[m[0]], unquote(escaped))


def _peer(out: Body, body: str, start: int, end: int, inside: list[Mark], level: int) -> None:
    taken: list[Mark] = []
    for mark in inside:
        if mark.kind == "mod" and not any(t.kind == "mod" for t in taken):
            name = literal(mark.text.strip())
            if name is not None:
                out.moderator = name
                taken.append(mark)
        elif mark.kind == "par" and not any(t.kind == "par" for t in taken):
            names = [literal(n.strip()) for n in re.split("[,，]", mark.text) if n.strip()]
            if None not in names:
                out.participants = [n for n in names if n is not None]
                taken.append(mark)
    pieces, position = [], start
    for mark in taken:
        pieces.append(body[position : mark.start])
        position = mark.end
    _put(out, "peer", _trim("".join(pieces) + body[position:end]))


def _discussion(out: Body, body: str, start: int, end: int, inside: list[Mark], level: int) -> None:
    cut = next((m.start for m in inside if m.kind == "heading" and m.level <= level), end)
    questions = [m for m in inside if m.kind == "q" and m.start < cut]
    pairs = [_pair(body, q, questions, inside, cut) for q in questions]
    texts = [(literal(q), literal(a)) for q, a in pairs]
    if not pairs or any(q is None or a is None or not q.strip() for q, a in texts):
        _put(out, "discussion", _trim(body[start:end]))  # kept verbatim: free text or live Liquid
        return
    out.discussion = [QA(q, a) for q, a in texts if q is not None and a is not None]
    _put(out, "discussion", _join(_trim(body[start : questions[0].start]), _trim(body[cut:end])))


def _pair(
    body: str, q: Mark, questions: list[Mark], inside: list[Mark], cut: int
) -> tuple[str, str]:
    later = [m for m in questions if m.start > q.start]
    stop = later[0].start if later else cut
    within = [m for m in inside if q.start < m.start < stop]
    if later and within and within[-1].kind == "rule" and not body[within[-1].end : stop].strip():
        stop = within[-1].start  # the `---` between two pairs
    answer = next((m for m in within if m.kind == "a" and m.start < stop), None)
    if answer is None:
        return _field(q.text, body[q.end : stop]), ""
    return _field(q.text, body[q.end : answer.start]), _field(answer.text, body[answer.end : stop])


def _field(first: str, following: str) -> str:
    return _trim(first.strip() + following)


def _mentoring(out: Body, body: str, start: int, end: int, inside: list[Mark], level: int) -> None:
    cut = next((m.start for m in inside if m.kind == "heading" and m.level <= level), end)
    text = literal(_trim(body[start:cut]))
    if text is None:
        _put(out, "mentoring", _trim(body[start:end]))
        return
    out.mentoring = text
    _put(out, "mentoring", _trim(body[cut:end]))


_SECTION = {"topics": _topics, "peer": _peer, "discussion": _discussion, "mentoring": _mentoring}

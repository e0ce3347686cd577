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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from studylog.post.escape import html_unsafe, lines_unsafe
from studylog.post.grammar import Grammar
from studylog.post.liquid import liquid_safe, liquid_unwrap
from studylog.post.model import QA, Topic

BADGE_PREFIX, BADGE_SUFFIX = "https://img.shields.io/badge/-", "-red"
RAW_TAG = re.compile(r"\{%-?\s*(end)?raw\s*-?%\}")
BULLET = re.compile(r"[-*+][ \t]+(.*)")
BADGE = re.compile(
    r"<a\s+href\s*=\s*([\"'])(?P<url>.*?)\1\s*>\s*"
    r"<img\s+src\s*=\s*([\"'])(?P<src>.*?)\3\s*/?\s*>\s*</a>"
)
BADGE_ESCAPES = re.compile(r"--|__|_")
TEXT_GROUP = {"q": "qtext", "a": "atext", "mod": "modtext", "par": "partext"}


@dataclass(frozen=True, slots=True)
class Mark:
    """A line that shapes the body: a heading, a Q or A line, a rule, a `<br>`, a label line."""

    kind: str
    start: int
    end: int  # where the line's text ends (its newline, or the end of the body)
    text: str = ""
    level: int = 0
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Region:
    """A section's text (after its heading), or the head before the first section (None)."""

    section: str | None
    start: int
    end: int
    level: int
    inside: list[Mark]


@dataclass(frozen=True)
class Layout:
    """Where a body's sections are, and how it closes (`<br>` lines, then the footer)."""

    regions: list[Region]
    closing: list[Mark]  # the `<br>` lines after the last section's content
    footer: str | None  # None: the configured closing block; "": none at all; else its text


@dataclass
class Body:
    """The fields a body holds, and the extras (slot -> text) the template prints back."""

    topics: list[Topic] = field(default_factory=list)
    moderator: str = ""
    participants: list[str] = field(default_factory=list)
    discussion: list[QA] = field(default_factory=list)
    mentoring: str = ""
    extras: dict[str, str] = field(default_factory=dict)


def marks(body: str, g: Grammar) -> list[Mark]:
    """The body's structural lines, in order, skipping those inside raw blocks and code fences."""
    lines = g.lines.finditer("\n" + body)  # positions in it are the body's, minus the newline
    if "{%" in body:
        tags = [(m.start(), m) for m in RAW_TAG.finditer(body)]
        events = sorted([(m.start(), m) for m in lines] + tags, key=lambda e: e[0])
        return _marks(((m.re is RAW_TAG, m) for _, m in events), g)
    return _marks(((False, m) for m in lines), g)


def _marks(events: Iterable[tuple[bool, re.Match[str]]], g: Grammar) -> list[Mark]:
    found: list[Mark] = []
    in_raw, fence = False, ""
    for is_tag, match in events:
        if is_tag:
            if (match[1] is not None) == in_raw:  # Liquid: raw blocks do not nest
                in_raw = not in_raw
            continue
        if in_raw:
            continue
        kind = match.lastgroup or ""
        if kind == "fence":
            fence = _fence(fence, match["ticks"], match["info"])
            continue
        mark = _mark(kind, match, g)
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


def _mark(kind: str, match: re.Match[str], g: Grammar) -> Mark:
    start, end = match.start(), match.end() - 1
    if kind == "heading":
        text, level = match["title"] or "", len(match["hashes"])
        return Mark(kind, start, end, text, level, g.section_of(text) if level <= 3 else None)
    group = TEXT_GROUP.get(kind)
    return Mark(kind, start, end, (match[group] or "") if group else "")


def layout(body: str, g: Grammar) -> Layout:
    """The body's regions: the head, then each section's text up to its closing `<br>`."""
    found = _first_sections(marks(body, g))
    heads = [m for m in found if m.section]
    spans: list[tuple[str | None, int, int, int]] = [
        (None, 0, heads[0].start if heads else len(body), 0)
    ]
    for i, head in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else len(body)
        spans.append((head.section, min(head.end + 1, len(body)), end, head.level))
    regions = [Region(s, a, b, lv, [m for m in found if a <= m.start < b]) for s, a, b, lv in spans]
    *before, last = regions
    before = [replace(r, end=_before_br(body, r.end, r.inside)) if r.section else r for r in before]
    closing = [m for m in last.inside if m.kind == "br"]
    end, footer = _closing(body, last, closing, g.footer)
    last = replace(last, end=end, inside=[m for m in last.inside if m.start < end])
    return Layout(before + [last], closing, footer)


def _closing(
    body: str, last: Region, closing: list[Mark], canonical: str
) -> tuple[int, str | None]:
    """Where the last region's content ends, and the footer after it."""
    if closing:
        footer = _trim(body[closing[-1].end : last.end])
        return closing[0].start, None if _same_lines(footer, canonical) else footer
    lines = body[last.start : last.end].rstrip().split("\n")
    wanted = canonical.count("\n") + 1
    if len(lines) >= wanted and _same_lines("\n".join(lines[-wanted:]), canonical):
        return last.start + len("\n".join(lines[:-wanted])), None
    return last.end, ""  # no closing block at all


def parse_body(body: str, g: Grammar) -> Body:
    """The fields and extras of a post's body (the text after the front matter)."""
    lay = layout(body, g)
    out = Body()
    for region in lay.regions:
        if region.section is None:
            _put(out, "head", _trim(body[region.start : region.end]))
        else:
            _SECTION[region.section](out, body, region)
    if len(lay.closing) > 1:
        _put(out, "tail", _trim(body[lay.closing[0].end : lay.closing[-1].start]))
    if lay.footer is not None:
        out.extras["footer"] = lay.footer
    return out


def _first_sections(found: list[Mark]) -> list[Mark]:
    """Only the first heading of each section counts as that section; repeats are plain text."""
    seen: set[str] = set()
    result = []
    for mark in found:
        if mark.section in seen:
            mark = replace(mark, section=None)
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
    """Text without its leading and trailing blank lines (indentation and inner lines kept):
    from the start of the line of its first non-blank character to the end of its last's."""
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    if start >= end:
        return ""
    stop = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1 : len(text) if stop < 0 else stop]


def _before_br(body: str, end: int, inside: list[Mark]) -> int:
    """The region's end without the `<br>` line the template puts after every section."""
    if inside and inside[-1].kind == "br" and not body[inside[-1].end : end].strip():
        return inside[-1].start
    return end


def _same_lines(a: str, b: str) -> bool:
    return [line.rstrip() for line in a.split("\n")] == [line.rstrip() for line in b.split("\n")]


def literal(text: str) -> str | None:
    """User text as the template got it (unwrapped from `liquid_safe`); None for live Liquid."""
    if "{{" not in text and "{%" not in text:
        return text
    inner = liquid_unwrap(text)
    return inner if inner != text and liquid_safe(inner) == text else None


def unescaped(text: str | None, *, lines: bool = False) -> str | None:
    """The inverse of `render.user_text` on a field's `literal` text (None stays None)."""
    if text is None:
        return None
    text = html_unsafe(text)
    return lines_unsafe(text) if lines else text


def _topics(out: Body, body: str, region: Region) -> None:
    lines = body[region.start : region.end].split("\n")
    rest = len(lines)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        following = next((n for n in lines[i + 1 :] if n.strip()), "")
        topic = None if following[:1].isspace() else topic_from_line(line)  # nested: no topic
        if topic is None:
            rest = i
            break
        out.topics.append(topic)
    _put(out, "topics", _trim("\n".join(lines[rest:])))


def topic_from_line(line: str) -> Topic | None:
    """A study-content bullet: a badge link -> Topic(label, url); plain text -> Topic(label)."""
    whole = literal(line.rstrip())  # render wraps the whole line: {% raw %}- ...{% endraw %}
    item = BULLET.fullmatch(whole if whole is not None else line.rstrip())
    label = item[1].strip() if item else None
    if item and whole is None:  # by hand: - {% raw %}...{% endraw %}
        label = literal(item[1].strip())
    if not label:
        return None
    return _badge(label) or Topic(html_unsafe(label))


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


def _peer(out: Body, body: str, region: Region) -> None:
    out.moderator, out.participants, taken = _peer_lines(region)
    pieces, position = [], region.start
    for mark in taken:
        pieces.append(body[position : mark.start])
        position = mark.end
    _put(out, "peer", _trim("".join(pieces) + body[position : region.end]))


def _peer_lines(region: Region) -> tuple[str, list[str], list[Mark]]:
    """The first moderator line and the first participants line (each if it reads as names)."""
    moderator, participants, taken = "", [], []
    for kind in ("mod", "par"):
        mark = next((m for m in region.inside if m.kind == kind), None)
        if mark is None:
            continue
        if kind == "mod" and (name := literal(mark.text.strip())) is not None:
            moderator = html_unsafe(name)
            taken.append(mark)
        elif kind == "par":
            names = [literal(n.strip()) for n in mark.text.split(",") if n.strip()]
            if None not in names:
                participants = [html_unsafe(n) for n in names if n is not None]
                taken.append(mark)
    return moderator, participants, sorted(taken, key=lambda m: m.start)


def _discussion(out: Body, body: str, region: Region) -> None:
    pairs, cut = _pairs(body, region)
    if pairs is None:
        _put(out, "discussion", _trim(body[region.start : region.end]))  # kept verbatim
        return
    out.discussion = pairs
    first = next(m.start for m in region.inside if m.kind == "q")
    _put(out, "discussion", _join(_trim(body[region.start : first]), _trim(body[cut : region.end])))


def _pairs(body: str, region: Region) -> tuple[list[QA] | None, int]:
    """The Q&A pairs before any sub-section, and where they end; None if the text is no pairs.

    No `Q.` line, an empty question or Liquid that is not studylog's raw wrapping all mean the
    discussion is kept verbatim instead.
    """
    inside, cut = region.inside, _subsection(region)
    questions = [m for m in inside if m.kind == "q" and m.start < cut]
    starts = [m.start for m in inside]  # in order: each pair's marks are a slice (linear)
    pairs = []
    for i, q in enumerate(questions):
        stop = questions[i + 1].start if i + 1 < len(questions) else cut
        within = inside[bisect_right(starts, q.start) : bisect_left(starts, stop)]
        question, answer = _pair(body, q, within, stop, between=i + 1 < len(questions))
        if question is None or answer is None or not question.strip():
            return None, cut
        pairs.append(QA(question, answer))
    return pairs or None, cut


def _subsection(region: Region) -> int:
    """Where the region's first heading of its own level or above starts (else its end)."""
    heads = (m.start for m in region.inside if m.kind == "heading" and m.level <= region.level)
    return next(heads, region.end)


def _pair(
    body: str, q: Mark, within: list[Mark], stop: int, *, between: bool
) -> tuple[str | None, str | None]:
    rule = within[-1] if within and within[-1].kind == "rule" else None
    if between and rule and not body[rule.end : stop].strip():
        stop = rule.start  # the `---` between two pairs
    answer = next((m for m in within if m.kind == "a" and m.start < stop), None)
    if answer is None:
        return unescaped(literal(_field(q.text, body[q.end : stop])), lines=True), ""
    question = _field(q.text, body[q.end : answer.start])
    answered = literal(_field(answer.text, body[answer.end : stop]))
    return unescaped(literal(question), lines=True), unescaped(answered, lines=True)


def _field(first: str, following: str) -> str:
    return _trim(first.strip() + following)


def _mentoring(out: Body, body: str, region: Region) -> None:
    cut = _subsection(region)
    text = literal(_trim(body[region.start : cut]))
    if text is None:
        _put(out, "mentoring", _trim(body[region.start : region.end]))
        return
    out.mentoring = lines_unsafe(html_unsafe(text), markers=False)
    _put(out, "mentoring", _trim(body[cut : region.end]))


_SECTION = {"topics": _topics, "peer": _peer, "discussion": _discussion, "mentoring": _mentoring}

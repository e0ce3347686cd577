"""User text as Markdown that shows as typed and that the reader cannot mistake, and back; pure.

The writer escapes, the reader unescapes exactly that (each is the other's inverse):
- `<` that would start an unknown HTML tag (`List<String>`) becomes `&lt;` outside code, so that
  Jekyll shows it instead of swallowing it as a tag; an entity the user typed as `&lt;` gains an
  `amp;` (`&amp;lt;`), so that it comes back as typed;
- in a question or an answer, a line that would read as a `Q.`/`A.` marker or as a `#`-`###`
  heading (in the mentoring: a heading) gets a backslash (`Q\\.`, `\\###`), which Markdown
  renders as the same text.
Code (inline spans, fenced and indented blocks) stays exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

# The HTML elements a user clearly means when writing `<name` or `</name` in lowercase (kramdown
# keeps them): `Pair<B>` and `List<Col>` are types, not bold text or a table column.
ELEMENTS = frozenset(
    """a abbr acronym address area article aside audio b bdi bdo big blockquote br button canvas
    caption center cite code col colgroup data dd del details dfn dialog div dl dt em embed
    fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr i iframe img input
    ins kbd label legend li link main map mark math menu meta meter nav nobr noscript object ol
    optgroup option output p param picture pre progress q rp rt ruby s samp script section
    select small source span strike strong style sub summary sup svg table tbody td template
    textarea tfoot th thead time tr track tt u ul var video wbr""".split()
)
# A `<` that starts a tag or an entity-like text: the only ones that can vanish on the page.
ANGLE = re.compile(r"&(?:amp;)*lt;|<(?=[A-Za-z/!?])")
ESCAPED_ANGLE = re.compile(r"&(?:amp;)*lt;")
KEPT = re.compile(r"<(?:/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)|!--|(?:https?|ftp)://|mailto:)")
TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")

MARKER = re.compile(r"^([QA]\d*[ \t]*)(\\*[.:])(?=[ \t]|$)", re.MULTILINE)
ESCAPED_MARKER = re.compile(r"^([QA]\d*[ \t]*)\\(\\*[.:])(?=[ \t]|$)", re.MULTILINE)
HEADING = re.compile(r"^(\\*#{1,3})(?=[ \t]|$)", re.MULTILINE)
ESCAPED_HEADING = re.compile(r"^\\(\\*#{1,3})(?=[ \t]|$)", re.MULTILINE)

FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})([^\n]*)")
LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
TICKS = re.compile(r"`+")
# What ends a paragraph (code spans never cross it).
BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")


def html_safe(text: str) -> str:
    """`<` that does not start an HTML element written as `&lt;` (outside code)."""
    if ("<" not in text and "&" not in text) or ANGLE.sub(_escape_angle, text) == text:
        return text  # the common case: only elements, or no `<` at all
    return _outside_code(text, lambda part: ANGLE.sub(_escape_angle, part))


def html_unsafe(text: str) -> str:
    """The inverse of `html_safe`."""
    if "&" not in text:
        return text
    return _outside_code(text, lambda part: ESCAPED_ANGLE.sub(_unescape_angle, part))


def lines_safe(text: str, *, markers: bool = True) -> str:
    """Lines that would read as a `#`-`###` heading (and, with `markers`, as a `Q.`/`A.`
    marker), escaped."""

    def change(part: str) -> str:
        return HEADING.sub(r"\\\1", MARKER.sub(r"\1\\\2", part) if markers else part)

    return _outside_fences(text, change)


def lines_unsafe(text: str, *, markers: bool = True) -> str:
    """The inverse of `lines_safe`."""
    if "\\" not in text:
        return text

    def change(part: str) -> str:
        part = ESCAPED_HEADING.sub(r"\1", part)
        return ESCAPED_MARKER.sub(r"\1\2", part) if markers else part

    return _outside_fences(text, change)


def _escape_angle(match: re.Match[str]) -> str:
    found = match[0]
    if found[0] == "&":
        return "&amp;" + found[1:]
    kept = KEPT.match(match.string, match.start())
    if kept and (kept[1] is None or kept[1] in ELEMENTS):
        return found
    return "&lt;"


def _unescape_angle(match: re.Match[str]) -> str:
    found = match[0]
    return "<" if found == "&lt;" else "&" + found[len("&amp;") :]


def unknown_tags(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """The tags outside code whose name is no HTML element (`<String>`), and their offsets'
    lines (from 0)."""
    if all(tag[1].lower() in ELEMENTS for tag in TAG.finditer(text)):
        return  # the common case: `<br>`, badges, images
    line, counted = 0, 0
    for start, end in _prose(text):
        for match in TAG.finditer(text, start, end):
            if match[1].lower() not in ELEMENTS:
                line, counted = line + text.count("\n", counted, match.start()), match.start()
                yield line, match


def _outside_code(text: str, change: Callable[[str], str]) -> str:
    return _change(text, _prose(text), change)


def _outside_fences(text: str, change: Callable[[str], str]) -> str:
    return _change(text, _blocks(text, markdown=False), change)


def _change(text: str, spans: Iterable[tuple[int, int]], change: Callable[[str], str]) -> str:
    pieces, position = [], 0
    for start, end in spans:
        pieces += [text[position:start], change(text[start:end])]
        position = end
    return "".join(pieces) + text[position:]


def _prose(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) spans of text outside code blocks and inline code spans, in order."""
    for start, end in _blocks(text, markdown=True):
        for paragraph_start, paragraph_end in _paragraphs(text, start, end):
            position = paragraph_start
            for span_start, span_end in _code_spans(text, paragraph_start, paragraph_end):
                yield position, span_start
                position = span_end
            yield position, paragraph_end


def _paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The spans between blank lines of `text[start:end]`."""
    for blank in BLANK_LINE.finditer(text, start, end):
        yield start, blank.start()
        start = blank.end()
    yield start, end


def _blocks(text: str, *, markdown: bool) -> Iterator[tuple[int, int]]:
    """The (start, end) spans of text outside code blocks: with `markdown`, fenced and indented
    ones as Markdown reads them (lists included); else the fences the post reader skips."""
    position, start, fence = 0, 0, ""
    blank, in_list, in_code = True, False, False
    for line in text.split("\n"):
        end, stripped = position + len(line), line.strip()
        width = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip()) if stripped else 0
        if fence:
            closing = FENCE.fullmatch(line)
            if closing and closing[1][0] == fence[0] and len(closing[1]) >= len(fence):
                fence, start = ("", end) if not closing[2].strip() else (fence, start)
        else:
            if in_code and stripped and width < 4:
                in_code, start = False, position
            opening = FENCE.fullmatch(line)
            if opening and not in_code and (width < 4 or (markdown and in_list)):
                yield start, position
                fence = opening[1]
            elif markdown and stripped and width >= 4 and not in_list and (blank or in_code):
                if not in_code:
                    yield start, position
                in_code = True
            if stripped and width < 4:
                in_list = bool(LIST_ITEM.match(line)) or (in_list and not blank)
        blank = not stripped
        position = end + 1
    if not fence and not in_code:
        yield start, len(text)


def _code_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Inline code spans in a paragraph: a run of backticks up to the next run of as many."""
    runs = [m.span() for m in TICKS.finditer(text, start, end)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        following[i] = last.get(runs[i][1] - runs[i][0])
        last[runs[i][1] - runs[i][0]] = i
    i = 0
    while i < len(runs):
        j = following[i]
        if j is None:
            i += 1
            continue
        yield runs[i][0], runs[j][1]
        i = j + 1

"""Plain aligned columns for long listings; wide (Korean) characters count as two cells.

rich's Table measures every cell and takes seconds for thousands of rows; this lays out the same
kind of table a column at a time (a few C calls per column rather than Python per cell).
"""

from __future__ import annotations

import re

GAP = "  "
ELLIPSIS = "…"
# Printable ASCII, Hangul and CJK ideographs (one cell each for ASCII, two for the others):
# U+0020-U+007E, U+1100-U+115F, U+3131-U+318E, U+4E00-U+9FFF, U+AC00-U+D7A3. Checked on UTF-8
# in two passes, ASCII and the lead bytes of those ranges, then none of the lead and second bytes
# outside them: a text pattern of the ranges takes 3-20 ms to compile, a UTF-8 one checking each
# character exactly 10 times as long to run as these two.
SIMPLE_BYTES = rb"[\x20-\x7e\x80-\xbf\xe1\xe3-\xed]*"
NOT_SIMPLE = (
    rb"\xe1(?:[\x80-\x83\x86-\xbf]|\x85[\xa0-\xbf])"
    rb"|\xe3(?:[\x80-\x83\x87-\xbf]|\x84[\x80-\xb0]|\x86[\x8f-\xbf])"
    rb"|\xe4[\x80-\xb7]|\xea[\x80-\xaf]|\xed(?:[\x9f-\xbf]|\x9e[\xa4-\xbf])"
)
_patterns: list[re.Pattern[bytes]] = []


def simple(data: bytes) -> bool:
    """Whether UTF-8 text is all printable ASCII, Hangul and CJK ideographs."""
    if not _patterns:
        _patterns.extend((re.compile(SIMPLE_BYTES), re.compile(NOT_SIMPLE)))
    return _patterns[0].fullmatch(data) is not None and _patterns[1].search(data) is None


def layout(
    headers: list[str], rows: list[list[str]], *, width: int, right: set[int], flex: int
) -> list[str]:
    """The header, a rule and the rows as lines at most `width` cells wide when possible.

    Column `flex` is cut (with an ellipsis) to fit; columns in `right` are right-aligned. A row
    with fewer cells than the header ends with a cell that spans the rest, never cut.
    """
    n = len(headers)
    full = [headers, *(r for r in rows if len(r) == n)]
    texts = list(zip(*full, strict=True))
    sizes = [column_cells(column) for column in texts]
    widths = [max(column) for column in sizes]
    spare = width - (sum(widths) + len(GAP) * (n - 1))
    if spare < 0:
        widths[flex] = max(sizes[flex][0], widths[flex] + spare, 10)
    cut = widths[flex]
    justified = [
        _justified(t, s, w, i in right)
        for i, (t, s, w) in enumerate(zip(texts, sizes, widths, strict=True))
    ]
    lines = [GAP.join(parts).rstrip() for parts in zip(*justified, strict=True)]
    for at, size in enumerate(sizes[flex]):
        if size > cut:  # too wide: cut to fit
            lines[at] = _line(list(full[at]), [s[at] for s in sizes], widths, right, flex)
    usual = iter(lines)
    out = [next(usual), GAP.join("─" * w for w in widths)]
    for r in rows:
        if len(r) == n:
            out.append(next(usual))
        else:
            out.append(_line(r, [cells(c) for c in r], widths, right, flex))
    return out


def _justified(texts: tuple[str, ...], sizes: list[int], width: int, right: bool) -> list[str]:
    """Each text padded to `width` cells (`str.ljust` counts characters: a wide one adds one)."""
    pad = str.rjust if right else str.ljust
    if all(s == len(t) for s, t in zip(sizes, texts, strict=True)):
        return [pad(t, width) for t in texts]
    return [pad(t, width - s + len(t)) for t, s in zip(texts, sizes, strict=True)]


def column_cells(texts: tuple[str, ...] | list[str]) -> list[int]:
    """Each text's `cells`, in a few passes over the column when it is ASCII, Hangul and CJK (or
    once a text when few texts repeat, as names do)."""
    joined = "".join(texts)
    if joined.isascii():
        return list(map(len, texts))
    if len(distinct := set(texts)) * 4 < len(texts):
        known = dict(zip(distinct, column_cells(list(distinct)), strict=True))
        return [known[t] for t in texts]
    if simple(joined.encode("utf-8", "surrogatepass")):
        # In UTF-8, 1 byte an ASCII character (1 cell), 3 a wide one (2 cells).
        return [(len(t) + len(t.encode())) >> 1 for t in texts]
    return [cells(t) for t in texts]


def cells(text: str) -> int:
    """How many terminal cells a text takes (as rich counts them, faster for Korean)."""
    if text.isascii():
        return len(text)
    data = text.encode("utf-8", "surrogatepass")
    if simple(data):
        return (len(text) + len(data)) >> 1
    from rich.cells import cell_len  # rich loads in 3 ms: only for the rare other characters

    return cell_len(text)


def _line(row: list[str], sizes: list[int], widths: list[int], right: set[int], flex: int) -> str:
    parts = []
    for i, cell in enumerate(row):
        if i == len(row) - 1 and len(row) < len(widths):
            parts.append(cell)
            break
        size = sizes[i]
        if i == flex and size > widths[i]:
            cell = fit(cell, widths[i])
            size = cells(cell)
        pad = " " * (widths[i] - size)
        parts.append(pad + cell if i in right else cell + pad)
    return GAP.join(parts).rstrip()


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending in an ellipsis when cut."""
    if cells(text) <= width:
        return text
    while text and cells(text) > width - 1:
        text = text[:-1]
    return text + ELLIPSIS

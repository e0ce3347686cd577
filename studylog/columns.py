"""Plain aligned columns for long listings; wide (Korean) characters count as two cells.

rich's Table measures every cell and takes seconds for thousands of rows; this lays out the same
kind of table a column at a time (a few C calls per column rather than Python per cell).
"""

from __future__ import annotations

import re

GAP = "  "
# Printable ASCII, Hangul and CJK ideographs (one cell each for ASCII, two for the others), as
# UTF-8: a text pattern of these ranges takes 3-20 ms to compile, this one well under one.
SIMPLE_UTF8 = (
    rb"(?:[\x20-\x7e]"
    rb"|\xe1\x84[\x80-\xbf]|\xe1\x85[\x80-\x9f]"  # U+1100-U+115F
    rb"|\xe3\x84[\xb1-\xbf]|\xe3\x85[\x80-\xbf]|\xe3\x86[\x80-\x8e]"  # U+3131-U+318E
    rb"|\xe4[\xb8-\xbf][\x80-\xbf]|[\xe5-\xe9][\x80-\xbf][\x80-\xbf]"  # U+4E00-U+9FFF
    rb"|\xea[\xb0-\xbf][\x80-\xbf]|[\xeb\xec][\x80-\xbf][\x80-\xbf]"  # U+AC00-
    rb"|\xed[\x80-\x9d][\x80-\xbf]|\xed\x9e[\x80-\xa3]"  # -U+D7A3
    rb")*"
)
ELLIPSIS = "…"
_simple: list[re.Pattern[bytes]] = []


def simple(data: bytes) -> bool:
    """Whether UTF-8 text is all printable ASCII, Hangul and CJK ideographs."""
    if not _simple:
        _simple.append(re.compile(SIMPLE_UTF8))
    return _simple[0].fullmatch(data) is not None


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
    """Each text's `cells`, in a few passes over the column when it is ASCII, Hangul and CJK."""
    joined = "".join(texts)
    if joined.isascii():
        return list(map(len, texts))
    if simple(joined.encode("utf-8", "surrogatepass")):  # UTF-8: 1 byte an ASCII character, 3 a wide one (2 cells)
        return [(len(t) + len(t.encode())) >> 1 for t in texts]  # (no surrogates here)
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

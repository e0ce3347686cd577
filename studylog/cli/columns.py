"""Plain aligned columns for long listings; wide (Korean) characters count as two cells.

rich's Table measures every cell through its renderables and takes seconds for thousands of rows;
this measures each cell once (a column of ASCII text at once) and pads it with `str` methods.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

GAP = "  "
ELLIPSIS = "…"
# The characters whose width is known without asking rich: printable ASCII (one cell), Hangul and
# CJK ideographs (two cells).
SIMPLE = re.compile(r"[\x20-\x7e\u1100-\u115f\u3131-\u318e\u4e00-\u9fff\uac00-\ud7a3]*")


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
    """Each text's `cells`; a column of ASCII text (dates, numbers, states) in one pass."""
    if "".join(texts).isascii():
        return list(map(len, texts))
    return [cells(t) for t in texts]


def cells(text: str) -> int:
    """How many terminal cells a text takes, as rich counts them."""
    if text.isascii():
        return len(text)
    if SIMPLE.fullmatch(text):
        # In UTF-8, 1 byte an ASCII character (1 cell), 3 a wide one (2 cells).
        return (len(text) + len(text.encode())) >> 1
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

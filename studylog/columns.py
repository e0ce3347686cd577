"""Plain aligned columns for long listings; wide (Korean) characters count as two cells.

rich's Table measures every cell and takes seconds for thousands of rows; this lays out the same
kind of table in one pass.
"""

from __future__ import annotations

import re

GAP = "  "
# Printable ASCII, Hangul and CJK ideographs: one cell each for ASCII, two for the others.
SIMPLE = re.compile(r"[\x20-\x7e\u1100-\u115f\u3131-\u318e\u4e00-\u9fff\uac00-\ud7a3]*")
ELLIPSIS = "…"


def layout(
    headers: list[str], rows: list[list[str]], *, width: int, right: set[int], flex: int
) -> list[str]:
    """The header, a rule and the rows as lines at most `width` cells wide when possible.

    Column `flex` is cut (with an ellipsis) to fit; columns in `right` are right-aligned. A row
    with fewer cells than the header ends with a cell that spans the rest, never cut.
    """
    n = len(headers)
    sizes = _sizes([headers, *rows], n)
    full = [s for s in sizes if len(s) == n]
    widths = [max(column) for column in zip(*full, strict=True)]
    spare = width - (sum(widths) + len(GAP) * (n - 1))
    if spare < 0:
        widths[flex] = max(sizes[0][flex], widths[flex] + spare, 10)
    lines = [_line(headers, sizes[0], widths, right, flex), GAP.join("─" * w for w in widths)]
    # The usual row (every cell, nothing to cut): each cell justified to its column's width,
    # counted in characters (`width - cells + len`), so a wide character counts as two.
    justify = [str.rjust if i in right else str.ljust for i in range(n)]
    cut = widths[flex]
    for r, s in zip(rows, sizes[1:], strict=True):
        if len(r) == n and s[flex] <= cut:
            parts = [j(c, w - z + len(c)) for j, c, z, w in zip(justify, r, s, widths, strict=True)]
            lines.append(GAP.join(parts).rstrip())
        else:
            lines.append(_line(r, s, widths, right, flex))
    return lines


def _sizes(rows: list[list[str]], n: int) -> list[list[int]]:
    """Each cell's `cells`, counted a column at a time: an ASCII column by `len` alone, a column
    of few distinct texts (names) once per text."""
    full = [r for r in rows if len(r) == n]
    columns = []
    for column in zip(*full, strict=True):
        if "".join(column).isascii():
            columns.append(list(map(len, column)))
        elif len(distinct := set(column)) * 4 < len(column):
            known = {c: cells(c) for c in distinct}
            columns.append([known[c] for c in column])
        else:
            columns.append([cells(c) for c in column])
    by_row = iter(zip(*columns, strict=True))
    return [list(next(by_row)) if len(r) == n else [cells(c) for c in r] for r in rows]


def cells(text: str) -> int:
    """How many terminal cells a text takes (as rich counts them, faster for Korean)."""
    if text.isascii():
        return len(text)
    if SIMPLE.fullmatch(text):
        return 2 * len(text) - len(text.encode("ascii", "ignore"))
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

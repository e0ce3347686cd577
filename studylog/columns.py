"""Plain aligned columns for long listings; wide (Korean) characters count as two cells.

rich's Table measures every cell and takes seconds for thousands of rows; this lays out the same
kind of table in one pass.
"""

from __future__ import annotations

from rich.cells import cell_len

GAP = "  "
ELLIPSIS = "…"


def layout(
    headers: list[str], rows: list[list[str]], *, width: int, right: set[int], flex: int
) -> list[str]:
    """The header, a rule and the rows as lines at most `width` cells wide when possible.

    Column `flex` is cut (with an ellipsis) to fit; columns in `right` are right-aligned. A row
    with fewer cells than the header ends with a cell that spans the rest, never cut.
    """
    full = [r for r in rows if len(r) == len(headers)]
    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in full]) for i, h in enumerate(headers)]
    spare = width - (sum(widths) + len(GAP) * (len(headers) - 1))
    if spare < 0:
        widths[flex] = max(cell_len(headers[flex]), widths[flex] + spare, 10)
    lines = [_line(headers, widths, right, flex), GAP.join("─" * w for w in widths)]
    return lines + [_line(r, widths, right, flex) for r in rows]


def _line(cells: list[str], widths: list[int], right: set[int], flex: int) -> str:
    parts = []
    for i, cell in enumerate(cells):
        if i == len(cells) - 1 and len(cells) < len(widths):
            parts.append(cell)
            break
        text = fit(cell, widths[i]) if i == flex else cell
        pad = " " * (widths[i] - cell_len(text))
        parts.append(pad + text if i in right else text + pad)
    return GAP.join(parts).rstrip()


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, ending in an ellipsis when cut."""
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) > width - 1:
        text = text[:-1]
    return text + ELLIPSIS

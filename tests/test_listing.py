"""`listing`: exactly what `studylog list` prints, without the command framework."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from studylog.blog.cache import Filters, Row
from studylog.blog.site import resolve_blog
from studylog.cli.app import app
from studylog.cli.columns import cells, layout
from studylog.cli.commands import listing
from studylog.config import load_settings


@pytest.fixture
def full_blog(posts: Path) -> Path:
    """Real, hand-varied and broken posts and a draft."""
    return posts


def cli(blog: Path, *args: str):
    return CliRunner().invoke(app, ["list", *args, "--blog", str(blog)])


def mine(blog: Path, filters: Filters | None = None, **options) -> listing.Listing:
    root = resolve_blog(blog, None)
    return listing.listing(root, load_settings(), filters or Filters(), **options)


D = dt.date
CASES = [
    ((), Filters(), {}),
    (("--json",), Filters(), {"as_json": True}),
    (("--drafts",), Filters(), {"drafts": True}),
    (("--drafts", "--json"), Filters(), {"drafts": True, "as_json": True}),
    (("--since", "2021-08-13", "--until", "2021-08-18"),
     Filters(D(2021, 8, 13), D(2021, 8, 18)), {}),
    (("--moderator", "박지호", "--json"), Filters(moderator="박지호"), {"as_json": True}),
    (("--participant", "alex kim"), Filters(participant="alex kim"), {}),
    (("--limit", "3"), Filters(limit=3), {}),
    (("--limit", "0", "--json"), Filters(limit=0), {"as_json": True}),
]  # fmt: skip


@pytest.mark.parametrize(("args", "filters", "options"), CASES)
@pytest.mark.parametrize("columns", ["", "70", "40"])
def test_the_same_text_as_list(
    full_blog: Path, monkeypatch, args: tuple[str, ...], filters, options, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for _ in range(2):  # without a cache, then from it
        want = cli(full_blog, *args)
        got = mine(full_blog, filters, **options)
        assert (got.out, got.err) == (want.stdout, want.stderr) and want.exit_code == 0
        strict = cli(full_blog, *args, "--strict")
        assert strict.exit_code == (1 if got.broken else 0)
        assert not got.broken or f"{got.broken} of the listed posts" in strict.stderr


def test_broken_rows_are_red_on_a_terminal(full_blog: Path) -> None:
    plain = mine(full_blog, width=80, rule=True).out.splitlines()
    red = mine(full_blog, width=80, color=True, rule=True).out.splitlines()
    broken = [i for i, line in enumerate(plain) if ".md: " in line]
    assert len(broken) == 6 and red[:2] == plain[:2]
    assert red == [typer.style(x, fg="red") if i in broken else x for i, x in enumerate(plain)]


def test_an_empty_blog(blog: Path) -> None:
    want = cli(blog)
    got = mine(blog)
    assert (got.out, got.err, got.broken) == (want.stdout, want.stderr, 0)
    assert mine(blog, as_json=True).out == cli(blog, "--json").stdout == "[]\n"


def test_json_rows_have_their_shape() -> None:
    rows = [
        Row("_posts/a.md", D(2021, 8, 2), 1, 'quote " 한글', "김민준", ("김민준", "Alex"), 3),
        Row("_drafts/b.md", None, None),
        Row("_posts/2021-08-03-c.md", D(2021, 8, 3), None, error="no front matter"),
    ]
    listed = [listing.json_row(r, s) for r, s in zip(rows, ["pushed", "draft", None], strict=True)]
    assert listed == [
        {
            "path": "_posts/a.md",
            "date": "2021-08-02",
            "day": 1,
            "title": 'quote " 한글',
            "moderator": "김민준",
            "participants": ["김민준", "Alex"],
            "questions": 3,
            "state": "pushed",
        },
        {
            "path": "_drafts/b.md",
            "date": None,
            "day": None,
            "title": "",
            "moderator": "",
            "participants": [],
            "questions": 0,
            "state": "draft",
        },
        {"path": "_posts/2021-08-03-c.md", "error": "no front matter", "state": None},
    ]


def test_list_json_is_indented_and_keeps_unicode(full_blog: Path) -> None:
    out = mine(full_blog, as_json=True).out
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    assert "학습기록" in out


def reference_layout(
    headers: list[str], rows: list[list[str]], *, width: int, right: set[int], flex: int
) -> list[str]:
    """`columns.layout` as it was, a cell at a time."""
    from studylog.cli.columns import GAP, _line

    n = len(headers)
    sizes = [[cells(c) for c in r] for r in [headers, *rows]]
    full = [s for s in sizes if len(s) == n]
    widths = [max(column) for column in zip(*full, strict=True)]
    spare = width - (sum(widths) + len(GAP) * (n - 1))
    if spare < 0:
        widths[flex] = max(sizes[0][flex], widths[flex] + spare, 10)
    lines = [_line(headers, sizes[0], widths, right, flex), GAP.join("─" * w for w in widths)]
    lines += [_line(r, s, widths, right, flex) for r, s in zip(rows, sizes[1:], strict=True)]
    return lines


def test_layout_a_column_at_a_time_is_the_same() -> None:
    pieces = ["a", "Day 13", "학습기록", "漢字", "…", "é", "👍", " ", "ｆｕｌｌ", "\u0301", "ᅠ"]
    rng = random.Random(20210818)
    for _ in range(300):
        rows = []
        for _ in range(rng.randrange(0, 12)):
            if rng.random() < 0.15:
                rows.append(["2021-08-02", "", "".join(rng.choices(pieces, k=rng.randrange(9)))])
                continue
            row = ["".join(rng.choices(pieces, k=rng.randrange(6))) for _ in range(5)]
            rows.append([str(rng.randrange(100)), *row, rng.choice(["", "new", "pushed"])])
        headers = ["date", "day", "title", "moderator", "people", "Q&As", "state"]
        width = rng.choice([20, 40, 60, 80, 1_000_000])
        args = {"width": width, "right": {1, 4, 5}, "flex": 2}
        assert layout(headers, rows, **args) == reference_layout(headers, rows, **args)


def test_piped_list_has_no_rule_and_a_terminal_one_has(full_blog: Path) -> None:
    piped = cli(full_blog).stdout.splitlines()
    assert piped[0].startswith("date") and "─" not in cli(full_blog).stdout
    drawn = mine(full_blog, rule=True).out.splitlines()
    assert set(drawn[1]) == {"─", " "} and drawn[:1] + drawn[2:] == piped

"""The light title scan gives what the parser gives, or nothing (then publish parses)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studylog.config import Settings
from studylog.errors import PostError
from studylog.post import posttitle
from studylog.post.parse import parse_post

DATA = Path(__file__).parent / "data"
NAMED = Path("_posts/2021-08-18-day13.md")
UNDATED = Path("_drafts/day13.md")

TEMPLATE = """---
defaults:
  - scope:
      path: ""
      type: posts
    values:
      layout: single
      author_profile: true

title: "[boostcourse] Day13 학습기록"
excerpt: "about : python"
toc: true
categories:
  - daily
tags:
  - []
date: 2021-08-18
last_modified_at: 2021-08-18
---

## 학습 내용
"""


def parser_title(text: str, path: Path) -> str:
    try:
        return parse_post(text, path, Settings()).title
    except PostError:
        return ""


def test_the_template_front_matter_is_read() -> None:
    assert posttitle.title(TEMPLATE, NAMED) == "[boostcourse] Day13 학습기록"


@pytest.mark.parametrize("post", sorted(DATA.rglob("*.md")), ids=lambda p: p.name)
def test_sample_posts_agree_with_the_parser(post: Path) -> None:
    text = post.read_text("utf-8", errors="replace")
    got = posttitle.title(text, Path(post.name))
    assert got is None or got == parser_title(text, Path(post.name))


@pytest.mark.parametrize(
    ("title_line", "expected"),
    [
        ("title: Plain words here", "Plain words here"),
        ("title: 'single quoted'", "single quoted"),
        ('title: ""', ""),
        ("title: yes", None),  # YAML: a boolean
        ("title: 2021", None),  # YAML: a number
        ("title: a: b", None),  # YAML: an error
        ("title: x # comment", None),
        ('title: "esc\\"aped"', None),
        ("title:\n  nested: map", None),
        ("title: multi\n  line", None),
    ],
)
def test_title_forms(title_line: str, expected: str | None) -> None:
    text = f"---\n{title_line}\ndate: 2021-08-18\n---\nbody\n"
    got = posttitle.title(text, NAMED)
    assert got == expected
    if got is not None:
        assert got == parser_title(text, NAMED)


@pytest.mark.parametrize(
    ("date_line", "path", "known"),
    [
        ("date: 2021-08-18", UNDATED, True),
        ("date: 2021-08-18 21:30:00 +09:00", UNDATED, True),
        ('date: "2021-8-1"', UNDATED, True),
        ("date: 2021-13-45", NAMED, False),  # the parser refuses it: no title at all
        ("date:", NAMED, True),  # the file name's date
        ("date:", UNDATED, False),
        ("date: soon", NAMED, False),
    ],
)
def test_the_date_decides_whether_there_is_a_title(date_line: str, path: Path, known: bool) -> None:
    text = f"---\ntitle: T\n{date_line}\n---\nbody\n"
    got = posttitle.title(text, path)
    assert (got is not None) == known
    if got is not None:
        assert got == parser_title(text, path)
    else:
        assert parser_title(text, path) in ("", "T")


KEYS = st.sampled_from(["title", "date", "tags", "a", "b_c", "on", "x-y", "last_modified_at"])
SCALARS = st.sampled_from(
    [
        "word",
        "two words",
        "Day13 학습기록",
        '"quoted: text"',
        "'single'",
        "[]",
        "{}",
        "[a, b]",
        "yes",
        "No",
        "null",
        "~",
        "12",
        "1.5",
        "2021-08-18",
        "2021-02-30",
        "2021-08-18 10:00:00 +09:00",
        '"2021-08-18"',
        "a: b",
        "a:",
        "x #c",
        "C#",
        "-x",
        "- x",
        "&anchor x",
        "*alias",
        "!tag x",
        "|",
        ">",
        '"unterminated',
        "'it''s'",
        '"tab\\t"',
        "%x",
        "@x",
        "a,b",
        "ｔｉｔｌｅ\u3000",
        "",
    ]
)
LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}" if v else f"{k}:", KEYS, SCALARS),
    st.builds(lambda v: f"- {v}" if v else "-", SCALARS),
    st.builds(lambda k, v: f"- {k}: {v}" if v else f"- {k}:", KEYS, SCALARS),
    st.sampled_from(["", "# comment", "  # indented comment", "just text", "- - x", "---x"]),
)
INDENTED = st.tuples(st.sampled_from([0, 0, 0, 1, 2, 2, 4, 6]), LINE)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(INDENTED, min_size=1, max_size=12), st.sampled_from([NAMED, UNDATED]))
def test_random_front_matter_agrees_with_the_parser(
    lines: list[tuple[int, str]], path: Path
) -> None:
    front = "\n".join(" " * indent + line for indent, line in lines)
    text = f"---\n{front}\n---\nbody\n"
    got = posttitle.title(text, path)
    assert got is None or got == parser_title(text, path), text


def _render(node: object, indent: int, step: int, indentless: bool) -> list[str]:
    """A generated block node as YAML lines (mappings are lists of pairs)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(node, list) and node and isinstance(node[0], tuple):
        for key, value in node:
            if isinstance(value, str):
                lines.append(f"{pad}{key}: {value}" if value else f"{pad}{key}:")
            else:
                lines.append(f"{pad}{key}:")
                inner = indent if indentless and _is_sequence(value) else indent + step
                lines += _render(value, inner, step, indentless)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, str):
                lines.append(f"{pad}- {item}" if item else f"{pad}-")
            else:
                rendered = _render(item, indent + 2, step, indentless)
                lines.append(f"{pad}- {rendered[0].lstrip(' ')}")
                lines += rendered[1:]
    return lines


def _is_sequence(node: object) -> bool:
    return isinstance(node, list) and not (node and isinstance(node[0], tuple))


GOOD = st.sampled_from(
    ["word", "two words", "Day13 학습기록", '"quoted: text"', "'single'", "[]", "12", "true", ""]
)
BLOCKS = st.recursive(
    st.one_of(GOOD, GOOD, GOOD, SCALARS),
    lambda inner: st.one_of(
        st.lists(st.tuples(KEYS, inner), min_size=1, max_size=4),
        st.lists(inner, min_size=1, max_size=3),
    ),
    max_leaves=12,
)
TITLES = st.sampled_from(["Day13 학습기록", '"[boostcourse] Day13"', "'it'", "Yes", "x: y", ""])
TOP = st.builds(
    lambda pairs, where, value: [*pairs[:where], ("title", value), *pairs[where:]],
    st.lists(st.tuples(KEYS, BLOCKS), max_size=6).filter(
        lambda pairs: not any(key in ("title", "date") for key, _ in pairs)
    ),
    st.integers(0, 6),
    TITLES,
)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    TOP,
    st.integers(1, 4),
    st.booleans(),
    st.tuples(st.integers(0, 30), st.integers(-2, 2)),
)
def test_generated_block_structures_agree_with_the_parser(
    top: list[tuple[str, object]], step: int, indentless: bool, shift: tuple[int, int]
) -> None:
    lines = _render(top, 0, step, indentless)
    where, by = shift
    if where < len(lines) and by:  # one line moved: often invalid YAML
        line = lines[where]
        lines[where] = " " * max(0, len(line) - len(line.lstrip(" ")) + by) + line.lstrip(" ")
    text = "---\n" + "\n".join(lines) + "\n---\nbody\n"
    got = posttitle.title(text, NAMED)
    assert got is None or got == parser_title(text, NAMED), text

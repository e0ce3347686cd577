"""The quick row reader: for every post it answers, the answer is the full parser's.

A corpus of the example posts, the fixtures and the benchmark's generated posts, and many
variations of them (lines that look structural inserted anywhere, line ends, encodings, front
matter shapes): `quickread.row` is either None (the full parser then reads the post) or exactly
what the full parse gives.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studylog.config import EN_HEADINGS, Settings
from studylog.errors import PostError
from studylog.post import quickread
from studylog.post.parse import parse_post, summary, summary_of

DATA = Path(__file__).parent / "data"
BENCH = Path(__file__).parent.parent / "bench" / "generate.py"
FILES = sorted(DATA.glob("*.md")) + sorted(DATA.glob("*/*.md"))
NAME = "2021-08-18-day13.md"


def generated(count: int) -> list[str]:
    """Posts as the benchmark generates them (its blogs are these, thousands of times)."""
    if not BENCH.is_file():
        return []
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    day = dt.date(2021, 8, 2)
    return [module.post(i, day + dt.timedelta(days=i)) for i in range(count)]


CORPUS = [p.read_bytes() for p in FILES] + [t.encode() for t in generated(40)]
EXAMPLE = (DATA / NAME).read_text("utf-8")
# Lines that shape a body, or nearly do: each is inserted anywhere in the variations.
LINES = [
    "## 학습 내용",
    "## 피어세션 👨👨👦👦 👨👨👦",
    "### 토의 내용",
    "### 멘토링",
    "#### 토의 내용",
    "# Discussion",
    "##  Peer Session  ",
    "## 토의내용 \t",
    "##",
    "####### 멘토링",
    "Q. 질문입니다",
    "Q.",
    "Q1: numbered",
    "Q : spaced",
    "Q٣. 아랍 숫자",
    "Q.\t탭",
    "A. 답",
    "A.",
    "---",
    "***",
    "<br>",
    " <br/> ",
    "<br />",
    "모더레이터 : 김민준",
    "**모더레이터**: 이서연",
    "- 참가자 : 김민준, 이서연",
    "참가자 : , ,",
    "Moderator: Alex Kim",
    "PARTICIPANTS: A, B",
    "```",
    "```python",
    "~~~",
    "    ```",
    "{% raw %}",
    "{{ page.title }}",
    "{ not liquid }",
    "",
    "   ",
    "...",
    "text with Q. inside",
]
FRONTS = [
    'title: "[boostcourse] Day13 학습기록"\ndate: 2021-08-18\n',
    "title: 'single'\ndate: 2021-08-18 21:30:00 +09:00\n",
    "title: plain words\ndate: 2021-08-18\nlast_modified_at: 2021-08-19\n",
    "title: yes\n",
    "title: 13\ndate: 2021-08-18\n",
    "title: x\ntitle: Day14 second wins\n",
    "excerpt: |\n  title: not me\ntitle: Day13\n",
    "date: 2021-02-30\n",
    "date: not a date\n",
    "date: 2021-8-1\n",
    "date:\n",
    "",
    "- a list\n",
    "title: [unclosed\n",
    'title: "Day 7"\ndate: "2021-08-18"\n',
    "title: Day13\ndate: 2021-08-18T10:00:00Z\n",
]


def full(data: bytes, name: str, config: Settings) -> quickread.Values | None:
    """The full parser's row values for a post file's bytes; None if it cannot be read."""
    from studylog.post.parse import decode

    path = Path("_posts") / name
    try:
        entry = parse_post(decode(data, path), path, config)
    except PostError:
        return None
    s = summary_of(entry, path)
    assert s.date is not None
    return (s.date.isoformat(), s.day, s.title, s.moderator, tuple(s.participants), s.questions)


def check(data: bytes, name: str = NAME, config: Settings | None = None) -> bool:
    """Whether the quick reader answered (an AssertionError if its answer is not the full one's)."""
    config = config or Settings()
    quick = quickread.row(data, name, quickread.grammar_for(config.headings, config.footer))
    if quick is not None:
        assert quick == full(data, name, config)
    return quick is not None


@pytest.mark.parametrize("data", CORPUS, ids=range(len(CORPUS)))
def test_the_corpus_reads_as_the_full_parser_reads_it(data: bytes) -> None:
    check(data)
    check(data, "day13.md")  # no date in the name
    check(data, config=Settings(headings={**Settings().headings, **EN_HEADINGS}))


def test_studylogs_own_posts_are_read_quickly() -> None:
    assert all(check(t.encode()) for t in generated(40))
    assert check(EXAMPLE.encode())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(CORPUS),
    st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(LINES)), max_size=4),
)
def test_lines_inserted_anywhere_read_as_the_full_parser_reads_them(
    data: bytes, inserts: list[tuple[int, str]]
) -> None:
    lines = data.split(b"\n")
    for at, line in inserts:
        lines.insert(at % (len(lines) + 1), line.encode())
    check(b"\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FRONTS), st.sampled_from(CORPUS), st.sampled_from([NAME, "notes.md"]))
def test_front_matter_shapes_read_as_the_full_parser_reads_them(
    front: str, data: bytes, name: str
) -> None:
    body = data.split(b"\n---\n", 1)[-1]
    check(f"---\n{front}---\n".encode() + body, name)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(CORPUS), st.sampled_from([b"\r\n", b"\r", b"\xef\xbb\xbf", b"\xff"]))
def test_line_ends_and_encodings_read_as_the_full_parser_reads_them(
    data: bytes, odd: bytes
) -> None:
    check(data.replace(b"\n", odd) if odd.startswith(b"\r") else odd + data)
    check(data[: len(data) // 2] + odd + data[len(data) // 2 :])


@pytest.mark.parametrize("front", FRONTS)
def test_the_parsers_quick_summary_agrees_with_its_full_parse(front: str) -> None:
    path = Path("_posts") / NAME
    text = f"---\n{front}---\n" + EXAMPLE.split("\n---\n", 1)[1]
    try:
        want: object = summary_of(parse_post(text, path, Settings()), path)
    except PostError as exc:
        want = exc.reason
    try:
        got: object = summary(text, path, Settings())
    except PostError as exc:
        got = exc.reason
    assert got == want

"""Reading and writing are each other's inverse: parse(render(e)) == e for generated entries.

What the comparison normalises, because the post format cannot hold it (the generators below
produce only text that survives, and these are the rules a user's text would meet):
- a field keeps no blank lines around it, and its first line no spaces around it (the `Q.`/`A.`
  line's own text is stripped);
- a `<br>` line inside a field would end a section; code fences must be closed (a line that
  starts like a marker, `Q.` or `A:`, or a `#`-`###` heading is escaped by the writer);
- the front matter of an entry without one is the configured default (checked for title/date);
- extras are recoverable only where the template puts them after something it can tell apart:
  a discussion or mentoring extra starts with a heading, a topics extra with a non-bullet line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.config import Settings
from studylog.post.escape import html_safe, html_unsafe, lines_safe, lines_unsafe
from studylog.post.model import QA, Entry, Topic
from studylog.post.parse import parse_post
from studylog.post.render import render

from .conftest import write_config

runner = CliRunner()

DAY = re.compile(r"day\s*(\d+)", re.IGNORECASE)

SAFE = ["학습", "내용", "질문", "답변", "Transformer", "self-attention", "🙂", "👨👨👦", "'quoted'"]
TRICKY = [
    "snake_case",
    "50%",
    "a: b",
    '"double"',
    "{{ x }}",
    "{% if a %}b{% endif %}",
    "**굵게**",
    "[link](https://x.io/a?b=1&c=2)",
    "`code`",
    "→",
    "#tag",
    "---",
    "<tag>",
    "&amp;",
    "Q.",
    "A:",
    "-",
    "List<String>",
    "<T>",
    "</String>",
    "<b>굵게</b>",
    "&lt;",
    "&amp;lt;",
    "a < b",
]
RAW = ["{% raw %}", "{% endraw %}"]


def sentences(vocabulary: list[str]) -> st.SearchStrategy[str]:
    """One line of words; it starts with a plain word, so it never reads as a marker."""
    rest = st.lists(st.sampled_from(vocabulary), max_size=5)
    return st.tuples(st.sampled_from(SAFE), rest).map(lambda t: " ".join([t[0], *t[1]]))


prose = sentences(SAFE + TRICKY + RAW)
plain = sentences(SAFE + TRICKY)  # raw tags in verbatim text would be a broken post


def blocks(text: st.SearchStrategy[str], structure: bool = True) -> st.SearchStrategy[str]:
    """A paragraph, list, image, code fence holding `---`, sub-heading or rule; with
    `structure`, lines that look like the post's structure, code, tags."""
    return st.one_of(
        text,
        text.map(lambda s: "- " + s),
        text.map(lambda s: "- " + s + "\n    - " + s),
        st.just("![image](https://user-images.githubusercontent.com/1/2.png)"),
        st.just("```yaml\n---\nQ. not a question\ntitle: 'x'\n---\n```"),
        text.map(lambda s: "#### " + s),
        st.just("---"),
        *(STRUCTURE if structure else []),
    )


# Lines inside a field that look like the post's structure: the writer escapes them.
STRUCTURE = [
    st.sampled_from(
        ["Q. 안의 질문?", "A: 안의 답", "Q1. x", "Q\\. 이미", "### 멘토링", "## 회고", "#"]
    ),
    st.just("---\n\nQ. 두 번째 질문처럼 보이는 줄"),
    st.just("    List<String> names = new ArrayList<>();\n    if (a < b) {}"),
    st.just("`List<String>` and ``a`b<c``"),
    st.just("```java\nList<String> a;\nQ. in code\n```"),
]
# A first line that starts indented: code, or a question's own indentation.
INDENTED = st.sampled_from(["    int x = 1;  // code", "\tindented <T>", "  two spaces"])


def markdown(
    first: st.SearchStrategy[str] = prose,
    text: st.SearchStrategy[str] = prose,
    structure: bool = True,
):
    """Markdown paragraphs whose first line is drawn from `first`."""
    following = blocks(text, structure)
    rest = st.lists(st.tuples(st.sampled_from(["\n", "\n\n"]), following), max_size=4)
    return st.tuples(first, rest).map(lambda t: t[0] + "".join(sep + b for sep, b in t[1]))


names = st.lists(st.sampled_from(["김민준", "이서연", "Alex Kim", "{{ 7*7 }}", "a:b", "박"]))
labels = st.one_of(prose, st.sampled_from(["Multi Head Attention", "C# / 50% _x_ --y--", "한국어"]))
topics = st.lists(
    st.builds(Topic, labels, st.one_of(st.none(), st.just('https://x.io/?a=1&b="2"'))),
    max_size=4,
)
titles = st.one_of(
    st.builds(lambda d, s: f"[boostcourse] Day{d} {s}", st.integers(0, 300), prose),
    prose.filter(lambda s: not DAY.search(s)),
    st.sampled_from(["yes", "010", "null", "- dash", "a: b", "[공지] 9/15: C# #3"]),
)
heading_led = plain.map(lambda s: "## 회고 " + s + "\n\n" + s)
extras = st.fixed_dictionaries(
    {},
    optional={
        "head": markdown(plain, plain, structure=False),
        "topics": plain.map(lambda s: "메모: " + s),
        "peer": plain.map(lambda s: "메모 " + s),
        "discussion": heading_led,
        "mentoring": heading_led,
        "tail": markdown(plain, plain, structure=False),
        "footer": st.one_of(st.just(""), plain, st.just("```\nThanks!\n```")),
    },
)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    """Entries in every shape the template writes."""
    title = draw(titles)
    match = DAY.search(title)
    day = int(match[1]) if match else draw(st.integers(0, 300))
    people = draw(names)
    return Entry(
        date=draw(st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))),
        day=day,
        title=title,
        topics=draw(topics),
        moderator=draw(st.sampled_from(["", *people])) if people else "",
        participants=people,
        discussion=draw(
            st.lists(
                st.builds(
                    QA,
                    st.one_of(markdown(), markdown(INDENTED)),
                    st.one_of(st.just(""), markdown(), markdown(INDENTED)),
                ),
                max_size=3,
            )
        ),
        mentoring=draw(st.one_of(st.just(""), markdown(), markdown(blocks(prose)))),
        extras=draw(extras),
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries())
def test_parse_of_render_is_the_entry(entry: Entry) -> None:
    path = Path(f"_posts/{entry.date}-day{entry.day}.md")
    text = render(entry, Settings())
    got = parse_post(text, path, Settings())
    assert got.front_matter["title"] == entry.title
    assert got.front_matter["date"] == entry.date
    assert replace(got, front_matter={}) == entry


# --- show --json -> new --from, on real posts --------------------------------------------------

DATA = Path(__file__).parent / "data"
ENGLISH = """[headings]
topics = "What I studied"
peer = "Peer session"
moderator = "Moderator"
participants = "Participants"
discussion = "Discussion"
mentoring = "Mentoring"
"""
# How writing a hand-made post again normalises it (besides blank lines, trailing spaces, a BOM
# and CRLF): the template writes its own markers, separators and headings.
NORMALISED = {
    "2021-08-03-day2.md": [("Q: ", "Q. "), ("A: ", "A. ")],
    "2021-08-05-day4.md": [
        ("\nQ. merge", "\n---\nQ. merge"),
        ("\nQ. Setting", "\n---\nQ. Setting"),
    ],
    "2021-08-09-day6.md": [("- {% raw %}[템플릿", "{% raw %}- [템플릿")],
    "2021-08-11-day8.md": [("배웠다!\n", "배웠다!\n<br>\n")],
    "2021-08-13-day10.md": [("- **모더레이터**", "모더레이터"), ("- **참가자**", "참가자")],
    "2021-08-17-day12.md": [
        ("## 피어 세션", "## 피어세션 👨👨👦👦 👨👨👦"),
        *[(f"{m}{n}. ", f"{m}. ") for m in "QA" for n in "12"],
        ("***", "---"),
    ],
}
ROUND_TRIP = sorted((DATA / "posts").glob("*.md")) + sorted(DATA.glob("*.md"))


def loose(text: str) -> str:
    """The text up to blank lines and trailing spaces."""
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())


def front_and_body(data: bytes) -> tuple[list[tuple[object, object]], str]:
    import yaml

    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    _, front, body = text.split("---\n", 2)
    return list(yaml.safe_load(front).items()), body


@pytest.mark.parametrize("post", ROUND_TRIP, ids=lambda p: p.name)
def test_show_json_then_new_from_writes_the_same_post(
    post: Path, tmp_path: Path, isolated_home: Path
) -> None:
    if post.name == "2021-08-16-day11.md":
        write_config(isolated_home, ENGLISH)
    source, target = tmp_path / "source", tmp_path / "target"
    for blog in (source, target):
        (blog / "_posts").mkdir(parents=True)
    shutil.copyfile(post, source / "_posts" / post.name)
    shown = runner.invoke(app, ["show", post.name[:10], "--json", "--blog", str(source)])
    assert shown.exit_code == 0, shown.output
    (tmp_path / "entry.json").write_text(shown.stdout, "utf-8")
    made = runner.invoke(
        app, ["new", "--from", str(tmp_path / "entry.json"), "--yes", "--blog", str(target)]
    )
    assert made.exit_code == 0, made.output
    [written] = (target / "_posts").iterdir()
    want_front, want_body = front_and_body(post.read_bytes())
    got_front, got_body = front_and_body(written.read_bytes())
    assert got_front == want_front
    for old, new in NORMALISED.get(post.name, []):
        want_body = want_body.replace(old, new)
    assert loose(got_body) == loose(want_body)
    again = runner.invoke(app, ["show", str(written), "--json", "--blog", str(target)])
    assert json.loads(again.stdout) == json.loads(shown.stdout)  # and back: the same entry


# --- the escapes alone: each is the other's inverse on any text ---------------------------------

pieces = st.sampled_from(
    ["<", ">", "&", "lt;", "amp;", "/", "b", "String", "br", "`", "```", "~~~", "\\", "\n", " "]
    + ["    ", "\t", "#", "###", "Q", "A", "1", ".", ":", "- ", "https://", "!--", "x"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=40).map("".join))
def test_the_reader_unescapes_exactly_what_the_writer_escaped(text: str) -> None:
    assert html_unsafe(html_safe(text)) == text
    for markers in (True, False):
        assert lines_unsafe(lines_safe(text, markers=markers), markers=markers) == text

"""Reading and writing are each other's inverse: parse(render(e)) == e for generated entries.

What the comparison normalises, because the post format cannot hold it (the generators below
produce only text that survives, and these are the rules a user's text would meet):
- a field keeps no blank lines around it, and its first line no spaces around it (the `Q.`/`A.`
  line's own text is stripped);
- a line that starts like a marker (`Q.`, `A:`), a `<br>` line or a `#`-`###` heading inside a
  field would start a new pair or section; code fences must be closed;
- the front matter of an entry without one is the configured default (checked for title/date);
- extras are recoverable only where the template puts them after something it can tell apart:
  a discussion or mentoring extra starts with a heading, a topics extra with a non-bullet line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studylog.config import Settings
from studylog.model import QA, Entry, Topic
from studylog.parse import parse_post, summary, summary_of
from studylog.render import render

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
]
RAW = ["{% raw %}", "{% endraw %}"]


def sentences(vocabulary: list[str]) -> st.SearchStrategy[str]:
    """One line of words; it starts with a plain word, so it never reads as a marker."""
    rest = st.lists(st.sampled_from(vocabulary), max_size=5)
    return st.tuples(st.sampled_from(SAFE), rest).map(lambda t: " ".join([t[0], *t[1]]))


prose = sentences(SAFE + TRICKY + RAW)
plain = sentences(SAFE + TRICKY)  # raw tags in verbatim text would be a broken post


def blocks(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A paragraph, list, image, code fence holding `---`, sub-heading or rule."""
    return st.one_of(
        text,
        text.map(lambda s: "- " + s),
        text.map(lambda s: "- " + s + "\n    - " + s),
        st.just("![image](https://user-images.githubusercontent.com/1/2.png)"),
        st.just("```yaml\n---\nQ. not a question\ntitle: 'x'\n---\n```"),
        text.map(lambda s: "#### " + s),
        st.just("---"),
    )


def markdown(first: st.SearchStrategy[str] = prose, text: st.SearchStrategy[str] = prose):
    """Markdown paragraphs whose first line is drawn from `first`."""
    rest = st.lists(st.tuples(st.sampled_from(["\n", "\n\n"]), blocks(text)), max_size=4)
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
        "head": markdown(plain, plain),
        "topics": plain.map(lambda s: "메모: " + s),
        "peer": plain.map(lambda s: "메모 " + s),
        "discussion": heading_led,
        "mentoring": heading_led,
        "tail": markdown(plain, plain),
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
            st.lists(st.builds(QA, markdown(), st.one_of(st.just(""), markdown())), max_size=3)
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
    assert summary(text, path, Settings()) == summary_of(got, path)  # the list's quick scan

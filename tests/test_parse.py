"""The reader: a post's text back into the entry it records, whatever way it was written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from studylog.blog.cache import read_row
from studylog.config import Settings
from studylog.errors import PostError
from studylog.post import sections
from studylog.post.model import QA, Entry, Topic, fields_from_mapping
from studylog.post.parse import HANDLER, decode, grammar_for, parse_post, read_post
from studylog.post.render import render

DATA = Path(__file__).parent / "data"
POSTS = sorted((DATA / "posts").glob("*.md")) + sorted(DATA.glob("*.md"))
BROKEN = sorted((DATA / "broken").glob("*.md"))
G = grammar_for(Settings())
FOOTER = "<br>\n\n```\n💡 수정 필요한 내용은 댓글이나 메일로 알려주시면 감사하겠습니다!💡 \n```\n"


def body(discussion: str = "Q. 질문\n\nA. 답", mentoring: str = "- 멘토링", **parts: str) -> str:
    """A post body in the template's shape, with the given section texts."""
    return (
        parts.get("head", "")
        + "\n## 학습 내용\n\n"
        + parts.get("topics", "- 주제")
        + "\n\n<br>\n\n## 피어세션 👨👨👦👦 👨👨👦\n\n"
        + parts.get("peer", "모더레이터 : 김민준\n\n참가자 : 김민준, 이서연")
        + "\n\n<br>\n\n### 토의 내용\n\n"
        + discussion
        + "\n\n<br>\n\n### 멘토링\n\n"
        + mentoring
        + "\n\n"
        + parts.get("closing", FOOTER)
    )


def entry_from(name: str) -> Entry:
    return Entry(**fields_from_mapping(yaml.safe_load((DATA / name).read_text("utf-8"))))


@pytest.mark.parametrize("name", ["2021-08-18-day13", "2021-08-23-day16"])
def test_the_examples_read_back_into_their_entries(name: str) -> None:
    got = read_post(DATA / f"{name}.md", Settings())
    want = entry_from(f"{name}.entry.yaml")
    assert got.extras == {}
    assert list(got.front_matter) == [
        "defaults",
        "title",
        "excerpt",
        "toc",
        "toc_sticky",
        "toc_label",
        "categories",
        "tags",
        "date",
        "last_modified_at",
    ]
    got.front_matter.clear()
    assert got == want


@pytest.mark.parametrize(
    ("discussion", "pairs"),
    [
        ("Q. 질문\n\nA. 답", [QA("질문", "답")]),
        ("Q. 질문\nA. 답", [QA("질문", "답")]),
        ("Q: 질문\n\nA: 답", [QA("질문", "답")]),
        ("Q1. 질문\n\nA1. 답", [QA("질문", "답")]),
        ("Q. 질문\n\nA. \n첫 줄\n둘째 줄", [QA("질문", "첫 줄\n둘째 줄")]),
        ("Q. 질문\n\nA.\n\n\n답", [QA("질문", "답")]),
        ("Q.\n질문이 다음 줄에\n\nA. 답", [QA("질문이 다음 줄에", "답")]),
        ("Q. 질문\n\nA.", [QA("질문", "")]),
        ("Q. 질문만 있고 답이 없다", [QA("질문만 있고 답이 없다", "")]),
        ("Q. 하나\n\nA. 일\n\n---\n\nQ. 둘\n\nA. 이", [QA("하나", "일"), QA("둘", "이")]),
        ("Q. 하나\n\nA. 일\n\nQ. 둘\n\nA. 이", [QA("하나", "일"), QA("둘", "이")]),
        ("Q. 하나\nA. 일\n***\nQ. 둘\nA. 이", [QA("하나", "일"), QA("둘", "이")]),
        ("Q. 하나\n\nA. 일\n\n---", [QA("하나", "일\n\n---")]),  # a closing rule is text
        (
            "Q. 그림\n\n![image](https://x.io/a.png)\n\nA. 답",
            [QA("그림\n\n![image](https://x.io/a.png)", "답")],
        ),
        (
            "Q. 코드\n\nA.\n```yaml\n---\nQ. 아님\nA. 아님\n<br>\n```\n끝",
            [QA("코드", "```yaml\n---\nQ. 아님\nA. 아님\n<br>\n```\n끝")],
        ),
        ("Q. {% raw %}{{ x }}\nA. 아님{% endraw %}\n\nA. 답", [QA("{{ x }}\nA. 아님", "답")]),
        ("Q.E.D. 는 질문이 아니다", []),
    ],
)
def test_discussion_variations(discussion: str, pairs: list[QA]) -> None:
    assert sections.parse_body(body(discussion), G).discussion == pairs


@pytest.mark.parametrize(
    ("discussion", "extra"),
    [
        ("오늘은 토의 없이 과제만 했다.", "오늘은 토의 없이 과제만 했다."),
        ("Q. {{ page.title }} 은?\n\nA. 답", "Q. {{ page.title }} 은?\n\nA. 답"),  # live Liquid
        ("Q. 질문\n\nA. 답\n\n## 회고\n\n좋았다.", "## 회고\n\n좋았다."),
        ("들어가며\n\nQ. 질문\n\nA. 답", "들어가며"),  # kept, after the pairs
    ],
)
def test_discussion_text_that_is_no_pair_is_kept_in_extras(discussion: str, extra: str) -> None:
    assert sections.parse_body(body(discussion), G).extras == {"discussion": extra}


@pytest.mark.parametrize(
    ("line", "topic"),
    [
        ("- 주제", Topic("주제")),
        ("* 별표 주제  ", Topic("별표 주제")),
        ("- [필수 과제 4] 구현", Topic("[필수 과제 4] 구현")),
        (
            '- <a href="https://x.io/t"><img src="https://img.shields.io/badge/-Transformer-red"/></a>',
            Topic("Transformer", "https://x.io/t"),
        ),
        (
            "- <a href='https://x.io/t'> <img src='https://img.shields.io/badge/-a-red' /> </a>",
            Topic("a", "https://x.io/t"),
        ),
        (
            '- <a href="https://x.io/?a=1&amp;b=2"><img src="https://img.shields.io/badge/'
            '-self--attention__snake_case %ED%95%9C %2F C%23-red"/></a>',
            Topic("self-attention_snake case 한 / C#", "https://x.io/?a=1&b=2"),
        ),
        (
            '- <a href="https://x.io/t"><img src="https://img.shields.io/badge/-Blue-blue"/></a>',
            Topic(
                '<a href="https://x.io/t"><img src="https://img.shields.io/badge/-Blue-blue"/></a>'
            ),
        ),
        ("{% raw %}- {{ x }}{% endraw %}", Topic("{{ x }}")),
        ("- {% raw %}{{ x }}{% endraw %}", Topic("{{ x }}")),
        ("- {{ site.url }}", None),
        ("-", None),
        ("본문", None),
    ],
)
def test_topic_lines(line: str, topic: Topic | None) -> None:
    assert sections.topic_from_line(line) == topic


def test_text_after_the_topic_list_and_nested_items_are_kept() -> None:
    got = sections.parse_body(body(topics="- 하나\n- 둘\n    - 세부\n- 셋\n\n메모"), G)
    assert got.topics == [Topic("하나")]
    assert got.extras == {"topics": "- 둘\n    - 세부\n- 셋\n\n메모"}


@pytest.mark.parametrize(
    ("peer", "moderator", "participants", "extra"),
    [
        ("모더레이터 : 김민준\n\n참가자 : 김민준, 이서연", "김민준", ["김민준", "이서연"], None),
        ("모더레이터: 김민준\n참가자：김민준,이서연", "김민준", ["김민준", "이서연"], None),
        ("- **모더레이터** : 김민준\n- **참가자** : 김민준", "김민준", ["김민준"], None),
        ("Moderator : Kim\n\nparticipants : Kim, Lee", "Kim", ["Kim", "Lee"], None),
        ("모더레이터 : \n\n참가자 : ", "", [], None),
        (
            "모더레이터 : 김민준\n\n시간 : 4시\n\n참가자 : 김민준",
            "김민준",
            ["김민준"],
            "시간 : 4시",
        ),
        ("모더레이터 : {% raw %}{{a}}{% endraw %}\n\n참가자 : b", "{{a}}", ["b"], None),
    ],
)
def test_peer_session_lines(
    peer: str, moderator: str, participants: list[str], extra: str | None
) -> None:
    got = sections.parse_body(body(peer=peer), G)
    assert (got.moderator, got.participants) == (moderator, participants)
    assert got.extras.get("peer") == extra


@pytest.mark.parametrize(
    ("mentoring", "text", "extra"),
    [
        ("- 질문\n    - 답\n        - 링크", "- 질문\n    - 답\n        - 링크", None),
        (
            "#### Q & A\n\nQ: 질문\n\nA: 답\n\n마무리.",
            "#### Q & A\n\nQ: 질문\n\nA: 답\n\n마무리.",
            None,
        ),
        ("- 질문\n\n## 회고\n\n- 좋았다", "- 질문", "## 회고\n\n- 좋았다"),
        ("{% include video id='x' %}", "", "{% include video id='x' %}"),
        ("", "", None),
    ],
)
def test_mentoring_is_markdown_up_to_a_new_section(
    mentoring: str, text: str, extra: str | None
) -> None:
    got = sections.parse_body(body(mentoring=mentoring), G)
    assert got.mentoring == text and got.extras.get("mentoring") == extra


@pytest.mark.parametrize(
    ("head", "closing", "extras"),
    [
        ("배너\n", FOOTER, {"head": "배너"}),
        ("", "<br>\n\n## 참고\n\n- 링크\n\n" + FOOTER, {"tail": "## 참고\n\n- 링크"}),
        ("", "<br>\n\n감사합니다 🙏\n", {"footer": "감사합니다 🙏"}),
        ("", "<br>\n", {"footer": ""}),
        ("", "", {"footer": ""}),
        ("", FOOTER.replace("<br>\n\n", "").replace("💡 \n", "💡\n"), {}),
    ],
)
def test_head_tail_and_footer(head: str, closing: str, extras: dict[str, str]) -> None:
    got = sections.parse_body(body(head=head, closing=closing), G)
    assert got.extras == extras and got.mentoring == "- 멘토링"


def test_headings_match_loosely_and_only_their_first_occurrence_counts() -> None:
    text = (
        body()
        .replace("## 피어세션 👨👨👦👦 👨👨👦", "## 피어 세션 🙂")
        .replace("### 토의 내용", "## 토의내용")
    )
    got = sections.parse_body(text + "\n### 멘토링\n\n두 번째\n", G)
    assert got.moderator == "김민준" and got.discussion == [QA("질문", "답")]
    assert got.extras == {"footer": FOOTER[6:].strip() + "\n\n### 멘토링\n\n두 번째"}


def test_configured_headings_are_used() -> None:
    settings = Settings(headings={**Settings().headings, "discussion": "Talk", "moderator": "MC"})
    text = body().replace("### 토의 내용", "### Talk").replace("모더레이터", "MC")
    got = sections.parse_body(text, grammar_for(settings))
    assert got.moderator == "김민준" and got.discussion == [QA("질문", "답")]


def test_no_sections_at_all_is_all_head() -> None:
    got = sections.parse_body("\n그냥 글.\n\n## 다른 제목\n", G)
    assert got.extras == {"head": "그냥 글.\n\n## 다른 제목", "footer": ""} and got.topics == []


FRONT = '---\ntitle: "[boostcourse] Day13 학습기록"\n{date}---\n\n## 학습 내용\n\n- a\n'


@pytest.mark.parametrize(
    ("date_line", "name", "expected"),
    [
        ("date: 2021-08-18\n", "2021-08-18-day13.md", dt.date(2021, 8, 18)),
        ("date: 2021-08-18 23:30:00 +09:00\n", "x.md", dt.date(2021, 8, 18)),
        ("date: '2021-08-18'\n", "x.md", dt.date(2021, 8, 18)),
        ("date: 2021-08-18 23:30:00 +0900\n", "x.md", dt.date(2021, 8, 18)),
        ("date: 2021-8-18\n", "x.md", dt.date(2021, 8, 18)),
        ("", "2021-08-19-day13.md", dt.date(2021, 8, 19)),
    ],
)
def test_dates_as_date_datetime_or_text(date_line: str, name: str, expected: dt.date) -> None:
    text = FRONT.format(date=date_line)
    assert parse_post(text, Path(name), Settings()).date == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xef\xbb\xbf---\r\ntitle: x\r\ndate: 2021-08-18\r\n---\r\n", None),
        (b"---\ntitle: \xff\n---\n", "not UTF-8 text (byte 0xff at offset 11)"),
        (b"## no front matter\n", "no front matter"),
        (b"", "no front matter"),
        (b"---\ntitle: x\n\nbody\n", "the front matter is not closed"),
        (b'---\ntitle: "x\n---\n', "not valid YAML (line 2: "),
        (b"---\ntitle: [x\n---\n", "not valid YAML"),
        (b"---\n- a\n---\n", "not a mapping"),
        (b"---\ndate: 2021-13-45\n---\n", "date '2021-13-45' is not a real date"),
        (b"---\ndate: someday\n---\n", "date 'someday' is not a real date"),
        (b"---\ntitle: x\n---\n", None),  # the date comes from the file name
    ],
)
def test_unreadable_posts_say_why(data: bytes, reason: str | None) -> None:
    path = Path("_posts/2021-08-18-day13.md")

    def read() -> object:
        return parse_post(decode(data, path), path, Settings())

    if reason is None:
        assert read()
        return
    with pytest.raises(PostError, match=re.escape(reason)) as info:
        read()
    assert info.value.path == str(path) and info.value.message.startswith(str(path))


def test_a_post_without_any_date_is_an_error() -> None:
    with pytest.raises(PostError, match="no date"):
        parse_post("---\ntitle: x\n---\n", Path("_posts/notes.md"), Settings())


def test_a_draft_without_a_date_takes_its_modification_day(tmp_path: Path) -> None:
    draft = tmp_path / "_drafts" / "day14.md"
    draft.parent.mkdir()
    draft.write_bytes((DATA / "drafts" / "day14.md").read_bytes())
    today = dt.date.fromtimestamp(draft.stat().st_mtime)
    assert read_post(draft, Settings()).date == today
    row = read_row(tmp_path, "_drafts/day14.md", Settings(), draft.stat().st_mtime_ns)
    assert row.date == today and row.error is None


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_broken_fixtures_are_errors_not_crashes(path: Path) -> None:
    found = read_row(path.parent, path.name, Settings(), 0)
    assert found.error and found.date is not None  # dated by its name
    with pytest.raises(PostError):
        read_post(path, Settings())


@pytest.mark.parametrize("path", POSTS, ids=lambda p: p.name)
def test_every_sample_post_has_a_moderator_and_questions(path: Path) -> None:
    entry = read_post(path, Settings())
    assert entry.moderator and entry.discussion


@pytest.mark.parametrize(
    ("text", "front", "body"),
    [
        ("---\ntitle: x\n---\nbody\n", "title: x\n", "body\n"),
        ("---  \ntitle: x\n...\t\n\nbody", "title: x\n", "\nbody"),
        ("---\n---\n", "", ""),
        ("---\ntitle: x\n---", "title: x\n", ""),
        ("---\na: |\n  ---x\n----\n---\n", "a: |\n  ---x\n----\n", ""),
    ],
)
def test_the_front_matter_handler_splits_as_jekyll(text: str, front: str, body: str) -> None:
    assert HANDLER.detect(text) and HANDLER.split(text) == (front, body)


def test_a_post_with_many_pairs_and_a_large_liquid_answer_reads_back_whole() -> None:
    # Each pair's marks are found once (it took seconds at 8,000 pairs when every question
    # looked through all of them); the numbers here are read in well under a second.
    pairs = [
        QA(f"질문 {i}? {{{{ x }}}}", f"답 {i} List<String>\n{{% if a %}}b") for i in range(20_000)
    ]
    entry = Entry(date=dt.date(2021, 8, 18), day=13, title="Day13", discussion=pairs)
    text = render(entry, Settings())
    got = parse_post(text, Path("_posts/2021-08-18-day13.md"), Settings())
    assert got.discussion == pairs

"""Rendering an entry through Jinja2: the user's exact format, templates checked when chosen."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.config import DEFAULT_FRONT_MATTER, DEFAULT_HEADINGS, Settings
from studylog.errors import TemplateError
from studylog.post.liquid import liquid_safe, liquid_unwrap
from studylog.post.model import Entry, Topic, fields_from_mapping
from studylog.post.render import (
    BUILTIN_TEMPLATES,
    answer_block,
    badge_url,
    builtin_template,
    front_matter_yaml,
    render,
    template_source,
    topic_line,
)

DATA = Path(__file__).parent / "data"


def entry_from(name: str) -> Entry:
    return Entry(**fields_from_mapping(yaml.safe_load((DATA / name).read_text("utf-8"))))


def split(text: str) -> tuple[str, str]:
    _, front, body = text.split("---\n", 2)
    return front, body


def loose(text: str) -> str:
    """The text up to blank lines and trailing spaces."""
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def mine(tmp_path: Path, body: str) -> Settings:
    """Settings whose template is a file of the user's, its front matter followed by `body`."""
    template = tmp_path / "mine.md.j2"
    template.write_text("---\n{{ front_matter }}---\n" + body, "utf-8")
    return Settings(template=str(template))


def test_day13_renders_byte_for_byte() -> None:
    expected = (DATA / "2021-08-18-day13.md").read_text("utf-8")
    assert render(entry_from("2021-08-18-day13.entry.yaml"), Settings()) == expected


def test_day13_front_matter_is_the_same_mapping_in_the_same_order() -> None:
    expected = (DATA / "2021-08-18-day13.md").read_text("utf-8")
    got = render(entry_from("2021-08-18-day13.entry.yaml"), Settings())
    want_fm, got_fm = yaml.safe_load(split(expected)[0]), yaml.safe_load(split(got)[0])
    assert list(got_fm.items()) == list(want_fm.items())


def test_day16_handwritten_renders_up_to_blank_lines_and_trailing_spaces() -> None:
    expected = (DATA / "2021-08-23-day16.md").read_text("utf-8")
    got = render(entry_from("2021-08-23-day16.entry.yaml"), Settings())
    assert loose(got) == loose(expected)


@pytest.mark.parametrize(
    ("label", "url"),
    [
        ("Transformer", "https://img.shields.io/badge/-Transformer-red"),
        ("Multi Head Attention", "https://img.shields.io/badge/-Multi Head Attention-red"),
        ("self-attention", "https://img.shields.io/badge/-self--attention-red"),
        ("snake_case", "https://img.shields.io/badge/-snake__case-red"),
        ("50% / C#?", "https://img.shields.io/badge/-50%25 %2F C%23%3F-red"),
        (
            "한국어 배지",
            "https://img.shields.io/badge/-%ED%95%9C%EA%B5%AD%EC%96%B4 %EB%B0%B0%EC%A7%80-red",
        ),
    ],
)
def test_badge_url_escapes_what_shields_io_reads_specially(label: str, url: str) -> None:
    assert badge_url(label) == url


def test_topic_without_url_is_plain_text_and_attributes_are_escaped() -> None:
    assert topic_line(Topic("[필수 과제 4] 구현")) == "- [필수 과제 4] 구현"
    line = topic_line(Topic("A", 'https://x.io/?a=1&b="2"'))
    assert 'href="https://x.io/?a=1&amp;b=&quot;2&quot;"' in line


@pytest.mark.parametrize(
    ("answer", "block"),
    [("한 줄 답", "A. 한 줄 답"), ("첫 줄\n둘째 줄", "A.\n첫 줄\n둘째 줄"), ("", "A.")],
)
def test_answer_on_the_a_line_only_when_it_is_one_line(answer: str, block: str) -> None:
    assert answer_block(answer) == block


@pytest.mark.parametrize(
    "text", ["{{ x }}", "{% if a %}b{% endif %}", "{{1..3}}", "a {% endraw %} b"]
)
def test_liquid_text_is_wrapped_raw_and_unwraps_to_itself(text: str) -> None:
    wrapped = liquid_safe(text)
    assert wrapped.startswith("{% raw %}") and liquid_unwrap(wrapped) == text
    assert liquid_safe("plain {text}") == "plain {text}"


def test_user_text_is_never_rendered_as_a_template() -> None:
    entry = replace(entry_from("2021-08-18-day13.entry.yaml"), moderator="{{ 7*7 }}")
    text = render(entry, Settings())
    assert "모더레이터 : {% raw %}{{ 7*7 }}{% endraw %}" in text and "49" not in text


@pytest.mark.parametrize(
    "title",
    [
        *("[공지] 9/15: C# #3", "yes", "010", "null", "~", 'it\'s "quoted"', "- dash", "a: b"),
        *('say "hi"', "back\\slash", "tab\there", "\ufeffbom", "x" * 1001, "", "😀 #1"),
    ],
)
def test_yaml_sensitive_titles_round_trip(title: str) -> None:
    entry = replace(entry_from("2021-08-18-day13.entry.yaml"), title=title)
    front = yaml.safe_load(split(render(entry, Settings()))[0])
    assert front["title"] == title


def test_front_matter_from_config_keeps_its_keys_and_order() -> None:
    settings = Settings(front_matter="layout: post\ncategories: [til]\n")
    text = render(entry_from("2021-08-18-day13.entry.yaml"), settings)
    front = yaml.safe_load(split(text)[0])
    assert list(front) == ["title", "layout", "categories", "date", "last_modified_at"]


def test_custom_template_with_unknown_variable_names_it(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("---\n{{ front_matter }}---\n{{ nonsense_var }}\n", "utf-8")
    with pytest.raises(TemplateError, match=re.escape("'nonsense_var' is undefined")):
        render(entry_from("2021-08-18-day13.entry.yaml"), Settings(template=str(template)))


def test_custom_template_is_used(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("---\n{{ front_matter }}---\nDay {{ day }} by {{ moderator }}\n", "utf-8")
    text = render(entry_from("2021-08-18-day13.entry.yaml"), Settings(template=str(template)))
    assert text.endswith("---\nDay 13 by 이서연\n")


@pytest.mark.parametrize(
    "text",
    ["x {%endraw%} y", "{% endraw x %}", "{%- endraw -%}", "{{ {%endraw%}", "{%  endraw  %}"],
)
def test_every_tag_that_would_close_the_raw_block_is_escaped(text: str) -> None:
    wrapped = liquid_safe(text)
    inner = wrapped[len("{% raw %}") : -len("{% endraw %}")]
    # Liquid ends a raw block at the first `{%` whose first word is endraw: only ours remain.
    assert re.findall(r"\{%-?\s*endraw", inner) == ["{% endraw"] * inner.count('{{ "{%" }}')
    assert liquid_unwrap(wrapped) == text


@pytest.mark.parametrize("title", ["yes", "yEs", "on", "1:30", ":smile:", "9/15", "null", "y"])
def test_titles_jekyll_would_misread_are_quoted_even_without_a_quoted_style(title: str) -> None:
    entry = replace(entry_from("2021-08-18-day13.entry.yaml"), title=title)
    front = split(render(entry, Settings(front_matter="layout: post\n")))[0]
    assert f'title: "{title}"\n' in front and yaml.safe_load(front)["title"] == title


def test_plain_titles_stay_plain_without_a_quoted_style() -> None:
    entry = replace(entry_from("2021-08-18-day13.entry.yaml"), title="Day13 학습기록")
    assert "title: Day13 학습기록\n" in render(entry, Settings(front_matter="layout: post\n"))


one_line = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(title=one_line, date=st.dates())
def test_any_title_keeps_the_default_front_matter_around_it(title: str, date: dt.date) -> None:
    front = front_matter_yaml(DEFAULT_FRONT_MATTER, {}, title, date)
    day = date.isoformat()
    expected = DEFAULT_FRONT_MATTER.replace("date: 2021-01-01\n", f"date: {day}\n")
    expected = expected.replace("last_modified_at: 2021-01-01\n", f"last_modified_at: {day}\n")
    title_line = next(line for line in front.splitlines(True) if line.startswith("title: "))
    assert front.replace(title_line, 'title: ""\n', 1) == expected
    assert yaml.safe_load(front)["title"] == title


def test_an_edited_builtin_is_rendered_as_edited() -> None:
    edited = builtin_template("default").replace("## {{ headings.peer }}", "## Peers")
    text = render(entry_from("2021-08-18-day13.entry.yaml"), Settings(), ("x", edited))
    assert "\n## Peers\n" in text


def test_a_missing_heading_is_named() -> None:
    headings = {k: v for k, v in DEFAULT_HEADINGS.items() if k != "mentoring"}
    with pytest.raises(TemplateError, match="unknown variable.*'mentoring'"):
        render(entry_from("2021-08-18-day13.entry.yaml"), Settings(headings=headings))


# --- a template is checked when it is chosen, against an entry that fills every field ---


def test_a_typo_in_a_loop_is_refused_even_on_a_day_without_topics(tmp_path: Path) -> None:
    config = mine(tmp_path, "{% for topic in topics %}\n- {{ topic.lable }}\n{% endfor %}\n")
    bare = Entry(date=dt.date(2021, 8, 18), day=13, title="t", moderator="이서연")
    message = f"template {tmp_path / 'mine.md.j2'} uses an unknown variable on line 4: "
    with pytest.raises(TemplateError, match=re.escape(message + "'dict object' has no attr")):
        render(bare, config, template_source(config, None))


@pytest.mark.parametrize(
    "body",
    [
        "{% for qa in discussion %}{% if not loop.first %}{{ qa.typo }}{% endif %}{% endfor %}\n",
        "{% for t in topics %}{% if t.url %}{{ t.typo }}{% endif %}{% endfor %}\n",
        "{% for t in topics %}{% if not t.url %}{{ t.typo }}{% endif %}{% endfor %}\n",
        "{% if extras.tail %}{{ typo }}{% endif %}\n",
        "{% if extras.footer %}{{ typo }}{% endif %}\n",
        "{% if mentoring %}{{ typo }}{% endif %}\n",
    ],
)
def test_every_branch_a_post_can_reach_is_checked(tmp_path: Path, body: str) -> None:
    config = mine(tmp_path, body)
    with pytest.raises(TemplateError, match="unknown variable on line 3: .*typo"):
        template_source(config, None)


@pytest.mark.parametrize("name", BUILTIN_TEMPLATES)
def test_the_builtin_templates_pass_the_check(name: str) -> None:
    assert template_source(Settings(template=name), None) == (name, builtin_template(name))


def test_a_typo_in_a_branch_that_runs_names_its_line(tmp_path: Path) -> None:
    config = mine(tmp_path, "Day {{ day }}\n{{ nonsense_var }}\n")
    for _ in range(2):  # compiled, then from the cache: the same line
        with pytest.raises(TemplateError, match="on line 4: 'nonsense_var' is undefined"):
            render(entry_from("2021-08-18-day13.entry.yaml"), config)


# --- Jinja2's compiled code, kept in the cache dir ---


def cached_files() -> list[Path]:
    folder = Path(os.environ["STUDYLOG_CACHE_DIR"]) / "templates"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_user_template_is_compiled_once_and_again_when_it_changes(tmp_path: Path) -> None:
    entry, config = entry_from("2021-08-18-day13.entry.yaml"), mine(tmp_path, "Day {{ day }}\n")
    assert render(entry, config).endswith("---\nDay 13\n")
    assert len(cached_files()) == 1
    assert render(entry, config).endswith("---\nDay 13\n")  # from the cache
    mine(tmp_path, "By {{ moderator }}\n")
    assert render(entry, config).endswith("---\nBy 이서연\n")


def test_a_damaged_cache_file_is_compiled_afresh(tmp_path: Path) -> None:
    entry, config = entry_from("2021-08-18-day13.entry.yaml"), mine(tmp_path, "Day {{ day }}\n")
    render(entry, config)
    (kept,) = cached_files()
    for damage in (kept.read_bytes()[:40], b"j2" + b"\xff" * 40, b""):
        kept.write_bytes(damage)
        assert render(entry, config).endswith("---\nDay 13\n")


def test_a_cache_dir_that_cannot_be_written_only_costs_a_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache dir would be", "utf-8")
    monkeypatch.setenv("STUDYLOG_CACHE_DIR", str(blocked))
    config = mine(tmp_path, "Day {{ day }}\n")
    assert render(entry_from("2021-08-18-day13.entry.yaml"), config).endswith("---\nDay 13\n")


def test_a_syntax_error_is_reported_and_nothing_is_cached(tmp_path: Path) -> None:
    config = mine(tmp_path, "{% if %}\n")
    with pytest.raises(TemplateError, match="line 3"):
        render(entry_from("2021-08-18-day13.entry.yaml"), config)
    assert cached_files() == []


# --- user text that Markdown or the reader would take for something else ----------------------

runner = CliRunner()


def written_and_shown(blog: Path, fields: dict) -> tuple[str, dict]:
    """`new --from` with the fields: the post's text, and `show --json` of it."""
    entry = {"date": "2021-08-18", "day": 13, "moderator": "이서연", "participants": ["이서연"]}
    source = blog.parent / "entry.json"
    source.write_text(json.dumps({**entry, **fields}, ensure_ascii=False), "utf-8")
    made = runner.invoke(app, ["new", "--from", str(source), "--yes", "--blog", str(blog)])
    assert made.exit_code == 0, made.output
    [post] = (blog / "_posts").iterdir()
    shown = runner.invoke(app, ["show", "2021-08-18", "--json", "--blog", str(blog)])
    assert shown.exit_code == 0, shown.output
    return post.read_text("utf-8"), json.loads(shown.stdout)


ANGLES = [
    ("Use List<String> for names.", "Use List&lt;String> for names."),
    ("a <b>bold</b> <br> <img src='a.png'> <https://x.io> x<3", None),  # as typed
    ("`List<String>` and ``a`b<c``", None),
    ("```java\nList<String> a;\n```\nafter <T>", "```java\nList<String> a;\n```\nafter &lt;T>"),
    ("typed &lt; and </String>", "typed &amp;lt; and &lt;/String>"),
    ("Pair<B> and Map<K,V>", "Pair&lt;B> and Map&lt;K,V>"),  # an element only in lowercase
]


@pytest.mark.parametrize(("typed", "written"), ANGLES, ids=[a[0][:12] for a in ANGLES])
def test_angle_brackets_stay_visible_and_read_back_as_typed(
    blog: Path, typed: str, written: str | None
) -> None:
    label = "토픽 " + typed.split("\n")[-1]
    text, shown = written_and_shown(
        blog,
        {
            "topics": [{"label": label}],
            "discussion": [{"question": f"질문\n\n{typed}", "answer": typed}],
            "mentoring": typed,
        },
    )
    assert (written or typed) in text
    assert shown["topics"] == [{"label": label}]
    assert shown["discussion"] == [{"question": f"질문\n\n{typed}", "answer": typed}]
    assert shown["mentoring"] == typed
    checked = runner.invoke(app, ["check", "--json", "--blog", str(blog)])
    assert json.loads(checked.stdout)["findings"] == [], checked.output


@pytest.mark.parametrize("code", ["    int x = 1;\n    return x;", "\tcode();", "    one_line()"])
def test_an_answer_that_starts_with_indented_code_is_a_code_block(blog: Path, code: str) -> None:
    text, shown = written_and_shown(
        blog, {"discussion": [{"question": "코드는?", "answer": code + "\n\n설명"}]}
    )
    assert f"\nA.\n\n{code}\n\n설명\n" in text  # a blank line: Markdown's code block
    assert shown["discussion"] == [{"question": "코드는?", "answer": code + "\n\n설명"}]


def test_answers_that_hold_structure_read_back_as_one_answer(blog: Path) -> None:
    answer = "첫째\n\n---\n\nQ. 이건 질문이 아니다\nA: 답도 아니다\n\n"
    answer += "### 멘토링\n\n## 회고\n\n#### 소제목"
    pairs = [
        {"question": "  들여쓴 질문\nQ1. 둘째 줄", "answer": answer},
        {"question": "다음 질문", "answer": "Q\\. 이미 escape된 줄"},
    ]
    text, shown = written_and_shown(blog, {"discussion": pairs, "mentoring": "- 진짜 멘토링"})
    assert "\nQ\\. 이건 질문이 아니다\nA\\: 답도 아니다\n\n\\### 멘토링\n\n\\## 회고\n" in text
    assert "\nQ.\n\n  들여쓴 질문\nQ1\\. 둘째 줄\n" in text
    assert shown["discussion"] == pairs
    assert (shown["mentoring"], shown["extras"]) == ("- 진짜 멘토링", {})

"""Posts written by `studylog new` build with real Jekyll, and tricky text shows literally.

One site, one `jekyll build` for the whole module: Liquid in every field, titles that YAML 1.1
misreads, Korean, emoji, images and code fences holding `---`, written through the real CLI.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from typer.testing import CliRunner

from studylog.cli.app import app

from .conftest import DATA, isolate

BASE = yaml.safe_load((DATA / "2021-08-18-day13.entry.yaml").read_text("utf-8"))
FIRST_DAY = dt.date(2021, 9, 1)
SEOUL = ZoneInfo("Asia/Seoul")  # the test site's timezone
TIME_Z = "2021-08-18T23:30:00Z"  # 08:30 on the 19th in Seoul
UNQUOTED_STYLE = 'front_matter = "layout: post\\n"\n'  # a config whose title is not quoted
LIQUID_ENTRY = {
    "title": "{{ page.title }} {% raw %} 학습기록",
    "topics": [
        {"label": "{{ x }} 배지"},
        {"label": "{% if a %}b{% endif %}", "url": "https://example.com/{{x}}"},
    ],
    "moderator": "{{ 7*7 }}",
    "participants": ["{%endraw%}", "김민준", "{{1..3}}"],
    "discussion": [
        {
            "question": "{{ x }}와 {% if a %}b{% endif %}의 차이?",
            "answer": "{% endraw %} 다음 {{1..3}}",
        },
        {
            "question": "코드 블록은?\n\n![image](https://example.com/a.png)",
            "answer": '```liquid\n{% for i in (1..3) %}{{ i }}{% endfor %}\n---\n{{ "{%" }}\n```',
        },
    ],
    "mentoring": "- {% include nope.html %}\n    - {{ site.title }} 😀\n    - {%- endraw -%} 끝",
}
# What must appear, literally, on the Liquid entry's page.
LIQUID_SHOWN = [
    "{{ x }} 배지",
    'href="https://example.com/{{x}}"',
    "모더레이터 : {{ 7*7 }}",
    "참가자 : {%endraw%}, 김민준, {{1..3}}",
    "Q. {{ x }}와 {% if a %}b{% endif %}의 차이?",
    "A. {% endraw %} 다음 {{1..3}}",
    '{% for i in (1..3) %}{{ i }}{% endfor %}\n---\n{{ "{%" }}',
    '<img src="https://example.com/a.png" alt="image" />',
    "{% include nope.html %}",
    "{{ site.title }} 😀",
    "{%- endraw -%} 끝",
]
TITLES = [
    "[공지] 9/15: C# #3",
    "yes",
    "yEs",
    "on",
    "010",
    "null",
    "~",
    "1:30",
    ":smile:",
    'it\'s "quoted"',
    "- dash",
    "a: b",
    "🎉 Day 1 끝! 👨‍👩‍👧",
    "{{ page.title }}",
]


@dataclass
class Built:
    """The site, the posts written into it (entry, config) and Jekyll's output."""

    site: Path
    dest: Path
    posts: list[tuple[dict, str]]
    log: str


def jekyll() -> str:
    """The jekyll command; in CI its absence fails the tests instead of skipping them."""
    found = shutil.which("jekyll")
    if found:
        return found
    message = "jekyll is not installed: apt-get install jekyll jekyll-theme-minima"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (scripts/test.sh does this in CI)")
    pytest.skip(message)


def entries() -> list[tuple[dict, str]]:
    """(entry, config) pairs: the Liquid entry, then every title under both front matter styles."""
    made = [({**BASE, **LIQUID_ENTRY}, "")]
    made += [({**BASE, **named(t)}, style) for t in TITLES for style in ("", UNQUOTED_STYLE)]
    made.append(({**BASE, "front_matter": {"title": "", "date": "2021-08-18T01:00:00+09:00"}}, ""))
    for number, (entry, _) in enumerate(made):
        entry["day"] = 200 + number
        entry["date"] = (FIRST_DAY + dt.timedelta(days=number)).isoformat()
    made[-1][0]["date"] = "2021-08-18"  # the time with an offset needs its own day
    made.insert(-1, ({**BASE, **named("밤 23:30Z"), "day": 300, "date": TIME_Z}, ""))
    return made


def named(title: str) -> dict:
    """The title, and the same text as the moderator's and a participant's name."""
    return {"title": title, "moderator": title, "participants": [title, "김민준"]}


def write_posts(site: Path, home: Path) -> list[tuple[dict, str]]:
    runner, made = CliRunner(), entries()
    config = home / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    for number, (entry, style) in enumerate(made):
        config.write_text(style, "utf-8")
        source = home / f"entry{number}.json"
        source.write_text(json.dumps(entry, ensure_ascii=False, default=str), "utf-8")
        result = runner.invoke(app, ["new", "--from", str(source), "--yes", "--blog", str(site)])
        assert result.exit_code == 0, (entry["title"], result.output)
    config.write_text("", "utf-8")
    return made


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """All tricky posts written by `studylog new` into one minima site, built once."""
    command = jekyll()
    root = tmp_path_factory.mktemp("jekyll")
    site, dest = new_site(root)
    with pytest.MonkeyPatch.context() as patch:
        (root / "home").mkdir()
        isolate(root / "home", patch)
        posts = write_posts(site, root / "home")
    return Built(site, dest, posts, build(command, site, dest))


def new_site(root: Path) -> tuple[Path, Path]:
    """(site, dest) under root: a minima site in Asia/Seoul with no posts yet, and its output."""
    site, dest = root / "site", root / "dest"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(
        "title: study log\ntheme: minima\ntimezone: Asia/Seoul\n"
        "defaults:\n  - scope: {path: '', type: posts}\n    values: {layout: post}\n",
        "utf-8",
    )
    return site, dest


def build(command: str, site: Path, dest: Path) -> str:
    """`jekyll build` of the site into dest: its output and exit status."""
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "JEKYLL_ENV": "production"}
    done = subprocess.run(
        [command, "build", "--source", str(site), "--destination", str(dest)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    return done.stdout + done.stderr + f"\nexit {done.returncode}"


def site_day(text: str) -> dt.date:
    """The day an entry's date (with or without a time) falls on in the site's timezone."""
    stamp = dt.datetime.fromisoformat(text)
    return stamp.astimezone(SEOUL).date() if stamp.tzinfo else stamp.date()


def page(built: Built, entry: dict) -> str:
    """The HTML of an entry's page (any category prefix), entities unescaped."""
    date = site_day(entry["date"])
    found = list(built.dest.rglob(f"{date:%Y/%m/%d}/day{entry['day']}.html"))
    assert len(found) == 1, f"no single page for day {entry['day']} on {date}: {found}"
    return html.unescape(found[0].read_text("utf-8"))


def test_jekyll_builds_without_errors(built: Built) -> None:
    assert built.log.endswith("\nexit 0"), built.log
    for bad in ("Error", "Exception", "Conflict", "Build Warning"):
        assert bad not in built.log, built.log


def test_every_post_has_its_page_with_its_exact_title(built: Built) -> None:
    for entry, _ in built.posts:
        heading = re.search(r'<h1 class="post-title[^>]*>(.*?)</h1>', page(built, entry), re.S)
        assert heading and heading[1].strip() == entry["title"], entry["title"]


def test_yaml_sensitive_names_show_literally(built: Built) -> None:
    for entry, _ in built.posts[1:-1]:
        name = entry["moderator"]
        if "'" in name or '"' in name:
            continue  # kramdown turns quotes into typographic ones in text: Markdown, not Liquid
        shown = page(built, entry)
        assert f"모더레이터 : {name}" in shown and f"참가자 : {name}, 김민준" in shown, name


def test_liquid_text_shows_literally_everywhere(built: Built) -> None:
    shown = page(built, built.posts[0][0])
    words = html.unescape(re.sub(r"<[^>]+>", "", shown))  # code is highlighted in spans
    missing = [text for text in LIQUID_SHOWN if text not in shown and text not in words]
    assert missing == [], shown
    assert "49" not in shown.split("모더레이터", 1)[1][:40]


def test_korean_and_emoji_survive(built: Built) -> None:
    shown = page(built, built.posts[-1][0])  # the example entry's names
    assert "피어세션 👨👨👦👦 👨👨👦" in shown and "💡 수정 필요한 내용은" in shown
    assert "참가자 : 김민준, 이서연, 박지호, 최수아, 정도윤, 강하린" in shown


def test_a_time_with_an_offset_is_filed_on_the_posts_own_day(built: Built) -> None:
    entry = built.posts[-1][0]
    written = built.site / "_posts" / f"2021-08-18-day{entry['day']}.md"
    assert "\ndate: 2021-08-18 01:00:00+09:00\n" in written.read_text("utf-8")
    assert page(built, entry)  # under 2021/08/18 in the site's timezone


def test_a_date_with_a_time_is_filed_on_the_sites_day_and_keeps_its_time(built: Built) -> None:
    [entry] = [e for e, _ in built.posts if e["date"] == TIME_Z]
    written = built.site / "_posts" / "2021-08-19-day300.md"  # 08:30 on the 19th in Seoul
    assert "\ndate: 2021-08-18 23:30:00+00:00\n" in written.read_text("utf-8")
    shown = page(built, entry)  # under 2021/08/19
    assert 'datetime="2021-08-19T08:30:00+09:00"' in shown


def test_studylog_check_finds_nothing_wrong_in_what_studylog_wrote(built: Built) -> None:
    result = CliRunner().invoke(app, ["check", "--json", "--blog", str(built.site)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["findings"] == []


def test_an_image_file_named_in_an_entry_is_in_the_built_site_at_its_link(
    tmp_path: Path, isolated_home: Path
) -> None:
    command = jekyll()
    site, dest = tmp_path / "site", tmp_path / "dest"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\ntheme: minima\nbaseurl: /study\n", "utf-8")
    shot = tmp_path / "Pictures" / "스크린샷 (1).png"
    shot.parent.mkdir()
    shot.write_bytes(b"\x89PNG\r\n\x1a\n a screenshot")
    entry = {**BASE, "discussion": [{"question": f"그림?\n\n'{shot}'", "answer": "네"}]}
    source = tmp_path / "entry.json"
    source.write_text(json.dumps(entry, ensure_ascii=False, default=str), "utf-8")
    result = CliRunner().invoke(app, ["new", "--from", str(source), "--yes", "--blog", str(site)])
    assert result.exit_code == 0, result.output
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "JEKYLL_ENV": "production"}
    done = subprocess.run(
        [command, "build", "--source", str(site), "--destination", str(dest)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = dest.rglob("day13.html")
    src = re.search(r'<img src="(/[^"]+)"', built.read_text("utf-8"))  # the badges are remote
    assert src and src[1] == "/study/assets/images/2021-08-18/스크린샷-%281%29.png"
    served = dest / urllib.parse.unquote(src[1]).removeprefix("/study/")
    assert served.read_bytes() == shot.read_bytes()


# --- user text that kramdown would take for a tag, a paragraph or structure ---------------------

TEXT_ENTRY = {
    **BASE,
    "date": "2021-10-01",
    "day": 300,
    "topics": [{"label": "Generics: List<String>"}],
    "discussion": [
        {
            "question": "Use List<String> for names?",
            "answer": "Use List<String> for names, `Map<K, V>` too, and <b>bold</b> stays bold.",
        },
        {
            "question": "Indented code?",
            "answer": "    int answer = 42;\n    return answer;\n\nThen prose <T>.",
        },
        {
            "question": "Structure?",
            "answer": "before\n\n---\n\nQ. not a question\n\n### 멘토링\n\nafter",
        },
    ],
    "mentoring": "- keep List<String> visible",
}


@pytest.fixture(scope="module")
def text_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A minima site with one post of tricky text written by `studylog new`, built once."""
    command = jekyll()
    root = tmp_path_factory.mktemp("jekyll-text")
    site, dest = new_site(root)
    source = root / "entry.json"
    source.write_text(json.dumps(TEXT_ENTRY, ensure_ascii=False), "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        (root / "home").mkdir()
        isolate(root / "home", patch)
        made = CliRunner().invoke(app, ["new", "--from", str(source), "--yes", "--blog", str(site)])
    assert made.exit_code == 0, made.output
    return Built(site, dest, [(TEXT_ENTRY, "")], build(command, site, dest))


def test_angle_brackets_show_on_the_page_as_typed(text_built: Built) -> None:
    assert text_built.log.endswith("\nexit 0"), text_built.log
    shown = page(text_built, TEXT_ENTRY)  # entities unescaped: the text the browser shows
    assert "Use List<String> for names," in shown and "</String>" not in shown
    assert re.search(r"<code[^>]*>Map<K, V></code>", shown) and "<b>bold</b>" in shown
    assert "Generics: List<String>" in shown and "keep List<String> visible" in shown
    assert "Then prose <T>." in shown


def test_an_answer_that_starts_with_indented_code_shows_a_code_block(text_built: Built) -> None:
    shown = page(text_built, TEXT_ENTRY)
    block = re.search(r"<pre[^>]*><code>(.*?)</code></pre>", shown, re.S)
    assert block and block[1] == "int answer = 42;\nreturn answer;\n", shown


def test_structure_inside_an_answer_shows_as_typed_text(text_built: Built) -> None:
    shown = page(text_built, TEXT_ENTRY)
    assert "<p>Q. not a question</p>" in shown and "<p>### 멘토링</p>" in shown
    assert "<p>- keep List<String> visible</p>" not in shown  # the mentoring is a list
    assert "<li>keep List<String> visible</li>" in shown

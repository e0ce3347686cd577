"""`studylog list`, `show` and `search` on a blog of real, hand-varied and broken posts."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.config import Settings
from studylog.post.parse import read_post

DATA = Path(__file__).parent / "data"
EXAMPLES = [DATA / "2021-08-18-day13.md", DATA / "2021-08-23-day16.md"]
VARIANTS = sorted((DATA / "posts").glob("*.md"))
BROKEN = sorted((DATA / "broken").glob("*.md"))
runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def full_blog(blog: Path) -> Path:
    """The examples, the hand-varied posts, the broken posts and a draft."""
    for path in EXAMPLES + VARIANTS + BROKEN:
        shutil.copyfile(path, blog / "_posts" / path.name)
    (blog / "_drafts").mkdir()
    shutil.copyfile(DATA / "drafts" / "day14.md", blog / "_drafts" / "day14.md")
    return blog


def listed(blog: Path, *args: str) -> list[dict]:
    result = run("list", "--json", "--blog", str(blog), *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_list_prints_an_aligned_table_newest_first(example_blog: Path) -> None:
    result = run("list", "--blog", str(example_blog))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "date        day  title                         moderator  participants  Q&As  state\n"
        "2021-08-23   16  [boostcourse] Day16 학습기록  박지호                6     1  new\n"
        "2021-08-18   13  [boostcourse] Day13 학습기록  이서연                6     2  new\n"
    )


def test_list_cuts_long_titles_to_the_terminal_width(example_blog: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    lines = run("list", "--blog", str(example_blog)).output.splitlines()
    assert lines[1] == "2021-08-23   16  [boostcourse] …  박지호                6     1  new"


def test_list_json_has_every_post_and_unreadable_ones_with_their_reason(full_blog: Path) -> None:
    rows = listed(full_blog)
    assert len(rows) == len(EXAMPLES + VARIANTS + BROKEN)
    assert rows[-1] == {
        "path": "_posts/2021-08-02-day1.md",
        "date": "2021-08-02",
        "day": 1,
        "title": "[boostcourse] Day1 학습기록",
        "moderator": "김민준",
        "participants": ["김민준", "이서연", "박지호", "최수아"],
        "questions": 2,
        "state": "new",
    }
    errors = {r["path"]: r["error"] for r in rows if "error" in r}
    assert errors == {
        "_posts/2021-08-26-day20.md": "not UTF-8 text (byte 0xc7 at offset 32): save it as UTF-8",
        "_posts/2021-08-27-day21.md": "no front matter: a post starts with a '---' line",
        "_posts/2021-08-30-day22.md": "the front matter is not closed: add a '---' line after it",
        "_posts/2021-08-31-day23.md": (
            "the front matter is not valid YAML (line 2: found unexpected end of stream in the "
            "quoted text opened on this line)"
        ),
        "_posts/2021-09-01-day24.md": (
            "date '2021-13-45' is not a real date: write it as YYYY-MM-DD"
        ),
        "_posts/2021-09-02-day25.md": "the front matter is not a mapping of keys (key: value)",
    }
    assert all(set(r) == {"path", "error", "state"} for r in rows if "error" in r)
    dates = [r["date"] for r in rows if "error" not in r]
    assert dates == sorted(dates, reverse=True)


def test_unreadable_posts_are_red_rows_and_fail_only_with_strict(full_blog: Path) -> None:
    result = run("list", "--blog", str(full_blog))
    assert result.exit_code == 0
    assert (
        "2021-09-01       _posts/2021-09-01-day24.md: date '2021-13-45' is not a real date"
        in result.output
    )
    strict = run("list", "--strict", "--json", "--blog", str(full_blog))
    assert strict.exit_code == 1 and "6 of the listed posts cannot be read" in strict.stderr
    assert len(json.loads(strict.stdout)) == len(EXAMPLES + VARIANTS + BROKEN)
    assert run("list", "--strict", "--until", "2021-08-25", "--blog", str(full_blog)).exit_code == 0


@pytest.mark.parametrize(
    ("args", "paths"),
    [
        (
            ("--since", "2021-08-13", "--until", "2021-08-18"),
            ["2021-08-18-day13", "2021-08-17-day12", "2021-08-16-day11", "2021-08-13-day10"],
        ),
        (("--limit", "2"), ["2021-09-02-day25", "2021-09-01-day24"]),
        (("--limit", "0"), []),
        (("--moderator", "박지호"), ["2021-08-23-day16", "2021-08-12-day9", "2021-08-04-day3"]),
        (
            ("--participant", "Alex Kim"),
            ["2021-08-16-day11"],
        ),
        (("--participant", "alex kim", "--moderator", "정도윤"), ["2021-08-16-day11"]),
        (("--moderator", "박지호", "--limit", "1"), ["2021-08-23-day16"]),
    ],
)
def test_list_filters(full_blog: Path, args: tuple[str, ...], paths: list[str]) -> None:
    assert [Path(r["path"]).stem for r in listed(full_blog, *args)] == paths


def test_drafts_are_listed_only_when_asked(full_blog: Path) -> None:
    assert not [r for r in listed(full_blog) if r["path"].startswith("_drafts/")]
    drafts = [r for r in listed(full_blog, "--drafts") if r["path"].startswith("_drafts/")]
    assert [(r["path"], r["day"], r["state"]) for r in drafts] == [
        ("_drafts/day14.md", 14, "draft")
    ]


@pytest.mark.parametrize("value", ["13/08/2021", "someday"])
def test_a_bad_date_filter_is_a_usage_error(example_blog: Path, value: str) -> None:
    result = run("list", "--since", value, "--blog", str(example_blog))
    assert result.exit_code == 2 and "--since" in result.output and "YYYY-MM-DD" in result.output


def test_an_empty_blog_lists_nothing(blog: Path) -> None:
    result = run("list", "--blog", str(blog))
    assert result.exit_code == 0 and result.stdout == "" and "no posts in" in result.stderr
    assert listed(blog) == []


def test_a_blog_outside_git_has_no_states(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    shutil.copyfile(EXAMPLES[0], tmp_path / "_posts" / EXAMPLES[0].name)
    assert [r["state"] for r in listed(tmp_path)] == [None]


@pytest.mark.parametrize("spec", ["13", "day13", "2021-08-18", "_posts/2021-08-18-day13.md"])
def test_show_json_is_the_entry(example_blog: Path, spec: str) -> None:
    result = run("show", spec, "--json", "--blog", str(example_blog))
    assert result.exit_code == 0, result.output
    path = example_blog / "_posts" / "2021-08-18-day13.md"
    assert json.loads(result.stdout) == read_post(path, Settings()).to_dict()


def test_show_renders_the_front_matter_then_the_body(example_blog: Path) -> None:
    result = run("show", "16", "--blog", str(example_blog))
    assert result.exit_code == 0, result.output
    lines = [line.rstrip() for line in result.output.splitlines()]
    assert lines[:3] == [
        "file              _posts/2021-08-23-day16.md",
        "title             [boostcourse] Day16 학습기록",
        "excerpt           about : python",
    ]
    assert "toc               true" in lines and "categories        daily" in lines
    # Piped, the body is its Markdown (a badge as a link to its label), not drawn bullets.
    assert (
        "- [semantic segmentation](https://example-blog.github.io/ai/semantic_segmentation)"
        in lines
    )
    assert "모더레이터 : 박지호" in lines and "#### Q & A" in lines
    assert "{% raw %}" not in result.output


def test_show_unwraps_liquid_raw_blocks_for_reading(full_blog: Path) -> None:
    result = run("show", "6", "--blog", str(full_blog))
    assert "Q. 본문에 {{ site.title }}를 그대로 쓰려면?" in result.output
    assert "raw 태그로 감싸면 된다: {% raw %}…{% endraw %}" in result.output


def test_show_raw_prints_the_file_byte_for_byte(full_blog: Path) -> None:
    result = run("show", "10", "--raw", "--blog", str(full_blog))
    assert result.stdout_bytes == (DATA / "posts" / "2021-08-13-day10.md").read_bytes()
    broken = run("show", "2021-08-26", "--raw", "--blog", str(full_blog))
    assert broken.exit_code == 0
    assert broken.stdout_bytes == (DATA / "broken" / "2021-08-26-day20.md").read_bytes()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("24", "2021-09-01-day24.md: date '2021-13-45' is not a real date"),
        ("2021-08-27", "2021-08-27-day21.md: no front matter"),
        ("99", "no post '99'"),
    ],
)
def test_show_of_an_unreadable_post_says_why(full_blog: Path, spec: str, message: str) -> None:
    result = run("show", spec, "--blog", str(full_blog))
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_search_prints_each_hit_with_day_date_and_section(full_blog: Path) -> None:
    result = run("search", "Attention", "--blog", str(full_blog))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "2021-08-18  Day 13  topic: Multi Head Attention",
        "2021-08-18  Day 13  question 1: Self-attention에서 sqrt(d_k)로 나누는 이유가 softmax의 "
        "gradient vanishing 때문이라고 했는데, 실제로 값이 얼마나 커지는지 확인해볼 수 있을까요?",
        "2021-08-18  Day 13  answer 1: → 실험으로 확인: 나누지 않으면 attention map이 거의 one-hot",
        "2021-08-16  Day 11  topic: Reading: Attention Is All You Need",
        "2021-08-12  Day 9  topic: Bahdanau_Attention 🔍",
        "2021-08-12  Day 9  question 1: attention score는 어떻게 계산하나요?",
    ]
    assert result.stderr == "warning: skipped 6 unreadable posts (`studylog list` shows why)\n"


def test_search_finds_mentoring_and_badge_labels_by_their_text(full_blog: Path) -> None:
    mentoring = run("search", "huggingface.co", "--json", "--blog", str(full_blog))
    assert [(h["day"], h["section"]) for h in json.loads(mentoring.stdout)] == [(13, "mentoring")]
    badge = run("search", "bahdanau_attention 🔍", "--json", "--blog", str(full_blog))
    assert [h["line"] for h in json.loads(badge.stdout)] == ["Bahdanau_Attention 🔍"]


def test_search_regex_and_json(full_blog: Path) -> None:
    result = run("search", r"^is와|O\(1\)", "--regex", "--json", "--blog", str(full_blog))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {
            "path": "_posts/2021-08-03-day2.md",
            "date": "2021-08-03",
            "day": 2,
            "section": "answer",
            "number": 1,
            "line": "deque는 양쪽 끝에서의 삽입과 삭제가 O(1)이다.",
            "spans": [[23, 27]],
        },
        {
            "path": "_posts/2021-08-02-day1.md",
            "date": "2021-08-02",
            "day": 1,
            "section": "question",
            "number": 2,
            "line": "is와 ==의 차이는?",
            "spans": [[0, 3]],
        },
    ]


def test_search_is_case_insensitive_literal_text_by_default(full_blog: Path) -> None:
    result = run("search", "O(1)", "--json", "--blog", str(full_blog))
    assert [h["day"] for h in json.loads(result.stdout)] == [2]
    assert json.loads(run("search", "PANDAS", "--json", "--blog", str(full_blog)).stdout)


@pytest.mark.parametrize("args", [("(", "--regex"), ("",), ("", "--regex")])
def test_search_rejects_a_bad_pattern(example_blog: Path, args: tuple[str, ...]) -> None:
    result = run("search", *args, "--blog", str(example_blog))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "invalid regular expression" in result.output or "nothing to search" in result.output


def test_search_without_a_hit_says_so_and_exits_1_as_grep(example_blog: Path) -> None:
    result = run("search", "kubernetes", "--blog", str(example_blog))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"no match for 'kubernetes' in the posts of {example_blog}\n"
    as_json = run("search", "kubernetes", "--json", "--blog", str(example_blog))
    assert as_json.exit_code == 1 and json.loads(as_json.stdout) == []


def test_reading_never_rewrites_a_post(full_blog: Path) -> None:
    files = sorted(p for p in full_blog.rglob("*.md"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    for args in (["list"], ["list", "--drafts"], ["show", "13"], ["search", "a"], ["show", "24"]):
        run(*args, "--blog", str(full_blog))
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before
    assert sorted(p for p in full_blog.rglob("*.md")) == files


def test_every_reader_command_is_documented() -> None:
    reference = (Path(__file__).parents[1] / "docs" / "commands.md").read_text("utf-8")
    for command in ("list", "show", "search"):
        assert f"## `studylog {command}" in reference
        assert run(command, "--help").exit_code == 0


def test_new_takes_its_defaults_from_the_index_despite_broken_posts(full_blog: Path) -> None:
    entry = full_blog / "entry.yaml"
    entry.write_text("date: 2021-08-24\ntopics: [{label: CNN}]\n", "utf-8")
    result = run("new", "--from", str(entry), "--yes", "--blog", str(full_blog))
    assert result.exit_code == 0, result.output
    text = (full_blog / "_posts" / "2021-08-24-day17.md").read_text("utf-8")
    assert "참가자 : 김민준, 이서연, 박지호, 최수아, 정도윤, 강하린" in text
    os.remove(entry)


def _hits_one_print_each(hits, console) -> None:  # type: ignore[no-untyped-def]
    """How search printed its hits before: a rich print per hit (slow for thousands)."""
    from rich.text import Text

    for hit in hits:
        where = hit.section + (f" {hit.number}" if hit.number else "")
        line = Text(f"{hit.date}  Day {hit.day}  {where}: ", style="dim")
        found = Text(hit.line)
        for start, end in hit.spans:
            found.stylize("bold reverse", start, end)
        console.print(line + found, soft_wrap=True)


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize(
    "line",
    [
        "어텐션 attention 헤드",
        "tab\there and\tthere",
        "bell\x07 and\rreturn",
        "끝 공백  ",
        "😀 wide 漢字",
    ],
)
def test_search_prints_hits_as_a_rich_print_per_hit_would(terminal: bool, line: str) -> None:
    import datetime as dt
    import io

    from rich.console import Console

    from studylog.blog.search import Hit
    from studylog.cli.commands.search import _print_hits

    spans = [(0, 2), (len(line) - 3, len(line) + 5)]  # the last one past the end, clipped
    hits = [
        Hit(Path("a.md"), dt.date(2021, 8, 18), 13, "question", 2, line, spans),
        Hit(Path("b.md"), dt.date(2021, 8, 23), 16, "mentoring", None, line.upper(), []),
    ]

    def printed(show) -> str:  # type: ignore[no-untyped-def]
        out = io.StringIO()
        console = Console(file=out, force_terminal=terminal, width=40, highlight=False)
        show(hits, console)
        return out.getvalue()

    with pytest.MonkeyPatch.context() as patch:  # the plain lines go to sys.stdout
        captured = io.StringIO()
        patch.setattr("sys.stdout", captured)
        new = printed(_print_hits) + captured.getvalue()
    assert new == printed(_hits_one_print_each)


NOTICE = "not in a Jekyll site: using the default blog at {} (cd into your blog, or set `blog`)"


@pytest.mark.parametrize("command", [["list"], ["stats"], ["check"], ["publish", "--dry-run"]])
def test_outside_a_blog_without_a_terminal_the_default_blog_is_named_on_stderr(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, command)
    default = isolated_home / "data" / "blog"
    assert NOTICE.format(default) in result.stderr.splitlines()
    assert NOTICE.format(default) not in result.stdout


def test_a_named_blog_gets_no_notice(example_blog: Path) -> None:
    result = runner.invoke(app, ["list", "--blog", str(example_blog)])
    assert result.exit_code == 0 and "default blog" not in result.stderr


@pytest.mark.parametrize(
    ("args", "flags"),
    [
        (("--moderator", "홍길동"), "--moderator 홍길동"),
        (("--since", "2030-01-01", "--participant", "x"), "--since 2030-01-01 --participant x"),
        (("--limit", "0"), "--limit 0"),
    ],
)
def test_an_empty_list_says_which_filters_left_nothing(
    example_blog: Path, args: tuple[str, ...], flags: str
) -> None:
    result = run("list", *args, "--blog", str(example_blog))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"no posts match {flags} (2 posts in {example_blog})\n"

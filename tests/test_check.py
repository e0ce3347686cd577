"""`studylog check`: every kind of post Jekyll would skip, misread or stop on, and its message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog.blog import check
from studylog.cli.app import app

from .conftest import DATA

runner = CliRunner()
OK = b"---\ntitle: x\n---\n"
E, W = "error", "warning"
LIQUID_WARNING = (
    "Jekyll runs it instead of showing it; if it should show, wrap it in {% raw %}…{% endraw %}"
)

CASES = [
    ("_posts/2021-08-18-day13.md", (DATA / "2021-08-18-day13.md").read_bytes(), []),
    (
        "_posts/2021-08-19-yaml.md",
        b"---\ntitle: [x\n---\nG\n",
        [
            (
                E,
                "the front matter is not valid YAML (line 2: did not find expected ',' or ']' in "
                "the [ list opened on this line): "
                "Jekyll ignores all of it (no title, today's date); fix that line",
            )
        ],
    ),
    (
        "_posts/2021-08-19-list.md",
        b"---\n- a\n---\n",
        [(E, "the front matter is a list: write it as 'key: value' lines")],
    ),
    (
        "_posts/2021-08-20-disagree.md",
        b"---\ndate: 2021-08-21\n---\n",
        [
            (
                E,
                "the date 2021-08-21 is not the name's date, 2021-08-20: Jekyll files the post "
                "under 2021-08-21; make them the same day",
            )
        ],
    ),
    (
        "_posts/2021-08-18-tz.md",
        b"---\ndate: 2021-08-18 01:00:00 +09:00\n---\n",
        [
            (
                E,
                "the date 2021-08-18 01:00:00+09:00 falls on 2021-08-17 in the site's timezone "
                "(UTC: _config.yml sets no timezone, and GitHub Pages builds in UTC), not on "
                "2021-08-18 as the name says: set 'timezone' in _config.yml or write the date "
                "without a time",
            )
        ],
    ),
    ("_posts/2021-08-18-naive.md", b"---\ndate: 2021-08-18 23:30:00\n---\n", []),
    (
        "_posts/2021-08-18-quoted.md",
        b"---\ndate: '2021-08-18 01:00:00 +09:00'\n---\n",
        [
            (
                E,
                "the date 2021-08-18 01:00:00 +09:00 falls on 2021-08-17 in the site's timezone "
                "(UTC: _config.yml sets no timezone, and GitHub Pages builds in UTC), not on "
                "2021-08-18 as the name says: set 'timezone' in _config.yml or write the date "
                "without a time",
            )
        ],
    ),
    (
        "_posts/2021-08-18-someday.md",
        b"---\ndate: someday\n---\n",
        [(W, "the date 'someday' is not one studylog can read: write YYYY-MM-DD")],
    ),
    (
        "_posts/2021-08-28-impossible.md",
        b"---\ndate: 2021-13-45\n---\n",
        [
            (
                E,
                "the date 2021-13-45 does not exist: Jekyll moves the post to another day or "
                "stops the build; write a real date (YYYY-MM-DD)",
            )
        ],
    ),
    (
        "_posts/2021-02-30-impossible.md",
        OK,
        [
            (
                E,
                "the date in the name, 2021-02-30, does not exist: Jekyll moves the post to "
                "another day or stops the build; rename it with a real date",
            )
        ],
    ),
    (
        "_posts/day13.md",
        OK,
        [
            (
                E,
                "the name is not YYYY-MM-DD-slug.md: Jekyll skips it; rename it to the post's "
                "date and a slug (like 2021-08-18-day13.md)",
            )
        ],
    ),
    (
        "_posts/2021-8-9-short.md",
        OK,
        [(W, "studylog cannot read the date in the name: rename it to 2021-08-09-short.md")],
    ),
    (
        "_posts/_old/2021-08-30-old.md",
        OK,
        [(E, "'_old' starts with '_': Jekyll skips it; rename it")],
    ),
    (
        "_posts/.2021-08-30-hidden.md",
        OK,
        [(E, "'.2021-08-30-hidden.md' starts with '.': Jekyll skips it; rename it")],
    ),
    ("_drafts/_wip.md", OK, [(E, "'_wip.md' starts with '_': Jekyll skips it; rename it")]),
    ("_drafts/wip.md", OK, []),
    (
        "_posts/2021-08-31-text.txt",
        OK,
        [
            (
                W,
                "a .txt file with front matter: studylog reads only .md and .markdown posts; "
                "rename it to 2021-08-31-text.md",
            )
        ],
    ),
    (
        "_posts/2021-08-31-noext",
        OK,
        [(E, "has no extension: Jekyll skips it; rename it to 2021-08-31-noext.md")],
    ),
    ("_posts/image.png", b"\x89PNG\r\n", []),
    (
        "_posts/2021-08-24-nofm.md",
        b"no front matter\n",
        [
            (
                E,
                "has no front matter: Jekyll and studylog find no title or date in it; add a "
                "'---' block with title and date at the top",
            )
        ],
    ),
    (
        "_posts/2021-08-25-unclosed.md",
        b"---\ntitle: x\n",
        [(E, "the front matter is never closed: add a line '---' after it")],
    ),
    (
        "_posts/2021-08-26-bom.md",
        b"\xef\xbb\xbf" + OK,
        [(W, "starts with a byte-order mark: save it as UTF-8 without BOM")],
    ),
    (
        "_posts/2021-08-26-crlf.md",
        OK.replace(b"\n", b"\r\n"),
        [(W, "has Windows line ends (CRLF): convert them to LF, as studylog writes")],
    ),
    (
        "_posts/2021-08-27-latin1.md",
        b"---\ntitle: caf\xe9\n---\n",
        [(E, "line 2 is not UTF-8: Jekyll skips it; save it as UTF-8")],
    ),
    (
        "_posts/2021-08-23-liquid.md",
        OK + b"\nA {{ x }}, {% if a %}b{% endif %}\n",
        [(W, "line 5: Liquid {{ x }} outside {% raw %} (and 2 more): " + LIQUID_WARNING)],
    ),
    ("_posts/2021-08-23-raw.md", OK + b"{% raw %}{{ x }} {%- if -%}{% endraw %}\n", []),
    (
        "_posts/2021-08-23-unclosed-raw.md",
        OK + b"\n{% raw %}{{ x }}\n",
        [
            (
                E,
                "line 5: {% raw %} is never closed: Jekyll stops the build; add {% endraw %} "
                "where it should end",
            )
        ],
    ),
    (
        "_posts/2021-08-23-stray.md",
        OK + b"{% endraw %}\n",
        [(E, "line 4: {% endraw %} closes nothing: Jekyll stops the build; remove it")],
    ),
]


def put(blog: Path, name: str, data: bytes) -> Path:
    path = blog / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_has_its_severity_and_a_message_that_says_what_to_do(
    blog: Path, name: str, data: bytes, expected: list[tuple[str, str]]
) -> None:
    put(blog, name, data)
    report = check.check_blog(blog)
    assert [(f.path, f.severity, f.message) for f in report.findings] == [
        (name, severity, message) for severity, message in expected
    ]


def test_the_sites_timezone_decides_the_day_of_a_time_with_an_offset(blog: Path) -> None:
    put(blog, "_posts/2021-08-18-tz.md", b"---\ndate: 2021-08-18 01:00:00 +09:00\n---\n")
    (blog / "_config.yml").write_text("timezone: Asia/Seoul\n", "utf-8")
    assert check.check_blog(blog).findings == []


def test_a_broken_config_and_an_unknown_timezone_are_reported(blog: Path) -> None:
    (blog / "_config.yml").write_text("title: [x\n", "utf-8")
    [finding] = check.check_blog(blog).findings
    assert finding.path == "_config.yml" and finding.severity == E
    assert finding.message.startswith("is not valid YAML (line 1:")
    (blog / "_config.yml").write_text("timezone: Mars/Olympus\n", "utf-8")
    assert check.check_blog(blog).findings == [
        check.Finding(
            "_config.yml",
            W,
            "timezone 'Mars/Olympus' is unknown: Jekyll builds in UTC; use a name like Asia/Seoul",
        )
    ]


def test_posts_with_the_same_date_and_slug_are_both_named(example_blog: Path) -> None:
    copy = put(example_blog, "_posts/2021-8-18-day13.markdown", OK)
    errors = [
        (f.path, f.message) for f in check.check_blog(example_blog).findings if f.severity == E
    ]
    assert errors == [
        (
            "_posts/2021-08-18-day13.md",
            "same date and slug as _posts/2021-8-18-day13.markdown: one page is lost; "
            "rename or remove one",
        ),
        (
            "_posts/2021-8-18-day13.markdown",
            "same date and slug as _posts/2021-08-18-day13.md: one page is lost; "
            "rename or remove one",
        ),
    ]
    assert copy.exists()


def cli(*args: str):
    return runner.invoke(app, ["check", *args])


def test_a_clean_blog_exits_0(example_blog: Path) -> None:
    result = cli("--blog", str(example_blog))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Checked 2 posts: no problems"


def test_warnings_only_exit_0_and_show_in_the_table(example_blog: Path) -> None:
    put(example_blog, "_posts/2021-08-24-crlf.md", OK.replace(b"\n", b"\r\n"))
    result = cli("--blog", str(example_blog))
    assert result.exit_code == 0, result.output
    assert "_posts/2021-08-24-crlf.md" in result.output and "warning" in result.output
    assert "Checked 3 posts: 0 errors, 1 warning" in result.output


def test_an_error_exits_1_and_json_lists_every_finding(example_blog: Path) -> None:
    put(example_blog, "_posts/2021-08-24-bad.md", b"---\ntitle: [x\n---\n")
    put(example_blog, "_posts/2021-08-25-crlf.md", OK.replace(b"\n", b"\r\n"))
    assert cli("--blog", str(example_blog)).exit_code == 1
    result = cli("--blog", str(example_blog), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["checked"], data["errors"], data["warnings"]) == (4, 1, 1)
    assert [(f["path"], f["severity"]) for f in data["findings"]] == [
        ("_posts/2021-08-24-bad.md", E),
        ("_posts/2021-08-25-crlf.md", W),
    ]
    assert set(data["findings"][0]) == {"path", "severity", "message"}


def test_check_some_posts_by_path_date_or_day(example_blog: Path) -> None:
    put(example_blog, "_posts/2021-08-24-bad.md", b"---\ntitle: [x\n---\n")
    result = cli("--blog", str(example_blog), "2021-08-18", "day16", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["checked"] == 2
    bad = cli("--blog", str(example_blog), str(example_blog / "_posts/2021-08-24-bad.md"))
    assert bad.exit_code == 1 and "not valid YAML" in bad.output


def test_check_of_a_post_that_is_not_there_is_a_one_line_error(example_blog: Path) -> None:
    result = cli("--blog", str(example_blog), "99")
    assert result.exit_code == 1
    assert (
        result.output == f"error: no post '99' in {example_blog}: `studylog list` shows the posts\n"
    )


def test_paths_and_messages_are_shown_literally_never_as_markup(blog: Path) -> None:
    put(blog, "_posts/2021-08-18-[red]x[/].md", b"[boostcourse] no front matter\n")
    result = cli("--blog", str(blog))
    assert result.exit_code == 1 and "_posts/2021-08-18-[red]x[/].md" in result.output


def test_a_tag_that_is_no_html_element_is_a_warning_naming_its_line(blog: Path) -> None:
    body = (
        b"Use List<String> for names.\n\n"  # line 4: the browser would hide <String>
        b"<details><summary>more</summary> <b>x</b> <br> <img src='a.png'/></details>\n\n"
        b"`Map<K, V>` and\n\n```java\nList<T> a;\n```\n\n    Set<E> code\n\nthen <T> again\n"
    )
    put(blog, "_posts/2021-08-18-tags.md", OK + body)
    result = cli("--json", "--blog", str(blog))
    assert result.exit_code == 0, result.output  # a warning: the build works, the text is lost
    assert json.loads(result.output)["findings"] == [
        {
            "path": "_posts/2021-08-18-tags.md",
            "severity": W,
            "message": "line 4: <String> is not an HTML element Jekyll keeps (and 1 more): "
            "write &lt;String&gt; or `List<String>`",
        }
    ]


def test_escaped_angles_and_known_elements_are_no_problem(blog: Path) -> None:
    put(blog, "_posts/2021-08-18-ok.md", OK + b"List&lt;String> <kbd>Ctrl</kbd> <sup>2</sup>\n")
    assert check.check_blog(blog).findings == []


BROKEN_FRONT_MATTER = [
    (b"---\ntitle: [x\ndate: 2021-08-18\n---\n", 2),  # an unclosed [ (YAML notices on line 3)
    (b'---\ntitle: "x\ndate: 2021-08-18\nlayout: post\n---\n', 2),  # an unclosed quote
    (b"---\ntitle: x\n  date: 2021-08-18\nlayout: post\n---\n", 3),  # a bad indent
    (b"---\ntitle: x\n\tdate: 2021-08-18\nlayout: post\n---\n", 3),  # a tab
    (b"---\ntitle: 'it's\nlayout: post\n---\n", 2),  # a quote inside a quote
    (b"---\ntitle: x\ntags: [a, b\nlayout: post\n---\n", 3),
]


@pytest.mark.parametrize(("data", "line"), BROKEN_FRONT_MATTER)
def test_check_list_and_show_name_the_line_of_a_yaml_mistake(
    blog: Path, data: bytes, line: int
) -> None:
    put(blog, "_posts/2021-08-18-day13.md", data)
    said = f"the front matter is not valid YAML (line {line}: "
    checked = json.loads(cli("--json", "--blog", str(blog)).output)
    assert checked["findings"][0]["message"].startswith(said)
    listed = runner.invoke(app, ["list", "--json", "--blog", str(blog)])
    assert json.loads(listed.stdout)[0]["error"].startswith(said)
    shown = runner.invoke(app, ["show", "2021-08-18", "--blog", str(blog)])
    assert shown.exit_code == 1 and said in shown.output

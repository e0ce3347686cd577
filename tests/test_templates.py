"""Templates people own: which one is used, `template show`/`init`, and the English `en` one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.config import DEFAULT_FOOTER, EN_HEADINGS, load_settings
from studylog.post.model import Entry, fields_from_mapping
from studylog.post.parse import parse_post
from studylog.post.render import builtin_template, render, template_source

from .conftest import write_config

DATA = Path(__file__).parent / "data"
EN_FOOTER = "💡 Corrections welcome — leave a comment or send me an email! 💡"
runner = CliRunner()


def day13() -> Entry:
    data = yaml.safe_load((DATA / "2021-08-18-day13.entry.yaml").read_text("utf-8"))
    return Entry(**fields_from_mapping(data))


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def show(blog: Path, *args: str):
    return runner.invoke(app, ["template", "show", "--blog", str(blog), *args])


# --- the en template and the defaults it brings ---


def test_en_brings_english_headings_footer_and_title(isolated_home: Path) -> None:
    write_config(isolated_home, 'template = "en"\n')
    settings = load_settings()
    assert settings.headings == EN_HEADINGS and settings.footer == EN_FOOTER
    assert settings.title_pattern == "Day{day} study log"
    assert settings.sources["headings"] == "template 'en'"


def test_configured_keys_win_over_what_en_brings(isolated_home: Path) -> None:
    path = write_config(
        isolated_home, 'template = "en"\nfooter = "thanks"\n[headings]\npeer = "Pairing"\n'
    )
    settings = load_settings()
    assert settings.footer == "thanks" and settings.sources["footer"] == str(path)
    assert settings.headings == {**EN_HEADINGS, "peer": "Pairing"}
    assert settings.title_pattern == "Day{day} study log"


def test_template_flag_overrides_the_key_and_brings_its_defaults(isolated_home: Path) -> None:
    write_config(isolated_home, 'template = "default"\n')
    settings = load_settings(template="en")
    assert settings.template == "en" and settings.sources["template"] == "--template"
    assert settings.headings == EN_HEADINGS


def test_partial_headings_still_complete_from_the_korean_ones(isolated_home: Path) -> None:
    write_config(isolated_home, '[headings]\npeer = "피어세션"\n')
    settings = load_settings()
    assert settings.headings["peer"] == "피어세션" and settings.headings["topics"] == "학습 내용"


def test_en_renders_the_post_with_english_headings_and_footer() -> None:
    text = render(day13(), load_settings(template="en"))
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert headings == ["## What I studied", "## Peer session", "### Discussion", "### Mentoring"]
    assert "Moderator: 이서연" in lines
    assert "Participants: 김민준, 이서연, 박지호, 최수아, 정도윤, 강하린" in lines
    assert text.endswith(f"<br>\n\n```\n{EN_FOOTER}\n```\n")


def test_en_differs_from_default_only_in_headings_labels_and_footer() -> None:
    english = render(day13(), load_settings(template="en"))
    korean = render(day13(), load_settings())
    swaps = {
        "## 학습 내용\n": "## What I studied\n",
        "## 피어세션 👨👨👦👦 👨👨👦\n": "## Peer session\n",
        "\n모더레이터 : ": "\nModerator: ",
        "\n참가자 : ": "\nParticipants: ",
        "### 토의 내용\n": "### Discussion\n",
        "### 멘토링\n": "### Mentoring\n",
        DEFAULT_FOOTER: EN_FOOTER,
    }
    for old, new in swaps.items():
        assert korean.count(old) == 1
        korean = korean.replace(old, new)
    assert english == korean


def test_an_en_post_reads_back_with_the_en_headings() -> None:
    settings = load_settings(template="en")
    text = render(day13(), settings)
    entry = parse_post(text, Path("p.md"), settings)
    assert entry.moderator == "이서연" and len(entry.participants) == 6


def test_new_with_template_en_writes_an_english_post_and_takes_defaults_from_it(
    blog: Path,
) -> None:
    entry = DATA / "2021-08-18-day13.entry.yaml"
    args = ["new", "--template", "en", "--yes", "--blog", str(blog)]
    first = runner.invoke(app, [*args, "--from", str(entry), "--title", "Day13 study log"])
    assert first.exit_code == 0, first.output
    nxt = put(blog.parent / "next.yaml", "date: 2021-08-19\ntopics: [{label: CNN}]\n")
    second = runner.invoke(app, [*args, "--from", str(nxt)])
    assert second.exit_code == 0, second.output
    text = (blog / "_posts" / "2021-08-19-day14.md").read_text("utf-8")
    assert 'title: "Day14 study log"' in text and "## What I studied\n\n- CNN\n" in text
    assert "Participants: 김민준, 이서연, 박지호, 최수아, 정도윤, 강하린" in text
    assert "Moderator: 김민준" in text  # has not moderated yet; 이서연 did yesterday


# --- which template is used ---


def test_blog_template_wins_over_users_which_wins_over_default(
    blog: Path, isolated_home: Path
) -> None:
    assert template_source(load_settings(), blog) == ("default", builtin_template("default"))
    user = put(isolated_home / "config" / "template.md.j2", "user\n")
    assert template_source(load_settings(), blog) == (str(user), "user\n")
    own = put(blog / ".studylog" / "template.md.j2", "blog\n")
    assert template_source(load_settings(), blog) == (str(own), "blog\n")
    assert template_source(load_settings(), None) == (str(user), "user\n")


def test_the_template_key_selects_explicitly(blog: Path, isolated_home: Path) -> None:
    put(blog / ".studylog" / "template.md.j2", "blog\n")
    write_config(isolated_home, 'template = "default"\n')
    assert template_source(load_settings(), blog)[0] == "default"
    mine = put(isolated_home / "mine.md.j2", "mine\n")
    write_config(isolated_home, f'template = "{mine}"\n')
    assert template_source(load_settings(), blog) == (str(mine), "mine\n")
    assert template_source(load_settings(template="en"), blog)[0] == "en"


def test_template_show_prints_the_text_and_says_which_won(blog: Path, isolated_home: Path) -> None:
    result = show(blog)
    assert result.exit_code == 0, result.output
    assert result.stdout == builtin_template("default")
    assert result.stderr == "template: default (built-in default)\n"
    own = put(blog / ".studylog" / "template.md.j2", "blog {{ day }}\n")
    result = show(blog)
    assert result.stdout == "blog {{ day }}\n"
    assert result.stderr == f"template: {own} (the blog's own)\n"
    config = write_config(isolated_home, 'template = "en"\n')
    result = show(blog)
    assert result.stdout == builtin_template("en")
    assert f"template: en (built-in, chosen by the 'template' key ({config}))" in result.stderr
    result = show(blog, "--template", "default")
    assert result.stderr == "template: default (built-in, chosen by --template)\n"


def test_a_missing_template_file_is_a_one_line_error(blog: Path) -> None:
    result = show(blog, "--template", "nope.md.j2")
    assert result.exit_code == 1 and result.stdout == ""
    assert "cannot read template nope.md.j2" in result.stderr
    assert "takes default, en or a template file" in result.stderr


def test_new_uses_the_blogs_own_template(blog: Path) -> None:
    put(blog / ".studylog" / "template.md.j2", "---\n{{ front_matter }}---\nDay {{ day }}\n")
    entry = DATA / "2021-08-18-day13.entry.yaml"
    result = runner.invoke(app, ["new", "--from", str(entry), "--yes", "--blog", str(blog)])
    assert result.exit_code == 0, result.output
    assert (blog / "_posts" / "2021-08-18-day13.md").read_text("utf-8").endswith("---\nDay 13\n")


def test_new_refuses_a_template_with_a_typo_in_a_loop_the_day_does_not_run(blog: Path) -> None:
    loop = "{% for topic in topics %}\n- {{ topic.lable }}\n{% endfor %}\n"
    own = put(blog / ".studylog" / "template.md.j2", "---\n{{ front_matter }}---\n" + loop)
    bare = put(blog.parent / "bare.yaml", "date: 2021-08-18\nday: 13\nmoderator: 이서연\n")
    result = runner.invoke(app, ["new", "--from", str(bare), "--yes", "--blog", str(blog)])
    assert result.exit_code == 1 and result.stdout == ""
    assert f"template {own} uses an unknown variable on line 4: " in result.stderr
    assert "'lable'" in result.stderr and not (blog / "_posts" / "2021-08-18-day13.md").exists()


# --- template init ---


def test_init_copies_the_default_into_the_config_dir_and_never_clobbers(
    blog: Path, isolated_home: Path
) -> None:
    target = isolated_home / "config" / "template.md.j2"
    result = runner.invoke(app, ["template", "init"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {target}\n"
    assert target.read_text("utf-8") == builtin_template("default")
    target.write_text("mine\n", "utf-8")
    again = runner.invoke(app, ["template", "init"])
    assert again.exit_code == 1 and "already exists: use --force" in again.stderr
    assert target.read_text("utf-8") == "mine\n"
    forced = runner.invoke(app, ["template", "init", "--force"])
    assert forced.exit_code == 0 and target.read_text("utf-8") == builtin_template("default")
    backup = Path(forced.stderr.split("the old version is kept at ")[1].strip())
    assert backup.read_text("utf-8") == "mine\n"


def test_init_in_blog_writes_the_blogs_template_and_it_is_used(blog: Path) -> None:
    result = runner.invoke(app, ["template", "init", "--in-blog", "--blog", str(blog)])
    assert result.exit_code == 0, result.output
    target = blog / ".studylog" / "template.md.j2"
    assert target.read_text("utf-8") == builtin_template("default")
    assert show(blog).stderr == f"template: {target} (the blog's own)\n"


def test_init_warns_when_the_template_key_would_hide_the_copy(isolated_home: Path) -> None:
    write_config(isolated_home, 'template = "en"\n')
    result = runner.invoke(app, ["template", "init"])
    assert result.exit_code == 0
    assert "selects 'en': remove it for this file to be used" in result.stderr


@pytest.mark.parametrize("name", ["default", "en"])
def test_builtin_templates_ship_with_the_package(name: str) -> None:
    assert builtin_template(name).startswith("---\n{{ front_matter }}---\n")

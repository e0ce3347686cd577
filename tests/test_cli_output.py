"""Habits of a good terminal tool: plain output when piped, NO_COLOR, shell completion."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog.cli.app import app

ANSI = re.compile(r"\x1b\[")
SGR = re.compile(r"\x1b\[([0-9;]*)m")
BOX = re.compile(r"[\u2500-\u257f]")  # box drawing
runner = CliRunner()

COMMANDS = [["config"], ["stats"], ["template", "show"]]


def has_colour(text: str) -> bool:
    """Any SGR sequence that sets a foreground or background colour (bold and italic are not)."""
    codes = (int(c) for match in SGR.finditer(text) for c in match[1].split(";") if c)
    return any(30 <= c <= 49 or 90 <= c <= 107 for c in codes)


def invoke(example_blog: Path, command: list[str], **env: str | None):
    blog = [] if command == ["config"] else ["--blog", str(example_blog)]
    result = runner.invoke(app, [*command, *blog], env=env)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("command", COMMANDS)
def test_piped_output_has_no_escapes_and_no_boxes(example_blog: Path, command: list[str]) -> None:
    result = invoke(example_blog, command, NO_COLOR=None, TERM="xterm-256color")
    assert result.output.strip() and not ANSI.search(result.output)
    assert not BOX.search(result.output)


@pytest.mark.parametrize("command", [["stats"]])
def test_a_terminal_gets_boxes_and_colour_but_no_colour_under_no_color(
    example_blog: Path, command: list[str]
) -> None:
    coloured = invoke(example_blog, command, NO_COLOR=None, FORCE_COLOR="1")
    assert BOX.search(coloured.stdout) and has_colour(coloured.stdout)
    plain = invoke(example_blog, command, NO_COLOR="1", FORCE_COLOR="1")
    assert BOX.search(plain.stdout) and not has_colour(plain.stdout)


def test_config_values_are_shown_literally_not_as_markup() -> None:
    result = runner.invoke(app, ["config"])
    assert "[boostcourse] Day{day} 학습기록" in result.stdout


def test_completion_options_are_offered() -> None:
    result = runner.invoke(app, ["--help"])
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


def test_show_completion_prints_a_script(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = runner.invoke(app, ["--show-completion", "bash"], prog_name="studylog")
    assert result.exit_code == 0
    assert "_STUDYLOG_COMPLETE=complete_bash" in result.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [("studylog st", {"stats"}), ("studylog template ", {"show", "init"})],
)
def test_completion_completes_commands(words: str, expected: set[str]) -> None:
    env = {
        "_STUDYLOG_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    result = runner.invoke(app, [], env=env, prog_name="studylog")
    assert set(result.stdout.split()) == expected


def test_completion_offers_the_built_in_templates() -> None:
    env = {
        "_STUDYLOG_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": "studylog new --template ",
    }
    result = runner.invoke(app, [], env=env, prog_name="studylog")
    assert "default" in result.stdout and "en" in result.stdout


@pytest.mark.parametrize(
    "command", [["list"], ["show", "13"], ["stats"], ["check"], ["search", "attention"]]
)
def test_piped_reading_commands_are_plain_text(example_blog: Path, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--blog", str(example_blog)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() and not BOX.search(result.stdout) and "•" not in result.stdout
    assert not ANSI.search(result.stdout)
    if command[0] != "show":  # show prints the post's own text, its trailing spaces included
        assert all(line == line.rstrip() for line in result.stdout.splitlines())  # no padding


def test_piped_show_prints_the_markdown_as_written(example_blog: Path) -> None:
    result = runner.invoke(app, ["show", "13", "--blog", str(example_blog)])
    assert "\n- [Transformer](https://example-blog.github.io/ai/transformer)\n" in result.stdout
    assert "\n## 학습 내용\n" in result.stdout


def test_piped_messages_are_never_wrapped_mid_path(example_blog: Path, tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 6)
    deep.mkdir(parents=True)
    template = deep / "template.md.j2"
    template.write_text("{{ entry.title }}\n", encoding="utf-8")
    result = runner.invoke(
        app, ["template", "show", "--template", str(template), "--blog", str(example_blog)]
    )
    assert result.exit_code == 0, result.output
    assert len(str(template)) > 100 and str(template) in result.stderr.splitlines()[0]

"""The documentation is complete: the README shows every command, `--help` explains every option."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.config import FIELDS

README = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
runner = CliRunner()


def commands(command: Any, path: str = "studylog") -> Iterator[tuple[str, Any]]:
    """`("studylog", group)`, `("studylog new", new)`, ...: every command, groups walked."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, f"{path} {name}")


COMMANDS = dict(commands(typer.main.get_command(app)))
NAMED = [path for path in COMMANDS if path != "studylog"]


def test_the_commands_are_found() -> None:
    assert {"studylog new", "studylog template show", "studylog drafts discard"} <= set(NAMED)


@pytest.mark.parametrize("path", NAMED)
def test_every_command_is_in_the_readme(path: str) -> None:
    assert f"`{path}" in README, f"{path} is not in the README"


@pytest.mark.parametrize("path", list(COMMANDS))
def test_every_option_and_argument_has_a_help_text(path: str) -> None:
    command = COMMANDS[path]
    assert command.help, f"{path} has no help text"
    for param in command.params:
        assert getattr(param, "help", None), f"{path}: {param.opts[0]} has no help text"


@pytest.mark.parametrize("path", list(COMMANDS))
def test_every_help_shows_every_option(path: str) -> None:
    result = runner.invoke(app, [*path.split()[1:], "--help"], prog_name="studylog")
    assert result.exit_code == 0 and result.stdout.startswith(f"Usage: {path} ")
    for param in COMMANDS[path].params:
        shown = param.opts[0] if param.opts[0].startswith("-") else param.human_readable_name
        assert shown in result.stdout, f"{path} --help does not show {shown}"


def test_the_install_command_puts_studylog_on_path_then_says_how_to_start() -> None:
    install = README.split("## Install", 1)[1].split("```sh\n", 1)[1].split("\n", 1)[0]
    assert "pip install -q ." in install and "~/.local/bin" in install and "\n" not in install
    assert "cd ~/your-blog && studylog new" in README.split("## Your first day", 1)[0]
    assert "command not found" in README and len(README.encode()) < 16_000


DAY_ORDER = [
    "new", "list", "show", "search", "edit", "check",
    "publish", "stats", "drafts", "template", "config",
]  # fmt: skip


def test_help_lists_the_commands_in_the_order_of_a_day_with_whole_summaries() -> None:
    shown = runner.invoke(app, ["--help"], terminal_width=80).stdout
    listed = shown.split("Commands:\n", 1)[1]
    names = [
        line.split()[0] for line in listed.splitlines() if line.startswith("  ") and line[2] != " "
    ]
    assert names == DAY_ORDER
    assert "..." not in listed and "…" not in listed
    words = " ".join(listed.split())  # summaries are wrapped, never cut
    assert "(defaults from history), preview, write." in words and "set or edit them." in words


@pytest.mark.parametrize("path", list(COMMANDS))
def test_help_placeholders_are_words_people_expect(path: str) -> None:
    shown = runner.invoke(app, [*path.split()[1:], "--help"], terminal_width=100).stdout
    assert not re.search(r"<\w[\w ]*>|\{[A-Za-z]+\}", shown.replace("'{ topics", ""))


def test_help_names_the_values_of_options() -> None:
    shown = runner.invoke(app, ["list", "--help"], terminal_width=100).stdout
    for option in ("--since DATE", "--until DATE", "--limit N", "--moderator NAME", "--blog DIR"):
        assert option in shown
    assert "Usage: studylog show [OPTIONS] POST\n" in runner.invoke(app, ["show", "--help"]).stdout


@pytest.mark.parametrize("key", FIELDS)
def test_every_config_key_is_in_the_readme_and_the_reference(key: str) -> None:
    reference = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text("utf-8")
    assert f"`{key}`" in README.split("## Configuration", 1)[1]
    assert f"| `{key}` |" in reference

"""The documentation is complete: the README shows every command, `--help` explains every option."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from studylog.cli.app import app

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

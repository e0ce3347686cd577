"""The fast paths (`--version`, stored `--help`, a lean `new --from`) answer exactly as typer does.

No timing here: what the fast paths skip is checked through `sys.modules`, never a clock.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog import __main__ as entry
from studylog import _help_texts, helpgen
from studylog.cli import app

DATA = Path(__file__).parent / "data"
PATHS = helpgen.command_paths()


def run_main(*args: str, columns: int = 80) -> tuple[str, list[str]]:
    """`studylog ARGS` through the entry point in a fresh process: (stdout, modules it imported)."""
    code = (
        "import sys, json\n"
        f"sys.argv = {['studylog', *args]!r}\n"
        "from studylog.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "COLUMNS": str(columns)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", env=env
    )
    return result.stdout, json.loads(result.stderr.strip().splitlines()[-1])


def test_version_fast_path_answers_as_typer_does() -> None:
    stdout, modules = run_main("--version")
    assert stdout == CliRunner().invoke(app, ["--version"]).stdout
    assert "typer" not in modules


def test_the_stored_help_is_current() -> None:
    stale = "studylog/_help_texts.py is stale: run `python -m studylog.helpgen`"
    assert _help_texts.KEY == helpgen.source_key(), stale
    assert set(_help_texts.TEXTS) == {" ".join(path) for path in PATHS}, stale


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "studylog")
@pytest.mark.parametrize("columns", [80, 132])
def test_help_fast_path_prints_typers_help(path: tuple[str, ...], columns: int) -> None:
    stdout, modules = run_main(*path, "--help", columns=columns)
    assert stdout == helpgen.typer_help(path, columns)
    assert "typer" not in modules  # the fast path answered


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "studylog")
def test_a_narrow_terminal_gets_typers_own_help(path: tuple[str, ...]) -> None:
    stdout, modules = run_main(*path, "--help", columns=60)
    assert stdout == helpgen.typer_help(path, 60)
    assert "typer" in modules


def test_python_dash_m_gets_typers_own_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "studylog", "--help"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("Usage: python -m studylog [OPTIONS]")


def test_a_changed_cli_turns_the_fast_path_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/usr/bin/studylog", "--help"])
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))  # a script's
    monkeypatch.setenv("COLUMNS", "100")
    assert entry.stored_help([]) == _help_texts.TEXTS[""]
    monkeypatch.setattr(_help_texts, "KEY", _help_texts.KEY + 1)
    assert entry.stored_help([]) is None


@pytest.mark.parametrize("columns", [None, "", "abc", "0", "100", "40"])
def test_terminal_columns_is_shutils(monkeypatch: pytest.MonkeyPatch, columns: str | None) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert entry.terminal_columns() == shutil.get_terminal_size().columns


def test_new_from_file_imports_no_prompt_or_console_library(blog: Path) -> None:
    entry_file = str(DATA / "2021-08-18-day13.entry.yaml")
    stdout, modules = run_main("new", "--from", entry_file, "--yes", "--blog", str(blog))
    assert stdout.startswith("Wrote ")
    heavy = {"rich", "questionary", "prompt_toolkit", "pydantic"}
    assert heavy.isdisjoint(modules)


def test_a_complete_entry_reads_no_post(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from studylog import newpost

    def no_history(*_: object) -> None:
        raise AssertionError("the posts were read")

    monkeypatch.setattr(newpost, "history", no_history)
    entry_file = str(DATA / "2021-08-18-day13.entry.yaml")
    result = CliRunner().invoke(app, ["new", "--from", entry_file, "--yes", "--blog", str(blog)])
    assert result.exit_code == 0, result.output
    written = blog / "_posts" / "2021-08-18-day13.md"
    assert written.read_bytes() == (DATA / "2021-08-18-day13.md").read_bytes()


@pytest.mark.parametrize("example", sorted(DATA.glob("*.entry.yaml")), ids=lambda p: p.name)
def test_libyaml_reads_entries_as_pure_python_does(example: Path) -> None:
    import yaml

    from studylog import newpost
    from studylog.parse import yaml_loader

    text = example.read_text("utf-8") + "odd_date: 2021-13-45\n"
    assert newpost._load_yaml(text) == yaml.load(text, yaml_loader(fast=False))

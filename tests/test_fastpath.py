"""The typer-free path (`fastpath`) passes a command what typer would pass, or leaves it to typer.

Each plain command line is parsed twice: by typer (through the app, with the command's function
replaced by a recorder) and by `fastpath.parse`; the keyword arguments must be equal. Lines the
fast path must not take are checked to come back as None.
"""

from __future__ import annotations

import errno
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from studylog import _help_texts, fastpath
from studylog.cli import app
from studylog.errors import BlogError

DATA = Path(__file__).parent / "data"

PLAIN = [
    ["list"],
    ["list", "--json", "--drafts", "--strict"],
    ["list", "--since", "2021-08-01", "--until", "today", "--limit", "3"],
    ["list", "--limit", "0", "--moderator", "김철수", "--participant", "이영희", "--blog", "b"],
    ["list", "--limit", "5", "--limit", "7"],  # the last one counts, as in click
    ["new", "--from", "entry.yaml", "--yes"],
    ["new", "--from", "-", "-y", "--draft", "--force", "--blog", "some blog"],
    ["new", "--date", "2021-08-18", "--day", "13", "--title", "T", "--moderator", "M"],
    ["new", "-p", "A", "--participant", "B", "-p", "C", "--resume", "--edit"],
    ["new", "--template", "en", "--day", "0"],
    ["publish"],
    ["publish", "_posts/a.md", "13", "--dry-run", "--no-push"],
    ["publish", "2021-08-18", "-m", "a message", "--date", "today", "--blog", "."],
    ["publish", "--message", "x", "one", "two"],
    ["show", "13", "--json"],
    ["show", "--raw", "_posts/2021-08-18-day13.md"],
    ["search", "어텐션", "--regex", "--drafts", "--json", "--blog", "/tmp/b"],
    ["search", "-"],
    ["check"],
    ["check", "13", "14", "--json"],
    ["stats", "--since", "2021-08-01", "--until", "2021-09-01", "--json"],
    ["edit", "13", "--from", "x.yaml", "--yes", "--template", "default"],
    ["edit", "2021-08-18", "--editor"],
    ["config", "--json"],
    ["config", "--path"],
]

NOT_PLAIN = [
    [],
    ["list", "--help"],
    ["list", "--limit=3"],  # click's --opt=value form
    ["list", "--limit", "-1"],  # below the minimum: typer's error
    ["list", "--limit", "three"],
    ["list", "--limit", "+3"],
    ["list", "--"],
    ["list", "--bogus"],
    ["list", "extra"],  # list takes no argument
    ["list", "--since"],  # a missing value
    ["new", "-yp", "A"],  # short options run together
    ["new", "--day", "-3"],
    ["new", "--from", "--yes"],  # a value that looks like an option
    ["publish", "-m", "--dry-run"],
    ["show"],  # its argument is required
    ["show", "13", "14"],
    ["search", "-x"],
    ["template", "show"],  # a group
    ["nosuchcommand"],
    ["--version"],
]


def typer_call(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The keyword arguments typer's app passes to the command's function for `args`."""
    module_name, _, function_name = _help_texts.COMMANDS[args[0]]["call"].partition(":")
    module = __import__(module_name, fromlist=[function_name])
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(module, function_name, lambda **kwargs: seen.append(kwargs))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len(seen) == 1
    return seen[0]


def fast_call(args: list[str]) -> dict[str, Any]:
    """The keyword arguments the fast path passes, with the function's defaults filled in."""
    call = fastpath.parse(args)
    assert call is not None, f"the fast path declined {args}"
    module_name, function_name, kwargs = call
    function = getattr(__import__(module_name, fromlist=[function_name]), function_name)
    bound = inspect.signature(function).bind(**kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def test_the_stored_commands_are_current() -> None:
    assert fastpath.stored_commands() is not None, "run `python -m studylog.helpgen`"


@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_a_plain_line_gets_what_typer_would_pass(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = fast_call(args)  # before typer_call replaces the function
    assert fast == typer_call(args, monkeypatch)


def test_every_command_but_the_template_group_is_on_the_fast_path() -> None:
    assert set(_help_texts.COMMANDS) == {
        "new", "list", "show", "search", "publish", "check", "stats", "edit", "config"
    }  # fmt: skip
    assert {args[0] for args in PLAIN} == set(_help_texts.COMMANDS)


@pytest.mark.parametrize("args", NOT_PLAIN, ids=lambda a: " ".join(a) or "nothing")
def test_anything_else_is_left_to_typer(args: list[str]) -> None:
    assert fastpath.parse(args) is None


def test_shell_completion_is_left_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_STUDYLOG_COMPLETE", "bash_complete")
    assert fastpath.parse(["list"]) is None


def test_a_changed_cli_turns_the_fast_path_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_help_texts, "KEY", _help_texts.KEY + 1)
    assert fastpath.stored_commands() is None
    assert fastpath.parse(["list"]) is None


def run_studylog(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """`studylog ARGS` through the entry point in a fresh process, and the modules it loaded."""
    code = (
        "import sys, json, atexit\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        f"sys.argv = {['studylog', *args]!r}\n"
        "from studylog.__main__ import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=cwd
    )
    *stderr, modules = result.stderr.splitlines()
    result.stderr = "".join(line + "\n" for line in stderr)
    return result, json.loads(modules)


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "--json"], ["show", "13", "--json"], ["search", "attention"], ["check"]],
    ids=" ".join,
)
def test_the_fast_path_prints_what_typer_prints(example_blog: Path, args: list[str]) -> None:
    os.chdir(example_blog)  # the blog is found from the working directory, as a user runs it
    through_typer = CliRunner().invoke(app, args)
    fast, modules = run_studylog(*args, cwd=example_blog)
    assert "typer" not in modules
    assert (fast.returncode, fast.stdout) == (through_typer.exit_code, through_typer.stdout)


@pytest.mark.parametrize(
    "args",
    [["list", "--since", "someday"], ["show", "99"], ["new", "--from", "missing.yaml", "--yes"]],
    ids=" ".join,
)
def test_an_error_reads_and_exits_as_through_typer(example_blog: Path, args: list[str]) -> None:
    os.chdir(example_blog)
    through_typer = CliRunner().invoke(app, args)
    fast, modules = run_studylog(*args, cwd=example_blog)
    assert "typer" not in modules
    assert fast.returncode == through_typer.exit_code != 0
    assert fast.stderr == through_typer.stderr
    assert fast.stderr.startswith("error: ") and fast.stderr.count("\n") == 1


def test_new_from_file_through_the_fast_path_writes_the_golden_post(blog: Path) -> None:
    entry = DATA / "2021-08-18-day13.entry.yaml"
    result, modules = run_studylog("new", "--from", str(entry), "--yes", cwd=blog)
    assert result.returncode == 0, result.stderr
    assert "typer" not in modules
    written = blog / "_posts" / "2021-08-18-day13.md"
    assert result.stdout == f"Wrote {written}\n"
    assert written.read_bytes() == (DATA / "2021-08-18-day13.md").read_bytes()


def test_guarded_turns_an_error_into_its_line_and_exit_code(capsys) -> None:
    def broken() -> None:
        raise BlogError("no blog here: run it in one")

    assert fastpath.guarded(broken) == 1
    assert capsys.readouterr().err == "error: no blog here: run it in one\n"


def test_guarded_reports_ctrl_c_as_click_does(capsys) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    assert fastpath.guarded(interrupted) == 1
    assert capsys.readouterr().err == "\nAborted!\n"


def test_guarded_turns_a_bug_into_a_crash_log(isolated_home: Path, capsys) -> None:
    def bug() -> None:
        raise ZeroDivisionError("oops")

    assert fastpath.guarded(bug) == 70
    err = capsys.readouterr().err
    assert err.startswith("internal error in studylog (ZeroDivisionError('oops'))")
    logs = list((isolated_home / "state").glob("crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text("utf-8")


def test_guarded_stays_quiet_on_a_closed_pipe(capsys) -> None:
    def closed() -> None:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("studylog.output.silence_stdout", lambda: None)
        assert fastpath.guarded(closed) == 1
    assert capsys.readouterr().err == ""


def test_list_into_a_closed_pipe_ends_quietly(example_blog: Path) -> None:
    studylog = [sys.executable, "-c", "from studylog.__main__ import main; main()", "list"]
    lister = subprocess.Popen(
        studylog, cwd=example_blog, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert lister.stdout is not None and lister.stderr is not None
    lister.stdout.close()  # the reader is gone before a line is written
    stderr = lister.stderr.read()
    assert lister.wait() in (0, 1)
    assert b"Traceback" not in stderr and b"internal error" not in stderr

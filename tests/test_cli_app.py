"""The entry point: every command line goes through typer; errors and bugs end one way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog import __version__
from studylog.cli.app import app

DATA = Path(__file__).parent / "data"


def run_studylog(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`studylog ARGS` through the installed entry point's function, in a fresh process."""
    code = (
        f"import sys; sys.argv = {['studylog', *args]!r}\n"
        "from studylog.__main__ import main\nmain()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=cwd
    )


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    result = run_studylog("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, f"studylog {__version__}\n")


@pytest.mark.parametrize(
    "args",
    [["list"], ["list", "--json"], ["show", "13", "--json"], ["search", "attention"], ["check"]],
    ids=" ".join,
)
def test_a_process_prints_what_the_app_prints(example_blog: Path, args: list[str]) -> None:
    os.chdir(example_blog)  # the blog is found from the working directory, as a user runs it
    in_process = CliRunner().invoke(app, args)
    process = run_studylog(*args, cwd=example_blog)
    assert (process.returncode, process.stdout) == (in_process.exit_code, in_process.stdout)


@pytest.mark.parametrize(
    "args",
    [["list", "--since", "someday"], ["show", "99"], ["new", "--from", "missing.yaml", "--yes"]],
    ids=" ".join,
)
def test_an_error_is_one_line_on_stderr_and_a_nonzero_exit(
    example_blog: Path, args: list[str]
) -> None:
    result = run_studylog(*args, cwd=example_blog)
    assert result.returncode != 0
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_new_from_file_writes_the_golden_post(blog: Path) -> None:
    entry = DATA / "2021-08-18-day13.entry.yaml"
    result = run_studylog("new", "--from", str(entry), "--yes", cwd=blog)
    assert result.returncode == 0, result.stderr
    written = blog / "_posts" / "2021-08-18-day13.md"
    assert result.stdout == f"Wrote {written}\n"
    assert written.read_bytes() == (DATA / "2021-08-18-day13.md").read_bytes()


def test_python_dash_m_runs_the_same_app() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "studylog", "--help"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("Usage: python -m studylog [OPTIONS]")


def test_a_bug_becomes_a_short_message_and_a_crash_log(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from studylog.cli import app as cli

    def bug(*_: object, **__: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(cli, "app", bug)
    with pytest.raises(SystemExit) as ended:
        cli.run()
    assert ended.value.code == 70
    err = capsys.readouterr().err
    assert err.startswith("internal error in studylog (ZeroDivisionError('oops'))")
    logs = list((isolated_home / "state").glob("crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text("utf-8")


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


def test_a_complete_entry_reads_no_post(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from studylog.blog import newpost

    def no_history(*_: object) -> None:
        raise AssertionError("the posts were read")

    monkeypatch.setattr(newpost, "history", no_history)
    entry_file = str(DATA / "2021-08-18-day13.entry.yaml")
    result = CliRunner().invoke(app, ["new", "--from", entry_file, "--yes", "--blog", str(blog)])
    assert result.exit_code == 0, result.output
    written = blog / "_posts" / "2021-08-18-day13.md"
    assert written.read_bytes() == (DATA / "2021-08-18-day13.md").read_bytes()

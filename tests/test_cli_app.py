"""The entry point: every command line goes through typer; errors and bugs end one way."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog import __version__
from studylog.cli import app as cli
from studylog.cli.app import app
from studylog.cli.commands import listing

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
def test_a_process_prints_what_the_app_prints(
    example_blog: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_blog)  # the blog is found from the working directory, as a user does
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


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["list", "--since", "someday"], 2, "error: --since 'someday' is not a date"),
        (["show", "99"], 1, "error: no post '99' in "),
        (["list", "--limit", "-1"], 2, "Usage: studylog list [OPTIONS]"),
        (["lsit"], 2, "Error: No such command 'lsit'"),
    ],
    ids=["studylog error", "not found", "typer's usage error", "no such command"],
)
def test_exit_codes_of_errors(example_blog: Path, args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(app, [*args, "--blog", str(example_blog)])
    assert result.exit_code == code and message in result.stderr


def failing(exc: BaseException) -> Callable[..., None]:
    """A stand-in for a command's function that raises `exc`."""

    def command(*_: object, **__: object) -> None:
        raise exc

    return command


def test_a_bug_becomes_a_short_message_and_a_crash_log(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(listing, "list_posts", failing(ZeroDivisionError("oops")))
    monkeypatch.setattr(sys, "argv", ["studylog", "list"])
    with pytest.raises(SystemExit) as ended:
        cli.run()
    assert ended.value.code == 70
    [log] = (isolated_home / "state").glob("crash-*.log")
    err = capsys.readouterr().err
    saved = f"the full traceback is in {log}"
    assert err == f"internal error in studylog (ZeroDivisionError('oops')); {saved}\n"
    assert "ZeroDivisionError: oops" in log.read_text("utf-8")


def test_a_crash_log_that_cannot_be_saved_is_said(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "state").write_text("a file, not a folder", "utf-8")
    monkeypatch.setenv("STUDYLOG_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr(listing, "list_posts", failing(RuntimeError("bug")))
    result = CliRunner().invoke(app, ["list"])
    assert result.exit_code == 70
    assert result.stderr == (
        "internal error in studylog (RuntimeError('bug')); the traceback could not be saved\n"
    )


def test_ctrl_c_in_a_command_exits_130_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "list_posts", failing(KeyboardInterrupt()))
    result = CliRunner().invoke(app, ["list"])
    assert (result.exit_code, result.output) == (130, "")


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

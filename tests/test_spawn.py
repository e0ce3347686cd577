"""The posix_spawn child that runs git: pipes both ways, big data, decoding, exits, timeouts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from studylog.errors import VcsError
from studylog.git import run as vcs
from studylog.git import spawn

PY = sys.executable


def run(code: str, input: str | None = None, timeout: float | None = 10) -> tuple[str, str, int]:
    child = spawn.Child([PY, "-c", code], dict(os.environ), piped_input=input is not None)
    out, err = child.communicate(input, timeout=timeout)
    assert child.returncode is not None
    return out, err, child.returncode


@pytest.fixture(params=["posix_spawn", "subprocess"])
def how(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "subprocess":
        monkeypatch.delattr(os, "posix_spawnp")
    return str(request.param)


def test_big_input_and_output_pass_both_ways_at_once(how: str) -> None:
    data = "줄 하나\n" * 200_000  # far more than a pipe holds, both ways
    code = "import sys; d = sys.stdin.read(); sys.stdout.write(d); sys.stderr.write(str(len(d)))"
    out, err, code_ = run(code, data)
    assert out == data and err == str(len(data)) and code_ == 0


def test_text_is_decoded_like_subprocess(how: str) -> None:
    code = r"import sys; sys.stdout.buffer.write(b'a\r\nb\rc\xff\n'); sys.exit(3)"
    out, _, code_ = run(code)
    assert out == "a\nb\nc\ufffd\n" and code_ == 3


def test_no_input_reads_dev_null(how: str) -> None:
    out, _, _ = run("import sys; print(repr(sys.stdin.read()))")
    assert out == "''\n"


def test_a_killed_child_reports_the_signal(how: str) -> None:
    _, _, code = run("import os, signal; os.kill(os.getpid(), signal.SIGTERM)")
    assert code == -15


def test_expired_then_stopped(how: str) -> None:
    child = spawn.Child(
        [PY, "-c", "import time; time.sleep(30)"], dict(os.environ), piped_input=False
    )
    with pytest.raises(spawn.Expired):
        child.communicate(timeout=0.2)
    child.kill()
    child.communicate(timeout=5)
    assert child.returncode == -9


def test_missing_git_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(VcsError, match="git is not installed"):
        vcs.git(tmp_path, "status")


def test_closed_standard_descriptors_do_not_mix_up_the_pipes() -> None:
    code = (
        "import os, sys\n"
        "sys.path[:0] = [os.getcwd()]\n"
        "from studylog.git import spawn\n"
        "os.close(0)\n"
        "c = spawn.Child(['echo', 'hi'], dict(os.environ), piped_input=False)\n"
        "out, err = c.communicate(timeout=10)\n"
        "os.write(2, (out + '|' + err).encode())\n"
    )
    child = spawn.Child([PY, "-c", code], dict(os.environ), piped_input=False)
    _, err = child.communicate(timeout=20)
    assert err == "hi\n|" and child.returncode == 0

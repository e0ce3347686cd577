"""git through one helper: argument lists, `-C repo`, timeouts, no prompts -> VcsError."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from studylog.errors import VcsError

TIMEOUT = 60.0  # local commands; hooks and signing run inside them
NETWORK_TIMEOUT = 120.0  # fetch and push
KILL_GRACE = 1.0  # seconds between SIGTERM and SIGKILL of a timed-out git
# No prompt can appear anywhere, so a git that needs a password or an editor fails at once.
QUIET_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "SSH_ASKPASS": "",
    "SSH_ASKPASS_REQUIRE": "never",
    "GCM_INTERACTIVE": "never",
    "GIT_EDITOR": ":",
}

MAX_LINES = 6  # of git's message, the last ones
# What git adds to every failure to reach a remote.
BOILERPLATE = ("please make sure you have the correct access rights", "and the repository exists")
Completed = subprocess.CompletedProcess[str]


class GitTimeout(VcsError):
    """git did not finish in time and was stopped (with everything it started)."""


@dataclass(frozen=True, slots=True)
class Locks:
    """The git directory of a command's repository and whether its index was locked before."""

    git_dir: Path | None
    locked: bool

    @classmethod
    def before(cls, repo: Path) -> Locks:
        """The state of the index lock before a git command starts."""
        gdir = git_dir(repo)
        return cls(gdir, bool(gdir and (gdir / "index.lock").exists()))


def timeout_for(default: float) -> float:
    """The timeout for a git command: `$STUDYLOG_GIT_TIMEOUT` (seconds) when set, else default."""
    value = os.environ.get("STUDYLOG_GIT_TIMEOUT", "")
    try:
        return float(value) if value else default
    except ValueError:
        raise VcsError(f"$STUDYLOG_GIT_TIMEOUT={value!r} is not a number of seconds") from None


def git(
    repo: Path,
    *args: str,
    timeout: float | None = None,
    check: bool = True,
    input: str | None = None,
) -> Completed:
    """Run `git -C repo ARGS` non-interactively; VcsError on failure, a missing git or a timeout."""
    limit = timeout_for(TIMEOUT) if timeout is None else timeout
    command = ["git", "-C", str(repo), *args]
    locks = Locks.before(repo)
    started = time.time()
    proc = _start(command, piped_input=input is not None)
    try:
        out, err = proc.communicate(input, timeout=limit)
    except subprocess.TimeoutExpired:
        _stop(proc, locks, started)
        raise GitTimeout(
            f"git {_name(args)} did not finish within {limit:g}s and was stopped "
            "(a hook, the signing program or the remote may be waiting for input)"
        ) from None
    except BaseException:  # Ctrl-C: git runs in its own session, so stop it ourselves
        _stop(proc, locks, started)
        raise
    result = Completed(command, proc.returncode, out, err)
    if check and result.returncode != 0:
        raise VcsError(f"git {_name(args)} failed: {what_git_said(result)}")
    return result


def _start(command: list[str], *, piped_input: bool) -> subprocess.Popen[str]:
    """git in a session of its own: no controlling terminal to prompt on, one group to stop."""
    try:
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE if piped_input else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            env={**os.environ, **QUIET_ENV},
            start_new_session=True,
        )
    except FileNotFoundError as exc:
        raise VcsError("git is not installed: install git and try again") from exc


def what_git_said(result: Completed) -> str:
    """Why git failed, in its own words: its message's lines joined on one line (blank lines,
    hints and the stock "make sure you have the correct access rights" left out, and each
    line's final period, as the caller goes on), or the exit status."""
    lines = [
        line.strip().removesuffix(".") for line in (result.stderr or result.stdout).splitlines()
    ]
    said = [line for line in lines if line and not _boilerplate(line)]
    return "; ".join(said[-MAX_LINES:]) if said else f"exit {result.returncode}"


def _boilerplate(line: str) -> bool:
    """A line of git's that says nothing of this failure."""
    return line.lower().startswith(("hint:", *BOILERPLATE))


def _name(args: tuple[str, ...]) -> str:
    """The git command's name among its arguments (`-c key=value` options skipped)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "-c":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return "command"


def _stop(proc: subprocess.Popen[str], locks: Locks, started: float) -> None:
    """Stop git and everything it started, then remove the index locks it left behind."""
    _stop_group(proc)
    _remove_own_locks(locks, started, time.time(), proc.pid)


def _stop_group(proc: subprocess.Popen[str]) -> None:
    """SIGTERM the whole process group (git cleans its locks), SIGKILL what survives the grace."""
    if os.name != "posix":  # no process groups to signal
        proc.kill()
        proc.communicate()
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        if _group_gone(proc, KILL_GRACE):
            break
    try:
        proc.communicate(timeout=KILL_GRACE)
    except subprocess.TimeoutExpired:  # a grandchild escaped the group and holds the pipes
        proc.kill()


def _group_gone(proc: subprocess.Popen[str], within: float) -> bool:
    """Whether the group has no live process left within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        proc.poll()  # reap the leader, or the group never looks empty
        if not _group_alive(proc.pid):
            return True
        time.sleep(0.02)
    return False


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (zombies an init never reaps do not count)."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    procfs = Path("/proc")
    if not procfs.is_dir():
        return True
    for stat in procfs.glob("[0-9]*/stat"):
        try:
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError, IndexError):
            continue
        if state != "Z" and int(group) == pgid:
            return True
    return False


def git_dir(repo: Path) -> Path | None:
    """The git directory of the worktree holding `repo` (follows a `.git` file), if any."""
    try:
        start = repo.resolve()
    except OSError:
        return None
    for folder in (start, *start.parents):
        dot = folder / ".git"
        if dot.is_dir():
            return dot
        if dot.is_file():
            text = dot.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (folder / text.removeprefix("gitdir:").strip()).resolve()
    return None


def _remove_own_locks(locks: Locks, started: float, stopped: float, pid: int) -> None:
    """Remove the index locks a stopped git left: only ones that appeared while it ran."""
    gdir = locks.git_dir
    if gdir is None:
        return
    (gdir / f"next-index-{pid}.lock").unlink(missing_ok=True)  # named after our git: ours
    lock = gdir / "index.lock"
    try:
        created = lock.stat().st_mtime
    except OSError:
        return
    # A lock that was there before we started, or appeared after our git died, is someone else's.
    if not locks.locked and started - 1 <= created <= stopped:
        lock.unlink(missing_ok=True)

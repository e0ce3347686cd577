"""git through one helper: argument lists, `-C repo`, timeouts, no prompts -> VcsError."""

from __future__ import annotations

import os
import time
from pathlib import Path

from studylog.errors import VcsError
from studylog.git.spawn import Child, Completed, Expired

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


class GitTimeout(VcsError):
    """git did not finish in time and was stopped (with everything it started)."""


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
    return start(repo, *args, timeout=timeout, check=check, input=input).result()


class Running:
    """A git command under way (see `start`); `result` waits for it as `git` does."""

    def __init__(
        self,
        repo: Path,
        args: tuple[str, ...],
        timeout: float | None,
        check: bool,
        input: str | None,
    ) -> None:
        self.args, self.check, self.input = args, check, input
        self.limit = timeout_for(TIMEOUT) if timeout is None else timeout
        self.command = ["git", "-C", str(repo), *args]
        self.locks = _locks_before(repo)
        self.started = time.time()
        self.done = False  # waited for (or stopped)
        try:  # its own session: no controlling terminal to prompt on; one group to kill
            self.proc = Child(
                self.command, {**os.environ, **QUIET_ENV}, piped_input=input is not None
            )
        except FileNotFoundError as exc:
            raise VcsError("git is not installed: install git and try again") from exc

    def result(self) -> Completed:
        """Wait for git (what is left of the timeout since it started); VcsError as `git`."""
        proc, self.done = self.proc, True
        try:
            left = max(0.0, self.started + self.limit - time.time())
            out, err = proc.communicate(self.input, timeout=left)
        except Expired:
            self.stop()
            raise GitTimeout(
                f"git {_name(self.args)} did not finish within {self.limit:g}s and was stopped "
                "(a hook, the signing program or the remote may be waiting for input)"
            ) from None
        except BaseException:  # Ctrl-C: git runs in its own session, so stop it ourselves
            self.stop()
            raise
        code = proc.poll()
        assert code is not None  # communicate waited for the exit
        result = Completed(self.command, code, out, err)
        if self.check and result.returncode != 0:
            raise VcsError(f"git {_name(self.args)} failed: {last_line(result)}")
        return result

    def stop(self, *, locks: bool = True) -> None:
        """Stop git and everything it started; remove the index locks it left (`locks`: a
        read-only query takes none, so a lock that appeared meanwhile is someone else's)."""
        self.done = True
        _stop(self.proc)
        if locks:
            _remove_own_locks(self.locks, self.started, time.time(), self.proc.pid)


def start(
    repo: Path,
    *args: str,
    timeout: float | None = None,
    check: bool = True,
    input: str | None = None,
) -> Running:
    """Start `git -C repo ARGS` as `git` runs it, without waiting: for queries run side by side.

    Call `result()` on each (or `stop()`), so that no git is left running."""
    return Running(repo, args, timeout, check, input)


def last_line(result: Completed) -> str:
    """The last line git printed (its reason for failing), or the exit status."""
    detail = (result.stderr or result.stdout).strip().splitlines()
    return detail[-1] if detail else f"exit {result.returncode}"


def _name(args: tuple[str, ...]) -> str:
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "-c":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return "command"


def _stop(proc: Child) -> None:
    """SIGTERM the whole process group (git cleans its locks), SIGKILL what survives the grace."""
    if os.name != "posix":  # no process groups to signal
        proc.kill()
        proc.communicate()
        return
    import signal  # only to stop a git: not worth its import otherwise

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            break
        if _group_gone(proc, KILL_GRACE):
            break
    try:
        proc.communicate(timeout=KILL_GRACE)
    except Expired:  # a grandchild escaped the group and holds the pipes
        proc.kill()


def _group_gone(proc: Child, within: float) -> bool:
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


def _locks_before(repo: Path) -> tuple[Path | None, bool]:
    gdir = git_dir(repo)
    return gdir, bool(gdir and (gdir / "index.lock").exists())


def _remove_own_locks(
    locks: tuple[Path | None, bool], started: float, stopped: float, pid: int
) -> None:
    """Remove the index locks a stopped git left: only ones that appeared while it ran."""
    gdir, existed = locks
    if gdir is None:
        return
    (gdir / f"next-index-{pid}.lock").unlink(missing_ok=True)  # named after our git: ours
    lock = gdir / "index.lock"
    try:
        created = lock.stat().st_mtime
    except OSError:
        return
    # A lock that was there before we started, or appeared after our git died, is someone else's.
    if not existed and started - 1 <= created <= stopped:
        lock.unlink(missing_ok=True)

"""A child process whose output comes back through pipes, started by `os.posix_spawnp`: what
`vcs` needs of `subprocess.Popen` without importing subprocess (~6 ms: threading, selectors,
signal, locale), which every git command of a publish would otherwise pay first.

Output is decoded as `Popen(..., text=True, encoding="utf-8", errors="replace")` decodes it,
universal newlines included. Where `posix_spawnp` is missing, subprocess does the work.
"""

from __future__ import annotations

import os
import select
import time

from studylog.git.record import Record

CHUNK = 65536
WAIT_STEP = 0.0005  # seconds between looks at a child that closed its pipes but has not exited


class Completed(Record):
    """A finished command: the fields of `subprocess.CompletedProcess` that git's callers use."""

    __slots__ = ("args", "returncode", "stdout", "stderr")

    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def __init__(self, args: list[str], returncode: int, stdout: str, stderr: str) -> None:
        self._init(args, returncode, stdout, stderr)


class Expired(Exception):
    """The child did not finish in time; it still runs (stop it, or wait again)."""


class Child:
    """`git ARGS` running with stdout and stderr piped back, stdin from `input` or /dev/null,
    in a session of its own. `communicate` may be called again after `Expired`."""

    def __init__(self, argv: list[str], env: dict[str, str], *, piped_input: bool) -> None:
        self.args = argv
        self.returncode: int | None = None
        self.out, self.err, self.stdin = -1, -1, -1
        self.reading: list[int] = []
        self.popen = None if hasattr(os, "posix_spawnp") else _popen(argv, env, piped_input)
        self.pid = self.popen.pid if self.popen else self._spawn(argv, env, piped_input)
        self.chunks: dict[int, list[bytes]] = {fd: [] for fd in self.reading}
        self.written = 0

    def _spawn(self, argv: list[str], env: dict[str, str], piped_input: bool) -> int:
        out_r, out_w = _pipe()
        err_r, err_w = _pipe()
        if piped_input:
            in_r, in_w = _pipe()
        else:
            in_r, in_w = _high(os.open(os.devnull, os.O_RDONLY | os.O_CLOEXEC)), -1
        dup = os.POSIX_SPAWN_DUP2
        try:
            return os.posix_spawnp(
                argv[0],
                argv,
                env,
                file_actions=[(dup, in_r, 0), (dup, out_w, 1), (dup, err_w, 2)],
                setsid=True,
            )
        except BaseException:
            for fd in (out_r, err_r, in_w):
                if fd >= 0:
                    os.close(fd)
            raise
        finally:
            for fd in (in_r, out_w, err_w):
                os.close(fd)
            self.out, self.err, self.stdin = out_r, err_r, in_w
            self.reading = [out_r, err_r]
            if in_w >= 0:
                os.set_blocking(in_w, False)  # a full pipe must not stop us reading git's output

    def communicate(
        self, input: str | None = None, timeout: float | None = None
    ) -> tuple[str, str]:
        """Send `input`, read all output and wait for the exit; `Expired` after `timeout` s."""
        if self.popen is not None:
            return _popen_communicate(self.popen, self, input, timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        data = (input or "").encode("utf-8")
        if self.stdin >= 0 and not data:
            self._close_stdin()
        while self.reading or self.stdin >= 0:
            self._exchange(data, _left(deadline))
        self._wait(deadline)
        return _text(b"".join(self.chunks[self.out])), _text(b"".join(self.chunks[self.err]))

    def _exchange(self, data: bytes, left: float | None) -> None:
        """One round of writing input and reading output, as far as the pipes allow."""
        poller = select.poll()
        for fd in self.reading:
            poller.register(fd, select.POLLIN)
        if self.stdin >= 0:
            poller.register(self.stdin, select.POLLOUT)
        ready = poller.poll(None if left is None else max(0, int(left * 1000) + 1))
        if not ready and left is not None and left <= 0:
            raise Expired
        for fd, _event in ready:
            if fd == self.stdin:
                self._write(data)
            else:
                self._read(fd)

    def _write(self, data: bytes) -> None:
        try:
            self.written += os.write(self.stdin, data[self.written : self.written + CHUNK])
        except BlockingIOError:
            return
        except BrokenPipeError:
            self.written = len(data)  # git stopped reading: as subprocess, ignore it
        if self.written >= len(data):
            self._close_stdin()

    def _read(self, fd: int) -> None:
        block = os.read(fd, CHUNK)
        if block:
            self.chunks[fd].append(block)
        else:
            self.reading.remove(fd)
            os.close(fd)

    def _close_stdin(self) -> None:
        os.close(self.stdin)
        self.stdin = -1

    def _wait(self, deadline: float | None) -> None:
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise Expired
            time.sleep(WAIT_STEP)

    def poll(self) -> int | None:
        """The exit status (-N: killed by signal N) once the child has exited, else None."""
        if self.popen is not None:
            self.returncode = self.popen.poll()
        elif self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: its status is lost
                pid, status = self.pid, 0
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        """SIGKILL the child (not its group), unless it has been reaped already."""
        if self.popen is not None:
            self.popen.kill()
        elif self.poll() is None:
            import signal

            os.kill(self.pid, signal.SIGKILL)


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else deadline - time.monotonic()


def _text(data: bytes) -> str:
    text = data.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _pipe() -> tuple[int, int]:
    """A pipe (close-on-exec) whose ends are not 0, 1 or 2, which the child's dups overwrite."""
    read, write = os.pipe()
    return _high(read), _high(write)


def _high(fd: int) -> int:
    if fd > 2:
        return fd
    import fcntl

    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    os.close(fd)
    return moved


def _popen(argv: list[str], env: dict[str, str], piped_input: bool):  # type: ignore[no-untyped-def]
    import subprocess

    return subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if piped_input else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        start_new_session=True,
    )


def _popen_communicate(popen, child: Child, input: str | None, timeout: float | None):  # type: ignore[no-untyped-def]
    import subprocess

    try:
        out, err = popen.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Expired from None
    child.returncode = popen.returncode
    return out, err

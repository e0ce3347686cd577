"""Timing whole processes: a Case is one command line at one blog size; `measure` times cases
side by side, in rounds, so that a change of load on the machine hits all of them alike."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tools import log

GNU_TIME = Path("/usr/bin/time")


@dataclass
class Case:
    """One command line, run as a whole process; not frozen: it collects its own figures."""

    group: str  # start-up, read, write or publish: the cases timed side by side
    label: str
    size: int  # the number of posts in the blog it runs on
    argv: list[str] | None  # None: not measured, `missing` says why
    missing: str = ""
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    before: Callable[[], str | None] | None = None  # untimed; may return the value of "{post}"
    after: Callable[[], None] | None = None  # untimed
    runs: int = 0  # how many timed runs it gets
    times: list[float] = field(default_factory=list)
    peak_kb: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        """Whether it has figures."""
        return self.argv is not None and not self.error and bool(self.times)

    @property
    def median(self) -> float:
        """The median of its timed runs, in seconds."""
        return statistics.median(self.times)

    @property
    def status(self) -> str:
        """Why it has no figures: missing, or failed and how."""
        return self.missing if self.argv is None else f"failed ({self.error})"


def run_once(case: Case, env: dict[str, str], *, memory: bool = False) -> float | None:
    """One run: its wall time from spawn to exit, or None when it failed (`case.error` says why).

    `memory`: run it under GNU time for its peak RSS (the process and the children it waited
    for), rather than measure the RSS of this process's child, which shares our pages until it
    execs.
    """
    assert case.argv is not None
    value = case.before() if case.before else None
    argv = [a.replace("{post}", value) for a in case.argv] if value else case.argv
    with tempfile.NamedTemporaryFile() as err, tempfile.NamedTemporaryFile() as rss:
        if memory:
            argv = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *argv]
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=case.cwd,
            env={**env, **case.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        code = proc.wait()
        elapsed = time.perf_counter() - start
        if code != 0:
            tail = Path(err.name).read_text("utf-8", "replace").strip().splitlines()[-2:]
            case.error = f"exit {code}: {' / '.join(tail)[:300]}"
        elif memory:
            case.peak_kb = max(case.peak_kb, int(Path(rss.name).read_text().split()[-1]))
    if case.after:
        case.after()
    return None if case.error else elapsed


def takes_part(round_: int, runs: int, rounds: int) -> bool:
    """Whether a case of `runs` runs takes part in round `round_` of `rounds`: evenly spaced
    rounds, so that a case with fewer runs still spans the whole stretch of time."""
    return (round_ + 1) * runs // rounds > round_ * runs // rounds


def measure(cases: list[Case], env: dict[str, str]) -> None:
    """A warm-up run and a memory run of each case, then its timed runs, round by round over
    every case; a case that fails once is not run again."""
    live = [c for c in cases if c.argv is not None]
    for case in live:
        run_once(case, env)
        if GNU_TIME.exists() and not case.error:
            run_once(case, env, memory=True)
    rounds = max((c.runs for c in live), default=0)
    for round_ in range(rounds):
        for case in live:
            if not case.error and takes_part(round_, case.runs, rounds):
                if (elapsed := run_once(case, env)) is not None:
                    case.times.append(elapsed)
    for case in cases:
        state = f"{case.median * 1000:8.1f} ms" if case.ok else case.status
        log(f"  {case.size:>6,} {case.label:<40} {state[:90]}")

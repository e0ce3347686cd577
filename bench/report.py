"""RESULTS.md: the targets, the growth check and every figure of one run, then how it ran."""

from __future__ import annotations

import datetime as dt
import os
import platform
from dataclasses import dataclass
from pathlib import Path

import targets as t
from measure import Case
from tools import Tools


@dataclass(frozen=True)
class Run:
    """One run of the benchmark: what it measured, where and how."""

    cases: list[Case]
    sizes: tuple[int, int, int]  # small (realistic), target, large (memory, growth)
    runs: dict[int, int]  # timed runs at each size
    tools: Tools
    machine: dict[str, str]
    minutes: float
    quick: bool


def machine() -> dict[str, str]:
    """The CPU, memory, system and load of this machine."""
    cpu = proc_field("/proc/cpuinfo", "model name") or platform.processor()
    mem_kb = int(proc_field("/proc/meminfo", "MemTotal").split()[0])
    debian = Path("/etc/debian_version")
    system = f"Linux {platform.release()}"
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{mem_kb / 1024 / 1024:.0f} GiB",
        "system": system + (f", Debian {debian.read_text().strip()}" if debian.exists() else ""),
        "load average at start": load(),
    }


def proc_field(path: str, name: str) -> str:
    """The value of the first `name: value` line of a /proc file."""
    for line in Path(path).read_text().splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return ""


def load() -> str:
    """The load averages over 1, 5 and 15 minutes."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def report(run: Run) -> str:
    """The whole of RESULTS.md."""
    found = t.targets(run.cases, run.sizes[1], run.sizes[2])
    growth = t.growth(run.cases, run.sizes)
    passed = sum(x.verdict == "PASS" for x in found)
    grew = sum(x.verdict == "PASS" for x in growth)
    quick = " --quick" if run.quick else ""
    head = [
        "# Benchmark results",
        "",
        f"Written by `bash bench/run.sh{quick}` on {dt.datetime.now():%Y-%m-%d %H:%M} (the run "
        f"took {run.minutes:.1f} min); rerun it rather than edit this file. What it measures, "
        "how, and why these targets: [bench/README.md](README.md).",
        "",
        f"**Targets: {passed} of {len(found)} pass. Linear growth: {grew} of {len(growth)} "
        "commands pass.**",
    ]
    sections = [
        head,
        target_table(run, found),
        growth_table(run.sizes, growth),
        figures(run),
        problems(run.cases),
        ["## Machine", "", *[f"- {k}: {v}" for k, v in run.machine.items()]],
        ["## Versions", "", *[f"- {k}: {v}" for k, v in run.tools.versions.items()]],
    ]
    return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"


def target_table(run: Run, found: list[t.Target]) -> list[str]:
    """The targets against the peers, and memory."""
    _, target, large = run.sizes
    quick = " (--quick: small blogs, a smoke test; the targets are set for 5,000.)"
    return [
        "## Targets",
        "",
        f"At {target:,} posts, as ratios of medians measured side by side in this run; memory at "
        f"{large:,} posts." + (quick if run.quick else ""),
        "",
        "| target | studylog | peer | ratio | limit | result |",
        "|---|---|---|---|---|---|",
        *[
            f"| {x.what} | {x.studylog} | {x.peer} | {x.ratio} | {x.limit} | {x.verdict} |"
            for x in found
        ],
    ]


def growth_table(sizes: tuple[int, int, int], growth: list[t.Growth]) -> list[str]:
    """The rule of linear growth, and how each command fared."""
    small, target, large = sizes
    return [
        "## Linear growth",
        "",
        t.GROWTH_RULE,
        "",
        f"| command | {small:,} posts | {target:,} posts | {large:,} posts | limit at {large:,} "
        "| result |",
        "|---|---|---|---|---|---|",
        *[growth_row(x) for x in growth],
    ]


def growth_row(growth: t.Growth) -> str:
    """One row of the growth table."""
    cells = [t.ms(x) if x is not None else "—" for x in growth.times]
    limit = t.ms(growth.limit) if growth.limit is not None else ""
    return f"| {growth.command} | {' | '.join(cells)} | {limit} | {growth.verdict} |"


def figures(run: Run) -> list[str]:
    """The table of every command's median and peak RSS at every size."""
    sizes = ", ".join(f"{n:,}" for n in run.sizes)
    head = "| command | " + " | ".join(f"{n:,} posts" for n in run.sizes)
    head += f" | peak RSS at {sizes} |"
    lines = [
        "## Every figure",
        "",
        "Median wall time of the timed runs ("
        + ", ".join(f"{run.runs[n]} at {n:,} posts" for n in run.sizes)
        + "); peak RSS of one run under GNU time. The peers run at the first two sizes only.",
        "",
        head,
        "|---|---|---|---|---|",
    ]
    for label in dict.fromkeys(x.label for x in run.cases):
        row = [t.find(run.cases, label, n) for n in run.sizes]
        times = [cell(x) for x in row]
        peaks = "/".join(
            f"{x.peak_kb / 1024:.0f}" if x is not None and x.peak_kb else "—" for x in row
        )
        lines.append(f"| {label} | {' | '.join(times)} | {peaks} MB |")
    return lines


def cell(case: Case | None) -> str:
    """A case's median; why not, when it has none."""
    if case is None:
        return "—"
    if case.argv is None:
        return case.missing
    return t.ms(case.median) if case.ok else "failed (below)"


def problems(found: list[Case]) -> list[str]:
    """What failed, and how."""
    failed = [x for x in found if x.error]
    if not failed:
        return []
    return ["Failed:", "", *[f"- {x.label} at {x.size:,} posts: {x.error}" for x in failed]]

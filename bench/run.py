"""The benchmark of issue 11: studylog beside Hugo, Jekyll, jrnl and bare git, side by side.

Run it through `bash bench/run.sh [--quick]`, which installs what it needs (bench/README.md).
The steps, one module each:

1. tools.py finds studylog (installed as a user installs it) and the peers;
2. blogs.py generates the posts (with generate.py) and builds the blogs of each size;
3. cases.py lists the command lines to time on each blog;
4. measure.py times them, group by group, side by side;
5. targets.py judges the figures and report.py writes bench/RESULTS.md (--quick:
   bench/.work/RESULTS-quick.md); the raw times go to bench/.work/ as JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass

import blogs
from cases import Site, cases_at
from measure import Case, measure
from report import Run, load, machine, report
from targets import targets
from tools import BENCH, ROOT, WORK, Tools, bench_env, find_tools, log

GROUPS = ("start-up", "read", "write", "publish")  # each group's cases are timed side by side


@dataclass(frozen=True)
class Plan:
    """The blog sizes and the timed runs at each."""

    sizes: tuple[int, int, int]  # realistic (a year of a course), the targets', the memory target's
    runs: tuple[int, int, int]

    @property
    def runs_at(self) -> dict[int, int]:
        """The timed runs at each size."""
        return dict(zip(self.sizes, self.runs, strict=True))


FULL = Plan(sizes=(300, 5000, 10000), runs=(25, 15, 9))
QUICK = Plan(sizes=(30, 100, 300), runs=(3, 3, 3))


def main() -> None:
    """Measure, judge, write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small blogs, 3 runs: a smoke test")
    quick = parser.parse_args().quick
    plan = QUICK if quick else FULL
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    info = machine()
    tools = find_tools()
    for name, version in tools.versions.items():
        log(f"{name}: {version}")
    env = bench_env()
    found = all_cases(tools, plan, env)
    for group in GROUPS:
        log(f"{group}: {', '.join(f'{r} runs at {n:,}' for n, r in plan.runs_at.items())}")
        measure([x for x in found if x.group == group], env)
    info["load average at end"] = load()
    minutes = (time.perf_counter() - started) / 60
    run = Run(found, plan.sizes, plan.runs_at, tools, info, minutes, quick)
    out = WORK / "RESULTS-quick.md" if quick else BENCH / "RESULTS.md"
    out.write_text(report(run), encoding="utf-8")
    raw = WORK / f"results{'-quick' if quick else ''}.json"
    raw.write_text(json.dumps(as_json(found), ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"wrote {out.relative_to(ROOT)} in {minutes:.1f} min")
    for target in targets(found, plan.sizes[1], plan.sizes[2]):
        log(f"  {target.verdict:<18.18} {target.what}")


def all_cases(tools: Tools, plan: Plan, env: dict[str, str]) -> list[Case]:
    """The cases at every size, on blogs built for them; the peers at all sizes but the last."""
    stamp = blogs.data_stamp()
    names = blogs.master_posts(plan.sizes[-1], stamp)
    found = []
    for size, runs in plan.runs_at.items():
        blog = blogs.jekyll_blog(names[:size], stamp, env)
        hugo = blogs.hugo_site(names[:size], stamp) if size != plan.sizes[-1] else None
        for case in cases_at(tools, Site(size, blog, hugo), env):
            case.runs = runs
            found.append(case)
    return found


def as_json(found: list[Case]) -> list[dict[str, object]]:
    """The raw figures of every case."""
    return [
        {
            "group": x.group,
            "label": x.label,
            "size": x.size,
            "argv": x.argv,
            "times": x.times,
            "peak_kb": x.peak_kb,
            "status": "" if x.ok else x.status,
        }
        for x in found
    ]


if __name__ == "__main__":
    main()

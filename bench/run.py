"""The benchmarks of issue 6: studylog next to Hugo, Jekyll and jrnl, measured side by side.

Run through `bash bench/run.sh [--quick]`, which installs what this needs. Writes bench/RESULTS.md
(full run) or bench/.work/RESULTS-quick.md (--quick), and the raw numbers as JSON in bench/.work/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
WORK = BENCH / ".work"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

SIZES = (1000, 5000, 10000)
TARGET_SIZE = 5000
MEMORY_SIZE = 10000
SEARCH_WORD = "앙상블"
HUGO_NEW = "posts/bench-new-post.md"
JEKYLL_TITLE = "bench new post"
PARTIAL_FIELDS = ("date", "topics", "discussion", "mentoring")
NOT_MERGED = {"list": "reader", "search": "reader"}  # where a missing command is built


# --- measuring ---


GNU_TIME = Path("/usr/bin/time")


@dataclass
class Case:
    """One command to time: a whole process, its argv; `before`/`after` run untimed around it."""

    label: str
    argv: list[str] | None
    missing: str = ""  # why it is not measured, when argv is None
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    before: Callable[[], str | None] | None = None  # may return the value of "{post}" in argv
    after: Callable[[], None] | None = None
    times: list[float] = field(default_factory=list)
    peak_kb: int = 0
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.argv is not None and not self.error and bool(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    @property
    def status(self) -> str:
        if self.argv is None:
            return self.missing
        return f"failed ({self.error})" if self.error else ""


def run_once(case: Case, env: dict[str, str], *, memory: bool = False) -> float | None:
    """One run: its wall time from spawn to exit, or None when it failed (`case.error` says why).

    `memory`: run it under GNU time for its peak RSS instead, as a child of this (large) Python
    process would count the pages it shares with us until it execs.
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
        _, status, _ = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            tail = Path(err.name).read_text("utf-8", "replace").strip().splitlines()[-2:]
            case.error = f"exit {proc.returncode}: {' / '.join(tail)[:300]}"
        elif memory:
            case.peak_kb = max(case.peak_kb, int(Path(rss.name).read_text().split()[-1]))
    if case.after:
        case.after()
    return None if case.error else elapsed


def measure(groups: dict[str, list[Case]], runs: int, env: dict[str, str]) -> None:
    """A warm-up run and a memory run each, then the timed runs round-robin over every case of
    every group (here: every blog size), so that a change of load hits all cases alike."""
    live = [c for cases in groups.values() for c in cases if c.argv is not None]
    for case in live:
        run_once(case, env)
        if GNU_TIME.exists() and not case.error:
            run_once(case, env, memory=True)
    for _ in range(runs):
        for case in live:
            if not case.error and (elapsed := run_once(case, env)) is not None:
                case.times.append(elapsed)
    for group, cases in groups.items():
        for case in cases:
            state = f"{case.median * 1000:8.1f} ms" if case.ok else case.status
            log(f"  {group:<14} {case.label:<40} {state[:90]}")


# --- the tools ---


@dataclass
class Tools:
    """What is installed: studylog as a user installs it, and the peers."""

    studylog: Path
    python: Path
    hugo: str | None
    jekyll: str | None
    jekyll_compose: str | None
    jrnl: Path | None
    versions: dict[str, str] = field(default_factory=dict)


def output(*argv: str | Path, **kwargs) -> str:  # type: ignore[no-untyped-def]
    """A command's stdout, stripped; '' when it fails."""
    try:
        result = subprocess.run(
            [str(a) for a in argv], capture_output=True, text=True, timeout=120, **kwargs
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def find_tools() -> Tools:
    venv = WORK / "studylog" / "bin"
    studylog, python = venv / "studylog", venv / "python"
    if not studylog.exists():  # run.py started by hand: fall back to the development install
        venv = ROOT / ".venv" / "bin"
        studylog, python = venv / "studylog", venv / "python"
    gems = Path("/usr/share/rubygems-integration/all/gems")
    compose = sorted(gems.glob("jekyll-compose-*")) if gems.is_dir() else []
    jrnl = WORK / "jrnl" / "bin" / "jrnl"
    tools = Tools(
        studylog=studylog,
        python=python,
        hugo=shutil.which("hugo"),
        jekyll=shutil.which("jekyll"),
        jekyll_compose=compose[-1].name.removeprefix("jekyll-compose-") if compose else None,
        jrnl=jrnl if jrnl.exists() else None,
    )
    tools.versions = versions(tools)
    return tools


def versions(tools: Tools) -> dict[str, str]:
    commit = output("git", "-C", ROOT, "rev-parse", "--short", "HEAD")
    dirty = output("git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no")
    metadata = "import importlib.metadata as m; print(m.version('typer'))"
    found = {
        "studylog": f"{output(tools.studylog, '--version')} (commit {commit}"
        + (", with uncommitted changes" if dirty else "")
        + f"; {'pip install ., not editable' if 'bench' in str(tools.studylog) else 'editable'})",
        "Python": output(tools.python, "-c", "import sys; print(sys.version.split()[0])"),
        "typer": output(tools.python, "-c", metadata),
        "git": output("git", "--version"),
    }
    if tools.hugo:
        found["hugo"] = output(tools.hugo, "version")
    if tools.jekyll:
        found["jekyll"] = output(tools.jekyll, "--version")
    if tools.jekyll_compose:
        found["jekyll-compose"] = tools.jekyll_compose
    if tools.jrnl:
        found["jrnl"] = output(tools.jrnl, "--version").splitlines()[0]
    return found


def studylog_has(tools: Tools, command: str) -> str | None:
    """The command's --help text, or None when this build has no such command."""
    result = subprocess.run(
        [tools.studylog, command, "--help"], capture_output=True, text=True, env=bench_env()
    )
    return result.stdout if result.returncode == 0 else None


def not_available(command: str) -> str:
    branch = NOT_MERGED.get(command)
    where = f" (being built on branch {branch})" if branch else ""
    return f"not available: this build has no `studylog {command}`{where}"


# --- the data ---


def bench_env() -> dict[str, str]:
    """Every tool isolated from the user's home, config and git identity."""
    home = WORK / "home"
    home.mkdir(parents=True, exist_ok=True)
    gitconfig = home / ".gitconfig"
    if not gitconfig.exists():
        gitconfig.write_text(
            "[user]\n\tname = Bench Student\n\temail = bench@example.com\n"
            "[init]\n\tdefaultBranch = main\n",
            encoding="utf-8",
        )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("STUDYLOG_", "GIT_", "COLUMNS"))
    }
    env.update(
        HOME=str(home),
        LC_ALL="C.UTF-8",
        NO_COLOR="1",
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        STUDYLOG_CONFIG=str(home / "config.toml"),  # absent: the defaults, the user's format
        STUDYLOG_CONFIG_DIR=str(home / "config"),
        STUDYLOG_DATA_DIR=str(home / "data"),
        STUDYLOG_STATE_DIR=str(home / "state"),
        STUDYLOG_CACHE_DIR=str(home / "cache"),
    )
    return env


def data_stamp() -> str:
    """Changes when the generated posts would: the generator, or what render makes of a sample
    of its entries (studylog's template, front matter, escaping)."""
    digest = hashlib.sha256((BENCH / "generate.py").read_bytes())
    dates = list(itertools.islice(generate.weekdays(), 100))
    for index in (0, 1, 17, 42, 99):
        digest.update(generate.post(index, dates[index]).encode("utf-8"))
    return digest.hexdigest()[:16]


def _write_chunk(args: tuple[Path, list[int], list[dt.date]]) -> int:
    folder, indexes, dates = args
    return generate.write_posts(folder, indexes, dates)


def master_posts(count: int, stamp: str) -> list[str]:
    """The first `count` generated posts in bench/data/posts (made once, in parallel)."""
    folder = DATA / "posts"
    stamp_file = DATA / "posts.stamp"
    if not stamp_file.exists() or stamp_file.read_text() != stamp:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    dates = list(itertools.islice(generate.weekdays(), count + 1000))
    names = [generate.file_name(i, dates[i]) for i in range(count)]
    present = set(os.listdir(folder))
    todo = [i for i in range(count) if names[i] not in present]
    if todo:
        log(f"generating {len(todo):,} posts into {folder.relative_to(ROOT)} ...")
        started = time.perf_counter()
        chunks = [todo[i : i + 250] for i in range(0, len(todo), 250)]
        with multiprocessing.Pool(os.cpu_count() or 1) as pool:
            total = sum(pool.imap_unordered(_write_chunk, [(folder, c, dates) for c in chunks]))
        log(f"  {total / len(todo) / 1024:.1f} KB a post, {time.perf_counter() - started:.0f} s")
    stamp_file.write_text(stamp)
    return names


def fresh(path: Path, stamp: str) -> bool:
    """Whether the derived directory `path` was built from the current posts."""
    stamp_file = path.with_name(path.name + ".stamp")
    return path.is_dir() and stamp_file.exists() and stamp_file.read_text() == stamp


def link_posts(names: list[str], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        os.link(DATA / "posts" / name, folder / name)


def jekyll_blog(names: list[str], stamp: str, env: dict[str, str]) -> Path:
    """bench/data/blog-N: a Jekyll site and git repository holding the first N posts."""
    root = DATA / f"blog-{len(names)}"
    if fresh(root, stamp):
        return root
    log(f"building {root.relative_to(ROOT)} (Jekyll site, git repository) ...")
    shutil.rmtree(root, ignore_errors=True)
    link_posts(names, root / "_posts")
    (root / "_config.yml").write_text("title: My study log\ntheme: minima\n", encoding="utf-8")
    git(root, env, "init", "-q")
    git(root, env, "add", "-A")
    git(root, env, "commit", "-q", "-m", f"{len(names)} posts")
    root.with_name(root.name + ".stamp").write_text(stamp)
    return root


def hugo_site(names: list[str], stamp: str) -> Path:
    """bench/data/hugo-N: a Hugo site whose content/posts holds the same markdown files."""
    root = DATA / f"hugo-{len(names)}"
    if fresh(root, stamp):
        return root
    shutil.rmtree(root, ignore_errors=True)
    link_posts(names, root / "content" / "posts")
    (root / "config.toml").write_text(
        "baseURL = 'https://example.org/'\nlanguageCode = 'ko-kr'\ntitle = 'My study log'\n",
        encoding="utf-8",
    )
    root.with_name(root.name + ".stamp").write_text(stamp)
    return root


def git(repo: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)


def publish_clone(blog: Path, env: dict[str, str]) -> Path:
    """A fresh clone of blog-N with a bare remote: what `publish` and plain git push to."""
    remote, clone = WORK / f"remote-{blog.name}.git", WORK / f"publish-{blog.name}"
    shutil.rmtree(remote, ignore_errors=True)
    shutil.rmtree(clone, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", "--bare", str(blog), str(remote)], check=True, env=env)
    subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True, env=env)
    return clone


def entry_files(count: int, dates: list[dt.date]) -> tuple[Path, Path, Path]:
    """The --from files of the next day's post after `count` posts: every field, and only
    date and content (day, title, moderator and participants from history); where it goes."""
    import yaml

    date = dates[count]
    data = generate.entry(count, date).to_dict()
    del data["front_matter"], data["extras"]
    full, partial = WORK / f"entry-{count}.yaml", WORK / f"entry-{count}-partial.yaml"
    for path, fields in ((full, data), (partial, {k: data[k] for k in PARTIAL_FIELDS})):
        text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return full, partial, Path("_posts") / generate.file_name(count, date)


# --- the cases ---


def startup_cases(tools: Tools) -> list[Case]:
    s = str(tools.studylog)
    jrnl = (
        Case("jrnl --version", [str(tools.jrnl), "--version"])
        if tools.jrnl
        else Case("jrnl --version", None, "missing: jrnl could not be installed from PyPI")
    )
    return [
        Case("python -c pass", [str(tools.python), "-c", "pass"]),
        Case("studylog --version", [s, "--version"]),
        Case("studylog --help", [s, "--help"]),
        Case("studylog new --help", [s, "new", "--help"]),
        jrnl,
    ]


def read_cases(tools: Tools, blog: Path, hugo: Path, n: int) -> list[Case]:
    s = str(tools.studylog)
    cold, warm = WORK / f"cache-cold-{n}", WORK / f"cache-warm-{n}"
    shutil.rmtree(warm, ignore_errors=True)
    warm.mkdir(parents=True)

    def empty_cache() -> None:
        shutil.rmtree(cold, ignore_errors=True)
        cold.mkdir(parents=True)
        return None

    has_list, has_search = studylog_has(tools, "list"), studylog_has(tools, "search")

    def studylog_case(label: str, argv: list[str], cache: Path, there: str | None) -> Case:
        if there is None:
            return Case(label, None, not_available(argv[0]))
        before = empty_cache if cache == cold else None
        env = {"STUDYLOG_CACHE_DIR": str(cache)}
        return Case(label, [s, *argv], cwd=blog, env=env, before=before)

    cases = [
        studylog_case("studylog list (cold: empty cache)", ["list"], cold, has_list),
        studylog_case("studylog list (warm cache)", ["list"], warm, has_list),
        studylog_case("studylog list --json (warm)", ["list", "--json"], warm, has_list),
        studylog_case(
            f"studylog search {SEARCH_WORD} (warm)", ["search", SEARCH_WORD], warm, has_search
        ),
    ]
    if tools.hugo:
        cases.append(Case("hugo list all", [tools.hugo, "list", "all"], cwd=hugo))
    else:
        cases.append(Case("hugo list all", None, "missing: hugo is not installed"))
    return cases


def write_cases(tools: Tools, blog: Path, hugo: Path, n: int, dates: list[dt.date]) -> list[Case]:
    full, partial, written = entry_files(n, dates)

    def remove() -> None:
        (blog / written).unlink(missing_ok=True)

    cases = [
        Case(
            f"studylog new --from {label} --yes",
            [str(tools.studylog), "new", "--from", str(entry), "--yes"],
            cwd=blog,
            before=remove,
            after=remove,
        )
        for label, entry in (("FILE", full), ("PARTIAL", partial))
    ]
    if tools.hugo:
        cases.append(
            Case(
                "hugo new",
                [tools.hugo, "new", HUGO_NEW],
                cwd=hugo,
                before=lambda: (hugo / "content" / HUGO_NEW).unlink(missing_ok=True),
                after=lambda: (hugo / "content" / HUGO_NEW).unlink(missing_ok=True),
            )
        )
    else:
        cases.append(Case("hugo new", None, "missing: hugo is not installed"))
    if tools.jekyll and tools.jekyll_compose:

        def remove_jekyll_post() -> None:
            for path in (blog / "_posts").glob(f"*-{JEKYLL_TITLE.replace(' ', '-')}.md"):
                path.unlink()

        cases.append(
            Case(
                "jekyll post",
                [tools.jekyll, "post", JEKYLL_TITLE],
                cwd=blog,
                before=remove_jekyll_post,
                after=remove_jekyll_post,
            )
        )
    else:
        what = "jekyll" if not tools.jekyll else "jekyll-compose (Debian ruby-jekyll-compose)"
        cases.append(Case("jekyll post", None, f"missing: {what} is not installed"))
    return cases


def publish_cases(
    tools: Tools, blog: Path, n: int, dates: list[dt.date], env: dict[str, str]
) -> list[Case]:
    help_text = studylog_has(tools, "publish")
    clone = publish_clone(blog, env)
    counter = itertools.count(n + 1)

    def new_post() -> str:
        index = next(counter)
        path = clone / "_posts" / generate.file_name(index, dates[index])
        path.write_text(generate.post(index, dates[index]), encoding="utf-8")
        return str(path)

    if help_text is None:
        publish = Case("studylog publish POST", None, not_available("publish"))
    else:
        yes = ["--yes"] if "--yes" in help_text else []
        argv = [str(tools.studylog), "publish", *yes, "{post}"]
        publish = Case("studylog publish POST", argv, cwd=clone, before=new_post)
    script = 'git add -- "$1" && git commit -q -m "Add $1" && git push -q'
    baseline = Case(
        "git add && git commit && git push",
        ["sh", "-c", script, "sh", "{post}"],
        cwd=clone,
        before=new_post,
    )
    return [publish, baseline]


# --- targets ---


@dataclass
class Target:
    what: str
    measured: str
    limit: str
    verdict: str  # PASS, FAIL or n/a: why


def find(results: dict[str, list[Case]], group: str, label: str) -> Case | None:
    return next((c for c in results.get(group, []) if c.label.startswith(label)), None)


def ratio_target(what: str, case: Case | None, peer: Case | None, limit: float) -> Target:
    for c in (case, peer):
        if c is None:
            return Target(what, "", f"≤ {limit}×", "n/a: not measured in this run")
        if not c.ok:
            return Target(what, "", f"≤ {limit}×", f"n/a: {c.label}: {c.status}")
    assert case is not None and peer is not None
    ratio = case.median / peer.median
    measured = f"{ratio:.2f}× ({ms(case.median)} / {ms(peer.median)})"
    return Target(what, measured, f"≤ {limit}×", "PASS" if ratio <= limit else "FAIL")


def target_size(sizes: tuple[int, ...]) -> int:
    """5,000 posts, or the largest blog of a --quick run."""
    return TARGET_SIZE if TARGET_SIZE in sizes else max(sizes)


def targets(results: dict[str, list[Case]], sizes: tuple[int, ...]) -> list[Target]:
    n = target_size(sizes)
    read, write, pub = (f"{kind}-{n}" for kind in ("read", "write", "publish"))
    hugo_list = find(results, read, "hugo list all")
    jrnl = find(results, "startup", "jrnl --version")
    found = [
        ratio_target(
            "`studylog list` cold ≤ 0.5× `hugo list all`",
            find(results, read, "studylog list (cold"),
            hugo_list,
            0.5,
        ),
        ratio_target(
            "`studylog list` warm ≤ 0.15× `hugo list all`",
            find(results, read, "studylog list (warm"),
            hugo_list,
            0.15,
        ),
        ratio_target(
            "`studylog new --from FILE --yes` ≤ 2× `hugo new`",
            find(results, write, "studylog new --from FILE"),
            find(results, write, "hugo new"),
            2,
        ),
    ]
    for command in ("studylog --version", "studylog --help", "studylog new --help"):
        found.append(
            ratio_target(
                f"`{command}` ≤ 0.5× `jrnl --version`",
                find(results, "startup", command),
                jrnl,
                0.5,
            )
        )
    found.append(
        ratio_target(
            "`studylog publish` ≤ 1.3× `git add && git commit && git push`",
            find(results, pub, "studylog publish"),
            find(results, pub, "git add"),
            1.3,
        )
    )
    found.append(memory_target(results, sizes))
    found += linear_targets(results, sizes)
    return found


def memory_target(results: dict[str, list[Case]], sizes: tuple[int, ...]) -> Target:
    what = f"`studylog list` peak memory ≤ 100 MB at {MEMORY_SIZE:,} posts"
    if MEMORY_SIZE not in sizes:
        return Target(what, "", "≤ 100 MB", f"n/a: no {MEMORY_SIZE:,}-post blog in this run")
    cases = [c for c in results[f"read-{MEMORY_SIZE}"] if c.label.startswith("studylog list")]
    measured = [c for c in cases if c.ok and c.peak_kb]
    if not measured:
        why = cases[0].status or f"{GNU_TIME} is missing"
        return Target(what, "", "≤ 100 MB", f"n/a: {why}")
    peak = max(c.peak_mb for c in measured)
    return Target(what, f"{peak:.0f} MB", "≤ 100 MB", "PASS" if peak <= 100 else "FAIL")


def linear_targets(results: dict[str, list[Case]], sizes: tuple[int, ...]) -> list[Target]:
    """Time at 10,000 posts ≤ 1.25× the straight line through 1,000 and 5,000 (noise margin)."""
    found = []
    labels = [
        ("read", "studylog list (cold", "`studylog list` (cold)"),
        ("read", "studylog list (warm", "`studylog list` (warm)"),
        ("read", "studylog search", "`studylog search`"),
        ("write", "studylog new --from FILE", "`studylog new --from FILE`"),
        ("write", "studylog new --from PARTIAL", "`studylog new --from PARTIAL`"),
        ("publish", "studylog publish", "`studylog publish`"),
    ]
    for group, label, name in labels:
        what = f"{name} time grows linearly with posts"
        if set(SIZES) - set(sizes):
            found.append(Target(what, "", "", "n/a: needs 1,000, 5,000 and 10,000 posts"))
            continue
        cases = [find(results, f"{group}-{n}", label) for n in SIZES]
        bad = next((c for c in cases if c is None or not c.ok), None)
        if bad is not None or None in cases:
            found.append(Target(what, "", "", f"n/a: {bad.status if bad else 'not measured'}"))
            continue
        t1, t5, t10 = (c.median for c in cases if c is not None)
        line = t5 + (t5 - t1) * (10000 - 5000) / (5000 - 1000)
        limit = 1.25 * max(line, t5)
        measured = f"{ms(t1)} → {ms(t5)} → {ms(t10)}"
        found.append(
            Target(what, measured, f"≤ {ms(limit)} at 10k", "PASS" if t10 <= limit else "FAIL")
        )
    return found


# --- the report ---


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if "MemTotal" in line
        ),
        "0",
    )
    debian = Path("/etc/debian_version")
    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{int(mem) / 1024 / 1024:.0f} GiB",
        "system": f"Linux {platform.release()}"
        + (f", Debian {debian.read_text().strip()}" if debian.exists() else ""),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def table(cases: list[Case], peers: dict[str, Case | None]) -> list[str]:
    """A Markdown table: median, min, peak memory and the ratio to the named peers."""
    head = "| command | median | min | peak RSS | runs | " + " | ".join(
        f"× {name}" for name in peers
    )
    lines = [head + " |", "|" + "---|" * (5 + len(peers))]
    for case in cases:
        if not case.ok:
            lines.append(f"| {case.label} | {case.status} |" + " |" * (3 + len(peers)))
            continue
        ratios = [
            f"{case.median / peer.median:.2f}×" if peer is not None and peer.ok else "—"
            for peer in peers.values()
        ]
        lines.append(
            f"| {case.label} | {ms(case.median)} | {ms(min(case.times))} | "
            f"{f'{case.peak_mb:.0f} MB' if case.peak_kb else '—'} | {len(case.times)} | "
            + " | ".join(ratios)
            + " |"
        )
    return lines


def report(
    results: dict[str, list[Case]],
    sizes: tuple[int, ...],
    tools: Tools,
    info: dict[str, str],
    runs: dict[str, int],
    took: float,
    quick: bool,
) -> str:
    found = targets(results, sizes)
    passed = sum(t.verdict == "PASS" for t in found)
    failed = sum(t.verdict == "FAIL" for t in found)
    out = [
        "# Benchmark results",
        "",
        f"Written by `bash bench/run.sh{' --quick' if quick else ''}` on "
        f"{dt.datetime.now():%Y-%m-%d %H:%M} (the run took {took / 60:.1f} min); rerun it "
        "rather than edit this file. How it measures: README, section Benchmarks.",
        "",
        f"**{passed} targets pass, {failed} fail, {len(found) - passed - failed} not measurable "
        "in this build.**",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        "## Versions",
        "",
        *[f"- {k}: {v}" for k, v in tools.versions.items()],
        *[
            f"- {name}: missing"
            for name in ("hugo", "jekyll", "jekyll-compose", "jrnl")
            if name not in tools.versions
        ],
        "",
        "## Method",
        "",
        f"- Whole processes, stdin and stdout on /dev/null; wall time from spawn to exit; "
        f"{runs['startup']} runs (start-up) and {runs['sizes']} runs (the rest) after one "
        "warm-up run; the commands of a group (start-up; reading, writing and publishing, each "
        "at every blog size) run in turn, run by run, so that a change of load on the machine "
        "hits all of them alike; the median (and the fastest run) is reported.",
        "- Peak RSS: GNU time's `%M` for one extra run (the process and the children it waited "
        "for; time's own ~2 MB included).",
        f"- Blogs: posts generated by `bench/generate.py` (seed {generate.SEED}) and rendered by "
        "studylog's own template: the user's format, Korean text, 4-7 Q&As, nested mentoring "
        "lists, ~5 KB a post. `bench/data/blog-N` is a Jekyll site and git repository; "
        "`bench/data/hugo-N` a Hugo site whose `content/posts` holds the same files.",
        "- `list` cold: an empty `STUDYLOG_CACHE_DIR` before every run; warm: the cache the "
        "previous run left. `new --from FILE`: the next day's entry as YAML, every field; "
        "`--from PARTIAL`: only date, topics, Q&As and mentoring, so day, title, moderator and "
        "participants come from the blog's history (studylog's post index, warm after the "
        "warm-up run). The post is removed "
        "after each run (so are `hugo new`'s and `jekyll post`'s).",
        "- `publish`: a new post each run into a fresh clone of blog-N whose remote is a bare "
        "repository; the baseline is `git add POST && git commit -q -m MSG && git push -q` "
        "(through `sh -c`) in the same clone.",
        "- Every tool runs with HOME, studylog's directories and the git config in "
        "`bench/.work/home`; COLUMNS unset.",
        "",
        "## Targets",
        "",
        f"At {target_size(sizes):,} posts unless the row says otherwise"
        + (" (--quick: the targets are set for 5,000)" if target_size(sizes) != TARGET_SIZE else "")
        + "; ratios are of medians measured in this run.",
        "",
        "| target | measured | limit | result |",
        "|---|---|---|---|",
        *[f"| {t.what} | {t.measured} | {t.limit} | {t.verdict} |" for t in found],
        "",
        "## Start-up",
        "",
        *table(
            results["startup"],
            {
                "jrnl --version": find(results, "startup", "jrnl --version"),
                "python -c pass": find(results, "startup", "python -c pass"),
            },
        ),
    ]
    for n in sizes:
        out += ["", f"## {n:,} posts", ""]
        out += table(
            results[f"read-{n}"], {"hugo list all": find(results, f"read-{n}", "hugo list all")}
        )
        out += [""]
        out += table(
            results[f"write-{n}"],
            {
                "hugo new": find(results, f"write-{n}", "hugo new"),
                "jekyll post": find(results, f"write-{n}", "jekyll post"),
            },
        )
        out += [""]
        out += table(
            results[f"publish-{n}"],
            {"git add/commit/push": find(results, f"publish-{n}", "git add")},
        )
    return "\n".join(out) + "\n"


def raw(results: dict[str, list[Case]]) -> dict[str, object]:
    return {
        group: [
            {
                "label": c.label,
                "argv": c.argv,
                "times": c.times,
                "peak_kb": c.peak_kb,
                "status": c.status,
            }
            for c in cases
        ]
        for group, cases in results.items()
    }


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 posts, 3 runs: a smoke test")
    parser.add_argument("--runs", type=int, help="runs per blog size (default 10; quick 3)")
    parser.add_argument("--out", type=Path, help="the report (default bench/RESULTS.md)")
    args = parser.parse_args()
    started = time.perf_counter()
    sizes = (1000,) if args.quick else SIZES
    runs = {"startup": 5 if args.quick else 20, "sizes": args.runs or (3 if args.quick else 10)}
    out = (
        args.out or (WORK / "RESULTS-quick.md" if args.quick else BENCH / "RESULTS.md")
    ).resolve()
    WORK.mkdir(parents=True, exist_ok=True)
    info = machine()
    tools = find_tools()
    env = bench_env()
    for name, version in tools.versions.items():
        log(f"{name}: {version}")

    stamp = data_stamp()
    names = master_posts(max(sizes), stamp)
    dates = list(itertools.islice(generate.weekdays(), max(sizes) + 1000))

    results: dict[str, list[Case]] = {"startup": startup_cases(tools)}
    log(f"start-up, {runs['startup']} runs")
    measure({"startup": results["startup"]}, runs["startup"], env)
    for n in sizes:
        blog, hugo = jekyll_blog(names[:n], stamp, env), hugo_site(names[:n], stamp)
        results[f"read-{n}"] = read_cases(tools, blog, hugo, n)
        results[f"write-{n}"] = write_cases(tools, blog, hugo, n, dates)
        results[f"publish-{n}"] = publish_cases(tools, blog, n, dates, env)
    for kind in ("read", "write", "publish"):
        log(f"{kind}: {', '.join(f'{n:,}' for n in sizes)} posts, {runs['sizes']} runs")
        measure({f"{kind}-{n}": results[f"{kind}-{n}"] for n in sizes}, runs["sizes"], env)

    took = time.perf_counter() - started
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out.write_text(report(results, sizes, tools, info, runs, took, args.quick), encoding="utf-8")
    (WORK / f"results{'-quick' if args.quick else ''}.json").write_text(
        json.dumps(raw(results), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    log(f"wrote {out.relative_to(ROOT)} in {took / 60:.1f} min")
    for target in targets(results, sizes):
        log(f"  {target.verdict:<5.5} {target.what}: {target.measured}")


if __name__ == "__main__":
    main()

"""What the benchmark runs with: its folders, the installed tools and their isolated environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"  # generated posts and blogs, reused while they stay the same
WORK = BENCH / ".work"  # installs, caches, clones, raw results, the --quick report
GEMS = Path("/usr/share/rubygems-integration/all/gems")  # where Debian puts jekyll-compose


def log(message: str) -> None:
    """A progress line on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Tools:
    """What is installed: studylog as a user installs it, and the peers (None: missing)."""

    studylog: Path
    python: Path  # the interpreter of studylog's environment, for `python -c pass`
    hugo: str | None
    jekyll: str | None  # with jekyll-compose, for `jekyll post`
    jrnl: Path | None
    versions: dict[str, str] = field(default_factory=dict)


def output(*argv: str | Path) -> str:
    """A command's stdout, stripped; '' when it fails."""
    try:
        result = subprocess.run(
            [str(a) for a in argv], capture_output=True, text=True, timeout=120, env=bench_env()
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def find_tools() -> Tools:
    """The tools bench/run.sh installed, with their versions."""
    venv = WORK / "studylog" / "bin"
    if not (venv / "studylog").exists():  # run.py started by hand: the development install
        venv = ROOT / ".venv" / "bin"
    compose = sorted(GEMS.glob("jekyll-compose-*")) if GEMS.is_dir() else []
    jekyll = shutil.which("jekyll")
    jrnl = WORK / "jrnl" / "bin" / "jrnl"
    tools = Tools(
        studylog=venv / "studylog",
        python=venv / "python",
        hugo=shutil.which("hugo"),
        jekyll=jekyll if jekyll and compose else None,
        jrnl=jrnl if jrnl.exists() else None,
    )
    return replace(tools, versions=versions(tools, compose[-1].name if compose else ""))


def versions(tools: Tools, compose: str) -> dict[str, str]:
    """The version of each tool, and studylog's commit."""
    commit = output("git", "-C", ROOT, "rev-parse", "--short", "HEAD")
    dirty = output("git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no")
    install = "pip install ., not editable" if WORK in tools.studylog.parents else "editable"
    return {
        "studylog": f"{output(tools.studylog, '--version')} (commit {commit}"
        + (", with uncommitted changes" if dirty else "")
        + f"; {install})",
        "Python": output(tools.python, "-c", "import sys; print(sys.version.split()[0])"),
        "typer": output(
            tools.python, "-c", "import importlib.metadata as m; print(m.version('typer'))"
        ),
        "git": output("git", "--version"),
        "hugo": output(tools.hugo, "version") if tools.hugo else "missing",
        "jekyll": f"{output(tools.jekyll, '--version')}, {compose}" if tools.jekyll else "missing",
        "jrnl": output(tools.jrnl, "--version").partition("\n")[0] if tools.jrnl else "missing",
    }


def bench_env() -> dict[str, str]:
    """Every tool isolated from the user's home, config and git identity: all in WORK/home."""
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

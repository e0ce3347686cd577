"""What publishing needs to know about a git repository, each a query through `run.git`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from studylog.errors import VcsError
from studylog.git.run import git

IDENTITY = r"(user|author|committer)\.(name|email)"
IN_PROGRESS = (  # (file in the git dir, what, the command that continues or aborts it)
    ("rebase-merge", "a rebase", "rebase"),
    ("rebase-apply", "a rebase (or git am)", "rebase"),
    ("MERGE_HEAD", "a merge", "merge"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "cherry-pick"),
    ("REVERT_HEAD", "a revert", "revert"),
)


@dataclass(frozen=True, slots=True)
class Status:
    """One `git status` entry: XY code, path (repo-relative) and, for a rename, the old path."""

    code: str
    path: str
    old: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One `git status --porcelain=v2 --branch` of some paths: the branch, how far HEAD is ahead
    of the upstream, and the entries."""

    branch: str | None  # None: HEAD is detached
    upstream: str | None  # its short name ("origin/main"), as git status gives it
    ahead: int | None  # commits HEAD has that the upstream lacks; None: no upstream ref
    entries: tuple[Status, ...]


def init(path: Path) -> Path:
    """Make the folder a git repository, unless it is one already (`git init`)."""
    if not (path / ".git").exists():
        git(path, "init", "-q")
    return path


def literal(paths: list[str] | tuple[str, ...]) -> list[str]:
    """Pathspecs that match exactly these paths (no globbing of `[`, `*`, `?`)."""
    return [f":(literal){p}" for p in paths]


def locate(path: Path) -> tuple[Path, Path]:
    """The root of the worktree holding `path` and its git directory; VcsError when it is not
    in a git repository."""
    result = git(path, "rev-parse", "--show-toplevel", "--absolute-git-dir", check=False)
    lines = result.stdout.rstrip("\n").split("\n")
    if result.returncode == 0 and len(lines) == 2:
        return Path(lines[0]), Path(lines[1])
    if "not a git repository" in result.stderr:
        raise VcsError(
            f"{path} is not a git repository: clone your blog with `git clone URL` "
            f"or run `git -C {path} init`, then publish again"
        )
    raise VcsError(f"cannot use the git repository at {path}: {result.stderr.strip()}")


def operation_in_progress(repo: Path, gdir: Path) -> str | None:
    """A one-line explanation when a merge, rebase, cherry-pick or revert is under way."""
    for name, what, command in IN_PROGRESS:
        if (gdir / name).exists():
            finish = "git commit" if command == "merge" else f"git {command} --continue"
            return (
                f"{what} is in progress in {repo}: finish it (`{finish}`) "
                f"or abort it (`git {command} --abort`) first"
            )
    return None


def current_branch(repo: Path) -> str | None:
    """The checked-out branch's short name; None when HEAD is detached."""
    result = git(repo, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    return result.stdout.strip() or None


def head(repo: Path) -> str | None:
    """HEAD's commit id; None on a branch with no commits yet."""
    result = git(repo, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False)
    return result.stdout.strip() or None


def publish_config(repo: Path) -> dict[str, str]:
    """The identity settings and each branch's `remote` and `merge` (the last of a key wins)."""
    pattern = rf"^({IDENTITY}|branch\..*\.(remote|merge))$"
    out = git(repo, "config", "-z", "--get-regexp", pattern, check=False).stdout
    found: dict[str, str] = {}
    for item in out.split("\0"):
        key, _, value = item.partition("\n")
        if key:
            found[key] = value
    return found


def missing_identity(found: dict[str, str]) -> list[str]:
    """The identity settings git would lack for a commit: user.name and/or user.email.

    `found`: the settings as `publish_config` read them."""
    keys = {key.lower() for key in found if not key.startswith("branch.")}
    missing = []
    for what in ("name", "email"):
        for role in ("author", "committer"):
            env = os.environ.get(f"GIT_{role.upper()}_{what.upper()}")
            env = env or (os.environ.get("EMAIL") if what == "email" else None)
            if not (env or {f"{role}.{what}", f"user.{what}"} & keys):
                missing.append(f"user.{what}")
                break
    return missing


def status(repo: Path, pathspecs: list[str]) -> tuple[Status, ...]:
    """`git status` of the paths (untracked files listed one by one)."""
    return snapshot(repo, pathspecs).entries


def snapshot(repo: Path, pathspecs: list[str], *, ignored: bool = False) -> Snapshot:
    """The branch, upstream and `git status` of the paths (untracked files one by one;
    `ignored`: ignored files too, as entries `!!`). Takes no lock: it only reads."""
    out = git(
        repo,
        *("--no-optional-locks", "status", "--porcelain=v2", "--branch", "-z"),
        *("--untracked-files=all", *(["--ignored=matching"] if ignored else []), "--"),
        *pathspecs,
    ).stdout
    return parse_snapshot(out)


def parse_snapshot(out: str) -> Snapshot:
    """The `Snapshot` that `git status --porcelain=v2 --branch -z` printed (paths repo-relative)."""
    info: dict[str, str] = {}
    entries: list[Status] = []
    fields = iter(out.split("\0"))
    for field in fields:
        kind = field[:1]
        if kind == "#":
            key, _, value = field[2:].partition(" ")
            info[key] = value
        elif kind in ("?", "!"):
            entries.append(Status(kind * 2, field[2:]))
        elif kind in ("1", "2", "u"):
            parts = field.split(" ", {"1": 8, "2": 9, "u": 10}[kind])
            old = next(fields) if kind == "2" else None  # a rename's old path is the next field
            entries.append(Status(parts[1].replace(".", " "), parts[-1], old))
    name = info.get("branch.head")
    ahead = info.get("branch.ab", "").split(" ")[0]
    return Snapshot(
        branch=None if name in (None, "(detached)") else name,
        upstream=info.get("branch.upstream"),
        ahead=int(ahead) if ahead[1:].isdigit() else None,
        entries=tuple(entries),
    )


def in_head(repo: Path, paths: list[str]) -> set[str]:
    """Those of the paths that exist in HEAD's tree (none before the first commit)."""
    if not paths:
        return set()
    query = "".join(f"HEAD:{p}\n" for p in paths)
    out = git(repo, "cat-file", "--batch-check=%(objecttype)", input=query).stdout
    return {p for p, line in zip(paths, out.splitlines(), strict=True) if line == "blob"}


def in_index(repo: Path, paths: list[str]) -> list[str]:
    """Those of the paths that the index has."""
    if not paths:
        return []
    out = git(repo, "ls-files", "-z", "--", *literal(paths)).stdout
    return [p for p in out.split("\0") if p]


def index_entries(repo: Path, paths: list[str]) -> str:
    """The index's entries for the paths, as `git update-index -z --index-info` reads them."""
    if not paths:
        return ""
    return git(repo, "ls-files", "-s", "-z", "--", *literal(paths)).stdout


def restore_index(repo: Path, paths: list[str], saved: str) -> None:
    """Put the index entries of the paths back as `index_entries` saw them (drop new ones)."""
    kept = {entry.split("\t", 1)[1] for entry in saved.split("\0") if "\t" in entry}
    added = [p for p in paths if p not in kept]
    if added:
        git(repo, "update-index", "--force-remove", "-z", "--stdin", input="\0".join(added) + "\0")
    if saved:
        git(repo, "update-index", "-z", "--index-info", input=saved)


def unpushed(repo: Path, tracking: str | None) -> int:
    """Commits of HEAD that `tracking` lacks (without it: that no remote-tracking branch has)."""
    if head(repo) is None:
        return 0
    known = tracking and git(repo, "rev-parse", "-q", "--verify", tracking, check=False).stdout
    since = [f"{tracking}..HEAD"] if known else ["HEAD", "--not", "--remotes"]
    return int(git(repo, "rev-list", "--count", *since).stdout.strip())


def remotes(repo: Path) -> list[str]:
    """The configured remotes' names."""
    return git(repo, "remote").stdout.split()


def record_rename(old: Path, new: Path) -> bool:
    """Stage a post's move like `git mv` when git tracks the old name; False when it does not."""
    try:
        repo, _ = locate(new.parent)
    except VcsError:
        return False  # not a git repository: the files alone are the truth
    old_rel = old.resolve().relative_to(repo).as_posix()
    new_rel = new.resolve().relative_to(repo).as_posix()
    if not in_index(repo, [old_rel]):
        return False
    git(repo, "rm", "--cached", "--quiet", "--", *literal([old_rel]))
    git(repo, "add", "--", *literal([new_rel]))
    return True

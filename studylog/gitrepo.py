"""What publishing needs to know about a git repository, each a query through `vcs.git`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from studylog.errors import VcsError
from studylog.vcs import git

IN_PROGRESS = (  # (file in the git dir, what, the command that continues or aborts it)
    ("rebase-merge", "a rebase", "rebase"),
    ("rebase-apply", "a rebase (or git am)", "rebase"),
    ("MERGE_HEAD", "a merge", "merge"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "cherry-pick"),
    ("REVERT_HEAD", "a revert", "revert"),
)


@dataclass(frozen=True)
class Status:
    """One `git status` entry: XY code, path (repo-relative) and, for a rename, the old path."""

    code: str
    path: str
    old: str | None = None


def literal(paths: list[str] | tuple[str, ...]) -> list[str]:
    """Pathspecs that match exactly these paths (no globbing of `[`, `*`, `?`)."""
    return [f":(literal){p}" for p in paths]


def toplevel(path: Path) -> Path:
    """The root of the worktree holding `path`; VcsError when it is not in a git repository."""
    result = git(path, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        if "not a git repository" in result.stderr:
            raise VcsError(
                f"{path} is not a git repository: clone your blog with `git clone URL` "
                f"or run `git -C {path} init`, then publish again"
            )
        raise VcsError(f"cannot use the git repository at {path}: {result.stderr.strip()}")
    return Path(result.stdout.rstrip("\n"))


def absolute_git_dir(repo: Path) -> Path:
    """This worktree's git directory."""
    return Path(git(repo, "rev-parse", "--absolute-git-dir").stdout.rstrip("\n"))


def operation_in_progress(repo: Path) -> str | None:
    """A one-line explanation when a merge, rebase, cherry-pick or revert is under way."""
    gdir = absolute_git_dir(repo)
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


def config(repo: Path, key: str) -> str:
    """A git config value ('' when unset)."""
    return git(repo, "config", "--get", key, check=False).stdout.strip()


def missing_identity(repo: Path) -> list[str]:
    """The identity settings git would lack for a commit: user.name and/or user.email."""
    found = git(
        repo, "config", "--get-regexp", r"^(user|author|committer)\.(name|email)$", check=False
    ).stdout
    keys = {line.split(" ", 1)[0].lower() for line in found.splitlines() if " " in line}
    missing = []
    for what in ("name", "email"):
        for role in ("author", "committer"):
            env = os.environ.get(f"GIT_{role.upper()}_{what.upper()}")
            env = env or (os.environ.get("EMAIL") if what == "email" else None)
            if not (env or {f"{role}.{what}", f"user.{what}"} & keys):
                missing.append(f"user.{what}")
                break
    return missing


def status(repo: Path, pathspecs: list[str]) -> list[Status]:
    """`git status` of the paths (untracked files listed one by one), parsed from `-z` output."""
    out = git(
        repo,
        "--no-optional-locks",
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        *pathspecs,
    ).stdout
    fields = out.split("\0")
    entries: list[Status] = []
    i = 0
    while i < len(fields) and fields[i]:
        code, path = fields[i][:2], fields[i][3:]
        old = None
        if code[0] in "RC":  # a rename's old path is the next field
            i += 1
            old = fields[i]
        entries.append(Status(code, path, old))
        i += 1
    return entries


def in_head(repo: Path, paths: list[str]) -> set[str]:
    """Those of the paths that exist in HEAD's tree."""
    if not paths or head(repo) is None:
        return set()
    query = "".join(f"HEAD:{p}\n" for p in paths)
    out = git(repo, "cat-file", "--batch-check=%(objecttype)", input=query).stdout
    return {p for p, line in zip(paths, out.splitlines(), strict=True) if line == "blob"}


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
        repo = toplevel(new.parent)
    except VcsError:
        return False  # not a git repository: the files alone are the truth
    old_rel, new_rel = old.resolve().relative_to(repo), new.resolve().relative_to(repo)
    tracked = git(repo, "ls-files", "--", *literal([str(old_rel)])).stdout.strip()
    if not tracked:
        return False
    git(repo, "rm", "--cached", "--quiet", "--", *literal([str(old_rel)]))
    git(repo, "add", "--", *literal([str(new_rel)]))
    return True

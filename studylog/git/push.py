"""Pushing the blog's branch without ever forcing: on rejection fetch, rebase, try again."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from studylog.errors import VcsError
from studylog.git import repo as gitrepo
from studylog.git.run import NETWORK_TIMEOUT, Completed, GitTimeout, git, timeout_for, what_git_said

ATTEMPTS = 8
BACKOFF = (0.05, 0.4)  # seconds, times the attempt number: a team publishing at once spreads out
RETRYABLE = ("fetch first", "non-fast-forward", "cannot lock ref", "failed to update ref")
NEEDS_CREDENTIALS = (
    "terminal prompts disabled",
    "could not read username",
    "could not read password",
    "authentication failed",
    "permission denied (publickey",
    "host key verification failed",
)


@dataclass(frozen=True, slots=True)
class Target:
    """Where the branch is pushed: a remote and the branch on it."""

    remote: str
    branch: str

    @property
    def tracking(self) -> str:
        """The remote-tracking ref that mirrors the target."""
        return f"refs/remotes/{self.remote}/{self.branch}"

    def __str__(self) -> str:
        return f"{self.remote}/{self.branch}"


@dataclass(frozen=True, slots=True)
class Pushed:
    """The outcome of a push: the commit now on the remote, and how many rebases it took."""

    target: Target
    commit: str
    rebased: int = 0
    up_to_date: bool = False


def target(
    repo: Path, branch: str, found: dict[str, str], remote: str = "", remote_branch: str = ""
) -> tuple[Target | None, str]:
    """The configured (else upstream) remote and branch; or None and how to set one up.

    `found`: the branch settings as `gitrepo.publish_config` read them."""
    remote = remote or found.get(f"branch.{branch}.remote", "")
    upstream = found.get(f"branch.{branch}.merge", "").removeprefix("refs/heads/")
    remote_branch = remote_branch or upstream or (branch if remote else "")
    if remote and remote_branch:
        return Target(remote, remote_branch), ""
    names = gitrepo.remotes(repo)
    if not names:
        return None, (
            f"{repo} has no remote to push to: add your GitHub repository and push once with "
            f"`git -C {repo} remote add origin URL && git -C {repo} push -u origin {branch}`"
        )
    name = remote or ("origin" if "origin" in names else names[0])
    return None, (
        f"the branch {branch} has no upstream to push to: push once with "
        f"`git -C {repo} push -u {name} {branch}` (or set `remote` and `branch` in the config)"
    )


def push(repo: Path, branch: str, where: Target, *, attempts: int = ATTEMPTS) -> Pushed:
    """Push the branch; when the remote moved, rebase onto it and retry (bounded), never force."""
    rebased = 0
    for attempt in range(1, attempts + 1):
        result = _push_once(repo, branch, where)
        if result.returncode == 0:
            up_to_date = "[up to date]" in result.stdout and not rebased
            return Pushed(where, _head(repo), rebased, up_to_date)
        if not _retryable(result):
            raise VcsError(_explain(result, repo, where))
        if attempt < attempts:
            time.sleep(random.uniform(*BACKOFF) * attempt)
            rebased += _catch_up(repo, branch, where)
    raise VcsError(
        f"{where} kept moving while publishing ({attempts} attempts): your commit is kept; "
        "run `studylog publish` again to push it"
    )


def _push_once(repo: Path, branch: str, where: Target) -> Completed:
    spec = f"refs/heads/{branch}:refs/heads/{where.branch}"
    try:
        return git(repo, "push", "--porcelain", where.remote, spec, timeout=_net(), check=False)
    except GitTimeout:
        raise GitTimeout(
            f"git push did not finish within {_net():g}s and was stopped (the remote did not "
            f"answer): your commit is kept, run `studylog publish` again to push it"
        ) from None


def _retryable(result: Completed) -> bool:
    text = (result.stdout + result.stderr).lower()
    return "rejected]" in text and any(reason in text for reason in RETRYABLE)


def _explain(result: Completed, repo: Path, where: Target) -> str:
    text = (result.stdout + result.stderr).lower()
    if any(sign in text for sign in NEEDS_CREDENTIALS):
        return (
            f"pushing to {where} needs credentials that git cannot ask for here: set up a "
            f"credential helper or an SSH key and check with `git -C {repo} push`; "
            "your commit is kept, run `studylog publish` again to push it"
        )
    rejected = [line.split("\t")[-1] for line in result.stdout.splitlines() if line[:1] == "!"]
    reason = rejected[0] if rejected else what_git_said(result)
    return (
        f"pushing to {where} failed: {reason}; your commit is kept, "
        "run `studylog publish` again to push it"
    )


def _head(repo: Path) -> str:
    return gitrepo.head(repo) or ""


def _catch_up(repo: Path, branch: str, where: Target) -> int:
    """Fetch the target and rebase the local commits onto it; 1 when a rebase was needed."""
    git(repo, "fetch", "-q", where.remote, f"refs/heads/{where.branch}", timeout=_net())
    upstream = git(repo, "rev-parse", "FETCH_HEAD^{commit}").stdout.strip()
    local = _head(repo)
    if _is_ancestor(repo, upstream, local):
        return 0  # the remote only refused a ref lock: nothing to rebase
    if git(repo, "merge-base", local, upstream, check=False).returncode != 0:
        raise VcsError(
            f"{where} has no history in common with your {branch} (a new repository with its "
            f"own first commit?): nothing was pushed and your commits are kept; merge them "
            f"yourself (`git -C {repo} pull --allow-unrelated-histories`), then publish again"
        )
    rebased = _rebase_elsewhere(repo, local, upstream, where)
    _move_branch(repo, branch, local, rebased)
    return 1


def _net() -> float:
    return timeout_for(NETWORK_TIMEOUT)


def _is_ancestor(repo: Path, older: str, newer: str) -> bool:
    result = git(repo, "merge-base", "--is-ancestor", older, newer, check=False)
    return result.returncode == 0


def _rebase_elsewhere(repo: Path, local: str, upstream: str, where: Target) -> str:
    """Rebase in a temporary worktree, so that the user's checkout and index stay as they are."""
    folder = Path(tempfile.mkdtemp(prefix="studylog-rebase-"))
    try:
        git(repo, "worktree", "add", "-q", "--detach", str(folder), local)
        result = git(folder, "-c", "rebase.updateRefs=false", "rebase", "-q", upstream, check=False)
        if result.returncode != 0:
            conflicts = git(folder, "diff", "--name-only", "--diff-filter=U", "-z").stdout
            git(folder, "rebase", "--abort", check=False)
            raise VcsError(_conflict(repo, local, where, conflicts.split("\0"), result))
        return git(folder, "rev-parse", "HEAD").stdout.strip()
    finally:
        git(repo, "worktree", "remove", "--force", str(folder), check=False)
        shutil.rmtree(folder, ignore_errors=True)
        git(repo, "worktree", "prune", check=False)


def _conflict(repo: Path, local: str, where: Target, files: list[str], result: Completed) -> str:
    names = ", ".join(f for f in files if f)
    what = (
        f"changed {names} too" if names else f"cannot take your commits ({what_git_said(result)})"
    )
    return (
        f"{where} {what}: nothing was pushed and your commit {local[:7]} is kept; run "
        f"`git -C {repo} pull --rebase {where.remote} {where.branch}`, resolve the conflict, "
        "then `studylog publish` again"
    )


def _move_branch(repo: Path, branch: str, old: str, new: str) -> None:
    """Move the checked-out branch to the rebased commits, keeping staged and unstaged work."""
    if _head(repo) != old:
        raise VcsError(f"{branch} moved while publishing: run `studylog publish` again")
    moved = git(repo, "read-tree", "-m", "-u", old, new, check=False)
    if moved.returncode != 0:
        raise VcsError(
            f"your uncommitted changes are in files that {branch} on the remote changed "
            f"({what_git_said(moved)}): commit or stash them and run `studylog publish` again; "
            f"your commit {old[:7]} is kept"
        )
    git(repo, "update-ref", "-m", "studylog publish: rebase", f"refs/heads/{branch}", new, old)

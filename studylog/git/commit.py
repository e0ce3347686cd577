"""Carrying out a `Plan`'s commit: promote the drafts, then commit exactly the plan's paths.

Nothing else the user staged joins the commit (`git commit --only`), and a failed commit puts
the drafts, the posts and the index back as they were.
"""

from __future__ import annotations

from pathlib import Path

from studylog.errors import VcsError
from studylog.git import promote
from studylog.git import repo as gitrepo
from studylog.git.plan import Plan
from studylog.git.run import git


def commit(plan: Plan) -> str | None:
    """Promote drafts, then commit exactly the plan's paths; None when there is nothing to commit.

    On failure the drafts, the posts and the index are as they were.
    """
    if not plan.changes:
        return None
    done = promote.promote(plan.promotions)
    paths = list(plan.paths)
    touched = paths + list(plan.unstage)
    before = gitrepo.head(plan.repo)
    saved = gitrepo.index_entries(plan.repo, touched)
    try:
        _add(plan.repo, touched)
        _commit_only(plan.repo, plan.message, paths)
    except BaseException as exc:
        after = gitrepo.head(plan.repo)
        if after != before:  # committed; only a post-commit hook failed or hung
            detail = exc.message if isinstance(exc, VcsError) else "interrupted"
            raise VcsError(f"committed {after[:7] if after else ''}, but then: {detail}") from exc
        gitrepo.restore_index(plan.repo, touched, saved)
        promote.demote(done)
        if isinstance(exc, VcsError):
            raise type(exc)(f"nothing was committed, the post is as it was: {exc.message}") from exc
        raise
    return gitrepo.head(plan.repo)


def _add(repo: Path, paths: list[str]) -> None:
    """`git add` the paths; a deleted one only while the index has it (else HEAD-only: commit)."""
    gone = [p for p in paths if not (repo / p).exists()]
    indexed = set(gitrepo.in_index(repo, gone))
    git(repo, "add", "--", *gitrepo.literal([p for p in paths if p not in gone or p in indexed]))


def _commit_only(repo: Path, message: str, paths: list[str]) -> None:
    """Commit the paths alone (`--only`), whatever else the index holds."""
    only = ["--only", "--", *gitrepo.literal(paths)]
    result = git(repo, "commit", "-q", "-m", message, *only, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise VcsError(f"git commit failed (a hook or the signing program refused it):\n{output}")

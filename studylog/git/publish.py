"""`studylog publish`: preflight and plan (`plan`), commit only the posts and their images
(`commit`), then push (`push`); and the lines that tell the user what was done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from studylog.config import Settings
from studylog.errors import BlogError, VcsError
from studylog.git.changes import Refused
from studylog.git.commit import commit
from studylog.git.plan import Plan, prepare
from studylog.git.push import Pushed, Target, push


@dataclass(frozen=True, slots=True)
class Published:
    """What `publish` did: the new commit (if any), its files, and where it was pushed."""

    commit: str | None
    message: str
    files: tuple[str, ...]
    pushed: Pushed | None = None
    refused: tuple[Refused, ...] = ()  # posts left out for their errors

    @property
    def nothing(self) -> bool:
        """Nothing was committed and nothing new reached the remote."""
        return self.commit is None and (self.pushed is None or self.pushed.up_to_date)


def publish(
    blog: Path,
    specs: list[str],
    settings: Settings,
    *,
    date: dt.date | None = None,
    message: str | None = None,
    push_it: bool = True,
) -> Published:
    """Plan, commit and push in one call (what the CLI does, minus the printing)."""
    plan = prepare(blog, specs, settings, date=date, message=message)
    sha = commit(plan)
    pushed = send(plan, committed=sha is not None) if push_it else None
    return _published(plan, sha, pushed)


def run(
    blog: Path,
    specs: list[str],
    settings: Settings,
    *,
    dry_run: bool = False,
    no_push: bool = False,
    message: str | None = None,
    date: dt.date | None = None,
    echo: Callable[[str], object] = print,
    spinner: Callable[[str], AbstractContextManager[object]] | None = None,
    warn: Callable[[str], object] = print,
) -> Published | None:
    """`studylog publish` without the CLI: prepare, then show the plan (`dry_run`) or commit and
    push, telling `echo` what `publish_cmd` prints and `warn` the posts left out and the images
    missing; `spinner(text)` wraps the push. None on a dry run, else what was done; BlogError
    at the end when posts were left out."""
    plan = prepare(blog, specs, settings, date=date, message=message)
    for line in [*plan.warnings, *(left_out(r) for r in plan.refused)]:
        warn(line)
    if dry_run:
        echo(describe(plan, push=not no_push))
        _refuse(plan)
        return None
    sha = commit(plan)
    if sha:
        echo(describe_commit(plan, sha))
    pushed = None
    if not no_push and plan.push_needed(committed=sha is not None):
        if spinner is None:
            pushed = send(plan, committed=sha is not None)
        else:
            with spinner(f"Pushing to {plan.target or 'the remote'}…"):
                pushed = send(plan, committed=sha is not None)
    if pushed and not pushed.up_to_date:
        echo(describe_push(pushed))
    elif not sha and not plan.refused:
        echo("nothing to publish")
    _refuse(plan)
    return _published(plan, sha, pushed)


def _refuse(plan: Plan) -> None:
    """BlogError (after the rest is done) when posts were left out for their errors."""
    if left := len(plan.refused):
        raise BlogError(
            f"{left} post{'s were' if left > 1 else ' was'} not published for the errors above: "
            "fix them (`studylog check` shows them all), then publish again"
        )


def _published(plan: Plan, sha: str | None, pushed: Pushed | None) -> Published:
    """The result of a publish: the commit's message and files only when there is a commit."""
    message, files = (plan.message, plan.paths) if sha else ("", ())
    return Published(sha, message, files, pushed, plan.refused)


def left_out(refused: Refused) -> str:
    """The line naming a post left out of the commit, and why."""
    return f"{refused.path} is not published: {refused.reason}"


def send(plan: Plan, *, committed: bool) -> Pushed | None:
    """Push when there is something to push; VcsError (commit kept) when there is nowhere to."""
    if not plan.push_needed(committed=committed):
        return None
    if plan.target is None:
        raise VcsError(f"not pushed: {plan.problem}")
    return push(plan.repo, plan.branch, plan.target)


def describe(plan: Plan, *, push: bool) -> str:
    """What `--dry-run` shows: the commit's files and message, and where it would go."""
    lines = []
    if plan.changes:
        lines.append(f"Would commit on {plan.branch} in {plan.repo}:")
        lines += _files(plan)
        lines += [f"  (moving {p.draft.name} to {p.post.name})" for p in plan.promotions]
        lines += ["with the message:", *(f"  {line}" for line in plan.message.splitlines())]
    else:
        lines.append("nothing to commit")
    if push and plan.push_needed(committed=bool(plan.changes)):
        lines.append(f"Would push to {_where(plan.target)}" if plan.target else plan.problem)
    return "\n".join(lines)


def describe_commit(plan: Plan, sha: str) -> str:
    """The summary of a new commit: hash, branch, subject and files."""
    head = f"Committed {sha[:7]} on {plan.branch}: {plan.message.splitlines()[0]}"
    return "\n".join([head, *_files(plan)])


def describe_push(pushed: Pushed) -> str:
    """The summary of a push: commit, remote, branch, and whether it needed rebasing."""
    note = f" (rebased onto the remote's new commits, {pushed.rebased}×)" if pushed.rebased else ""
    return f"Pushed {pushed.commit[:7]} to {_where(pushed.target)}{note}"


def _files(plan: Plan) -> list[str]:
    """One line a file of the commit: its action and path."""
    return [f"  {c.action.lower():6} {c.path}" for c in plan.changes]


def _where(where: Target) -> str:
    """A target as the summaries name it."""
    return f"remote {where.remote}, branch {where.branch}"

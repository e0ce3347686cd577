"""What `publish` will commit and why: the preflight checks, the paths, the message, the push.

Nothing here changes the repository; `commit.commit` carries a `Plan` out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from studylog.blog import site as blogmod
from studylog.config import Settings
from studylog.errors import BlogError, ConfigError, UsageError, VcsError
from studylog.git import changes, promote
from studylog.git import repo as gitrepo
from studylog.git.changes import Change
from studylog.git.push import Target, target


@dataclass(frozen=True, slots=True)
class Plan:
    """What publishing will do; nothing is changed until `commit`."""

    repo: Path
    blog: Path
    branch: str
    posts: tuple[Change, ...]
    others: tuple[Change, ...]  # images and removed drafts
    unstage: tuple[str, ...]  # drafts that were only staged: they leave the index, not the commit
    promotions: tuple[promote.Promotion, ...]
    message: str
    target: Target | None
    problem: str  # why there is no target, and the command that sets one up
    unpushed: int
    refused: tuple[changes.Refused, ...] = ()  # posts with errors: left out of the commit
    warnings: tuple[str, ...] = ()

    @property
    def changes(self) -> tuple[Change, ...]:
        """Everything the commit holds."""
        return self.posts + self.others

    @property
    def paths(self) -> tuple[str, ...]:
        """The repository-relative paths of everything the commit holds."""
        return tuple(c.path for c in self.changes)

    def push_needed(self, *, committed: bool) -> bool:
        """Whether there is anything for the remote: a new commit or earlier unpushed ones."""
        return committed or self.unpushed > 0


def prepare(
    blog: Path,
    specs: list[str],
    settings: Settings,
    *,
    date: dt.date | None = None,
    message: str | None = None,
) -> Plan:
    """Check the repository, then work out the commit and the push; changes nothing."""
    blog = blog.resolve()
    repo, gdir = gitrepo.locate(blog)
    if problem := gitrepo.operation_in_progress(repo, gdir):
        raise VcsError(problem)
    state = gitrepo.snapshot(blog, gitrepo.literal(["_posts", "_drafts"]))
    branch = _branch(repo, state)
    found = gitrepo.publish_config(repo)
    if missing := gitrepo.missing_identity(found):
        raise VcsError(
            f"git does not know who you are (no {' or '.join(missing)}): run "
            '`git config --global user.name "Your Name"` and '
            "`git config --global user.email you@example.com`"
        )
    named = _named(blog, specs)
    drafts = [p for p in named if changes.folder(p, blog) == "_drafts"]
    promotions = [promote.plan(blog, p, date) for p in drafts]
    if date is not None and not promotions:
        raise UsageError("--date applies to drafts: name the _drafts/ file to publish")
    got = changes.find(repo, blog, named, promotions, state)
    where, problem = target(repo, branch, found, settings.remote, settings.branch)
    titled = list(got.posts or got.owners)  # only images: the posts they belong to
    text = message if message is not None else _message(settings.commit_message, titled, blog, repo)
    unpushed = gitrepo.unpushed(repo, where.tracking if where else None)
    return Plan(
        repo, blog, branch, got.posts, got.others, got.unstage, got.promotions,
        text, where, problem, unpushed, got.refused, got.warnings,
    )  # fmt: skip


def _branch(repo: Path, state: gitrepo.Snapshot) -> str:
    """The checked-out branch; VcsError when HEAD is detached."""
    branch = state.branch
    if branch is None:  # git status says "(detached)", which is also a valid branch name
        branch = gitrepo.current_branch(repo)
    if branch is None:
        raise VcsError(
            f"HEAD is detached in {repo} (no branch is checked out): "
            f"run `git -C {repo} switch BRANCH` to publish on a branch"
        )
    return branch


def _named(blog: Path, specs: list[str]) -> list[Path]:
    """The posts the user named (path, date or course day), each once; BlogError for others."""
    found = []
    for spec in specs:
        path = blogmod.find_post(blog, spec)
        if changes.folder(path, blog) not in ("_posts", "_drafts"):
            raise BlogError(f"{path} is not a post: publish files under _posts/ or _drafts/")
        found.append(path)
    return list(dict.fromkeys(found))


def _message(pattern: str, posts: list[Change], blog: Path, repo: Path) -> str:
    """One post: the pattern; several: a summary line, then one line a post."""
    lines = [_format(pattern, c, blog, repo) for c in posts]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    counts = {a: sum(c.action == a for c in posts) for a in ("Add", "Update")}
    parts = [f"{a.lower()} {n} post{'s' if n > 1 else ''}" for a, n in counts.items() if n]
    summary = ", ".join(parts)
    return summary[0].upper() + summary[1:] + "\n\n" + "\n".join(f"- {line}" for line in lines)


def _format(pattern: str, change: Change, blog: Path, repo: Path) -> str:
    """The commit message pattern filled in for one post; ConfigError when it cannot be."""
    path = (repo / change.path).relative_to(blog).as_posix() if blog != repo else change.path
    try:
        return pattern.format(action=change.action, title=change.title, path=path)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"config key 'commit_message' ({pattern!r}) cannot be filled ({exc}): "
            "use {action}, {title} and {path}"
        ) from None

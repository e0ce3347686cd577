"""Each post's git state, for all posts at once: one `git status` and at most one `git log`.

draft: under `_drafts/`; new: untracked, ignored or only added; modified: changed since the last
commit; committed: in a commit the upstream lacks (or there is no upstream); pushed: the rest.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from studylog.errors import VcsError
from studylog.git import repo as gitrepo
from studylog.git.run import git

SCOPE = ["_posts", "_drafts"]


@dataclass(frozen=True, slots=True)
class States:
    """What git says about the blog's posts; `state(path)` for a blog-relative posix path."""

    tracked: bool = False  # the blog is in a git work tree
    upstream: bool = False
    changed: dict[str, str] = field(default_factory=dict)  # path -> new / modified
    unpushed: frozenset[str] = frozenset()

    def state(self, path: str) -> str | None:
        """The post's state; None when the blog is not a git repository."""
        if path.startswith("_drafts/"):
            return "draft"
        if not self.tracked:
            return None
        if path in self.changed:
            return self.changed[path]
        if self.upstream and path not in self.unpushed:
            return "pushed"
        return "committed"


class Pending:
    """`query` running in a thread while the caller scans the posts; `result()` waits for it."""

    def __init__(self, blog: Path) -> None:
        self._found: States | None = None
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(blog,), daemon=True)
        self._thread.start()

    def _run(self, blog: Path) -> None:
        try:
            self._found = query(blog)
        except BaseException as exc:  # handed to the thread that asks for the result
            self._failed = exc

    def wait(self) -> None:
        """Wait until git is done (before forking, say: a fork copies only the calling thread)."""
        self._thread.join()

    def result(self) -> States:
        """The states, once git is done; whatever `query` raised is raised here."""
        self.wait()
        if self._failed is not None:
            raise self._failed
        assert self._found is not None
        return self._found


def start(blog: Path) -> Pending:
    """`query(blog)`, started in the background."""
    return Pending(blog)


def query(blog: Path) -> States:
    """Ask git once about every post of the blog (a blog outside git has no states)."""
    try:
        top = git(blog, "rev-parse", "--show-prefix", check=False)
        if top.returncode != 0:
            return States()
        snapshot = gitrepo.snapshot(blog, SCOPE, ignored=True)
    except VcsError:
        return States()
    prefix = top.stdout.strip()
    found = from_snapshot(snapshot, prefix)
    if not (found.upstream and snapshot.ahead):
        return found
    try:
        log = git(blog, "log", "--format=", "--name-only", "-z", "@{u}..HEAD", "--", *SCOPE)
    except VcsError:  # the upstream cannot be compared: call nothing pushed
        return replace(found, upstream=False)
    paths = [p for p in log.stdout.split("\0") if p and p.startswith(prefix)]
    return replace(found, unpushed=frozenset(p[len(prefix) :] for p in paths))


def from_snapshot(snapshot: gitrepo.Snapshot, prefix: str) -> States:
    """The states a status of the blog shows (its paths relative to the repository's root)."""
    changed = {
        entry.path[len(prefix) :]: "new" if entry.code[0] in "?!A" else "modified"
        for entry in snapshot.entries
        if entry.path.startswith(prefix)
    }
    return States(True, snapshot.upstream is not None, changed)

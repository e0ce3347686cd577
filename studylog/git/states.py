"""Each post's git state, for all posts at once: one `git status` and at most one `git log`.

draft: under `_drafts/`; new: untracked, ignored or only added; modified: changed since the last
commit; committed: in a commit the upstream lacks (or there is no upstream); pushed: the rest.
"""

from __future__ import annotations

from studylog.errors import VcsError
from studylog.git import run as vcs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

SCOPE = ("--", "_posts", "_drafts")


class States:
    """What git says about the blog's posts; `state(path)` for a blog-relative posix path."""

    __slots__ = ("tracked", "upstream", "ahead", "changed", "unpushed")

    def __init__(self, tracked: bool = False) -> None:
        self.tracked = tracked  # the blog is in a git work tree
        self.upstream = False
        self.ahead = 0  # commits the upstream lacks
        self.changed: dict[str, str] = {}  # path -> new / modified
        self.unpushed: set[str] = set()

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
    """A `query` running in a thread while the caller does other work; `result()` waits for it.

    git's processes start at once and run on another core while, say, the posts are scanned.
    """

    def __init__(self, blog: Path) -> None:
        import threading

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
        top = vcs.git(blog, "rev-parse", "--show-prefix", check=False)
        if top.returncode != 0:
            return States()
        prefix = top.stdout.strip()
        status = vcs.git(
            blog,
            *("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all"),
            *("--ignored=matching", *SCOPE),
        )
    except VcsError:
        return States()
    found = parse_status(status.stdout, prefix)
    if found.upstream and found.ahead:
        try:
            log = vcs.git(blog, "log", "--format=", "--name-only", "-z", "@{u}..HEAD", *SCOPE)
        except VcsError:  # the upstream cannot be compared: call nothing pushed
            found.upstream = False
            return found
        found.unpushed = _strip(log.stdout.split("\0"), prefix)
    return found


def parse_status(output: str, prefix: str) -> States:
    """States from `git status --porcelain=v2 --branch -z` (paths relative to the repo root)."""
    found = States(tracked=True)
    records = iter(output.split("\0"))
    for record in records:
        kind, _, rest = record.partition(" ")
        if kind == "#":
            _branch(found, rest)
        elif kind in ("?", "!"):
            _set(found, rest, prefix, "new")
        elif kind in ("1", "2", "u"):
            fields = rest.split(" ", {"1": 7, "2": 8, "u": 9}[kind])
            _set(found, fields[-1], prefix, "new" if fields[0][0] == "A" else "modified")
            if kind == "2":
                next(records, None)  # the rename's original path
    return found


def _branch(found: States, header: str) -> None:
    name, _, value = header.partition(" ")
    if name == "branch.upstream":
        found.upstream = True
    elif name == "branch.ab":
        found.ahead = int(value.split()[0])


def _set(found: States, path: str, prefix: str, state: str) -> None:
    if path.startswith(prefix):
        found.changed[path[len(prefix) :]] = state


def _strip(paths: list[str], prefix: str) -> set[str]:
    return {p[len(prefix) :] for p in paths if p and p.startswith(prefix)}

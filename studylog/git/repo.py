"""What publishing needs to know about a git repository, each a query through `vcs.git`."""

from __future__ import annotations

import os
from pathlib import Path

from studylog.errors import VcsError
from studylog.git.record import Record
from studylog.git.run import git

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: start-up time
    from studylog.git.spawn import Completed

HEX = frozenset("0123456789abcdef")
NO_MODE = "000000"
IDENTITY = r"(user|author|committer)\.(name|email)"
IN_PROGRESS = (  # (file in the git dir, what, the command that continues or aborts it)
    ("rebase-merge", "a rebase", "rebase"),
    ("rebase-apply", "a rebase (or git am)", "rebase"),
    ("MERGE_HEAD", "a merge", "merge"),
    ("CHERRY_PICK_HEAD", "a cherry-pick", "cherry-pick"),
    ("REVERT_HEAD", "a revert", "revert"),
)


class Status(Record):
    """One `git status` entry: XY code, path (repo-relative) and, for a rename, the old path."""

    __slots__ = ("code", "path", "old")

    code: str
    path: str
    old: str | None

    def __init__(self, code: str, path: str, old: str | None = None) -> None:
        self._init(code, path, old)


class Snapshot(Record):
    """One `git status --porcelain=v2 --branch` of some paths: the branch, HEAD, how far HEAD is
    ahead of the upstream, the entries, and what they tell of HEAD and the index."""

    __slots__ = ("branch", "head", "upstream", "ahead", "entries", "in_head", "untracked")

    branch: str | None  # None: HEAD is detached
    head: str | None  # None: no commits yet
    upstream: str | None  # its short name ("origin/main"), as git status gives it
    ahead: int | None  # commits HEAD has that the upstream lacks; None: no upstream ref
    entries: tuple[Status, ...]
    in_head: dict[str, bool]  # entries' paths whose presence in HEAD the status shows
    untracked: frozenset[str]  # paths neither in the index nor in HEAD

    def __init__(
        self,
        branch: str | None,
        head: str | None,
        upstream: str | None,
        ahead: int | None,
        entries: tuple[Status, ...],
        in_head: dict[str, bool],
        untracked: frozenset[str],
    ) -> None:
        self._init(branch, head, upstream, ahead, entries, in_head, untracked)


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


LOCATE = ("rev-parse", "--show-toplevel", "--absolute-git-dir")


def locate(path: Path) -> tuple[Path, Path]:
    """(`toplevel`, `absolute_git_dir`) in one git call; the same VcsError as `toplevel`."""
    return located(path, git(path, *LOCATE, check=False))


def located(path: Path, result: Completed) -> tuple[Path, Path]:
    """`locate`'s answer from the output of `git -C path rev-parse LOCATE...`."""
    lines = result.stdout.rstrip("\n").split("\n")
    if result.returncode != 0 or len(lines) != 2:
        return toplevel(path), absolute_git_dir(path)  # says why, as `toplevel` does
    return Path(lines[0]), Path(lines[1])


def absolute_git_dir(repo: Path) -> Path:
    """This worktree's git directory."""
    return Path(git(repo, "rev-parse", "--absolute-git-dir").stdout.rstrip("\n"))


def operation_in_progress(repo: Path, gdir: Path | None = None) -> str | None:
    """A one-line explanation when a merge, rebase, cherry-pick or revert is under way."""
    gdir = gdir or absolute_git_dir(repo)
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


def head_file(gdir: Path, branch: str) -> str | None:
    """HEAD's commit read from the files git keeps (no git process), when HEAD is `branch` and
    its ref is a loose file; else None and the caller asks git. Only ever a fast path."""
    try:
        if (gdir / "HEAD").read_text(encoding="utf-8") != f"ref: refs/heads/{branch}\n":
            return None
        common = gdir
        if (gdir / "commondir").is_file():
            common = gdir / (gdir / "commondir").read_text(encoding="utf-8").strip()
        sha = (common / "refs" / "heads" / branch).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return sha if len(sha) in (40, 64) and all(c in HEX for c in sha) else None


def config(repo: Path, key: str) -> str:
    """A git config value ('' when unset)."""
    return git(repo, "config", "--get", key, check=False).stdout.strip()


PUBLISH_CONFIG = ("config", "-z", "--get-regexp", rf"^({IDENTITY}|branch\..*\.(remote|merge))$")


def publish_config(repo: Path) -> dict[str, str]:
    """In one git call: the identity settings, each branch's `remote` and `merge` (last wins)."""
    return config_values(git(repo, *PUBLISH_CONFIG, check=False).stdout)


def config_values(out: str) -> dict[str, str]:
    """The settings `git config -z --get-regexp` printed (the last of a key wins)."""
    found: dict[str, str] = {}
    for item in out.split("\0"):
        key, _, value = item.partition("\n")
        if key:
            found[key] = value
    return found


def missing_identity(repo: Path, found: dict[str, str] | None = None) -> list[str]:
    """The identity settings git would lack for a commit: user.name and/or user.email.

    `found`: the settings as `publish_config` read them (else they are read here)."""
    if found is None:
        out = git(repo, "config", "--get-regexp", rf"^{IDENTITY}$", check=False).stdout
        keys = {line.split(" ", 1)[0].lower() for line in out.splitlines() if " " in line}
    else:
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


SNAPSHOT = (
    "--no-optional-locks",
    "status",
    "--porcelain=v2",
    "--branch",
    "-z",
    "--untracked-files=all",
    "--",
)


def snapshot(repo: Path, pathspecs: list[str]) -> Snapshot:
    """The branch, HEAD, upstream and `git status` of the paths (untracked files one by one)."""
    return parse_snapshot(git(repo, *SNAPSHOT, *pathspecs).stdout)


def parse_snapshot(out: str) -> Snapshot:
    """The `Snapshot` that `git status SNAPSHOT... PATHSPECS` printed (paths repo-relative)."""
    info: dict[str, str] = {}
    entries: list[Status] = []
    known: dict[str, bool] = {}
    untracked: list[str] = []
    fields = out.split("\0")
    i = 0
    while i < len(fields):
        field = fields[i]
        i += 1
        kind = field[:1]
        if kind == "#":
            key, _, value = field[2:].partition(" ")
            info[key] = value
        elif kind == "?":
            entries.append(Status("??", field[2:]))
            untracked.append(field[2:])
        elif kind in "12u" and field:
            parts = field.split(" ", {"1": 8, "2": 9, "u": 10}[kind])
            code = parts[1].replace(".", " ")
            old = None
            if kind == "2":
                old = fields[i]
                i += 1
                known[old] = parts[3] != NO_MODE  # the HEAD mode is the old path's
            elif kind == "1":
                known[parts[-1]] = parts[3] != NO_MODE
            entries.append(Status(code, parts[-1], old))
    for path in untracked:  # untracked and in HEAD: its deletion is staged (an entry above)
        known.setdefault(path, False)
    oid, name = info.get("branch.oid"), info.get("branch.head")
    ahead = info.get("branch.ab", "").split(" ")[0]
    return Snapshot(
        branch=None if name in (None, "(detached)") else name,
        head=None if oid in (None, "(initial)") else oid,
        upstream=info.get("branch.upstream"),
        ahead=int(ahead) if ahead[1:].isdigit() else None,
        entries=tuple(entries),
        in_head=known,
        untracked=frozenset(p for p in untracked if not known[p]),
    )


def in_head(repo: Path, paths: list[str], known: dict[str, bool] | None = None) -> set[str]:
    """Those of the paths that exist in HEAD's tree (`known`: answers a status already gave)."""
    if known:
        found = {p for p in paths if known.get(p)}
        rest = [p for p in paths if p not in known]
        return found | (in_head(repo, rest) if rest else set())
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

"""`studylog publish`: preflight, plan, commit only the posts (and their images), then push."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from studylog.blog import site as blogmod
from studylog.config import Settings
from studylog.errors import BlogError, ConfigError, UsageError, VcsError
from studylog.git import promote
from studylog.git import repo as gitrepo
from studylog.git.push import Pushed, Target, push, target
from studylog.git.record import Record
from studylog.git.repo import literal
from studylog.git.run import Running, git, start
from studylog.post import posttitle

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: start-up time
    from collections.abc import Callable
    from contextlib import AbstractContextManager

POSTS = (".md", ".markdown")


class Change(Record):
    """A path going into the commit: Add, Update or Delete; posts carry their title."""

    __slots__ = ("path", "action", "title")

    path: str
    action: str
    title: str

    def __init__(self, path: str, action: str, title: str = "") -> None:
        self._init(path, action, title)


class Plan(Record):
    """What publishing will do; nothing is changed until `commit`."""

    __slots__ = (
        "repo",
        "blog",
        "branch",
        "posts",
        "others",
        "unstage",
        "promotions",
        "message",
        "target",
        "problem",
        "unpushed",
        "git_dir",
        "untracked",
        "staged",
    )

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
    git_dir: Path | None
    untracked: frozenset[str]  # paths the index and HEAD do not have
    staged: frozenset[str] | None  # paths whose index entry differs from HEAD's: None, ask

    def __init__(
        self,
        repo: Path,
        blog: Path,
        branch: str,
        posts: tuple[Change, ...],
        others: tuple[Change, ...],
        unstage: tuple[str, ...],
        promotions: tuple[promote.Promotion, ...],
        message: str,
        target: Target | None,
        problem: str,
        unpushed: int,
        git_dir: Path | None = None,
        untracked: frozenset[str] = frozenset(),
        staged: frozenset[str] | None = None,
    ) -> None:
        self._init(
            repo,
            blog,
            branch,
            posts,
            others,
            unstage,
            promotions,
            message,
            target,
            problem,
            unpushed,
            git_dir,
            untracked,
            staged,
        )

    @property
    def changes(self) -> tuple[Change, ...]:
        """Everything the commit holds."""
        return self.posts + self.others

    def push_needed(self, *, committed: bool) -> bool:
        """Whether there is anything for the remote: a new commit or earlier unpushed ones."""
        return committed or self.unpushed > 0


class Published(Record):
    """What `publish` did: the new commit (if any), its files, and where it was pushed."""

    __slots__ = ("commit", "message", "files", "pushed")

    commit: str | None
    message: str
    files: tuple[str, ...]
    pushed: Pushed | None

    def __init__(
        self, commit: str | None, message: str, files: tuple[str, ...], pushed: Pushed | None = None
    ) -> None:
        self._init(commit, message, files, pushed)

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
    return Published(sha, plan.message if sha else "", _paths(plan) if sha else (), pushed)


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
) -> Published | None:
    """`studylog publish` without the CLI: prepare, then show the plan (`dry_run`) or commit and
    push, telling `echo` what `publish_cmd` prints; `spinner(text)` wraps the push. None on a
    dry run, else what was done."""
    plan = prepare(blog, specs, settings, date=date, message=message)
    if dry_run:
        echo(describe(plan, push=not no_push))
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
    elif not sha:
        echo("nothing to publish")
    return Published(sha, plan.message if sha else "", _paths(plan) if sha else (), pushed)


def prepare(
    blog: Path,
    specs: list[str],
    settings: Settings,
    *,
    date: dt.date | None = None,
    message: str | None = None,
) -> Plan:
    """Check the repository, then work out the commit and the push; changes nothing.

    The git queries run side by side, and the posts are read meanwhile; the checks and their
    errors come in the same order as if each query ran in turn."""
    blog = blog.resolve()
    found_posts = _attempt(lambda: _posts_and_promotions(blog, specs, date))
    queries = _Queries(blog, _pathspecs(blog, found_posts[0][0] if found_posts[0] else []))
    try:
        return _prepare(queries, blog, found_posts, settings, date, message)
    finally:
        queries.stop()


def _prepare(
    queries: _Queries,
    blog: Path,
    found_posts: tuple[tuple[list[Path], list[promote.Promotion]] | None, Exception | None],
    settings: Settings,
    date: dt.date | None,
    message: str | None,
) -> Plan:
    """`prepare` once the queries run: their answers, checked in the order they had in turn."""
    repo, gdir = _located(blog, queries)
    state = queries.snapshot(repo, blog)
    branch = _checked(repo, state)
    found = gitrepo.config_values(queries.config.result().stdout)
    _identified(repo, found)
    if found_posts[1] is not None:
        raise found_posts[1]
    assert found_posts[0] is not None
    named, promotions = found_posts[0]
    if date is not None and not promotions:
        raise UsageError("--date applies to drafts: name the _drafts/ file to publish")
    posts, others, unstage = _changes(repo, blog, named, promotions, state)
    where, problem = target(repo, branch, settings.remote, settings.branch, found)
    text = message if message is not None else _message(settings.commit_message, posts, blog, repo)
    return Plan(
        repo, blog, branch, tuple(posts), tuple(others), tuple(unstage), tuple(promotions),
        text, where, problem, _unpushed(repo, where, found, state), gdir, state.untracked,
        queries.staged(repo, blog),
    )  # fmt: skip


class _Queries:
    """The read-only git queries of a publish, started at once in the blog's folder."""

    def __init__(self, blog: Path, pathspecs: list[str] | None) -> None:
        """Start them, the longest first: the status of the pathspecs (blog-relative; None: of
        _posts and _drafts), diff-index, then rev-parse and config (under a millisecond)."""
        self.blog = blog
        self.running: list[Running] = []
        self.narrowed = pathspecs is not None
        try:
            self.state = self._start(*gitrepo.SNAPSHOT, *(pathspecs or _FOLDERS), check=True)
            # diff-index prints the repository's paths: only asked where the blog is its root.
            root = (blog / ".git").exists()
            self.diff = self._start(*STAGED, check=False) if root else None
            self.where = self._start(*gitrepo.LOCATE, check=False)
            self.config = self._start(*gitrepo.PUBLISH_CONFIG, check=False)
        except BaseException:
            self.stop()
            raise

    def _start(self, *args: str, check: bool) -> Running:
        self.running.append(start(self.blog, *args, check=check))
        return self.running[-1]

    def snapshot(self, repo: Path, blog: Path) -> gitrepo.Snapshot:
        """The status; asked again of both folders when a named post may be a staged rename."""
        state = gitrepo.parse_snapshot(self.state.result().stdout)
        if self.narrowed and any(e.code[0] == "A" for e in state.entries):
            rel = _relative_to(repo)
            state = gitrepo.snapshot(repo, literal([rel(blog / f) for f in ("_posts", "_drafts")]))
        return state

    def staged(self, repo: Path, blog: Path) -> frozenset[str] | None:
        """What diff-index found staged; None when it was not asked (or failed: no HEAD)."""
        if self.diff is None or repo.resolve() != blog:
            return None
        result = self.diff.result()
        return frozenset(_names(result.stdout)) if result.returncode == 0 else None

    def stop(self) -> None:
        """Stop the queries whose answer was not needed (an error came first). They only read
        (status with --no-optional-locks): an index.lock is never theirs to remove."""
        for query in self.running:
            if not query.done:
                query.stop(locks=False)


STAGED = ("diff-index", "--cached", "--name-only", "--no-renames", "-z", "HEAD")
_FOLDERS = literal(["_posts", "_drafts"])


def _names(out: str) -> list[str]:
    return [p for p in out.split("\0") if p]


def _attempt(work):  # type: ignore[no-untyped-def]
    """(work's value, None) or (None, the exception it raised), to be raised in turn."""
    try:
        return work(), None
    except (BlogError, UsageError, VcsError) as exc:
        return None, exc


def _posts_and_promotions(
    blog: Path, specs: list[str], date: dt.date | None
) -> tuple[list[Path], list[promote.Promotion]]:
    named = _named(blog, specs)
    drafts = [p for p in named if _folder(p, blog) == "_drafts"]
    return named, [promote.plan(blog, p, date) for p in drafts]


def _pathspecs(blog: Path, named: list[Path]) -> list[str] | None:
    """The named posts (and where drafts go), blog-relative; None: all of _posts and _drafts."""
    if not named:
        return None
    return literal([p.relative_to(blog).as_posix() for p in named])


def _located(blog: Path, queries: _Queries) -> tuple[Path, Path]:
    """The repository root and git directory; VcsError when an operation is under way."""
    repo, gdir = gitrepo.located(blog, queries.where.result())
    if problem := gitrepo.operation_in_progress(repo, gdir):
        raise VcsError(problem)
    return repo, gdir


def _checked(repo: Path, state: gitrepo.Snapshot) -> str:
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


def _identified(repo: Path, found: dict[str, str]) -> None:
    if missing := gitrepo.missing_identity(repo, found):
        raise VcsError(
            f"git does not know who you are (no {' or '.join(missing)}): run "
            '`git config --global user.name "Your Name"` and '
            "`git config --global user.email you@example.com`"
        )


def _unpushed(
    repo: Path, where: Target | None, found: dict[str, str], state: gitrepo.Snapshot
) -> int:
    """Commits the target lacks; the status's count when the target is the upstream it saw."""
    if state.head is None:
        return 0
    branch = state.branch
    upstream = Target(
        found.get(f"branch.{branch}.remote", ""),
        found.get(f"branch.{branch}.merge", "").removeprefix("refs/heads/"),
    )
    if (
        where is not None
        and where == upstream
        and where.remote != "."
        and state.ahead is not None
        and state.upstream == str(where)
    ):
        return state.ahead
    return gitrepo.unpushed(repo, where.tracking if where else None)


def _named(blog: Path, specs: list[str]) -> list[Path]:
    found = []
    for spec in specs:
        path = blogmod.find_post(blog, spec)
        if _folder(path, blog) not in ("_posts", "_drafts"):
            raise BlogError(f"{path} is not a post: publish files under _posts/ or _drafts/")
        found.append(path)
    return list(dict.fromkeys(found))


def _folder(path: Path, blog: Path) -> str:
    try:
        return path.resolve().relative_to(blog).parts[0]
    except (ValueError, IndexError):
        return ""


def _changes(
    repo: Path,
    blog: Path,
    named: list[Path],
    promotions: list[promote.Promotion],
    state: gitrepo.Snapshot,
) -> tuple[list[Change], list[Change], list[str]]:
    """The posts to commit, the images and removed drafts that go with them, drafts to unstage."""
    rel = _relative_to(repo)
    posts_dir = rel(blog / "_posts")
    entries = list(state.entries)
    posts = [e for e in entries if e.path.startswith(posts_dir + "/") and e.path.endswith(POSTS)]
    if named:
        wanted = {rel(p) for p in named if _folder(p, blog) == "_posts"}
        posts = [e for e in posts if e.path in wanted]
    _refuse_conflicts(posts)
    posts = [e for e in posts if "D" not in e.code]  # deleting a post is not publishing it
    texts = {rel(p.post): p.text for p in promotions}
    paths = [e.path for e in posts] + list(texts)
    renamed = {e.old: e.path for e in posts if e.old}
    tracked = gitrepo.in_head(repo, paths + list(renamed), state.in_head)
    tracked |= {new for old, new in renamed.items() if old in tracked}  # a rename updates
    changes = [_post_change(repo, path, tracked, texts.get(path)) for path in paths]
    drafts = [rel(p.draft) for p in promotions] or _deleted_drafts(entries, changes, named)
    removed, unstage = _removed(repo, drafts, state.in_head)
    olds = [Change(e.old, "Delete") for e in posts if e.old and e.code[0] == "R"]
    return changes, _images(repo, blog, changes, texts) + olds + removed, unstage


def _relative_to(repo: Path):  # type: ignore[no-untyped-def]
    root = repo.resolve()

    def rel(path: Path) -> str:
        return path.resolve().relative_to(root).as_posix()

    return rel


def _refuse_conflicts(entries: list[gitrepo.Status]) -> None:
    for entry in entries:
        if "U" in entry.code or entry.code in ("AA", "DD"):
            raise VcsError(f"{entry.path} has merge conflicts: resolve them, then publish again")


def _post_change(repo: Path, path: str, tracked: set[str], text: str | None) -> Change:
    body = text if text is not None else promote.read(repo / path)
    title = posttitle.title(body, Path(path))
    if title is None:  # front matter the scan does not vouch for: the parser decides
        from studylog.errors import PostError
        from studylog.post.parse import parse_post

        try:
            title = parse_post(body, Path(path), Settings()).title
        except PostError:
            title = ""
    title = title or Path(path).stem
    return Change(path, "Update" if path in tracked else "Add", title)


def _deleted_drafts(
    entries: list[gitrepo.Status], posts: list[Change], named: list[Path]
) -> list[str]:
    """Drafts deleted by hand whose post is new in `_posts/` (promoted by hand)."""
    if named:
        return []
    slugs = {promote.DATED.sub("", Path(c.path).name) for c in posts if c.action == "Add"}
    return [
        e.path
        for e in entries
        if "/_drafts/" in f"/{e.path}" and "D" in e.code and Path(e.path).name in slugs
    ]


def _removed(
    repo: Path, drafts: list[str], known: dict[str, bool]
) -> tuple[list[Change], list[str]]:
    """Removed drafts: a deletion in the commit when HEAD has them; else just left the index."""
    in_head = gitrepo.in_head(repo, drafts, known)
    staged = _in_index(repo, [d for d in drafts if d not in in_head])
    return [Change(d, "Delete") for d in drafts if d in in_head], staged


def _in_index(repo: Path, paths: list[str]) -> list[str]:
    if not paths:
        return []
    out = git(repo, "ls-files", "-z", "--", *literal(paths)).stdout
    return [p for p in out.split("\0") if p]


def _images(repo: Path, blog: Path, posts: list[Change], texts: dict[str, str]) -> list[Change]:
    """The new or modified local images the posts reference."""
    from studylog.blog import assets

    root = repo.resolve()
    files: list[str] = []
    for change in posts:
        path = repo / change.path
        text = texts.get(change.path) or promote.read(path)
        files += [f.relative_to(root).as_posix() for f in assets.local_files(text, blog, path)]
    files = list(dict.fromkeys(files))
    if not files:
        return []
    entries = [e for e in gitrepo.status(repo, literal(files)) if "D" not in e.code]
    tracked = gitrepo.in_head(repo, [e.path for e in entries])
    return [Change(e.path, "Update" if e.path in tracked else "Add") for e in entries]


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
    path = (repo / change.path).relative_to(blog).as_posix() if blog != repo else change.path
    try:
        return pattern.format(action=change.action, title=change.title, path=path)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"config key 'commit_message' ({pattern!r}) cannot be filled ({exc}): "
            "use {action}, {title} and {path}"
        ) from None


def _paths(plan: Plan) -> tuple[str, ...]:
    return tuple(c.path for c in plan.changes)


def commit(plan: Plan) -> str | None:
    """Promote drafts, then commit exactly the plan's paths; None when there is nothing to commit.

    On failure the drafts, the posts and the index are as they were.
    """
    if not plan.posts:
        return None
    done = promote.promote(plan.promotions)
    paths = list(_paths(plan))
    touched = paths + list(plan.unstage)
    before = _head(plan)
    # Nothing else staged: a plain commit of the index is `commit --only PATHS` at half the cost.
    alone = before is not None and _staged(plan) <= set(touched)
    # Paths that neither the index nor HEAD has need no saving: a rollback just drops them.
    saved = gitrepo.index_entries(plan.repo, [p for p in touched if p not in plan.untracked])
    try:
        _add(plan.repo, touched)
        _commit_only(plan.repo, plan.message, [] if alone else paths)
    except BaseException as exc:
        after = _head(plan)
        if after != before:  # committed; only a post-commit hook failed or hung
            detail = exc.message if isinstance(exc, VcsError) else "interrupted"
            raise VcsError(f"committed {after[:7] if after else ''}, but then: {detail}") from exc
        gitrepo.restore_index(plan.repo, touched, saved)
        promote.demote(done)
        if isinstance(exc, VcsError):
            raise type(exc)(f"nothing was committed, the post is as it was: {exc.message}") from exc
        raise
    after = _head(plan)
    if alone and before and after and not _only(plan.repo, before, after, set(paths)):
        # Something else was staged while publishing: take the commit back, commit just PATHS.
        git(plan.repo, "reset", "-q", "--soft", before)
        _commit_only(plan.repo, plan.message, paths)
        after = _head(plan)
    return after


def _head(plan: Plan) -> str | None:
    """HEAD's commit, from the ref file when it can be read (no git process), else from git."""
    if plan.git_dir is not None and (sha := gitrepo.head_file(plan.git_dir, plan.branch)):
        return sha
    return gitrepo.head(plan.repo)


def _staged(plan: Plan) -> frozenset[str]:
    """The paths whose index entry differs from HEAD's (as the preflight found, if it asked)."""
    if plan.staged is not None:
        return plan.staged
    return frozenset(_names(git(plan.repo, *STAGED).stdout))


def _only(repo: Path, before: str, after: str, paths: set[str]) -> bool:
    """Whether the commit `after` changed no path but `paths` since `before`."""
    out = git(repo, "diff-tree", "-r", "--name-only", "--no-renames", "-z", before, after).stdout
    return {p for p in out.split("\0") if p} <= paths


def _add(repo: Path, paths: list[str]) -> None:
    """`git add` the paths; a deleted one only while the index has it (else HEAD-only: commit)."""
    gone = [p for p in paths if not (repo / p).exists()]
    indexed = set(_in_index(repo, gone))
    git(repo, "add", "--", *literal([p for p in paths if p not in gone or p in indexed]))


def _commit_only(repo: Path, message: str, paths: list[str]) -> None:
    """Commit the paths alone (`--only`); with no paths, the index as it is."""
    only = ["--only", "--", *literal(paths)] if paths else []
    result = git(repo, "commit", "-q", "-m", message, *only, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise VcsError(f"git commit failed (a hook or the signing program refused it):\n{output}")


def send(plan: Plan, *, committed: bool) -> Pushed | None:
    """Push when there is something to push; VcsError (commit kept) when there is nowhere to."""
    if not plan.push_needed(committed=committed):
        return None
    if plan.target is None:
        raise VcsError(f"not pushed: {plan.problem}")
    return push(plan.repo, plan.branch, plan.target, head=_head(plan))


def describe(plan: Plan, *, push: bool) -> str:
    """What `--dry-run` shows: the commit's files and message, and where it would go."""
    lines = []
    if plan.posts:
        lines.append(f"Would commit on {plan.branch} in {plan.repo}:")
        lines += [f"  {c.action.lower():6} {c.path}" for c in plan.changes]
        lines += [f"  (moving {p.draft.name} to {p.post.name})" for p in plan.promotions]
        lines += ["with the message:", *(f"  {line}" for line in plan.message.splitlines())]
    else:
        lines.append("nothing to commit")
    if push and plan.push_needed(committed=bool(plan.posts)):
        lines.append(f"Would push to {_where(plan.target)}" if plan.target else plan.problem)
    return "\n".join(lines)


def describe_commit(plan: Plan, sha: str) -> str:
    """The summary of a new commit: hash, branch, subject and files."""
    head = f"Committed {sha[:7]} on {plan.branch}: {plan.message.splitlines()[0]}"
    return "\n".join([head, *(f"  {c.action.lower():6} {c.path}" for c in plan.changes)])


def describe_push(pushed: Pushed) -> str:
    """The summary of a push: commit, remote, branch, and whether it needed rebasing."""
    note = f" (rebased onto the remote's new commits, {pushed.rebased}×)" if pushed.rebased else ""
    return f"Pushed {pushed.commit[:7]} to {_where(pushed.target)}{note}"


def _where(where: Target) -> str:
    return f"remote {where.remote}, branch {where.branch}"

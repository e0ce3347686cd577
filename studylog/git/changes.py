"""The paths a publish commits: the posts, the images they show, the drafts they replace.

A post is new (Add) or changed (Update); a renamed post takes its old name's deletion along; a
promoted draft takes the draft's deletion along (or, when HEAD never had the draft, just leaves
the index); the local images a post references join it when they are new or modified.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studylog.blog import assets
from studylog.errors import PostError, VcsError
from studylog.git import promote
from studylog.git import repo as gitrepo
from studylog.post import parse

POSTS = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class Change:
    """A path going into the commit: Add, Update or Delete; posts carry their title."""

    path: str
    action: str
    title: str = ""


def find(
    repo: Path,
    blog: Path,
    named: list[Path],
    promotions: list[promote.Promotion],
    state: gitrepo.Snapshot,
) -> tuple[list[Change], list[Change], list[str]]:
    """The posts to commit, the images and removed drafts that go with them, drafts to unstage.

    `named`: the posts the user named (none: every new or modified post); `state`: the status
    of `_posts/` and `_drafts/`."""
    posts = _changed_posts(repo, blog, named, state)
    texts = {repo_path(repo, p.post): p.text for p in promotions}
    paths = [e.path for e in posts] + list(texts)
    renamed = {e.old: e.path for e in posts if e.old}
    tracked = gitrepo.in_head(repo, paths + list(renamed))
    tracked |= {new for old, new in renamed.items() if old in tracked}  # a rename updates
    found = [_post_change(repo, path, tracked, texts.get(path)) for path in paths]
    drafts = [repo_path(repo, p.draft) for p in promotions]
    drafts = drafts or _deleted_drafts(state.entries, found, named)
    removed, unstage = _removed(repo, drafts)
    olds = [Change(e.old, "Delete") for e in posts if e.old and e.code[0] == "R"]
    return found, _images(repo, blog, found, texts) + olds + removed, unstage


def _changed_posts(
    repo: Path, blog: Path, named: list[Path], state: gitrepo.Snapshot
) -> list[gitrepo.Status]:
    """The status entries of the posts to publish (deleting a post is not publishing it)."""
    posts_dir = repo_path(repo, blog / "_posts")
    posts = [
        e for e in state.entries if e.path.startswith(posts_dir + "/") and e.path.endswith(POSTS)
    ]
    if named:
        wanted = {repo_path(repo, p) for p in named if folder(p, blog) == "_posts"}
        posts = [e for e in posts if e.path in wanted]
    for entry in posts:
        if "U" in entry.code or entry.code in ("AA", "DD"):
            raise VcsError(f"{entry.path} has merge conflicts: resolve them, then publish again")
    return [e for e in posts if "D" not in e.code]


def repo_path(repo: Path, path: Path) -> str:
    """The path relative to the repository's root, as git names it."""
    return path.resolve().relative_to(repo.resolve()).as_posix()


def folder(path: Path, blog: Path) -> str:
    """The blog's top folder the path is in (`_posts`, `_drafts`, ...); '' outside the blog."""
    try:
        return path.resolve().relative_to(blog).parts[0]
    except (ValueError, IndexError):
        return ""


def post_title(text: str, path: Path) -> str:
    """The title a commit message gives the post: its front matter's, else its file's stem."""
    try:
        front, _ = parse.split_front(text, path)
        data = parse.front_matter(front, path)
        parse.post_date(data.get("date"), path, parse.date_from_name(path))
    except PostError:  # a post the reader refuses has no title: its name stands in
        return path.stem
    title = data.get("title")
    return ("" if title is None else str(title)) or path.stem


def _post_change(repo: Path, path: str, tracked: set[str], text: str | None) -> Change:
    """A post's change: Update when HEAD has it, else Add; titled from its text."""
    body = text if text is not None else promote.read(repo / path)
    return Change(path, "Update" if path in tracked else "Add", post_title(body, Path(path)))


def _deleted_drafts(
    entries: tuple[gitrepo.Status, ...], posts: list[Change], named: list[Path]
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


def _removed(repo: Path, drafts: list[str]) -> tuple[list[Change], list[str]]:
    """Removed drafts: a deletion in the commit when HEAD has them; else just left the index."""
    in_head = gitrepo.in_head(repo, drafts)
    staged = gitrepo.in_index(repo, [d for d in drafts if d not in in_head])
    return [Change(d, "Delete") for d in drafts if d in in_head], staged


def _images(repo: Path, blog: Path, posts: list[Change], texts: dict[str, str]) -> list[Change]:
    """The new or modified local images the posts reference."""
    files: list[str] = []
    baseurl = assets.site_baseurl(blog)
    for change in posts:
        path = repo / change.path
        text = texts.get(change.path) or promote.read(path)
        files += [repo_path(repo, f) for f in assets.local_files(text, blog, path, baseurl)]
    files = list(dict.fromkeys(files))
    if not files:
        return []
    entries = [e for e in gitrepo.status(repo, gitrepo.literal(files)) if "D" not in e.code]
    tracked = gitrepo.in_head(repo, [e.path for e in entries])
    return [Change(e.path, "Update" if e.path in tracked else "Add") for e in entries]

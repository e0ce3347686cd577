"""The paths a publish commits: the posts, the images they show, the drafts they replace.

A post is new (Add) or changed (Update); a renamed post takes its old name's deletion along; a
promoted draft takes the draft's deletion along (or, when HEAD never had the draft, just leaves
the index); the local images a post references join it when they are new or modified.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from studylog.blog import assets, cache, check
from studylog.errors import BlogError, PostError, VcsError
from studylog.git import promote
from studylog.git import repo as gitrepo
from studylog.git.run import git
from studylog.post import parse


@dataclass(frozen=True, slots=True)
class Change:
    """A path going into the commit: Add, Update or Delete; posts carry their title."""

    path: str
    action: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Refused:
    """A post left out of the commit, and the first error `check` finds in it."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Found:
    """What a publish commits, and what it leaves out or warns of."""

    posts: tuple[Change, ...]
    others: tuple[Change, ...]  # images and removed drafts
    unstage: tuple[str, ...]  # drafts only staged: they leave the index, not the commit
    promotions: tuple[promote.Promotion, ...]
    refused: tuple[Refused, ...] = ()
    warnings: tuple[str, ...] = ()
    owners: tuple[Change, ...] = ()  # committed posts whose new images join: for the message


def find(
    repo: Path,
    blog: Path,
    named: list[Path],
    promotions: list[promote.Promotion],
    state: gitrepo.Snapshot,
) -> Found:
    """The posts to commit, the images and removed drafts that go with them, drafts to unstage;
    posts `check` finds errors in are left out.

    `named`: the posts the user named (none: every new or modified post); `state`: the status
    of `_posts/` and `_drafts/`."""
    changed = _changed_posts(repo, blog, named, state)
    refused = vet(repo, blog, [e.path for e in changed], promotions)
    out = {r.path for r in refused}
    posts = [e for e in changed if e.path not in out]
    promotions = [p for p in promotions if repo_path(repo, p.post) not in out]
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
    baseurl = assets.site_baseurl(blog)
    images = _images(repo, blog, found, texts, baseurl)
    skip = {*paths, *(r.path for r in refused), *(c.path for c in images)}
    owners, linked = _linked_images(repo, blog, named, skip, baseurl)
    return Found(
        tuple(found), tuple(images + linked + olds + removed), tuple(unstage), tuple(promotions),
        tuple(refused), tuple(_missing(repo, blog, found, texts, baseurl)), tuple(owners),
    )  # fmt: skip


def vet(
    repo: Path, blog: Path, paths: list[str], promotions: list[promote.Promotion]
) -> list[Refused]:
    """The posts (and promoted drafts) `check` finds an error in, each with its first error."""
    site, _ = check.read_site(blog)
    findings = [f for p in paths for f in check.check_file(blog, repo / p, site)]
    findings += check.duplicates(
        blog, _namesakes(repo, paths), [(repo / p).resolve() for p in paths]
    )
    for promotion in promotions:
        rel = check.relative(promotion.post, blog)
        findings += check.check_post(rel, promotion.text.encode("utf-8"), site)
    refused: dict[str, str] = {}
    for finding in findings:
        path = repo_path(repo, blog / finding.path)
        if finding.severity == check.ERROR:
            refused.setdefault(path, finding.message)
    return [Refused(path, reason) for path, reason in refused.items()]


def _namesakes(repo: Path, paths: list[str]) -> list[Path]:
    """The posts, and the files beside them with the same slug (which may share their page)."""
    found = []
    for path in paths:
        post = repo / path
        slug = check.JEKYLL_POST_NAME.match(post.name)
        pattern = f"*-{glob.escape(slug[4])}.*" if slug else glob.escape(post.name)
        found += sorted(post.parent.glob(pattern))
    return list(dict.fromkeys(p.resolve() for p in found))


def _changed_posts(
    repo: Path, blog: Path, named: list[Path], state: gitrepo.Snapshot
) -> list[gitrepo.Status]:
    """The status entries of the posts to publish (deleting a post is not publishing it)."""
    cache.unlinked(blog)
    inside = repo_path(repo, blog)
    base = "" if inside == "." else f"{inside}/"
    posts = [
        e
        for e in state.entries
        if e.path.startswith(f"{base}_posts/") and cache.is_post(e.path[len(base) :])
    ]
    if named:
        wanted = {repo_path(repo, p) for p in named if folder(p, blog) == "_posts"}
        posts = [e for e in posts if e.path in wanted]
    for entry in posts:
        if "U" in entry.code or entry.code in ("AA", "DD"):
            raise VcsError(f"{entry.path} has merge conflicts: resolve them, then publish again")
        if "D" not in entry.code and (repo / entry.path).is_symlink():
            raise BlogError(cache.linked(repo / entry.path))  # git would commit the link
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


def _images(
    repo: Path, blog: Path, posts: list[Change], texts: dict[str, str], baseurl: str
) -> list[Change]:
    """The new or modified local images the posts reference."""
    files: list[str] = []
    for change in posts:
        path = repo / change.path
        text = texts.get(change.path) or promote.read(path)
        files += _local(text, blog, path, baseurl, repo)
    return _new_or_modified(repo, list(dict.fromkeys(files)))


def _new_or_modified(repo: Path, files: list[str]) -> list[Change]:
    """Those of the files that are untracked or modified: Add or Update."""
    if not files:
        return []
    entries = [e for e in gitrepo.status(repo, gitrepo.literal(files)) if "D" not in e.code]
    tracked = gitrepo.in_head(repo, [e.path for e in entries])
    return [Change(e.path, "Update" if e.path in tracked else "Add") for e in entries]


def _linked_images(
    repo: Path, blog: Path, named: list[Path], skip: set[str], baseurl: str
) -> tuple[list[Change], list[Change]]:
    """New or modified images that posts not in the commit link (the named ones, else the
    committed posts that name them), and those posts, as Updates for the message."""
    base = repo_path(repo, blog)
    prefix = "" if base == "." else base + "/"
    specs = [f":(glob,icase){prefix}**/*{suffix}" for suffix in assets.IMAGE_SUFFIXES]
    entries = gitrepo.status(repo, specs)
    candidates = {e.path for e in entries if "D" not in e.code and e.path not in skip}
    if not candidates:
        return [], []
    names = {Path(c).name for c in candidates} | {quote(Path(c).name) for c in candidates}
    owners: list[Change] = []
    files: list[str] = []
    chosen = [p for p in named if folder(p, blog) == "_posts"] if named else None
    for post in _posts_naming(repo, blog, names) if chosen is None else chosen:
        path = repo_path(repo, post)
        if path in skip:
            continue
        text = _text(post)
        if not text or not any(name in text for name in names):
            continue
        linked = [f for f in _local(text, blog, post, baseurl, repo) if f in candidates]
        if linked:
            owners.append(Change(path, "Update", post_title(text, post)))
            files += linked
    return owners, _new_or_modified(repo, list(dict.fromkeys(files)))


def _posts_naming(repo: Path, blog: Path, names: set[str]) -> list[Path]:
    """The committed posts whose text holds one of the names (`git grep`: fast on any blog)."""
    patterns = [arg for name in sorted(names) for arg in ("-e", name)]
    folder = gitrepo.literal([repo_path(repo, blog / "_posts")])
    found = git(repo, "grep", "-l", "-z", "-I", "-F", *patterns, "--", *folder, check=False)
    if found.returncode > 1:
        raise VcsError(f"git grep failed: {found.stderr.strip()}")
    paths = [repo / p for p in found.stdout.split("\0") if p]
    return [p for p in paths if cache.is_post(p.relative_to(blog).as_posix())]


def _local(text: str, blog: Path, post: Path, baseurl: str, repo: Path) -> list[str]:
    """The local images the post shows, as repository paths."""
    return [repo_path(repo, f) for f in assets.local_files(text, blog, post, baseurl)]


def _text(path: Path) -> str:
    """A post's text; '' when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _missing(
    repo: Path, blog: Path, posts: list[Change], texts: dict[str, str], baseurl: str
) -> list[str]:
    """A warning for each local image a post in the commit shows that the blog does not have."""
    warnings = []
    for change in posts:
        path = repo / change.path
        text = texts.get(change.path) or promote.read(path)
        for url in assets.missing_files(text, blog, path, baseurl):
            warnings.append(
                f"{change.path} shows {url}, which is not in the blog: the site will show no "
                "image; add the file or fix the link"
            )
    return warnings

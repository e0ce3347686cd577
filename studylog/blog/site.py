"""The blog on disk: find it, name posts, write them atomically without clobbering, list them."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from studylog import paths
from studylog.blog import cache
from studylog.config import Settings
from studylog.errors import BlogError
from studylog.git import run as vcs
from studylog.post.parse import date_from_name

POST_SUFFIXES = (".md", ".markdown")
MAX_SLUG_BYTES = 120
SLUG_TRIM = "-._~"
MINIMAL_CONFIG = """\
# A Jekyll site created by studylog; point studylog at your real blog with --blog,
# $STUDYLOG_BLOG or the 'blog' config key.
title: My study log
theme: minima
"""


def is_jekyll_site(path: Path) -> bool:
    """A directory with `_config.yml` or `_posts/`."""
    return (path / "_config.yml").is_file() or (path / "_posts").is_dir()


DEFAULT_SOURCE = "default"
CONFIG_KEY = "the 'blog' config key"


@dataclass(frozen=True, slots=True)
class BlogChoice:
    """The blog in use and what chose it: --blog, $STUDYLOG_BLOG, the cwd, the config, default."""

    path: Path
    source: str

    @property
    def is_default(self) -> bool:
        """Nothing named a blog: the default one (under the user data dir) is in use."""
        return self.source == DEFAULT_SOURCE


def find_blog(option: Path | None, configured: Path | None, cwd: Path | None = None) -> BlogChoice:
    """--blog, else $STUDYLOG_BLOG, else the cwd if a Jekyll site, else config, else the default.

    The default blog is named, not created (`resolve_blog` creates it); nothing is asked here.
    """
    env = os.environ.get("STUDYLOG_BLOG")
    cwd = cwd or Path.cwd()
    for candidate, what in ((option, "--blog"), (Path(env) if env else None, "$STUDYLOG_BLOG")):
        if candidate is not None:
            return BlogChoice(_checked(candidate.expanduser(), what), what)
    if is_jekyll_site(cwd):
        return BlogChoice(cwd, "the current directory")
    if configured is not None:
        return BlogChoice(_checked(configured, CONFIG_KEY), CONFIG_KEY)
    return BlogChoice(paths.default_blog_dir(), DEFAULT_SOURCE)


def resolve_blog(option: Path | None, configured: Path | None, cwd: Path | None = None) -> Path:
    """The blog's directory as `find_blog` chooses it, the default blog created if it is used."""
    choice = find_blog(option, configured, cwd)
    return ensure_default_blog(choice.path) if choice.is_default else choice.path


def _checked(path: Path, what: str) -> Path:
    if path.exists() and not path.is_dir():
        raise BlogError(f"{path} (from {what}) is a file, not a directory: give the blog's folder")
    if not path.is_dir():
        raise BlogError(
            f"blog directory {path} (from {what}) does not exist: create it or fix {what}"
        )
    if not os.access(path, os.R_OK | os.X_OK):
        raise BlogError(
            f"blog directory {path} (from {what}) is not readable: check its permissions"
        )
    if not is_jekyll_site(path):
        raise BlogError(
            f"{path} (from {what}) is not a Jekyll site (no _config.yml or _posts/): "
            "point it at your blog's root"
        )
    return path.resolve()


def ensure_default_blog(path: Path) -> Path:
    """Create the default blog (a git repository with `_posts/`) the first time it is used."""
    if is_jekyll_site(path):
        return path
    try:
        (path / "_posts").mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise BlogError(
            f"the default blog's place {path} is taken by a file: move the file away, "
            "or set `blog` (`studylog config set blog PATH`)"
        ) from exc
    except OSError as exc:
        raise BlogError(f"cannot create the default blog at {path}: {exc.strerror}") from exc
    write_new(path / "_config.yml", MINIMAL_CONFIG)
    if not (path / ".git").exists():
        vcs.git(path, "init", "-q")
    return path


def slugify(text: str) -> str:
    """A safe file-name part: NFC, no path separators or control characters, length-capped."""
    text = "".join(
        c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c)[0] != "C"
    )
    # Removing characters can leave neighbours that compose: normalize again.
    text = re.sub(r"[\\/:*?\"<>|#%\[\]{}]+", "-", unicodedata.normalize("NFC", text))
    text = re.sub(r"-{2,}", "-", re.sub(r"\s+", "-", text))
    while True:
        # Jekyll skips names starting with . _ # ~; a leading or trailing - or . looks broken.
        text = unicodedata.normalize("NFC", text).strip(SLUG_TRIM)
        if len(text.encode("utf-8")) <= MAX_SLUG_BYTES:
            return text or "post"
        text = text.encode("utf-8")[:MAX_SLUG_BYTES].decode("utf-8", "ignore")


def post_path(blog: Path, date: dt.date, slug: str, *, draft: bool = False) -> Path:
    """`_posts/YYYY-MM-DD-slug.md`, or `_drafts/slug.md` for a draft."""
    if draft:
        return blog / "_drafts" / f"{slugify(slug)}.md"
    return blog / "_posts" / f"{date.isoformat()}-{slugify(slug)}.md"


def post_files(blog: Path, *, drafts: bool = False) -> list[Path]:
    """Markdown posts under `_posts/` (and `_drafts/`), sorted by name."""
    folders = ["_posts"] + (["_drafts"] if drafts else [])
    # Sorted as Paths sort (by parts); symlinked folders are not entered, as with rglob.
    found = [name for folder in folders for name in _markdown_files(str(blog / folder))]
    return [Path(name) for name in sorted(found, key=lambda name: name.split(os.sep))]


def _markdown_files(folder: str) -> Iterator[str]:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # missing or unreadable: no posts there
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _markdown_files(entry.path)
        elif _suffix(entry.name) in POST_SUFFIXES and entry.is_file():
            yield entry.path


def _suffix(name: str) -> str:
    """`Path(name).suffix`."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def write_new(path: Path, text: str, *, force: bool = False) -> Path | None:
    """Write atomically; never replace an existing file unless `force` (then back it up first).

    Returns the backup's path when one was made.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise BlogError(f"{path.parent} is a file, not a folder: move it away") from exc
    except OSError as exc:
        raise BlogError(
            f"cannot create the folder {path.parent}: {exc.strerror}; nothing was changed"
        ) from exc
    tmp = _write_temp(path, text)
    try:
        if force and path.exists():
            backup = backup_file(path)
            os.replace(tmp, path)
            _fsync_dir(path.parent)
            return backup
        _link_no_clobber(tmp, path)
        _fsync_dir(path.parent)
        return None
    finally:
        tmp.unlink(missing_ok=True)


def replace_file(path: Path, text: str) -> None:
    """Write atomically (temp file, fsync, rename), replacing a file of that name if any."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temp(path, text)
    try:
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _write_temp(path: Path, text: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        Path(name).unlink(missing_ok=True)
        raise BlogError(f"cannot write {path}: {exc.strerror or exc}; nothing was changed") from exc
    return Path(name)


def _link_no_clobber(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # atomic, and fails if the name is taken: never clobbers
    except FileExistsError as exc:
        raise BlogError(
            f"{path} already exists: use --force to replace it (a backup is kept)"
        ) from exc
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise BlogError(f"cannot write {path}: {exc.strerror}; nothing was changed") from exc
        _exclusive_replace(tmp, path)  # file systems without hard links


def _exclusive_replace(tmp: Path, path: Path) -> None:
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    except FileExistsError as exc:
        raise BlogError(
            f"{path} already exists: use --force to replace it (a backup is kept)"
        ) from exc
    os.replace(tmp, path)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def backup_file(path: Path) -> Path:
    """Copy a file into the state dir's backups before it is replaced; returns the copy's path."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = paths.state_dir() / "backups" / f"{path.name}.{stamp}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, target)
    return target


DAY_SPEC = re.compile(r"^(?:day)?\s*(\d+)$", re.IGNORECASE)


def find_post(blog: Path, spec: str, *, drafts: bool = True) -> Path:
    """A post named by path, date (2021-08-18) or course day (13, day13); BlogError otherwise."""
    for candidate in (Path(spec).expanduser(), blog / spec):
        if candidate.is_file():
            return candidate.resolve()
    files = post_files(blog, drafts=drafts)
    try:
        wanted = dt.date.fromisoformat(spec)
        matches = [p for p in files if date_from_name(p) == wanted]
    except ValueError:
        day = DAY_SPEC.match(spec.strip())
        if not day:
            raise BlogError(
                f"no post '{spec}': give a path, a date (YYYY-MM-DD) or a course day (13, day13)"
            ) from None
        matches = _with_day(blog, int(day[1]), drafts=drafts)
    return _one(matches, spec, blog)


def _with_day(blog: Path, number: int, *, drafts: bool) -> list[Path]:
    """The posts of a course day, from the cached rows."""
    rows = cache.rows(blog, Settings(), drafts=drafts)
    return sorted(blog / r.path for r in rows if r.day == number)


def _one(matches: list[Path], spec: str, blog: Path) -> Path:
    if not matches:
        raise BlogError(f"no post '{spec}' in {blog}: `studylog list` shows the posts")
    if len(matches) > 1:
        names = ", ".join(str(p.relative_to(blog)) for p in matches)
        raise BlogError(f"'{spec}' names several posts ({names}): give the path")
    return matches[0].resolve()

"""The blog on disk: find it, name posts, write them atomically without clobbering, list them."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from studylog import paths
from studylog.blog import cache
from studylog.config import Settings
from studylog.errors import BlogError
from studylog.post.parse import date_from_name

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
    """Create the default blog (a Jekyll site: `_config.yml` and `_posts/`) the first time it is
    used; the command that uses it makes it a git repository (`git.repo.init`)."""
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
    """`_posts/YYYY-MM-DD-slug.md`, or `_drafts/slug.md` for a draft (or the post of that name
    already there under another Markdown extension, like `.markdown`)."""
    if draft:
        return twin_or(blog / "_drafts" / f"{slugify(slug)}.md")
    return twin_or(blog / "_posts" / f"{date.isoformat()}-{slugify(slug)}.md")


def post_files(blog: Path, *, drafts: bool = False, skipped: bool = False) -> list[Path]:
    """Markdown posts under `_posts/` (and `_drafts/`) as Jekyll finds them, sorted by name;
    with the names Jekyll skips when `skipped` (for `check`)."""
    found = [rel for rel in cache.scan(blog, skipped=skipped) if drafts or rel[:7] == "_posts/"]
    # Sorted as Paths sort (by parts).
    return [blog / rel for rel in sorted(found, key=lambda rel: rel.split("/"))]


def write_new(
    path: Path, text: str, *, force: bool = False, like: Path | None = None
) -> Path | None:
    """Write atomically; never replace an existing file unless `force` (then back it up first).

    The file gets the mode of the one it replaces (or of `like`, a post it renames), else the
    umask's. Returns the backup's path when one was made.
    """
    _no_links(path)
    _make_folder(path.parent)
    twin = None if path.exists() else _twin(path)
    if twin is not None:
        raise BlogError(_taken(twin))
    tmp = _write_temp(path, text)
    try:
        _set_mode(tmp, path, _mode_of(path, like))
        if force and path.exists():
            backup = backup_file(path)
            _replace(tmp, path)
            return backup
        _link_no_clobber(tmp, path)
        _fsync_dir(path.parent)
        return None
    finally:
        tmp.unlink(missing_ok=True)


def replace_file(path: Path, text: str) -> None:
    """Write atomically (temp file, fsync, rename), replacing a file of that name if any (and
    keeping its mode; a new file gets the umask's)."""
    _make_folder(path.parent)
    tmp = _write_temp(path, text)
    try:
        _set_mode(tmp, path, _mode_of(path))
        _replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def cannot_write(path: Path, exc: OSError) -> BlogError:
    """The error of a write of `path` that failed: the path, the cause, that nothing changed."""
    return _failed(f"cannot write {path}", exc, path.parent)


def _failed(doing: str, exc: OSError, folder: Path) -> BlogError:
    """`doing` failed for `exc`'s cause (and, when not allowed, which `folder` to check)."""
    cause = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        cause += f": check that you can write to {folder}"
    return BlogError(f"{doing}: {cause}; nothing was changed")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise BlogError(f"{folder} is a file, not a folder: move it away") from exc
    except OSError as exc:
        raise _failed(f"cannot create the folder {folder}", exc, folder.parent) from exc


def _no_links(path: Path) -> None:
    """BlogError when a post's file or a folder under the blog's `_posts/`/`_drafts/` (or that
    folder itself) is a symbolic link: studylog never writes through one."""
    chain = (path, *path.parents)
    inside = [i for i, part in enumerate(chain) if part.name in cache.FOLDERS]
    for part in chain[: inside[0] + 1] if inside else ():
        if part.is_symlink():
            raise BlogError(cache.linked(part))


def _twin(path: Path) -> Path | None:
    """Another post of the same date and slug beside a post's path (`x.markdown` for `x.md`):
    Jekyll would build one page of the two."""
    if path.parent.name not in cache.FOLDERS or not cache.is_markdown(path.name):
        return None
    stem = path.name[: path.name.rfind(".")]
    try:
        names = os.listdir(path.parent)
    except OSError:
        return None
    return next(
        (
            path.parent / name
            for name in sorted(names)
            if name != path.name and name[: name.rfind(".")] == stem and cache.is_markdown(name)
        ),
        None,
    )


def twin_or(path: Path) -> Path:
    """The post of a path's date and slug already in its folder under another extension, if
    any; else the path."""
    return _twin(path) or path


def _taken(path: Path) -> str:
    return f"{path} already exists: use --force to replace it (a backup is kept)"


def _mode_of(*sources: Path | None) -> int:
    """The mode of the first of `sources` that exists (the file replaced or renamed), else the
    umask's for a new file."""
    for source in sources:
        if source is not None:
            try:
                return os.stat(source).st_mode & 0o7777
            except OSError:
                continue
    return _umask_mode()


def _umask_mode() -> int:
    """0666 less the umask: what a plain `open` gives a new file."""
    try:  # read, not set: setting it would race with other threads creating files
        status = Path("/proc/self/status").read_text("ascii")
        umask = int(re.search(r"^Umask:\s*([0-7]+)", status, re.M)[1], 8)  # type: ignore[index]
    except (OSError, TypeError, ValueError):
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


def _set_mode(tmp: Path, path: Path, mode: int) -> None:
    """Give the temp file the mode `path` is to have (mkstemp makes it 0600)."""
    try:
        os.chmod(tmp, mode)
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def _write_temp(path: Path, text: str) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        Path(name).unlink(missing_ok=True)
        raise cannot_write(path, exc) from exc
    return Path(name)


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    _fsync_dir(path.parent)


def _link_no_clobber(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # atomic, and fails if the name is taken: never clobbers
    except FileExistsError as exc:
        raise BlogError(_taken(path)) from exc
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise cannot_write(path, exc) from exc
        _exclusive_replace(tmp, path)  # file systems without hard links


def _exclusive_replace(tmp: Path, path: Path) -> None:
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError as exc:
        raise BlogError(_taken(path)) from exc
    except OSError as exc:
        raise cannot_write(path, exc) from exc
    _replace(tmp, path)


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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    except OSError as exc:
        raise _failed(f"cannot keep a backup of {path}", exc, target.parent) from exc
    return target


DAY_SPEC = re.compile(r"^(?:day)?\s*(\d+)$", re.IGNORECASE)


def find_post(blog: Path, spec: str, *, drafts: bool = True) -> Path:
    """A post named by path, date (2021-08-18) or course day (13, day13); BlogError otherwise."""
    for candidate in (Path(spec).expanduser(), blog / spec):
        if candidate.is_symlink():
            raise BlogError(cache.linked(candidate))
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

"""The local images a post references (Markdown, reference-style and `<img src>`), as files;
and image files outside the blog that an entry names, copied in and linked by their site path."""

from __future__ import annotations

import dataclasses
import errno
import filecmp
import itertools
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

import yaml

from studylog.errors import BlogError, ConfigError
from studylog.post.model import QA, Entry
from studylog.post.parse import yaml_loader

URL = r"(<[^>\n]+>|(?:\{\{[^}\n]*\}\}|[^)\s])+)"  # <with spaces>, or up to a space ({{ }} kept)
INLINE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*" + URL)
REFERENCE_USE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\[([^\]]*)\]")
REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*" + URL, re.MULTILINE)
HTML_SRC = re.compile(r"<(?:img|source)\b[^>]*?\bsrc\s*=\s*([\"'])(.*?)\1", re.IGNORECASE)
LIQUID_URL = re.compile(r"\{\{\s*[\"']([^\"']+)[\"']\s*\|\s*(?:relative|absolute)_url\s*\}\}")
LIQUID_PREFIX = re.compile(r"^(?:\{\{\s*site\.(?:url|baseurl)\s*\}\})+")
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def references(text: str) -> list[str]:
    """The image URLs of a post, in order of appearance, without repeats."""
    found = [(m.start(), m[1]) for m in INLINE.finditer(text)]
    found += [(m.start(), m[2]) for m in HTML_SRC.finditer(text)]
    definitions = {_label(m[1]): m[2] for m in REFERENCE_DEF.finditer(text)}
    for use in REFERENCE_USE.finditer(text):
        label = _label(use[2] or use[1])
        if label in definitions:
            found.append((use.start(), definitions[label]))
    return list(dict.fromkeys(url.strip("<>") for _, url in sorted(found)))


def local_files(text: str, blog: Path, post: Path, baseurl: str = "") -> list[Path]:
    """The files under the blog that the post's images point at (missing ones are skipped)."""
    found: list[Path] = []
    for url in references(text):
        path = _resolve(url, blog, post, baseurl)
        if path is not None and path not in found:
            found.append(path)
    return found


def _label(label: str) -> str:
    return " ".join(label.lower().split())


def missing_files(text: str, blog: Path, post: Path, baseurl: str = "") -> list[str]:
    """The URLs of the post's images that name a local file the blog does not have."""
    return [
        url
        for url in references(text)
        if _local_path(url, baseurl) is not None and _resolve(url, blog, post, baseurl) is None
    ]


def _local_path(url: str, baseurl: str) -> str | None:
    """The path on the site a URL names (baseurl and Liquid URL filters taken off); None for a
    URL elsewhere, or one Liquid computes."""
    url = LIQUID_PREFIX.sub("", LIQUID_URL.sub(r"\1", url.strip()))
    if not url or EXTERNAL.match(url) or "{{" in url or "{%" in url:
        return None
    local = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if baseurl and local.startswith(baseurl + "/"):
        return local[len(baseurl) :]
    return local or None


def _resolve(url: str, blog: Path, post: Path, baseurl: str = "") -> Path | None:
    local = _local_path(url, baseurl)
    if local is None:
        return None
    bases = [blog] if local.startswith("/") else [post.parent, blog]
    root = blog.resolve()
    for base in bases:
        candidate = (base / local.lstrip("/")).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


# --- image files named in an entry, copied into the blog -------------------------------------

IMAGE_SUFFIXES = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".svg",
    ".bmp",
    ".avif",
    ".tif",
    ".tiff",
)
# Code (fenced blocks, inline spans) is shown as typed: no path in it is an image.
CODE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[^\n]*$|\Z)|`[^`\n]*`", re.M | re.S)
NAMED = re.compile(
    r"!\[(?P<alt>(?:[^\]\\\n]|\\.)*)\]\((?P<url>[^)\n]*)\)"  # ![alt](url "title")
    r"|(?<![^\s(\[])(?P<q>['\"])(?P<quoted>(?:~|/|file://)[^'\"\n]*)(?P=q)"  # a dragged path
    r"|(?<!\S)(?P<bare>(?:~/|/|file://)[^\n]*)"  # a bare path, to the end of its line at most
)
TITLE = re.compile(r"^(.*?)(\s+(?:\"[^\"]*\"|'[^']*'))$", re.S)
TRAILING = re.compile(r"[.,;:!?)]+$")
URL_UNSAFE = re.compile(r"[\s()<>%#?\[\]]")
SKIPPED = "._#~"  # Jekyll leaves files whose names start with these out of the site


@dataclass(frozen=True, slots=True)
class Copy:
    """An image file to copy into the blog: from where, to where."""

    source: Path
    target: Path


def localize(entry: Entry, blog: Path, folder: str) -> tuple[Entry, list[Copy]]:
    """The entry with the image files its questions, answers and mentoring name linked by their
    site path under `folder` (relative to the blog), and the copies that takes."""
    linker = _Linker(blog.resolve(), folder, site_baseurl(blog))
    discussion = [QA(linker.text(qa.question), linker.text(qa.answer)) for qa in entry.discussion]
    mentoring = linker.text(entry.mentoring)
    if not linker.copies and not linker.linked:
        return entry, []
    return dataclasses.replace(entry, discussion=discussion, mentoring=mentoring), linker.copies


def site_baseurl(blog: Path) -> str:
    """The `baseurl` `_config.yml` sets ('' for none, or when the file cannot be read)."""
    try:
        config = yaml.load((blog / "_config.yml").read_text("utf-8"), yaml_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    value = config.get("baseurl") if isinstance(config, dict) else None
    return "/" + str(value).strip("/") if value and str(value).strip("/") else ""


@contextmanager
def copied(copies: Sequence[Copy]) -> Iterator[None]:
    """Copy the images in, each atomically and never over another file; when the block fails,
    the copies made are removed again."""
    made: list[Path] = []  # the copies, and the folders made for them (deepest first)
    try:
        for item in copies:
            folders = [p for p in item.target.parents if not p.exists()]
            _copy(item)
            made += [item.target, *folders]
        yield
    except BaseException:
        for path in made:
            with suppress(OSError):
                if path.is_dir():
                    path.rmdir()  # only while empty
                else:
                    path.unlink()
        raise


class _Linker:
    """Rewrites image paths in Markdown, collecting the copies (one per file, names unique)."""

    def __init__(self, blog: Path, folder: str, baseurl: str) -> None:
        self.blog, self.baseurl, self.folder = blog, baseurl, folder
        self.copies: list[Copy] = []
        self.urls: dict[Path, str] = {}  # source file -> its site URL
        self.linked = False

    def text(self, text: str) -> str:
        """The Markdown with every image file outside code linked by its site path."""
        if "/" not in text:
            return text
        parts: list[str] = []
        last = 0
        for code in CODE.finditer(text):
            parts += [NAMED.sub(self._replace, text[last : code.start()]), code[0]]
            last = code.end()
        return "".join([*parts, NAMED.sub(self._replace, text[last:])])

    def _replace(self, match: re.Match[str]) -> str:
        if match["url"] is not None:
            return self._link(match)
        if match["quoted"] is not None:
            url = self._url(match["quoted"], relative=False)
            return match[0] if url is None else f"![]({url})"
        return self._bare(match["bare"])

    def _bare(self, line: str) -> str:
        """A line from a bare path on: the longest start of it that is an image file (spaces
        typed as they are, or escaped; a full stop after it is not part of it) linked."""
        ends = [m.start() for m in re.finditer(r"(?<!\\)\s", line)][::-1]
        for end in [len(line), *ends]:
            for path in dict.fromkeys((line[:end], TRAILING.sub("", line[:end]))):
                url = self._url(path, relative=False)
                if url is not None:
                    return f"![]({url})" + NAMED.sub(self._replace, line[len(path) :])
        word = len(line) if not ends else ends[-1]
        return line[:word] + NAMED.sub(self._replace, line[word:])

    def _link(self, match: re.Match[str]) -> str:
        """An image link whose URL is a local file: the same link to the site path."""
        inner = match["url"].strip()
        candidates = [(inner.removeprefix("<").removesuffix(">"), "")]
        if titled := TITLE.match(inner):
            candidates.append((titled[1].removeprefix("<").removesuffix(">"), titled[2]))
        for path, title in candidates:
            url = self._url(_unquoted(path), relative=True)
            if url is not None:
                return f"![{match['alt']}]({url}{title})"
        return match[0]

    def _url(self, text: str, *, relative: bool) -> str | None:
        """The site URL for a path naming an image file (None: not one; left as it is)."""
        if not text.lower().endswith(IMAGE_SUFFIXES) or text[0] in "{#":
            return None  # not an image's name, Liquid, an anchor
        if EXTERNAL.match(text) and not text.startswith("file://"):
            return None  # a URL
        if _resolve(text, self.blog, self.blog / "_posts" / "post.md", self.baseurl):
            return None  # already a path on the site
        source = _image_file(text, relative=relative)
        if source is None:
            return None
        if source not in self.urls:
            self.urls[source] = self._site_url(self._place(source))
        self.linked = True
        return self.urls[source]

    def _place(self, source: Path) -> Path:
        """Where the image is in the blog: itself when it is already inside, else its name (spaces
        as dashes) in the folder, or a free one (or a file with the same bytes); the copy is
        planned."""
        if source.is_relative_to(self.blog) and _served(source.relative_to(self.blog)):
            return source
        directory = self.blog / _folder(self.folder)
        planned = {c.target for c in self.copies}
        name = re.sub(r"\s+", "-", source.name).lstrip(SKIPPED) or f"image{source.suffix}"
        stem, suffix = name[: len(name) - len(source.suffix)], source.suffix
        for number in itertools.count():
            target = directory / (name if number == 0 else f"{stem}-{number}{suffix}")
            if target in planned:
                continue
            if not target.exists():
                self.copies.append(Copy(source, target))
                return target
            if target.is_file() and filecmp.cmp(source, target, shallow=False):
                return target  # the same image is there already
        raise AssertionError("unreachable")

    def _site_url(self, target: Path) -> str:
        path = "/" + target.relative_to(self.blog).as_posix()
        return self.baseurl + URL_UNSAFE.sub(lambda m: quote(m[0]), path)


def _unquoted(text: str) -> str:
    """The text without the quotes a terminal puts around a dragged path."""
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _image_file(text: str, *, relative: bool) -> Path | None:
    """The existing image file a path names: `~`, `file://` and backslash escapes understood;
    a relative path (only when `relative`) from the current directory."""
    if text.startswith("file://"):
        text = unquote(text.removeprefix("file://").removeprefix("localhost"))
    text = re.sub(r"\\(.)", r"\1", text)
    path = Path(text).expanduser()
    if not path.is_absolute() and not relative:
        return None
    try:
        found = path.resolve()
        return found if found.suffix.lower() in IMAGE_SUFFIXES and found.is_file() else None
    except (OSError, ValueError):
        return None


def _served(path: PurePosixPath | Path) -> bool:
    """Whether Jekyll copies a file at this blog-relative path into the site."""
    return not any(part[0] in SKIPPED for part in path.parts)


def _folder(pattern: str) -> PurePosixPath:
    """The blog folder images are copied to; ConfigError when Jekyll would leave it out."""
    folder = PurePosixPath(pattern)
    if folder.is_absolute() or ".." in folder.parts or not folder.parts or not _served(folder):
        raise ConfigError(
            f"config key 'image_dir' names {pattern!r}, which Jekyll leaves out of the site: "
            "use a folder inside the blog whose parts do not start with '.', '_', '#' or '~' "
            "(like assets/images/{date}); nothing was written"
        )
    return folder


def _copy(item: Copy) -> None:
    """Copy a file atomically (temp file, fsync, link), never replacing one; umask's mode."""
    directory = item.target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{item.target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise BlogError(f"cannot copy {item.source} into {directory}: {exc.strerror}") from exc
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, item.source.open("rb") as source:
            shutil.copyfileobj(source, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        _link(tmp, item.target)
    except OSError as exc:
        raise BlogError(
            f"cannot copy {item.source} to {item.target}: {exc.strerror}; nothing was written"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _link(tmp: Path, target: Path) -> None:
    try:
        os.link(tmp, target)  # atomic, and fails if the name is taken
    except FileExistsError as exc:
        raise BlogError(f"{target} appeared meanwhile: nothing was written; try again") from exc
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        os.replace(tmp, target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask

"""The blog's posts as rows, read once and cached: what list, search, stats and `new` read.

A row holds a post's list columns and, for search, its searchable fields. Each kind of row has
its own file per blog under the user cache dir (`index/`, `search/`): a list never loads the
searchable text, which is most of the bytes. A file is keyed by the blog, the studylog version
and the headings (which decide what a post's text means); it holds every post's row with the
size and mtime its file had when scanned, and a post is read again when either changed. A post
whose mtime is within RACY_NS of the scan that cached it is read again too: a change in the same
clock tick keeps both.

A file is a magic line, the CRC-32 of the rest and, in `marshal` form, (format, key, when the
posts were scanned, the rows). It is replaced atomically (a temp file, then a rename), so that
concurrent runs never see half of one. One that cannot be read or does not check out (magic,
checksum, format, key) is rebuilt, and a row any of whose values has the wrong type is read
again: a damaged cache costs time, never a wrong answer.
"""

from __future__ import annotations

import datetime as dt
import marshal
import math
import os
import tempfile
import time
import unicodedata
import zlib
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from itertools import product
from pathlib import Path

from studylog import __version__, paths
from studylog.config import Settings
from studylog.errors import BlogError, PostError
from studylog.post import parse
from studylog.post.model import Entry, stamp_of

FORMAT = 2
MAGIC = b"studylog cache\n"
HEAD = len(MAGIC) + 4  # the magic line, then the checksum
RACY_NS = 2_000_000_000
FOLDERS = ("_posts", "_drafts")
# Jekyll's default markdown_ext, matched in any case: the posts it converts from Markdown.
MARKDOWN = frozenset(f".{ext}" for ext in "markdown,mkdown,mkdn,mkd,md".split(","))
SKIPPED_START = "._#~"  # Jekyll's EntryFilter skips names starting with these (and ending in ~)
SECTIONS = ("topic", "question", "answer", "mentoring")  # the searchable fields' sections
NONE = type(None)
# A stored row's values: path, size, mtime, date (an ordinal), day, title, moderator,
# participants, Q&As, error, time (a search row's fields follow); each sequence of their types
# allowed.
TYPES = frozenset(
    product(
        [str],
        [int],
        [int],
        [int, NONE],
        [int, NONE],
        [str],
        [str],
        [tuple],
        [int],
        [str, NONE],
        [int, NONE],
    )
)
VALUES = 11
MAX_ORDINAL = dt.date.max.toordinal()

Stamp = tuple[int, int]  # a file's size and mtime in ns
Field = tuple[str, int | None, str]  # a searchable field: its section, Q&A number and text


@dataclass(frozen=True, slots=True)
class Row:
    """A listed post: its path in the blog (with `/`), its list columns, why it cannot be read
    (`error`), in a search's rows its searchable fields in the post's order, and the time its
    front matter's date gives (seconds since the epoch, a time without offset read as UTC), by
    which Jekyll orders the posts of a day."""

    path: str
    date: dt.date | None
    day: int | None
    title: str = ""
    moderator: str = ""
    participants: tuple[str, ...] = ()
    questions: int = 0
    error: str | None = None
    fields: tuple[Field, ...] = ()
    time: int | None = None


@dataclass(frozen=True)
class Filters:
    """Which rows `select` keeps: dated `since` to `until`, moderated by `moderator`, attended
    by `participant` (names in any case), at most `limit` of them."""

    since: dt.date | None = None
    until: dt.date | None = None
    moderator: str | None = None
    participant: str | None = None
    limit: int | None = None


def rows(
    blog: Path, settings: Settings, *, drafts: bool = False, search: bool = False
) -> list[Row]:
    """Every post's row (and every draft's if asked), with its fields for a `search`: from the
    cache where current, else read from the post's file (and the cache written again)."""
    kind = "search" if search else "index"
    started = time.time_ns()
    key = blog_key(blog, settings)
    file = cache_file(blog, settings, kind)
    scanned, stored = _load(file, key)
    found = scan(blog)
    every = _current(stored, found, scanned - RACY_NS, search)
    unread = [rel for rel in found if rel not in every]
    for rel in unread:
        every[rel] = read_row(blog, rel, settings, found[rel][1], search=search)
    if unread or len(stored) != len(every):
        _save(file, key, started, [_stored(every[rel], found[rel], search) for rel in found])
    return [every[rel] for rel in found if drafts or not rel.startswith("_drafts/")]


def read_row(
    blog: Path, rel: str, settings: Settings, mtime_ns: int, *, search: bool = False
) -> Row:
    """A post's row, read from its file (`mtime_ns` dates a draft without a date); with its
    searchable fields for a `search`."""
    try:
        entry = parse.read_post(blog / rel, settings, mtime_ns / 1e9)
    except PostError as exc:
        return unreadable(rel, exc.reason)
    return row_of(rel, entry, search=search)


def row_of(rel: str, entry: Entry, *, search: bool = False) -> Row:
    """The row of a post's entry (`rel`: its path in the blog); its fields for a `search`."""
    return Row(
        rel,
        entry.date,
        parse.course_day(entry.title, rel.rpartition("/")[2]),
        entry.title,
        entry.moderator,
        tuple(entry.participants),
        len(entry.discussion),
        None,
        searchable(entry) if search else (),
        time_of(entry),
    )


def time_of(entry: Entry) -> int | None:
    """The time of the entry's front matter date in seconds since the epoch; None for a date."""
    stamp = stamp_of(entry.front_matter.get("date"))
    if not isinstance(stamp, dt.datetime):
        return None
    return int(
        (stamp if stamp.utcoffset() is not None else stamp.replace(tzinfo=dt.UTC)).timestamp()
    )


def unreadable(rel: str, reason: str) -> Row:
    """The row of a post that cannot be read (`reason`): dated and numbered by its file name."""
    name = rel.rpartition("/")[2]
    return Row(rel, parse.date_in_name(name), parse.course_day("", name), error=reason)


def searchable(entry: Entry) -> tuple[Field, ...]:
    """The searchable fields of an entry, in the post's order: topics, Q&As, mentoring."""
    fields: list[Field] = [("topic", None, t.label) for t in entry.topics]
    for i, qa in enumerate(entry.discussion, 1):
        fields += [("question", i, qa.question), ("answer", i, qa.answer)]
    fields.append(("mentoring", None, entry.mentoring))
    return tuple(fields)


def select(rows: Iterable[Row], filters: Filters) -> list[Row]:
    """The rows the filters keep, newest first; an unreadable post is kept unless dated out."""
    kept = [row for row in newest_first(rows) if _keeps(row, filters)]
    return kept if filters.limit is None else kept[: filters.limit]


def newest_first(rows: Iterable[Row]) -> list[Row]:
    """Rows in Jekyll's order, the newest first: by date, then time (a post without one is at
    the day's start), then path (folder by folder)."""
    return sorted(rows, key=_age, reverse=True)


def _age(row: Row) -> tuple[dt.date, float, list[str]]:
    return row.date or dt.date.min, -math.inf if row.time is None else row.time, row.path.split("/")


def _keeps(row: Row, f: Filters) -> bool:
    if row.date and ((f.since and row.date < f.since) or (f.until and row.date > f.until)):
        return False
    if row.error:
        return not (f.moderator or f.participant)
    if f.moderator and name_key(row.moderator) != name_key(f.moderator):
        return False
    wanted = name_key(f.participant) if f.participant else None
    return wanted is None or wanted in (name_key(p) for p in row.participants)


def name_key(name: str) -> str:
    """A name as filters compare it: composed (NFC; a name pasted decomposed is the same name)
    and case-folded."""
    return unicodedata.normalize("NFC", name).casefold()


def blog_key(blog: Path, settings: Settings) -> str:
    """Whose posts a cache holds and what their rows depend on: blog, studylog, headings."""
    return repr([os.path.realpath(blog), __version__, sorted(settings.headings.items())])


def cache_file(blog: Path, settings: Settings, kind: str = "index") -> Path:
    """The file of a blog's cached rows of `kind`: index (for lists) or search."""
    # Named as earlier versions named it, so that this file replaces theirs; two blogs whose
    # keys share a name only rebuild each other's (the key is checked inside).
    key = blog_key(blog, settings).encode()
    return paths.cache_dir() / kind / f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}.bin"


def scan(blog: Path, *, skipped: bool = False) -> dict[str, Stamp]:
    """The blog's posts and drafts, as Jekyll finds them: their paths in it -> (size, mtime in ns),
    sorted by path; with the names Jekyll skips (`.x.md`, `_x.md`) when `skipped`. Linked
    folders and files are left out (GitHub Pages does not follow links); BlogError when
    `_posts/` or `_drafts/` itself is a link."""
    unlinked(blog)
    found: dict[str, Stamp] = {}
    for folder in FOLDERS:
        _scan(str(blog / folder), folder, found, skipped)
    return dict(sorted(found.items()))


def unlinked(blog: Path) -> None:
    """BlogError when the blog's `_posts/` or `_drafts/` is a symbolic link."""
    for folder in FOLDERS:
        if (blog / folder).is_symlink():
            raise BlogError(linked(blog / folder))


def linked(path: Path) -> str:
    """What to say of a link where a post or its folder should be."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return (
        f"{path} is a symbolic link (to {target}): GitHub Pages does not follow links and "
        f"studylog never writes through them; put the {'folder' if path.is_dir() else 'file'} "
        "itself in its place"
    )


def is_markdown(name: str) -> bool:
    """Whether Jekyll converts a file of that name from Markdown (its extension, in any case)."""
    dot = name.rfind(".")
    return 0 < dot and name[dot:].lower() in MARKDOWN


def jekyll_skips(name: str) -> bool:
    """Whether Jekyll skips a file or folder of that name (`.x`, `_x`, `#x`, `~x`, `x~`)."""
    return name[:1] in SKIPPED_START or name.endswith("~")


def is_post(rel: str) -> bool:
    """Whether Jekyll builds the file at `rel` (`_posts/...` or `_drafts/...`, with `/`) as a
    Markdown post or draft."""
    folder, _, rest = rel.partition("/")
    parts = rest.split("/")
    return (
        folder in FOLDERS
        and is_markdown(parts[-1])
        and not any(not part or jekyll_skips(part) for part in parts)
    )


def _scan(folder: str, rel: str, found: dict[str, Stamp], skipped: bool) -> None:
    """Add the posts under `folder` (`rel` in the blog) to `found`."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:  # missing or unreadable: no posts there
        return
    for entry in entries:
        if jekyll_skips(entry.name) and not skipped:
            continue
        try:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                _scan(entry.path, f"{rel}/{entry.name}", found, skipped)
            elif is_markdown(entry.name) and entry.is_file():
                status = entry.stat()
                found[f"{rel}/{entry.name}"] = (status.st_size, status.st_mtime_ns)
        except OSError:  # gone since it was listed
            continue


def _current(
    stored: list[object], found: Mapping[str, Stamp], racy: int, search: bool
) -> dict[str, Row]:
    """The stored rows still current: of a post whose size and mtime are as found, the mtime
    before `racy`, and whose values all have their types."""
    current = {}
    for values in stored:
        restored = _restored(values, search)
        if restored is not None:
            stamp, row = restored
            if found.get(row.path) == stamp and stamp[1] < racy:
                current[row.path] = row
    return current


def _stored(row: Row, stamp: Stamp, search: bool) -> tuple[object, ...]:
    """A row as its cache keeps it: with its file's size and mtime, the date as an ordinal."""
    date = row.date.toordinal() if row.date else None
    values = (
        row.path,
        *stamp,
        date,
        row.day,
        row.title,
        row.moderator,
        row.participants,
        row.questions,
        row.error,
        row.time,
    )
    return (*values, row.fields) if search else values


def _restored(values: object, search: bool) -> tuple[Stamp, Row] | None:
    """The stamp and row a stored entry holds; None unless each value has its type."""
    if type(values) is not tuple or len(values) != VALUES + search:
        return None
    if tuple(map(type, values[:VALUES])) not in TYPES:
        return None
    path, size, mtime, date, day, title, moderator, people, questions, error, time_ = values[
        :VALUES
    ]
    fields = values[VALUES] if search else ()
    if date is not None and not 0 < date <= MAX_ORDINAL:
        return None
    if not set(map(type, people)) <= {str} or not _are_fields(fields):
        return None
    when = dt.date.fromordinal(date) if date is not None else None
    row = Row(path, when, day, title, moderator, people, questions, error, fields, time_)
    return (size, mtime), row


def _are_fields(value: object) -> bool:
    """Whether a stored value is searchable fields: (section, Q&A number or None, text) each."""
    return type(value) is tuple and all(
        type(f) is tuple
        and len(f) == 3
        and f[0] in SECTIONS
        and type(f[1]) in (int, NONE)
        and type(f[2]) is str
        for f in value
    )


def _load(file: Path, key: str) -> tuple[int, list[object]]:
    """(when the posts were scanned, the stored rows) of a cache file that checks out (magic,
    checksum, format, key); (0, []) otherwise."""
    try:
        data = file.read_bytes()
    except OSError:
        return 0, []
    body = memoryview(data)[HEAD:]
    if data[: len(MAGIC)] != MAGIC or data[len(MAGIC) : HEAD] != _checksum(body):
        return 0, []
    try:
        payload = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return 0, []
    if type(payload) is not tuple or len(payload) != 4 or payload[:2] != (FORMAT, key):
        return 0, []
    scanned, stored = payload[2:]
    if type(scanned) is not int or type(stored) is not list:
        return 0, []
    return scanned, stored


def _save(file: Path, key: str, scanned: int, stored: list[tuple[object, ...]]) -> None:
    """Replace the cache file atomically; one that cannot be written is not kept."""
    body = marshal.dumps((FORMAT, key, scanned, stored))
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=file.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.writelines([MAGIC, _checksum(body), body])
        os.replace(temp, file)
    except OSError:
        with suppress(OSError):
            os.unlink(temp)


def _checksum(data: bytes | memoryview) -> bytes:
    return zlib.crc32(data).to_bytes(4, "big")

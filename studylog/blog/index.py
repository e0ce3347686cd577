"""The blog's posts as list rows: a summary of each, cached by path, size and mtime.

The cache is one file per blog under the user cache dir: a header, a checksum and the rows as
columns in `marshal` form (a few milliseconds to load, with each name stored once). It is
replaced atomically, so concurrent runs never see half a file; one that cannot be read or does
not check out (checksum, format, key) is rebuilt, and every value is type-checked (a column at a
time, then entry by entry only when a column fails) before use. A file whose mtime is within
RACY_NS of the scan that cached it is read again, since a change in the same clock tick keeps
size and mtime.

A first run (nothing cached) stats no file while scanning: each is stat-ed from the descriptor its
reader opened. Posts are read by `quickread` (the full parser only where it is unsure), from
their folder's descriptor, in this process while git runs and then in forked children too.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import sys
import time
import zlib
from itertools import chain

from studylog import __version__, paths

TYPE_CHECKING = False
if TYPE_CHECKING:  # not imported at run time: pathlib and typing cost start-up time
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any, TypeVar

    from studylog.config import Settings
    from studylog.post.summary import Summary

    T = TypeVar("T")
    Stamp = tuple[int, int]  # a file's size and mtime in ns
    # rels, sizes, mtimes, isos, days, titles, moderators, participants, questions, errors
    Columns = tuple[tuple[Any, ...], ...]

FORMAT = 2
MAGIC = b"studylog index\n"
RACY_NS = 2_000_000_000
FOLDERS = ("_posts", "_drafts")
SUFFIXES = (".md", ".markdown")  # as blog.post_files
PARALLEL_FROM = 400  # posts to read before a second process pays for its fork
MAX_SHARES = 4
BATCH = 32  # posts read between two looks at whether other threads still run
NO_STAMP = (-1, -1)  # a post that could not be opened: never matches a scan
O_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0)
O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
DIR_FD = os.open in os.supports_dir_fd
NO_DATE = "0001-01-01"  # dt.date.min: where a post without a date sorts
# Each column's allowed value types, in column order (participants: a tuple of texts each).
NONE: type = type(None)
KINDS: tuple[frozenset[type], ...] = (
    frozenset([str]),
    frozenset([int]),
    frozenset([int]),
    frozenset([str, NONE]),
    frozenset([int, NONE]),
    frozenset([str]),
    frozenset([str]),
    frozenset([tuple]),
    frozenset([int]),
    frozenset([str, NONE]),
)
EMPTY: Columns = ((),) * len(KINDS)


class Filters:
    """Which rows `select` keeps (a plain class: `dataclasses` is slow to import)."""

    __slots__ = ("since", "until", "moderator", "participant", "limit")

    def __init__(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        moderator: str | None = None,
        participant: str | None = None,
        limit: int | None = None,
    ) -> None:
        self.since = since
        self.until = until
        self.moderator = moderator
        self.participant = participant
        self.limit = limit

    def _values(self) -> tuple[object, ...]:
        return (self.since, self.until, self.moderator, self.participant, self.limit)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        shown = zip(self.__slots__, self._values(), strict=True)
        return "Filters(" + ", ".join(f"{n}={v!r}" for n, v in shown) + ")"


class Row:
    """A post's list columns as the cache keeps them: its blog-relative posix path, no Path."""

    __slots__ = ("rel", "iso", "day", "title", "moderator", "participants", "questions", "error")

    def __init__(
        self,
        rel: str,
        iso: str,
        day: int | None,
        title: str,
        moderator: str,
        participants: tuple[str, ...],
        questions: int,
        error: str | None,
    ) -> None:
        self.rel = rel
        self.iso = iso  # the date as YYYY-MM-DD, or ""
        self.day = day
        self.title = title
        self.moderator = moderator
        self.participants = participants
        self.questions = questions
        self.error = error

    def __repr__(self) -> str:
        return f"Row({self.rel!r}, {self.iso!r}, {self.title!r}, error={self.error!r})"

    @property
    def date(self) -> dt.date | None:
        """The post's date, if it has one."""
        return dt.date.fromisoformat(self.iso) if self.iso else None

    @classmethod
    def of(cls, rel: str, s: Summary) -> Row:
        date = s.date.isoformat() if s.date else ""
        people = tuple(s.participants)
        return cls(rel, date, s.day, s.title, s.moderator, people, s.questions, s.error)

    def summary(self, blog: Path) -> Summary:
        """The row as `parse.read_summary` gives it."""
        from studylog.post.summary import Summary

        return Summary(
            blog / self.rel,
            self.date,
            self.day,
            self.title,
            self.moderator,
            list(self.participants),
            self.questions,
            self.error,
        )

    def order(self) -> tuple[str, int, str]:
        """`newest_first`'s key: the path compares part by part, as a Path does (a NUL, below
        every other character, stands for each `/`)."""
        return (self.iso or NO_DATE, self.day or 0, self.rel.replace("/", "\0"))


def summaries(blog: Path, settings: Settings, *, drafts: bool = False) -> list[Summary]:
    """Every post's summary (and every draft's if asked); only files the cache lacks are read."""
    return [r.summary(blog) for r in rows(blog, settings, drafts=drafts)]


def rows(
    blog: Path,
    settings: Settings,
    *,
    drafts: bool = False,
    before_read: Callable[[], object] | None = None,
) -> list[Row]:
    """Every post's row (and every draft's if asked); only files the cache lacks are read.

    `before_read` is called when some post must be read, before any reading process is forked
    (say, to end a thread: a fork copies only the calling thread); posts are read here while
    other threads run.
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()  # thousands of new rows and no cycles: the collector would only walk them
    try:
        return _rows(blog, settings, drafts, before_read)
    finally:
        if collecting:
            gc.enable()


def _rows(
    blog: Path, settings: Settings, drafts: bool, before_read: Callable[[], object] | None
) -> list[Row]:
    """`rows`, with the garbage collector off."""
    started = time.time_ns()
    key = _key(blog, settings)
    cache = _cache_file(key)
    scanned, columns = _load(cache, key)
    # Nothing cached (a first run): no stat per post here; each is stat-ed by its reader instead,
    # from the file it opened, in parallel.
    found = scan(blog, stat=len(columns[0]) > 0)
    cached = _decoded(columns, found, scanned - RACY_NS) if columns[0] else {}
    todo = [rel for rel in found if rel not in cached]
    fresh = _read(blog, settings, todo, found, before_read) if todo else {}
    every = cached | fresh if fresh else cached
    if todo or len(columns[0]) != len(found):
        save(cache, _payload(key, started, _encode(found, every)))
    return [every[rel] for rel in found if drafts or not rel.startswith("_drafts/")]


def _read(
    blog: Path,
    settings: Settings,
    todo: list[str],
    found: dict[str, Stamp | None],
    before_read: Callable[[], object] | None,
) -> dict[str, Row]:
    """The rows of the posts the cache lacks, read from their files; their stamps go to `found`.

    Many posts (a first run) are read by two processes or more: each forked child reads a share
    and sends its rows back as columns, checked like the cache's; whatever does not come back
    whole is read here. While another thread runs (git, say), forking must wait: this process
    reads meanwhile, up to its own share.
    """
    reader = _Reader(blog, settings)
    try:
        shares = _shares(len(todo))
        read: dict[str, Row] = {}
        done = _read_while_threads(reader, todo, found, read, len(todo) // shares)
        if before_read is not None:
            before_read()
        rest = todo[done:]
        if shares > 1 and _threads() > 1:  # still not alone: forking is not safe
            shares = 1
        children = [_fork(reader, rest[i::shares]) for i in range(1, shares)]
        for rel in rest[0::shares]:
            found[rel], read[rel] = _read_one(reader, rel, found[rel])
        for i, child in enumerate(children, start=1):
            share = rest[i::shares]
            sent = _sent(_collect(child), share, found)
            for rel in share:
                row = sent.get(rel)
                if row is None:
                    found[rel], row = _read_one(reader, rel, found[rel])
                read[rel] = row
        return read
    finally:
        reader.close()


def _threads() -> int:
    """How many threads this process runs (without importing threading if it never did)."""
    threading = sys.modules.get("threading")
    return 1 if threading is None else threading.active_count()


def _read_while_threads(
    reader: _Reader,
    todo: list[str],
    found: dict[str, Stamp | None],
    read: dict[str, Row],
    most: int,
) -> int:
    """Read the first posts of `todo` while another thread runs, at most `most`: how many."""
    done = 0
    while done < most and _threads() > 1:
        for rel in todo[done : min(done + BATCH, most)]:
            found[rel], read[rel] = _read_one(reader, rel, found[rel])
        done = min(done + BATCH, most)
    return done


class _Reader:
    """Reads one blog's posts: each folder opened once, each file by its name in it (the kernel
    then walks no path), in one read of the size the scan or an fstat gives."""

    def __init__(self, blog: Path, settings: Settings) -> None:
        from studylog.post import quickread

        self.blog = blog
        self.root = str(blog)
        self.settings = settings
        self.grammar = quickread.grammar_for(settings.headings, settings.footer)
        self.quick = quickread.row
        self.folders: dict[str, int | None] = {}

    def folder(self, name: str) -> int | None:
        """The open folder `name` (relative to the blog), or None to open files by their path."""
        fd = self.folders.get(name, -1)
        if fd == -1:
            fd = None
            if DIR_FD:
                try:
                    fd = os.open(os.path.join(self.root, name), os.O_RDONLY | O_DIRECTORY)
                except OSError:
                    pass
            self.folders[name] = fd
        return fd

    def close(self) -> None:
        """Close the folders opened."""
        for fd in self.folders.values():
            if fd is not None:
                os.close(fd)
        self.folders.clear()


def _read_one(reader: _Reader, rel: str, stamp: Stamp | None) -> tuple[Stamp, Row]:
    """A post's stamp (size and mtime: the scan's, else its file's) and row."""
    folder, _, name = rel.rpartition("/")
    fd = -1
    try:
        where = reader.folder(folder)
        if where is None:
            fd = os.open(os.path.join(reader.root, rel), O_READ)
        else:
            fd = os.open(name, O_READ, dir_fd=where)
        if stamp is None:
            status = os.fstat(fd)
            stamp = (status.st_size, status.st_mtime_ns)
        data = _read_all(fd, stamp[0])
    except OSError:
        data = None
    finally:
        if fd >= 0:
            os.close(fd)
    values = reader.quick(data, name, reader.grammar) if data is not None else None
    if values is None or stamp is None:  # the full parser decides (and says what is wrong)
        mtime = stamp[1] / 1e9 if stamp is not None else None
        summary = read_summary(reader.blog / rel, reader.settings, mtime)
        return stamp or NO_STAMP, Row.of(rel, summary)
    iso, day, title, moderator, participants, questions = values
    return stamp, Row(rel, iso, day, title, moderator, participants, questions, None)


def _read_all(fd: int, size: int) -> bytes:
    """A file's bytes; one read when it still has the expected size."""
    data = os.read(fd, size + 1)
    if len(data) == size:
        return data
    chunks = [data]  # changed since (or a short read): read on up to the end
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _shares(count: int) -> int:
    """Into how many processes to split reading `count` posts: 1 unless forking can work and
    pays (whether other threads run is asked later: they may end meanwhile)."""
    if count < PARALLEL_FROM or not hasattr(os, "fork") or sys.platform == "darwin":
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_SHARES, count // PARALLEL_FROM))


def _fork(reader: _Reader, share: list[str]) -> tuple[int, int]:
    """A child process that reads `share` and writes its rows as columns to a pipe: (pid, pipe)."""

    def work() -> bytes:
        found: dict[str, Stamp] = {}
        rows: dict[str, Row] = {}
        for rel in share:
            found[rel], rows[rel] = _read_one(reader, rel, None)
        return marshal.dumps(_encode(found, rows))

    return fork(work)


def fork(work: Callable[[], bytes]) -> tuple[int, int]:
    """A child process that writes what `work` returns to a pipe and exits: (pid, pipe)."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writable)
        return pid, readable
    code = 1
    try:  # the child: never returns, never runs the parent's exit handlers or flushes its output
        os.close(readable)
        view = memoryview(work())
        while view:
            view = view[os.write(writable, view) :]
        code = 0
    finally:
        os._exit(code)


def _collect(child: tuple[int, int]) -> Columns:
    """What a child sent, once it has exited successfully; EMPTY otherwise (read here instead)."""
    sent = collect(child)
    return EMPTY if sent is None else _shaped(sent)


def collect(child: tuple[int, int]) -> object:
    """What a `fork` child sent (unmarshalled), once it has exited successfully; None otherwise."""
    pid, readable = child
    with os.fdopen(readable, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None


def _sent(columns: Columns, share: list[str], found: dict[str, Stamp | None]) -> dict[str, Row]:
    """The rows a child sent for posts of its share, with their stamps written to `found`."""
    mine = set(share)
    at = [i for i, rel in enumerate(columns[0]) if rel in mine]
    sizes, mtimes = columns[1], columns[2]
    stamps = {columns[0][i]: (sizes[i], mtimes[i]) for i in at}
    rows = _decoded(columns, stamps, sys.maxsize)
    for rel in rows:
        found[rel] = stamps[rel]
    return rows


def read_summary(path: Path, settings: Settings, mtime: float | None = None) -> Summary:
    """`parse.read_summary`, imported only when a post must be read (the parser is slow to load)."""
    from studylog.post import parse

    return parse.read_summary(path, settings, mtime)


def cache_file(blog: Path, settings: Settings) -> Path:
    """Where the index of a blog is cached (one file per blog and headings)."""
    return _cache_file(_key(blog, settings))


def _cache_file(key: str) -> Path:
    return cache_path(key, "index")


def cache_path(key: str, kind: str) -> Path:
    """The file of cache `kind` (a folder of the user cache dir) for a blog's `key`."""
    # Two checksums, not a cryptographic hash (hashlib loads OpenSSL, 5 ms): the key is also
    # stored in the file and checked, so two blogs that share a name only rebuild each other's.
    data = key.encode()
    name = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
    return paths.cache_dir() / kind / f"{name}.bin"


def _key(blog: Path, settings: Settings) -> str:
    return blog_key(blog, settings)


def blog_key(blog: Path, settings: Settings) -> str:
    """Whose posts the cache holds and what they depend on: the blog, studylog, the headings."""
    headings = sorted(settings.headings.items())
    return repr([os.path.realpath(blog), __version__, headings])


def scan(blog: Path, *, stat: bool = True) -> dict[str, Stamp | None]:
    """Blog-relative post paths -> (size, mtime in ns), from one stat each (None each without
    `stat`), sorted by path."""
    found: dict[str, Stamp | None] = {}
    root = str(blog)
    for folder in FOLDERS:
        try:
            fd = os.open(os.path.join(root, folder), os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        _scan_folder(fd, folder + "/", found, stat)
    return dict(sorted(found.items()))


def _scan_folder(fd: int, prefix: str, found: dict[str, Stamp | None], stat: bool) -> None:
    """Add the posts under an open folder (closed here); the stats are relative to it, which
    spares the kernel the walk down the whole path for each."""
    try:
        with os.scandir(fd) as listing:
            entries = list(listing)
        folders = []
        for entry in entries:
            name = entry.name
            if entry.is_dir():
                folders.append(name)
            elif name.endswith(SUFFIXES) and entry.is_file():
                if stat:
                    s = os.stat(name, dir_fd=fd)
                    found[prefix + name] = (s.st_size, s.st_mtime_ns)
                else:
                    found[prefix + name] = None
        for name in folders:
            try:
                sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            except OSError:
                continue
            _scan_folder(sub, f"{prefix}{name}/", found, stat)
    except OSError:
        pass
    finally:
        os.close(fd)


def _load(cache: Path, key: str) -> tuple[int, Columns]:
    """(when it was scanned, its columns) of a cache that checks out; (0, EMPTY) otherwise."""
    scanned, data = load(cache, MAGIC, FORMAT, key)
    return (scanned, _shaped(data)) if scanned else (0, EMPTY)


def load(cache: Path, magic: bytes, form: int, key: str) -> tuple[int, object]:
    """(when it was scanned, its data) of a cache file `payload` wrote with this magic, format
    and key, if its checksum checks out; (0, None) otherwise. The data is still to be checked."""
    try:
        with open(cache, "rb") as handle:
            data = handle.read()
    except OSError:
        return 0, None
    body = memoryview(data)[len(magic) + 4 :]  # a view: a large cache is not copied
    if data[: len(magic)] != magic or data[len(magic) : len(magic) + 4] != _crc(body):
        return 0, None
    try:
        payload = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return 0, None
    if type(payload) is not tuple or len(payload) != 4 or payload[:2] != (form, key):
        return 0, None
    scanned = payload[2]
    if type(scanned) is not int or scanned <= 0:
        return 0, None
    return scanned, payload[3]


def _crc(data: bytes | memoryview) -> bytes:
    """The checksum a cache file holds after its magic."""
    return zlib.crc32(data).to_bytes(4, "big")


def _shaped(columns: object) -> Columns:
    """The columns if they are the index's: tuples of one length; EMPTY otherwise."""
    return shaped(columns, EMPTY)


def shaped(columns: object, empty: Columns) -> Columns:
    """`columns` if it is a tuple of as many tuples as `empty` holds, all of one length; else
    `empty` (a cache file's columns, checked before any value is read)."""
    if type(columns) is not tuple or len(columns) != len(empty):
        return empty
    if any(type(c) is not tuple for c in columns) or len({len(c) for c in columns}) != 1:
        return empty
    return columns


def _decoded(columns: Columns, found: Mapping[str, Stamp | None], racy: int) -> dict[str, Row]:
    """The rows of `columns` whose path, size and mtime are as `found` (mtime before `racy`)
    and whose values have their types."""
    rels, sizes, mtimes, isos, days, titles, moderators, people, questions, errors = columns
    hits = current(rels, sizes, mtimes, found, racy)
    if not _typed(columns):
        hits = [i for i in hits if _typed(tuple((c[i],) for c in columns))]
    return {
        rels[i]: Row(
            rels[i],
            isos[i] or "",
            days[i],
            titles[i],
            moderators[i],
            people[i],
            questions[i],
            errors[i],
        )
        for i in hits
    }


def current(
    rels: tuple[Any, ...],
    sizes: tuple[Any, ...],
    mtimes: tuple[Any, ...],
    found: Mapping[str, Stamp | None],
    racy: int,
) -> list[int]:
    """The positions of the cache entries still current: path, size and mtime as `found` has
    them, the mtime before `racy` (a later change could keep both); a path listed twice, once."""
    get = found.get
    at = dict(zip(rels, range(len(rels)), strict=True))  # the last entry of a path counts
    return [
        i
        for rel, i in at.items()
        if (stamp := get(rel)) is not None
        and stamp[1] < racy
        and stamp[0] == sizes[i]
        and stamp[1] == mtimes[i]
    ]


def _typed(columns: Columns) -> bool:
    """Whether every value has its column's type: a column at a time, in C (map, set, join)."""
    for column, kinds in zip(columns, KINDS, strict=True):
        if not set(map(type, column)) <= kinds:
            return False
    try:  # TypeError unless every participant is text
        "".join(chain.from_iterable(columns[7]))
    except TypeError:
        return False
    isos = [iso for iso in columns[3] if iso is not None]
    try:  # fromisoformat also takes 20210802 and 2021-W32-1: only its own output comes back
        return list(map(dt.date.isoformat, map(dt.date.fromisoformat, isos))) == isos
    except ValueError:
        return False


def _encode(found: Mapping[str, Stamp | None], rows: dict[str, Row]) -> Columns:
    """The rows as columns, in `found`'s order; equal names become one object (stored once)."""
    rels = [rel for rel in found if rel in rows]
    stamps = [found[rel] or NO_STAMP for rel in rels]
    listed = [rows[rel] for rel in rels]
    shared: dict[str, str] = {}
    name = shared.setdefault
    return (
        tuple(rels),
        tuple([s[0] for s in stamps]),
        tuple([s[1] for s in stamps]),
        tuple([r.iso or None for r in listed]),
        tuple([r.day for r in listed]),
        tuple([r.title for r in listed]),
        tuple([name(r.moderator, r.moderator) for r in listed]),
        tuple([tuple([name(p, p) for p in r.participants]) for r in listed]),
        tuple([r.questions for r in listed]),
        tuple([r.error for r in listed]),
    )


def _payload(key: str, scanned: int, columns: Columns) -> tuple[bytes, ...]:
    """The cache file's bytes, in parts: the header, the checksum of the rest, and the rest."""
    return payload(MAGIC, FORMAT, key, scanned, columns)


def payload(magic: bytes, form: int, key: str, scanned: int, data: Any) -> tuple[bytes, ...]:
    """A cache file's bytes, in parts (never joined: a large cache is not copied): the magic,
    the checksum of the rest, and the rest (format, key, when scanned, data)."""
    body = marshal.dumps((form, key, scanned, data))
    return magic, _crc(body), body


def save(cache: Path, parts: tuple[bytes, ...]) -> None:
    """Replace the cache file atomically with `parts`; one that cannot be written is not kept."""
    folder = os.path.dirname(cache)
    kind = os.path.basename(folder)
    name = os.path.join(folder, f".{kind}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
    try:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                for part in parts:
                    handle.write(part)
            os.replace(name, cache)
        finally:
            if os.path.lexists(name):
                os.unlink(name)
    except OSError:
        pass


def newest_first(rows: list[Summary]) -> list[Summary]:
    """Rows by date, then course day, then path, the newest first."""
    return sorted(rows, key=lambda s: (s.date or dt.date.min, s.day or 0, s.path), reverse=True)


def select(rows: list[T], filters: Filters) -> list[T]:
    """The rows (Summary or Row) the filters keep, newest first; an unreadable post is kept unless
    dated out."""
    given: list[Any] = rows
    keeps: Callable[[Any, Filters], bool]
    if given and isinstance(given[0], Row):
        ordered = sorted(given, key=Row.order, reverse=True)
        keeps = _row_keeps
    else:
        ordered = newest_first(given)
        keeps = _keeps
    if filters == Filters(limit=filters.limit):
        kept = ordered
    else:
        kept = [s for s in ordered if keeps(s, filters)]
    return kept[: filters.limit] if filters.limit is not None else kept


def _keeps(s: Summary, f: Filters) -> bool:
    if s.date and ((f.since and s.date < f.since) or (f.until and s.date > f.until)):
        return False
    return _person_keeps(s, f)


def _row_keeps(r: Row, f: Filters) -> bool:
    """`_keeps` for a Row: ISO dates compare as text as the dates do (no date built)."""
    if r.iso and (
        (f.since and r.iso < f.since.isoformat()) or (f.until and r.iso > f.until.isoformat())
    ):
        return False
    return _person_keeps(r, f)


def _person_keeps(s: Summary | Row, f: Filters) -> bool:
    if s.error:
        return not (f.moderator or f.participant)
    if f.moderator and s.moderator.casefold() != f.moderator.casefold():
        return False
    wanted = f.participant.casefold() if f.participant else None
    return wanted is None or wanted in (p.casefold() for p in s.participants)


def relative(path: Path, blog: Path) -> str:
    """A post's path relative to the blog, with `/` (fast: no path arithmetic)."""
    text, root = str(path), str(blog)
    if text.startswith(root + os.sep):
        return text[len(root) + 1 :].replace(os.sep, "/")
    return path.relative_to(blog).as_posix()


def row(r: Row, state: str | None) -> dict[str, Any]:
    """A row as `list --json` prints it; an unreadable post has `path`, `error` and `state`."""
    if r.error:
        return {"path": r.rel, "error": r.error, "state": state}
    return {
        "path": r.rel,
        "date": r.iso or None,
        "day": r.day,
        "title": r.title,
        "moderator": r.moderator,
        "participants": list(r.participants),
        "questions": r.questions,
        "state": state,
    }

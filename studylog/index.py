"""The blog's posts as list rows: a summary of each, cached by path, size and mtime.

The cache is one JSON file per blog under the user cache dir. It is replaced atomically, so
concurrent runs never see half a file; one that cannot be read or does not check out is rebuilt,
and each entry is type-checked (cheap checks in bulk, no Path built) before use. A file whose
mtime is within RACY_NS of the scan that cached it is read again, since a change in the same
clock tick keeps size and mtime.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from studylog import __version__, paths
from studylog.config import Settings
from studylog.summary import Summary

FORMAT = 1
RACY_NS = 2_000_000_000
FOLDERS = ("_posts", "_drafts")
SUFFIXES = (".md", ".markdown")  # as blog.post_files
T = TypeVar("T")
PARALLEL_FROM = 400  # posts to read before a second process pays for its fork
MAX_SHARES = 4


@dataclass
class Filters:
    """Which rows `select` keeps."""

    since: dt.date | None = None
    until: dt.date | None = None
    moderator: str | None = None
    participant: str | None = None
    limit: int | None = None


@dataclass(slots=True, eq=False)
class Row:
    """A post's list columns as the cache keeps them: its blog-relative posix path, no Path."""

    rel: str
    date: dt.date | None
    iso: str  # the date as YYYY-MM-DD, or ""
    day: int | None
    title: str
    moderator: str
    participants: list[str]
    questions: int
    error: str | None

    @classmethod
    def of(cls, rel: str, s: Summary) -> Row:
        date = s.date.isoformat() if s.date else ""
        people = list(s.participants)
        return cls(rel, s.date, date, s.day, s.title, s.moderator, people, s.questions, s.error)

    def summary(self, blog: Path) -> Summary:
        """The row as `parse.read_summary` gives it."""
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

    def order(self) -> tuple[dt.date, int, list[str]]:
        """`newest_first`'s key: the path compares part by part, as a Path does."""
        return (self.date or dt.date.min, self.day or 0, self.rel.split("/"))


def summaries(blog: Path, settings: Settings, *, drafts: bool = False) -> list[Summary]:
    """Every post's summary (and every draft's if asked); only files the cache lacks are read."""
    return [r.summary(blog) for r in rows(blog, settings, drafts=drafts)]


def rows(blog: Path, settings: Settings, *, drafts: bool = False) -> list[Row]:
    """Every post's row (and every draft's if asked); only files the cache lacks are read."""
    started = time.time_ns()
    found = _scan(blog)
    key = _key(blog, settings)
    cache = _cache_file(key)
    known = _load(cache, key)
    posts: dict[str, Any] = known.get("posts", {})
    racy = known.get("scanned", 0) - RACY_NS
    cached: dict[str, Row] = {}
    for rel, stamp in found.items():
        entry = posts.get(rel)
        if type(entry) is list and entry[:2] == stamp and stamp[1] < racy:
            if row := _decode(rel, entry):
                cached[rel] = row
    todo = [(rel, stamp) for rel, stamp in found.items() if rel not in cached]
    fresh = _read(blog, settings, todo)
    if todo or len(posts) != len(found):
        kept = {
            rel: [*stamp, *_encode(fresh[rel])] if rel in fresh else posts[rel]
            for rel, stamp in found.items()
        }
        _save(cache, {"format": FORMAT, "key": key, "scanned": started, "posts": kept})
    every = cached | fresh
    return [every[rel] for rel in found if drafts or not rel.startswith("_drafts/")]


def _read(blog: Path, settings: Settings, todo: list[tuple[str, list[int]]]) -> dict[str, Row]:
    """The rows of the posts the cache lacks, read from their files.

    Many posts (a first run) are read by two processes or more: a forked child reads a share and
    sends its rows back as JSON, checked like cache entries; whatever does not come back whole is
    read here.
    """
    shares = _shares(len(todo))
    children = [_fork(blog, settings, todo[i::shares]) for i in range(1, shares)]
    rows = {rel: _read_one(blog, settings, rel, stamp) for rel, stamp in todo[0::shares]}
    for i, child in enumerate(children, start=1):
        sent = _collect(child)
        for rel, stamp in todo[i::shares]:
            entry = sent.get(rel)
            row = _decode(rel, [*stamp, *entry]) if type(entry) is list else None
            rows[rel] = row or _read_one(blog, settings, rel, stamp)
    return rows


def _read_one(blog: Path, settings: Settings, rel: str, stamp: list[int]) -> Row:
    return Row.of(rel, read_summary(blog / rel, settings, stamp[1] / 1e9))


def _shares(count: int) -> int:
    """Into how many processes to split reading `count` posts: 1 unless forking is safe and pays."""
    import threading

    if count < PARALLEL_FROM or not hasattr(os, "fork") or sys.platform == "darwin":
        return 1
    if threading.active_count() > 1:  # a fork copies only this thread, not the others' locks
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_SHARES, count // PARALLEL_FROM))


def _fork(blog: Path, settings: Settings, share: list[tuple[str, list[int]]]) -> tuple[int, int]:
    """A child process that reads `share` and writes its rows as JSON to a pipe: (pid, pipe)."""
    import studylog.parse  # noqa: F401 (imported once, before the fork, for both processes)

    readable, writable = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writable)
        return pid, readable
    code = 1
    try:  # the child: never returns, never runs the parent's exit handlers or flushes its output
        os.close(readable)
        rows = {rel: _encode(_read_one(blog, settings, rel, stamp)) for rel, stamp in share}
        with os.fdopen(writable, "wb") as pipe:
            pipe.write(json.dumps(rows, ensure_ascii=False).encode())
        code = 0
    finally:
        os._exit(code)


def _collect(child: tuple[int, int]) -> dict[str, Any]:
    """What a child sent, once it has exited successfully; {} otherwise (its share is read here)."""
    pid, readable = child
    with os.fdopen(readable, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return {}
    try:
        sent = json.loads(data)
    except ValueError:
        return {}
    return sent if isinstance(sent, dict) else {}


def read_summary(path: Path, settings: Settings, mtime: float | None = None) -> Summary:
    """`parse.read_summary`, imported only when a post must be read (the parser is slow to load)."""
    from studylog import parse

    return parse.read_summary(path, settings, mtime)


def cache_file(blog: Path, settings: Settings) -> Path:
    """Where the index of a blog is cached (one file per blog and headings)."""
    return _cache_file(_key(blog, settings))


def _cache_file(key: str) -> Path:
    # Two checksums, not a cryptographic hash (hashlib loads OpenSSL, 5 ms): the key is also
    # stored in the file and checked, so two blogs that share a name only rebuild each other's.
    data = key.encode()
    name = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
    return paths.cache_dir() / "index" / f"{name}.json"


def _key(blog: Path, settings: Settings) -> str:
    """Whose posts the cache holds and what they depend on: the blog, studylog, the headings."""
    headings = sorted(settings.headings.items())
    return json.dumps([str(blog.resolve()), __version__, headings], ensure_ascii=False)


def _scan(blog: Path) -> dict[str, list[int]]:
    """Blog-relative post paths -> [size, mtime in ns], from one stat each."""
    found: dict[str, list[int]] = {}
    root = str(blog) + os.sep
    stack = [root + folder for folder in FOLDERS]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                stack.append(entry.path)
            elif entry.name.endswith(SUFFIXES) and entry.is_file():
                stat = entry.stat()
                rel = entry.path[len(root) :].replace(os.sep, "/")
                found[rel] = [stat.st_size, stat.st_mtime_ns]
    return dict(sorted(found.items()))


def _load(cache: Path, key: str) -> dict[str, Any]:
    try:
        data = json.loads(cache.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return {}
    if not isinstance(data.get("scanned"), int) or not isinstance(data.get("posts"), dict):
        return {}
    return data


def _encode(r: Row) -> list[Any]:
    return [r.iso or None, r.day, r.title, r.moderator, r.participants, r.questions, r.error]


def _decode(rel: str, entry: list[Any]) -> Row | None:
    """A cached entry, if every value has its type; None (read the file again) otherwise."""
    try:
        _, _, iso, day, title, moderator, participants, questions, error = entry
        if not (
            type(title) is str
            and type(moderator) is str
            and type(questions) is int
            and type(participants) is list
            and (day is None or type(day) is int)
            and (error is None or type(error) is str)
        ):
            return None
        "".join(participants)  # TypeError unless every one is text
        date = None
        if iso is not None:
            date = dt.date.fromisoformat(iso)  # TypeError unless text
            if date.isoformat() != iso:
                return None
    except (TypeError, ValueError):
        return None
    return Row(rel, date, iso or "", day, title, moderator, participants, questions, error)


def _save(cache: Path, data: dict[str, Any]) -> None:
    """Replace the cache file atomically; a cache that cannot be written is simply not kept."""
    import tempfile  # only when the cache changes (it imports random)

    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".index.", suffix=".tmp", dir=cache.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:  # dumps: the C encoder
                handle.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
            os.replace(name, cache)
        finally:
            Path(name).unlink(missing_ok=True)
    except OSError:
        pass


def newest_first(rows: list[Summary]) -> list[Summary]:
    """Rows by date, then course day, then path, the newest first."""
    return sorted(rows, key=lambda s: (s.date or dt.date.min, s.day or 0, s.path), reverse=True)


def select(rows: list[T], filters: Filters) -> list[T]:
    """The rows (Summary or Row) the filters keep, newest first; an unreadable post is kept unless
    dated out."""
    given: list[Any] = rows
    if given and isinstance(given[0], Row):
        ordered = sorted(given, key=Row.order, reverse=True)
    else:
        ordered = newest_first(given)
    if filters == Filters(limit=filters.limit):
        kept = ordered
    else:
        kept = [s for s in ordered if _keeps(s, filters)]
    return kept[: filters.limit] if filters.limit is not None else kept


def _keeps(s: Summary | Row, f: Filters) -> bool:
    if s.date and ((f.since and s.date < f.since) or (f.until and s.date > f.until)):
        return False
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

"""The blog's posts as list rows: a summary of each, cached by path, size and mtime.

The cache is one JSON file per blog under the user cache dir. It is replaced atomically, so
concurrent runs never see half a file; one that cannot be read or does not check out is rebuilt,
and each entry is type-checked before use. A file whose mtime is within RACY_NS of the scan
that cached it is read again, since a change in the same clock tick keeps size and mtime.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studylog import __version__, paths
from studylog.config import Settings
from studylog.parse import Summary, read_summary

FORMAT = 1
RACY_NS = 2_000_000_000
FOLDERS = ("_posts", "_drafts")
SUFFIXES = (".md", ".markdown")  # as blog.post_files


@dataclass
class Filters:
    """Which rows `select` keeps."""

    since: dt.date | None = None
    until: dt.date | None = None
    moderator: str | None = None
    participant: str | None = None
    limit: int | None = None


def summaries(blog: Path, settings: Settings, *, drafts: bool = False) -> list[Summary]:
    """Every post's summary (and every draft's if asked); only files the cache lacks are read."""
    started = time.time_ns()
    found = _scan(blog)
    key = _key(settings)
    cache = cache_file(blog, settings)
    known = _load(cache, key)
    rows: dict[str, list[Any]] = {}
    result = []
    changed = set(known.get("posts", {})) != set(found)
    for rel, (size, mtime) in found.items():
        summary = _cached(blog, rel, known, size, mtime)
        if summary is None:
            summary = read_summary(blog / rel, settings, mtime / 1e9)
            rows[rel] = [size, mtime, *_encode(summary)]
            changed = True
        if drafts or not rel.startswith("_drafts/"):
            result.append(summary)
    if changed:
        posts = {rel: rows.get(rel) or known["posts"][rel] for rel in found}
        _save(cache, {"format": FORMAT, "key": key, "scanned": started, "posts": posts})
    return result


def cache_file(blog: Path, settings: Settings) -> Path:
    """Where the index of a blog is cached (one file per blog and headings)."""
    name = hashlib.sha256(f"{blog.resolve()}\0{_key(settings)}".encode()).hexdigest()[:16]
    return paths.cache_dir() / "index" / f"{name}.json"


def _key(settings: Settings) -> str:
    """What the cached summaries depend on besides the files: studylog and the headings."""
    return json.dumps([__version__, sorted(settings.headings.items())], ensure_ascii=False)


def _scan(blog: Path) -> dict[str, tuple[int, int]]:
    """Blog-relative post paths -> (size, mtime in ns), from one stat each."""
    found: dict[str, tuple[int, int]] = {}
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
                found[rel] = (stat.st_size, stat.st_mtime_ns)
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


def _cached(blog: Path, rel: str, known: dict[str, Any], size: int, mtime: int) -> Summary | None:
    entry = known.get("posts", {}).get(rel)
    if not isinstance(entry, list) or entry[:2] != [size, mtime]:
        return None
    if mtime >= known["scanned"] - RACY_NS:
        return None
    return _decode(blog / rel, entry[2:])


def _encode(s: Summary) -> list[Any]:
    date = s.date.isoformat() if s.date else None
    return [date, s.day, s.title, s.moderator, s.participants, s.questions, s.error]


def _decode(path: Path, row: list[Any]) -> Summary | None:
    """A cached row, if every value has its type; None (read the file again) otherwise."""
    try:
        date, day, title, moderator, participants, questions, error = row
        checks = (
            date is None or isinstance(date, str),
            day is None or type(day) is int,
            isinstance(title, str) and isinstance(moderator, str),
            isinstance(participants, list) and all(isinstance(p, str) for p in participants),
            type(questions) is int and (error is None or isinstance(error, str)),
        )
        if not all(checks):
            return None
        parsed = dt.date.fromisoformat(date) if date else None
    except (TypeError, ValueError):
        return None
    return Summary(path, parsed, day, title, moderator, participants, questions, error)


def _save(cache: Path, data: dict[str, Any]) -> None:
    """Replace the cache file atomically; a cache that cannot be written is simply not kept."""
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


def select(rows: list[Summary], filters: Filters) -> list[Summary]:
    """The rows the filters keep, newest first; an unreadable post is kept unless dated out."""
    kept = [s for s in newest_first(rows) if _keeps(s, filters)]
    return kept[: filters.limit] if filters.limit is not None else kept


def _keeps(s: Summary, f: Filters) -> bool:
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


def row(s: Summary, blog: Path, state: str | None) -> dict[str, Any]:
    """A row as `list --json` prints it; an unreadable post has `path`, `error` and `state`."""
    path = relative(s.path, blog)
    if s.error:
        return {"path": path, "error": s.error, "state": state}
    return {
        "path": path,
        "date": s.date.isoformat() if s.date else None,
        "day": s.day,
        "title": s.title,
        "moderator": s.moderator,
        "participants": list(s.participants),
        "questions": s.questions,
        "state": state,
    }

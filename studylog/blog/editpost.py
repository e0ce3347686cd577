"""`studylog edit` without the terminal: a post's entry as defaults, revised, rewritten safely."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studylog.blog import check
from studylog.blog import site as blogmod
from studylog.blog.check import Finding
from studylog.blog.defaults import Defaults, suggest
from studylog.blog.newpost import history
from studylog.config import Settings, fill_pattern
from studylog.errors import BlogError, PostError
from studylog.post.front_matter import own_style
from studylog.post.model import CONTENT_FIELDS, Entry, stamp_of
from studylog.post.parse import (
    FRONT_END,
    POST_NAME,
    decode,
    fallback_date,
    parse_post,
    split_front,
)

LAST_MODIFIED = re.compile(r"^last_modified_at:[^\n]*$", re.MULTILINE)


@dataclass(frozen=True)
class Opened:
    """A post as read for editing; `original` is its bytes, so that a rewrite sees a change."""

    path: Path
    entry: Entry
    original: bytes


@dataclass(frozen=True)
class Rewritten:
    """Where the post now is, its backup, and the name it had when it was renamed."""

    path: Path
    backup: Path | None
    renamed_from: Path | None = None


def read_bytes(path: Path) -> bytes:
    """A post's bytes; PostError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PostError(str(path), f"cannot read it: {exc.strerror or exc}") from exc


def open_post(blog: Path, spec: str, settings: Settings) -> Opened:
    """The post named by a path, date or day, read into an entry."""
    path = blogmod.find_post(blog, spec)
    data = read_bytes(path)
    entry = parse_post(decode(data, path), path, settings, fallback_date(path))
    return Opened(path, entry, data)


def fields_of(entry: Entry) -> dict[str, Any]:
    """The entry's content fields: what the prompts offer as each answer's default."""
    return {name: getattr(entry, name) for name in CONTENT_FIELDS}


def defaults_of(entry: Entry, blog: Path, settings: Settings) -> Defaults:
    """Defaults that are the entry's own values; the roster comes from the blog's history."""
    roster = suggest(history(blog, settings), settings, entry.date).roster
    names = list(entry.participants)
    return Defaults(entry.date, entry.day, entry.title, entry.moderator, names, roster)


def revise(entry: Entry, fields: dict[str, Any], today: dt.date | None = None) -> Entry:
    """The entry with `fields` replaced; front matter and extras kept, last_modified_at today;
    a date-time in the front matter moves with the post's day, its time and offset kept."""
    revised = dataclasses.replace(entry, **fields)
    front = {**revised.front_matter, "last_modified_at": today or dt.date.today()}
    stamp = stamp_of(front.get("date"))
    if "front_matter" not in fields and isinstance(stamp, dt.datetime):
        front["date"] = _moved(front["date"], stamp, revised.date - entry.date)
    return dataclasses.replace(revised, front_matter=front)


def _moved(value: Any, stamp: dt.datetime, days: dt.timedelta) -> Any:
    """A front matter date-time `days` later, written as it was (`2021-08-23 08:30:00 +0900`)."""
    if not days:
        return value
    own = stamp.date().isoformat()
    if isinstance(value, str) and value.startswith(own):
        return (stamp + days).date().isoformat() + value[len(own) :]
    return stamp + days


def unchanged(old: Entry, new: Entry) -> bool:
    """Whether a revision changes nothing but `last_modified_at`."""

    def bare(entry: Entry) -> Entry:
        front = {k: v for k, v in entry.front_matter.items() if k != "last_modified_at"}
        return dataclasses.replace(entry, front_matter=front)

    return bare(old) == bare(new)


def styled(opened: Opened, settings: Settings) -> Settings:
    """The settings to rewrite a post with: its own front matter as the style to keep."""
    front, _ = split_front(decode(opened.original, opened.path), opened.path)
    return dataclasses.replace(settings, front_matter=own_style(front, settings.front_matter))


def destination(path: Path, old: Entry, new: Entry, settings: Settings) -> Path:
    """The post's file: the same one unless the date or day its name holds changed."""
    if (old.date, old.day) == (new.date, new.day):
        return path
    old_slug, new_slug = (_slug(e, settings) for e in (old, new))
    match = POST_NAME.match(path.name)
    if match:  # a dated name follows the date; studylog's own slug follows the day
        slug = new_slug if match[4] == old_slug else match[4]
        return path.with_name(f"{new.date.isoformat()}-{slug}.{match[5]}")
    return path.with_name(new_slug + path.suffix) if path.stem == old_slug else path


def _slug(entry: Entry, settings: Settings) -> str:
    return blogmod.slugify(fill_pattern(settings.slug_pattern, entry.day, entry.date))


def unchanged_on_disk(path: Path, original: bytes) -> None:
    """BlogError when the post changed (or went) since it was read: never overwrite that."""
    try:
        now = path.read_bytes()
    except OSError:
        now = None
    if now != original:
        raise BlogError(
            f"{path} changed on disk since it was opened: nothing was written; edit it again"
        )


def rewrite(path: Path, original: bytes, target: Path, text: str) -> Rewritten:
    """Replace the post atomically with a backup; under a new name: written no-clobber, then the
    old file removed."""
    unchanged_on_disk(path, original)
    if target == path:
        return Rewritten(target, blogmod.write_new(target, text, force=True))
    if target.exists():
        raise BlogError(
            f"cannot rename {path.name} to {target.name}: {target} already exists; "
            "nothing was changed (edit or remove that post first)"
        )
    backup = blogmod.backup_file(path)
    # no-clobber: a post written meanwhile is never replaced; the mode is the old file's
    blogmod.write_new(target, text, like=path)
    path.unlink(missing_ok=True)
    return Rewritten(target, backup, path)


def touched(text: str, today: dt.date | None = None) -> str:
    """Text whose front matter's `last_modified_at` line (if any) says today."""
    if not text.startswith("---\n"):
        return text
    end = FRONT_END.search(text, 4)
    if end is None:
        return text
    stamp = f"last_modified_at: {(today or dt.date.today()).isoformat()}"
    front = LAST_MODIFIED.sub(stamp, text[4 : end.start()], count=1)
    return text[:4] + front + text[end.start() :]


def findings(blog: Path, path: Path, text: str) -> list[Finding]:
    """What `check` says of `text` as the content of `path`."""
    site, _ = check.read_site(blog)
    return check.check_post(check.relative(path, blog), text.encode("utf-8"), site)

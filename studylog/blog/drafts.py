"""Autosaved answers of unfinished `new` and `edit` sessions, kept under the state dir; resume."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studylog import paths
from studylog.blog.site import replace_file, slugify
from studylog.errors import DraftError, StudylogError
from studylog.post.model import fields_from_mapping, fields_to_mapping

FORMAT = 1
UNDATED = "undated"


@dataclass
class Draft:
    """One session's answers; saved as `<blog>/<date or undated>--<session>.json`.

    `editing` is the post an `edit` session rewrites (None for a new post).
    """

    blog: Path
    session: str
    fields: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None  # where it is saved; None until the first answer
    editing: Path | None = None

    @classmethod
    def start(cls, blog: Path, editing: Path | None = None) -> Draft:
        """A new, still unsaved draft for a session on `blog` (editing that post, if given)."""
        session = f"{dt.datetime.now():%Y%m%dT%H%M%S%f}-{os.getpid()}"
        return cls(blog, session, editing=editing)

    def save(self, fields: dict[str, Any]) -> None:
        """Replace the saved answers atomically; the file is renamed once the date is known."""
        target = folder(self.blog) / _file_name(fields.get("date"), self.session)
        data = {
            "studylog_draft": FORMAT,
            "blog": str(self.blog),
            "fields": fields_to_mapping(fields),
        }
        if self.editing is not None:
            data["editing"] = str(self.editing)
        try:
            replace_file(target, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        except (StudylogError, OSError) as exc:
            why = exc.message if isinstance(exc, StudylogError) else exc.strerror or str(exc)
            raise DraftError(f"cannot save the draft {target}: {why}") from exc
        if self.path is not None and self.path != target:
            self.path.unlink(missing_ok=True)  # the new name holds everything the old one did
        self.path, self.fields = target, dict(fields)

    def remove(self) -> None:
        """Delete the saved answers (once the post is written)."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None

    def is_saved(self) -> bool:
        """Whether the answers are on disk now."""
        return self.path is not None and self.path.exists()

    def saved_at(self) -> dt.datetime | None:
        """When the draft was last saved."""
        if self.path is None or not self.path.exists():
            return None
        return dt.datetime.fromtimestamp(self.path.stat().st_mtime)


def folder(blog: Path) -> Path:
    """The drafts of one blog: named after it, with a hash of its full path."""
    full = str(blog.expanduser().resolve())
    digest = hashlib.sha256(full.encode()).hexdigest()[:10]
    return paths.drafts_dir() / f"{slugify(Path(full).name)}-{digest}"


def _file_name(date: dt.date | None, session: str) -> str:
    return f"{date.isoformat() if date else UNDATED}--{session}.json"


def load(path: Path, blog: Path) -> Draft:
    """The draft saved at `path`; DraftError when it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("studylog_draft") != FORMAT:
            raise ValueError("not a studylog draft")
        fields = fields_from_mapping(data.get("fields"))
        editing = data.get("editing")
    except (OSError, UnicodeDecodeError, ValueError, StudylogError) as exc:
        raise DraftError(f"draft {path} cannot be read ({exc}): delete it") from exc
    session = path.stem.partition("--")[2] or path.stem
    return Draft(blog, session, fields, path, Path(editing) if editing else None)


def find(blog: Path, editing: Path | None = None) -> list[Draft]:
    """The readable drafts of `blog` for a new post (or for editing that post), newest first."""
    found = []
    for path in folder(blog).glob("*--*.json"):
        try:
            draft = load(path, blog)
            if draft.editing == editing:
                found.append((path.stat().st_mtime_ns, draft))
        except (DraftError, OSError):
            continue  # a damaged or vanished draft is left alone, never resumed
    return [draft for _, draft in sorted(found, key=lambda pair: pair[0], reverse=True)]


def latest(blog: Path, editing: Path | None = None) -> Draft:
    """The newest draft of `blog` (for editing that post); DraftError when there is none."""
    drafts = find(blog, editing)
    if not drafts:
        if editing is not None:
            raise DraftError(f"no draft to resume for editing {editing}: leave out --resume")
        raise DraftError(f"no draft to resume for {blog}: `studylog new` starts a new post")
    return drafts[0]


def describe(draft: Draft) -> str:
    """`of 2021-08-24, saved 10:42` for messages."""
    date = draft.fields.get("date")
    saved = draft.saved_at()
    when = f", saved {saved:%Y-%m-%d %H:%M}" if saved else ""
    return f"of {date.isoformat() if date else 'an undated post'}{when}"


@dataclass(frozen=True)
class Waiting:
    """A draft file of a blog as `studylog drafts` lists it: numbered, newest first.

    `draft` is None when the file cannot be read (`problem` says why); it can still be discarded.
    """

    number: int
    path: Path
    saved: dt.datetime
    draft: Draft | None
    problem: str = ""

    @property
    def editing(self) -> Path | None:
        """The post an edit session rewrites; None for a new post (or an unreadable draft)."""
        return self.draft.editing if self.draft is not None else None

    @property
    def answers(self) -> int:
        """How many answers the draft holds."""
        return len(self.draft.fields) if self.draft is not None else 0


def waiting(blog: Path) -> list[Waiting]:
    """Every draft file of `blog` (readable or not), newest first, numbered from 1."""
    found = []
    for path in folder(blog).glob("*--*.json"):
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            continue  # vanished while listing
        try:
            draft: Draft | None = load(path, blog)
            problem = ""
        except DraftError as exc:
            draft, problem = None, str(exc.__cause__ or exc.message)
        found.append((stamp, path.name, path, draft, problem))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [
        Waiting(number, path, dt.datetime.fromtimestamp(stamp / 1e9), draft, problem)
        for number, (stamp, _, path, draft, problem) in enumerate(found, start=1)
    ]


def resumed_by(entry: Waiting, listed: list[Waiting]) -> Waiting | None:
    """The draft that `--resume` would continue instead of `entry`: a newer one of the same kind.

    None when `entry` is the one (the newest for a new post, or for editing that post), or when
    it cannot be resumed at all (unreadable).
    """
    if entry.draft is None:
        return None
    for other in listed:
        if other.number >= entry.number:
            return None
        if other.draft is not None and other.editing == entry.editing:
            return other
    return None


def what(entry: Waiting, blog: Path) -> str:
    """`new post for 2021-08-24`, `edit of _posts/2021-08-24-day17.md` or `unreadable draft`."""
    if entry.draft is None:
        return f"unreadable draft ({entry.problem})"
    if entry.editing is not None:
        return f"edit of {shown_path(entry.editing, blog)}"
    date = entry.draft.fields.get("date")
    return f"new post for {date.isoformat()}" if date else "new post (no date yet)"


def shown_path(post: Path, blog: Path) -> Path:
    """A post's path relative to the blog when it is inside it (what `edit POST` accepts)."""
    try:
        return post.relative_to(blog.expanduser().resolve())
    except ValueError:
        return post


def discard(path: Path, blog: Path) -> bool:
    """Delete one draft file of `blog`; False when it was already gone.

    Only a file directly in the blog's drafts folder, named like a draft, is ever removed;
    anything else is a DraftError.
    """
    if path.parent != folder(blog) or not path.match("*--*.json") or path.is_dir():
        raise DraftError(f"{path} is not a draft of {blog}: not removed")
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise DraftError(f"cannot remove the draft {path}: {exc.strerror or exc}") from exc
    return True

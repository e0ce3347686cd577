"""A draft becoming a post: its dated name, its front matter date, the move and its undo."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from studylog.blog import site as blogmod
from studylog.errors import BlogError
from studylog.git.record import Record

DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")
FRONT_DATE = re.compile(r"^(date|last_modified_at):([ \t]*[\"']?)(\d{4}-\d{2}-\d{2})", re.MULTILINE)


class Promotion(Record):
    """A draft becoming a dated post: the texts to write, and the draft's for a rollback."""

    __slots__ = ("draft", "post", "text", "original")

    draft: Path
    post: Path
    text: str
    original: str

    def __init__(self, draft: Path, post: Path, text: str, original: str) -> None:
        self._init(draft, post, text, original)


def plan(blog: Path, draft: Path, date: dt.date | None) -> Promotion:
    """Where the draft goes (`_posts/DATE-slug.md`: `date`, else its own, else today)."""
    original = read(draft)
    when = date or front_date(original) or dt.date.today()
    slug = DATED.sub("", draft.stem)
    post = blog / "_posts" / f"{when.isoformat()}-{slug}{draft.suffix}"
    if post.exists():
        raise BlogError(f"{post} already exists: rename the draft or pick another --date")
    return Promotion(draft, post, with_date(original, when), original)


def read(path: Path) -> str:
    """A post's text; BlogError when it cannot be read as UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BlogError(f"cannot read {path}: {exc}; is it a UTF-8 text file?") from exc


def _front_matter_end(text: str) -> int:
    """The offset of the closing `---` of the front matter; -1 when there is none."""
    if not text.startswith("---"):
        return -1
    match = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[3:], re.MULTILINE)
    return match.start() + 3 if match else -1


def front_date(text: str) -> dt.date | None:
    """The `date:` of the front matter, if it has a valid one."""
    end = _front_matter_end(text)
    match = FRONT_DATE.search(text, 0, max(end, 0))
    if not match or match[1] != "date":
        return None
    try:
        return dt.date.fromisoformat(match[3])
    except ValueError:
        return None


def with_date(text: str, when: dt.date) -> str:
    """The text with its front matter's date (and an equal last_modified_at) set to `when`."""
    end = _front_matter_end(text)
    if end < 0:
        return f"---\ndate: {when.isoformat()}\n---\n{text}"
    old = front_date(text)
    if old is None:
        return f"{text[:end]}date: {when.isoformat()}\n{text[end:]}"

    def swap(match: re.Match[str]) -> str:
        keep = match[3] if match[3] != old.isoformat() else when.isoformat()
        return f"{match[1]}:{match[2]}{keep}"

    return FRONT_DATE.sub(swap, text[:end]) + text[end:]


def promote(promotions: tuple[Promotion, ...]) -> list[Promotion]:
    """Write the posts and remove the drafts; all or nothing."""
    done: list[Promotion] = []
    try:
        for promotion in promotions:
            blogmod.write_new(promotion.post, promotion.text)
            done.append(promotion)
            promotion.draft.unlink()
    except (OSError, BlogError):
        demote(done)
        raise
    return done


def demote(done: list[Promotion]) -> None:
    """Undo promotions: the draft back in place, the new post gone."""
    for promotion in reversed(done):
        if not promotion.draft.exists():
            blogmod.write_new(promotion.draft, promotion.original)
        promotion.post.unlink(missing_ok=True)

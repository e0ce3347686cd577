"""A draft becoming a post: its dated name, its front matter date, the move and its undo."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from studylog.blog import site as blogmod
from studylog.errors import BlogError, PostError
from studylog.post import parse

DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")
# A top-level date line: the key, what precedes the value, the date the value starts with.
DATE_LINE = re.compile(r"^(date|last_modified_at):([ \t]*[\"']?)(\d{4}-\d{1,2}-\d{1,2})", re.M)


@dataclass(frozen=True, slots=True)
class Promotion:
    """A draft becoming a dated post: the texts to write, and the draft's for a rollback."""

    draft: Path
    post: Path
    text: str
    original: str


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


def front_date(text: str) -> dt.date | None:
    """The `date:` of the front matter, if it has a valid one."""
    try:
        front, _ = parse.split_front(text, "")
        return _date(parse.front_matter(front, "").get("date"))
    except PostError:
        return None


def with_date(text: str, when: dt.date) -> str:
    """The text with its front matter's date (and an equal last_modified_at) set to `when`."""
    try:
        front, _ = parse.split_front(text, "")
    except PostError:
        return f"---\ndate: {when.isoformat()}\n---\n{text}"
    end = text.index("\n") + 1 + len(front)  # where the closing `---` line starts
    old = front_date(text)
    if old is None:
        return f"{text[:end]}date: {when.isoformat()}\n{text[end:]}"

    def swap(match: re.Match[str]) -> str:
        if match[1] == "date" or _date(match[3]) == old:
            return f"{match[1]}:{match[2]}{when.isoformat()}"
        return match[0]

    return DATE_LINE.sub(swap, text[:end]) + text[end:]


def _date(value: object) -> dt.date | None:
    """The date a front-matter value gives, if any (`parse.post_date` without a fallback)."""
    try:
        return parse.post_date(value, "", None)
    except PostError:
        return None


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

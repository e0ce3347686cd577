"""Each post's searchable text (topics, questions, answers, mentoring), cached like the index.

One file per blog under the user cache dir's `search` folder, written and checked as the
index's (`index.load`, `index.payload`, `index.save`): the same key (blog, version, headings),
each post kept by path, size and mtime, none trusted whose mtime is within RACY_NS of the scan
that cached it, every value type-checked before use. A post holds its fields' text as one string
(their lines joined) and a layout: (section, Q&A number or 0, line count) for each field.
The cache may be deleted at any time: the next search reads every post again.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from functools import partial
from itertools import chain

from studylog.blog import index

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path
    from typing import Any

    from studylog.config import Settings
    from studylog.post.model import Entry

    Stamp = tuple[int, int]
    # rels, sizes, mtimes, isos, days, layouts, texts, errors
    Columns = tuple[tuple[Any, ...], ...]

FORMAT = 1
MAGIC = b"studylog search\n"
KIND = "search"
SECTIONS = ("topic", "question", "answer", "mentoring")
NONE: type = type(None)
KINDS: tuple[frozenset[type], ...] = (
    frozenset([str]),
    frozenset([int]),
    frozenset([int]),
    frozenset([str, NONE]),
    frozenset([int]),
    frozenset([tuple]),
    frozenset([str]),
    frozenset([str, NONE]),
)
EMPTY: Columns = ((),) * len(KINDS)


class Text:
    """A post's searchable text: its date, day and fields' lines (or why it cannot be read)."""

    __slots__ = ("iso", "day", "layout", "text", "error")

    def __init__(
        self, iso: str | None, day: int, layout: tuple[int, ...], text: str, error: str | None
    ) -> None:
        self.iso = iso
        self.day = day
        self.layout = layout  # (section index, Q&A number or 0, line count) for each field
        self.text = text  # the fields' lines, joined by newlines
        self.error = error

    @property
    def date(self) -> dt.date | None:
        """The post's date, as the parser gave it."""
        return dt.date.fromisoformat(self.iso) if self.iso else None

    def fields(self) -> Iterator[tuple[str, int | None, list[str]]]:
        """(section, Q&A number, lines) of each field, in the post's order."""
        lines = self.text.split("\n")
        layout, at = self.layout, 0
        for i in range(0, len(layout), 3):
            count = layout[i + 2]
            yield SECTIONS[layout[i]], layout[i + 1] or None, lines[at : at + count]
            at += count

    @classmethod
    def of(cls, entry: Entry) -> Text:
        """The searchable text of a parsed post."""
        layout: list[int] = []
        texts: list[str] = []
        for section, number, text in entry_fields(entry):
            layout += (SECTIONS.index(section), number or 0, text.count("\n") + 1)
            texts.append(text)
        iso = entry.date.isoformat() if entry.date else None
        return cls(iso, entry.day, tuple(layout), "\n".join(texts), None)


def entry_fields(entry: Entry) -> list[tuple[str, int | None, str]]:
    """(section, Q&A number, text) of each searchable field of an entry, in the post's order."""
    fields: list[tuple[str, int | None, str]] = [("topic", None, t.label) for t in entry.topics]
    for i, qa in enumerate(entry.discussion, 1):
        fields += [("question", i, qa.question), ("answer", i, qa.answer)]
    fields.append(("mentoring", None, entry.mentoring))
    return fields


def cache_file(blog: Path, settings: Settings) -> Path:
    """Where the searchable text of a blog is cached."""
    return index.cache_path(index.blog_key(blog, settings), KIND)


def texts(blog: Path, settings: Settings, wanted: Mapping[str, dt.date | None]) -> dict[str, Text]:
    """The text of each wanted post (blog-relative path -> its list date, the parser's fallback);
    only posts the cache lacks are read. Cached posts not wanted (drafts, say) stay cached."""
    started = time.time_ns()
    key = index.blog_key(blog, settings)
    cache = index.cache_path(key, KIND)
    scanned, data = index.load(cache, MAGIC, FORMAT, key)
    columns = _shaped(data)
    found = index.scan(blog)
    cached = _decoded(columns, found, scanned - index.RACY_NS) if columns[0] else {}
    todo = [rel for rel in wanted if rel not in cached]
    fresh = _read(blog, settings, todo, wanted, found) if todo else {}
    every = cached | fresh if fresh else cached
    if fresh or len(columns[0]) != len(every):
        del data, columns  # the old text: not kept while the new is written
        index.save(cache, index.payload(MAGIC, FORMAT, key, started, _encode(found, every)))
    return {rel: every[rel] for rel in wanted}


def read_text(blog: Path, settings: Settings, rel: str, fallback: dt.date | None) -> Text:
    """A post's searchable text, from its file; with `error` set if it cannot be read."""
    from studylog.errors import PostError
    from studylog.post.parse import parse_post, read_text

    path = blog / rel
    try:
        return Text.of(parse_post(read_text(path), path, settings, fallback))
    except PostError as exc:
        return Text(None, 0, (), "", exc.reason)


def _read(
    blog: Path,
    settings: Settings,
    todo: list[str],
    wanted: Mapping[str, dt.date | None],
    found: Mapping[str, Stamp | None],
) -> dict[str, Text]:
    """The text of the posts in `todo`: as the index's first run, shares are read by forked
    children (their columns checked like the cache's); what does not come back is read here."""
    shares = index._shares(len(todo)) if index._threads() == 1 else 1
    children = []
    for i in range(1, shares):
        share = todo[i::shares]
        work = partial(_sent, blog, settings, share, wanted, found)
        children.append((share, index.fork(work)))
    read = {rel: read_text(blog, settings, rel, wanted[rel]) for rel in todo[0::shares]}
    for share, child in children:
        columns = _shaped(index.collect(child))
        got = _decoded(columns, {rel: found.get(rel) for rel in share}, sys.maxsize)
        for rel in share:
            read[rel] = got.get(rel) or read_text(blog, settings, rel, wanted[rel])
    return read


def _sent(
    blog: Path,
    settings: Settings,
    share: list[str],
    wanted: Mapping[str, dt.date | None],
    found: Mapping[str, Stamp | None],
) -> bytes:
    """What a child sends: the text of its share as columns."""
    import marshal

    read = {rel: read_text(blog, settings, rel, wanted[rel]) for rel in share}
    return marshal.dumps(_encode(found, read))


def _shaped(columns: object) -> Columns:
    """The columns if they are the text cache's: tuples of one length; EMPTY otherwise."""
    return index.shaped(columns, EMPTY)


def _decoded(columns: Columns, found: Mapping[str, Stamp | None], racy: int) -> dict[str, Text]:
    """The texts of `columns` whose path, size and mtime are as `found` (mtime before `racy`)
    and whose values check out."""
    rels, sizes, mtimes, isos, days, layouts, texts, errors = columns
    hits = index.current(rels, sizes, mtimes, found, racy)
    if not _typed(columns):
        hits = [i for i in hits if _typed(tuple((c[i],) for c in columns))]
    return {
        rels[i]: Text(isos[i], days[i], layouts[i], texts[i], errors[i])
        for i in hits
        if _laid_out(layouts[i], texts[i])
    }


def _typed(columns: Columns) -> bool:
    """Whether every value has its column's type (a column at a time) and every date is one."""
    for column, kinds in zip(columns, KINDS, strict=True):
        if not set(map(type, column)) <= kinds:
            return False
    if not set(map(type, chain.from_iterable(columns[5]))) <= {int}:
        return False
    isos = [iso for iso in columns[3] if iso is not None]
    try:  # only isoformat's own output comes back (fromisoformat takes more)
        return list(map(dt.date.isoformat, map(dt.date.fromisoformat, isos))) == isos
    except ValueError:
        return False


def _laid_out(layout: tuple[int, ...], text: str) -> bool:
    """Whether a layout (of ints) describes its text: known sections, every line once."""
    if len(layout) % 3 or not set(layout[0::3]) <= set(range(len(SECTIONS))):
        return False
    if not layout:  # an unreadable post
        return text == ""
    counts = layout[2::3]
    return min(counts) >= 1 and sum(counts) == text.count("\n") + 1


def _encode(found: Mapping[str, Stamp | None], read: Mapping[str, Text]) -> Columns:
    """The texts as columns, in `found`'s order (posts no longer found are left out)."""
    rels = [rel for rel in found if rel in read]
    stamps = [found[rel] or index.NO_STAMP for rel in rels]
    listed = [read[rel] for rel in rels]
    return (
        tuple(rels),
        tuple([s[0] for s in stamps]),
        tuple([s[1] for s in stamps]),
        tuple([t.iso for t in listed]),
        tuple([t.day for t in listed]),
        tuple([t.layout for t in listed]),
        tuple([t.text for t in listed]),
        tuple([t.error for t in listed]),
    )

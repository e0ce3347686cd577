"""`search.find` through the cache: the same hits as parsing every post, first run or cached."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from studylog.blog import cache, search
from studylog.config import Settings
from studylog.errors import PostError
from studylog.post import parse

from .conftest import OLD
from .test_cache import stored

DATA = Path(__file__).parent / "data"
DAY13 = "_posts/2021-08-18-day13.md"
SEARCHES = [
    ("attention", False),
    ("O(1)", False),
    ("a", False),
    ("bahdanau_attention 🔍", False),
    ("huggingface.co", False),
    ("\n", False),
    (r"^is와|O\(1\)", True),
    (r"\s$|^$|(?<=A)t", True),
]


def uncached(blog: Path, text: str, regex: bool, drafts: bool) -> tuple[list, list]:
    """What search finds by parsing every post, newest first."""
    pattern = search.compile_pattern(text, regex=regex)
    folders = ["_posts", "_drafts"] if drafts else ["_posts"]
    found = []
    for path in (p for folder in folders for p in (blog / folder).rglob("*.md")):
        rel = path.relative_to(blog).as_posix()
        try:
            found.append(cache.row_of(rel, parse.read_post(path, Settings()), search=True))
        except PostError as exc:
            found.append(cache.unreadable(rel, exc.reason))
    hits = [h for r in cache.newest_first(found) if not r.error for h in search.hits_in(r, pattern)]
    return hits, [(r.path, r.error) for r in cache.newest_first(found) if r.error]


def found(blog: Path, text: str, regex: bool = False, drafts: bool = False) -> tuple[list, list]:
    """What search finds, through the cache."""
    pattern = search.compile_pattern(text, regex=regex)
    hits, errors = search.find(blog, Settings(), pattern, drafts=drafts)
    return hits, [(r.path, r.error) for r in errors]


@pytest.mark.parametrize("drafts", [False, True])
@pytest.mark.parametrize(("text", "regex"), SEARCHES)
def test_cached_hits_are_the_uncached_ones(
    posts: Path, reads: list[str], text: str, regex: bool, drafts: bool
) -> None:
    expected = uncached(posts, text, regex, drafts)
    assert expected[1]  # the broken posts are reported as skipped
    assert found(posts, text, regex, drafts) == expected  # first run: every post read
    assert reads
    reads.clear()
    assert found(posts, text, regex, drafts) == expected  # from the cache
    assert reads == []


def test_a_search_finds_hits_at_all(posts: Path) -> None:
    hits, _ = found(posts, "attention")
    assert {h.section for h in hits} >= {"topic", "question", "answer"}
    first = next(h for h in hits if h.path == DAY13 and h.section == "question")
    assert (first.date, first.day, first.number) == (parse.date_in_name("2021-08-18-x.md"), 13, 1)
    assert all(first.line[a:b].casefold() == "attention" for a, b in first.spans)


def test_hits_as_json(posts: Path) -> None:
    hits, _ = found(posts, "attention")
    data = search.hit_dict(hits[0])
    assert list(data) == ["path", "date", "day", "section", "number", "line", "spans"]
    assert data["spans"] == [list(span) for span in hits[0].spans]


def test_drafts_stay_cached_when_not_searched(posts: Path, reads: list[str]) -> None:
    found(posts, "a", drafts=True)
    reads.clear()
    assert found(posts, "a") == uncached(posts, "a", False, False)
    assert found(posts, "a", drafts=True) == uncached(posts, "a", False, True)
    assert reads == []


def test_a_post_changed_between_runs_is_read_again(posts: Path, reads: list[str]) -> None:
    found(posts, "zebra")
    post = posts / DAY13
    post.write_text(post.read_text("utf-8").replace("Attention", "Zebra attention"), "utf-8")
    os.utime(post, (OLD + 10, OLD + 10))
    reads.clear()
    assert found(posts, "zebra") == uncached(posts, "zebra", False, False)
    assert found(posts, "zebra")[0]
    assert reads == [DAY13]


def test_a_post_changed_within_the_clock_tick_of_a_scan_is_never_trusted(
    posts: Path, reads: list[str]
) -> None:
    post = posts / DAY13
    now = time.time_ns()
    os.utime(post, ns=(now, now))
    found(posts, "attention")
    reads.clear()
    post.write_text(post.read_text("utf-8").replace("Attention", "Zebrattent"), "utf-8")
    os.utime(post, ns=(now, now))  # same size? no matter: same mtime, so the cache cannot tell
    assert found(posts, "zebra") == uncached(posts, "zebra", False, False)
    assert reads == [DAY13]


def test_a_removed_post_leaves_the_cache(posts: Path) -> None:
    found(posts, "a")
    (posts / DAY13).unlink()
    assert found(posts, "a") == uncached(posts, "a", False, False)
    assert DAY13 not in [entry[0] for entry in stored(posts, "search")[3]]

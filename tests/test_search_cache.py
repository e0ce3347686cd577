"""`search.find` with its text cache: the same hits as parsing every post, whatever the cache."""

from __future__ import annotations

import marshal
import os
import shutil
import time
from pathlib import Path

import pytest

from studylog.blog import index, search, textcache
from studylog.config import Settings
from studylog.errors import PostError
from studylog.post import parse

DATA = Path(__file__).parent / "data"
POSTS = sorted((DATA / "posts").glob("*.md")) + sorted((DATA / "broken").glob("*.md"))
OLD = 1_600_000_000  # a modification time long before any scan
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


@pytest.fixture
def posts(blog: Path) -> Path:
    """A blog of the examples, varied and broken posts and a draft, all last modified long ago."""
    for path in [DATA / "2021-08-18-day13.md", DATA / "2021-08-23-day16.md", *POSTS]:
        shutil.copyfile(path, blog / "_posts" / path.name)
    (blog / "_drafts").mkdir()
    shutil.copyfile(DATA / "drafts" / "day14.md", blog / "_drafts" / "day14.md")
    for path in blog.rglob("*.md"):
        os.utime(path, (OLD, OLD))
    return blog


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The posts the text cache reads (rather than takes from its file)."""
    seen: list[str] = []
    real = textcache.read_text

    def counting(blog: Path, settings: Settings, rel: str, fallback):  # type: ignore[no-untyped-def]
        seen.append(rel)
        return real(blog, settings, rel, fallback)

    monkeypatch.setattr(textcache, "read_text", counting)
    return seen


def uncached(blog: Path, text: str, regex: bool, drafts: bool) -> tuple[list, list]:
    """What search finds by parsing every post (its implementation before the cache)."""
    pattern = search.compile_pattern(text, regex=regex)
    folders = ["_posts", "_drafts"] if drafts else ["_posts"]
    files = [p for folder in folders for p in (blog / folder).rglob("*.md")]
    rows = index.newest_first([parse.read_summary(p, Settings()) for p in files])
    hits: list[search.Hit] = []
    for row in rows:
        if row.error:
            continue
        try:
            entry = parse.parse_post(parse.read_text(row.path), row.path, Settings(), row.date)
        except PostError as exc:
            row.error = exc.reason
            continue
        hits += search.hits_in(entry, row.path, pattern)
    return _shown(hits), [(r.path, r.error) for r in rows if r.error]


def found(blog: Path, text: str, regex: bool = False, drafts: bool = False) -> tuple[list, list]:
    """What search finds, through its cache."""
    pattern = search.compile_pattern(text, regex=regex)
    hits, errors = search.find(blog, Settings(), pattern, regex=regex, drafts=drafts)
    return _shown(hits), [(r.path, r.error) for r in errors]


def _shown(hits: list[search.Hit]) -> list[tuple]:
    return [(h.path, h.date, h.day, h.section, h.number, h.line, h.spans) for h in hits]


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
    assert {h[3] for h in hits} >= {"topic", "question", "answer"}


def test_drafts_stay_cached_when_not_searched(posts: Path, reads: list[str]) -> None:
    found(posts, "a", drafts=True)
    reads.clear()
    assert found(posts, "a") == uncached(posts, "a", False, False)
    assert found(posts, "a", drafts=True) == uncached(posts, "a", False, True)
    assert reads == []


def test_a_post_changed_between_runs_is_read_again(posts: Path, reads: list[str]) -> None:
    found(posts, "zebra")
    post = posts / "_posts" / "2021-08-18-day13.md"
    post.write_text(post.read_text("utf-8").replace("Attention", "Zebra attention"), "utf-8")
    os.utime(post, (OLD + 10, OLD + 10))
    reads.clear()
    assert found(posts, "zebra") == uncached(posts, "zebra", False, False)
    assert found(posts, "zebra")[0]
    assert reads == ["_posts/2021-08-18-day13.md"]


def test_a_post_changed_within_the_clock_tick_of_a_scan_is_never_trusted(
    posts: Path, reads: list[str]
) -> None:
    post = posts / "_posts" / "2021-08-18-day13.md"
    now = time.time_ns()
    os.utime(post, ns=(now, now))
    found(posts, "attention")
    reads.clear()
    post.write_text(post.read_text("utf-8").replace("Attention", "Zebrattent"), "utf-8")
    os.utime(post, ns=(now, now))  # same size? no matter: same mtime, so the cache cannot tell
    assert found(posts, "zebra") == uncached(posts, "zebra", False, False)
    assert reads == ["_posts/2021-08-18-day13.md"]


def test_a_removed_post_leaves_the_cache(posts: Path) -> None:
    found(posts, "a")
    (posts / "_posts" / "2021-08-18-day13.md").unlink()
    assert found(posts, "a") == uncached(posts, "a", False, False)
    _, data = _load(posts)
    assert "_posts/2021-08-18-day13.md" not in data[0]


def _load(blog: Path) -> tuple[int, tuple]:
    key = index.blog_key(blog, Settings())
    scanned, data = index.load(textcache.cache_file(blog, Settings()), textcache.MAGIC, 1, key)
    assert isinstance(data, tuple)
    return scanned, data


def _columns_with(blog: Path, column: int, value: object) -> bytes:
    """A cache file of the blog whose first post has `value` in `column` (checksum correct)."""
    scanned, data = _load(blog)
    columns = [list(c) for c in data]
    columns[column][0] = value
    key = index.blog_key(blog, Settings())
    shaped = tuple(tuple(c) for c in columns)
    return b"".join(index.payload(textcache.MAGIC, textcache.FORMAT, key, scanned, shaped))


@pytest.mark.parametrize(
    "damage",
    [
        "garbage",
        "empty",
        "truncated",
        "a flipped byte",
        "foreign key",
        "not columns",
        "a bad date",
        "a bad layout",
        "layout and text disagree",
        "a bad section",
        "a number for a text",
    ],
)
def test_a_corrupt_cache_is_rebuilt_never_trusted(
    posts: Path, reads: list[str], damage: str
) -> None:
    expected = uncached(posts, "a", False, False)
    found(posts, "a")
    cache = textcache.cache_file(posts, Settings())
    data = cache.read_bytes()
    key = index.blog_key(posts, Settings())
    first = _load(posts)[1][0][0]
    damaged = {
        "garbage": lambda: b"\x00garbage" * 40,
        "empty": lambda: b"",
        "truncated": lambda: data[: len(data) // 2],
        "a flipped byte": lambda: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:],
        "foreign key": lambda: b"".join(index.payload(textcache.MAGIC, 1, "x", 5, ())),
        "not columns": lambda: b"".join(index.payload(textcache.MAGIC, 1, key, 5, [1, 2])),
        "a bad date": lambda: _columns_with(posts, 3, "2021-W32-1"),
        "a bad layout": lambda: _columns_with(posts, 5, ("x",)),
        "layout and text disagree": lambda: _columns_with(posts, 5, (3, 0, 9)),
        "a bad section": lambda: _columns_with(posts, 5, (7, 0, 1)),
        "a number for a text": lambda: _columns_with(posts, 6, 5),
    }[damage]()
    cache.write_bytes(damaged)
    reads.clear()
    assert found(posts, "a") == expected
    assert reads  # what could not be trusted was read again
    if damage.startswith(("a ", "layout")) and damage != "a flipped byte":
        assert reads == [first]  # only the bad entry
    reads.clear()
    assert found(posts, "a") == expected  # rebuilt
    assert reads == []


def test_an_unwritable_cache_only_costs_time(posts: Path, reads: list[str]) -> None:
    folder = textcache.cache_file(posts, Settings()).parent
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")
    assert found(posts, "a") == uncached(posts, "a", False, False)
    assert found(posts, "a") == uncached(posts, "a", False, False)


@pytest.mark.parametrize("child", ["sends", "fails", "sends garbage"])
def test_a_first_run_reads_in_forked_children_and_rereads_what_they_fail_to_send(
    posts: Path, monkeypatch: pytest.MonkeyPatch, child: str
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    index.rows(posts, Settings(), drafts=True)  # the index cached: only the text is read
    monkeypatch.setattr(index, "_shares", lambda count: 3)
    real = index.collect
    children: list[tuple[int, int]] = []

    def collect(pair: tuple[int, int]) -> object:
        children.append(pair)
        sent = real(pair)
        assert sent is not None
        return {"sends": sent, "fails": None, "sends garbage": marshal.loads(b"N")}[child]

    monkeypatch.setattr(index, "collect", collect)
    expected = uncached(posts, "a", False, True)
    assert found(posts, "a", drafts=True) == expected
    assert len(children) == 2
    monkeypatch.setattr(index, "collect", real)
    assert found(posts, "a", drafts=True) == expected


def test_the_cache_folder_is_apart_from_the_index(posts: Path) -> None:
    found(posts, "a")
    assert textcache.cache_file(posts, Settings()).is_file()
    assert index.cache_file(posts, Settings()).is_file()
    assert textcache.cache_file(posts, Settings()).parent.name == "search"

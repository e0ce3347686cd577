"""The post index: the same answers with or without its cache, whatever state the cache is in."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
import threading
from pathlib import Path

import pytest

from studylog.blog import index
from studylog.config import Settings
from studylog.post import parse
from studylog.post.parse import Summary

DATA = Path(__file__).parent / "data"
POSTS = sorted((DATA / "posts").glob("*.md")) + sorted((DATA / "broken").glob("*.md"))
OLD = 1_600_000_000  # a modification time long before any scan


@pytest.fixture
def posts(blog: Path) -> Path:
    """A blog of varied and broken posts and a draft, all last modified long ago."""
    for path in POSTS:
        shutil.copyfile(path, blog / "_posts" / path.name)
    (blog / "_drafts").mkdir()
    shutil.copyfile(DATA / "drafts" / "day14.md", blog / "_drafts" / "day14.md")
    for path in blog.rglob("*.md"):
        os.utime(path, (OLD, OLD))
    return blog


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The posts the index reads (rather than takes from its cache)."""
    seen: list[Path] = []
    real = index._read_one

    def counting(reader, rel: str, stamp):  # type: ignore[no-untyped-def]
        seen.append(reader.blog / rel)
        return real(reader, rel, stamp)

    monkeypatch.setattr(index, "_read_one", counting)
    return seen


def uncached(blog: Path, drafts: bool = False) -> list[Summary]:
    return [parse.read_summary(p, Settings()) for p in sorted(_files(blog, drafts))]


def _files(blog: Path, drafts: bool) -> list[Path]:
    folders = ["_posts", "_drafts"] if drafts else ["_posts"]
    return [p for folder in folders for p in (blog / folder).rglob("*.md")]


def by_path(rows: list[Summary]) -> list[Summary]:
    return sorted(rows, key=lambda s: s.path)


def cached(blog: Path) -> tuple:
    """The cache's payload: (format, key, scanned, columns); AssertionError unless it checks out."""
    data = index.cache_file(blog, Settings()).read_bytes()
    head, body = data[: len(index.MAGIC) + 4], data[len(index.MAGIC) + 4 :]
    assert head == index.MAGIC + index.zlib.crc32(body).to_bytes(4, "big")
    return marshal.loads(body)


def cache_again(blog: Path, payload: tuple) -> None:
    """Write the cache anew, whatever its payload (with a right checksum)."""
    body = marshal.dumps(payload)
    data = index.MAGIC + index.zlib.crc32(body).to_bytes(4, "big") + body
    index.cache_file(blog, Settings()).write_bytes(data)


def test_cached_and_uncached_answers_are_identical(posts: Path, reads: list[Path]) -> None:
    first = index.summaries(posts, Settings(), drafts=True)
    assert len(reads) == len(POSTS) + 1 and index.cache_file(posts, Settings()).is_file()
    reads.clear()
    second = index.summaries(posts, Settings(), drafts=True)
    assert reads == []  # every answer came from the cache
    assert by_path(first) == by_path(second) == by_path(uncached(posts, drafts=True))
    assert by_path(index.summaries(posts, Settings())) == by_path(uncached(posts))


def test_a_changed_added_or_removed_post_is_noticed(posts: Path, reads: list[Path]) -> None:
    index.summaries(posts, Settings())
    reads.clear()
    day1 = posts / "_posts" / "2021-08-02-day1.md"
    day1.write_text(day1.read_text("utf-8").replace("김민준\n", "박지호\n"), "utf-8")
    (posts / "_posts" / "2021-08-03-day2.md").unlink()
    shutil.copyfile(DATA / "2021-08-18-day13.md", posts / "_posts" / "2021-08-18-day13.md")
    rows = {s.path.name: s for s in index.summaries(posts, Settings())}
    assert sorted(p.name for p in reads) == ["2021-08-02-day1.md", "2021-08-18-day13.md"]
    assert rows["2021-08-02-day1.md"].moderator == "박지호" and "2021-08-03-day2.md" not in rows
    assert by_path(list(rows.values())) == by_path(uncached(posts))


def test_a_change_that_keeps_size_and_mtime_is_seen_while_racy(
    posts: Path, reads: list[Path]
) -> None:
    day1 = posts / "_posts" / "2021-08-02-day1.md"
    os.utime(day1)  # modified just now: within the racy window of the scan that caches it
    index.summaries(posts, Settings())
    stamp = day1.stat().st_mtime_ns
    day1.write_text(day1.read_text("utf-8").replace("김민준\n", "박지호\n"), "utf-8")
    os.utime(day1, ns=(stamp, stamp))
    reads.clear()
    rows = {s.path.name: s for s in index.summaries(posts, Settings())}
    assert rows["2021-08-02-day1.md"].moderator == "박지호" and reads == [day1]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"[1, 2]",
        b'{"format": 1, "key": "other", "scanned": 0, "posts": {}}',
        b"\xff\xfe garbage",
        index.MAGIC + b"\0\0\0\0" + marshal.dumps((2, "k", 0, ())),  # a wrong checksum
    ],
)
def test_a_corrupt_cache_is_rebuilt(posts: Path, reads: list[Path], damage: bytes) -> None:
    want = by_path(index.summaries(posts, Settings()))
    index.cache_file(posts, Settings()).write_bytes(damage)
    reads.clear()
    assert by_path(index.summaries(posts, Settings())) == want and len(reads) == len(POSTS) + 1
    assert len(cached(posts)[3][0]) == len(POSTS) + 1  # written again, whole (drafts too)


def test_a_cache_that_is_whole_but_not_ours_is_rebuilt(posts: Path, reads: list[Path]) -> None:
    want = by_path(index.summaries(posts, Settings()))
    form, key, scanned, columns = cached(posts)
    for payload in [
        (form, key + "x", scanned, columns),  # another blog's
        (form + 1, key, scanned, columns),  # another format
        (form, key, "yesterday", columns),
        (form, key, scanned, columns[:-1]),  # a column short
        (form, key, scanned, (*columns[:-1], columns[-1][:-1])),  # a row short
        (form, key, scanned, [list(c) for c in columns]),
        (form, key, scanned),
        "a string",
    ]:
        cache_again(posts, payload)
        reads.clear()
        assert by_path(index.summaries(posts, Settings())) == want
        assert len(reads) == len(POSTS) + 1, payload


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (1, "6122"),  # size
        (3, "not a date"),
        (3, "20210802"),  # fromisoformat takes it; not as written
        (4, "1"),  # day
        (5, None),  # title
        (6, 3),  # moderator
        (7, (3,)),  # participants
        (7, ["김민준"]),
        (8, True),  # questions
        (9, 5),  # error
    ],
)
def test_a_cache_entry_of_the_wrong_shape_is_read_again(
    posts: Path, reads: list[Path], column: int, value: object
) -> None:
    want = by_path(index.summaries(posts, Settings()))
    form, key, scanned, columns = cached(posts)
    at = columns[0].index("_posts/2021-08-02-day1.md")
    changed = list(columns)
    changed[column] = (*columns[column][:at], value, *columns[column][at + 1 :])
    cache_again(posts, (form, key, scanned, tuple(changed)))
    reads.clear()
    assert by_path(index.summaries(posts, Settings())) == want
    assert [p.name for p in reads] == ["2021-08-02-day1.md"]


def test_names_are_stored_once(posts: Path) -> None:
    index.summaries(posts, Settings())
    columns = cached(posts)[3]
    names = [*columns[6], *(p for people in columns[7] for p in people)]
    assert len({id(n) for n in names}) == len(set(names)) < len(names)


def test_other_headings_have_a_cache_of_their_own(posts: Path, reads: list[Path]) -> None:
    index.summaries(posts, Settings())
    reads.clear()
    custom = Settings(headings={**Settings().headings, "moderator": "MC"})
    rows = {s.path.name: s for s in index.summaries(posts, custom)}
    assert len(reads) == len(POSTS) + 1 and rows["2021-08-16-day11.md"].moderator == "정도윤"
    reads.clear()
    index.summaries(posts, Settings())
    index.summaries(posts, custom)
    assert reads == [] and index.cache_file(posts, custom) != index.cache_file(posts, Settings())


def test_concurrent_runs_leave_a_whole_cache(posts: Path) -> None:
    want = by_path(index.summaries(posts, Settings()))
    index.cache_file(posts, Settings()).unlink()
    results: list[list[Summary]] = []

    def run() -> None:
        results.append(by_path(index.summaries(posts, Settings())))

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [want] * 6
    assert len(cached(posts)[3][0]) == len(POSTS) + 1
    assert [p.name for p in index.cache_file(posts, Settings()).parent.iterdir()] == [
        index.cache_file(posts, Settings()).name
    ]  # no temporary file left behind


def test_an_unwritable_cache_only_costs_time(posts: Path, monkeypatch) -> None:
    monkeypatch.setenv("STUDYLOG_CACHE_DIR", str(posts / "_config.yml" / "not-a-dir"))
    assert by_path(index.summaries(posts, Settings())) == by_path(uncached(posts))


D = dt.date


def row(name: str, date: dt.date | None, moderator: str = "", *people: str, error: str = ""):
    return Summary(Path(name), date, None, "", moderator, list(people), 0, error or None)


ROWS = [
    row("a", D(2021, 8, 2), "김민준", "김민준", "Alex Kim"),
    row("b", D(2021, 8, 4), "이서연", "이서연"),
    row("c", D(2021, 8, 3), error="broken"),
    row("d", None, error="no date"),
    row("e", D(2021, 8, 5), "Alex Kim", "Alex Kim"),
]


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        (index.Filters(), ["e", "b", "c", "a", "d"]),
        (index.Filters(since=D(2021, 8, 3)), ["e", "b", "c", "d"]),
        (index.Filters(until=D(2021, 8, 3)), ["c", "a", "d"]),
        (index.Filters(limit=2), ["e", "b"]),
        (index.Filters(moderator="alex kim"), ["e"]),
        (index.Filters(participant="Alex Kim"), ["e", "a"]),
        (index.Filters(participant="김민준", moderator="김민준"), ["a"]),
    ],
)
def test_select_filters_newest_first(filters: index.Filters, names: list[str]) -> None:
    assert [s.path.name for s in index.select(ROWS, filters)] == names


def test_many_posts_read_by_forked_children_give_the_same_answers(
    posts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(index.os, "fork", fork)
    rows = index.summaries(posts, Settings(), drafts=True)
    assert by_path(rows) == by_path(uncached(posts, drafts=True))
    assert forks or index._shares(len(POSTS) + 1) == 1  # forking is not safe or pays nowhere
    assert by_path(index.summaries(posts, Settings(), drafts=True)) == by_path(rows)  # cached


@pytest.mark.parametrize("damage", ["nothing", "a row short", "a bad title", "not ours"])
def test_what_a_child_fails_to_send_is_read_by_the_parent(
    posts: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(index, "_shares", lambda count: 2)
    real_collect = index._collect

    def collect(child: tuple[int, int]) -> tuple:
        got = real_collect(child)
        assert len(got[0]) == len(POSTS) // 2  # the child sent its share
        if damage == "nothing":
            return index.EMPTY
        if damage == "a row short":
            return tuple(c[1:] for c in got)
        if damage == "a bad title":
            return (*got[:5], (None,) * len(got[5]), *got[6:])
        return (tuple(r.replace("day", "Day") for r in got[0]), *got[1:])

    monkeypatch.setattr(index, "_collect", collect)
    assert by_path(index.summaries(posts, Settings())) == by_path(uncached(posts))


def test_posts_are_read_while_another_thread_runs_and_forked_after_it(
    posts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(index.os, "cpu_count", lambda: 2)
    release = threading.Event()
    busy = threading.Thread(target=release.wait)  # git, say
    busy.start()
    seen: list[str] = []
    real_read, real_fork = index._read_one, index._fork

    def read_one(reader, rel: str, stamp):  # type: ignore[no-untyped-def]
        seen.append("read" if busy.is_alive() else "after")
        return real_read(reader, rel, stamp)

    def fork(reader, share: list[str]) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        assert not busy.is_alive()  # never while another thread runs
        seen.append("fork")
        return real_fork(reader, share)

    def before_read() -> None:
        release.set()
        busy.join()

    monkeypatch.setattr(index, "_read_one", read_one)
    monkeypatch.setattr(index, "_fork", fork)
    rows = index.rows(posts, Settings(), drafts=True, before_read=before_read)
    count = len(POSTS) + 1
    assert seen[: count // 2] == ["read"] * (count // 2) and seen[count // 2] == "fork"
    assert [r.summary(posts) for r in rows] == uncached(posts, drafts=True)


def test_a_first_run_keeps_each_files_own_size_and_mtime(posts: Path) -> None:
    index.summaries(posts, Settings(), drafts=True)
    rels, sizes, mtimes = cached(posts)[3][:3]
    for rel, size, mtime in zip(rels, sizes, mtimes, strict=True):
        status = (posts / rel).stat()
        assert (size, mtime) == (status.st_size, status.st_mtime_ns)

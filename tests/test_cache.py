"""The cached rows: the same answers with or without the cache, whatever state the cache is in."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import shutil
import threading
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog.blog import cache
from studylog.blog.cache import Filters, Row
from studylog.cli.app import app
from studylog.config import Settings
from studylog.errors import PostError
from studylog.post import parse

from .conftest import POSTS

DATA = Path(__file__).parent / "data"
DAY1 = "_posts/2021-08-02-day1.md"


def uncached(blog: Path, drafts: bool = False, search: bool = False) -> list[Row]:
    """Every post's row by the parser alone, sorted by path."""
    folders = ["_posts", "_drafts"] if drafts else ["_posts"]
    found = []
    for path in (p for folder in folders for p in (blog / folder).rglob("*.md")):
        rel = path.relative_to(blog).as_posix()
        try:
            entry = parse.read_post(path, Settings())
        except PostError as exc:
            found.append(cache.unreadable(rel, exc.reason))
            continue
        found.append(cache.row_of(rel, entry, search=search))
    return sorted(found, key=lambda r: r.path)


def rows(blog: Path, drafts: bool = False, search: bool = False, **kwargs) -> list[Row]:
    settings = kwargs.get("settings", Settings())
    return cache.rows(blog, settings, drafts=drafts, search=search)


def stored(blog: Path, kind: str = "index") -> tuple:
    """The cache's payload: (format, key, scanned, rows); AssertionError unless it checks out."""
    data = cache.cache_file(blog, Settings(), kind).read_bytes()
    head, body = data[: cache.HEAD], data[cache.HEAD :]
    assert head == cache.MAGIC + zlib.crc32(body).to_bytes(4, "big")
    return marshal.loads(body)


def store(blog: Path, payload: object, kind: str = "index") -> None:
    """Write the cache anew, whatever its payload (with a right checksum)."""
    body = marshal.dumps(payload)
    data = cache.MAGIC + zlib.crc32(body).to_bytes(4, "big") + body
    cache.cache_file(blog, Settings(), kind).write_bytes(data)


@pytest.mark.parametrize("search", [False, True])
def test_cached_and_uncached_rows_are_identical(
    posts: Path, reads: list[str], search: bool
) -> None:
    first = rows(posts, drafts=True, search=search)
    assert len(reads) == len(POSTS) + 1 and cache.cache_file(posts, Settings()).is_file() != search
    reads.clear()
    second = rows(posts, drafts=True, search=search)
    assert reads == []  # every answer came from the cache
    assert first == second == uncached(posts, drafts=True, search=search)
    assert rows(posts, search=search) == uncached(posts, search=search)
    assert any(r.error for r in first) and all(r.fields for r in first if not r.error) == search


def test_list_and_search_rows_are_kept_apart(posts: Path) -> None:
    rows(posts)
    rows(posts, search=True)
    files = [cache.cache_file(posts, Settings(), kind) for kind in ("index", "search")]
    assert files[0] != files[1] and all(f.is_file() for f in files)
    assert len(stored(posts, "index")[3][0]) + 1 == len(stored(posts, "search")[3][0])


def test_a_changed_added_or_removed_post_is_noticed(posts: Path, reads: list[str]) -> None:
    rows(posts)
    reads.clear()
    day1 = posts / DAY1
    day1.write_text(day1.read_text("utf-8").replace("김민준\n", "박지호\n"), "utf-8")
    (posts / "_posts" / "2021-08-03-day2.md").unlink()
    shutil.copyfile(DATA / "posts" / "2021-08-02-day1.md", posts / "_posts" / "2021-09-03-day26.md")
    found = {r.path: r for r in rows(posts)}
    assert sorted(reads) == [DAY1, "_posts/2021-09-03-day26.md"]
    assert found[DAY1].moderator == "박지호" and "_posts/2021-08-03-day2.md" not in found
    assert list(found.values()) == uncached(posts)
    assert DAY1 in [entry[0] for entry in stored(posts)[3]]
    assert "_posts/2021-08-03-day2.md" not in [entry[0] for entry in stored(posts)[3]]


@pytest.mark.parametrize("search", [False, True])
def test_a_change_that_keeps_size_and_mtime_is_seen_while_racy(
    posts: Path, reads: list[str], search: bool
) -> None:
    day1 = posts / DAY1
    os.utime(day1)  # modified just now: within the racy window of the scan that caches it
    rows(posts, search=search)
    stamp = day1.stat().st_mtime_ns
    day1.write_text(day1.read_text("utf-8").replace("김민준\n", "박지호\n"), "utf-8")
    os.utime(day1, ns=(stamp, stamp))
    reads.clear()
    found = {r.path: r for r in rows(posts, search=search)}
    assert found[DAY1].moderator == "박지호" and reads == [DAY1]


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"\xff\xfe garbage",
        b"studylog cache\n",
        cache.MAGIC + b"\0\0\0\0" + marshal.dumps((1, "k", 5, [])),  # a wrong checksum
    ],
)
def test_a_corrupt_cache_is_rebuilt(posts: Path, reads: list[str], damage: bytes) -> None:
    want = rows(posts)
    cache.cache_file(posts, Settings()).write_bytes(damage)
    reads.clear()
    assert rows(posts) == want and len(reads) == len(POSTS) + 1
    assert len(stored(posts)[3]) == len(POSTS) + 1  # written again, whole (drafts too)


def test_a_truncated_or_flipped_cache_is_rebuilt(posts: Path, reads: list[str]) -> None:
    want = rows(posts, search=True)
    file = cache.cache_file(posts, Settings(), "search")
    data = file.read_bytes()
    for damaged in (data[: len(data) // 2], data[:-100] + bytes([data[-100] ^ 1]) + data[-99:]):
        file.write_bytes(damaged)
        reads.clear()
        assert rows(posts, search=True) == want and len(reads) == len(POSTS) + 1


def test_a_cache_that_is_whole_but_not_ours_is_rebuilt(posts: Path, reads: list[str]) -> None:
    want = rows(posts)
    form, key, scanned, entries = stored(posts)
    for payload in [
        (form, key + "x", scanned, entries),  # another blog's
        (form + 1, key, scanned, entries),  # another format
        (form, key, "yesterday", entries),
        (form, key, scanned, tuple(entries)),
        (form, key, scanned),
        "a string",
    ]:
        store(posts, payload)
        reads.clear()
        assert rows(posts) == want
        assert len(reads) == len(POSTS) + 1, payload


@pytest.mark.parametrize(
    ("at", "value"),
    [
        (None, "not a row"),
        (None, ("_posts/2021-08-02-day1.md",)),  # too short
        (1, "6122"),  # size
        (3, "2021-08-02"),  # the date, not as an ordinal
        (3, 0),  # no date has ordinal 0
        (3, 10**9),
        (4, "1"),  # day
        (4, True),
        (5, None),  # title
        (6, 3),  # moderator
        (7, (3,)),  # participants
        (7, ["김민준"]),
        (8, True),  # questions
        (9, 5),  # error
    ],
)
def test_a_cached_row_of_the_wrong_shape_is_read_again(
    posts: Path, reads: list[str], at: int | None, value: object
) -> None:
    want = rows(posts)
    form, key, scanned, entries = stored(posts)
    i = [entry[0] for entry in entries].index(DAY1)
    entries[i] = value if at is None else (*entries[i][:at], value, *entries[i][at + 1 :])
    store(posts, (form, key, scanned, entries))
    reads.clear()
    assert rows(posts) == want and reads == [DAY1]


@pytest.mark.parametrize(
    "fields",
    [
        "not fields",
        (("topic", None),),
        (("nowhere", None, "text"),),
        (("question", "1", "text"),),
        (("answer", 1, 5),),
        [("mentoring", None, "text")],
    ],
)
def test_cached_search_fields_of_the_wrong_shape_are_read_again(
    posts: Path, reads: list[str], fields: object
) -> None:
    want = rows(posts, search=True)
    form, key, scanned, entries = stored(posts, "search")
    i = [entry[0] for entry in entries].index(DAY1)
    entries[i] = (*entries[i][:-1], fields)
    store(posts, (form, key, scanned, entries), "search")
    reads.clear()
    assert rows(posts, search=True) == want and reads == [DAY1]


def test_other_headings_have_a_cache_of_their_own(posts: Path, reads: list[str]) -> None:
    rows(posts)
    reads.clear()
    custom = Settings(headings={**Settings().headings, "moderator": "MC"})
    found = {r.path: r for r in rows(posts, settings=custom)}
    assert (
        len(reads) == len(POSTS) + 1 and found["_posts/2021-08-16-day11.md"].moderator == "정도윤"
    )
    reads.clear()
    rows(posts)
    rows(posts, settings=custom)
    assert reads == [] and cache.cache_file(posts, custom) != cache.cache_file(posts, Settings())


def test_concurrent_runs_leave_a_whole_cache(posts: Path) -> None:
    want = rows(posts)
    cache.cache_file(posts, Settings()).unlink()
    results: list[list[Row]] = []

    def run() -> None:
        results.append(rows(posts))

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [want] * 6
    assert len(stored(posts)[3]) == len(POSTS) + 1
    assert [p.name for p in cache.cache_file(posts, Settings()).parent.iterdir()] == [
        cache.cache_file(posts, Settings()).name
    ]  # no temporary file left behind


def test_an_unwritable_cache_only_costs_time(posts: Path, monkeypatch, reads: list[str]) -> None:
    monkeypatch.setenv("STUDYLOG_CACHE_DIR", str(posts / "_config.yml" / "not-a-dir"))
    assert rows(posts) == uncached(posts)
    assert rows(posts, search=True) == uncached(posts, search=True)
    assert len(reads) == 2 * (len(POSTS) + 1)


def test_each_row_keeps_its_files_size_and_mtime(posts: Path) -> None:
    rows(posts, drafts=True)
    for entry in stored(posts)[3]:
        status = (posts / entry[0]).stat()
        assert entry[1:3] == (status.st_size, status.st_mtime_ns)


def test_an_unreadable_post_is_a_row_dated_and_numbered_by_its_name(posts: Path) -> None:
    found = {r.path: r for r in rows(posts)}
    broken = found["_posts/2021-08-27-day21.md"]
    assert broken == Row(
        "_posts/2021-08-27-day21.md",
        dt.date(2021, 8, 27),
        21,
        error="no front matter: a post starts with a '---' line",
    )


D = dt.date


def row(name: str, date: dt.date | None, moderator: str = "", *people: str, error: str = ""):
    return Row(name, date, None, "", moderator, people, 0, error or None)


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
        (Filters(), ["e", "b", "c", "a", "d"]),
        (Filters(since=D(2021, 8, 3)), ["e", "b", "c", "d"]),
        (Filters(until=D(2021, 8, 3)), ["c", "a", "d"]),
        (Filters(limit=2), ["e", "b"]),
        (Filters(limit=0), []),
        (Filters(moderator="alex kim"), ["e"]),
        (Filters(participant="Alex Kim"), ["e", "a"]),
        (Filters(participant="김민준", moderator="김민준"), ["a"]),
    ],
)
def test_select_filters_newest_first(filters: Filters, names: list[str]) -> None:
    assert [r.path for r in cache.select(ROWS, filters)] == names


def test_newest_first_by_date_then_time_then_path_folder_by_folder() -> None:
    same = D(2021, 8, 2)
    morning, evening = 1_627_858_800, 1_627_894_800  # 08:00 and 18:00 in Seoul that day
    found = [
        Row("_posts/a-b.md", same, 1),
        Row("_posts/a/b.md", same, 1),
        Row("_posts/z.md", same, None),
        Row("_posts/y.md", same, 2, time=morning),
        Row("_posts/w.md", same, 3, time=evening),
        Row("_posts/x.md", D(2021, 8, 3), None),
    ]
    assert [r.path for r in cache.newest_first(found)] == [
        "_posts/x.md",
        "_posts/w.md",
        "_posts/y.md",
        "_posts/z.md",
        "_posts/a-b.md",
        "_posts/a/b.md",
    ]


def timed_post(blog: Path, name: str, date: str) -> None:
    """A post named `name` whose front matter date is `date`, last modified long ago."""
    text = (DATA / "2021-08-18-day13.md").read_text("utf-8").replace("date: 2021-08-18", date)
    path = blog / "_posts" / name
    path.write_text(text, "utf-8")
    os.utime(path, (1_600_000_000, 1_600_000_000))


def test_posts_of_one_day_are_in_jekylls_order_by_time_from_the_cache_too(blog: Path) -> None:
    timed_post(blog, "2021-08-18-a.md", "date: 2021-08-18 21:00:00 +0900")
    timed_post(blog, "2021-08-18-b.md", "date: 2021-08-18T09:00:00+09:00")
    timed_post(blog, "2021-08-18-c.md", "date: 2021-08-18")
    timed_post(blog, "2021-08-18-d.md", "date: 2021-08-18 01:00:00+09:00")
    expected = ["a", "b", "d", "c"]  # 21:00, 09:00, 01:00, then the one without a time
    for _ in range(2):  # read from the posts, then from the cache
        found = cache.select(rows(blog), Filters())
        assert [r.path[-4] for r in found] == expected
    assert found[0].time == int(dt.datetime(2021, 8, 18, 12, tzinfo=dt.UTC).timestamp())
    assert found[-1].time is None


def test_list_shows_the_posts_of_one_day_latest_time_first(blog: Path) -> None:
    timed_post(blog, "2021-08-18-a.md", "date: 2021-08-18 08:00:00 +0900")
    timed_post(blog, "2021-08-18-b.md", "date: 2021-08-18")
    timed_post(blog, "2021-08-18-c.md", "date: 2021-08-17T23:30:00Z")  # 08:30 in Seoul
    (blog / "_config.yml").write_text("theme: minima\ntimezone: Asia/Seoul\n", "utf-8")
    result = CliRunner().invoke(app, ["list", "--json", "--blog", str(blog)])
    assert result.exit_code == 0, result.output
    listed = [(p["path"], p["date"]) for p in json.loads(result.output)]
    assert listed == [
        ("_posts/2021-08-18-c.md", "2021-08-18"),
        ("_posts/2021-08-18-a.md", "2021-08-18"),
        ("_posts/2021-08-18-b.md", "2021-08-18"),
    ]


def test_cached_rows_are_of_the_posts_jekyll_reads(posts: Path, tmp_path: Path) -> None:
    day1 = posts / DAY1
    day1.rename(posts / "_posts" / "2021-08-02-day1.MKD")
    shutil.copyfile(posts / "_posts" / "2021-08-02-day1.MKD", posts / "_posts" / ".2021-08-01-x.md")
    before = {r.path for r in rows(posts)}
    assert "_posts/2021-08-02-day1.MKD" in before and DAY1 not in before
    assert not any("/." in path for path in before)
    assert next(r for r in rows(posts) if r.path.endswith(".MKD")).date == dt.date(2021, 8, 2)
    moved = tmp_path / "elsewhere.md"
    (posts / "_posts" / "2021-08-02-day1.MKD").rename(moved)
    (posts / "_posts" / "2021-08-02-day1.MKD").symlink_to(moved)  # a cached post became a link
    assert {r.path for r in rows(posts)} == before - {"_posts/2021-08-02-day1.MKD"}

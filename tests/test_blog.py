"""The blog on disk: where it is, what posts are called, and writes that never clobber."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from studylog.blog import site as blogmod
from studylog.errors import BlogError


def test_blog_option_wins_then_env_then_cwd_then_config(
    tmp_path: Path, blog: Path, monkeypatch
) -> None:
    other = tmp_path / "other"
    (other / "_posts").mkdir(parents=True)
    assert blogmod.resolve_blog(blog, other, cwd=tmp_path) == blog.resolve()
    monkeypatch.setenv("STUDYLOG_BLOG", str(other))
    assert blogmod.resolve_blog(None, blog, cwd=tmp_path) == other.resolve()
    monkeypatch.delenv("STUDYLOG_BLOG")
    assert blogmod.resolve_blog(None, other, cwd=blog) == blog
    assert blogmod.resolve_blog(None, other, cwd=tmp_path) == other.resolve()


def test_default_blog_is_created_as_a_git_repository(tmp_path: Path, isolated_home: Path) -> None:
    found = blogmod.resolve_blog(None, None, cwd=tmp_path)
    assert found == isolated_home / "data" / "blog"
    assert (
        (found / "_posts").is_dir()
        and (found / "_config.yml").is_file()
        and (found / ".git").is_dir()
    )


def test_a_directory_that_is_not_a_jekyll_site_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BlogError, match="not a Jekyll site"):
        blogmod.resolve_blog(tmp_path, None)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("day13", "day13"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("nul\x00byte", "nulbyte"),
        ("학습 기록", "학습-기록"),
        ("", "post"),
        ("...", "post"),
        ("\u1100\u1161", "\uac00"),  # NFD jamo -> NFC syllable
        ("e\x00\u0301", "\u00e9"),  # composes once the NUL between is gone
        ("_private", "private"),  # Jekyll skips names starting with _ . # ~
        ("~backup~", "backup"),
        ("C# #3 [공지] 9/15", "C-3-공지-9-15"),
    ],
)
def test_slugs_are_safe_file_names(text: str, slug: str) -> None:
    assert blogmod.slugify(text) == slug


def test_long_slugs_are_capped_in_bytes() -> None:
    slug = blogmod.slugify("가" * 200)
    assert len(slug.encode()) <= blogmod.MAX_SLUG_BYTES and slug == "가" * 40


# Jekyll's own rule for a post's file name (Jekyll::Document::DATE_FILENAME_MATCHER).
JEKYLL_POST_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")
hostile = st.text(
    st.characters(codec=None, exclude_categories=()) | st.sampled_from("/\\.\x00\n~_#%:"),
    max_size=300,
)


@given(text=hostile)
@example(text="../" * 80)
@example(text="\u1100\u1161" * 100)  # NFD Korean, longer than the cap once composed
@example(text="가" * 200)
@example(text="\ud800\udfff")  # lone surrogates
def test_any_title_gives_a_safe_jekyll_post_name_inside_posts(text: str) -> None:
    root = Path("/blog")
    slug = blogmod.slugify(text)
    assert slug and unicodedata.is_normalized("NFC", slug)
    assert len(slug.encode("utf-8")) <= blogmod.MAX_SLUG_BYTES
    assert not any(c in "/\\" or unicodedata.category(c)[0] == "C" for c in slug)
    assert slug[0] not in "._#~-" and slug not in (".", "..")
    path = blogmod.post_path(root, dt.date(2021, 8, 18), text)
    assert path.parent == root / "_posts" and JEKYLL_POST_NAME.match(path.name)
    assert blogmod.date_from_name(path) == dt.date(2021, 8, 18)
    assert (
        blogmod.post_path(root, dt.date(2021, 8, 18), text, draft=True).parent == root / "_drafts"
    )


def test_post_path_stays_inside_posts(tmp_path: Path) -> None:
    path = blogmod.post_path(tmp_path, dt.date(2021, 8, 18), "../../x")
    assert path.parent == tmp_path / "_posts" and path.name == "2021-08-18-x.md"
    assert (
        blogmod.post_path(tmp_path, dt.date(2021, 8, 18), "day13", draft=True)
        == tmp_path / "_drafts" / "day13.md"
    )


def test_write_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "_posts" / "2021-08-18-day13.md"
    blogmod.write_new(target, "first\n")
    with pytest.raises(BlogError, match="already exists: use --force"):
        blogmod.write_new(target, "second\n")
    assert target.read_text() == "first\n"
    assert os.listdir(target.parent) == [target.name]  # no temp file left behind


def test_forced_write_keeps_a_backup(tmp_path: Path) -> None:
    target = tmp_path / "post.md"
    blogmod.write_new(target, "old\n")
    backup = blogmod.write_new(target, "new\n", force=True)
    assert target.read_text() == "new\n" and backup is not None and backup.read_text() == "old\n"
    assert (
        tmp_path not in backup.parents
    )  # backups never land inside the blog (Jekyll would build them)


def test_failed_write_leaves_old_file_intact_and_no_temp_behind(
    tmp_path: Path, monkeypatch
) -> None:
    import errno

    target = tmp_path / "post.md"
    blogmod.write_new(target, "old\n")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(BlogError, match="cannot write .*No space left on device"):
        blogmod.write_new(target, "new\n", force=True)
    assert target.read_text() == "old\n" and os.listdir(tmp_path) == ["post.md"]


def test_post_files_finds_posts_and_optionally_drafts(example_blog: Path) -> None:
    (example_blog / "_drafts").mkdir()
    (example_blog / "_drafts" / "day17.md").write_text("x", "utf-8")
    assert [p.name for p in blogmod.post_files(example_blog)] == [
        "2021-08-18-day13.md",
        "2021-08-23-day16.md",
    ]
    assert len(blogmod.post_files(example_blog, drafts=True)) == 3


@pytest.mark.parametrize(
    "spec", ["2021-08-18", "13", "day13", "Day13", "_posts/2021-08-18-day13.md"]
)
def test_find_post_by_date_day_or_path(example_blog: Path, spec: str) -> None:
    assert blogmod.find_post(example_blog, spec).name == "2021-08-18-day13.md"


@pytest.mark.parametrize(
    ("spec", "message"), [("99", "no post '99'"), ("yesterday?", "give a path")]
)
def test_find_post_errors_say_what_to_give(example_blog: Path, spec: str, message: str) -> None:
    with pytest.raises(BlogError, match=message):
        blogmod.find_post(example_blog, spec)


def test_post_files_lists_what_rglob_did_in_the_same_order(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    for name in [
        "2021-08-18-day13.md",
        "2021-08-19-day14.markdown",
        "notes.txt",
        ".md",
        "2021/2021-01-04-day1.md",
        "2021-01-01-x.md",
        "a-b/1.md",
        "a/b/2.md",
        "folder.md/3.md",
    ]:
        (posts / name).parent.mkdir(parents=True, exist_ok=True)
        (posts / name).write_text("x", "utf-8")
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "4.md").write_text("x", "utf-8")
    (posts / "linked-dir").symlink_to(outside / "deep")  # not entered, as rglob does not
    (posts / "linked.md").symlink_to(posts / "2021-08-18-day13.md")
    (posts / "broken.md").symlink_to(tmp_path / "missing.md")
    rglob = sorted(p for p in posts.rglob("*") if p.suffix in (".md", ".markdown") and p.is_file())
    assert blogmod.post_files(tmp_path) == rglob
    assert len(rglob) == 8


def test_find_blog_says_what_chose_the_blog(
    tmp_path: Path, blog: Path, isolated_home: Path
) -> None:
    assert blogmod.find_blog(blog, None, cwd=tmp_path).source == "--blog"
    assert blogmod.find_blog(None, None, cwd=blog).source == "the current directory"
    assert blogmod.find_blog(None, blog, cwd=tmp_path).source == "the 'blog' config key"
    default = blogmod.find_blog(None, None, cwd=tmp_path)
    assert default.is_default and default.path == isolated_home / "data" / "blog"
    assert not default.path.exists()  # named, not created: resolve_blog creates it


@pytest.mark.parametrize("taken", ["data", "data/blog"])
def test_a_file_where_the_default_blog_goes_is_a_clean_error(
    tmp_path: Path, isolated_home: Path, taken: str
) -> None:
    (isolated_home / taken).parent.mkdir(parents=True, exist_ok=True)
    (isolated_home / taken).write_text("not a folder", encoding="utf-8")
    with pytest.raises(BlogError, match="default blog's place .* is taken by a file"):
        blogmod.resolve_blog(None, None, cwd=tmp_path)
    assert (isolated_home / taken).read_text(encoding="utf-8") == "not a folder"

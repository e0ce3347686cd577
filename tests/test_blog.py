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
from studylog.cli.commands import blog_in_use
from studylog.config import Settings
from studylog.errors import BlogError

from .conftest import read_only


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


def test_default_blog_is_created_as_a_git_repository(
    tmp_path: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not a Jekyll site, no blog set: the default blog
    found = blog_in_use(None, Settings(), ask=False)
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
    (posts / "linked.md").symlink_to(posts / "2021-08-18-day13.md")  # links are not posts
    (posts / "broken.md").symlink_to(tmp_path / "missing.md")
    rglob = sorted(
        p
        for p in posts.rglob("*")
        if p.suffix in (".md", ".markdown") and p.is_file() and not p.is_symlink()
    )
    assert blogmod.post_files(tmp_path) == rglob
    assert len(rglob) == 7


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_files_honour_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        blogmod.write_new(tmp_path / "_posts" / "2021-08-18-day13.md", "post\n")
        blogmod.replace_file(tmp_path / "state" / "draft.json", "{}\n")
    finally:
        os.umask(old)
    for path in (tmp_path / "_posts" / "2021-08-18-day13.md", tmp_path / "state" / "draft.json"):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o664])
def test_a_replaced_or_renamed_post_keeps_its_mode(tmp_path: Path, mode: int) -> None:
    post = tmp_path / "_posts" / "2021-08-18-day13.md"
    blogmod.write_new(post, "old\n")
    post.chmod(mode)
    blogmod.write_new(post, "new\n", force=True)
    blogmod.replace_file(post, "newer\n")
    assert post.stat().st_mode & 0o777 == mode and post.read_text() == "newer\n"
    renamed = post.with_name("2021-08-19-day14.md")
    blogmod.write_new(renamed, "moved\n", like=post)
    assert renamed.stat().st_mode & 0o777 == mode


@pytest.mark.parametrize(
    ("errno_", "cause"),
    [
        (13, "Permission denied: check that you can write to {folder}"),
        (30, "Read-only file system: check that you can write to {folder}"),
        (28, "No space left on device"),
        (20, "Not a directory"),
    ],
)
def test_a_folder_that_cannot_take_the_post_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errno_: int, cause: str
) -> None:
    folder = tmp_path / "_posts"
    folder.mkdir()

    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno_, os.strerror(errno_))

    monkeypatch.setattr(blogmod.tempfile, "mkstemp", refused)
    post = folder / "2021-08-18-day13.md"
    with pytest.raises(BlogError) as error:
        blogmod.write_new(post, "post\n")
    expected = f"cannot write {post}: {cause.format(folder=folder)}; nothing was changed"
    assert error.value.message == expected
    assert list(folder.iterdir()) == []


def test_a_read_only_posts_folder_is_a_clean_error(tmp_path: Path) -> None:
    folder = tmp_path / "_posts"
    folder.mkdir()
    with read_only(folder):
        with pytest.raises(BlogError) as error:
            blogmod.write_new(folder / "2021-08-18-day13.md", "post\n")
    cause = "(Permission denied|Operation not permitted)"
    assert re.fullmatch(
        f"cannot write .*: {cause}: check that you can write to .*", error.value.message
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("twin", ["2021-08-18-day13.markdown", "2021-08-18-day13.MD"])
def test_a_post_under_another_markdown_extension_is_the_same_post(
    tmp_path: Path, twin: str
) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / twin).write_text("theirs\n", "utf-8")
    path = posts / "2021-08-18-day13.md"
    with pytest.raises(BlogError) as error:
        blogmod.write_new(path, "mine\n")
    assert error.value.message == (
        f"{posts / twin} already exists: use --force to replace it (a backup is kept)"
    )
    assert sorted(p.name for p in posts.iterdir()) == [twin]
    target = blogmod.post_path(tmp_path, dt.date(2021, 8, 18), "day13")
    assert target == posts / twin  # so --force replaces that post under its own name
    blogmod.write_new(target, "mine\n", force=True)
    assert [p.read_text() for p in posts.iterdir()] == ["mine\n"]


def test_post_files_follow_jekylls_rules(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    names = {
        "2021-08-18-a.MD": True,
        "2021-08-18-b.markdown": True,
        "2021-08-18-c.mkd": True,
        "2021-08-18-d.mkdn": True,
        "2021-08-18-e.mkdown": True,
        "2021-08-18-f.Markdown": True,
        "2021-08-18-g.mdown": False,  # not in Jekyll's markdown_ext
        ".2021-08-12-day9.md": False,
        "_2021-08-12-day9.md": False,
        "#2021-08-12-day9.md": False,
        "2021-08-12-day9.md~": False,
        "_old/2021-08-12-day9.md": False,
        ".hidden/2021-08-12-day9.md": False,
        "2021/2021-08-12-day9.mkd": True,
    }
    for name in names:
        (posts / name).parent.mkdir(parents=True, exist_ok=True)
        (posts / name).write_text("x", "utf-8")
    wanted = sorted(posts / name for name, kept in names.items() if kept)
    assert blogmod.post_files(tmp_path) == wanted
    every = blogmod.post_files(tmp_path, skipped=True)  # what `check` looks at
    assert posts / ".2021-08-12-day9.md" in every and posts / "_old/2021-08-12-day9.md" in every


def test_a_linked_posts_folder_or_post_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    blog = tmp_path / "blog"
    blog.mkdir()
    (blog / "_posts").symlink_to(outside)
    post = blog / "_posts" / "2021-08-18-day13.md"
    message = f"{blog / '_posts'} is a symbolic link (to {outside}): GitHub Pages does not follow"
    with pytest.raises(BlogError, match=re.escape(message)):
        blogmod.write_new(post, "post\n")
    with pytest.raises(BlogError, match=re.escape(message)):
        blogmod.post_files(blog)
    assert list(outside.iterdir()) == []
    (blog / "_posts").unlink()
    (blog / "_posts").mkdir()
    (outside / "2021-08-18-day13.md").write_text("theirs\n", "utf-8")
    post.symlink_to(outside / "2021-08-18-day13.md")
    with pytest.raises(BlogError, match=re.escape(f"{post} is a symbolic link")):
        blogmod.write_new(post, "mine\n", force=True)
    with pytest.raises(BlogError, match="put the file itself in its place"):
        blogmod.find_post(blog, str(post))
    assert (outside / "2021-08-18-day13.md").read_text() == "theirs\n"
    assert blogmod.post_files(blog) == []


def test_edit_keeps_the_posts_mode_in_place_and_renamed(example_blog: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from studylog.cli.app import app

    post = example_blog / "_posts" / "2021-08-23-day16.md"
    post.chmod(0o644)
    fields = tmp_path / "fields.yaml"
    old = os.umask(0o077)  # a umask that would give 0600: the post's own mode wins
    try:
        for text in ("moderator: 강하린\n", "date: 2021-08-24\nday: 17\n"):
            fields.write_text(text, "utf-8")
            args = ["edit", "16", "--from", str(fields), "--yes", "--blog", str(example_blog)]
            result = CliRunner().invoke(app, args)
            assert result.exit_code == 0, result.output
    finally:
        os.umask(old)
    moved = post.with_name("2021-08-24-day17.md")
    assert not post.exists() and moved.stat().st_mode & 0o777 == 0o644


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

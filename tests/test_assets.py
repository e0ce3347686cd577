"""The local images a post references: Markdown, reference-style, `<img src>`, Liquid URLs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from studylog.blog import assets
from studylog.errors import BlogError, ConfigError
from studylog.post.model import QA, Entry

POST = """\
![inline](/assets/img/a.png)
![spaced](</assets/img/그림 1.png> "title")
![encoded](/assets/img/%EA%B7%B8%EB%A6%BC%202.png?v=1#top)
<img src="/assets/img/b.png" width="50%"/>
<IMG alt='x' SRC='{{ site.baseurl }}/assets/img/c.png'>
![liquid]({{ "/assets/img/d.png" | relative_url }})
![ref][Diagram]
![external](https://img.shields.io/badge/-x-red)
<img src="//cdn.example.com/e.png">
![data](data:image/png;base64,AAAA)
![missing](/assets/img/missing.png)
![escape](/../outside.png)
![relative](f.png)
[a link](/assets/img/not-an-image-ref.png)

[diagram]: /assets/img/ref.png
"""


@pytest.mark.parametrize(
    "url",
    [
        "/assets/img/a.png",
        "/assets/img/그림 1.png",
        "/assets/img/b.png",
        "{{ site.baseurl }}/assets/img/c.png",
        "/assets/img/ref.png",
        "https://img.shields.io/badge/-x-red",
    ],
)
def test_references_finds_every_kind_of_image(url: str) -> None:
    assert url in assets.references(POST)


def test_a_plain_link_is_not_an_image() -> None:
    assert "/assets/img/not-an-image-ref.png" not in assets.references(POST)


def test_local_files_are_the_existing_files_under_the_blog(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    img = blog / "assets" / "img"
    img.mkdir(parents=True)
    names = ["a.png", "그림 1.png", "그림 2.png", "b.png", "c.png", "d.png", "ref.png"]
    for name in names + ["not-an-image-ref.png"]:
        (img / name).write_bytes(b"png")
    (tmp_path / "outside.png").write_bytes(b"png")
    post = blog / "_posts" / "2021-08-18-x.md"
    post.parent.mkdir()
    (post.parent / "f.png").write_bytes(b"png")
    found = assets.local_files(POST, blog, post)
    in_order = [(img / n).resolve() for n in names] + [(post.parent / "f.png").resolve()]
    assert found == in_order


# --- image files named in an entry: copied into the blog, linked by their site path ----------

DAY = dt.date(2021, 9, 15)
FOLDER = "assets/images/2021-09-15"


def entry_with(question: str = "", answer: str = "", mentoring: str = "") -> Entry:
    return Entry(DAY, 3, "t", [], "m", [], [QA(question, answer)], mentoring)


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    """A Pictures folder outside the blog with screenshots (one with a space) and a text file."""
    folder = tmp_path / "Pictures"
    folder.mkdir()
    (folder / "shot 1.png").write_bytes(b"PNG one")
    (folder / "b.png").write_bytes(b"PNG b")
    (folder / "notes.txt").write_bytes(b"text")
    return folder


@pytest.mark.parametrize(
    "typed",
    [
        "![]({p}/shot 1.png)",
        "![](<{p}/shot 1.png>)",
        "'{p}/shot 1.png'",  # dragged into a terminal that quotes
        '"{p}/shot 1.png"',
        "{p}/shot\\ 1.png",  # dragged into one that escapes
        "{p}/shot 1.png",  # typed as it is
        "file://{p}/shot%201.png",
        "~/Pictures/shot\\ 1.png",
    ],
)
def test_a_named_image_file_is_copied_and_linked_by_its_site_path(
    typed: str, blog: Path, pictures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(pictures.parent))
    text = "화면:\n" + typed.format(p=pictures) + "\n끝"
    entry, copies = assets.localize(entry_with(question=text), blog, FOLDER)
    target = blog.resolve() / FOLDER / "shot-1.png"
    assert copies == [assets.Copy(pictures / "shot 1.png", target)]
    url = "/assets/images/2021-09-15/shot-1.png"
    assert entry.discussion[0].question == f"화면:\n![]({url})\n끝"
    assert not target.exists()  # only planned: writing the post makes the copy


def test_every_markdown_field_is_rewritten_and_a_file_is_copied_once(
    blog: Path, pictures: Path
) -> None:
    given = entry_with(
        question=f'![그림]({pictures}/b.png "title")',
        answer=f"see {pictures}/b.png.",
        mentoring=f"- file://{pictures}/b.png",
    )
    entry, copies = assets.localize(given, blog, FOLDER)
    url = "/assets/images/2021-09-15/b.png"
    assert entry.discussion[0] == QA(f'![그림]({url} "title")', f"see ![]({url}).")
    assert entry.mentoring == f"- ![]({url})"
    assert [c.source for c in copies] == [pictures / "b.png"]


@pytest.mark.parametrize(
    "text",
    [
        "![x](https://user-images.githubusercontent.com/1/a.png)",
        "![x](/assets/img/missing.png) and /nowhere/shot.png",
        "{p}/notes.txt is not an image",
        "`{p}/b.png` in code",
        "```\n{p}/b.png\n```",
        "a/{p}/b.png joined to a word",
        "{p}/b.png2 {p}/b",
        "![liquid]({{{{ '/assets/x.png' | relative_url }}}})",
    ],
)
def test_text_that_is_not_an_image_file_is_left_as_it_is(
    text: str, blog: Path, pictures: Path
) -> None:
    given = entry_with(answer=text.format(p=pictures))
    entry, copies = assets.localize(given, blog, FOLDER)
    assert (entry, copies) == (given, [])


def test_an_image_already_on_the_site_is_left_and_one_in_the_blog_linked_in_place(
    blog: Path,
) -> None:
    img = blog / "assets" / "img"
    img.mkdir(parents=True)
    (img / "a.png").write_bytes(b"PNG a")
    given = entry_with(answer=f"![a](/assets/img/a.png)\n{img / 'a.png'}")
    entry, copies = assets.localize(given, blog, FOLDER)
    assert entry.discussion[0].answer == "![a](/assets/img/a.png)\n![](/assets/img/a.png)"
    assert copies == []


def test_a_different_file_of_the_same_name_gets_a_suffix_and_the_same_file_is_reused(
    blog: Path, pictures: Path, tmp_path: Path
) -> None:
    folder = blog / FOLDER
    folder.mkdir(parents=True)
    (folder / "b.png").write_bytes(b"another day's b")
    other = tmp_path / "Desktop"
    other.mkdir()
    (other / "b.png").write_bytes(b"a third b")
    given = entry_with(question=f"{pictures}/b.png", answer=f"{other}/b.png")
    entry, copies = assets.localize(given, blog, FOLDER)
    assert [c.target.name for c in copies] == ["b-1.png", "b-2.png"]
    assert entry.discussion[0] == QA(
        "![](/assets/images/2021-09-15/b-1.png)", "![](/assets/images/2021-09-15/b-2.png)"
    )
    (folder / "b-1.png").write_bytes(b"PNG b")  # the same bytes: linked, not copied again
    entry, copies = assets.localize(given, blog, FOLDER)
    assert [c.target.name for c in copies] == ["b-2.png"]
    assert entry.discussion[0].question == "![](/assets/images/2021-09-15/b-1.png)"


def test_the_site_baseurl_prefixes_the_link(blog: Path, pictures: Path) -> None:
    (blog / "_config.yml").write_text("title: x\nbaseurl: /my-blog/\n", encoding="utf-8")
    entry, _ = assets.localize(entry_with(answer=f"{pictures}/b.png"), blog, FOLDER)
    assert entry.discussion[0].answer == "![](/my-blog/assets/images/2021-09-15/b.png)"
    post = blog / "_posts" / "2021-09-15-day3.md"
    (blog / FOLDER).mkdir(parents=True)
    (blog / FOLDER / "b.png").write_bytes(b"PNG b")
    found = assets.local_files(entry.discussion[0].answer, blog, post, "/my-blog")
    assert found == [(blog / FOLDER / "b.png").resolve()]


@pytest.mark.parametrize("folder", ["/abs/images", "../outside", "_images/{date}", "assets/.x"])
def test_an_image_folder_jekyll_leaves_out_is_a_config_error(
    folder: str, blog: Path, pictures: Path
) -> None:
    with pytest.raises(ConfigError, match="image_dir"):
        assets.localize(entry_with(answer=f"{pictures}/b.png"), blog, folder)


def test_copies_are_made_with_the_umask_and_taken_back_when_the_block_fails(
    blog: Path, pictures: Path
) -> None:
    _, copies = assets.localize(entry_with(answer=f"{pictures}/b.png"), blog, FOLDER)
    with assets.copied(copies):
        target = copies[0].target
        assert target.read_bytes() == b"PNG b"
        assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    with pytest.raises(BlogError, match="appeared meanwhile"), assets.copied(copies):
        pass  # the name is taken now: never overwritten
    assert target.read_bytes() == b"PNG b"
    target.unlink()
    with pytest.raises(RuntimeError), assets.copied(copies):
        raise RuntimeError("the post could not be written")
    assert not target.exists() and list(target.parent.iterdir()) == []


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_several_paths_on_a_line_are_each_linked(blog: Path, pictures: Path) -> None:
    given = entry_with(answer=f"전: {pictures}/b.png 후: {pictures}/shot 1.png 끝")
    entry, copies = assets.localize(given, blog, FOLDER)
    url = "/assets/images/2021-09-15/"
    assert entry.discussion[0].answer == f"전: ![]({url}b.png) 후: ![]({url}shot-1.png) 끝"
    assert len(copies) == 2


def test_missing_files_are_the_local_images_the_blog_lacks(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    (blog / "assets" / "img").mkdir(parents=True)
    (blog / "assets" / "img" / "a.png").write_bytes(b"png")
    post = blog / "_posts" / "2021-08-18-x.md"
    text = (
        "![a](/assets/img/a.png) ![b](/assets/img/b.png) ![w](https://x.org/c.png)\n"
        "![l]({{ page.image }}) ![r](rel.png) <img src='/study/assets/img/a.png'>"
    )
    missing = assets.missing_files(text, blog, post, "/study")
    assert missing == ["/assets/img/b.png", "rel.png"]

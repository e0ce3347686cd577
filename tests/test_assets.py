"""The local images a post references: Markdown, reference-style, `<img src>`, Liquid URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.blog import assets

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

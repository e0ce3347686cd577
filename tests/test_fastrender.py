"""The shortcuts of `new` render what Jinja2 and ruamel would: the same bytes, for any input.

- the built-in templates in plain Python (studylog/fastrender.py) against Jinja2 on the .j2 files;
- the default front matter written directly against ruamel's round trip;
- Jinja2's compiled code kept in the cache dir: a changed template is compiled again.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studylog.config import DEFAULT_FRONT_MATTER, DEFAULT_HEADINGS, Settings
from studylog.errors import TemplateError
from studylog.post import fastrender, render
from studylog.post.model import Entry, fields_from_mapping

DATA = Path(__file__).parent / "data"
BUILTINS = render.BUILTIN_TEMPLATES

text = st.text(max_size=30)
printable = st.text(st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn")), max_size=40)
lines = st.one_of(text, st.sampled_from(["", "a\nb", "{{ x }}", "{% if %}", "\n", "  x  ", "---"]))


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, Any]:
    """A template context as `render.context` builds it, with any text in any slot."""
    return {
        "front_matter": draw(lines),
        "headings": {key: draw(lines) for key in fastrender.HEADING_KEYS},
        "topics": [{"line": line} for line in draw(st.lists(lines, max_size=3))],
        "moderator": draw(lines),
        "participants": draw(st.lists(lines, max_size=3)),
        "discussion": [
            {"question_block": q, "answer_block": a}
            for q, a in draw(st.lists(st.tuples(lines, lines), max_size=3))
        ],
        "mentoring": draw(lines),
        "extras": {key: draw(st.one_of(st.just(""), lines)) for key in fastrender.EXTRA_KEYS},
        "footer_block": draw(lines),
    }


def entry_from(name: str) -> Entry:
    import yaml

    return Entry(**fields_from_mapping(yaml.safe_load((DATA / name).read_text("utf-8"))))


@pytest.mark.parametrize("name", BUILTINS)
def test_each_shipped_template_has_its_plain_python_renderer(name: str) -> None:
    stale = f"templates/{name}.md.j2 changed: update fastrender (SEPARATORS and the renderer)"
    assert fastrender.renderer_for(render.builtin_template(name)) is not None, stale
    assert len(fastrender.SEPARATORS) == len(BUILTINS)


@pytest.mark.parametrize("name", BUILTINS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variables=contexts())
def test_plain_python_renders_the_bytes_jinja2_does(name: str, variables: dict[str, Any]) -> None:
    template = render.builtin_template(name)
    quick = fastrender.renderer_for(template)
    assert quick is not None and fastrender.fits(variables)
    assert quick(variables) == render.render_jinja(name, template, variables)


@pytest.mark.parametrize("name", BUILTINS)
@pytest.mark.parametrize("example", sorted(DATA.glob("*.entry.yaml")), ids=lambda p: p.name)
def test_examples_render_as_through_jinja2(name: str, example: Path) -> None:
    entry, config = entry_from(example.name), Settings(template=name)
    template = render.builtin_template(name)
    expected = render.render_jinja(name, template, render.context(entry, config))
    assert render.render(entry, config, (name, template)) == expected


def test_an_edited_builtin_goes_through_jinja2() -> None:
    edited = render.builtin_template("default").replace("## {{ headings.peer }}", "## Peers")
    assert fastrender.renderer_for(edited) is None
    text = render.render(entry_from("2021-08-18-day13.entry.yaml"), Settings(), ("x", edited))
    assert "\n## Peers\n" in text


def test_a_missing_heading_is_still_named_by_jinja2() -> None:
    headings = {k: v for k, v in DEFAULT_HEADINGS.items() if k != "mentoring"}
    config = Settings(headings=headings)
    with pytest.raises(TemplateError, match="unknown variable.*mentoring"):
        render.render(entry_from("2021-08-18-day13.entry.yaml"), config)


@settings(max_examples=300, deadline=None)
@given(title=st.one_of(st.text(max_size=40), printable), date=st.dates())
def test_default_front_matter_is_ruamels(title: str, date: dt.date) -> None:
    quick = render.default_front_matter(title, date)
    if quick is not None:
        assert quick == render._round_trip(DEFAULT_FRONT_MATTER, {}, title, date)


@pytest.mark.parametrize("title", ["[boostcourse] Day13 학습기록", "", "yes", "a: b", "😀 #1"])
def test_ordinary_titles_take_the_quick_front_matter(title: str) -> None:
    date = dt.date(2021, 8, 18)
    quick = render.default_front_matter(title, date)
    assert quick == render._round_trip(DEFAULT_FRONT_MATTER, {}, title, date)


@pytest.mark.parametrize("title", ['say "hi"', "back\\slash", "tab\there", "\ufeffbom", "x" * 1001])
def test_titles_ruamel_escapes_or_folds_are_left_to_it(title: str) -> None:
    assert render.default_front_matter(title, dt.date(2021, 8, 18)) is None
    front = render.front_matter_yaml(DEFAULT_FRONT_MATTER, {}, title, dt.date(2021, 8, 18))
    assert front == render._round_trip(DEFAULT_FRONT_MATTER, {}, title, dt.date(2021, 8, 18))


@pytest.mark.parametrize("text", ["", "abc", "학습기록 🙂", "x" * 10_000])
def test_sha256_without_hashlib_is_hashlibs(text: str) -> None:
    import hashlib

    from studylog.post.digest import sha256_hex

    assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_files() -> list[Path]:
    folder = Path(os.environ["STUDYLOG_CACHE_DIR"]) / "templates"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_user_template_is_compiled_once_and_again_when_it_changes(tmp_path: Path) -> None:
    template, entry = tmp_path / "mine.md.j2", entry_from("2021-08-18-day13.entry.yaml")
    template.write_text("---\n{{ front_matter }}---\nDay {{ day }}\n", "utf-8")
    config = Settings(template=str(template))
    assert render.render(entry, config).endswith("---\nDay 13\n")
    assert len(cached_files()) == 1
    assert render.render(entry, config).endswith("---\nDay 13\n")  # from the cache
    template.write_text("---\n{{ front_matter }}---\nBy {{ moderator }}\n", "utf-8")
    assert render.render(entry, config).endswith("---\nBy 이서연\n")


def test_a_damaged_cache_file_is_compiled_afresh(tmp_path: Path) -> None:
    template, entry = tmp_path / "mine.md.j2", entry_from("2021-08-18-day13.entry.yaml")
    template.write_text("---\n{{ front_matter }}---\nDay {{ day }}\n", "utf-8")
    config = Settings(template=str(template))
    render.render(entry, config)
    (kept,) = cached_files()
    for damage in (kept.read_bytes()[:40], b"j2" + b"\xff" * 40, b""):
        kept.write_bytes(damage)
        assert render.render(entry, config).endswith("---\nDay 13\n")


def test_a_cache_dir_that_cannot_be_written_only_costs_a_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache dir would be", "utf-8")
    monkeypatch.setenv("STUDYLOG_CACHE_DIR", str(blocked))
    template = tmp_path / "mine.md.j2"
    template.write_text("---\n{{ front_matter }}---\nDay {{ day }}\n", "utf-8")
    entry = entry_from("2021-08-18-day13.entry.yaml")
    assert render.render(entry, Settings(template=str(template))).endswith("---\nDay 13\n")


def test_a_syntax_error_is_reported_and_nothing_is_cached(tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("---\n{{ front_matter }}---\n{% if %}\n", "utf-8")
    entry = entry_from("2021-08-18-day13.entry.yaml")
    with pytest.raises(TemplateError, match="line 3"):
        render.render(entry, Settings(template=str(template)))
    assert cached_files() == []



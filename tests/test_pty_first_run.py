"""The first run outside a blog, in a real terminal (pexpect, a pty): which blog, asked once."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from studylog.config import load_settings
from tests.test_pty_new import CLEAR, ENTER, spawn_studylog

try:
    import pexpect
except ImportError:  # pragma: no cover - the test extra installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("pexpect is missing: pip install -e '.[test]'", allow_module_level=True)

DOWN = "\x1b[B"
QUESTION = "Which blog should studylog write to?"


def spawn(cwd: Path, *args: str) -> tuple[pexpect.spawn, io.StringIO]:
    """The installed `studylog` in a pty, run in `cwd`; what it printed is collected."""
    return spawn_studylog(*args, cwd=cwd, size=(30, 120))


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1)


def test_first_run_asks_for_the_blog_and_keeps_the_answer(tmp_path: Path, blog: Path) -> None:
    away = tmp_path / "elsewhere"
    away.mkdir()
    child, output = spawn(away, "list")
    child.expect_exact(QUESTION)
    child.send(DOWN + ENTER)  # "My blog (a Jekyll site): type its folder"
    child.expect_exact("Your blog's folder:")
    child.send(str(tmp_path) + ENTER)  # not a site: said, and asked again
    child.expect_exact("not a Jekyll site")
    child.send(CLEAR + str(blog) + ENTER)
    assert finish(child) == 0, output.getvalue()
    assert load_settings().blog == blog.resolve()
    again, seen = spawn(away, "list")
    assert finish(again) == 0 and QUESTION not in seen.getvalue()  # asked once
    assert str(blog) in seen.getvalue()  # "no posts ... in BLOG": the chosen blog


def test_first_run_can_create_the_default_blog(tmp_path: Path, isolated_home: Path) -> None:
    child, output = spawn(tmp_path, "list")
    child.expect_exact(QUESTION)
    child.send(ENTER)  # "Create a new blog at …"
    assert finish(child) == 0, output.getvalue()
    default = isolated_home / "data" / "blog"
    assert (default / "_config.yml").is_file() and load_settings().blog == default
    assert "Saved in" in output.getvalue()


def test_inside_a_blog_nothing_is_asked(blog: Path) -> None:
    child, output = spawn(blog, "list")
    assert finish(child) == 0 and QUESTION not in output.getvalue()
    assert load_settings().blog is None


def test_new_yes_asks_nothing_and_names_the_default_blog(
    tmp_path: Path, isolated_home: Path
) -> None:
    child, output = spawn(tmp_path, "new", "--yes", "--moderator", "김민준")
    assert finish(child) == 0, output.getvalue()
    default = isolated_home / "data" / "blog"
    assert QUESTION not in output.getvalue()
    assert f"using the default blog at {default}" in output.getvalue()
    assert list((default / "_posts").glob("*.md")) and load_settings().blog is None

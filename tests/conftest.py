"""Shared fixtures: no test touches the real home; blogs and git repos are built in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from studylog.blog import cache
from studylog.blog.cache import Row

DATA = Path(__file__).parent / "data"
EXAMPLES = [DATA / "2021-08-18-day13.md", DATA / "2021-08-23-day16.md"]
POSTS = EXAMPLES + sorted((DATA / "posts").glob("*.md")) + sorted((DATA / "broken").glob("*.md"))
OLD = 1_600_000_000  # a modification time long before any scan


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point every user directory (config, data, state, cache, global git config) at a temp dir."""
    return isolate(tmp_path_factory.mktemp("home"), monkeypatch)


def isolate(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make `home` the user's home and studylog's directories; also for module-scoped fixtures."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("STUDYLOG_CONFIG", str(home / "config" / "config.toml"))
    monkeypatch.setenv("STUDYLOG_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("STUDYLOG_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("STUDYLOG_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("STUDYLOG_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Student")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "student@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Student")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "student@example.com")
    monkeypatch.delenv("STUDYLOG_BLOG", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PAGER", "cat")  # a long preview in a pty is not held in `less`
    monkeypatch.setenv("NO_COLOR", "1")
    for var in ("FORCE_COLOR", "TTY_COMPATIBLE"):  # a CI's colour forcing would make output a tty's
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    (home / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    return home


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    """An empty Jekyll blog (a git repository with `_config.yml` and `_posts/`)."""
    root = tmp_path / "blog"
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: test blog\ntheme: minima\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


@pytest.fixture
def example_blog(blog: Path) -> Path:
    """The blog holding both example posts."""
    for name in ("2021-08-18-day13.md", "2021-08-23-day16.md"):
        (blog / "_posts" / name).write_bytes((DATA / name).read_bytes())
    return blog


def write_config(home: Path, text: str) -> Path:
    """Write the user's config.toml (as pointed to by $STUDYLOG_CONFIG)."""
    path = Path(os.environ["STUDYLOG_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def posts(blog: Path) -> Path:
    """A blog of the examples, varied and broken posts and a draft, all last modified long ago."""
    for path in POSTS:
        shutil.copyfile(path, blog / "_posts" / path.name)
    (blog / "_drafts").mkdir()
    shutil.copyfile(DATA / "drafts" / "day14.md", blog / "_drafts" / "day14.md")
    for path in blog.rglob("*.md"):
        os.utime(path, (OLD, OLD))
    return blog


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The posts read from their files (rather than taken from the cache)."""
    seen: list[str] = []
    real = cache.read_row

    def counting(blog: Path, rel: str, *args, **kwargs) -> Row:  # type: ignore[no-untyped-def]
        seen.append(rel)
        return real(blog, rel, *args, **kwargs)

    monkeypatch.setattr(cache, "read_row", counting)
    return seen


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` refuse new files, as a read-only `_posts` does: `chmod 0555` for a user,
    the immutable attribute for root (whom permissions do not stop)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)

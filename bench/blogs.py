"""The blogs the commands run on, built from posts bench/generate.py writes.

The posts are generated once into bench/data/posts; a blog of N posts hard-links the first N of
them: bench/data/blog-N is a Jekyll site and git repository, bench/data/hugo-N a Hugo site whose
content/posts holds the same files. Each is rebuilt only when the posts would change (a stamp of
the generator and of what studylog renders).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import multiprocessing
import os
import shutil
import subprocess
import time
from pathlib import Path

import generate
import yaml
from tools import BENCH, DATA, ROOT, WORK, log

PARTIAL_FIELDS = ("date", "topics", "discussion", "mentoring")  # the rest comes from history


def dates(count: int) -> list[dt.date]:
    """The dates of the first `count` posts."""
    return list(itertools.islice(generate.weekdays(), count))


def data_stamp() -> str:
    """Changes when the generated posts would: the generator, or what studylog's render makes of
    a sample of its entries (template, front matter, escaping)."""
    digest = hashlib.sha256((BENCH / "generate.py").read_bytes())
    days = dates(100)
    for index in (0, 1, 17, 42, 99):
        digest.update(generate.post(index, days[index]).encode("utf-8"))
    return digest.hexdigest()[:16]


def _write_chunk(args: tuple[Path, list[int], list[dt.date]]) -> int:
    folder, indexes, days = args
    return generate.write_posts(folder, indexes, days)


def master_posts(count: int, stamp: str) -> list[str]:
    """The file names of the first `count` posts in bench/data/posts, generated (in parallel)
    where missing."""
    folder, stamp_file = DATA / "posts", DATA / "posts.stamp"
    if not stamp_file.exists() or stamp_file.read_text() != stamp:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    days = dates(count)
    names = [generate.file_name(i, days[i]) for i in range(count)]
    present = set(os.listdir(folder))
    todo = [i for i in range(count) if names[i] not in present]
    if todo:
        log(f"generating {len(todo):,} posts into {folder.relative_to(ROOT)} ...")
        started = time.perf_counter()
        chunks = [(folder, todo[i : i + 250], days) for i in range(0, len(todo), 250)]
        with multiprocessing.Pool(os.cpu_count() or 1) as pool:
            total = sum(pool.imap_unordered(_write_chunk, chunks))
        log(f"  {total / len(todo) / 1024:.1f} KB a post, {time.perf_counter() - started:.0f} s")
    stamp_file.write_text(stamp)
    return names


def _built(root: Path, stamp: str) -> bool:
    """Whether the blog `root` was built from the current posts."""
    stamp_file = root.with_name(root.name + ".stamp")
    return root.is_dir() and stamp_file.exists() and stamp_file.read_text() == stamp


def _build(root: Path, names: list[str], posts: str, files: dict[str, str]) -> None:
    """A fresh `root` holding the posts `names` (hard links) in `posts`, and `files`."""
    shutil.rmtree(root, ignore_errors=True)
    (root / posts).mkdir(parents=True)
    for name in names:
        os.link(DATA / "posts" / name, root / posts / name)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")


def jekyll_blog(names: list[str], stamp: str, env: dict[str, str]) -> Path:
    """bench/data/blog-N: a Jekyll site and git repository holding the posts `names`."""
    root = DATA / f"blog-{len(names)}"
    if not _built(root, stamp):
        log(f"building {root.relative_to(ROOT)} (a Jekyll site and git repository) ...")
        _build(root, names, "_posts", {"_config.yml": "title: My study log\ntheme: minima\n"})
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", f"{len(names)} posts"]):
            git(env, "-C", str(root), *args)
        root.with_name(root.name + ".stamp").write_text(stamp)
    return root


def hugo_site(names: list[str], stamp: str) -> Path:
    """bench/data/hugo-N: a Hugo site whose content/posts holds the posts `names`."""
    root = DATA / f"hugo-{len(names)}"
    if not _built(root, stamp):
        config = "baseURL = 'https://example.org/'\nlanguageCode = 'ko-kr'\ntitle = 'Study log'\n"
        _build(root, names, "content/posts", {"config.toml": config})
        root.with_name(root.name + ".stamp").write_text(stamp)
    return root


def git(env: dict[str, str], *args: str) -> None:
    """Run git; stop the benchmark if it fails."""
    subprocess.run(["git", *args], check=True, env=env)


def publish_clone(blog: Path, env: dict[str, str]) -> Path:
    """A fresh clone of `blog` whose remote is a bare repository: what publish pushes to."""
    remote, clone = WORK / f"remote-{blog.name}.git", WORK / f"publish-{blog.name}"
    shutil.rmtree(remote, ignore_errors=True)
    shutil.rmtree(clone, ignore_errors=True)
    git(env, "clone", "-q", "--bare", str(blog), str(remote))
    git(env, "clone", "-q", str(remote), str(clone))
    return clone


def entry_files(count: int) -> tuple[Path, Path, Path]:
    """The `--from` files of the post after `count` posts, and where studylog writes it: FILE
    gives every field; PARTIAL only date and content, so studylog takes the day, title,
    moderator and participants from the blog's history."""
    date = dates(count + 1)[count]
    data = generate.entry_fields(count, date)
    full, partial = WORK / f"entry-{count}.yaml", WORK / f"entry-{count}-partial.yaml"
    for path, fields in ((full, data), (partial, {k: data[k] for k in PARTIAL_FIELDS})):
        text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return full, partial, Path("_posts") / generate.file_name(count, date)

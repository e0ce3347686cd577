"""The command lines measured on each blog: studylog's, and the peers' they are compared with.

Four groups, each timed side by side: start-up, reading (list, search), writing (new) and
publishing. studylog runs as a user runs it, from inside the blog. The peers run only where the
targets or the table of figures need them; one that is not installed becomes a case saying so.
"""

from __future__ import annotations

import itertools
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import blogs
import generate
from measure import Case
from tools import WORK, Tools

VERSION = "studylog --version"
LIST_EMPTY = "studylog list (empty cache)"
LIST_WARM = "studylog list (warm cache)"
LIST_CHANGED = "studylog list (one post changed)"
NEW_FILE = "studylog new --from FILE --yes"
PUBLISH = "studylog publish POST"
JRNL = "jrnl --version"
HUGO_LIST = "hugo list all"
HUGO_NEW = "hugo new"
BARE_GIT = "git add && git commit && git push"
SEARCH_WORD = "앙상블"  # in about one post in three
HUGO_POST = "posts/bench-new-post.md"
JEKYLL_TITLE = "bench new post"


@dataclass(frozen=True)
class Site:
    """The blogs of one size: the Jekyll blog, and the Hugo site when the peers run here."""

    size: int
    blog: Path
    hugo: Path | None  # None: studylog's cases only

    @property
    def peers(self) -> bool:
        """Whether the peers run at this size."""
        return self.hugo is not None


def cases_at(tools: Tools, site: Site, env: dict[str, str]) -> list[Case]:
    """Every case of every group at one blog size."""
    return [
        *startup_cases(tools, site),
        *read_cases(tools, site),
        *write_cases(tools, site),
        *publish_cases(tools, site, env),
    ]


def peer(
    group: str, label: str, site: Site, tool: str | Path | None, *args: str, **kw: Any
) -> Case:
    """A peer's case (`kw`: the rest of Case's fields), or one saying it is not installed."""
    if tool is None:
        name = "jekyll with jekyll-compose" if label.startswith("jekyll") else label.split()[0]
        return Case(group, label, site.size, None, missing=f"missing: {name} is not installed")
    return Case(group, label, site.size, [str(tool), *args], **kw)


def startup_cases(tools: Tools, site: Site) -> list[Case]:
    """`--version` (a target) and `--help` (a figure); beside them `python -c pass`, the floor
    of any Python command, and `jrnl --version`."""
    s, size = str(tools.studylog), site.size
    studylog = [
        Case("start-up", VERSION, size, [s, "--version"], cwd=site.blog),
        Case("start-up", "studylog --help", size, [s, "--help"], cwd=site.blog),
    ]
    if not site.peers:
        return studylog
    python = Case("start-up", "python -c pass", size, [str(tools.python), "-c", "pass"])
    return [python, *studylog, peer("start-up", JRNL, site, tools.jrnl, "--version")]


def read_cases(tools: Tools, site: Site) -> list[Case]:
    """`list` with an empty cache, a warm one and after one post changed; `search` with a warm
    cache; `hugo list all`."""
    size = site.size
    empty, warm, changed = (WORK / f"cache-{kind}-{size}" for kind in ("empty", "warm", "changed"))
    for folder in (empty, warm, changed):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    newest = max((site.blog / "_posts").iterdir())  # the names start with the date

    def empty_cache() -> None:
        shutil.rmtree(empty)
        empty.mkdir()

    def change_newest() -> None:
        os.utime(newest)  # a new mtime: the cache must read that post again

    def studylog(label: str, cache: Path, *args: str, **kw: Any) -> Case:
        argv, env = [str(tools.studylog), *args], {"STUDYLOG_CACHE_DIR": str(cache)}
        return Case("read", label, size, argv, cwd=site.blog, env=env, **kw)

    cases = [
        studylog(LIST_EMPTY, empty, "list", before=empty_cache),
        studylog(LIST_WARM, warm, "list"),
        studylog(LIST_CHANGED, changed, "list", before=change_newest),
        studylog(f"studylog search {SEARCH_WORD} (warm cache)", warm, "search", SEARCH_WORD),
    ]
    if site.hugo is not None:
        cases.append(peer("read", HUGO_LIST, site, tools.hugo, "list", "all", cwd=site.hugo))
    return cases


def write_cases(tools: Tools, site: Site) -> list[Case]:
    """`new --from FILE --yes` with every field, and with only date and content (the rest from
    the blog's history); `hugo new` and `jekyll post`. Each post is removed after its run."""
    full, partial, written = blogs.entry_files(site.size)

    def remove() -> None:
        (site.blog / written).unlink(missing_ok=True)

    cases = [
        Case(
            "write",
            label,
            site.size,
            [str(tools.studylog), "new", "--from", str(entry), "--yes"],
            cwd=site.blog,
            before=remove,
            after=remove,
        )
        for label, entry in ((NEW_FILE, full), ("studylog new --from PARTIAL --yes", partial))
    ]
    if site.hugo is not None:
        cases += write_peers(tools, site, site.hugo)
    return cases


def write_peers(tools: Tools, site: Site, hugo: Path) -> list[Case]:
    """`hugo new` in the Hugo site and `jekyll post` in the blog, their post removed after."""
    hugo_post = hugo / "content" / HUGO_POST

    def remove_hugo_post() -> None:
        hugo_post.unlink(missing_ok=True)

    def remove_jekyll_post() -> None:
        for path in (site.blog / "_posts").glob(f"*-{JEKYLL_TITLE.replace(' ', '-')}.md"):
            path.unlink()

    hugo_kw = {"cwd": hugo, "before": remove_hugo_post, "after": remove_hugo_post}
    jekyll_kw = {"cwd": site.blog, "before": remove_jekyll_post, "after": remove_jekyll_post}
    return [
        peer("write", HUGO_NEW, site, tools.hugo, "new", HUGO_POST, **hugo_kw),
        peer("write", "jekyll post", site, tools.jekyll, "post", JEKYLL_TITLE, **jekyll_kw),
    ]


def publish_cases(tools: Tools, site: Site, env: dict[str, str]) -> list[Case]:
    """`publish POST` of a new post each run, into a clone whose remote is a bare repository;
    beside it the bare `git add && git commit && git push` in the same clone."""
    clone = blogs.publish_clone(site.blog, env)
    upcoming = enumerate(itertools.islice(generate.weekdays(), site.size, None), site.size)

    def new_post() -> str:
        index, day = next(upcoming)
        path = clone / "_posts" / generate.file_name(index, day)
        path.write_text(generate.post(index, day), encoding="utf-8")
        return str(path)

    script = 'git add -- "$1" && git commit -q -m "Add $1" && git push -q'
    argvs = {
        PUBLISH: [str(tools.studylog), "publish", "{post}"],
        BARE_GIT: ["sh", "-c", script, "sh", "{post}"],
    }
    labels = [PUBLISH, BARE_GIT] if site.peers else [PUBLISH]
    return [
        Case("publish", label, site.size, argvs[label], cwd=clone, before=new_post)
        for label in labels
    ]

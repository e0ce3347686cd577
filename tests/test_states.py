"""Posts' git states from real git: a clone of a bare repository as the remote."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.git import repo as gitrepo
from studylog.git import states

DATA = Path(__file__).parent / "data"
POSTS = sorted((DATA / "posts").glob("*.md"))


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def put(blog: Path, index: int, name: str | None = None) -> str:
    """Copy the index-th varied post into the blog; its blog-relative path."""
    source = POSTS[index]
    target = blog / "_posts" / (name or source.name)
    shutil.copyfile(source, target)
    return target.relative_to(blog).as_posix()


def listed_states(blog: Path) -> dict[str, str | None]:
    result = CliRunner().invoke(app, ["list", "--json", "--drafts", "--blog", str(blog)])
    assert result.exit_code == 0, result.output
    return {row["path"]: row["state"] for row in json.loads(result.stdout)}


def test_every_state_from_one_status_and_one_log(blog: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    pushed, modified = put(blog, 0), put(blog, 1)
    (blog / ".gitignore").write_text("_posts/*-ignored.md\n", "utf-8")
    git(blog, "add", "-A")
    git(blog, "commit", "-q", "-m", "first posts")
    git(blog, "remote", "add", "origin", str(remote))
    git(blog, "push", "-q", "-u", "origin", "main")
    committed = put(blog, 2)
    git(blog, "add", committed)
    git(blog, "commit", "-q", "-m", "not pushed yet")
    with (blog / modified).open("a", encoding="utf-8") as handle:
        handle.write("\n수정\n")
    untracked, added = put(blog, 3), put(blog, 4)
    git(blog, "add", added)
    ignored = put(blog, 5, "2021-08-09-ignored.md")
    (blog / "_drafts").mkdir()
    shutil.copyfile(DATA / "drafts" / "day14.md", blog / "_drafts" / "day14.md")
    assert listed_states(blog) == {
        pushed: "pushed",
        modified: "modified",
        committed: "committed",
        untracked: "new",
        added: "new",
        ignored: "new",
        "_drafts/day14.md": "draft",
    }


def test_without_an_upstream_every_commit_is_committed(blog: Path) -> None:
    done = put(blog, 0)
    git(blog, "add", "-A")
    git(blog, "commit", "-q", "-m", "local only")
    fresh = put(blog, 1)
    assert listed_states(blog) == {done: "committed", fresh: "new"}


def test_a_blog_in_a_subdirectory_of_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    site = repo / "site"
    (site / "_posts").mkdir(parents=True)
    git(tmp_path, "init", "-q", str(repo))
    done = put(site, 0)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "site")
    fresh = put(site, 1)
    assert listed_states(site) == {done: "committed", fresh: "new"}


def test_status_records_are_read_with_renames_and_a_prefix() -> None:
    output = "\0".join(
        [
            "# branch.oid 0123",
            "# branch.head main",
            "# branch.upstream origin/main",
            "# branch.ab +2 -1",
            "1 .M N... 100644 100644 100644 aaa aaa site/_posts/a b.md",
            "1 A. N... 000000 100644 100644 000 bbb site/_posts/new.md",
            "2 R. N... 100644 100644 100644 ccc ccc R100 site/_posts/renamed.md",
            "site/_posts/old.md",
            "? site/_posts/untracked.md",
            "! site/_posts/ignored.md",
            "? other/_posts/x.md",
            "",
        ]
    )
    snapshot = gitrepo.parse_snapshot(output)
    found = states.from_snapshot(snapshot, "site/")
    assert (found.upstream, snapshot.ahead) == (True, 2)
    assert found.changed == {
        "_posts/a b.md": "modified",
        "_posts/new.md": "new",
        "_posts/renamed.md": "modified",
        "_posts/untracked.md": "new",
        "_posts/ignored.md": "new",
    }
    assert found.state("_posts/other.md") == "pushed" and found.state("_drafts/x.md") == "draft"

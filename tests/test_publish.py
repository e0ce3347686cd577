"""`studylog publish` with real git: a bare repository is the remote, clones are the students."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog.cli.app import app
from studylog.config import Settings
from studylog.errors import VcsError
from studylog.git import changes, plan, publish
from studylog.git import commit as committing
from studylog.git import run as vcs

from .conftest import write_config
from .test_vcs import failing_ssh

DATA = Path(__file__).parent / "data"
DAY13 = "2021-08-18-day13.md"
DAY16 = "2021-08-23-day16.md"
runner = CliRunner()


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def cli(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["publish", *args])


def add_post(blog: Path, name: str = DAY13, as_name: str | None = None) -> Path:
    target = blog / "_posts" / (as_name or name)
    target.parent.mkdir(exist_ok=True)
    target.write_bytes((DATA / name).read_bytes())
    return target


def subjects(repo: Path, rev: str = "main") -> list[str]:
    return git(repo, "log", "--format=%s", rev).splitlines()


def name_status(repo: Path, rev: str = "HEAD") -> list[str]:
    out = git(repo, "-c", "core.quotePath=false", "show", "--no-renames", "--name-status", rev)
    return out.split("\n\n")[-1].splitlines()


def status(repo: Path) -> str:
    return git(repo, "-c", "core.quotePath=false", "status", "--porcelain", "-uall")


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """The blog's GitHub repository: a bare repository."""
    bare = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    return bare


@pytest.fixture
def site(blog: Path, remote: Path) -> Path:
    """The blog, committed and pushed once, its main branch tracking origin/main."""
    git(blog, "add", "_config.yml")
    git(blog, "commit", "-qm", "init")
    git(blog, "remote", "add", "origin", str(remote))
    git(blog, "push", "-q", "-u", "origin", "main")
    return blog


def clone(remote: Path, path: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(path)], check=True)
    return path


# --- the happy path -------------------------------------------------------------------------


def test_publish_commits_the_new_post_alone_and_pushes_it(site: Path, remote: Path) -> None:
    post = add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    sha = head(site)
    assert f"Committed {sha[:7]} on main: Add [boostcourse] Day13 학습기록" in result.output
    assert f"_posts/{DAY13}" in result.output
    assert f"Pushed {sha[:7]} to remote origin, branch main" in result.output
    assert subjects(remote) == ["Add [boostcourse] Day13 학습기록", "init"]
    assert name_status(remote, "main") == [f"A\t_posts/{DAY13}"]
    assert git(remote, "show", f"main:_posts/{DAY13}") == post.read_text("utf-8")
    assert status(site) == ""


def test_a_modified_post_is_an_update(site: Path, remote: Path) -> None:
    post = add_post(site)
    assert cli("--blog", str(site)).exit_code == 0
    post.write_text(post.read_text("utf-8") + "\n추가 내용\n", "utf-8")
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert subjects(remote)[0] == "Update [boostcourse] Day13 학습기록"


def test_several_posts_get_one_commit_with_a_combined_message(site: Path, remote: Path) -> None:
    post = add_post(site)
    assert cli("--blog", str(site), "--no-push").exit_code == 0
    post.write_text(post.read_text("utf-8") + "\n더\n", "utf-8")
    add_post(site, DAY16)
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    message = git(remote, "log", "-1", "--format=%B", "main").strip()
    assert message == (
        "Add 1 post, update 1 post\n\n"
        "- Update [boostcourse] Day13 학습기록\n"
        "- Add [boostcourse] Day16 학습기록"
    )
    assert sorted(name_status(remote, "main")) == [f"A\t_posts/{DAY16}", f"M\t_posts/{DAY13}"]


def test_message_option_and_config_pattern(site: Path, remote: Path, isolated_home: Path) -> None:
    add_post(site)
    assert cli("--blog", str(site), "-m", "오늘의 글").exit_code == 0
    assert subjects(remote)[0] == "오늘의 글"
    write_config(isolated_home, 'commit_message = "post: {action} {path}"\n')
    add_post(site, DAY16)
    assert cli("--blog", str(site)).exit_code == 0
    assert subjects(remote)[0] == f"post: Add _posts/{DAY16}"


def test_a_bad_message_pattern_is_a_config_error(site: Path, isolated_home: Path) -> None:
    write_config(isolated_home, 'commit_message = "{verb} {title}"\n')
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1 and "commit_message" in result.output
    assert "{action}" in result.output
    assert len(subjects(site)) == 1


def test_named_posts_only(site: Path, remote: Path) -> None:
    add_post(site)
    add_post(site, DAY16)
    result = cli("--blog", str(site), "13")  # the course day, like every other command
    assert result.exit_code == 0, result.output
    assert name_status(remote, "main") == [f"A\t_posts/{DAY13}"]
    assert status(site) == f"?? _posts/{DAY16}\n"
    assert cli("--blog", str(site), "2021-08-23").exit_code == 0
    assert name_status(remote, "main") == [f"A\t_posts/{DAY16}"]


def test_a_file_that_is_not_a_post_is_refused(site: Path) -> None:
    (site / "about.md").write_text("# about\n", "utf-8")
    result = cli("--blog", str(site), str(site / "about.md"))
    assert result.exit_code == 1 and "is not a post" in result.output


def test_republishing_unchanged_is_nothing_to_publish(site: Path, remote: Path) -> None:
    add_post(site)
    assert cli("--blog", str(site)).exit_code == 0
    before = head(site)
    again = cli("--blog", str(site))
    assert again.exit_code == 0 and again.output.strip() == "nothing to publish"
    assert head(site) == before and len(subjects(remote)) == 2
    named = cli("--blog", str(site), DAY13.removesuffix(".md").split("-day")[0])
    assert named.exit_code == 0 and named.output.strip() == "nothing to publish"


def test_dry_run_changes_nothing(site: Path, remote: Path) -> None:
    add_post(site)
    (site / "_drafts").mkdir()
    (site / "_drafts" / "day20.md").write_text("---\ntitle: t\ndate: 2021-09-01\n---\n", "utf-8")
    before = status(site)
    result = cli("--blog", str(site), "--dry-run", "day13", "_drafts/day20.md")
    assert result.exit_code == 0, result.output
    assert f"add    _posts/{DAY13}" in result.output
    assert "add    _posts/2021-09-01-day20.md" in result.output
    assert "Add [boostcourse] Day13 학습기록" in result.output
    assert "Would push to remote origin, branch main" in result.output
    assert status(site) == before and len(subjects(site)) == 1


def test_a_spinner_shows_while_pushing_on_a_terminal_only(site: Path) -> None:
    import pexpect

    add_post(site)
    child = pexpect.spawn(
        sys.executable, ["-m", "studylog", "publish", "--blog", str(site)], encoding="utf-8"
    )
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "Pushing to origin/main…" in child.before and "Pushed" in child.before
    add_post(site, DAY16)
    piped = cli("--blog", str(site))
    assert piped.exit_code == 0 and "Pushing to" not in piped.output


def test_no_push_commits_and_a_later_publish_pushes(site: Path, remote: Path) -> None:
    add_post(site)
    result = cli("--blog", str(site), "--no-push")
    assert result.exit_code == 0 and "Pushed" not in result.output
    assert subjects(remote) == ["init"] and len(subjects(site)) == 2
    later = cli("--blog", str(site))
    assert later.exit_code == 0, later.output
    assert "Pushed" in later.output and "Committed" not in later.output
    assert subjects(remote) == subjects(site)


# --- the user's other work ------------------------------------------------------------------


def test_unrelated_staged_unstaged_and_untracked_work_is_left_exactly(
    site: Path, remote: Path
) -> None:
    (site / "index.md").write_text("home\n", "utf-8")
    (site / "notes.md").write_text("notes\n", "utf-8")
    git(site, "add", "index.md", "notes.md")
    git(site, "commit", "-qm", "pages")
    git(site, "push", "-q")
    (site / "_config.yml").write_text("title: staged change\n", "utf-8")
    git(site, "add", "_config.yml")
    (site / "index.md").write_text("home, unstaged change\n", "utf-8")
    (site / "notes.md").write_text("notes, staged\n", "utf-8")
    git(site, "add", "notes.md")
    (site / "notes.md").write_text("notes, staged, then more unstaged\n", "utf-8")
    (site / "todo.txt").write_text("untracked\n", "utf-8")
    (site / "new page.md").write_text("staged new file\n", "utf-8")
    git(site, "add", "new page.md")
    before = (git(site, "diff", "--cached"), git(site, "diff"))
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert name_status(remote, "main") == [f"A\t_posts/{DAY13}"]
    assert (git(site, "diff", "--cached"), git(site, "diff")) == before
    assert status(site).splitlines() == [
        "M  _config.yml",
        " M index.md",
        'A  "new page.md"',
        "MM notes.md",
        "?? todo.txt",
    ]


def test_work_staged_while_publishing_stays_out_of_the_commit(
    site: Path, remote: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Something gets staged after publish added the post and before it commits.
    add_post(site)
    (site / "notes.md").write_text("staged meanwhile\n", "utf-8")
    real = committing._add

    def staged_meanwhile(repo: Path, paths: list[str]) -> None:
        real(repo, paths)
        git(site, "add", "notes.md")

    monkeypatch.setattr(committing, "_add", staged_meanwhile)
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert name_status(remote, "main") == [f"A\t_posts/{DAY13}"]
    assert subjects(site) == ["Add [boostcourse] Day13 학습기록", "init"]
    assert status(site).splitlines() == ["A  notes.md"]


def test_packed_refs_and_a_linked_worktree_are_read_right(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    git(site, "pack-refs", "--all")  # HEAD's ref is no loose file: git is asked
    add_post(site)
    assert cli("--blog", str(site)).exit_code == 0
    assert head(site) == git(remote, "rev-parse", "main").strip()
    other = tmp_path / "other"
    git(site, "worktree", "add", "-q", "-b", "side", str(other))
    git(other, "push", "-q", "-u", "origin", "side")
    add_post(other, DAY16)
    result = cli("--blog", str(other))
    assert result.exit_code == 0, result.output
    assert f"Pushed {head(other)[:7]} to remote origin, branch side" in result.output
    assert git(remote, "rev-parse", "side").strip() == head(other)
    assert head(site) == git(remote, "rev-parse", "main").strip()


# --- preflight ------------------------------------------------------------------------------


def test_not_a_git_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    (plain / "_posts").mkdir(parents=True)
    add_post(plain)
    result = cli("--blog", str(plain))
    assert result.exit_code == 1
    assert "is not a git repository" in result.output and "git clone" in result.output


def test_detached_head(site: Path) -> None:
    git(site, "checkout", "-q", "--detach")
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert "HEAD is detached" in result.output and "git -C" in result.output
    assert status(site) == f"?? _posts/{DAY13}\n"


def _conflicted(site: Path, operation: str) -> None:
    """Leave `operation` stopped on a conflict in page.md."""
    page = site / "page.md"
    page.write_text("a\n", "utf-8")
    git(site, "add", "page.md")
    git(site, "commit", "-qm", "a")
    git(site, "branch", "other")
    for text in ("b\n", "c\n"):
        page.write_text(text, "utf-8")
        git(site, "commit", "-qam", text.strip())
    git(site, "checkout", "-q", "other")
    page.write_text("x\n", "utf-8")
    git(site, "commit", "-qam", "x")
    git(site, "checkout", "-q", "main")
    command = {
        "merge": ["merge", "other"],
        "rebase": ["rebase", "other"],
        "cherry-pick": ["cherry-pick", "other"],
        "revert": ["revert", "--no-edit", "HEAD~1"],
    }[operation]
    done = subprocess.run(["git", "-C", str(site), *command], capture_output=True, text=True)
    assert done.returncode != 0 and "CONFLICT" in done.stdout + done.stderr


@pytest.mark.parametrize("operation", ["merge", "rebase", "cherry-pick", "revert"])
def test_an_operation_in_progress_is_refused(site: Path, operation: str) -> None:
    _conflicted(site, operation)
    add_post(site)
    before = status(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert f"{operation} is in progress" in result.output.replace("a rebase", "rebase")
    assert f"git {operation} --abort" in result.output
    assert status(site) == before


def test_no_identity(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var)
    monkeypatch.delenv("EMAIL", raising=False)
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert "no user.name or user.email" in result.output
    assert "git config --global user.email" in result.output
    assert len(subjects(site)) == 1


def test_nothing_to_publish_makes_no_commit(site: Path) -> None:
    (site / "_posts" / "notes.txt").write_text("not a post\n", "utf-8")
    result = cli("--blog", str(site))
    assert result.exit_code == 0 and result.output.strip() == "nothing to publish"
    assert len(subjects(site)) == 1


# --- pushing --------------------------------------------------------------------------------


def test_no_remote_then_no_upstream_then_configured(
    blog: Path, remote: Path, isolated_home: Path
) -> None:
    add_post(blog)
    result = cli("--blog", str(blog))
    assert result.exit_code == 1
    assert "Committed" in result.output  # the commit stays
    command = f"git -C {blog} remote add origin URL && git -C {blog} push -u origin main"
    assert command in result.output
    assert subjects(blog) == ["Add [boostcourse] Day13 학습기록"]
    git(blog, "remote", "add", "origin", str(remote))
    again = cli("--blog", str(blog))  # nothing new to commit, but a commit to push
    assert again.exit_code == 1 and f"git -C {blog} push -u origin main" in again.output
    write_config(isolated_home, 'remote = "origin"\n')
    fixed = cli("--blog", str(blog))
    assert fixed.exit_code == 0, fixed.output
    assert "Pushed" in fixed.output and subjects(remote) == subjects(blog)


def test_an_upstream_set_later_gets_the_unpushed_commits(blog: Path, remote: Path) -> None:
    add_post(blog)
    assert cli("--blog", str(blog)).exit_code == 1
    git(blog, "remote", "add", "origin", str(remote))
    git(blog, "config", "branch.main.remote", "origin")
    git(blog, "config", "branch.main.merge", "refs/heads/main")
    result = cli("--blog", str(blog))
    assert result.exit_code == 0, result.output
    assert subjects(remote) == ["Add [boostcourse] Day13 학습기록"]
    assert cli("--blog", str(blog)).output.strip() == "nothing to publish"


def test_configured_branch_is_pushed_to(site: Path, remote: Path, isolated_home: Path) -> None:
    write_config(isolated_home, 'remote = "origin"\nbranch = "gh-pages"\n')
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert "branch gh-pages" in result.output
    assert subjects(remote, "gh-pages")[0] == "Add [boostcourse] Day13 학습기록"
    assert subjects(remote, "main") == ["init"]


def test_a_rejected_push_is_rebased_and_pushed_keeping_local_work(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    mate = clone(remote, tmp_path / "mate")
    add_post(mate, DAY16)
    assert cli("--blog", str(mate)).exit_code == 0
    (site / "_config.yml").write_text("title: my staged change\n", "utf-8")
    git(site, "add", "_config.yml")
    (site / "scratch.txt").write_text("untracked\n", "utf-8")
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert "rebased onto the remote's new commits" in result.output
    assert subjects(remote) == [
        "Add [boostcourse] Day13 학습기록",
        "Add [boostcourse] Day16 학습기록",
        "init",
    ]
    assert head(site) == git(remote, "rev-parse", "main").strip()
    assert (site / "_posts" / DAY16).is_file()  # the checkout has the mate's post now
    assert status(site).splitlines() == ["M  _config.yml", "?? scratch.txt"]
    assert len(git(site, "worktree", "list").splitlines()) == 1


def test_a_conflicting_rebase_is_aborted_and_the_local_commit_kept(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    post = add_post(site)
    assert cli("--blog", str(site)).exit_code == 0
    mate = clone(remote, tmp_path / "mate")
    mine = post.read_text("utf-8").replace("모더레이터 : 이서연", "모더레이터 : 김민준")
    theirs = post.read_text("utf-8").replace("모더레이터 : 이서연", "모더레이터 : 박지호")
    (mate / "_posts" / DAY13).write_text(theirs, "utf-8")
    assert cli("--blog", str(mate)).exit_code == 0
    post.write_text(mine, "utf-8")
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert f"changed _posts/{DAY13} too" in result.output
    assert "is kept" in result.output and "pull --rebase" in result.output
    assert subjects(site)[0] == "Update [boostcourse] Day13 학습기록"  # kept, not rebased
    assert post.read_text("utf-8") == mine
    assert git(remote, "show", f"main:_posts/{DAY13}") == theirs
    assert status(site) == ""
    assert not (site / ".git" / "rebase-merge").exists()
    assert len(git(site, "worktree", "list").splitlines()) == 1


def test_a_remote_with_unrelated_history_is_not_rebased_onto(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    (other / "README.md").write_text("created on GitHub\n", "utf-8")
    git(other, "add", "README.md")
    git(other, "commit", "-qm", "Initial commit")
    git(other, "push", "-q", "--force", str(remote), "main")  # the remote, recreated elsewhere
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1 and "no history in common" in result.output
    assert subjects(site)[0] == "Add [boostcourse] Day13 학습기록"
    assert subjects(remote) == ["Initial commit"]


def test_team_publishing_at_once_all_lands(site: Path, remote: Path, tmp_path: Path) -> None:
    students = [clone(remote, tmp_path / f"student{i}") for i in range(4)]
    for i, student in enumerate(students):
        text = (DATA / DAY13).read_text("utf-8").replace("Day13", f"Day{30 + i}")
        text = text.replace("2021-08-18", f"2021-09-0{i + 1}")  # the name's date: check passes
        (student / "_posts").mkdir()
        (student / "_posts" / f"2021-09-0{i + 1}-day{30 + i}.md").write_text(text, "utf-8")
    start = threading.Barrier(len(students))
    outcomes: dict[int, object] = {}

    def run(i: int) -> None:
        start.wait()
        try:
            outcomes[i] = publish.publish(students[i], [], Settings())
        except Exception as exc:  # reported by the assertion below
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(students))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(isinstance(o, publish.Published) for o in outcomes.values()), outcomes
    assert len(outcomes) == len(students)
    landed = git(remote, "ls-tree", "--name-only", "main", "_posts/").split()
    assert landed == [f"_posts/2021-09-0{i + 1}-day{30 + i}.md" for i in range(4)]
    assert len(subjects(remote)) == 5
    rebased = [o.pushed.rebased for o in outcomes.values()]  # type: ignore[attr-defined]
    assert sorted(r > 0 for r in rebased) == [False, True, True, True]  # all but the first


# --- hooks, signing, timeouts ---------------------------------------------------------------


def _hook(folder: Path, name: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    hook = folder / name
    hook.write_text(f"#!/bin/sh\n{body}\n", "utf-8")
    hook.chmod(0o755)


def test_a_failing_pre_commit_hook_shows_its_output_and_leaves_the_post(site: Path) -> None:
    _hook(site / ".git" / "hooks", "pre-commit", 'echo "lint: 제목이 없습니다" >&2\nexit 1')
    post = add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert "lint: 제목이 없습니다" in result.output and "nothing was committed" in result.output
    assert len(subjects(site)) == 1
    assert post.read_bytes() == (DATA / DAY13).read_bytes()
    assert status(site) == f"?? _posts/{DAY13}\n"  # not left staged


def test_hooks_that_pass_run(site: Path, remote: Path) -> None:
    _hook(site / ".git" / "hooks", "commit-msg", 'echo "Signed-off-by: Hook" >> "$1"')
    add_post(site)
    assert cli("--blog", str(site)).exit_code == 0
    assert "Signed-off-by: Hook" in git(remote, "log", "-1", "--format=%B", "main")


@pytest.fixture
def quick_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYLOG_GIT_TIMEOUT", "1.5")
    monkeypatch.setattr(vcs, "KILL_GRACE", 0.3)


def _no_lock_and_post_untouched(site: Path) -> None:
    assert not (site / ".git" / "index.lock").exists()
    assert not list((site / ".git").glob("next-index-*.lock"))
    assert status(site) == f"?? _posts/{DAY13}\n"
    assert len(subjects(site)) == 1


def test_a_hanging_pre_commit_hook_times_out(site: Path, tmp_path: Path, quick_timeout) -> None:
    _hook(tmp_path / "hooks", "pre-commit", "sleep 30")
    git(site, "config", "core.hooksPath", str(tmp_path / "hooks"))
    add_post(site)
    started = time.monotonic()
    result = cli("--blog", str(site))
    assert result.exit_code == 1 and "did not finish within 1.5s" in result.output
    assert time.monotonic() - started < 10
    _no_lock_and_post_untouched(site)


def test_a_hanging_signing_program_times_out(site: Path, tmp_path: Path, quick_timeout) -> None:
    gpg = tmp_path / "fake gpg"
    _hook(tmp_path, "fake gpg", "sleep 30")
    git(site, "config", "commit.gpgSign", "true")
    git(site, "config", "gpg.program", str(gpg))
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1 and "signing program" in result.output
    _no_lock_and_post_untouched(site)


def test_a_signing_program_that_fails_is_reported(site: Path, tmp_path: Path) -> None:
    _hook(tmp_path, "gpg", 'echo "gpg: no secret key" >&2\nexit 2')
    git(site, "config", "commit.gpgSign", "true")
    git(site, "config", "gpg.program", str(tmp_path / "gpg"))
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1 and "failed to sign" in result.output
    assert status(site) == f"?? _posts/{DAY13}\n"


def test_a_slow_remote_times_out_and_the_commit_stays(
    site: Path, monkeypatch: pytest.MonkeyPatch, quick_timeout
) -> None:
    git(site, "remote", "set-url", "origin", "ssh://git.example.invalid/blog.git")
    monkeypatch.setenv("GIT_SSH_COMMAND", "sleep 30 #")  # a shell command: ignore the arguments
    add_post(site)
    started = time.monotonic()
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert "git push did not finish within 1.5s" in result.output and "is kept" in result.output
    assert time.monotonic() - started < 10
    assert subjects(site)[0] == "Add [boostcourse] Day13 학습기록"
    assert not (site / ".git" / "index.lock").exists()


@pytest.fixture
def password_server() -> Iterator[str]:
    """An HTTP git remote that asks for a password."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="blog"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/blog.git"
    server.shutdown()
    server.server_close()


def test_a_credential_prompt_fails_at_once(site: Path, password_server: str) -> None:
    git(site, "remote", "set-url", "origin", password_server)
    add_post(site)
    started = time.monotonic()
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert "needs credentials that git cannot ask for here" in result.output
    assert time.monotonic() - started < 10
    assert subjects(site)[0] == "Add [boostcourse] Day13 학습기록"


# --- drafts, images, names ------------------------------------------------------------------


def _draft(blog: Path) -> Path:
    result = runner.invoke(
        app,
        ["new", "--from", str(DATA / "2021-08-18-day13.entry.yaml"), "--yes", "--draft"]
        + ["--blog", str(blog)],
    )
    assert result.exit_code == 0, result.output
    return blog / "_drafts" / "day13.md"


def test_a_tracked_draft_is_promoted_in_one_commit(site: Path, remote: Path) -> None:
    draft = _draft(site)
    git(site, "add", "_drafts")
    git(site, "commit", "-qm", "draft")
    result = cli("--blog", str(site), "_drafts/day13.md")
    assert result.exit_code == 0, result.output
    post = site / "_posts" / DAY13
    assert not draft.exists() and post.read_bytes() == (DATA / DAY13).read_bytes()
    assert sorted(name_status(remote, "main")) == [f"A\t_posts/{DAY13}", "D\t_drafts/day13.md"]
    assert subjects(remote)[0] == "Add [boostcourse] Day13 학습기록"


def test_an_untracked_draft_with_another_date(site: Path, remote: Path) -> None:
    draft = _draft(site)
    result = cli("--blog", str(site), str(draft), "--date", "2021-08-20")
    assert result.exit_code == 0, result.output
    post = site / "_posts" / "2021-08-20-day13.md"
    text = post.read_text("utf-8")
    assert "\ndate: 2021-08-20\n" in text and "\nlast_modified_at: 2021-08-20\n" in text
    assert "2021-08-18" not in text.split("\n---\n", 1)[0]
    assert name_status(remote, "main") == ["A\t_posts/2021-08-20-day13.md"]
    assert not draft.exists()


def test_a_draft_without_a_date_takes_today(site: Path) -> None:
    import datetime as dt

    (site / "_drafts").mkdir()
    (site / "_drafts" / "idea.md").write_text("---\ntitle: 생각\n---\n본문\n", "utf-8")
    assert cli("--blog", str(site), "_drafts/idea.md").exit_code == 0
    today = dt.date.today().isoformat()
    post = site / "_posts" / f"{today}-idea.md"
    assert post.read_text("utf-8") == f"---\ntitle: 생각\ndate: {today}\n---\n본문\n"


def test_date_without_a_draft_is_a_usage_error(site: Path) -> None:
    add_post(site)
    result = cli("--blog", str(site), "--date", "2021-08-20")
    assert result.exit_code == 2 and "--date applies to drafts" in result.output


def test_a_failed_commit_puts_the_draft_back(site: Path) -> None:
    draft = _draft(site)
    original = draft.read_bytes()
    _hook(site / ".git" / "hooks", "pre-commit", "exit 1")
    result = cli("--blog", str(site), "_drafts/day13.md")
    assert result.exit_code == 1
    assert draft.read_bytes() == original and not (site / "_posts" / DAY13).exists()
    assert status(site) == "?? _drafts/day13.md\n"


def test_a_draft_promoted_by_hand_takes_its_deletion_along(site: Path, remote: Path) -> None:
    draft = _draft(site)
    git(site, "add", "_drafts")
    git(site, "commit", "-qm", "draft")
    shutil.move(draft, site / "_posts" / DAY13)
    assert cli("--blog", str(site)).exit_code == 0
    assert sorted(name_status(remote, "main")) == [f"A\t_posts/{DAY13}", "D\t_drafts/day13.md"]


def test_a_staged_draft_leaves_the_index_and_the_commit_has_only_the_post(
    site: Path, remote: Path
) -> None:
    _draft(site)
    git(site, "add", "_drafts")
    assert cli("--blog", str(site), "day13").exit_code == 0
    assert name_status(remote, "main") == [f"A\t_posts/{DAY13}"]
    assert status(site) == ""


def test_a_renamed_post_is_an_update_with_the_old_name_removed(site: Path, remote: Path) -> None:
    add_post(site)
    assert cli("--blog", str(site)).exit_code == 0
    git(site, "mv", f"_posts/{DAY13}", "_posts/2021-08-18-day-13.md")  # the date stays
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert subjects(remote)[0] == "Update [boostcourse] Day13 학습기록"
    assert sorted(name_status(remote, "main")) == [
        "A\t_posts/2021-08-18-day-13.md",
        f"D\t_posts/{DAY13}",
    ]


def test_referenced_local_images_join_the_commit(site: Path, remote: Path) -> None:
    img = site / "assets" / "img"
    img.mkdir(parents=True)
    for name in ("a.png", "b.png", "unrelated.png"):
        (img / name).write_bytes(b"\x89PNG fake")
    post = add_post(site)
    post.write_text(
        post.read_text("utf-8")
        + '\n![구조](/assets/img/a.png)\n<img src="/assets/img/b.png" width="50%">\n'
        + "![뱃지](https://img.shields.io/badge/-x-red)\n",
        "utf-8",
    )
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert sorted(name_status(remote, "main")) == [
        f"A\t_posts/{DAY13}",
        "A\tassets/img/a.png",
        "A\tassets/img/b.png",
    ]
    assert status(site) == "?? assets/img/unrelated.png\n"


def test_korean_names_with_spaces(site: Path, remote: Path) -> None:
    img = site / "assets" / "img"
    img.mkdir(parents=True)
    (img / "그림 1.png").write_bytes(b"\x89PNG fake")
    post = add_post(site, DAY13, "2021-08-18-딥러닝 [정리] 노트.md")
    post.write_text(post.read_text("utf-8") + "\n![그림](</assets/img/그림 1.png>)\n", "utf-8")
    result = cli("--blog", str(site), str(post))
    assert result.exit_code == 0, result.output
    assert sorted(name_status(remote, "main")) == [
        "A\t_posts/2021-08-18-딥러닝 [정리] 노트.md",
        "A\tassets/img/그림 1.png",
    ]
    assert status(site) == ""


def test_a_blog_in_a_subdirectory_of_the_repository(tmp_path: Path, remote: Path) -> None:
    repo = tmp_path / "repo"
    blog = repo / "docs"
    (blog / "_posts").mkdir(parents=True)
    (repo / "README.md").write_text("readme\n", "utf-8")
    git(tmp_path, "init", "-q", str(repo))
    git(repo, "add", "README.md")
    git(repo, "commit", "-qm", "init")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    add_post(blog)
    result = cli("--blog", str(blog))
    assert result.exit_code == 0, result.output
    assert name_status(remote, "main") == [f"A\tdocs/_posts/{DAY13}"]


def test_publish_is_documented(site: Path) -> None:
    docs = Path(__file__).parent.parent / "docs"
    reference = (docs / "commands.md").read_text("utf-8")
    section = reference.split("<!-- publish -->", 1)[1].split("<!--", 1)[0]
    for option in ("--dry-run", "--no-push", "--message", "--date", "--blog"):
        assert option in section and option in cli("--help").output
    configuration = (docs / "configuration.md").read_text("utf-8")
    for key in ("`remote`", "`branch`", "`commit_message`", "STUDYLOG_GIT_TIMEOUT"):
        assert key in configuration


def test_direct_call_returns_the_result(site: Path, remote: Path) -> None:
    add_post(site)
    done = publish.publish(site, [], Settings())
    assert done.commit == head(site) and done.files == (f"_posts/{DAY13}",)
    assert done.pushed is not None and done.pushed.target.remote == "origin"
    assert not done.nothing and publish.publish(site, [], Settings()).nothing
    with pytest.raises(VcsError, match="not a git repository"):
        plan.prepare(Path(os.sep), [], Settings())


def test_a_post_renamed_by_edit_is_published_as_a_move(site: Path, remote: Path) -> None:
    add_post(site)
    assert cli("--blog", str(site)).exit_code == 0
    entry = site.parent / "moved.yaml"
    entry.write_text("date: 2021-08-19\nday: 14\n", "utf-8")
    edited = runner.invoke(app, ["edit", "13", "--from", str(entry), "--yes", "--blog", str(site)])
    assert edited.exit_code == 0, edited.output
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert sorted(name_status(remote, "main")) == [
        "A\t_posts/2021-08-19-day14.md",
        f"D\t_posts/{DAY13}",
    ]
    assert git(remote, "ls-tree", "--name-only", "main", "_posts/").split() == [
        "_posts/2021-08-19-day14.md"
    ]
    assert status(site) == ""


def test_run_prints_what_the_command_prints(site: Path, remote: Path) -> None:
    add_post(site)
    dry: list[str] = []
    assert publish.run(site, [], Settings(), dry_run=True, echo=dry.append) is None
    assert dry == [cli("--blog", str(site), "--dry-run").output.rstrip("\n")]
    shown: list[str] = []
    spun: list[str] = []

    @contextlib.contextmanager
    def spinner(text: str) -> Iterator[None]:
        spun.append(text)
        yield

    post = str(site / "_posts" / DAY13)
    done = publish.run(site, [post], Settings(), echo=shown.append, spinner=spinner)
    assert done is not None and done.commit == head(site)
    assert shown == [
        f"Committed {head(site)[:7]} on main: Add [boostcourse] Day13 학습기록\n"
        f"  add    _posts/{DAY13}",
        f"Pushed {head(site)[:7]} to remote origin, branch main",
    ]
    assert spun == ["Pushing to origin/main…"]
    again: list[str] = []
    assert publish.run(site, [], Settings(), echo=again.append) is not None
    assert again == ["nothing to publish"] == [cli("--blog", str(site)).output.rstrip("\n")]


def test_a_preflight_error_leaves_someone_elses_lock(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Detached HEAD: prepare stops there; an index.lock that someone else took meanwhile stays.
    git(site, "checkout", "-q", "--detach")
    add_post(site)
    lock = site / ".git" / "index.lock"
    real = plan._branch

    def locked_meanwhile(repo: Path, state):  # type: ignore[no-untyped-def]
        lock.write_text("someone else's\n", "utf-8")
        return real(repo, state)

    monkeypatch.setattr(plan, "_branch", locked_meanwhile)
    with pytest.raises(VcsError, match="detached"):
        plan.prepare(site, [], Settings())
    assert lock.read_text("utf-8") == "someone else's\n"


# --- the commit message's title -------------------------------------------------------------

NAMED = Path("_posts/2021-08-18-day13.md")
UNDATED = Path("_drafts/day13.md")


@pytest.mark.parametrize(
    ("title_line", "expected"),
    [
        ('title: "[boostcourse] Day13 학습기록"', "[boostcourse] Day13 학습기록"),
        ("title: Plain words here", "Plain words here"),
        ("title: 'single quoted'", "single quoted"),
        ('title: "esc\\"aped"', 'esc"aped'),
        ("title: x # comment", "x"),
        ("title: multi\n  line", "multi line"),
        ("title: 2021", "2021"),  # YAML: a number, shown as text
        ('title: ""', NAMED.stem),  # no title: the file's name stands in
        ("title:", NAMED.stem),
        ("title: a: b", NAMED.stem),  # invalid YAML: the post cannot be read
    ],
)
def test_the_title_is_the_front_matters(title_line: str, expected: str) -> None:
    text = f"---\n{title_line}\ndate: 2021-08-18\n---\nbody\n"
    assert changes.post_title(text, NAMED) == expected


@pytest.mark.parametrize(
    ("date_line", "path", "expected"),
    [
        ("date: 2021-08-18", UNDATED, "T"),
        ("date: 2021-08-18 21:30:00 +09:00", UNDATED, "T"),
        ('date: "2021-8-1"', UNDATED, "T"),
        ("date:", NAMED, "T"),  # the file name's date
        ("date:", UNDATED, "day13"),  # no date at all: the post cannot be read
        ("date: 2021-13-45", NAMED, NAMED.stem),
        ("date: soon", NAMED, NAMED.stem),
    ],
)
def test_a_post_without_a_valid_date_is_named_by_its_file(
    date_line: str, path: Path, expected: str
) -> None:
    text = f"---\ntitle: T\n{date_line}\n---\nbody\n"
    assert changes.post_title(text, path) == expected


def test_a_post_that_cannot_be_read_is_committed_under_its_file_name(
    site: Path, remote: Path
) -> None:
    post = site / "_posts" / "2021-08-30-broken.md"
    post.write_text("---\ndate: soon\n---\nJekyll builds it; studylog cannot read it\n", "utf-8")
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert subjects(remote)[0] == "Add 2021-08-30-broken"


# --- which files are posts ----------------------------------------------------------------


def test_publish_commits_the_posts_jekyll_reads_and_only_those(site: Path, remote: Path) -> None:
    add_post(site, DAY13, "2021-08-18-day13.MD")
    add_post(site, DAY16, "2021-08-23-day16.mkd")
    add_post(site, DAY13, ".2021-08-12-day9.md")
    add_post(site, DAY13, "_2021-08-13-day10.md")
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert sorted(name_status(remote, "main")) == [
        "A\t_posts/2021-08-18-day13.MD",
        "A\t_posts/2021-08-23-day16.mkd",
    ]
    assert status(site) == "?? _posts/.2021-08-12-day9.md\n?? _posts/_2021-08-13-day10.md\n"


def test_a_linked_post_or_posts_folder_is_refused_not_crashed_on(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / DAY13).write_bytes((DATA / DAY13).read_bytes())
    link = site / "_posts" / DAY13
    link.symlink_to(outside / DAY13)
    named = cli(str(link), "--blog", str(site))
    assert named.exit_code == 1 and "Traceback" not in named.output
    assert named.stderr.startswith(f"error: {link} is a symbolic link (to {outside / DAY13})")
    every = cli("--blog", str(site))
    assert every.exit_code == 1 and "Traceback" not in every.output
    assert every.stderr.startswith(f"error: {link} is a symbolic link (to {outside / DAY13})")
    link.unlink()
    (site / "_posts").rmdir()
    (site / "_posts").symlink_to(outside)
    folder = cli("--blog", str(site))
    assert folder.exit_code == 1 and "Traceback" not in folder.output
    assert folder.stderr.startswith(f"error: {site / '_posts'} is a symbolic link (to {outside})")
    assert subjects(remote) == ["init"]


def test_a_failed_push_shows_why_in_gits_words(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_ssh(tmp_path, monkeypatch)
    git(site, "remote", "set-url", "origin", "ssh://127.0.0.1:1/x.git")
    add_post(site)
    result = cli("--blog", str(site))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        "pushing to origin/main failed: ssh: connect to host 127.0.0.1 port 1: Connection "
        "refused; fatal: Could not read from remote repository; your commit is kept"
    ) in result.stderr.replace("\n", " ")


# --- images ---------------------------------------------------------------------------------


def test_an_image_file_new_copied_in_is_committed_and_pushed_with_the_post(
    site: Path, remote: Path, tmp_path: Path
) -> None:
    (site / "_config.yml").write_text("title: t\nbaseurl: /study\n", encoding="utf-8")
    git(site, "commit", "-qam", "baseurl")
    shot = tmp_path / "Pictures" / "shot 1.png"
    shot.parent.mkdir()
    shot.write_bytes(b"\x89PNG screenshot")
    source = tmp_path / "entry.yaml"
    entry = (DATA / "2021-08-18-day13.entry.yaml").read_text("utf-8")
    source.write_text(entry.replace("mentoring: |-", f"mentoring: |-\n  - {shot}"), "utf-8")
    made = runner.invoke(app, ["new", "--from", str(source), "--yes", "--blog", str(site)])
    assert made.exit_code == 0, made.output
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    image = "assets/images/2021-08-18/shot-1.png"
    assert name_status(site) == [f"A\t_posts/{DAY13}", f"A\t{image}"]
    pushed = clone(remote, tmp_path / "pushed")
    assert (pushed / image).read_bytes() == shot.read_bytes()
    assert status(site) == ""


# --- what publish checks ----------------------------------------------------------------------

BAD_YAML = "---\ntitle: a: b\ndate: 2021-08-19\n---\nbody\n"


def test_posts_with_errors_are_left_out_and_named_and_the_good_ones_published(
    site: Path, remote: Path
) -> None:
    add_post(site)
    (site / "_posts" / "2021-08-19-day14.md").write_text(BAD_YAML, "utf-8")
    (site / "_posts" / "day15.md").write_bytes((DATA / DAY16).read_bytes())  # no date: skipped
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert name_status(remote, "main") == [f"A\t_posts/{DAY13}"]
    assert "_posts/2021-08-19-day14.md is not published: the front matter is not valid YAML" in (
        result.stderr
    )
    assert "_posts/day15.md is not published: the name is not YYYY-MM-DD-slug.md" in result.stderr
    assert result.stderr.rstrip().endswith(
        "error: 2 posts were not published for the errors above: fix them "
        "(`studylog check` shows them all), then publish again"
    )
    assert f"Committed {head(site)[:7]}" in result.stdout
    assert status(site) == "?? _posts/2021-08-19-day14.md\n?? _posts/day15.md\n"


def test_only_posts_with_errors_commit_nothing_and_a_dry_run_says_so(site: Path) -> None:
    (site / "_posts" / "2021-08-19-day14.md").write_text(BAD_YAML, "utf-8")
    before = head(site)
    for args in (["--dry-run"], []):
        result = cli("--blog", str(site), *args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "2021-08-19-day14.md is not published" in result.stderr
        assert "nothing to publish" not in result.stdout
    assert head(site) == before


def test_a_promoted_draft_with_errors_stays_a_draft(site: Path) -> None:
    draft = site / "_drafts" / "day14.md"
    draft.parent.mkdir()
    draft.write_text(BAD_YAML.replace("body", "![x](/x.png)"), "utf-8")
    (site / "x.png").write_bytes(b"\x89PNG")  # its image stays out too
    result = cli("--blog", str(site), "_drafts/day14.md", "--date", "2021-08-19")
    assert result.exit_code == 1, result.output
    assert "_posts/2021-08-19-day14.md is not published" in result.stderr
    assert draft.is_file() and not (site / "_posts" / "2021-08-19-day14.md").exists()
    assert subjects(site) == ["init"] and "Committed" not in result.stdout


def test_a_missing_local_image_is_warned_of_and_the_post_published(
    site: Path, remote: Path
) -> None:
    post = add_post(site)
    post.write_text(post.read_text("utf-8") + "\n![x](/assets/img/x.png)\n", "utf-8")
    result = cli("--blog", str(site))
    assert result.exit_code == 0, result.output
    assert (
        f"warning: _posts/{DAY13} shows /assets/img/x.png, which is not in the blog"
        in result.stderr
    )
    assert name_status(remote, "main") == [f"A\t_posts/{DAY13}"]


def test_a_new_image_of_a_committed_post_is_published_alone(site: Path, remote: Path) -> None:
    post = add_post(site)
    post.write_text(post.read_text("utf-8") + "\n![x](/assets/img/x.png)\n", "utf-8")
    assert cli("--blog", str(site)).exit_code == 0
    image = site / "assets" / "img" / "x.png"
    image.parent.mkdir(parents=True)
    image.write_bytes(b"\x89PNG late")
    (site / "assets" / "img" / "unlinked.png").write_bytes(b"\x89PNG other")
    for args in (["13"], []):  # the post named, or every post
        result = cli("--blog", str(site), *args, "--no-push")
        assert result.exit_code == 0, result.output
        assert "Committed" in result.stdout and "add    assets/img/x.png" in result.stdout
        git(site, "reset", "-q", "--soft", "HEAD~")
        git(site, "reset", "-q")
    assert cli("--blog", str(site)).exit_code == 0
    assert subjects(remote)[0] == "Update [boostcourse] Day13 학습기록"
    assert name_status(remote, "main") == ["A\tassets/img/x.png"]
    assert status(site) == "?? assets/img/unlinked.png\n"


def test_a_post_with_the_same_date_and_slug_as_another_is_left_out(site: Path) -> None:
    add_post(site)
    assert cli("--blog", str(site)).exit_code == 0
    add_post(site, as_name="2021-08-18-day13.markdown")
    result = cli("--blog", str(site))
    assert result.exit_code == 1
    assert "2021-08-18-day13.markdown is not published: same date and slug as" in result.stderr
    assert subjects(site) == ["Add [boostcourse] Day13 학습기록", "init"]

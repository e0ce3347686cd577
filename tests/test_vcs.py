"""git through one helper: no prompts, bounded time, and no lock left behind by a stopped git."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from studylog.errors import VcsError
from studylog.git import repo as gitrepo
from studylog.git import run as vcs


@pytest.fixture(autouse=True)
def short_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Escalate to SIGKILL quickly, so the timeout tests take a second, not several."""
    monkeypatch.setattr(vcs, "KILL_GRACE", 0.3)


def sh(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


def hang(script: str) -> tuple[str, str, str]:
    """git arguments that run `script` as a shell alias (from the worktree's top)."""
    return ("-c", f"alias.hang=!{script}", "hang")


def test_failure_is_a_vcs_error_with_gits_reason(blog: Path) -> None:
    with pytest.raises(VcsError, match=r"git rev-parse failed: fatal: Needed a single revision"):
        vcs.git(blog, "rev-parse", "--verify", "no-such-branch^{commit}")
    assert vcs.git(blog, "status", check=False).returncode == 0


def test_git_never_prompts_for_credentials(blog: Path) -> None:
    started = time.monotonic()
    result = vcs.git(
        blog, "credential", "fill", input="protocol=https\nhost=example.com\n\n", check=False
    )
    assert result.returncode != 0 and "terminal prompts disabled" in result.stderr
    assert time.monotonic() - started < 10


def test_a_hanging_git_is_stopped_with_everything_it_started(blog: Path, tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(vcs.GitTimeout, match=r"git hang did not finish within 0.5s"):
        # It ignores SIGTERM (git forwards that to its children): only the group's SIGKILL ends it.
        vcs.git(blog, *hang(f"trap '' TERM; echo $$ > '{pidfile}'; exec sleep 30"), timeout=0.5)
    assert time.monotonic() - started < 10  # not the 30 s of the sleep
    assert not _running(int(pidfile.read_text()))


def _running(pid: int) -> bool:
    """A live process (a zombie left for an init that never reaps is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_an_index_lock_left_by_the_stopped_git_is_removed(blog: Path) -> None:
    lock = blog / ".git" / "index.lock"
    # Ignores SIGTERM, so only SIGKILL stops it and git cannot clean its own lock.
    script = "trap '' TERM; touch .git/index.lock; sleep 30"
    with pytest.raises(vcs.GitTimeout):
        vcs.git(blog, *hang(script), timeout=0.5)
    assert not lock.exists()
    assert vcs.git(blog, "add", "_config.yml").returncode == 0  # the index is usable


def test_a_lock_that_was_there_before_is_someone_elses_and_stays(blog: Path) -> None:
    lock = blog / ".git" / "index.lock"
    lock.write_text("", "utf-8")
    with pytest.raises(vcs.GitTimeout):
        vcs.git(blog, *hang("trap '' TERM; sleep 30"), timeout=0.5)
    assert lock.exists()


def test_big_input_and_output_pass_both_ways_at_once(blog: Path) -> None:
    data = "줄 하나\n" * 200_000  # far more than a pipe holds, both ways
    result = vcs.git(blog, "-c", "alias.echo=!cat; echo done >&2", "echo", input=data)
    assert result.stdout == data and result.stderr == "done\n"


def test_output_is_decoded_as_text_with_newlines_made_plain(blog: Path) -> None:
    script = r"printf 'a\r\nb\rc\377\n'; exit 3"
    result = vcs.git(blog, "-c", f"alias.out=!{script}", "out", check=False)
    assert result.stdout == "a\nb\nc\ufffd\n" and result.returncode == 3


def test_without_input_git_reads_nothing(blog: Path) -> None:
    result = vcs.git(blog, "-c", "alias.read=!wc -c", "read")
    assert result.stdout.strip() == "0"


def test_missing_git_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(VcsError, match="git is not installed"):
        vcs.git(tmp_path, "status")


def test_closed_standard_descriptors_do_not_mix_up_the_pipes(blog: Path) -> None:
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from studylog.git import run\n"
        "os.close(0)\n"
        "os.close(1)\n"
        "result = run.git(Path(sys.argv[1]), '-c', 'alias.hi=!echo hi', 'hi')\n"
        "os.write(2, (result.stdout + '|' + result.stderr).encode())\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", code, str(blog)], capture_output=True, text=True, timeout=30
    )
    assert child.stderr == "hi\n|" and child.returncode == 0


def test_timeout_override_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYLOG_GIT_TIMEOUT", "2.5")
    assert vcs.timeout_for(60) == 2.5
    monkeypatch.setenv("STUDYLOG_GIT_TIMEOUT", "soon")
    with pytest.raises(VcsError, match="STUDYLOG_GIT_TIMEOUT"):
        vcs.timeout_for(60)
    monkeypatch.delenv("STUDYLOG_GIT_TIMEOUT")
    assert vcs.timeout_for(60) == 60


def test_git_dir_follows_a_worktrees_git_file(blog: Path, tmp_path: Path) -> None:
    sh(blog, "add", "_config.yml")
    sh(blog, "commit", "-qm", "init")
    other = tmp_path / "other worktree"
    sh(blog, "worktree", "add", "-q", "--detach", str(other))
    assert vcs.git_dir(blog / "_posts") == (blog / ".git").resolve()
    assert vcs.git_dir(other) == Path(sh(other, "rev-parse", "--absolute-git-dir").strip())
    assert vcs.git_dir(tmp_path) is None


def test_status_parses_korean_spaces_and_renames(blog: Path) -> None:
    posts = blog / "_posts"
    (posts / "2021-08-18-딥러닝 정리.md").write_text("a\n", "utf-8")
    (posts / "old name.md").write_text("same content\n", "utf-8")
    sh(blog, "add", ".")
    sh(blog, "commit", "-qm", "init")
    sh(blog, "mv", "_posts/old name.md", "_posts/새 이름.md")
    (posts / "2021-08-18-딥러닝 정리.md").write_text("b\n", "utf-8")
    (posts / "[초안] *.md").write_text("c\n", "utf-8")
    found = gitrepo.status(blog, gitrepo.literal(["_posts"]))
    assert set(found) == {
        gitrepo.Status(" M", "_posts/2021-08-18-딥러닝 정리.md"),
        gitrepo.Status("R ", "_posts/새 이름.md", "_posts/old name.md"),
        gitrepo.Status("??", "_posts/[초안] *.md"),
    }
    only = gitrepo.status(blog, gitrepo.literal(["_posts/[초안] *.md"]))
    assert [s.path for s in only] == ["_posts/[초안] *.md"]  # literal: no glob matching


def test_index_entries_are_restored_exactly(blog: Path) -> None:
    sh(blog, "add", "_config.yml")
    sh(blog, "commit", "-qm", "init")
    (blog / "_config.yml").write_text("title: staged\n", "utf-8")
    (blog / "새 글.md").write_text("new\n", "utf-8")
    sh(blog, "add", "_config.yml")
    before = sh(blog, "ls-files", "-s")
    paths = ["_config.yml", "새 글.md"]
    saved = gitrepo.index_entries(blog, paths)
    (blog / "_config.yml").write_text("title: other\n", "utf-8")
    sh(blog, "add", "--", *paths)
    gitrepo.restore_index(blog, paths, saved)
    assert sh(blog, "ls-files", "-s") == before


def test_in_head_and_unpushed(blog: Path, tmp_path: Path) -> None:
    assert gitrepo.in_head(blog, ["_config.yml"]) == set()  # no commit yet
    assert gitrepo.unpushed(blog, None) == 0
    sh(blog, "add", "_config.yml")
    sh(blog, "commit", "-qm", "init")
    assert gitrepo.in_head(blog, ["_config.yml", "_posts/x.md"]) == {"_config.yml"}
    assert gitrepo.unpushed(blog, "refs/remotes/origin/main") == 1  # never pushed anywhere
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    sh(blog, "remote", "add", "origin", str(remote))
    sh(blog, "push", "-q", "-u", "origin", "main")
    assert gitrepo.unpushed(blog, "refs/remotes/origin/main") == 0
    sh(blog, "commit", "-q", "--allow-empty", "-m", "more")
    assert gitrepo.unpushed(blog, "refs/remotes/origin/main") == 1


def test_missing_identity_names_what_is_missing(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gitrepo.missing_identity(gitrepo.publish_config(blog)) == []
    for var in ("GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(var)
    monkeypatch.delenv("EMAIL", raising=False)
    assert gitrepo.missing_identity(gitrepo.publish_config(blog)) == ["user.name", "user.email"]
    sh(blog, "config", "user.name", "학생")
    assert gitrepo.missing_identity(gitrepo.publish_config(blog)) == ["user.email"]
    monkeypatch.setenv("EMAIL", "me@example.com")
    assert gitrepo.missing_identity(gitrepo.publish_config(blog)) == []


def test_snapshot_reads_branch_upstream_and_entries(blog: Path, tmp_path: Path) -> None:
    posts = blog / "_posts"
    (posts / "old name.md").write_text("same content\n", "utf-8")
    sh(blog, "add", ".")
    sh(blog, "commit", "-qm", "init")
    sh(blog, "mv", "_posts/old name.md", "_posts/새 이름.md")
    (posts / "[초안] *.md").write_text("c\n", "utf-8")
    sh(blog, "rm", "-q", "--cached", "_config.yml")  # in HEAD, not in the index, untracked
    state = gitrepo.snapshot(blog, gitrepo.literal(["_posts", "_config.yml"]))
    assert (state.branch, state.upstream, state.ahead) == ("main", None, None)
    assert set(state.entries) == {
        gitrepo.Status("D ", "_config.yml"),
        gitrepo.Status("??", "_config.yml"),
        gitrepo.Status("R ", "_posts/새 이름.md", "_posts/old name.md"),
        gitrepo.Status("??", "_posts/[초안] *.md"),
    }
    paths = ["_config.yml", "_posts/old name.md", "_posts/새 이름.md", "_posts/[초안] *.md"]
    assert gitrepo.in_head(blog, paths) == {"_config.yml", "_posts/old name.md"}
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    sh(blog, "remote", "add", "origin", str(remote))
    sh(blog, "push", "-q", "-u", "origin", "main")
    sh(blog, "commit", "-q", "--allow-empty", "-m", "more")
    state = gitrepo.snapshot(blog, [])
    assert (state.upstream, state.ahead) == ("origin/main", 1)
    sh(blog, "checkout", "-q", "--detach")
    assert gitrepo.snapshot(blog, []).branch is None


def failing_ssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """$GIT_SSH_COMMAND: a script that fails as ssh does when the host refuses (no network)."""
    script = tmp_path / "ssh.sh"
    script.write_text(
        "#!/bin/sh\n"
        "echo 'ssh: connect to host 127.0.0.1 port 1: Connection refused' >&2\n"
        "exit 255\n",
        "utf-8",
    )
    script.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", str(script))
    monkeypatch.setenv("GIT_SSH_VARIANT", "ssh")  # so git passes the port to the script


def test_gits_whole_message_is_kept_not_only_its_last_line(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing_ssh(tmp_path, monkeypatch)
    with pytest.raises(VcsError) as error:
        vcs.git(blog, "ls-remote", "ssh://127.0.0.1:1/x.git")
    assert error.value.message == (
        "git ls-remote failed: ssh: connect to host 127.0.0.1 port 1: Connection refused; "
        "fatal: Could not read from remote repository"
    )


def test_what_git_said_leaves_out_blank_lines_hints_and_boilerplate() -> None:
    said = (
        "error: failed to push some refs to 'x'\n\nhint: Updates were rejected\n"
        "Please make sure you have the correct access rights\nand the repository exists.\n"
    )
    done = subprocess.CompletedProcess(["git"], 1, "", said)
    assert vcs.what_git_said(done) == "error: failed to push some refs to 'x'"
    assert vcs.what_git_said(subprocess.CompletedProcess(["git"], 128, "", "\n")) == "exit 128"

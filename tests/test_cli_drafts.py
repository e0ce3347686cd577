"""`studylog drafts`: the waiting drafts listed, newest first; discarded by number or all."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from studylog.blog import drafts
from studylog.cli.app import app
from studylog.cli.commands import drafts as drafts_cmd
from studylog.errors import DraftError

runner = CliRunner()
POST = "_posts/2021-08-18-day13.md"


def saved(blog: Path, fields: dict[str, Any], age: int, editing: Path | None = None) -> Path:
    """A draft saved through `Draft.start(...).save(...)`, last touched `age` minutes ago."""
    draft = drafts.Draft.start(blog, editing)
    draft.save(fields)
    assert draft.path is not None
    stamp = (dt.datetime.now() - dt.timedelta(minutes=age)).timestamp()
    os.utime(draft.path, (stamp, stamp))
    return draft.path


@pytest.fixture
def three(example_blog: Path) -> dict[str, Path]:
    """A new post's draft (newest), an edit of day 13, and an older new post's draft."""
    return {
        "new": saved(example_blog, {"date": dt.date(2021, 8, 24), "day": 17, "title": "T"}, 1),
        "edit": saved(example_blog, {"title": "Day13"}, 5, editing=(example_blog / POST).resolve()),
        "old": saved(example_blog, {"date": dt.date(2021, 8, 20)}, 60),
    }


def invoke(blog: Path, *args: str) -> Any:
    return runner.invoke(app, ["drafts", *args, "--blog", str(blog)])


def lines(text: str) -> list[str]:
    return text.strip("\n").split("\n")


def test_the_list_shows_each_draft_newest_first(example_blog: Path, three: dict[str, Path]) -> None:
    result = invoke(example_blog)
    assert result.exit_code == 0, result.output
    first, second, third = lines(result.stdout)
    blog = f"--blog {example_blog}"
    assert first.startswith("1  ") and "new post for 2021-08-24  3 answers" in first
    assert first.endswith(f"studylog new --resume {blog}")
    assert f"edit of {POST}  1 answer  studylog edit {POST} --resume {blog}" in second
    assert third.startswith("3  ") and "new post for 2021-08-20  1 answer" in third
    assert third.endswith(f"`studylog new --resume {blog}` takes #1 first")
    saved_at = dt.datetime.fromtimestamp(three["new"].stat().st_mtime)
    assert f"  {saved_at:%Y-%m-%d %H:%M}  " in first
    assert result.stderr == ""


def test_list_is_the_same_as_the_bare_command(example_blog: Path, three: dict[str, Path]) -> None:
    assert invoke(example_blog, "list").stdout == invoke(example_blog).stdout


def test_the_commands_shown_leave_out_blog_when_it_was_not_given(
    example_blog: Path, three: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_blog)
    result = runner.invoke(app, ["drafts"])
    assert lines(result.stdout)[0].endswith("  studylog new --resume")


def test_json(example_blog: Path, three: dict[str, Path]) -> None:
    result = invoke(example_blog, "list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["number"] for row in rows] == [1, 2, 3]
    assert [row["kind"] for row in rows] == ["new", "edit", "new"]
    assert rows[0]["date"] == "2021-08-24" and rows[0]["answers"] == 3
    assert rows[0]["resume"] == f"studylog new --resume --blog {example_blog}"
    assert rows[1]["editing"] == str((example_blog / POST).resolve())
    assert rows[2]["resume"] is None and rows[2]["resumed_first"] == 1
    assert rows[2]["path"] == str(three["old"])
    assert dt.datetime.fromisoformat(rows[0]["saved"])


def test_no_drafts(example_blog: Path) -> None:
    for args in ([], ["list"]):
        result = invoke(example_blog, *args)
        assert result.exit_code == 0 and result.stdout == "" and result.stderr == "no drafts\n"
    result = invoke(example_blog, "--json")
    assert json.loads(result.stdout) == [] and result.stderr == "no drafts\n"


def test_an_unreadable_draft_is_listed_and_can_be_discarded(example_blog: Path) -> None:
    folder = drafts.folder(example_blog)
    folder.mkdir(parents=True)
    broken = folder / "2021-08-24--broken.json"
    broken.write_text("{", encoding="utf-8")
    result = invoke(example_blog)
    assert result.stdout.startswith("1  ") and "unreadable draft (" in result.stdout
    assert result.stdout.rstrip().endswith("discard it")
    assert invoke(example_blog, "discard", "1", "--yes").exit_code == 0
    assert not broken.exists()


def test_discard_by_number_with_yes(example_blog: Path, three: dict[str, Path]) -> None:
    result = invoke(example_blog, "discard", "3", "2", "--yes")
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        f"discarded draft #2 (edit of {POST}): {three['edit']}",
        f"discarded draft #3 (new post for 2021-08-20): {three['old']}",
    ]
    assert not three["edit"].exists() and not three["old"].exists() and three["new"].exists()
    assert (example_blog / POST).exists()  # the post the edit was of is untouched
    assert [d.path for d in drafts.find(example_blog)] == [three["new"]]


def test_discard_all(example_blog: Path, three: dict[str, Path]) -> None:
    result = invoke(example_blog, "discard", "--all", "-y")
    assert result.exit_code == 0, result.output
    assert len(lines(result.stdout)) == 3
    assert list(drafts.folder(example_blog).iterdir()) == []
    assert sorted(p.name for p in (example_blog / "_posts").iterdir()) == [
        "2021-08-18-day13.md",
        "2021-08-23-day16.md",
    ]
    assert invoke(example_blog).stderr == "no drafts\n"


def test_discard_all_with_no_drafts_says_so(example_blog: Path) -> None:
    result = invoke(example_blog, "discard", "--all", "--yes")
    assert result.exit_code == 0 and result.stderr == "no drafts\n"


def test_without_a_terminal_discard_needs_yes(example_blog: Path, three: dict[str, Path]) -> None:
    for args in (["1"], ["--all"]):
        result = invoke(example_blog, "discard", *args)
        assert result.exit_code == 2
        assert "no terminal to confirm: add --yes" in result.stderr
    assert all(path.exists() for path in three.values())


def test_an_unknown_number_discards_nothing(example_blog: Path, three: dict[str, Path]) -> None:
    result = invoke(example_blog, "discard", "1", "7", "--yes")
    assert result.exit_code == 2
    assert "no draft numbered 7 (the drafts are 1 to 3)" in result.stderr
    assert all(path.exists() for path in three.values())


@pytest.mark.parametrize(
    ("args", "message"),
    [([], "give the numbers of the drafts"), (["1", "--all"], "not both")],
)
def test_discard_needs_numbers_or_all(
    example_blog: Path, three: dict[str, Path], args: list[str], message: str
) -> None:
    result = invoke(example_blog, "discard", *args, "--yes")
    assert result.exit_code == 2 and message in result.stderr
    assert all(path.exists() for path in three.values())


def test_group_options_before_a_subcommand_are_a_usage_error(example_blog: Path) -> None:
    result = runner.invoke(app, ["drafts", "--blog", str(example_blog), "discard", "--all"])
    assert result.exit_code == 2 and "put the options after `drafts discard`" in result.stderr


def test_a_draft_gone_meanwhile_is_reported(
    example_blog: Path, three: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = drafts.waiting(example_blog)
    three["new"].unlink()  # its session finished between the listing and the removal
    monkeypatch.setattr(drafts_cmd, "_waiting", lambda _blog: listed)
    result = invoke(example_blog, "discard", "1", "2", "--yes")
    assert result.exit_code == 0, result.output
    assert f"draft #1 (new post for 2021-08-24) was already gone: {three['new']}" in result.stderr
    assert result.stdout.startswith("discarded draft #2") and not three["edit"].exists()


def test_the_confirmation_asked_on_a_terminal(
    example_blog: Path, three: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from studylog.cli import prompts

    asked: list[tuple[str, bool]] = []
    answers = iter([False, True])

    def confirm(message: str, *, default: bool) -> bool:
        asked.append((message, default))
        return next(answers)

    monkeypatch.setattr(drafts_cmd, "at_terminal", lambda: True)
    monkeypatch.setattr(prompts, "confirm", confirm)
    declined = invoke(example_blog, "discard", "1", "3")
    assert declined.exit_code == 0  # a choice, not an error
    assert declined.stderr == "not discarded: nothing was changed\n"
    assert all(path.exists() for path in three.values())
    accepted = invoke(example_blog, "discard", "1")
    assert accepted.exit_code == 0 and not three["new"].exists()
    assert asked == [("Discard these 2 drafts?", False), ("Discard this draft?", False)]
    assert "#1  " in accepted.stdout and "new post for 2021-08-24" in accepted.stdout


def test_only_a_draft_file_is_ever_removed(example_blog: Path, three: dict[str, Path]) -> None:
    post = example_blog / POST
    for path in (post, drafts.folder(example_blog) / "notes.txt", example_blog / "x--y.json"):
        with pytest.raises(DraftError, match="is not a draft"):
            drafts.discard(path, example_blog)
    assert post.exists()
    assert drafts.discard(three["old"], example_blog) is True
    assert drafts.discard(three["old"], example_blog) is False  # already gone


def test_discard_asks_in_a_real_terminal(example_blog: Path, three: dict[str, Path]) -> None:
    """The installed CLI in a pty: the drafts shown, questionary's confirmation, `y` discards."""
    pexpect = pytest.importorskip("pexpect")
    from tests.test_pty_new import TIMEOUT, studylog_command

    command = studylog_command()
    child = pexpect.spawn(
        command[0],
        [*command[1:], "drafts", "discard", "2", "--blog", str(example_blog)],
        env=dict(os.environ, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1"),
        encoding="utf-8",
        dimensions=(40, 200),
        timeout=TIMEOUT,
    )
    child.expect_exact(f"edit of {POST}")
    child.expect_exact("Discard this draft?")
    child.send("y")
    child.expect_exact(f"discarded draft #2 (edit of {POST})")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not three["edit"].exists() and three["new"].exists() and three["old"].exists()

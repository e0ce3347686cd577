"""`studylog edit` and `new --edit` without a terminal: --from/--yes, a fake editor, drafts."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studylog import paths
from studylog.blog import drafts, editpost
from studylog.cli.app import app
from studylog.config import Settings
from studylog.errors import BlogError
from studylog.post.parse import parse_post

DATA = Path(__file__).parent / "data"
DAY16 = "2021-08-23-day16.md"
EXTRA = "A paragraph written by hand, between the sections."
TODAY = dt.date.today().isoformat()

runner = CliRunner()


def studylog(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture
def post(example_blog: Path) -> Path:
    """Day 16, with hand-written text the reader keeps as an extra."""
    path = example_blog / "_posts" / DAY16
    text = path.read_text("utf-8").replace("\n### 토의 내용", f"\n{EXTRA}\n\n### 토의 내용")
    path.write_text(text, "utf-8")
    return path


def entry_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fields.yaml"
    path.write_text(text, "utf-8")
    return path


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """$EDITOR is a Python script; `code` edits `text` (the file's text) or exits."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\nfrom pathlib import Path\npath = Path(sys.argv[1])\n"
        f"text = path.read_text('utf-8')\n{code}\npath.write_text(text, 'utf-8')\n",
        "utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")


def edits() -> list[Path]:
    folder = paths.edits_dir()
    return sorted(folder.iterdir()) if folder.exists() else []


def backups() -> list[Path]:
    return sorted((paths.state_dir() / "backups").iterdir())


def read(path: Path):  # type: ignore[no-untyped-def]
    return parse_post(path.read_text("utf-8"), path, Settings())


def test_edit_from_yes_replaces_the_given_fields_and_keeps_the_rest(
    post: Path, tmp_path: Path
) -> None:
    before, old_bytes = read(post), post.read_bytes()
    fields = entry_file(tmp_path, "moderator: 강하린\n")
    result = studylog("edit", "16", "--from", str(fields), "--yes", "--blog", str(post.parents[1]))
    assert result.exit_code == 0, result.output
    after = read(post)
    assert after.moderator == "강하린"
    for name in ("date", "day", "title", "topics", "participants", "discussion", "mentoring"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.extras == before.extras and EXTRA in post.read_text("utf-8")
    assert after.front_matter["last_modified_at"] == dt.date.today()
    assert after.front_matter["date"] == dt.date(2021, 8, 23)
    assert after.front_matter["excerpt"] == "about : python"
    [backup] = backups()
    assert backup.read_bytes() == old_bytes and str(backup) in result.output.replace("\n", "")
    assert drafts.find(post.parents[1], post) == []


def test_a_new_date_renames_the_post_without_losing_the_old_one(post: Path, tmp_path: Path) -> None:
    old_bytes = post.read_bytes()
    fields = entry_file(tmp_path, "date: 2021-08-24\nday: 17\n")
    result = studylog(
        "edit", str(post), "--from", str(fields), "--yes", "--blog", str(post.parents[1])
    )
    assert result.exit_code == 0, result.output
    moved = post.with_name("2021-08-24-day17.md")
    assert not post.exists() and moved.exists() and "renamed" in result.output
    assert read(moved).date == dt.date(2021, 8, 24) and "date: 2021-08-24" in moved.read_text()
    assert [b.read_bytes() for b in backups()] == [old_bytes]


def test_a_rename_onto_an_existing_post_is_refused(post: Path, tmp_path: Path) -> None:
    old_bytes = post.read_bytes()
    fields = entry_file(tmp_path, "date: 2021-08-18\nday: 13\n")
    result = studylog("edit", "16", "--from", str(fields), "--yes", "--blog", str(post.parents[1]))
    assert result.exit_code == 1
    assert "already exists; nothing was changed" in result.output.replace("\n", " ")
    assert post.read_bytes() == old_bytes
    assert (post.parent / "2021-08-18-day13.md").read_bytes() == (
        DATA / "2021-08-18-day13.md"
    ).read_bytes()


def test_edit_without_a_terminal_needs_yes(post: Path, tmp_path: Path) -> None:
    old_bytes = post.read_bytes()
    fields = entry_file(tmp_path, "moderator: 강하린\n")
    result = studylog("edit", "16", "--from", str(fields), "--blog", str(post.parents[1]))
    assert result.exit_code == 2 and "add --yes" in result.output
    assert post.read_bytes() == old_bytes


def test_a_post_changed_meanwhile_is_not_overwritten(post: Path) -> None:
    opened = editpost.open_post(post.parents[1], "16", Settings())
    post.write_text(post.read_text("utf-8") + "\nadded elsewhere\n", "utf-8")
    with pytest.raises(BlogError, match="changed on disk"):
        editpost.rewrite(opened.path, opened.original, opened.path, "new text")
    assert post.read_text("utf-8").endswith("added elsewhere\n")


def test_edit_resume_yes_writes_the_interrupted_edit(post: Path) -> None:
    blog = post.parents[1]
    fields = editpost.fields_of(read(post))
    draft = drafts.Draft.start(blog, editing=post)
    draft.save({**fields, "title": "Day16, revised"})
    assert drafts.find(blog) == []  # not a new post's draft: `new --resume` leaves it alone
    assert "no draft to resume" in studylog("new", "--resume", "--yes", "--blog", str(blog)).output
    result = studylog("edit", "16", "--resume", "--yes", "--blog", str(blog))
    assert result.exit_code == 0, result.output
    assert read(post).title == "Day16, revised" and EXTRA in post.read_text("utf-8")
    assert drafts.find(blog, post) == []


@pytest.mark.parametrize(
    ("spec", "old", "new", "expected"),
    [
        ("_posts/2021-08-23-day16.md", (23, 16), (23, 16), "_posts/2021-08-23-day16.md"),
        ("_posts/2021-08-23-day16.md", (23, 16), (24, 17), "_posts/2021-08-24-day17.md"),
        ("_posts/2021-08-23-notes.md", (23, 16), (24, 17), "_posts/2021-08-24-notes.md"),
        ("_drafts/day16.md", (23, 16), (24, 17), "_drafts/day17.md"),
        ("_drafts/notes.md", (23, 16), (24, 17), "_drafts/notes.md"),
    ],
)
def test_destination(spec: str, old: tuple, new: tuple, expected: str) -> None:
    def entry(date_day: tuple):  # type: ignore[no-untyped-def]
        from studylog.post.model import Entry

        return Entry(dt.date(2021, 8, date_day[0]), date_day[1], "t")

    got = editpost.destination(Path("/b") / spec, entry(old), entry(new), Settings())
    assert got == Path("/b") / expected


def test_touched_updates_only_the_front_matters_last_modified_at() -> None:
    text = "---\ntitle: x\nlast_modified_at: 2021-01-01\n---\nlast_modified_at: body\n"
    assert editpost.touched(text, dt.date(2024, 5, 6)) == (
        "---\ntitle: x\nlast_modified_at: 2024-05-06\n---\nlast_modified_at: body\n"
    )
    assert editpost.touched("no front matter\n", dt.date(2024, 5, 6)) == "no front matter\n"


# --- edit --editor ---


def test_editor_edit_is_checked_and_written_with_a_backup(
    post: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_bytes = post.read_bytes()
    fake_editor(tmp_path, monkeypatch, "text = text.replace('박지호', '강하린')")
    result = studylog("edit", "16", "--editor", "--blog", str(post.parents[1]))
    assert result.exit_code == 0, result.output
    text = post.read_text("utf-8")
    assert "모더레이터 : 강하린" in text and f"last_modified_at: {TODAY}" in text
    assert [b.read_bytes() for b in backups()] == [old_bytes]
    assert edits() == []


def test_editor_failing_keeps_the_text_and_the_post(
    post: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_bytes = post.read_bytes()
    code = "path.write_text(text.replace('박지호', '강하린'), 'utf-8')\nsys.exit(1)"
    fake_editor(tmp_path, monkeypatch, code)
    result = studylog("edit", "16", "--editor", "--blog", str(post.parents[1]))
    assert result.exit_code == 1 and "exited with status 1" in result.output
    [kept] = edits()
    assert str(kept) in result.output.replace("\n", "")
    assert "모더레이터 : 강하린" in kept.read_text("utf-8")
    assert post.read_bytes() == old_bytes


def test_editor_text_with_an_error_is_reported_and_kept_without_a_terminal(
    post: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_bytes = post.read_bytes()
    fake_editor(
        tmp_path, monkeypatch, "text = text.replace('date: 2021-08-23', 'date: 2021-09-01')"
    )
    result = studylog("edit", "16", "--editor", "--blog", str(post.parents[1]))
    assert result.exit_code == 1
    assert "would not build right" in result.output and "2021-09-01" in result.output
    [kept] = edits()
    assert "date: 2021-09-01" in kept.read_text("utf-8")
    assert post.read_bytes() == old_bytes


def test_editor_unchanged_changes_nothing(
    post: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_bytes = post.read_bytes()
    fake_editor(tmp_path, monkeypatch, "")
    result = studylog("edit", "16", "--editor", "--blog", str(post.parents[1]))
    assert result.exit_code == 0 and "no change" in result.output
    assert post.read_bytes() == old_bytes and edits() == []


def test_editor_fixes_a_post_the_reader_cannot_read(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = blog / "_posts" / "2021-08-31-day23.md"  # its title's quote is never closed
    broken.write_bytes((DATA / "broken" / broken.name).read_bytes())
    assert studylog("show", str(broken), "--blog", str(blog)).exit_code == 1
    fake_editor(tmp_path, monkeypatch, "text = text.replace('학습기록\\n', '학습기록\"\\n', 1)")
    result = studylog("edit", str(broken), "--editor", "--blog", str(blog))
    assert result.exit_code == 0, result.output
    assert 'title: "[boostcourse] Day23 학습기록"\n' in broken.read_text("utf-8")
    assert studylog("show", str(broken), "--blog", str(blog)).exit_code == 0


# --- new --edit ---

NEW_ARGS = ("--from", str(DATA / "2021-08-18-day13.entry.yaml"), "--yes", "--edit")


def test_new_edit_writes_what_the_editor_saved(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, "text += '\\nAdded in the editor.\\n'")
    result = studylog("new", *NEW_ARGS, "--blog", str(blog))
    assert result.exit_code == 0, result.output
    written = (blog / "_posts" / "2021-08-18-day13.md").read_text("utf-8")
    assert written == (DATA / "2021-08-18-day13.md").read_text("utf-8") + "\nAdded in the editor.\n"
    assert edits() == []


def test_new_edit_with_a_failing_editor_writes_nothing_and_keeps_the_text(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, "text += 'mine'\npath.write_text(text)\nsys.exit(3)")
    result = studylog("new", *NEW_ARGS, "--blog", str(blog))
    assert result.exit_code == 1 and "exited with status 3" in result.output
    [kept] = edits()
    assert str(kept) in result.output.replace("\n", "") and kept.read_text().endswith("mine")
    assert list((blog / "_posts").iterdir()) == []


def test_new_edit_empty_aborts_without_writing(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, "text = ''")
    result = studylog("new", *NEW_ARGS, "--blog", str(blog))
    assert result.exit_code == 1
    assert "the editor left the post empty: nothing was written" in result.output
    assert list((blog / "_posts").iterdir()) == []


def test_new_edit_closed_without_a_change_writes_the_post_as_rendered(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, "")  # "looks fine", as jekyll-compose's auto_open
    result = studylog("new", *NEW_ARGS, "--blog", str(blog))
    assert result.exit_code == 0, result.output
    written = (blog / "_posts" / "2021-08-18-day13.md").read_text("utf-8")
    assert written == (DATA / "2021-08-18-day13.md").read_text("utf-8")
    assert edits() == []


BOM_CRLF = (
    "path.write_bytes(('\\ufeff' + text + 'added\\n').replace('\\n', '\\r\\n').encode())\n"
    "sys.exit(0)"
)


def test_new_edit_drops_the_editors_bom_and_crlf(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, BOM_CRLF)
    result = studylog("new", *NEW_ARGS, "--blog", str(blog))
    assert result.exit_code == 0, result.output
    written = (blog / "_posts" / "2021-08-18-day13.md").read_bytes()
    assert written == (DATA / "2021-08-18-day13.md").read_bytes() + b"added\n"


def test_edit_editor_drops_the_editors_bom_and_crlf(
    post: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, BOM_CRLF)
    result = studylog("edit", "16", "--editor", "--blog", str(post.parents[1]))
    assert result.exit_code == 0, result.output
    data = post.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert data.endswith(b"\nadded\n")


def test_edit_editor_saving_only_crlf_is_no_change(
    post: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_bytes = post.read_bytes()
    fake_editor(
        tmp_path,
        monkeypatch,
        "path.write_bytes(text.replace('\\n', '\\r\\n').encode())\nsys.exit(0)",
    )
    result = studylog("edit", "16", "--editor", "--blog", str(post.parents[1]))
    assert result.exit_code == 0 and "no change" in result.output
    assert post.read_bytes() == old_bytes


def test_new_edit_write_failure_keeps_the_edited_text(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_editor(tmp_path, monkeypatch, "text += '\\nmine\\n'")
    (blog / "_posts" / "2021-08-18-day13.md").write_text("already here\n", "utf-8")
    result = studylog("new", *NEW_ARGS, "--blog", str(blog))
    assert result.exit_code == 1 and "already exists" in result.output
    [kept] = edits()
    assert str(kept) in result.output.replace("\n", "") and kept.read_text().endswith("mine\n")
    assert os.path.getsize(blog / "_posts" / "2021-08-18-day13.md") == len("already here\n")


OWN_FRONT = """\
---
# my own front matter
layout: post
title: '[boostcourse] Day16 학습기록'

categories: [daily, ai]   # flow style
toc: yes
date: 2021-08-23 08:30:00 +0900
last_modified_at: 2021-08-23
---
"""


@pytest.fixture
def own(post: Path) -> Path:
    """Day 16 with a front matter of the user's own: comments, quoting, a blank line, flow
    style, a YAML 1.1 boolean and a date with a time and an offset."""
    _, body = post.read_text("utf-8").split("\n---\n", 1)
    post.write_text(OWN_FRONT + body, "utf-8")
    (post.parents[1] / "_config.yml").write_text("theme: minima\ntimezone: Asia/Seoul\n", "utf-8")
    return post


def front_of(path: Path) -> str:
    return path.read_text("utf-8").split("\n---\n", 1)[0] + "\n---\n"


def edit_yes(post: Path, tmp_path: Path, fields: str):  # type: ignore[no-untyped-def]
    """`edit 16 --from FILE --yes` with `fields` in the file."""
    source = entry_file(tmp_path, fields)
    return studylog("edit", "16", "--from", str(source), "--yes", "--blog", str(post.parents[1]))


def test_edit_keeps_the_posts_own_front_matter_but_last_modified_at(
    own: Path, tmp_path: Path
) -> None:
    result = edit_yes(own, tmp_path, "moderator: 강하린\n")
    assert result.exit_code == 0, result.output
    assert front_of(own) == OWN_FRONT.replace("2021-08-23\n---", f"{TODAY}\n---")
    assert read(own).moderator == "강하린"


def test_edit_with_a_new_date_moves_the_time_and_keeps_its_offset(
    own: Path, tmp_path: Path
) -> None:
    result = edit_yes(own, tmp_path, "date: 2021-08-24\n")
    assert result.exit_code == 0, result.output
    moved = own.with_name("2021-08-24-day16.md")
    assert "\ndate: 2021-08-24 08:30:00 +0900\n" in front_of(moved)
    checked = studylog("check", "--blog", str(own.parents[1]))
    assert checked.exit_code == 0 and "no problems" in checked.output


def test_edit_with_a_time_keeps_it_and_files_the_post_on_the_sites_day(
    own: Path, tmp_path: Path
) -> None:
    blog = own.parents[1]
    result = edit_yes(own, tmp_path, "date: 2021-08-24T23:30:00Z\n")  # the 25th in Seoul
    assert result.exit_code == 0, result.output
    moved = own.with_name("2021-08-25-day16.md")
    front = front_of(moved)
    assert "\ndate: 2021-08-24 23:30:00+00:00\n" in front and "# my own front matter" in front
    assert studylog("check", "--blog", str(blog)).exit_code == 0


def test_an_edit_that_changes_nothing_writes_nothing(own: Path, tmp_path: Path) -> None:
    before, stamp = own.read_bytes(), own.stat().st_mtime_ns
    result = edit_yes(own, tmp_path, "moderator: 박지호\n")  # as it is
    assert result.exit_code == 0, result.output
    assert result.stderr == f"nothing changed: {own} is as it was\n"
    assert own.read_bytes() == before and own.stat().st_mtime_ns == stamp
    assert not (paths.state_dir() / "backups").exists()
    assert drafts.find(own.parents[1], own) == []


def test_accepting_every_answer_in_a_terminal_changes_nothing(own: Path) -> None:
    # Imported here: without pexpect that module skips itself, which must not skip this one.
    from tests.test_pty_edit import DONE, ENTER, answer, finish, spawn

    before = own.read_bytes()
    child, output = spawn(own.parents[1], "16")
    answer(
        child,
        *[(prompt, ENTER) for prompt in ("Date", "Course day", "Title", "Study topic")],
        ('Link for "semantic segmentation"', ENTER),
        *[(prompt, ENTER) for prompt in ("Study topic", "Moderator", "Participants")],
        ("Question", DONE),  # the offered question, as it is
        ("Answer", DONE),
        ("Question", ENTER),
        ("Mentoring", DONE),
    )
    child.expect_exact("nothing changed: ")
    assert finish(child, output) == 0
    assert own.read_bytes() == before and "Rewrite" not in output.getvalue()
    assert not (paths.state_dir() / "backups").exists()
    assert drafts.find(own.parents[1], own) == []

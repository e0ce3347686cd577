"""`studylog drafts`: the unfinished `new` and `edit` sessions of a blog; discard stale ones."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from studylog.blog import drafts
from studylog.blog.drafts import Waiting
from studylog.cli.commands import at_terminal, blog_in_use, load_settings
from studylog.cli.output import echo, write
from studylog.cli.session import NEW_RESUME, confirm
from studylog.errors import UsageError


def list_drafts(as_json: bool = False, blog: Path | None = None) -> None:
    """The drafts, newest first: number, when saved, what, answers, the command continuing it."""
    blog_dir = _blog_dir(blog)
    listed = _waiting(blog_dir)
    if as_json:
        rows = [_as_mapping(entry, listed, blog_dir, blog) for entry in listed]
        write(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for entry in listed:
            write(_line(entry, listed, blog_dir, blog))
    if not listed:
        echo("no drafts", err=True)


def discard(
    numbers: list[int] | None = None,
    all_drafts: bool = False,
    yes: bool = False,
    blog: Path | None = None,
) -> None:
    """Delete drafts (nothing else) by their numbers in the list, or --all; asks first."""
    if numbers and all_drafts:
        raise UsageError("give either the numbers of the drafts to discard or --all, not both")
    if not numbers and not all_drafts:
        raise UsageError(
            "give the numbers of the drafts to discard (see `studylog drafts`) or --all"
        )
    blog_dir = _blog_dir(blog)
    listed = _waiting(blog_dir)
    chosen = listed if all_drafts else _chosen(numbers or [], listed)
    if not chosen:
        echo("no drafts", err=True)
        return
    if yes or _confirm(chosen, blog_dir):
        _remove(chosen, blog_dir)


def _blog_dir(blog: Path | None) -> Path:
    return blog_in_use(blog, load_settings())


def _waiting(blog_dir: Path) -> list[Waiting]:
    return drafts.waiting(blog_dir)


def _chosen(numbers: list[int], listed: list[Waiting]) -> list[Waiting]:
    """The listed drafts with these numbers, in the list's order; a usage error for any other."""
    by_number = {entry.number: entry for entry in listed}
    unknown = sorted({n for n in numbers if n not in by_number})
    if unknown:
        shown = ", ".join(str(n) for n in unknown)
        have = f"1 to {len(listed)}" if listed else "none"
        raise UsageError(
            f"no draft numbered {shown} (the drafts are {have}): see `studylog drafts`"
        )
    wanted = set(numbers)
    return [entry for entry in listed if entry.number in wanted]


def _confirm(chosen: list[Waiting], blog_dir: Path) -> bool:
    """On a terminal, list what goes and ask (Enter is no); without one, a usage error."""
    if not at_terminal():
        raise UsageError("no terminal to confirm: add --yes to discard the drafts")
    for entry in chosen:
        echo(f"#{entry.number}  {entry.saved:%Y-%m-%d %H:%M}  {drafts.what(entry, blog_dir)}")
    noun = "this draft" if len(chosen) == 1 else f"these {len(chosen)} drafts"
    if confirm(f"Discard {noun}?", default=False):
        return True
    echo("not discarded: nothing was changed", err=True)  # a choice, not an error
    return False


def _remove(chosen: list[Waiting], blog_dir: Path) -> None:
    """Delete each draft; say what went and what had already gone."""
    for entry in chosen:
        described = f"#{entry.number} ({drafts.what(entry, blog_dir)})"
        if drafts.discard(entry.path, blog_dir):
            echo(f"discarded draft {described}: {entry.path}")
        else:
            echo(f"draft {described} was already gone: {entry.path}", err=True)


def _line(entry: Waiting, listed: list[Waiting], blog_dir: Path, blog: Path | None) -> str:
    """`1  2021-08-24 10:42  new post for 2021-08-24  5 answers  studylog new --resume`."""
    answers = f"{entry.answers} answer{'' if entry.answers == 1 else 's'}"
    command = _resume_command(entry, blog_dir, blog)
    newer = drafts.resumed_by(entry, listed)
    if newer is not None:
        how = f"`{command}` takes #{newer.number} first"
    elif command:
        how = command
    else:
        how = "discard it"
    saved = f"{entry.saved:%Y-%m-%d %H:%M}"
    return f"{entry.number}  {saved}  {drafts.what(entry, blog_dir)}  {answers}  {how}"


def _as_mapping(
    entry: Waiting, listed: list[Waiting], blog_dir: Path, blog: Path | None
) -> dict[str, Any]:
    """One draft for --json; `resume` is null when that command would continue another one."""
    date = entry.draft.fields.get("date") if entry.draft is not None else None
    command = _resume_command(entry, blog_dir, blog)
    newer = drafts.resumed_by(entry, listed)
    return {
        "number": entry.number,
        "saved": entry.saved.isoformat(timespec="seconds"),
        "kind": "unreadable" if entry.draft is None else "edit" if entry.editing else "new",
        "date": date.isoformat() if date else None,
        "editing": str(entry.editing) if entry.editing else None,
        "answers": entry.answers,
        "resume": command if newer is None else None,
        "resumed_first": newer.number if newer is not None else None,
        "problem": entry.problem or None,
        "path": str(entry.path),
    }


def _resume_command(entry: Waiting, blog_dir: Path, blog: Path | None) -> str | None:
    """The command that continues this kind of draft; --blog as given; None when unreadable."""
    if entry.draft is None:
        return None
    if entry.editing is None:
        command = NEW_RESUME
    else:
        post = drafts.shown_path(entry.editing, blog_dir)
        command = f"studylog edit {shlex.quote(str(post))} --resume"
    return f"{command} --blog {shlex.quote(str(blog))}" if blog is not None else command

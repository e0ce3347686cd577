"""`studylog search`: every matching line of the posts' topics, questions, answers, mentoring."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.text import Text

from studylog.blog import search as finder
from studylog.blog.search import Hit
from studylog.cli.commands import blog_in_use, load_settings
from studylog.cli.console import rich_console
from studylog.cli.display import count
from studylog.cli.output import Exit, echo, write


def search(
    text: str,
    regex: bool = False,
    drafts: bool = False,
    as_json: bool = False,
    blog: Path | None = None,
) -> None:
    """Find TEXT in the questions, answers, mentoring and topics of every post."""
    settings = load_settings()
    blog_dir = blog_in_use(blog, settings)
    pattern = finder.compile_pattern(text, regex=regex)
    hits, errors = finder.find(blog_dir, settings, pattern, drafts=drafts)
    if errors:
        rich_console(stderr=True).print(
            f"[yellow]warning:[/] skipped {count(len(errors), 'unreadable post')} "
            "(`studylog list` shows why)",
            soft_wrap=True,
        )
    if as_json:
        data = [finder.hit_dict(h) for h in hits]
        write(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_hits(hits)
    if not hits:  # as grep: no match is exit 1
        where = f"the posts{' and drafts' if drafts else ''} of {blog_dir}"
        echo(f"no match for {text!r} in {where}", err=True)
        raise Exit(1)


def _print_hits(hits: list[Hit], console: Console | None = None) -> None:
    """A line a hit: date, day and section dimmed, the matches in bold reverse on a terminal."""
    console = console or rich_console()
    if not hits:
        return
    lines = [(_hit_head(hit), hit.line) for hit in hits]
    if not console.is_terminal and all(h.isprintable() and x.isprintable() for h, x in lines):
        # What rich prints off a terminal for printable text, without rendering it line by line
        # (seconds for thousands of hits); tabs and control characters are left to rich.
        write("\n".join(head + line for head, line in lines))
        return
    shown = Text()  # printed once: rich lays out each print on its own
    for i, (hit, (head, line)) in enumerate(zip(hits, lines, strict=True)):
        found = Text(line)
        for start, end in hit.spans:
            found.stylize("bold reverse", start, end)
        if i:
            shown.append("\n")
        shown.append_text(Text(head, style="dim") + found)  # the line dim, as its head
    console.print(shown, soft_wrap=True)


def _hit_head(hit: Hit) -> str:
    where = hit.section + (f" {hit.number}" if hit.number else "")
    return f"{hit.date}  Day {hit.day}  {where}: "

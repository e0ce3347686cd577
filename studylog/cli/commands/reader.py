"""`studylog list`, `show` and `search`: the blog read back."""

from __future__ import annotations

from studylog.cli.commands import date_option, load_settings
from studylog.cli.output import rich_console, write

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from pathlib import Path


def list_posts(
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    moderator: str | None = None,
    participant: str | None = None,
    drafts: bool = False,
    as_json: bool = False,
    strict: bool = False,
    blog: Path | None = None,
) -> None:
    """List the posts, newest first: date, day, title, moderator, participants, Q&As, git state."""
    from studylog.blog import index
    from studylog.blog.site import resolve_blog
    from studylog.cli import listing
    from studylog.errors import BlogError

    settings = load_settings()
    blog_dir = resolve_blog(blog, settings.blog)
    filters = index.Filters(
        date_option(since, "--since"),
        date_option(until, "--until"),
        moderator,
        participant,
        limit,
    )
    shown = listing.listing(
        blog_dir, settings, filters, drafts=drafts, as_json=as_json, color=listing.wants_color()
    )
    write(shown.out, nl=False)
    if shown.err:
        write(shown.err, err=True, nl=False)
    if strict and shown.broken:
        raise BlogError(f"{shown.broken} of the listed posts cannot be read (their rows say why)")


def show(post: str, as_json: bool = False, raw: bool = False, blog: Path | None = None) -> None:
    """Show a post: its front matter on top, then its body as Markdown."""
    from studylog.blog.site import find_post, resolve_blog
    from studylog.post.parse import read_post

    settings = load_settings()
    blog_dir = resolve_blog(blog, settings.blog)
    path = find_post(blog_dir, post)
    if raw:
        write(path.read_bytes(), nl=False)
        return
    entry = read_post(path, settings)
    if as_json:
        import json

        write(json.dumps(entry.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    _print_post(entry, path, blog_dir)


def _print_post(entry, path: Path, blog_dir: Path) -> None:
    from rich.markdown import Markdown
    from rich.table import Table

    from studylog.cli.display import row
    from studylog.post.parse import display_body, read_text, split_front

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    shown = path.relative_to(blog_dir) if path.is_relative_to(blog_dir) else path
    summary.add_row(*row("file", shown))
    for key, value in entry.front_matter.items():
        if key != "defaults":
            summary.add_row(*row(key, _front_value(value)))
    console = rich_console()
    console.print(summary)
    console.rule()
    console.print(Markdown(display_body(split_front(read_text(path), path)[1])))


def _front_value(value) -> str:
    import datetime as dt

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_front_value(v) for v in value) or "[]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def search(
    text: str,
    regex: bool = False,
    drafts: bool = False,
    as_json: bool = False,
    blog: Path | None = None,
) -> None:
    """Find TEXT in the questions, answers, mentoring and topics of every post."""
    from studylog.blog import search as finder
    from studylog.blog.site import resolve_blog
    from studylog.cli.display import count

    settings = load_settings()
    blog_dir = resolve_blog(blog, settings.blog)
    pattern = finder.compile_pattern(text, regex=regex)
    hits, errors = finder.find(blog_dir, settings, pattern, regex=regex, drafts=drafts)
    if errors:
        rich_console(stderr=True).print(
            f"[yellow]warning:[/] skipped {count(len(errors), 'unreadable post')} "
            "(`studylog list` shows why)",
            soft_wrap=True,
        )
    if as_json:
        import json

        data = [finder.hit_dict(h, blog_dir) for h in hits]
        write(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_hits(hits)


def _print_hits(hits, console=None) -> None:  # type: ignore[no-untyped-def]
    """A line a hit: date, day and section dimmed, the matches in bold reverse on a terminal."""
    from rich.text import Text

    console = console or rich_console()
    if not hits:
        rich_console(stderr=True).print("no match")
        return
    lines = [(_hit_head(hit), hit.line) for hit in hits]
    if not console.is_terminal and all(h.isprintable() and x.isprintable() for h, x in lines):
        # What rich prints off a terminal for printable text, without rendering it line by line
        # (seconds for thousands of hits); tabs and control characters are left to rich.
        write("\n".join(head + line for head, line in lines))
        return
    shown = Text()  # one text printed once: a print per hit costs rich ~0.2 ms
    for i, (hit, (head, line)) in enumerate(zip(hits, lines, strict=True)):
        found = Text(line)
        for start, end in hit.spans:
            found.stylize("bold reverse", start, end)
        if i:
            shown.append("\n")
        shown.append_text(Text(head, style="dim") + found)  # the line dim, as its head
    console.print(shown, soft_wrap=True)


def _hit_head(hit) -> str:  # type: ignore[no-untyped-def]
    where = hit.section + (f" {hit.number}" if hit.number else "")
    return f"{hit.date}  Day {hit.day}  {where}: "

"""The command line: one thin function per command; the only place that prints errors and exits."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core

from studylog.errors import StudylogError, UsageError

if TYPE_CHECKING:  # imported lazily at run time: start-up stays quick
    import datetime as dt

    from studylog import index
    from studylog.config import Settings
    from studylog.defaults import Defaults
    from studylog.drafts import Draft


class _Group(typer.core.TyperGroup):
    """Turns StudylogError into one red line on stderr and its exit code, for every command."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except StudylogError as exc:
            with contextlib.suppress(OSError):  # the terminal may be gone (a hangup)
                _echo(exc.message, err=True, label="error:", color="red")
            ctx.exit(exc.exit_code)


app = typer.Typer(
    name="studylog",
    cls=_Group,
    help="Write, list and publish the daily study-log posts of a Jekyll blog.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    # Plain help: Rich-formatted help imports rich and markdown-it, 90 ms on every --help.
    rich_markup_mode=None,
)

BlogOption = Annotated[
    Path | None,
    typer.Option(
        "--blog", help="The blog directory (default: $STUDYLOG_BLOG, cwd, config, built-in)."
    ),
]


def _builtin_templates(incomplete: str) -> list[str]:
    from studylog.render import BUILTIN_TEMPLATES

    return [name for name in BUILTIN_TEMPLATES if name.startswith(incomplete)]


TemplateOption = Annotated[
    str | None,
    typer.Option(
        "--template",
        help="The template: 'default', 'en' or a file (default: the 'template' key, the blog's "
        ".studylog/template.md.j2, the user's template.md.j2, the built-in default).",
        autocompletion=_builtin_templates,
    ),
]


def _version(value: bool) -> None:
    if value:
        from studylog import __version__

        typer.echo(f"studylog {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Write, list and publish the daily study-log posts of a Jekyll blog."""


def _literal(text: str) -> str:
    """Text (file names, titles, messages) as printed, never read as rich markup."""
    from rich.markup import escape

    return escape(text)


def _console(stderr: bool = False):
    """A Rich console, for tables and previews; plain lines go through `_echo` (no rich import)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _echo(message: str, *, err: bool = False, label: str = "", color: str = "") -> None:
    """One plain line; `label` coloured on a terminal (not with $NO_COLOR), text never markup."""
    if label:
        colored = False if os.environ.get("NO_COLOR") else None  # None: only on a terminal
        typer.secho(label, fg=color or None, err=err, nl=not message, color=colored)
        message = " " + message if message else ""
    if message:
        typer.echo(message, err=err)


def _settings(template: str | None = None):
    from studylog.config import load_settings

    return load_settings(template=template)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@app.command()
def new(
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from", help="Read the entry's fields from a YAML or JSON file ('-': stdin)."
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Ask nothing: take defaults for missing fields, write."),
    ] = False,
    date: Annotated[
        str | None, typer.Option(help="The post's date: YYYY-MM-DD, today, yesterday.")
    ] = None,
    day: Annotated[
        int | None, typer.Option(help="The course day (default: counted from history).")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The title (default: the title pattern).")
    ] = None,
    moderator: Annotated[str | None, typer.Option(help="The peer session's moderator.")] = None,
    participant: Annotated[
        list[str] | None, typer.Option("--participant", "-p", help="A participant (repeat).")
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue the latest unfinished session: its answers are offered as defaults "
            "(with --yes: written as they are).",
        ),
    ] = False,
    draft: Annotated[
        bool, typer.Option("--draft", help="Write to _drafts/ instead of _posts/.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing post (a backup is kept).")
    ] = False,
    edit: Annotated[
        bool,
        typer.Option("--edit", help="Open the rendered post in your editor before it is written."),
    ] = False,
    template: TemplateOption = None,
    blog: BlogOption = None,
) -> None:
    """Write the day's post: ask for the record (defaults from history), preview, write."""
    from studylog import drafts, newpost
    from studylog.blog import resolve_blog

    settings = _settings(template)
    blog_dir = resolve_blog(blog, settings.blog)
    given = _given(from_file, date, day, title, moderator, participant)
    session = drafts.latest(blog_dir) if resume else _fresh_session(blog_dir)
    if yes:
        given = {**session.fields, **given}
    interactive = not yes and _interactive()
    asking = not yes and bool(newpost.missing(given))
    if asking and not interactive:
        fields = ", ".join(newpost.missing(given))
        raise UsageError(
            f"no terminal to ask for {fields}: pass them with --from FILE or flags, "
            "or add --yes to take the defaults"
        )
    # Without prompts only the gaps need defaults: a complete --from reads no post at all.
    defaults = newpost.defaults_for(given, blog_dir, settings, complete=asking)
    with _keeping(session, signals=interactive):
        if asking:
            given = _ask(given, defaults, settings, blog_dir, session)
        entry = newpost.fill(given, defaults)
        _write_entry(
            entry, settings, blog_dir, draft=draft, force=force, confirm=interactive, edit=edit
        )
    session.remove()  # only now: the post is durably written


def _given(
    from_file: str | None,
    date: str | None,
    day: int | None,
    title: str | None,
    moderator: str | None,
    participants: list[str] | None,
) -> dict[str, Any]:
    """The fields from --from and the flags (the flags win)."""
    from studylog import newpost
    from studylog.model import check_name, check_title, parse_date

    flags = {
        "date": _flag(parse_date, date, None, "--date") if date else None,
        "day": day,
        "title": _flag(check_title, title, "--title") if title is not None else None,
        "moderator": _flag(check_name, moderator, "--moderator") if moderator is not None else None,
        "participants": [_flag(check_name, p, "--participant") for p in participants]
        if participants
        else None,
    }
    given = newpost.read_from(from_file) if from_file else {}
    given.update({k: v for k, v in flags.items() if v is not None})
    return given


NEW_RESUME = "studylog new --resume"


def _fresh_session(blog_dir: Path, editing: Path | None = None, resume: str = NEW_RESUME) -> Draft:
    """A new draft (of a new post, or editing one); the hint when earlier ones were left."""
    from studylog import drafts

    waiting = drafts.find(blog_dir, editing)
    if waiting:
        more = f" (and {len(waiting) - 1} older)" if len(waiting) > 1 else ""
        _echo(
            f"a draft {drafts.describe(waiting[0])} is waiting{more}: `{resume}` continues it",
            err=True,
        )
    return drafts.Draft.start(blog_dir, editing)


def _ask(
    given: dict[str, Any], defaults: Defaults, settings: Settings, blog_dir: Path, session: Draft
) -> dict[str, Any]:
    """The prompts, offering the draft's answers and saving every new one to it."""
    from studylog import newpost, prompts

    def day_for(date: dt.date) -> int:
        return newpost.defaults_for({**given, "date": date}, blog_dir, settings).day

    return prompts.collect(
        given,
        defaults,
        settings,
        previous=session.fields,
        on_answer=_autosave(session),
        day_for=day_for,
    )


def _autosave(session: Draft) -> Callable[[dict[str, Any]], None]:
    """Save the draft after every answer; a draft that cannot be saved is reported once."""
    from studylog.errors import DraftError

    failed: list[str] = []

    def save(fields: dict[str, Any]) -> None:
        try:
            session.save(fields)
        except DraftError as exc:
            if not failed:
                failed.append(exc.message)
                _console(stderr=True).print(
                    f"warning: {exc.message}; answers are not being saved", markup=False
                )

    return save


@contextmanager
def _keeping(session: Draft, *, signals: bool, resume: str = NEW_RESUME) -> Iterator[None]:
    """Ctrl-C, Ctrl-D, SIGTERM, SIGHUP or a failed write: the error says where the answers are."""
    from studylog.errors import Interrupted

    try:
        if signals:
            from studylog import prompts

            with prompts.stop_on_signals():
                yield
        else:
            yield
    except KeyboardInterrupt:
        raise Interrupted(_where_kept("interrupted", session, resume)) from None
    except Interrupted as exc:
        exc.message = _where_kept(exc.message, session, resume)
        raise
    except StudylogError as exc:
        if session.is_saved():
            exc.message += f"; your answers are kept: `{resume}` continues"
        raise


def _where_kept(what: str, session: Draft, resume: str) -> str:
    if session.is_saved():
        return f"{what}: draft saved, resume with `{resume}`"
    return f"{what}: no answer yet, so no draft was saved"


def _flag(check, *args):  # type: ignore[no-untyped-def]
    """A flag's value through its check; a bad value is a usage error (exit 2)."""
    from studylog.errors import EntryError

    try:
        return check(*args)
    except EntryError as exc:
        raise UsageError(exc.message) from exc


def _write_entry(
    entry, settings, blog_dir: Path, *, draft: bool, force: bool, confirm: bool, edit: bool = False
) -> None:
    from studylog import newpost
    from studylog.render import render, template_source

    text = render(entry, settings, template_source(settings, blog_dir))
    path = newpost.target(blog_dir, entry, settings, draft=draft)
    kept = None
    if edit:
        text, kept = _in_editor(text, path, blog_dir, settings, interactive=confirm)
    try:
        warnings = newpost.vet(blog_dir, path, text)
        if confirm:
            from studylog import prompts

            _preview(text)
            if not prompts.confirm(f"Write {path}?"):
                raise StudylogError("not written: nothing was changed")
        backup = newpost.write(path, text, force=force)
    except StudylogError as exc:
        if kept is not None:
            exc.message += f"; the edited post is kept in {kept}"
        raise
    if kept is not None:
        kept.unlink(missing_ok=True)
    _say_written(path, backup, [newpost.future_warning(entry), *warnings])


def _say_written(path: Path, backup: Path | None, warnings: list[str | None]) -> None:
    for warning in warnings:
        if warning:
            _echo(warning, err=True, label="warning:", color="yellow")
    if backup:
        _echo(f"replaced {path}; the old version is kept at {backup}", err=True)
    _echo(f"Wrote {path}")


def _in_editor(
    text: str,
    path: Path,
    blog_dir: Path,
    settings: Settings,
    *,
    interactive: bool,
    unchanged_ok: bool = False,
) -> tuple[str, Path | None]:
    """The text as saved in the editor, and the file holding it; reopened on a problem in a TTY.

    With `unchanged_ok`, an unchanged text comes back with no file (nothing to write).
    """
    from studylog import editor, paths
    from studylog.errors import EditorError

    command, current, kept = editor.command(settings.editor), text, None
    while True:
        result = editor.edit(current, command, paths.edits_dir(), prefix=f"{path.stem}-")
        if kept is not None:
            kept.unlink(missing_ok=True)  # the new file holds all the old one did
        kept = result.path
        if result.error:
            raise EditorError(f"{result.error}: nothing was written; the text is kept in {kept}")
        if unchanged_ok and result.text == text:
            kept.unlink(missing_ok=True)
            return text, None
        problem = _editor_problem(result.text, text, path, blog_dir)
        if problem is None:
            return result.text, kept
        if not _reopen(problem, kept, interactive):
            raise StudylogError(f"{problem}: nothing was written; the text is kept in {kept}")
        current = result.text if result.text.strip() else text


def _editor_problem(edited: str, original: str, path: Path, blog_dir: Path) -> str | None:
    """Why the editor's text cannot be written (empty, unchanged, an error `check` finds)."""
    from studylog import check, editpost

    if not edited.strip():
        return "the editor left the post empty"
    if edited == original:
        return "the editor left the post unchanged"
    found = editpost.findings(blog_dir, path, edited)
    errors = [f for f in found if f.severity == check.ERROR]
    if not errors:
        return None
    _print_findings(check.Report(1, errors))
    return f"{path.name} would not build right ({errors[0].message})"


def _reopen(problem: str, kept: Path, interactive: bool) -> bool:
    """In a terminal, whether to open the editor again; Ctrl-C says where the text is."""
    if not interactive:
        return False
    from studylog import prompts

    try:
        return prompts.confirm(f"{problem}. Open the editor again?")
    except StudylogError as exc:
        exc.message += f"; the text is kept in {kept}"
        raise


def _preview(text: str) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel

    from studylog.parse import display_body

    body = text.split("\n---\n", 1)[-1]
    _console().print(Panel(Markdown(display_body(body)), title="preview"))


@app.command("config")
def config_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    path: Annotated[
        bool, typer.Option("--path", help="Print only the config file's path.")
    ] = False,
) -> None:
    """Show the effective configuration and where each value came from."""
    from studylog import paths
    from studylog.config import effective

    if path:
        typer.echo(str(paths.config_file()))
        return
    rows = effective(_settings())
    if as_json:
        import json

        data = {key: {"value": _plain(value), "source": source} for key, value, source in rows}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from studylog.display import row, table

    console = _console()
    shown = table(
        "key",
        "value",
        "source",
        title=f"studylog config ({paths.config_file()})",
        plain=not console.is_terminal,
    )
    for key, value, source in rows:
        shown.add_row(*row(key, _plain(value), source))
    console.print(shown)


# --- reader: list, show, search ---

LIST_COLUMNS = ["date", "day", "title", "moderator", "participants", "Q&As", "state"]


def _color() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


@app.command("list")
def list_cmd(
    since: Annotated[
        str | None, typer.Option(help="Only posts on or after this date (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only posts on or before this date (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=0, help="At most this many posts (the newest).")
    ] = None,
    moderator: Annotated[str | None, typer.Option(help="Only posts this person moderated.")] = None,
    participant: Annotated[
        str | None, typer.Option(help="Only posts this person took part in.")
    ] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include _drafts/.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a listed post cannot be read.")
    ] = False,
    blog: BlogOption = None,
) -> None:
    """List the posts, newest first: date, day, title, moderator, participants, Q&As, git state."""
    from studylog import index, states
    from studylog.blog import resolve_blog
    from studylog.errors import BlogError

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    filters = index.Filters(
        _date_option(since, "--since"),
        _date_option(until, "--until"),
        moderator,
        participant,
        limit,
    )
    rows = index.select(index.rows(blog_dir, settings, drafts=drafts), filters)
    git = states.query(blog_dir)
    found = [git.state(r.rel) for r in rows]
    if as_json:
        import json

        listed = [index.row(r, state) for r, state in zip(rows, found, strict=True)]
        typer.echo(json.dumps(listed, ensure_ascii=False, indent=2))
    else:
        _print_list(rows, found, blog_dir)
    broken = sum(1 for r in rows if r.error)
    if strict and broken:
        raise BlogError(f"{broken} of the listed posts cannot be read (their rows say why)")


def _print_list(rows: list[index.Row], found: list[str | None], blog_dir: Path) -> None:
    import shutil

    from studylog.columns import layout

    if not rows:
        _console(stderr=True).print(f"no posts in {blog_dir}", soft_wrap=True)
        return
    cells = [_list_cells(r, state) for r, state in zip(rows, found, strict=True)]
    width = shutil.get_terminal_size(fallback=(1_000_000, 24)).columns  # a pipe: no cutting
    lines = layout(LIST_COLUMNS, cells, width=width, right={1, 4, 5}, flex=2)
    if _color():
        lines[2:] = [
            typer.style(x, fg="red") if r.error else x for x, r in zip(lines[2:], rows, strict=True)
        ]
    typer.echo("\n".join(lines))


def _list_cells(r: index.Row, state: str | None) -> list[str]:
    if r.error:  # dated by its file name, as an unreadable post's row is
        return [r.iso, "", f"{r.rel}: {r.error}"]
    return [
        r.iso,
        "" if r.day is None else str(r.day),
        r.title,
        r.moderator,
        str(len(r.participants)),
        str(r.questions),
        state or "",
    ]


@app.command()
def show(
    post: Annotated[
        str, typer.Argument(help="The post: a path, a date (YYYY-MM-DD) or a day (13).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the entry as JSON (what `new --from` reads).")
    ] = False,
    raw: Annotated[bool, typer.Option("--raw", help="Print the file as it is.")] = False,
    blog: BlogOption = None,
) -> None:
    """Show a post: its front matter on top, then its body as Markdown."""
    from studylog.blog import find_post, resolve_blog
    from studylog.parse import read_post

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    path = find_post(blog_dir, post)
    if raw:
        typer.echo(path.read_bytes(), nl=False)
        return
    entry = read_post(path, settings)
    if as_json:
        import json

        typer.echo(json.dumps(entry.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    _print_post(entry, path, blog_dir)


def _print_post(entry, path: Path, blog_dir: Path) -> None:
    from rich.markdown import Markdown
    from rich.table import Table

    from studylog.display import row
    from studylog.parse import display_body, read_text, split_front

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    shown = path.relative_to(blog_dir) if path.is_relative_to(blog_dir) else path
    summary.add_row(*row("file", shown))
    for key, value in entry.front_matter.items():
        if key != "defaults":
            summary.add_row(*row(key, _front_value(value)))
    console = _console()
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


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What to find (case-insensitive).")],
    regex: Annotated[
        bool, typer.Option("--regex", help="TEXT is a regular expression (Python syntax).")
    ] = False,
    drafts: Annotated[bool, typer.Option("--drafts", help="Search _drafts/ too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of hits.")] = False,
    blog: BlogOption = None,
) -> None:
    """Find TEXT in the questions, answers, mentoring and topics of every post."""
    from studylog import search as finder
    from studylog.blog import resolve_blog
    from studylog.display import count

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    pattern = finder.compile_pattern(text, regex=regex)
    hits, errors = finder.find(blog_dir, settings, pattern, regex=regex, drafts=drafts)
    if errors:
        _console(stderr=True).print(
            f"[yellow]warning:[/] skipped {count(len(errors), 'unreadable post')} "
            "(`studylog list` shows why)",
            soft_wrap=True,
        )
    if as_json:
        import json

        data = [finder.hit_dict(h, blog_dir) for h in hits]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_hits(hits)


def _print_hits(hits) -> None:
    from rich.text import Text

    console = _console()
    if not hits:
        _console(stderr=True).print("no match")
        return
    for hit in hits:
        where = hit.section + (f" {hit.number}" if hit.number else "")
        line = Text(f"{hit.date}  Day {hit.day}  {where}: ", style="dim")
        found = Text(hit.line)
        for start, end in hit.spans:
            found.stylize("bold reverse", start, end)
        console.print(line + found, soft_wrap=True)


# --- publish ---


@app.command("publish")
def publish_cmd(
    posts: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="POST",
            help="Posts to publish: path, date or course day; a _drafts/ file is promoted "
            "(default: every new or modified post under _posts/).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be committed and pushed.")
    ] = False,
    no_push: Annotated[bool, typer.Option("--no-push", help="Commit only; do not push.")] = False,
    message: Annotated[
        str | None,
        typer.Option("--message", "-m", help="The commit message (default: commit_message)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(help="A promoted draft's date: YYYY-MM-DD, today, yesterday."),
    ] = None,
    blog: BlogOption = None,
) -> None:
    """Commit new or modified posts (with their images) and push them, never forcing."""
    from studylog import publish as pub
    from studylog.blog import resolve_blog
    from studylog.model import parse_date

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    when = parse_date(date) if date else None
    plan = pub.prepare(blog_dir, posts or [], settings, date=when, message=message)
    if dry_run:  # plain lines: typer.echo, not rich (whose import costs what a commit does)
        typer.echo(pub.describe(plan, push=not no_push))
        return
    sha = pub.commit(plan)
    if sha:
        typer.echo(pub.describe_commit(plan, sha))
    pushed = None
    if not no_push and plan.push_needed(committed=sha is not None):
        with _spinner(f"Pushing to {plan.target or 'the remote'}…"):
            pushed = pub.send(plan, committed=sha is not None)
    if pushed and not pushed.up_to_date:
        typer.echo(pub.describe_push(pushed))
    elif not sha:
        typer.echo("nothing to publish")


def _spinner(text: str):  # type: ignore[no-untyped-def]
    import contextlib

    if not sys.stderr.isatty():  # a pipe or a CI log gets no animation, whatever FORCE_COLOR says
        return contextlib.nullcontext()
    return _console(stderr=True).status(text)


# --- check ---


@app.command("check")
def check_cmd(
    posts: Annotated[
        list[str] | None,
        typer.Argument(
            help="Posts to check: a path, a date or a course day (default: every post and draft).",
            metavar="POST",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    blog: BlogOption = None,
) -> None:
    """Find what Jekyll would skip, misread or fail on; exit 1 on errors, 0 with warnings only."""
    from studylog import check
    from studylog.blog import find_post, resolve_blog

    blog_dir = resolve_blog(blog, _settings().blog)
    chosen = [find_post(blog_dir, spec) for spec in posts] if posts else None
    report = check.check_blog(blog_dir, chosen)
    if as_json:
        import dataclasses
        import json

        findings = [dataclasses.asdict(f) for f in report.findings]
        data = {"checked": report.checked, "errors": report.errors, "warnings": report.warnings}
        typer.echo(json.dumps({**data, "findings": findings}, ensure_ascii=False, indent=2))
    else:
        _print_findings(report)
    if report.errors:
        raise typer.Exit(1)


def _print_findings(report) -> None:  # type: ignore[no-untyped-def]
    from rich.text import Text

    from studylog.display import count, row, table

    console = _console()
    plain = not console.is_terminal
    if report.findings:
        shown = table("file", "severity", "problem and fix", plain=plain)
        for column in shown.columns:
            column.overflow = "fold"  # a path or message is never cut short
        for finding in report.findings:
            cells = row(finding.path, finding.severity, finding.message)
            if not plain:
                cells[1].stylize("red" if finding.severity == "error" else "yellow")
            shown.add_row(*cells)
        console.print(shown)
    found = f"{count(report.errors, 'error')}, {count(report.warnings, 'warning')}"
    summary = found if report.findings else "no problems"
    console.print(Text(f"Checked {count(report.checked, 'post')}: {summary}"))


# --- stats, edit, template ---


@app.command("stats")
def stats_cmd(
    since: Annotated[
        str | None,
        typer.Option(
            help="The period's first day: YYYY-MM-DD, today, yesterday (default: first post)."
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            help="The period's last day: YYYY-MM-DD, today, yesterday (default: last post)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    blog: BlogOption = None,
) -> None:
    """Posts and Q&As a week, attendance, the moderator rotation, the longest streak, the gaps."""
    from studylog import newpost, stats
    from studylog.blog import resolve_blog

    settings = _settings()
    history = newpost.history(resolve_blog(blog, settings.blog), settings)
    counts = {s.path: s.questions for s in history}  # from the reader's index
    first, last = _date_option(since, "--since"), _date_option(until, "--until")
    result = stats.compute(history, counts, settings, first, last)
    if as_json:
        import json

        typer.echo(json.dumps(stats.as_json(result), ensure_ascii=False, indent=2))
        return
    from studylog.display import stats_view

    console = _console()
    for i, renderable in enumerate(stats_view(result, plain=not console.is_terminal)):
        console.print(*([""] if i else []), renderable, sep="\n")


def _date_option(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    from studylog.errors import EntryError
    from studylog.model import parse_date

    try:
        return parse_date(value)
    except EntryError as exc:
        raise UsageError(
            f"{flag} {value!r} is not a date: use YYYY-MM-DD, today or yesterday"
        ) from exc


@app.command("edit")
def edit_cmd(
    post: Annotated[
        str, typer.Argument(help="The post: a path, a date (YYYY-MM-DD) or a day (13).")
    ],
    from_file: Annotated[
        str | None,
        typer.Option("--from", help="Replace the fields in this YAML or JSON file ('-': stdin)."),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Ask nothing: rewrite with --from, no confirmation.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Continue an interrupted edit of this post: its answers are offered."
        ),
    ] = False,
    in_editor: Annotated[
        bool,
        typer.Option("--editor", help="Open the file in your editor instead; check it afterwards."),
    ] = False,
    template: TemplateOption = None,
    blog: BlogOption = None,
) -> None:
    """Edit a post: the questions of `new`, each pre-filled from it; rewritten with a backup."""
    import shlex

    from studylog import drafts, editpost, newpost
    from studylog.blog import find_post, resolve_blog

    settings = _settings(template)
    blog_dir = resolve_blog(blog, settings.blog)
    if in_editor:
        if from_file or yes or resume:
            raise UsageError("--editor edits the file itself: leave out --from, --yes and --resume")
        _edit_file(find_post(blog_dir, post), settings, blog_dir)
        return
    opened = editpost.open_post(blog_dir, post, settings)
    given = newpost.read_from(from_file) if from_file else {}
    hint = f"studylog edit {shlex.quote(post)} --resume"
    session = (
        drafts.latest(blog_dir, opened.path)
        if resume
        else _fresh_session(blog_dir, opened.path, hint)
    )
    interactive = not yes and _interactive()
    if not yes and not interactive:
        raise UsageError(
            "no terminal to ask or confirm: add --yes to rewrite the post "
            "(with the --from fields; the rest as they are)"
        )
    with _keeping(session, signals=interactive, resume=hint):
        answers = {**session.fields, **given}
        if interactive:
            answers = _ask_edit(given, opened, settings, blog_dir, session)
        entry = editpost.revise(opened.entry, answers)
        _rewrite(opened, entry, settings, blog_dir, confirm=interactive)
    session.remove()  # only now: the post is durably rewritten


def _ask_edit(given: dict[str, Any], opened, settings, blog_dir: Path, session: Draft):  # type: ignore[no-untyped-def]
    """The prompts of `new`, every answer offered from the post (or the interrupted edit)."""
    from studylog import editpost, newpost, prompts

    def day_for(date: dt.date) -> int:
        return newpost.defaults_for({"date": date}, blog_dir, settings).day

    return prompts.collect(
        given,
        editpost.defaults_of(opened.entry, blog_dir, settings),
        settings,
        previous={**editpost.fields_of(opened.entry), **session.fields},
        on_answer=_autosave(session),
        day_for=day_for,
    )


def _rewrite(opened, entry, settings, blog_dir: Path, *, confirm: bool) -> None:  # type: ignore[no-untyped-def]
    from studylog import editpost, newpost
    from studylog.render import render, template_source

    text = render(entry, settings, template_source(settings, blog_dir))
    target = editpost.destination(opened.path, opened.entry, entry, settings)
    warnings = newpost.vet(blog_dir, target, text)
    if confirm:
        from studylog import prompts

        _preview(text)
        moved = "" if target == opened.path else f" as {target}"
        if not prompts.confirm(f"Rewrite {opened.path}{moved}?"):
            raise StudylogError("not written: nothing was changed")
    done = editpost.rewrite(opened.path, opened.original, target, text)
    if done.renamed_from:
        _console(stderr=True).print(
            f"renamed {done.renamed_from} to {done.path} (its date or day changed); "
            f"the old version is kept at {done.backup}",
            markup=False,
        )
    _say_written(done.path, None if done.renamed_from else done.backup, [*warnings])


def _edit_file(path: Path, settings: Settings, blog_dir: Path) -> None:
    """`edit --editor`: the file in the editor, checked, then written back with a backup."""
    from studylog import editpost
    from studylog.parse import decode

    original = editpost.read_bytes(path)
    text = decode(original, path)  # a post that is not UTF-8 is refused, never garbled
    edited, kept = _in_editor(
        text, path, blog_dir, settings, interactive=_interactive(), unchanged_ok=True
    )
    if kept is None:
        _console(stderr=True).print(f"no change: {path} is as it was", markup=False)
        return
    try:
        backup = editpost.rewrite(path, original, path, editpost.touched(edited)).backup
    except StudylogError as exc:
        exc.message += f"; your edited text is kept in {kept}"
        raise
    kept.unlink(missing_ok=True)
    warnings = [f.message for f in editpost.findings(blog_dir, path, edited)]
    _say_written(path, backup, [*warnings])


template_app = typer.Typer(
    cls=_Group,
    help="Show the post template in use, or copy the default one to make it yours.",
    no_args_is_help=True,
)
app.add_typer(template_app, name="template")


@template_app.command("show")
def template_show(template: TemplateOption = None, blog: BlogOption = None) -> None:
    """Print the template in use; which one it is and why go to stderr."""
    from studylog.blog import resolve_blog
    from studylog.render import choose_template

    settings = _settings(template)
    chosen = choose_template(settings, resolve_blog(blog, settings.blog))
    _console(stderr=True).print(f"template: {chosen.name} ({chosen.source})", markup=False)
    typer.echo(chosen.text, nl=False)


@template_app.command("init")
def template_init(
    in_blog: Annotated[
        bool,
        typer.Option(
            "--in-blog", help="Copy into the blog's .studylog/ instead of the config directory."
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing template (a backup is kept).")
    ] = False,
    blog: BlogOption = None,
) -> None:
    """Copy the default template into the config directory (or the blog) to edit it."""
    from studylog.blog import resolve_blog, write_new
    from studylog.render import BLOG_TEMPLATE, builtin_template, user_template_path

    settings = _settings()
    target = resolve_blog(blog, settings.blog) / BLOG_TEMPLATE if in_blog else user_template_path()
    backup = write_new(target, builtin_template("default"), force=force)
    err = _console(stderr=True)
    if backup:
        err.print(f"replaced {target}; the old version is kept at {backup}", markup=False)
    if settings.sources["template"] != "default":
        err.print(
            f"[yellow]note:[/] the 'template' key in {_literal(settings.sources['template'])} "
            f"selects {_literal(repr(settings.template))}: remove it for this file to be used"
        )
    _console().print(f"Wrote {target}", markup=False)


def _plain(value):
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return value


def run() -> None:
    """Run the app; an internal bug becomes a short message and a crash log, not a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        _echo("", err=True, label="interrupted", color="red")
        sys.exit(130)
    except Exception:  # an internal bug: short message, full traceback in a file
        sys.exit(_crash_report())


def _crash_report() -> int:
    import datetime as dt
    import traceback

    from studylog import paths

    log = paths.state_dir() / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"the full traceback is in {log}"
    except OSError:
        where = "the traceback could not be saved"
    _echo(
        f"({sys.exc_info()[1]!r}); {where}",
        err=True,
        label="internal error in studylog",
        color="red",
    )
    return 70

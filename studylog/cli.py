"""The command line: one thin function per command; the only place that prints errors and exits."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core

from studylog.errors import StudylogError, UsageError

if TYPE_CHECKING:  # imported lazily at run time: start-up stays quick
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
                _console(stderr=True).print(f"[red]error:[/] {exc.message}", soft_wrap=True)
            ctx.exit(exc.exit_code)


app = typer.Typer(
    name="studylog",
    cls=_Group,
    help="Write, list and publish the daily study-log posts of a Jekyll blog.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)

BlogOption = Annotated[
    Path | None,
    typer.Option(
        "--blog", help="The blog directory (default: $STUDYLOG_BLOG, cwd, config, built-in)."
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


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _settings():
    from studylog.config import load_settings

    return load_settings()


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
    blog: BlogOption = None,
) -> None:
    """Write the day's post: ask for the record (defaults from history), preview, write."""
    from studylog import drafts, newpost
    from studylog.blog import resolve_blog

    settings = _settings()
    blog_dir = resolve_blog(blog, settings.blog)
    given = _given(from_file, date, day, title, moderator, participant)
    session = drafts.latest(blog_dir) if resume else _fresh_session(blog_dir)
    if yes:
        given = {**session.fields, **given}
    defaults = newpost.defaults_for(given, blog_dir, settings)
    interactive = not yes and _interactive()
    asking = not yes and bool(newpost.missing(given))
    if asking and not interactive:
        fields = ", ".join(newpost.missing(given))
        raise UsageError(
            f"no terminal to ask for {fields}: pass them with --from FILE or flags, "
            "or add --yes to take the defaults"
        )
    with _keeping(session, signals=interactive):
        if asking:
            given = _ask(given, defaults, settings, blog_dir, session)
        entry = newpost.fill(given, defaults)
        _write_entry(entry, settings, blog_dir, draft=draft, force=force, confirm=interactive)
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
    from studylog.model import check_name, parse_date

    given = newpost.read_from(from_file) if from_file else {}
    flags = {
        "date": parse_date(date) if date else None,
        "day": day,
        "title": title,
        "moderator": check_name(moderator, "--moderator") if moderator is not None else None,
        "participants": [check_name(p, "--participant") for p in participants]
        if participants
        else None,
    }
    given.update({k: v for k, v in flags.items() if v is not None})
    return given


def _fresh_session(blog_dir: Path) -> Draft:
    """A new draft; the hint when earlier sessions left drafts behind."""
    from studylog import drafts

    waiting = drafts.find(blog_dir)
    if waiting:
        more = f" (and {len(waiting) - 1} older)" if len(waiting) > 1 else ""
        _console(stderr=True).print(
            f"a draft {drafts.describe(waiting[0])} is waiting{more}: "
            "`studylog new --resume` continues it",
            markup=False,
            soft_wrap=True,
        )
    return drafts.Draft.start(blog_dir)


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
def _keeping(session: Draft, *, signals: bool) -> Iterator[None]:
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
        raise Interrupted(_where_kept("interrupted", session)) from None
    except Interrupted as exc:
        exc.message = _where_kept(exc.message, session)
        raise
    except StudylogError as exc:
        if session.is_saved():
            exc.message += "; your answers are kept: `studylog new --resume` continues"
        raise


def _where_kept(what: str, session: Draft) -> str:
    if session.is_saved():
        return f"{what}: draft saved, resume with `studylog new --resume`"
    return f"{what}: no answer yet, so no draft was saved"


def _write_entry(
    entry, settings, blog_dir: Path, *, draft: bool, force: bool, confirm: bool
) -> None:
    from studylog import newpost
    from studylog.render import render

    text = render(entry, settings)
    path = newpost.target(blog_dir, entry, settings, draft=draft)
    if confirm:
        from studylog import prompts

        _preview(text)
        if not prompts.confirm(f"Write {path}?"):
            raise StudylogError("not written: nothing was changed")
    backup = newpost.write(path, text, force=force)
    err = _console(stderr=True)
    if warning := newpost.future_warning(entry):
        err.print(f"[yellow]warning:[/] {warning}")
    if backup:
        err.print(f"replaced {path}; the old version is kept at {backup}")
    _console().print(f"Wrote {path}")


def _preview(text: str) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel

    body = text.split("\n---\n", 1)[-1]
    _console().print(Panel(Markdown(body), title="preview"))


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
    from rich.table import Table

    table = Table(title=f"studylog config ({paths.config_file()})")
    for column in ("key", "value", "source"):
        table.add_column(column)
    for key, value, source in rows:
        table.add_row(key, str(_plain(value)), source)
    _console().print(table)


# --- reader: list, show, search ---


# --- publish ---


# --- check ---


# --- stats, edit, template ---


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
        _console(stderr=True).print("[red]interrupted[/]")
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
    _console(stderr=True).print(
        f"[red]internal error in studylog[/] ({sys.exc_info()[1]!r}); {where}"
    )
    return 70

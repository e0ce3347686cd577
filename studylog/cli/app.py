"""The command line: the typer app and its commands, each handing its options to one function of
`studylog.cli.commands`; and `_App.main`, the one place where a command line ends in an exit code.

A command's module is imported when the command runs, not here: `studylog --version`, `--help`
and shell completion then load typer alone, not the renderer, the reader and git of every command.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from typing import Annotated, Any

import typer
import typer.core

from studylog import __version__, paths
from studylog.cli import groups, output
from studylog.cli.options import BlogOption, TemplateOption
from studylog.errors import StudylogError

INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for Ctrl-C
INTERNAL_ERROR = 70  # EX_SOFTWARE of sysexits.h


class _App(groups.Summaries):
    """The studylog group: its `main` runs every command line, a process's or a test's."""

    # `studylog --help` lists the commands in the order of a day's work.
    order = (
        "new",
        "list",
        "show",
        "search",
        "edit",
        "check",
        "publish",
        "stats",
        "drafts",
        "template",
        "config",
    )

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run a command line; every way it can end becomes a message and an exit code here.

        typer answers what is its own: a usage error (exit 2), `--help`, and inside a command
        Ctrl-C (exit 130) and a closed pipe (`studylog list | head`: exit 1, quietly).
        """
        try:
            return super().main(*args, **kwargs)
        except StudylogError as exc:  # a problem the user can fix
            _say_error(exc.message)
            sys.exit(exc.exit_code)
        except output.Exit as exc:  # the command has printed why (`check`'s errors)
            sys.exit(exc.code)
        except KeyboardInterrupt:  # Ctrl-C outside a command: as inside one
            sys.exit(INTERRUPTED)
        except Exception as exc:  # a bug: a short message, the traceback in a file
            _report_crash(exc)
            sys.exit(INTERNAL_ERROR)


def _say_error(message: str) -> None:
    """One red-labelled line on stderr; nothing when the terminal is gone (a hangup)."""
    try:
        output.echo(message, err=True, label="error:", color="red")
    except OSError:
        pass


def _report_crash(exc: Exception) -> None:
    """Save the traceback under the state directory and say where, in one line."""
    log = paths.state_dir() / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where = f"the full traceback is in {log}"
    except OSError:
        where = "the traceback could not be saved"
    output.echo(f"({exc!r}); {where}", err=True, label="internal error in studylog", color="red")


app = typer.Typer(
    name="studylog",
    cls=_App,
    help="Write, list and publish the daily study-log posts of a Jekyll blog.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help, as the README shows it
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"studylog {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Write, list and publish the daily study-log posts of a Jekyll blog."""


@app.command("new")
def new_cmd(
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="Read the entry's fields from a YAML or JSON file ('-': stdin).",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Ask nothing: take defaults for missing fields, write."),
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="The post's date: YYYY-MM-DD, today, yesterday."),
    ] = None,
    day: Annotated[
        int | None,
        typer.Option(metavar="N", help="The course day (default: counted from history)."),
    ] = None,
    title: Annotated[
        str | None, typer.Option(metavar="TEXT", help="The title (default: the title pattern).")
    ] = None,
    moderator: Annotated[
        str | None, typer.Option(metavar="NAME", help="The peer session's moderator.")
    ] = None,
    participant: Annotated[
        list[str] | None,
        typer.Option("--participant", "-p", metavar="NAME", help="A participant (repeat)."),
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
    from studylog.cli.commands import new

    new.new(
        from_file=from_file,
        yes=yes,
        date=date,
        day=day,
        title=title,
        moderator=moderator,
        participant=participant,
        resume=resume,
        draft=draft,
        force=force,
        edit=edit,
        template=template,
        blog=blog,
    )


@app.command("list")
def list_cmd(
    since: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Only posts on or after this date (YYYY-MM-DD)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Only posts on or before this date (YYYY-MM-DD)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=0, metavar="N", help="At most this many posts (the newest).")
    ] = None,
    moderator: Annotated[
        str | None, typer.Option(metavar="NAME", help="Only posts this person moderated.")
    ] = None,
    participant: Annotated[
        str | None, typer.Option(metavar="NAME", help="Only posts this person took part in.")
    ] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Include _drafts/.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a listed post cannot be read.")
    ] = False,
    blog: BlogOption = None,
) -> None:
    """List the posts, newest first: date, day, title, moderator, participants, Q&As, git state."""
    from studylog.cli.commands import listing

    listing.list_posts(
        since=since,
        until=until,
        limit=limit,
        moderator=moderator,
        participant=participant,
        drafts=drafts,
        as_json=as_json,
        strict=strict,
        blog=blog,
    )


@app.command(cls=groups.Command)
def show(
    post: Annotated[
        str,
        typer.Argument(metavar="POST", help="The post: a path, a date (YYYY-MM-DD) or a day (13)."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the entry as JSON (what `new --from` reads).")
    ] = False,
    raw: Annotated[bool, typer.Option("--raw", help="Print the file as it is.")] = False,
    blog: BlogOption = None,
) -> None:
    """Show a post: its front matter on top, then its body as Markdown."""
    from studylog.cli.commands import show as show_command

    show_command.show(post=post, as_json=as_json, raw=raw, blog=blog)


@app.command(cls=groups.Command)
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What to find (case-insensitive).")],
    regex: Annotated[
        bool, typer.Option("--regex", help="TEXT is a regular expression (Python syntax).")
    ] = False,
    drafts: Annotated[bool, typer.Option("--drafts", help="Search _drafts/ too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of hits.")] = False,
    blog: BlogOption = None,
) -> None:
    """Find TEXT in the questions, answers, mentoring and topics of every post."""
    from studylog.cli.commands import search as search_command

    search_command.search(text=text, regex=regex, drafts=drafts, as_json=as_json, blog=blog)


@app.command("publish")
def publish_cmd(
    posts: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="POST...",
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
        typer.Option(
            "--message", "-m", metavar="TEXT", help="The commit message (default: commit_message)."
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="A promoted draft's date: YYYY-MM-DD, today, yesterday."),
    ] = None,
    blog: BlogOption = None,
) -> None:
    """Commit new or modified posts (with their images) and push them, never forcing."""
    from studylog.cli.commands import publish

    publish.publish(
        posts=posts, dry_run=dry_run, no_push=no_push, message=message, date=date, blog=blog
    )


@app.command("check")
def check_cmd(
    posts: Annotated[
        list[str] | None,
        typer.Argument(
            help="Posts to check: a path, a date or a course day (default: every post and draft).",
            metavar="POST...",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    blog: BlogOption = None,
) -> None:
    """Find what Jekyll would skip, misread or fail on; exit 1 on errors, 0 with warnings only."""
    from studylog.cli.commands import check

    check.check(posts=posts, as_json=as_json, blog=blog)


@app.command("stats")
def stats_cmd(
    since: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="The period's first day: YYYY-MM-DD, today, yesterday (default: first post).",
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="The period's last day: YYYY-MM-DD, today, yesterday (default: last post).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    blog: BlogOption = None,
) -> None:
    """Posts and Q&As a week, attendance, the moderator rotation, the longest streak, the gaps."""
    from studylog.cli.commands import stats

    stats.stats(since=since, until=until, as_json=as_json, blog=blog)


@app.command("edit", cls=groups.Command)
def edit_cmd(
    post: Annotated[
        str,
        typer.Argument(metavar="POST", help="The post: a path, a date (YYYY-MM-DD) or a day (13)."),
    ],
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="Replace the fields in this YAML or JSON file ('-': stdin).",
        ),
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
    from studylog.cli.commands import edit

    edit.edit(
        post=post,
        from_file=from_file,
        yes=yes,
        resume=resume,
        in_editor=in_editor,
        template=template,
        blog=blog,
    )


app.add_typer(groups.template_app, name="template")
app.add_typer(groups.drafts_app, name="drafts")
app.add_typer(groups.config_app, name="config")


def run() -> None:
    """The `studylog` command."""
    app()

"""The command line: typer's declarations of the commands, each handing its options to its module
in `studylog.commands`; the one place where errors become messages and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
import typer.core

from studylog.cli import output
from studylog.errors import StudylogError


class _Group(typer.core.TyperGroup):
    """Turns StudylogError into one red line on stderr and its exit code, for every command."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except StudylogError as exc:
            ctx.exit(output.fail(exc))
        except output.Exit as exc:
            ctx.exit(exc.code)


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
    from studylog.post.render import BUILTIN_TEMPLATES

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
    from studylog.cli.commands.new import new

    new(
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


@app.command("config")
def config_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    path: Annotated[
        bool, typer.Option("--path", help="Print only the config file's path.")
    ] = False,
) -> None:
    """Show the effective configuration and where each value came from."""
    from studylog.cli.commands.config import config

    config(as_json=as_json, path=path)


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
    from studylog.cli.commands.reader import list_posts

    list_posts(
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
    from studylog.cli.commands.reader import show

    show(post=post, as_json=as_json, raw=raw, blog=blog)


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
    from studylog.cli.commands.reader import search

    search(text=text, regex=regex, drafts=drafts, as_json=as_json, blog=blog)


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
    from studylog.cli.commands.publish import publish

    publish(posts=posts, dry_run=dry_run, no_push=no_push, message=message, date=date, blog=blog)


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
    from studylog.cli.commands.check import check

    check(posts=posts, as_json=as_json, blog=blog)


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
    from studylog.cli.commands.stats import stats

    stats(since=since, until=until, as_json=as_json, blog=blog)


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
    from studylog.cli.commands.edit import edit

    edit(
        post=post,
        from_file=from_file,
        yes=yes,
        resume=resume,
        in_editor=in_editor,
        template=template,
        blog=blog,
    )


template_app = typer.Typer(
    cls=_Group,
    help="Show the post template in use, or copy the default one to make it yours.",
    no_args_is_help=True,
)
app.add_typer(template_app, name="template")


@template_app.command("show")
def template_show(template: TemplateOption = None, blog: BlogOption = None) -> None:
    """Print the template in use; which one it is and why go to stderr."""
    from studylog.cli.commands.config import template_show

    template_show(template=template, blog=blog)


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
    from studylog.cli.commands.config import template_init

    template_init(in_blog=in_blog, force=force, blog=blog)


drafts_app = typer.Typer(
    cls=_Group,
    help="The unfinished `new` and `edit` sessions waiting as drafts: list them, discard them.",
    invoke_without_command=True,
)
app.add_typer(drafts_app, name="drafts")

DraftsJsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON array.")]


@drafts_app.callback()
def drafts_main(
    ctx: typer.Context, as_json: DraftsJsonOption = False, blog: BlogOption = None
) -> None:
    """List the blog's waiting drafts (as `drafts list` does), or run a subcommand."""
    if ctx.invoked_subcommand is not None:
        if as_json or blog is not None:
            from studylog.errors import UsageError

            raise UsageError(f"put the options after `drafts {ctx.invoked_subcommand}`")
        return
    from studylog.cli.commands.drafts import list_drafts

    list_drafts(as_json=as_json, blog=blog)


@drafts_app.command("list")
def drafts_list(as_json: DraftsJsonOption = False, blog: BlogOption = None) -> None:
    """The drafts, newest first: number, when saved, what, answers, the command continuing it."""
    from studylog.cli.commands.drafts import list_drafts

    list_drafts(as_json=as_json, blog=blog)


@drafts_app.command("discard")
def drafts_discard(
    numbers: Annotated[
        list[int] | None,
        typer.Argument(
            metavar="N",
            help="The drafts to discard: their numbers in `studylog drafts`.",
            show_default=False,
        ),
    ] = None,
    all_drafts: Annotated[
        bool, typer.Option("--all", help="Discard every draft of the blog.")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (required without a terminal).")
    ] = False,
    blog: BlogOption = None,
) -> None:
    """Delete drafts (nothing else) by their numbers in the list, or --all; asks first."""
    from studylog.cli.commands.drafts import discard

    discard(numbers=numbers, all_drafts=all_drafts, yes=yes, blog=blog)


def run() -> None:
    """Run the app; an internal bug becomes a short message and a crash log, not a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        output.echo("", err=True, label="interrupted", color="red")
        sys.exit(130)
    except Exception:  # an internal bug: short message, full traceback in a file
        sys.exit(output.crash_report())

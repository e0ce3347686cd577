"""The two command groups, `studylog drafts` and `studylog template`, declared for typer; each
command's module is imported when it runs (see cli/app.py)."""

from __future__ import annotations

from typing import Annotated

import typer
import typer.core
from typer._click import Context, HelpFormatter

from studylog.cli.options import BlogOption, TemplateOption
from studylog.errors import UsageError


class Command(typer.core.TyperCommand):
    """A command whose usage line names a required argument as `POST`, not `{POST}`."""

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        """The usage line's words, a required argument's braces dropped."""
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


WHOLE = 10_000  # a summary's length limit that is never reached: summaries are wrapped, not cut


class Summaries(typer.core.TyperGroup):
    """A group whose help lists its commands in `order` (then as declared), each summary whole."""

    order: tuple[str, ...] = ()

    def list_commands(self, ctx: Context) -> list[str]:
        """The commands' names, those in `order` first, in that order."""
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: self.order.index(n) if n in self.order else WHOLE)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The commands and their whole first sentences, wrapped to the help's width."""
        found = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        rows = [(n, c.get_short_help_str(WHOLE)) for n, c in found if c and not c.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


drafts_app = typer.Typer(
    cls=Summaries,
    help="The unfinished `new` and `edit` sessions waiting as drafts: list them, discard them.",
    invoke_without_command=True,
)

template_app = typer.Typer(
    cls=Summaries,
    help="Show the post template in use, or copy the default one to make it yours.",
    no_args_is_help=True,
)

config_app = typer.Typer(
    cls=Summaries,
    help="Show the settings in effect (as TOML) and where each comes from; set or edit them.",
    invoke_without_command=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON array.")]


@drafts_app.callback()
def drafts_main(ctx: typer.Context, as_json: JsonOption = False, blog: BlogOption = None) -> None:
    """List the blog's waiting drafts (as `drafts list` does), or run a subcommand."""
    if ctx.invoked_subcommand is None:
        drafts_list(as_json=as_json, blog=blog)
    elif as_json or blog is not None:
        raise UsageError(f"put the options after `drafts {ctx.invoked_subcommand}`")


@drafts_app.command("list")
def drafts_list(as_json: JsonOption = False, blog: BlogOption = None) -> None:
    """The drafts, newest first: number, when saved, what, answers, the command continuing it."""
    from studylog.cli.commands import drafts

    drafts.list_drafts(as_json=as_json, blog=blog)


@drafts_app.command("discard")
def drafts_discard(
    numbers: Annotated[
        list[int] | None,
        typer.Argument(
            metavar="N...",
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
    from studylog.cli.commands import drafts

    drafts.discard(numbers=numbers, all_drafts=all_drafts, yes=yes, blog=blog)


@template_app.command("show")
def template_show(template: TemplateOption = None, blog: BlogOption = None) -> None:
    """Print the template in use; which one it is and why go to stderr."""
    from studylog.cli.commands import config

    config.template_show(template=template, blog=blog)


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
    from studylog.cli.commands import config

    config.template_init(in_blog=in_blog, force=force, blog=blog)


@config_app.callback()
def config_main(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    path: Annotated[
        bool, typer.Option("--path", help="Print only the config file's path.")
    ] = False,
) -> None:
    """Show the settings in effect as TOML, each with where it came from; or run a subcommand."""
    from studylog.cli.commands import config

    if ctx.invoked_subcommand is None:
        config.config(as_json=as_json, path=path)
    elif as_json or path:
        raise UsageError(f"put the options after `config {ctx.invoked_subcommand}`")


@config_app.command("set", cls=Command)
def config_set(
    key: Annotated[
        str, typer.Argument(metavar="KEY", help="The key (`studylog config` lists them).")
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The value: text as it is; a list as 'a, b' or TOML ('[\"a\", \"b\"]'); "
            "headings as a TOML table ('{ topics = \"Notes\" }').",
        ),
    ],
) -> None:
    """Set KEY to VALUE in the config file, checked first; its comments and layout are kept."""
    from studylog.cli.commands import config

    config.config_set(key, value)


@config_app.command("edit")
def config_edit() -> None:
    """Open the config file in your editor; a result that does not load is not saved."""
    from studylog.cli.commands import config

    config.config_edit()

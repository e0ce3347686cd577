"""`studylog config` and `studylog template`: what is in effect, and where it comes from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studylog import paths
from studylog.blog.site import resolve_blog, write_new
from studylog.cli.commands import load_settings
from studylog.cli.display import row, table
from studylog.cli.output import literal, rich_console, write
from studylog.config import effective
from studylog.post.render import (
    BLOG_TEMPLATE,
    builtin_template,
    choose_template,
    user_template_path,
)


def config(as_json: bool = False, path: bool = False) -> None:
    """Show the effective configuration and where each value came from."""
    if path:
        write(str(paths.config_file()))
        return
    rows = effective(load_settings())
    if as_json:
        data = {key: {"value": _plain(value), "source": source} for key, value, source in rows}
        write(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console = rich_console()
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


def template_show(template: str | None = None, blog: Path | None = None) -> None:
    """Print the template in use; which one it is and why go to stderr."""
    settings = load_settings(template)
    chosen = choose_template(settings, resolve_blog(blog, settings.blog))
    rich_console(stderr=True).print(f"template: {chosen.name} ({chosen.source})", markup=False)
    write(chosen.text, nl=False)


def template_init(in_blog: bool = False, force: bool = False, blog: Path | None = None) -> None:
    """Copy the default template into the config directory (or the blog) to edit it."""
    settings = load_settings()
    target = resolve_blog(blog, settings.blog) / BLOG_TEMPLATE if in_blog else user_template_path()
    backup = write_new(target, builtin_template("default"), force=force)
    err = rich_console(stderr=True)
    if backup:
        err.print(f"replaced {target}; the old version is kept at {backup}", markup=False)
    if settings.sources["template"] != "default":
        err.print(
            f"[yellow]note:[/] the 'template' key in {literal(settings.sources['template'])} "
            f"selects {literal(repr(settings.template))}: remove it for this file to be used"
        )
    rich_console().print(f"Wrote {target}", markup=False)


def _plain(value: Any) -> Any:
    """A setting's value as JSON and the table show it: paths as text, tuples as lists."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return value

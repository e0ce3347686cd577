"""The options several commands share, declared once for typer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def builtin_templates(incomplete: str) -> list[str]:
    """The built-in template names starting with what is typed (shell completion)."""
    from studylog.post.render import BUILTIN_TEMPLATES  # the renderer loads only to complete

    return [name for name in BUILTIN_TEMPLATES if name.startswith(incomplete)]


BlogOption = Annotated[
    Path | None,
    typer.Option(
        "--blog",
        metavar="DIR",
        help="The blog directory (default: $STUDYLOG_BLOG, cwd, config, built-in).",
    ),
]

TemplateOption = Annotated[
    str | None,
    typer.Option(
        "--template",
        metavar="NAME|FILE",
        help="The template: 'default', 'en' or a file (default: the 'template' key, the blog's "
        ".studylog/template.md.j2, the user's template.md.j2, the built-in default).",
        autocompletion=builtin_templates,
    ),
]

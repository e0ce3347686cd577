"""`studylog stats`: the team's numbers over a period."""

from __future__ import annotations

import json
from pathlib import Path

from studylog.blog import cache
from studylog.blog import stats as blogstats
from studylog.cli.commands import blog_in_use, date_option, load_settings
from studylog.cli.console import rich_console, show
from studylog.cli.display import stats_view
from studylog.cli.output import write


def stats(
    since: str | None = None,
    until: str | None = None,
    as_json: bool = False,
    blog: Path | None = None,
) -> None:
    """Posts and Q&As a week, attendance, the moderator rotation, the longest streak, the gaps."""
    settings = load_settings()
    rows = cache.rows(blog_in_use(blog, settings), settings)
    history = [r for r in rows if r.error is None]
    first, last = date_option(since, "--since"), date_option(until, "--until")
    result = blogstats.compute(history, settings, first, last)
    if as_json:
        write(json.dumps(blogstats.as_json(result), ensure_ascii=False, indent=2))
        return
    console = rich_console()
    for i, renderable in enumerate(stats_view(result, plain=not console.is_terminal)):
        show(console, *([""] if i else []), renderable, sep="\n")

"""`studylog stats`: the team's numbers over a period."""

from __future__ import annotations

from pathlib import Path

from studylog.cli.commands import date_option, load_settings
from studylog.cli.output import rich_console, write


def stats(
    since: str | None = None,
    until: str | None = None,
    as_json: bool = False,
    blog: Path | None = None,
) -> None:
    """Posts and Q&As a week, attendance, the moderator rotation, the longest streak, the gaps."""
    from studylog.blog import index, stats
    from studylog.blog.site import resolve_blog

    settings = load_settings()
    summaries = index.summaries(resolve_blog(blog, settings.blog), settings)
    history = [s for s in summaries if s.error is None]
    counts = {s.path: s.questions for s in history}  # from the reader's index
    first, last = date_option(since, "--since"), date_option(until, "--until")
    result = stats.compute(history, counts, settings, first, last)
    if as_json:
        import json

        write(json.dumps(stats.as_json(result), ensure_ascii=False, indent=2))
        return
    from studylog.cli.display import stats_view

    console = rich_console()
    for i, renderable in enumerate(stats_view(result, plain=not console.is_terminal)):
        console.print(*([""] if i else []), renderable, sep="\n")

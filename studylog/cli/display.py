"""What commands show, as rich renderables: box-drawn tables and bars on a terminal, plain piped."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from studylog.blog.check import ERROR, Report
from studylog.blog.stats import Stats
from studylog.cli.console import rich_console, show

EIGHTHS = " ▏▎▍▌▋▊▉"
BAR_WIDTH = 20


def table(*columns: str, title: str | None = None, plain: bool = False) -> Table:
    """A table with these columns; plain (no box, no styles) for pipes and files."""
    if plain:
        made = Table(title=title, box=None, pad_edge=False, header_style="", title_style="")
        made.title_justify = "left"
    else:
        made = Table(title=title, box=box.SIMPLE_HEAVY)
    for i, column in enumerate(columns):
        made.add_column(column, style="" if plain or i else "cyan")
    return made


def row(*cells: object) -> list[Text]:
    """Cells as literal text: user data such as `[boostcourse]` is never read as rich markup."""
    return [Text("" if cell is None else str(cell)) for cell in cells]


def bar(value: float, maximum: float, *, width: int = BAR_WIDTH, plain: bool = False) -> str:
    """A horizontal bar of `value` out of `maximum`: unicode eighth blocks, or `#` when plain."""
    if value <= 0 or maximum <= 0:
        return ""
    cells = min(value / maximum, 1.0) * width
    if plain:
        return "#" * max(1, round(cells))
    full, eighths = divmod(max(1, round(cells * 8)), 8)
    return "█" * full + (EIGHTHS[eighths] if eighths else "")


def count(number: int, noun: str) -> str:
    """`1 post`, `2 posts`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def percent(part: int, whole: int) -> str:
    """`part` of `whole` as a whole percentage, or `-` for nothing to divide by."""
    return f"{round(100 * part / whole)}%" if whole else "-"


def stats_view(stats: Stats, *, plain: bool = False) -> list[RenderableType]:
    """The renderables of `studylog stats`, top to bottom."""
    if stats.since is None:
        return [Text(f"No posts yet. Next moderator: {stats.next_moderator or '-'}")]
    return [
        Text("\n".join(_summary(stats))),
        _weeks(stats, plain),
        _people(stats, plain),
        _rotation(stats, plain),
        Text(_gaps(stats.gaps)),
    ]


def _summary(stats: Stats) -> list[str]:
    streak = stats.longest_streak
    span = f" ({streak.start} to {streak.end})" if streak.days else ""
    return [
        f"{stats.since} to {stats.until}: {count(stats.course_days, 'course day')}, "
        f"{stats.days_logged} logged ({percent(stats.days_logged, stats.course_days)}), "
        f"{count(stats.posts, 'post')}, {count(stats.questions, 'Q&A')}",
        f"Longest streak: {count(streak.days, 'course day')} in a row{span}",
        f"Next moderator: {stats.next_moderator or '-'}",
    ]


def _weeks(stats: Stats, plain: bool) -> Table:
    made = table("week", "from", "course days", "posts", "Q&As", "", title="Per week", plain=plain)
    most = max((w.posts for w in stats.weeks), default=0)
    for week in stats.weeks:
        made.add_row(
            *row(week.label, week.start, week.course_days, week.posts, week.questions),
            _bar(week.posts, most, plain),
        )
    return made


def _people(stats: Stats, plain: bool) -> Table:
    made = table("name", "present", "attendance", "moderated", "", title="People", plain=plain)
    for person in stats.people:
        made.add_row(
            *row(person.name, f"{person.present}/{person.course_days}"),
            *row(percent(person.present, person.course_days), person.moderated),
            _bar(person.present, person.course_days, plain),
        )
    return made


def _bar(value: int, maximum: int, plain: bool) -> RenderableType:
    return Text(bar(value, maximum, plain=plain), style="" if plain else "green")


def _rotation(stats: Stats, plain: bool) -> Table:
    made = table("#", "name", "last moderated", title="Rotation (next first)", plain=plain)
    for place, turn in enumerate(stats.rotation, 1):
        made.add_row(*row(place, turn.name, turn.last_moderated or "never"))
    return made


def _gaps(gaps: Sequence[object]) -> str:
    if not gaps:
        return "Gaps: none, every course day has a post"
    return f"Gaps ({count(len(gaps), 'course day')} without a post): " + ", ".join(map(str, gaps))


def print_findings(report: Report) -> None:
    """`check`'s findings as a table (a path or message is never cut short), then the counts."""
    console = rich_console()
    plain = not console.is_terminal
    if report.findings:
        shown = table("file", "severity", "problem and fix", plain=plain)
        for column in shown.columns:
            column.overflow = "fold"
        for finding in report.findings:
            cells = row(finding.path, finding.severity, finding.message)
            if not plain:
                cells[1].stylize("red" if finding.severity == ERROR else "yellow")
            shown.add_row(*cells)
        show(console, shown)
    found = f"{count(report.errors, 'error')}, {count(report.warnings, 'warning')}"
    summary = found if report.findings else "no problems"
    console.print(Text(f"Checked {count(report.checked, 'post')}: {summary}"))

"""`studylog check`: what Jekyll would skip, misread or fail on."""

from __future__ import annotations

from pathlib import Path

from studylog.cli.commands import load_settings
from studylog.cli.output import Exit, rich_console, write


def check(posts: list[str] | None = None, as_json: bool = False, blog: Path | None = None) -> None:
    """Find what Jekyll would skip, misread or fail on; exit 1 on errors, 0 with warnings only."""
    from studylog.blog import check
    from studylog.blog.site import find_post, resolve_blog

    blog_dir = resolve_blog(blog, load_settings().blog)
    chosen = [find_post(blog_dir, spec) for spec in posts] if posts else None
    report = check.check_blog(blog_dir, chosen)
    if as_json:
        import dataclasses
        import json

        findings = [dataclasses.asdict(f) for f in report.findings]
        data = {"checked": report.checked, "errors": report.errors, "warnings": report.warnings}
        write(json.dumps({**data, "findings": findings}, ensure_ascii=False, indent=2))
    else:
        print_findings(report)
    if report.errors:
        raise Exit(1)


def print_findings(report) -> None:  # type: ignore[no-untyped-def]
    from rich.text import Text

    from studylog.cli.display import count, row, table

    console = rich_console()
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

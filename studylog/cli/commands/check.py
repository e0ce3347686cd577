"""`studylog check`: what Jekyll would skip, misread or fail on."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from studylog.blog.check import check_blog
from studylog.blog.site import find_post
from studylog.cli.commands import blog_in_use, load_settings
from studylog.cli.display import print_findings
from studylog.cli.output import Exit, write


def check(posts: list[str] | None = None, as_json: bool = False, blog: Path | None = None) -> None:
    """Find what Jekyll would skip, misread or fail on; exit 1 on errors, 0 with warnings only."""
    blog_dir = blog_in_use(blog, load_settings())
    chosen = [find_post(blog_dir, spec) for spec in posts] if posts else None
    report = check_blog(blog_dir, chosen)
    if as_json:
        findings = [dataclasses.asdict(f) for f in report.findings]
        data = {"checked": report.checked, "errors": report.errors, "warnings": report.warnings}
        write(json.dumps({**data, "findings": findings}, ensure_ascii=False, indent=2))
    else:
        print_findings(report)
    if report.errors:
        raise Exit(1)

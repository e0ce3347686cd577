"""`studylog check`: what in the blog's posts Jekyll would skip, misread or stop on; no printing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from studylog.blog import cache
from studylog.blog import site as blogmod
from studylog.post import liquid
from studylog.post.escape import unknown_tags
from studylog.post.model import stamp_of
from studylog.post.parse import (
    DATE_TEXT,
    HANDLER,
    POST_NAME,
    NoFrontMatter,
    UnclosedFrontMatter,
    date_in_name,
    text_date,
    yaml_loader,
    yaml_problem,
)

ERROR, WARNING = "error", "warning"
# Jekyll::Document::DATE_FILENAME_MATCHER: the file names Jekyll takes for posts.
JEKYLL_POST_NAME = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^.]+)$")
MARKDOWN = (".md", ".markdown")
SKIPPED_START = "._#~"  # Jekyll's EntryFilter skips names starting with these
Problem = tuple[str, str]  # (severity, message)


@dataclass(frozen=True)
class Finding:
    """One problem in one file: where (relative to the blog), error or warning, what to do."""

    path: str
    severity: str
    message: str


@dataclass(frozen=True)
class Report:
    """The findings of one run and how many posts were checked."""

    checked: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """How many findings are errors."""
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        """How many findings are warnings."""
        return sum(f.severity == WARNING for f in self.findings)


@dataclass(frozen=True)
class Site:
    """What the checks need of `_config.yml`: the timezone Jekyll dates posts in."""

    tz: dt.tzinfo = dt.UTC
    tz_name: str = "UTC: _config.yml sets no timezone, and GitHub Pages builds in UTC"


def check_blog(blog: Path, posts: Sequence[Path] | None = None) -> Report:
    """Check every post and draft of the blog, or only `posts`."""
    site, findings = read_site(blog)
    everything = [p.resolve() for p in blogmod.post_files(blog, drafts=True, skipped=True)]
    chosen = everything if posts is None else [p.resolve() for p in posts]
    for path in chosen:
        findings += check_file(blog, path, site)
    findings += duplicates(blog, everything, chosen)
    if posts is None:
        findings += strays(blog)
    findings.sort(key=lambda f: (f.path, f.severity != ERROR))
    return Report(len(chosen), findings)


def read_site(blog: Path) -> tuple[Site, list[Finding]]:
    """The site's timezone from `_config.yml`, and what is wrong with that file."""
    path = blog / "_config.yml"
    try:
        config = yaml.load(path.read_text("utf-8"), yaml_loader()) if path.is_file() else {}
    except (OSError, UnicodeDecodeError) as exc:
        return Site(), [Finding("_config.yml", ERROR, f"cannot read it ({exc}): fix the file")]
    except yaml.YAMLError as exc:
        message = f"is not valid YAML ({yaml_problem(exc, 1)}): Jekyll builds nothing; fix it"
        return Site(), [Finding("_config.yml", ERROR, message)]
    name = config.get("timezone") if isinstance(config, dict) else None
    return _timezone(str(name)) if name else (Site(), [])


def _timezone(name: str) -> tuple[Site, list[Finding]]:
    try:
        return Site(ZoneInfo(name), name), []
    except (ZoneInfoNotFoundError, ValueError):
        message = f"timezone '{name}' is unknown: Jekyll builds in UTC; use a name like Asia/Seoul"
        return Site(), [Finding("_config.yml", WARNING, message)]


def relative(path: Path, blog: Path) -> str:
    """The path as shown: relative to the blog when inside it."""
    try:
        return path.resolve().relative_to(blog.resolve()).as_posix()
    except ValueError:
        return str(path)


def check_file(blog: Path, path: Path, site: Site) -> list[Finding]:
    """The findings for one post file."""
    rel = relative(path, blog)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [Finding(rel, ERROR, f"cannot read it ({exc.strerror}): check its permissions")]
    return check_post(rel, data, site)


def check_post(rel: str, data: bytes, site: Site) -> list[Finding]:
    """The findings for a post's bytes, named `rel` inside the blog (`_posts/...`)."""
    name = PurePosixPath(rel)
    problems = name_problems(name)
    text = _decode(data, problems)
    if text is not None:
        problems += _content_problems(text, name, site)
    return [Finding(rel, severity, message) for severity, message in problems]


def name_problems(rel: PurePosixPath) -> list[Problem]:
    """What Jekyll would make of the file's name and folder."""
    if not rel.parts or rel.parts[0] not in ("_posts", "_drafts"):
        return [(WARNING, "not in _posts/ or _drafts/: Jekyll does not build it as a post")]
    skipped = [part for part in rel.parts[1:] if part[0] in SKIPPED_START]
    if skipped:
        part = skipped[0]
        return [(ERROR, f"'{part}' starts with '{part[0]}': Jekyll skips it; rename it")]
    return _post_name_problems(rel.name) if rel.parts[0] == "_posts" else []


def _post_name_problems(name: str) -> list[Problem]:
    match = JEKYLL_POST_NAME.match(name)
    if not match:
        return [
            (
                ERROR,
                "the name is not YYYY-MM-DD-slug.md: Jekyll skips it; rename it to the "
                "post's date and a slug (like 2021-08-18-day13.md)",
            )
        ]
    if not POST_NAME.match(name):
        year, month, day, slug, ext = match.groups()
        padded = f"{year:0>4}-{month:0>2}-{day:0>2}-{slug}{ext if ext in MARKDOWN else '.md'}"
        return [(WARNING, f"studylog cannot read the date in the name: rename it to {padded}")]
    if date_in_name(name) is None:
        return [
            (
                ERROR,
                f"the date in the name, {name[:10]}, does not exist: Jekyll moves the post to "
                "another day or stops the build; rename it with a real date",
            )
        ]
    return []


def _decode(data: bytes, problems: list[Problem]) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append((ERROR, f"line {line} is not UTF-8: Jekyll skips it; save it as UTF-8"))
        return None
    if text.startswith("\ufeff"):
        problems.append((WARNING, "starts with a byte-order mark: save it as UTF-8 without BOM"))
    if "\r\n" in text:
        problems.append(
            (WARNING, "has Windows line ends (CRLF): convert them to LF, as studylog writes")
        )
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def _content_problems(text: str, rel: PurePosixPath, site: Site) -> list[Problem]:
    try:
        front, body = HANDLER.split(text)
    except NoFrontMatter:
        return [_NO_FRONT_MATTER, *liquid_problems(text, 1), *tag_problems(text, 1)]
    except UnclosedFrontMatter:
        return [_UNCLOSED]
    data, problems = _front_matter(front)
    if data is not None:
        problems += date_problems(data.get("date"), rel, site)
    # The body starts after the `---` line, the front matter's lines and the closing line.
    first_line = front.count("\n") + 3
    return problems + liquid_problems(body, first_line) + tag_problems(body, first_line)


_NO_FRONT_MATTER = (
    ERROR,
    "has no front matter: Jekyll and studylog find no title or date in it; "
    "add a '---' block with title and date at the top",
)
_UNCLOSED = (ERROR, "the front matter is never closed: add a line '---' after it")


def _front_matter(front: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        data = HANDLER.load(front) or {}  # libyaml: Psych's parser, same errors
    except yaml.YAMLError as exc:
        message = (
            f"the front matter is not valid YAML ({yaml_problem(exc, 2)}): Jekyll ignores "
            "all of it (no title, today's date); fix that line"
        )
        return None, [(ERROR, message)]
    if not isinstance(data, dict):
        kind = type(data).__name__
        return None, [(ERROR, f"the front matter is a {kind}: write it as 'key: value' lines")]
    return data, []


def date_problems(value: Any, rel: PurePosixPath, site: Site) -> list[Problem]:
    """A front matter date Jekyll cannot read, or that files the post on another day."""
    if value is None:
        return []
    if isinstance(value, str) and _impossible(value.strip()):
        message = (
            f"the date {value} does not exist: Jekyll moves the post to another day or stops "
            "the build; write a real date (YYYY-MM-DD)"
        )
        return [(ERROR, message)]
    stamp = stamp_of(value)
    if stamp is None:
        return [(WARNING, f"the date {value!r} is not one studylog can read: write YYYY-MM-DD")]
    day = jekyll_day(stamp, site.tz)
    named = date_in_name(rel.name) if rel.parts[:1] == ("_posts",) else None
    if named is None or day == named:
        return []
    if isinstance(stamp, dt.datetime) and stamp.date() == named:
        message = (
            f"the date {value} falls on {day} in the site's timezone ({site.tz_name}), "
            f"not on {named} as the name says: set 'timezone' in _config.yml "
            "or write the date without a time"
        )
    else:
        message = (
            f"the date {value} is not the name's date, {named}: Jekyll files the post "
            f"under {day}; make them the same day"
        )
    return [(ERROR, message)]


def jekyll_day(stamp: dt.date, tz: dt.tzinfo) -> dt.date:
    """The day Jekyll files a post under for a front matter date in a site's timezone."""
    if isinstance(stamp, dt.datetime):
        # Jekyll reads a time without an offset in the site's timezone: its day stays.
        return stamp.astimezone(tz).date() if stamp.utcoffset() is not None else stamp.date()
    return stamp


def _impossible(text: str) -> bool:
    """Whether the text starts like a date (YYYY-MM-DD) that does not exist."""
    return DATE_TEXT.match(text) is not None and text_date(text) is None


def liquid_problems(body: str, first_line: int) -> list[Problem]:
    """Liquid that breaks the build (an error) or that Jekyll would run (a warning)."""
    found = liquid.scan(body, first_line)
    problems: list[Problem] = []
    if found.unclosed:
        line, name = found.unclosed
        problems.append(
            (
                ERROR,
                f"line {line}: {{% {name} %}} is never closed: Jekyll stops the build; "
                f"add {{% end{name} %}} where it should end",
            )
        )
    if found.stray_end:
        line, token = found.stray_end
        problems.append(
            (ERROR, f"line {line}: {token} closes nothing: Jekyll stops the build; remove it")
        )
    if found.outside:
        problems.append(_outside_raw(found.outside))
    return problems


def _outside_raw(uses: list[tuple[int, str]]) -> Problem:
    # A warning, not an error: hand-written posts may mean it ({% include %}); but text meant
    # to show literally is run or dropped by Jekyll. studylog wraps all it writes in raw.
    line, token = uses[0]
    shown = token if len(token) <= 30 else token[:27] + "..."
    more = f" (and {len(uses) - 1} more)" if len(uses) > 1 else ""
    return (
        WARNING,
        f"line {line}: Liquid {shown} outside {{% raw %}}{more}: Jekyll runs it instead of "
        "showing it; if it should show, wrap it in {% raw %}…{% endraw %}",
    )


def tag_problems(body: str, first_line: int) -> list[Problem]:
    """A tag that is no HTML element (`List<String>`): the browser hides it and what follows."""
    found = list(unknown_tags(body))
    if not found:
        return []
    line, tag = found[0]
    start = max(body.rfind(" ", 0, tag.start()), body.rfind("\n", 0, tag.start())) + 1
    words = body[start : tag.end()]
    shown = f"`{words}`" if "`" not in words and len(words) <= 40 else "`code`"
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return [
        (
            WARNING,
            f"line {first_line + line}: <{tag[1]}> is not an HTML element Jekyll keeps{more}: "
            f"write &lt;{tag[1]}&gt; or {shown}",
        )
    ]


def duplicates(blog: Path, everything: Sequence[Path], chosen: Sequence[Path]) -> list[Finding]:
    """Posts with the same date and slug: Jekyll builds one page for both."""
    by_key: dict[tuple[dt.date, str], list[Path]] = {}
    for path in everything:
        key = _post_key(blog, path)
        if key:
            by_key.setdefault(key, []).append(path)
    findings = []
    for paths in by_key.values():
        for path in (p for p in paths if len(paths) > 1 and p in chosen):
            others = ", ".join(relative(p, blog) for p in paths if p != path)
            message = f"same date and slug as {others}: one page is lost; rename or remove one"
            findings.append(Finding(relative(path, blog), ERROR, message))
    return findings


def _post_key(blog: Path, path: Path) -> tuple[dt.date, str] | None:
    rel = PurePosixPath(relative(path, blog))
    if rel.parts[:1] != ("_posts",) or any(p[0] in SKIPPED_START for p in rel.parts[1:]):
        return None
    match = JEKYLL_POST_NAME.match(rel.name)
    try:
        return (dt.date(int(match[1]), int(match[2]), int(match[3])), match[4]) if match else None
    except ValueError:
        return None


def strays(blog: Path) -> list[Finding]:
    """Files in `_posts/`/`_drafts/` with front matter that studylog does not read as posts."""
    findings = []
    for folder in ("_posts", "_drafts"):
        root = blog / folder
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            rel = PurePosixPath(relative(path, blog))
            if _stray(path, rel):
                findings.append(Finding(str(rel), *_stray_problem(path)))
    return findings


def _stray(path: Path, rel: PurePosixPath) -> bool:
    if cache.is_markdown(path.name) or path.suffix.lower() in (".html", ".htm"):
        return False
    if path.name[-1] == "~":
        return False
    if any(part[0] in SKIPPED_START for part in rel.parts[1:]) or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(8).removeprefix(b"\xef\xbb\xbf").startswith(b"---")
    except OSError:
        return False


def _stray_problem(path: Path) -> Problem:
    if not path.suffix:
        return (ERROR, f"has no extension: Jekyll skips it; rename it to {path.name}.md")
    return (
        WARNING,
        f"a {path.suffix} file with front matter: studylog reads only .md and .markdown "
        f"posts; rename it to {path.stem}.md",
    )

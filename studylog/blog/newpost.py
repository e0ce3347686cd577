"""`studylog new` without the terminal: history, gap-filling, rendering and writing the post."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from studylog.blog import assets, cache, check
from studylog.blog import site as blogmod
from studylog.blog.cache import Row
from studylog.blog.defaults import Defaults, suggest, title_for
from studylog.config import Settings, fill_pattern
from studylog.errors import EntryError
from studylog.post.front_matter import style_values
from studylog.post.model import CONTENT_FIELDS, Entry, fields_from_mapping
from studylog.post.parse import date_from_name, yaml_loader, yaml_problem
from studylog.post.render import render, template_source

HISTORY_FIELDS = ("day", "moderator", "participants")  # the title follows the day
FILLED_FIELDS = ("date", "day", "title", "moderator", "participants")  # what `fill` completes


def history(blog: Path, settings: Settings) -> list[Row]:
    """The rows of the blog's readable posts (date, day, moderator, participants), for the
    defaults."""
    return [r for r in cache.rows(blog, settings) if r.error is None]


def read_from(source: str) -> dict[str, Any]:
    """The fields of an entry in a YAML or JSON file (`-` for stdin)."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise EntryError(f"cannot read --from {source}: {exc.strerror}; check the path") from exc
    except UnicodeDecodeError as exc:
        raise EntryError(f"--from {source} is not UTF-8 text: save it as UTF-8") from exc
    data = _parse(text, source)
    if data is None:
        raise EntryError(f"--from {source} is empty: write the entry's fields in it")
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise EntryError(
            f"--from {source} holds a {kind}, not the entry's fields: write 'field: value' lines"
        )
    return fields_from_mapping(data)


def _parse(text: str, source: str) -> Any:
    """JSON when it looks like JSON; else, or when it is a YAML flow mapping, YAML."""
    if not text.lstrip().startswith("{"):
        try:
            return _load_yaml(text)
        except yaml.YAMLError as exc:
            where = f" ({yaml_problem(exc, 1)})" if getattr(exc, "problem_mark", None) else ""
            raise _unreadable(source, where) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        try:
            return _load_yaml(text)  # {date: 2021-08-18} is YAML, not JSON
        except yaml.YAMLError:
            pass
        # neither: the JSON error says more
        where = f" (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        raise _unreadable(source, where) from exc


def _unreadable(source: str, where: str) -> EntryError:
    """The error for a --from file that is neither YAML nor JSON; `where` points at the fault."""
    return EntryError(f"--from {source} is not valid YAML or JSON{where}: fix the file")


def _load_yaml(text: str) -> Any:
    """YAML through the pure-Python loader, whose error messages say more than libyaml's."""
    return yaml.load(text, yaml_loader(fast=False))


def defaults_for(
    given: dict[str, Any], blog: Path, settings: Settings, *, complete: bool = True
) -> Defaults:
    """Defaults for the fields not given, consistent with the ones that are.

    `complete=False`: only what filling the gaps needs; the posts are not read at all when no
    field that comes from history (day, moderator, participants) is missing.
    """
    needed = complete or any(name not in given for name in HISTORY_FIELDS)
    found = suggest(history(blog, settings) if needed else [], settings, given.get("date"))
    if "day" in given:
        title = title_for(given["day"], found.date, settings)
        return dataclasses.replace(found, day=given["day"], title=title)
    return found


def site_dated(
    given: dict[str, Any], blog: Path, settings: Settings, front: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The given fields with a date-time's day the site's (its timezone, UTC by default); the
    time goes into the front matter: the given one, else `front`, else the configured one."""
    stamp = given.get("date")
    if not isinstance(stamp, dt.datetime):
        return given
    site, _ = check.read_site(blog)
    day = check.jekyll_day(stamp, site.tz)
    matter = given.get("front_matter") or front
    if not matter:  # the configured front matter, as a new post's, modified that day
        matter = {**style_values(settings.front_matter), "last_modified_at": day}
    return {**given, "date": day, "front_matter": {**matter, "date": stamp}}


def missing(given: dict[str, Any]) -> list[str]:
    """The content fields not given."""
    return [name for name in CONTENT_FIELDS if name not in given]


def fill(given: dict[str, Any], defaults: Defaults | None) -> Entry:
    """An entry from the given fields, with defaults for the rest (None: nothing is missing)."""
    values: dict[str, Any] = dict(given)
    if defaults is not None:
        values = {
            "date": defaults.date,
            "day": defaults.day,
            "title": defaults.title,
            "moderator": defaults.moderator,
            "participants": list(defaults.participants),
            **given,
        }
    if not values.get("moderator"):
        raise EntryError("no moderator: pass --moderator NAME (or 'moderator' in --from)")
    return Entry(**values)


@dataclass(frozen=True)
class Written:
    """A post `write_entry` wrote: where, the backup of the post it replaced, what to warn of."""

    path: Path
    backup: Path | None = None
    warnings: list[str] = field(default_factory=list)


def compose(given: dict[str, Any], blog: Path, settings: Settings) -> Entry:
    """The entry of a `new` that asks nothing: the given fields, defaults for the gaps (the
    posts are read only when day, moderator or participants is missing)."""
    given = site_dated(given, blog, settings)
    if all(name in given for name in FILLED_FIELDS):
        return fill(given, None)
    return fill(given, defaults_for(given, blog, settings, complete=False))


def write_entry(
    entry: Entry, settings: Settings, blog: Path, *, draft: bool = False, force: bool = False
) -> Written:
    """Render, vet and write the post with no terminal (`new --yes`); EntryError, TemplateError
    or BlogError stop it before anything is written."""
    text, copies = post_text(entry, settings, blog)
    path = target(blog, entry, settings, draft=draft)
    warnings = [future_warning(entry), *vet(blog, path, text)]
    backup = write(path, text, force=force, copies=copies)
    return Written(path, backup, [w for w in warnings if w])


def post_text(entry: Entry, settings: Settings, blog: Path) -> tuple[str, list[assets.Copy]]:
    """The post's text, the image files its entry names linked by their site path (under
    `image_dir`), and the copies into the blog that writing it takes."""
    folder = settings.image_dir.format(date=entry.date.isoformat())
    entry, copies = assets.localize(entry, blog, folder)
    return render(entry, settings, template_source(settings, blog)), copies


def target(blog: Path, entry: Entry, settings: Settings, *, draft: bool) -> Path:
    """Where the entry's post goes."""
    slug = fill_pattern(settings.slug_pattern, entry.day, entry.date)
    return blogmod.post_path(blog, entry.date, slug, draft=draft)


def write(path: Path, text: str, *, force: bool, copies: Sequence[assets.Copy] = ()) -> Path | None:
    """Copy the post's images in, then write the post atomically (never clobbering unless
    forced); returns a backup path. A post not written takes its copies back."""
    with assets.copied(copies):
        return blogmod.write_new(path, text, force=force)


def future_warning(entry: Entry, today: dt.date | None = None) -> str | None:
    """A warning for a post dated in the future (plain Jekyll skips those)."""
    if entry.date > (today or dt.date.today()):
        return (
            f"{entry.date} is in the future: GitHub Pages builds it, "
            "but a plain `jekyll build` skips it until that day (or use --future)"
        )
    return None


def vet(blog: Path, path: Path, text: str) -> list[str]:
    """What `check` says of a post about to be written: an error stops it, warnings return."""
    site, _ = check.read_site(blog)
    findings = check.check_post(check.relative(path, blog), text.encode("utf-8"), site)
    errors = [f.message for f in findings if f.severity == check.ERROR]
    if errors:
        raise EntryError(f"{path.name} would not build right ({errors[0]}); nothing was written")
    return [f.message for f in findings]


def taken(blog: Path, date: dt.date, settings: Settings) -> str | None:
    """How `studylog edit` names the post the blog already has on `date` (None: the day is
    free); the file `new` would write is one of these, as posts are named by their date."""
    rows = cache.rows(blog, settings)
    same = [
        r for r in rows if r.path.startswith("_posts/") and date_from_name(Path(r.path)) == date
    ]
    if len(same) != 1:
        return same[0].path if same else None
    day = same[0].day
    if day is not None and sum(r.day == day for r in rows) == 1:
        return str(day)
    return date.isoformat()

"""Settings from a TOML file under the user config dir; every key has a default."""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from studylog import paths
from studylog.errors import ConfigError

DEFAULT_FRONT_MATTER = """\
defaults:
  - scope:
      path: ""
      type: posts
    values:
      layout: single
      author_profile: true
      comments: true
      share: true
      related: true

title: ""
excerpt: "about : python"
toc: true
toc_sticky: true
toc_label: "Label"
categories:
  - daily
tags:
  - []
date: 2021-01-01
last_modified_at: 2021-01-01
"""

DEFAULT_HEADINGS = {
    "topics": "학습 내용",
    "peer": "피어세션 👨👨👦👦 👨👨👦",
    "moderator": "모더레이터",
    "participants": "참가자",
    "discussion": "토의 내용",
    "mentoring": "멘토링",
}

DEFAULT_FOOTER = "💡 수정 필요한 내용은 댓글이나 메일로 알려주시면 감사하겠습니다!💡 "

EN_HEADINGS = {
    "topics": "What I studied",
    "peer": "Peer session",
    "moderator": "Moderator",
    "participants": "Participants",
    "discussion": "Discussion",
    "mentoring": "Mentoring",
}

# What a built-in template brings along for the keys the config file leaves unset.
TEMPLATE_DEFAULTS: dict[str, dict[str, Any]] = {
    "en": {
        "title_pattern": "Day{day} study log",
        "headings": EN_HEADINGS,
        "footer": "💡 Corrections welcome — leave a comment or send me an email! 💡",
    },
}


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective configuration; `sources` tells where each key's value came from."""

    blog: Path | None = None
    template: str = "default"
    title_pattern: str = "[boostcourse] Day{day} 학습기록"
    slug_pattern: str = "day{day}"
    course_days: str = "weekdays"
    holidays: tuple[dt.date, ...] = ()
    roster: tuple[str, ...] = ()
    front_matter: str = DEFAULT_FRONT_MATTER
    headings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_HEADINGS))
    footer: str = DEFAULT_FOOTER
    remote: str = ""
    branch: str = ""
    commit_message: str = "{action} {title}"
    editor: str = ""
    image_dir: str = "assets/images/{date}"
    # Two settings with the same values are equal wherever those values came from.
    sources: dict[str, str] = field(default_factory=dict, compare=False)


FIELDS = tuple(f.name for f in fields(Settings) if f.compare)  # every key, in order
DEFAULTS = Settings()


KEY_DOCS = {
    "blog": "the blog directory (a Jekyll site) to write posts into",
    "template": "'default', 'en', or the path of a Jinja2 post template",
    "title_pattern": "the post title; {day} is the course day, {date} the date",
    "slug_pattern": "the file name after the date; {day} and {date} as in title_pattern",
    "course_days": "'weekdays' (Monday-Friday) or 'every' (every day is a course day)",
    "holidays": "dates (YYYY-MM-DD) that are not course days",
    "roster": "names always offered for moderator and participants",
    "front_matter": "the default front matter (YAML) every post starts from",
    "headings": "section headings: topics, peer, moderator, participants, discussion, mentoring",
    "footer": "the line of the closing code block",
    "remote": "the git remote `publish` pushes to (default: the branch's upstream)",
    "branch": "the remote branch `publish` pushes to (default: the upstream's)",
    "commit_message": "the commit message; {action} is Add or Update, {title}, {path}",
    "editor": "the editor for long answers and --edit (default: $VISUAL, $EDITOR, vi)",
    "image_dir": "the blog folder image files named in a post are copied to; {date} is its date",
}


def load_settings(path: Path | None = None, *, template: str | None = None) -> Settings:
    """Read the config file (missing = defaults), `template` overriding its key; ConfigError."""
    path = path or paths.config_file()
    data = _read(path)
    sources = {k: (str(path) if k in data else "default") for k in KEY_DOCS}
    if template is not None:
        data["template"], sources["template"] = template, "--template"
    return _settings_from(data, path, sources)


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file {path} is not UTF-8 text: save it as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(
            f"cannot read config file {path}: {exc.strerror}; fix or remove it"
        ) from exc
    return _parse(raw, path)


def _parse(raw: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}; fix or remove it") from exc


def settings_from_text(raw: str, path: Path) -> Settings:
    """The settings a config file holding `raw` gives; ConfigError as when the file is read."""
    data = _parse(raw, path)
    sources = {k: (str(path) if k in data else "default") for k in KEY_DOCS}
    return _settings_from(data, path, sources)


def _settings_from(data: dict[str, Any], path: Path, sources: dict[str, str]) -> Settings:
    unknown = sorted(set(data) - set(KEY_DOCS))
    if unknown:
        known = ", ".join(KEY_DOCS)
        raise ConfigError(f"config file {path}: unknown key '{unknown[0]}' (known keys: {known})")
    values = {key: _coerce(key, value, path) for key, value in data.items()}
    template = values.get("template", DEFAULTS.template)
    brought = TEMPLATE_DEFAULTS.get(template, {})
    for key in brought.keys() - data.keys():
        values[key], sources[key] = brought[key], f"template '{template}'"
    # Headings set in the file complete the template's (a partial table is fine).
    given = values["headings"] if "headings" in data else {}
    values["headings"] = {**brought.get("headings", DEFAULT_HEADINGS), **given}
    return Settings(**values, sources=sources)


def _coerce(key: str, value: Any, path: Path) -> Any:
    default = getattr(DEFAULTS, key)
    where = f"config file {path}: key '{key}'"
    if key == "blog":
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a path string")
        return Path(value).expanduser()
    if key == "holidays":
        return tuple(_holiday(v, where) for v in _list_of(value, (str, dt.date), where))
    if key == "roster":
        return tuple(_list_of(value, (str,), where))
    if key == "headings":
        return _headings(value, where)
    if key == "course_days" and value not in ("weekdays", "every"):
        raise ConfigError(f"{where} must be 'weekdays' or 'every', not {value!r}")
    if not isinstance(value, type(default)):
        raise ConfigError(f"{where} must be a {type(default).__name__}, not {value!r}")
    if key in PLACEHOLDERS:
        _check_placeholders(value, PLACEHOLDERS[key], where)
    if key in DATED_PATTERNS:
        _check_specs(value, where)
    return value


PLACEHOLDERS = {
    "title_pattern": ("day", "date"),
    "slug_pattern": ("day", "date"),
    "commit_message": ("action", "title", "path"),
    "image_dir": ("date",),
}


def _check_placeholders(pattern: str, known: tuple[str, ...], where: str) -> None:
    allowed = ", ".join("{" + name + "}" for name in known)
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}; write {{{{ and }}}} for a literal brace") from exc
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ConfigError(f"{where}: {{{unknown[0]}}} is not a placeholder (use {allowed})")


DATED_PATTERNS = ("title_pattern", "slug_pattern")
SAMPLE_DAY, SAMPLE_DATE = 13, dt.date(2021, 8, 18)


def fill_pattern(pattern: str, day: int, date: dt.date) -> str:
    """A title or slug pattern filled in: `{day}` an int, `{date}` a date (`{date:%Y-%m}`)."""
    return pattern.format(day=day, date=date)


def _check_specs(pattern: str, where: str) -> None:
    """ConfigError when a format spec does not fit its value (`{day:%Y}`, `{date:05d}`)."""
    specs = [spec for _, name, spec, _ in string.Formatter().parse(pattern) if name == "date"]
    try:
        if any(spec and "%" not in spec for spec in specs):
            raise ValueError("a {date} spec is strftime codes (%Y, %m, %d, ...)")
        fill_pattern(pattern, SAMPLE_DAY, SAMPLE_DATE)
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"{where}: {exc}; write {{day}} specs like {{day:02d}} "
            "and {date} specs like {date:%Y-%m}"
        ) from exc


def _list_of(value: Any, types: tuple[type, ...], where: str) -> list[Any]:
    if not isinstance(value, list) or not all(isinstance(v, types) for v in value):
        raise ConfigError(f"{where} must be a list of {'/'.join(t.__name__ for t in types)}")
    return value


def _holiday(value: str | dt.date, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ConfigError(f"{where}: {value} has a time; write only the date (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _headings(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(f"{where} must be a table of strings")
    unknown = sorted(set(value) - set(DEFAULT_HEADINGS))
    if unknown:
        raise ConfigError(f"{where}: unknown heading '{unknown[0]}'")
    return dict(value)  # completed from the template's headings by _settings_from


def effective(settings: Settings) -> list[tuple[str, Any, str]]:
    """(key, value, source) for every key, for `studylog config`."""
    return [(key, getattr(settings, key), settings.sources.get(key, "default")) for key in FIELDS]

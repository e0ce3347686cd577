"""Changing the config file: one key set from the command line, the user's comments and layout
kept (tomlkit, which only writing needs: reading is tomllib's, in `config`)."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from studylog.config import KEY_DOCS, settings_from_text
from studylog.errors import ConfigError

LIST_KEYS = ("roster", "holidays")


def with_value(raw: str, key: str, value: str, path: Path) -> str:
    """The config file's text `raw` with `key` set to `value`; ConfigError naming what is wrong.

    A list key takes `a, b` or TOML (`["a", "b"]`); `headings` a TOML inline table; any other
    key the text as it is (or a quoted TOML string). The result is checked as the file is read.
    """
    if key not in KEY_DOCS:
        raise ConfigError(f"unknown key '{key}' (known keys: {', '.join(KEY_DOCS)})")
    try:
        document = tomlkit.parse(raw)
    except TOMLKitError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}; fix or remove it") from exc
    document[key] = typed(key, value)
    text = tomlkit.dumps(document)
    settings_from_text(text, path)
    return text


def typed(key: str, value: str) -> Any:
    """The TOML value a command-line `value` stands for, for `key`."""
    parsed = _toml_value(value)
    if key in LIST_KEYS:
        return parsed if isinstance(parsed, list) else _listed(value)
    if key == "headings":
        if not isinstance(parsed, dict):
            raise ConfigError(
                "key 'headings' takes a TOML table, e.g. '{ topics = \"What I studied\" }'"
            )
        return parsed
    text = parsed if isinstance(parsed, str) else value
    return _absolute(text) if key == "blog" else text


def _toml_value(value: str) -> Any:
    """`value` read as a TOML value, or None when it is not one (plain text)."""
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return None


def _listed(value: str) -> list[Any]:
    """`a, b` as a list; ISO dates (holidays) become TOML dates."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    return [_date_or_text(item) for item in items]


def _date_or_text(item: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(item)
    except ValueError:
        return item


def _absolute(text: str) -> str:
    """A blog path as given when it starts at home (`~/blog`), else made absolute."""
    return text if text.startswith("~") else str(Path(text).resolve())

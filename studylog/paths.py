"""Every user directory studylog touches, resolved in one place (env overrides for tests)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP = "studylog"
DIRS = PlatformDirs(APP, appauthor=False)


def _override(var: str) -> Path | None:
    value = os.environ.get(var)
    return Path(value).expanduser() if value else None


def config_file() -> Path:
    """The TOML config file: $STUDYLOG_CONFIG, else config.toml in the user config dir."""
    return _override("STUDYLOG_CONFIG") or config_dir() / "config.toml"


def config_dir() -> Path:
    """The user config dir ($STUDYLOG_CONFIG_DIR overrides)."""
    return _override("STUDYLOG_CONFIG_DIR") or Path(DIRS.user_config_dir)


def data_dir() -> Path:
    """The user data dir, home of the default blog ($STUDYLOG_DATA_DIR overrides)."""
    return _override("STUDYLOG_DATA_DIR") or Path(DIRS.user_data_dir)


def state_dir() -> Path:
    """The user state dir, home of drafts and crash logs ($STUDYLOG_STATE_DIR overrides)."""
    return _override("STUDYLOG_STATE_DIR") or Path(DIRS.user_state_dir)


def cache_dir() -> Path:
    """The user cache dir, home of the post index cache ($STUDYLOG_CACHE_DIR overrides)."""
    return _override("STUDYLOG_CACHE_DIR") or Path(DIRS.user_cache_dir)


def default_blog_dir() -> Path:
    """Where posts go when no blog is named anywhere."""
    return data_dir() / "blog"


def drafts_dir() -> Path:
    """Autosaved answers of unfinished `studylog new` sessions."""
    return state_dir() / "drafts"


def edits_dir() -> Path:
    """Files of long answers opened in the editor; kept there when the editor fails."""
    return state_dir() / "edits"

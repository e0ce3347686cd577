"""A post's list columns: light to import (no parser), so a cached listing never loads one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Summary:
    """The columns of one post that lists and defaults need; `error` says why it is unreadable."""

    path: Path
    date: dt.date | None
    day: int | None
    title: str
    moderator: str = ""
    participants: list[str] = field(default_factory=list)
    questions: int = 0
    error: str | None = None

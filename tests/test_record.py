"""Record: the small immutable values of publishing (what frozen dataclasses gave)."""

from __future__ import annotations

import pytest

from studylog.git.push import Pushed, Target
from studylog.git.repo import Status


def test_equal_hashed_and_shown_by_their_values() -> None:
    assert Status("??", "a.md") == Status("??", "a.md", None)
    assert Status("??", "a.md") != Status(" M", "a.md")
    assert Target("origin", "main") != ("origin", "main")
    assert len({Target("origin", "main"), Target("origin", "main")}) == 1
    assert repr(Status("R ", "b.md", "a.md")) == "Status(code='R ', path='b.md', old='a.md')"
    assert str(Target("origin", "main")) == "origin/main"
    assert Pushed(Target("o", "m"), "abc").rebased == 0


def test_immutable() -> None:
    status = Status("??", "a.md")
    with pytest.raises(AttributeError, match="immutable"):
        status.path = "b.md"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        status.other = 1  # type: ignore[attr-defined]

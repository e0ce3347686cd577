"""A draft's date: read from and written into its front matter, keeping everything else."""

from __future__ import annotations

import datetime as dt

import pytest

from studylog.git import promote

DAY = dt.date(2021, 8, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: x\ndate: 2021-08-18\n---\nbody\n",
            "---\ntitle: x\ndate: 2021-08-20\n---\nbody\n",
        ),
        (
            '---\ndate: "2021-08-18 10:00 +0900"\n---\n',
            '---\ndate: "2021-08-20 10:00 +0900"\n---\n',
        ),
        (
            "---\ndate: 2021-08-18\nlast_modified_at: 2021-08-18\n---\n",
            "---\ndate: 2021-08-20\nlast_modified_at: 2021-08-20\n---\n",
        ),
        (
            "---\ndate: 2021-08-18\nlast_modified_at: 2021-08-30\n---\n",
            "---\ndate: 2021-08-20\nlast_modified_at: 2021-08-30\n---\n",
        ),
        (
            "---\ntitle: x\n---\ndate: 2021-08-18 in the body\n",
            "---\ntitle: x\ndate: 2021-08-20\n---\ndate: 2021-08-18 in the body\n",
        ),
        ("no front matter\n", "---\ndate: 2021-08-20\n---\nno front matter\n"),
    ],
)
def test_with_date_sets_only_the_front_matter_date(text: str, expected: str) -> None:
    assert promote.with_date(text, DAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ndate: 2021-08-18\n---\n", dt.date(2021, 8, 18)),
        ("---\ndate: '2021-08-18T10:00:00'\n---\n", dt.date(2021, 8, 18)),
        ("---\nlast_modified_at: 2021-08-18\n---\n", None),
        ("---\ndate: 2021-13-45\n---\n", None),
        ("date: 2021-08-18\n", None),
    ],
)
def test_front_date(text: str, expected: dt.date | None) -> None:
    assert promote.front_date(text) == expected

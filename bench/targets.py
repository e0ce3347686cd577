"""The targets of issue 11, judged from the figures of one run.

Ratios of medians of studylog and a peer measured side by side at the target size; peak memory
of `list` at the large size; and the growth of every studylog command's time with the blog's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import cases as c
from measure import Case

MEMORY_LIMIT_MB = 100
GROWTH_SLACK = 1.5  # the cost per post may grow this much from the small to the large sizes
GROWTH_NOISE = 0.2  # plus this share of the time at the target size: the medians' noise
RATIOS = (  # (what, studylog's case, the peer's case, the limit)
    ("`list`, warm cache", c.LIST_WARM, c.HUGO_LIST, 0.2),
    ("first `list` (empty cache)", c.LIST_EMPTY, c.HUGO_LIST, 1.5),
    ("`new --from FILE --yes`", c.NEW_FILE, c.HUGO_NEW, 2.5),
    ("`--version`", c.VERSION, c.JRNL, 0.75),
    ("`publish`", c.PUBLISH, c.BARE_GIT, 3.0),
)
GROWTH_RULE = (
    "With the medians t1, t2, t3 at n1 < n2 < n3 posts, a command passes when "
    f"t3 ≤ t2 + {GROWTH_SLACK} × s × (n3 − n2) + {GROWTH_NOISE} × t2, where "
    "s = max(0, (t2 − t1) / (n2 − n1)) is its cost per post between the first two sizes. "
    "Linear growth keeps the cost per post (and n log n raises it by ~1.15×): it passes, with "
    "room for noise; quadratic growth nearly triples it from 5,000 to 10,000 posts, and fails "
    "as soon as its quadratic part at n2 outweighs about a sixth of the fixed part."
)


@dataclass(frozen=True)
class Target:
    """A target against a peer (or a limit) and how this run did."""

    what: str
    studylog: str
    peer: str
    ratio: str
    limit: str
    verdict: str  # PASS, FAIL (by how much) or n/a: why


@dataclass(frozen=True)
class Growth:
    """How one studylog command's time grew over the three blog sizes."""

    command: str
    times: tuple[float | None, ...]  # seconds at each size, None where not measured
    limit: float | None  # at the largest size
    verdict: str


def find(found: list[Case], label: str, size: int) -> Case | None:
    """The case `label` at `size`, if any."""
    return next((x for x in found if x.label == label and x.size == size), None)


def ms(seconds: float) -> str:
    """A time in milliseconds, to a precision the noise allows."""
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def verdict(value: float, limit: float) -> str:
    """PASS, or FAIL and by how much."""
    return "PASS" if value <= limit else f"FAIL ({value / limit - 1:.0%} over)"


def ratio_target(
    found: list[Case], size: int, what: str, ours: str, theirs: str, limit: float
) -> Target:
    """studylog's median against the peer's, at `size` posts."""
    name = f"{what} / `{theirs}`"
    pair = [find(found, ours, size), find(found, theirs, size)]
    for case in pair:
        if case is None or not case.ok:
            why = "not measured" if case is None else f"{case.label}: {case.status}"
            return Target(name, "", "", "", f"≤ {limit}×", f"n/a: {why}")
    mine, peer = (x.median for x in pair if x is not None)
    ratio = mine / peer
    return Target(name, ms(mine), ms(peer), f"{ratio:.2f}×", f"≤ {limit}×", verdict(ratio, limit))


def memory_target(found: list[Case], size: int) -> Target:
    """The highest peak RSS of `list` (any cache state) at `size` posts."""
    what, limit = f"`list` peak RSS at {size:,} posts", f"≤ {MEMORY_LIMIT_MB} MB"
    lists = [find(found, label, size) for label in (c.LIST_EMPTY, c.LIST_WARM, c.LIST_CHANGED)]
    peaks = [x.peak_kb / 1024 for x in lists if x is not None and x.peak_kb]
    if not peaks:
        first = lists[0]
        why = first.status if first is not None and not first.ok else "no peak RSS (GNU time?)"
        return Target(what, "", "", "", limit, f"n/a: {why}")
    peak = max(peaks)
    return Target(what, f"{peak:.0f} MB", "—", "—", limit, verdict(peak, MEMORY_LIMIT_MB))


def targets(found: list[Case], target_size: int, large: int) -> list[Target]:
    """Every target of the issue but growth: the ratios at `target_size`, memory at `large`."""
    ratios = [ratio_target(found, target_size, *row) for row in RATIOS]
    return [*ratios, memory_target(found, large)]


def growth(found: list[Case], sizes: tuple[int, int, int]) -> list[Growth]:
    """The growth check (GROWTH_RULE) of every studylog command measured at every size."""
    labels = dict.fromkeys(x.label for x in found if x.label.startswith("studylog"))
    return [growth_of(found, label, sizes) for label in labels]


def growth_of(found: list[Case], label: str, sizes: tuple[int, int, int]) -> Growth:
    """GROWTH_RULE applied to the command `label`."""
    runs = [find(found, label, n) for n in sizes]
    times = tuple(x.median if x is not None and x.ok else None for x in runs)
    t1, t2, t3 = times
    if t1 is None or t2 is None or t3 is None:
        failed = next((x for x in runs if x is not None and not x.ok), None)
        return Growth(label, times, None, f"n/a: {failed.status if failed else 'not measured'}")
    n1, n2, n3 = sizes
    per_post = max(0.0, (t2 - t1) / (n2 - n1))
    limit = t2 + GROWTH_SLACK * per_post * (n3 - n2) + GROWTH_NOISE * t2
    return Growth(label, times, limit, verdict(t3, limit))

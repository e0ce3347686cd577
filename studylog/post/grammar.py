"""What the reader recognises in a post's body: the sections' headings (configured, Korean and
English), the structural lines (headings, `Q.`/`A.` lines, rules, `<br>`, label lines, code
fences) and the closing block; pure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from studylog.config import DEFAULT_HEADINGS, EN_HEADINGS

SECTIONS = ("topics", "peer", "discussion", "mentoring")
# One alternative a kind of structural line; each is a named group, so `lastgroup` names the kind.
LINES = r"""
(?P<fence>[ ]{0,3}(?P<ticks>`{3,}|~{3,})(?P<info>[^\n]*))
|(?P<heading>(?P<hashes>\#{1,6})(?:[ \t]+(?P<title>[^\n]*?))?[ \t]*)
|(?P<q>Q\d*[ \t]*[.:](?:[ \t](?P<qtext>[^\n]*))?)
|(?P<a>A\d*[ \t]*[.:](?:[ \t](?P<atext>[^\n]*))?)
|(?P<rule>(?:-{3,}|\*{3,}|_{3,})[ \t]*)
|(?P<br>[ \t]*<br[ \t]*/?>[ \t]*)
|(?P<mod>(?:[-*+][ \t]+)?(?:\*\*)?(?:MOD)(?:\*\*)?[ \t]*[:：][ \t]*(?P<modtext>[^\n]*))
|(?P<par>(?:[-*+][ \t]+)?(?:\*\*)?(?:PAR)(?:\*\*)?[ \t]*[:：][ \t]*(?P<partext>[^\n]*))
"""


@dataclass(frozen=True)
class Grammar:
    """What the reader recognises: the sections' headings, the structural lines (a pattern
    searched in the body after a newline), the closing block."""

    sections: Mapping[str, str]  # a heading's `heading_key` -> the section it names
    lines: re.Pattern[str]
    footer: str

    def section_of(self, heading: str) -> str | None:
        """The section a heading (of level 1-3) names, if any."""
        return self.sections.get(heading_key(heading))


def heading_key(text: str) -> str:
    """A heading as compared: letters and digits only, case-folded (emoji and spaces ignored)."""
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


@lru_cache(maxsize=8)
def grammar(headings: tuple[tuple[str, str], ...], footer: str) -> Grammar:
    """The grammar for configured headings (as sorted items) and footer line; the built-in
    Korean and English headings and labels are always known too."""
    given = dict(headings)
    names = {k: {given.get(k, ""), v, EN_HEADINGS[k]} - {""} for k, v in DEFAULT_HEADINGS.items()}
    # A heading two sections share names the first of them.
    keys = {heading_key(n): s for s in reversed(SECTIONS) for n in names[s] if heading_key(n)}
    moderator, participants = _labels(names["moderator"]), _labels(names["participants"])
    pattern = LINES.replace("MOD", moderator).replace("PAR", participants)
    alternatives = [a.lstrip("|") for a in pattern.strip().split("\n")]
    lines = re.compile("\n(?:" + "|".join(alternatives) + ")$", re.MULTILINE)
    return Grammar(keys, lines, f"```\n{footer}\n```")


def _labels(names: set[str]) -> str:
    """A pattern for any of the label's names, case-insensitive, the longest tried first."""
    longest_first = sorted(names, key=lambda n: (-len(n), n))
    return "(?i:" + "|".join(re.escape(n) for n in longest_first) + ")"

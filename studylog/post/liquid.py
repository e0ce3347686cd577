"""Jekyll's Liquid and user text: wrapping text in raw blocks so it shows literally, and finding
where Liquid would act on a post (tags and outputs outside raw blocks); pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Liquid's own tokenizer (Liquid::TemplateParser): a tag, an output, or a lone opening.
TOKEN = re.compile(r"\{%.*?%\}|\{\{.*?\}\}?|\{%|\{\{", re.S)
TAG_NAME = re.compile(r"\{%-?\s*([A-Za-z0-9_]+)")
# Liquid::Raw::FullTokenPossiblyInvalid: any token ending in a tag whose first word is endraw
# closes the block (the same rule holds for `comment`, whose body Liquid never outputs).
BLOCK_END = re.compile(r"\A.*\{%\s*([A-Za-z0-9_]+)\s*.*%\}\Z", re.S)
VERBATIM = {"raw": "endraw", "comment": "endcomment"}
# How studylog writes a literal `{%` between raw blocks (see liquid_safe): meant to run.
TAG_START_OUTPUT = '{{ "{%" }}'

RAW_OPEN, RAW_CLOSE = "{% raw %}", "{% endraw %}"
# How a literal `{% endraw %}` is written inside a raw block: close it, print the tag's opening
# as a Liquid string, then reopen.
RAW_CLOSE_ESCAPED = RAW_CLOSE + '{{ "{%" }} endraw %}' + RAW_OPEN
# Liquid closes a raw block at any tag whose first word is `endraw` (`{%endraw%}`,
# `{% endraw x %}`, and `{%- endraw -%}` in newer Liquid), not only at `{% endraw %}`: every
# `{%` that starts such a tag is printed as a Liquid string outside the block.
ENDRAW_START = re.compile(r"\{%(?:( endraw %\})|(?=-?\s*endraw(?![A-Za-z0-9_])))")
TAG_START_ESCAPED = RAW_CLOSE + '{{ "{%" }}' + RAW_OPEN
_ESCAPED = re.compile(re.escape(RAW_CLOSE + '{{ "{%" }}') + "( endraw %})?" + re.escape(RAW_OPEN))


def liquid_safe(text: str) -> str:
    """Wrap text that Jekyll's Liquid would interpret in a raw block, so it shows literally."""
    if "{{" not in text and "{%" not in text:
        return text
    inner = ENDRAW_START.sub(lambda m: RAW_CLOSE_ESCAPED if m[1] else TAG_START_ESCAPED, text)
    return RAW_OPEN + inner + RAW_CLOSE


def liquid_unwrap(text: str) -> str:
    """The inverse of `liquid_safe`."""
    if text.startswith(RAW_OPEN) and text.endswith(RAW_CLOSE):
        inner = text[len(RAW_OPEN) : -len(RAW_CLOSE)]
        return _ESCAPED.sub(lambda m: "{%" + (m[1] or ""), inner)
    return text


@dataclass(frozen=True, slots=True)
class Scan:
    """What Liquid would do with a text: (line, token) pairs it would run, and broken blocks."""

    outside: list[tuple[int, str]] = field(default_factory=list)
    unclosed: tuple[int, str] | None = None
    stray_end: tuple[int, str] | None = None


def scan(text: str, first_line: int = 1) -> Scan:
    """Find the Liquid that Jekyll would run in `text` (whose first line is `first_line`)."""
    outside: list[tuple[int, str]] = []
    open_block: tuple[int, str] | None = None
    stray_end: tuple[int, str] | None = None
    line, counted = first_line, 0  # lines counted up to `counted`, once each: linear
    for match in TOKEN.finditer(text):
        token = match[0]
        line, counted = line + text.count("\n", counted, match.start()), match.start()
        if open_block:
            end = BLOCK_END.match(token)
            if end and end[1] == VERBATIM[open_block[1]]:
                open_block = None
            continue
        name = TAG_NAME.match(token)
        if name and name[1] in VERBATIM:
            open_block = (line, name[1])
        elif name and name[1] == "endraw":
            stray_end = stray_end or (line, token)
        elif token != TAG_START_OUTPUT:
            outside.append((line, token))
    return Scan(outside, open_block, stray_end)

"""The built-in templates (templates/*.md.j2) as plain Python: `new` renders without Jinja2.

Importing Jinja2 and compiling a template costs more than everything else `new --from` does.
A renderer here stands for one exact template text (its SHA-256): any other text, an edited
built-in included, goes through Jinja2. tests/test_fastrender.py checks that each renderer gives
the bytes Jinja2 renders from its template, and that the digests are those of the shipped files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from studylog.post.digest import sha256_hex

HEADING_KEYS = ("topics", "peer", "moderator", "participants", "discussion", "mentoring")
EXTRA_KEYS = ("head", "topics", "peer", "discussion", "mentoring", "tail")

# SHA-256 of the UTF-8 text of each built-in template -> what it puts between a label and its
# value (`모더레이터 : 이서연`, `Moderator: Jane`); the templates differ in nothing else.
SEPARATORS = {
    "bc49595ad4eb4ff7dce1c52edabbe1c3bafa6ca1ff4762326da0ec340c0759b1": " : ",  # default
    "889f754ad5272f656b6574de5205ec241f399670984f0203497c4fd155ce1b15": ": ",  # en
}

Renderer = Callable[[Mapping[str, Any]], str]


def digest(text: str) -> str:
    """The key of a template text in SEPARATORS."""
    return sha256_hex(text)


def renderer_for(text: str) -> Renderer | None:
    """The plain-Python renderer of this exact template text; None: render it with Jinja2."""
    separator = SEPARATORS.get(digest(text))
    return None if separator is None else partial(render_builtin, separator=separator)


def fits(context: Mapping[str, Any]) -> bool:
    """Whether the context holds every heading and slot the built-in templates read.

    A missing one is left to Jinja2, whose StrictUndefined names it.
    """
    headings, extras = context.get("headings"), context.get("extras")
    return (
        isinstance(headings, Mapping)
        and isinstance(extras, Mapping)
        and all(key in headings for key in HEADING_KEYS)
        and all(key in extras for key in EXTRA_KEYS)
    )


def render_builtin(context: Mapping[str, Any], separator: str) -> str:
    """A built-in template's text for a `render.context`, line for line as Jinja2 renders it."""
    out: list[str] = ["---\n", str(context["front_matter"]), "---\n\n"]
    _topics(out, context)
    _peer(out, context, separator)
    _discussion(out, context)
    _mentoring(out, context)
    tail = context["extras"]["tail"]
    if tail:
        out += [str(tail), "\n\n<br>\n\n"]
    out += [str(context["footer_block"]), "\n"]
    return "".join(out)


def _topics(out: list[str], context: Mapping[str, Any]) -> None:
    headings, extras = context["headings"], context["extras"]
    if extras["head"]:
        out += [str(extras["head"]), "\n\n"]
    out += ["## ", str(headings["topics"]), "\n\n"]
    out += [str(topic["line"]) + "\n" for topic in context["topics"]]
    if extras["topics"]:
        out += ["\n", str(extras["topics"]), "\n"]


def _peer(out: list[str], context: Mapping[str, Any], separator: str) -> None:
    headings, extras = context["headings"], context["extras"]
    participants = ", ".join(str(name) for name in context["participants"])
    out += ["\n<br>\n\n## ", str(headings["peer"]), "\n\n"]
    out += [str(headings["moderator"]), separator, str(context["moderator"]), "\n\n"]
    out += [str(headings["participants"]), separator, participants, "\n"]
    if extras["peer"]:
        out += ["\n", str(extras["peer"]), "\n"]


def _discussion(out: list[str], context: Mapping[str, Any]) -> None:
    extras = context["extras"]
    out += ["\n<br>\n\n### ", str(context["headings"]["discussion"]), "\n\n"]
    for number, qa in enumerate(context["discussion"]):
        if number:
            out.append("\n---\n\n")
        out += [str(qa["question_block"]), "\n\n", str(qa["answer_block"]), "\n"]
    if extras["discussion"]:
        out += ["\n", str(extras["discussion"]), "\n"]


def _mentoring(out: list[str], context: Mapping[str, Any]) -> None:
    extras = context["extras"]
    out += ["\n<br>\n\n### ", str(context["headings"]["mentoring"]), "\n\n"]
    if context["mentoring"]:
        out += [str(context["mentoring"]), "\n\n"]
    if extras["mentoring"]:
        out += [str(extras["mentoring"]), "\n\n"]
    out.append("<br>\n\n")

"""Entry -> post text through Jinja2, the one renderer of every template, built-in or the user's.

Pure but for Jinja2's cache of compiled templates in the user cache dir. User text arrives as
variables (Liquid-safe), never as template text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import traceback
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.bccache import Bucket

from studylog import paths
from studylog.config import Settings
from studylog.errors import TemplateError
from studylog.post.escape import html_safe, lines_safe
from studylog.post.front_matter import front_matter_yaml
from studylog.post.liquid import RAW_OPEN, liquid_safe
from studylog.post.model import EXTRA_SLOTS, QA, Entry, Topic

BUILTIN_TEMPLATES = ("default", "en")
TEMPLATE_FILE = "template.md.j2"
BLOG_TEMPLATE = Path(".studylog") / TEMPLATE_FILE


@dataclass(frozen=True)
class Template:
    """The template in use: its name, why it won, its file (None for a built-in) and its text."""

    name: str
    source: str
    path: Path | None
    text: str


def builtin_template(name: str) -> str:
    """The text of a template shipped with studylog."""
    return (resources.files(__package__) / "templates" / f"{name}.md.j2").read_text("utf-8")


def user_template_path() -> Path:
    """The user's own template, used when neither the config nor the blog names one."""
    return paths.config_dir() / TEMPLATE_FILE


def choose_template(settings: Settings, blog: Path | None) -> Template:
    """The `template` key when set, else the blog's own template, else the user's, else default."""
    source = settings.sources.get("template", "default")
    if settings.template != "default" or source != "default":
        chosen_by = source if source == "--template" else f"the 'template' key ({source})"
        if settings.template in BUILTIN_TEMPLATES:
            return _builtin(settings.template, f"built-in, chosen by {chosen_by}")
        path = Path(settings.template).expanduser()
        return _from_file(path, f"chosen by {chosen_by}", explicit=True)
    if blog is not None and (blog / BLOG_TEMPLATE).is_file():
        return _from_file(blog / BLOG_TEMPLATE, "the blog's own")
    if user_template_path().is_file():
        return _from_file(user_template_path(), "the user's own, in the config directory")
    return _builtin("default", "built-in default")


def _builtin(name: str, source: str) -> Template:
    return Template(name, source, None, builtin_template(name))


def _from_file(path: Path, source: str, *, explicit: bool = False) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        fix = (
            f"the 'template' config key or --template takes {', '.join(BUILTIN_TEMPLATES)} "
            "or a template file"
            if explicit
            else "fix or remove it"
        )
        raise TemplateError(f"cannot read template {path}: {why}; {fix}") from exc
    return Template(str(path), source, path, text)


def template_source(settings: Settings, blog: Path | None) -> tuple[str, str]:
    """(name, text) of the template in use for `blog` (see `choose_template`), checked."""
    chosen = choose_template(settings, blog)
    check_template(chosen.name, chosen.text, settings)
    return chosen.name, chosen.text


def badge_url(label: str) -> str:
    """The shields.io static-badge URL for a label (dashes and underscores doubled)."""
    escaped = label.replace("-", "--").replace("_", "__")
    # Spaces stay as the user writes them; browsers send them as %20, which shields reads.
    return "https://img.shields.io/badge/-" + quote(escaped, safe=" ") + "-red"


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def topic_line(topic: Topic) -> str:
    """One bullet of the study-content list: a badge inside a link, or plain text."""
    if not topic.url:
        return "- " + html_safe(topic.label)
    img = f'<img src="{_attr(badge_url(topic.label))}"/>'
    return f'- <a href="{_attr(topic.url)}">{img}</a>'


def question_block(question: str) -> str:
    """`Q. ` and the question; `Q.` and a blank line before one that starts indented."""
    return ("Q.\n\n" if _indented(question) else "Q. ") + question


def answer_block(answer: str) -> str:
    """`A. text` for a one-line answer, `A.` then the text on the next line for a longer one,
    after a blank line when it starts indented (code shows as code, indentation stays)."""
    if not answer:
        return "A."
    if _indented(answer):
        return "A.\n\n" + answer
    return ("A.\n" if "\n" in answer else "A. ") + answer


def _indented(text: str) -> bool:
    return text.removeprefix(RAW_OPEN)[:1] in (" ", "\t")


def user_text(text: str, *, lines: bool = False, markers: bool = True) -> str:
    """User text as the post holds it: `<` shown, not taken for a tag; with `lines`, no line read
    as a heading or (with `markers`) a Q/A marker (see post/escape.py); Liquid shown, not run."""
    return liquid_safe(html_safe(lines_safe(text, markers=markers) if lines else text))


def context(entry: Entry, settings: Settings, front_matter: str | None = None) -> dict[str, Any]:
    """The template's variables; user text arrives Liquid-safe and is never itself a template.
    `front_matter`: the YAML text, when it is not the entry's own written in the settings' style."""
    if front_matter is None:
        front_matter = front_matter_yaml(
            settings.front_matter, entry.front_matter, entry.title, entry.date
        )
    footer = entry.extras.get("footer")
    return {
        "front_matter": front_matter,
        "entry": entry,
        "date": entry.date,
        "day": entry.day,
        "title": entry.title,
        "headings": settings.headings,
        "topics": [
            {"label": t.label, "url": t.url, "line": liquid_safe(topic_line(t))}
            for t in entry.topics
        ],
        "moderator": user_text(entry.moderator),
        "participants": [user_text(p) for p in entry.participants],
        "discussion": [_pair(qa) for qa in entry.discussion],
        "mentoring": user_text(entry.mentoring, lines=True, markers=False),
        "extras": {slot: entry.extras.get(slot, "") for slot in EXTRA_SLOTS},
        "footer": settings.footer,
        "footer_block": footer if footer is not None else f"```\n{settings.footer}\n```",
    }


def _pair(qa: QA) -> dict[str, str]:
    question, answer = user_text(qa.question, lines=True), user_text(qa.answer, lines=True)
    return {
        "question": question,
        "answer": answer,
        "question_block": question_block(question),
        "answer_block": answer_block(answer),
    }


def render(entry: Entry, settings: Settings, template: tuple[str, str] | None = None) -> str:
    """The post text for an entry; TemplateError names an unknown variable or a syntax error."""
    # Without `template`: the one the settings select, as if the blog had none of its own.
    name, text = template or template_source(settings, None)
    return render_jinja(name, text, context(entry, settings))


# An entry that fills every field, so that checking a template runs every loop and branch a
# real post can reach: topics with and without a link, several Q&As, every extras slot.
SAMPLE = Entry(
    date=dt.date(2021, 8, 18),
    day=13,
    title="Day13",
    topics=[Topic("Transformer", "https://example.com/transformer"), Topic("Reading")],
    moderator="Moderator",
    participants=["Moderator", "Participant"],
    discussion=[QA("A question?", "One line."), QA("Another?", "Two\nlines."), QA("Third?", "")],
    mentoring="- advice",
    extras={slot: f"({slot})" for slot in EXTRA_SLOTS},
)


def check_template(name: str, text: str, settings: Settings) -> None:
    """TemplateError for a template that fails on SAMPLE: a typo in a loop or branch that
    today's entry skips is found when the template is chosen, not on the day that reaches it."""
    # The template only places the front matter's text: any text checks it (the user's own front
    # matter is checked when a post is written with it).
    render_jinja(name, text, context(SAMPLE, settings, front_matter="title: Day13\n"))


# Compiled code depends on the template text (Jinja2 keeps its checksum in the cache file), on
# these options and on Jinja2's version: the last two name the cache files.
OPTIONS: dict[str, Any] = {
    "autoescape": False,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}
_KEY = f"{jinja2.__version__} {sorted(OPTIONS.items())}"
CACHE_FILES = "%s-" + hashlib.sha256(_KEY.encode()).hexdigest()[:16] + ".cache"


class CompiledCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's cache of compiled templates in the user cache dir; a damaged file or a directory
    that cannot be written only costs a compile."""

    def __init__(self) -> None:
        super().__init__(str(paths.cache_dir() / "templates"), CACHE_FILES)

    def load_bytecode(self, bucket: Bucket) -> None:
        """Load the compiled code; none when the file is damaged (Jinja2 checks its header)."""
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated file fails in pickle or marshal, with many error types
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the compiled code, unless the cache dir cannot be written."""
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def render_jinja(name: str, text: str, variables: dict[str, Any]) -> str:
    """`text` rendered by Jinja2 (StrictUndefined, no autoescaping) with `variables`."""
    env = jinja2.Environment(
        loader=jinja2.DictLoader({name: text}),
        undefined=jinja2.StrictUndefined,
        bytecode_cache=CompiledCache(),
        **OPTIONS,
    )
    try:
        return env.get_template(name).render(variables)
    except jinja2.UndefinedError as exc:
        line = _template_line(exc)
        where = f" on line {line}" if line else ""
        raise TemplateError(
            f"template {name} uses an unknown variable{where}: {exc.message}"
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {name}, line {exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {name} failed: {exc}") from exc


def _template_line(exc: BaseException) -> int | None:
    """The template line that raised `exc` (Jinja2 rewrites the traceback to point at it)."""
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename == "<template>"
    ]
    return lines[-1] if lines else None

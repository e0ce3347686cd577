"""Entry -> post text through the template; pure (the template text is passed in) but for
Jinja2's compiled-code cache. The built-in templates render in plain Python (fastrender)."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from studylog import paths
from studylog.config import DEFAULT_FRONT_MATTER, Settings
from studylog.errors import TemplateError
from studylog.post.model import EXTRA_SLOTS, Entry, Topic

TEMPLATES_DIR = Path(__file__).parent / "templates"
BUILTIN_TEMPLATES = ("default", "en")
TEMPLATE_FILE = "template.md.j2"
BLOG_TEMPLATE = Path(".studylog") / TEMPLATE_FILE
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
# Plain YAML scalars that Jekyll's YAML 1.1 reader (Psych) takes for something else than text:
# booleans in any case, null, and anything that may be a number, a date or a time (1:30).
YAML_SPECIAL_WORD = re.compile(r"(?i)y|yes|n|no|true|false|on|off|null|~")


@dataclass(frozen=True)
class Template:
    """The template in use: its name, why it won, its file (None for a built-in) and its text."""

    name: str
    source: str
    path: Path | None
    text: str


def builtin_template(name: str) -> str:
    """The text of a template shipped with studylog."""
    # Beside this module rather than through importlib.resources (~3 ms of imports a post).
    return (TEMPLATES_DIR / f"{name}.md.j2").read_text("utf-8")


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
    """(name, text) of the template in use for `blog` (see `choose_template`)."""
    chosen = choose_template(settings, blog)
    return chosen.name, chosen.text


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
        return "- " + topic.label
    img = f'<img src="{_attr(badge_url(topic.label))}"/>'
    return f'- <a href="{_attr(topic.url)}">{img}</a>'


def question_block(question: str) -> str:
    """`Q. ` and the question."""
    return "Q. " + question


def answer_block(answer: str) -> str:
    """`A. text` for a one-line answer, `A.` then the text on the next line for a longer one."""
    if not answer:
        return "A."
    return ("A.\n" if "\n" in answer else "A. ") + answer


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1 << 16
    yaml.representer.ignore_aliases = lambda *_: True  # title/date values are often equal
    return yaml


def front_matter_yaml(style_text: str, values: dict[str, Any], title: str, date: dt.date) -> str:
    """The front matter as YAML: `values` (or the style's own) in the style's quoting and layout."""
    if not values and style_text == DEFAULT_FRONT_MATTER:
        quick = default_front_matter(title, date)
        if quick is not None:
            return quick
    return _round_trip(style_text, values, title, date)


def default_front_matter(title: str, date: dt.date) -> str | None:
    """The default front matter with a title and date, as ruamel writes it, without ruamel
    (about 40 ms of import and dumping); None for a title ruamel would escape or fold."""
    if not _double_quoted_as_is(title):
        return None
    head, title_line, rest = DEFAULT_FRONT_MATTER.partition('\ntitle: ""\n')
    middle, dates, tail = rest.partition("\ndate: 2021-01-01\nlast_modified_at: 2021-01-01\n")
    if not title_line or not dates or tail:
        return None  # DEFAULT_FRONT_MATTER changed shape: ruamel knows
    day = date.isoformat()
    return f'{head}\ntitle: "{title}"\n{middle}\ndate: {day}\nlast_modified_at: {day}\n'


def _double_quoted_as_is(text: str) -> bool:
    """Whether ruamel writes `text` double-quoted as it is: not folded (it folds at 65,536
    columns), no quote or backslash, and only characters printable for both Python and YAML
    (Python's printable characters are a subset of YAML's)."""
    return len(text) <= 1000 and text.isprintable() and '"' not in text and "\\" not in text


def _round_trip(style_text: str, values: dict[str, Any], title: str, date: dt.date) -> str:
    """`front_matter_yaml` through ruamel's round trip, which keeps the style's layout."""
    from ruamel.yaml.comments import CommentedMap

    yaml = _yaml()
    try:
        style = yaml.load(style_text) or CommentedMap()
    except Exception as exc:  # ruamel raises many error types; all mean the same here
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise TemplateError(
            f"the 'front_matter' config key is not valid YAML ({where}{problem}): fix it"
        ) from exc
    if not isinstance(style, dict):
        raise TemplateError("the 'front_matter' config key must be a YAML mapping")
    mapping = _restyle(style, values) if values else style
    _set_key(mapping, "title", _like(mapping.get("title", style.get("title")), title), "defaults")
    _set_key(mapping, "date", _keep_time(mapping.get("date"), date), None)
    if not values or "last_modified_at" not in values:
        _set_key(mapping, "last_modified_at", date, None)
    out = io.StringIO()
    yaml.dump(mapping, out)
    return out.getvalue()


def _restyle(style: Any, values: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap()
    for key, value in values.items():
        old = style.get(key)
        mapping[key] = old if old == value and type(old) is not bool else _like(old, value)
    return mapping


def _like(old: Any, new: Any) -> Any:
    """`new`, quoted the way the user quoted the value it replaces (or as Jekyll needs)."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)
    return _jekyll_safe(new)


def _jekyll_safe(value: Any) -> Any:
    """Text that Jekyll's YAML 1.1 would read as something else, double-quoted (also nested)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

    if isinstance(value, dict):
        return type(value)((k, _jekyll_safe(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_jekyll_safe(v) for v in value]
    if isinstance(value, str) and not isinstance(value, ScalarString) and _yaml_special(value):
        return DoubleQuotedScalarString(value)
    return value


def _yaml_special(text: str) -> bool:
    import yaml

    if not text or text[0] in "0123456789+-.:~" or YAML_SPECIAL_WORD.fullmatch(text):
        return True
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return tag != "tag:yaml.org,2002:str"


def _keep_time(old: Any, date: dt.date) -> Any:
    """A date-time is kept only with an explicit offset and on the post's own day."""
    if isinstance(old, dt.datetime) and old.utcoffset() is not None and old.date() == date:
        return old
    return date


def _set_key(mapping: Any, key: str, value: Any, after: str | None) -> None:
    if key in mapping or after is None:
        mapping[key] = value
        return
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else 0
    mapping.insert(position, key, value)


def context(entry: Entry, settings: Settings) -> dict[str, Any]:
    """The template's variables; user text arrives Liquid-safe and is never itself a template."""
    fm = front_matter_yaml(settings.front_matter, entry.front_matter, entry.title, entry.date)
    footer = entry.extras.get("footer")
    return {
        "front_matter": fm,
        "entry": entry,
        "date": entry.date,
        "day": entry.day,
        "title": entry.title,
        "headings": settings.headings,
        "topics": [
            {"label": t.label, "url": t.url, "line": liquid_safe(topic_line(t))}
            for t in entry.topics
        ],
        "moderator": liquid_safe(entry.moderator),
        "participants": [liquid_safe(p) for p in entry.participants],
        "discussion": [
            {
                "question": liquid_safe(qa.question),
                "answer": liquid_safe(qa.answer),
                "question_block": question_block(liquid_safe(qa.question)),
                "answer_block": answer_block(liquid_safe(qa.answer)),
            }
            for qa in entry.discussion
        ],
        "mentoring": liquid_safe(entry.mentoring),
        "extras": {slot: entry.extras.get(slot, "") for slot in EXTRA_SLOTS},
        "footer": settings.footer,
        "footer_block": footer if footer is not None else f"```\n{settings.footer}\n```",
    }


def render(entry: Entry, settings: Settings, template: tuple[str, str] | None = None) -> str:
    """The post text for an entry; TemplateError names an unknown variable or a syntax error."""
    # Without `template`: the one the settings select, as if the blog had none of its own.
    from studylog.post import fastrender

    name, text = template or template_source(settings, None)
    variables = context(entry, settings)
    quick = fastrender.renderer_for(text)
    if quick is not None and fastrender.fits(variables):
        return quick(variables)
    return render_jinja(name, text, variables)


# What the compiled code of a template depends on besides its text: the cache key holds it.
JINJA_OPTIONS = {
    "undefined": "StrictUndefined",
    "autoescape": False,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def render_jinja(name: str, text: str, variables: dict[str, Any]) -> str:
    """`text` rendered by Jinja2 (StrictUndefined, no autoescaping) with `variables`."""
    import jinja2

    options = {**JINJA_OPTIONS, "undefined": jinja2.StrictUndefined}
    env = jinja2.Environment(**options)  # type: ignore[arg-type]
    try:
        return _compiled(env, name, text).render(variables)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template {name} uses an unknown variable: {exc.message}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template {name}, line {exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template {name} failed: {exc}") from exc


def _compiled(env: Any, name: str, text: str) -> Any:
    """The template, its compiled code kept in the user cache dir (recompiled when the text,
    the options, Jinja2 or Python change); compiled afresh when the cache cannot be used."""
    import jinja2

    cache = jinja2.FileSystemBytecodeCache(str(paths.cache_dir() / "templates"))
    key = f"{jinja2.__version__}|{sorted(JINJA_OPTIONS.items())}"
    try:
        bucket = cache.get_bucket(env, name, key, text)
    except Exception:  # a damaged cache file: compiled afresh, then replaced
        checksum = cache.get_source_checksum(text)
        bucket = jinja2.bccache.Bucket(env, cache.get_cache_key(name, key), checksum)
    code = bucket.code
    if code is None:
        code = env.compile(text)  # TemplateSyntaxError before anything is kept
        _keep(cache, bucket, code)
    return env.template_class.from_code(env, code, env.make_globals(None))


def _keep(cache: Any, bucket: Any, code: Any) -> None:
    """Store compiled code; a cache dir that cannot be written only costs the next compile."""
    bucket.code = code
    try:
        Path(cache.directory).mkdir(parents=True, exist_ok=True)
        cache.set_bucket(bucket)
    except OSError:
        pass

"""A post's front matter as YAML, written in the user's own style: the one front-matter writer.

ruamel.yaml's round trip keeps what the user wrote in the `front_matter` config key: key order,
quoting, comments, blank lines and the indentation of lists. PyYAML (what python-frontmatter
reads with) drops all of that on loading, so it only answers how a YAML 1.1 reader such as
Jekyll's would read a plain scalar.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, PlainScalarString, ScalarString

from studylog.errors import TemplateError
from studylog.post.model import stamp_of

# Plain YAML scalars that Jekyll's YAML 1.1 reader (Psych) takes for something else than text:
# booleans in any case, null, and anything that may be a number, a date or a time (1:30).
YAML_SPECIAL_WORD = re.compile(r"(?i)y|yes|n|no|true|false|on|off|null|~")
RESOLVER = yaml.resolver.Resolver()


def _yaml() -> YAML:
    yaml_ = YAML()
    yaml_.preserve_quotes = True
    yaml_.indent(mapping=2, sequence=4, offset=2)
    yaml_.width = 1 << 16  # a long title stays on its line
    yaml_.representer.ignore_aliases = lambda *_: True  # title/date values are often equal
    return yaml_


def front_matter_yaml(style_text: str, values: dict[str, Any], title: str, date: dt.date) -> str:
    """The front matter as YAML: `values` (or the style's own) in the style's quoting and layout."""
    writer = _yaml()
    style = _style(writer, style_text)
    mapping = _restyle(style, values) if values else style
    _set_key(mapping, "title", _like(mapping.get("title", style.get("title")), title), "defaults")
    _set_key(mapping, "date", _keep_time(mapping.get("date"), date), None)
    if not values or "last_modified_at" not in values:
        _set_key(mapping, "last_modified_at", date, None)
    out = io.StringIO()
    writer.dump(mapping, out)
    return out.getvalue()


def style_values(style_text: str) -> dict[str, Any]:
    """The values a front matter style holds (the `front_matter` config key, or a post's own)."""
    return dict(_style(_yaml(), style_text))


def own_style(front: str, fallback: str) -> str:
    """A post's own front matter as the style to write it in; `fallback` when ruamel cannot
    read it (YAML that PyYAML takes but ruamel refuses)."""
    try:
        _style(_yaml(), front)
    except TemplateError:
        return fallback
    return front


def _style(writer: YAML, style_text: str) -> CommentedMap:
    """The `front_matter` config key as ruamel's mapping; TemplateError when it is not one."""
    try:
        style = writer.load(style_text) or CommentedMap()
    except Exception as exc:  # ruamel raises many error types (ValueError for 2021-13-45)
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise TemplateError(
            f"the 'front_matter' config key is not valid YAML ({where}{problem}): fix it"
        ) from exc
    if not isinstance(style, CommentedMap):
        raise TemplateError("the 'front_matter' config key must be a YAML mapping")
    return style


def _restyle(style: CommentedMap, values: dict[str, Any]) -> CommentedMap:
    """`values` in the style's layout: changed in place (comments and blank lines kept) when
    their keys come in the style's order, else a new mapping in their order; a value the style
    holds too keeps the style's quoting."""
    if [k for k in style if k in values] != [k for k in values if k in style]:
        return CommentedMap((key, _kept(style.get(key), value)) for key, value in values.items())
    for key in [k for k in style if k not in values]:
        del style[key]
    for key, value in values.items():
        style[key] = _kept(style.get(key), value)
    return style


def _kept(old: Any, value: Any) -> Any:
    """The style's own `old` when it is the same value, else `value` quoted like it."""
    same = old == value and type(old) is not bool
    return old if same or _same_in_yaml_1_1(old, value) else _like(old, value)


def _same_in_yaml_1_1(old: Any, value: Any) -> bool:
    """Whether a plain scalar that ruamel (YAML 1.2) keeps as text, like `yes`, is `value` to
    Jekyll's YAML 1.1, as PyYAML read it."""
    if type(old) is not str or isinstance(value, str) or not _yaml_special(old):
        return False
    try:
        read = yaml.safe_load(old)
    except yaml.YAMLError:
        return False
    return type(read) is type(value) and read == value


def _like(old: Any, new: Any) -> Any:
    """`new`, quoted the way the user quoted the value it replaces (or as Jekyll needs)."""
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)
    if type(old) is str and isinstance(new, str) and isinstance(stamp_of(new), dt.datetime):
        return PlainScalarString(new)  # a date-time as plain text (`... +0900`) stays plain
    return _jekyll_safe(new)


def _jekyll_safe(value: Any) -> Any:
    """Text that Jekyll's YAML 1.1 would read as something else, double-quoted (also nested)."""
    if isinstance(value, dict):
        return type(value)((k, _jekyll_safe(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_jekyll_safe(v) for v in value]
    if isinstance(value, str) and not isinstance(value, ScalarString) and _yaml_special(value):
        return DoubleQuotedScalarString(value)
    return value


def _yaml_special(text: str) -> bool:
    if not text or text[0] in "0123456789+-.:~" or YAML_SPECIAL_WORD.fullmatch(text):
        return True
    tag = RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    return tag != "tag:yaml.org,2002:str"


def _keep_time(old: Any, date: dt.date) -> Any:
    """The front matter's date-time as written when it can fall on the post's day (a time with
    an offset within a day of it: the site's timezone decides; one without, on it); else the
    day."""
    stamp = stamp_of(old)
    if not isinstance(stamp, dt.datetime):
        return date
    gap = abs((stamp.date() - date).days)
    return old if gap == 0 or (gap == 1 and stamp.utcoffset() is not None) else date


def _set_key(mapping: CommentedMap, key: str, value: Any, after: str | None) -> None:
    if key in mapping or after is None:
        mapping[key] = value
        return
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else 0
    mapping.insert(position, key, value)

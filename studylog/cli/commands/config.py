"""`studylog config` and `studylog template`: what is in effect, where it comes from, and
changing it (`config set`, `config edit`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import tomlkit

from studylog import paths
from studylog.blog.site import find_blog, replace_file, write_new
from studylog.cli import editor
from studylog.cli.commands import blog_in_use, load_settings
from studylog.cli.console import literal, rich_console
from studylog.cli.output import write
from studylog.config import Settings, effective, settings_from_text
from studylog.config_write import with_value
from studylog.errors import ConfigError, StudylogError
from studylog.post.render import (
    BLOG_TEMPLATE,
    builtin_template,
    choose_template,
    user_template_path,
)


def config(as_json: bool = False, path: bool = False) -> None:
    """Show the effective configuration (as TOML) and where each value came from."""
    target = paths.config_file()
    if path:
        write(str(target))
        return
    settings = load_settings()
    rows = effective(settings)
    if as_json:
        data = {key: {"value": _plain(value), "source": source} for key, value, source in rows}
        write(json.dumps(data, ensure_ascii=False, indent=2))
        return
    exists = "exists" if target.is_file() else "does not exist: every value is a default"
    lines = [f"# config file: {target} ({exists})", f"# blog in use: {_blog_in_use(settings)}"]
    lines += [_toml_line(key, value, _source(source, target)) for key, value, source in rows]
    write("\n".join(lines))


def _blog_in_use(settings: Settings) -> str:
    """The blog a command run here would use, and why."""
    try:
        choice = find_blog(None, settings.blog)
    except StudylogError as exc:
        return f"none ({exc.message})"
    if choice.is_default:
        return f"{choice.path} (the default: not in a Jekyll site and no `blog` set)"
    return f"{choice.path} (from {choice.source})"


def _source(source: str, target: Path) -> str:
    return "from the config file" if source == str(target) else source


def _toml_line(key: str, value: Any, source: str) -> str:
    """`key = value  # source`, the value as TOML (a text of several lines as a '\'\'\'' block)."""
    if value is None:  # TOML has no null: an unset key is shown commented out
        return f"# {key} is not set  # {source}"
    value = str(value) if isinstance(value, Path) else value
    value = list(value) if isinstance(value, tuple) else value
    if isinstance(value, str) and "\n" in value:
        item: Any = tomlkit.string(value, multiline=True, literal="'''" not in value)
    elif isinstance(value, dict):
        item = tomlkit.inline_table()
        item.update(value)
    else:
        item = tomlkit.item(value)
    return f"{key} = {item.as_string()}  # {source}"


def config_set(key: str, value: str) -> None:
    """Set a key in the config file (checked as the file is read; comments kept)."""
    target = save_setting(key, value)
    write(_toml_line(key, getattr(load_settings(), key), f"set in {target}"))


def save_setting(key: str, value: str) -> Path:
    """Write `key` = `value` into the config file atomically; its path. ConfigError, untouched."""
    target = paths.config_file()
    replace_file(target, with_value(_config_text(target), key, value, target))
    return target


def _config_text(target: Path) -> str:
    try:
        return target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {target}: {exc}") from exc


def config_edit() -> None:
    """Open the config file in the editor; the result is checked before it replaces the file."""
    target = paths.config_file()
    before = _config_text(target) or STARTER
    edited = editor.edit(before, editor.command(_editor_setting()), paths.edits_dir(), "config-")
    kept = f"{target} is unchanged; your text is kept in {edited.path}"
    if edited.error:
        raise ConfigError(f"{edited.error}; {kept}")
    if edited.text == before:
        edited.path.unlink(missing_ok=True)
        write(f"no change to {target}")
        return
    try:
        settings_from_text(edited.text, target)
    except ConfigError as exc:
        raise ConfigError(f"{exc.message}; {kept}") from exc
    replace_file(target, edited.text)
    edited.path.unlink(missing_ok=True)
    write(f"Saved {target}")


STARTER = "# studylog's settings; `studylog config` shows every key with its value.\n"


def _editor_setting() -> str:
    """The `editor` key, or "" when the file cannot be read (the editor is how to fix it)."""
    try:
        return load_settings().editor
    except ConfigError:
        return ""


def template_show(template: str | None = None, blog: Path | None = None) -> None:
    """Print the template in use; which one it is and why go to stderr."""
    settings = load_settings(template)
    chosen = choose_template(settings, blog_in_use(blog, settings))
    rich_console(stderr=True).print(f"template: {chosen.name} ({chosen.source})", markup=False)
    write(chosen.text, nl=False)


def template_init(in_blog: bool = False, force: bool = False, blog: Path | None = None) -> None:
    """Copy the default template into the config directory (or the blog) to edit it."""
    settings = load_settings()
    target = blog_in_use(blog, settings) / BLOG_TEMPLATE if in_blog else user_template_path()
    backup = write_new(target, builtin_template("default"), force=force)
    err = rich_console(stderr=True)
    if backup:
        err.print(f"replaced {target}; the old version is kept at {backup}", markup=False)
    if settings.sources["template"] != "default":
        err.print(
            f"[yellow]note:[/] the 'template' key in {literal(settings.sources['template'])} "
            f"selects {literal(repr(settings.template))}: remove it for this file to be used"
        )
    rich_console().print(f"Wrote {target}", markup=False)


def _plain(value: Any) -> Any:
    """A setting's value as JSON and TOML show it: paths as text, tuples as lists."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [v if isinstance(v, str) else str(v) for v in value]
    return value

"""Run a command without importing typer, when its command line is a plain one.

typer's import and the building of every command's parameters cost ~150 ms on each run; the
commands themselves (`studylog.commands`) need none of it. `helpgen` stores, for each command,
its options as typer declares them (and the function it calls); a command line made only of
those options, in their plain forms (`--opt VALUE`, flags, arguments), is parsed here into the
same keyword arguments typer would pass. Anything else (`--help`, `--opt=value`, `--`, an unknown
or malformed option, a bad number, shell completion) goes to typer, which answers as it always
does. `tests/test_fast_paths.py` checks both parsers agree.
"""

from __future__ import annotations

import errno
import os

from studylog import output
from studylog.errors import StudylogError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

Call = tuple[str, str, dict[str, "Any"]]  # module, function, keyword arguments


def run(args: list[str]) -> int | None:
    """The exit code of `studylog ARGS` run here; None when typer must run it."""
    call = parse(args)
    if call is None:
        return None
    module, function, kwargs = call
    command = getattr(__import__(module, fromlist=[function]), function)
    return guarded(lambda: command(**kwargs))


def parse(args: list[str], commands: dict[str, Any] | None = None) -> Call | None:
    """The call typer would make for `studylog ARGS`; None unless the line is a plain one."""
    if commands is None:
        commands = stored_commands()
    if not args or commands is None or "_STUDYLOG_COMPLETE" in os.environ:
        return None
    spec = commands.get(args[0])
    if spec is None:
        return None
    found = _options(args[1:], spec)
    if found is None:
        return None
    module, _, function = spec["call"].partition(":")
    return module, function, found


def stored_commands() -> dict[str, Any] | None:
    """The commands' options as helpgen stored them, if cli.py has not changed since."""
    from studylog import _help_texts
    from studylog.__main__ import _source_key

    return _help_texts.COMMANDS if _help_texts.KEY == _source_key() else None


def _options(args: list[str], spec: dict[str, Any]) -> dict[str, Any] | None:
    """Keyword arguments from the options and arguments of one command; None: not plain."""
    options: dict[str, list[str]] = spec["options"]
    found: dict[str, Any] = {}
    positional: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        if arg not in options:
            return None  # --help, --opt=value, --, -xy, an unknown option: typer's
        name, kind = options[arg][:2]
        if kind == "flag":
            found[name] = options[arg][2]
            continue
        value = next(rest, None)
        if value is None or (value.startswith("-") and value != "-"):
            return None  # a missing value, or one typer may read as an option
        converted = _convert(value, kind, options[arg][2:])
        if converted is None:
            return None
        if kind == "many":
            found.setdefault(name, []).append(converted)
        else:
            found[name] = converted
    return _arguments(positional, spec.get("argument"), found)


def _convert(value: str, kind: str, extra: list[Any]) -> Any:
    """An option's value as typer passes it; None: let typer judge it."""
    if kind == "int":
        if not (value.isascii() and value.isdigit()):
            return None  # a sign, spaces or underscores: click's own rules decide
        number = int(value)
        minimum = extra[0] if extra else None
        return None if minimum is not None and number < minimum else number
    if kind == "path":
        from pathlib import Path

        return Path(value)
    return value  # text, many


def _arguments(
    given: list[str], argument: list[str] | None, found: dict[str, Any]
) -> dict[str, Any] | None:
    """The positional arguments into their parameter: one, or many (none given: None)."""
    if argument is None:
        return found if not given else None
    name, kind = argument
    if kind == "one":
        if len(given) != 1:
            return None
        found[name] = given[0]
    elif given:
        found[name] = given
    return found


def guarded(command: Callable[[], object]) -> int:
    """Run a command as typer's app does: an error is one line and its exit code, Ctrl-C is
    "Aborted!" (exit 1), a closed pipe is quiet (exit 1), a bug is a crash log (exit 70)."""
    try:
        command()
    except StudylogError as exc:
        return output.fail(exc)
    except output.Exit as exc:
        return exc.code
    except (KeyboardInterrupt, EOFError):
        output.write("\nAborted!", err=True)
        return 1
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            return output.crash_report()
        output.silence_stdout()
        return 1
    except Exception:  # an internal bug: short message, full traceback in a file
        return output.crash_report()
    return 0

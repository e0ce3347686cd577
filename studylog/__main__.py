"""Entry point: `studylog` and `python -m studylog`."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run the CLI; answer `--version`, `--help` and plain command lines without importing the
    command framework (typer runs the rest)."""
    args = sys.argv[1:]
    if args == ["--version"]:
        from studylog import __version__

        print(f"studylog {__version__}")
        return
    if args[-1:] == ["--help"] and (text := stored_help(args[:-1])) is not None:
        sys.stdout.write(text)
        return
    from studylog import fastpath

    if (code := fastpath.run(args)) is not None:
        sys.exit(code)
    from studylog.cli import run

    run()


def stored_help(path: list[str]) -> str | None:
    """Typer's help for `studylog PATH --help`, rendered ahead of time, when it is exactly what
    typer would print here: cli.py unchanged since, run as `studylog`, a terminal >= 80 wide."""
    from studylog import _help_texts

    text = _help_texts.TEXTS.get(" ".join(path))
    if text is None or terminal_columns() < _help_texts.WIDTH:
        return None
    if os.path.basename(sys.argv[0]) != "studylog" or _run_as_module():
        return None  # click names the program differently (`python -m studylog`)
    return text if _help_texts.KEY == _source_key() else None


def terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`, which click wraps help to."""
    from studylog.output import terminal_width

    return terminal_width(80)


def _run_as_module() -> bool:
    return getattr(sys.modules.get("__main__"), "__package__", None) not in (None, "")


def _source_key() -> int:
    import zlib

    with open(os.path.join(os.path.dirname(__file__), "cli.py"), "rb") as handle:
        return zlib.crc32(handle.read())


if __name__ == "__main__":
    main()

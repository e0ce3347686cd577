"""Entry point: `studylog` and `python -m studylog`."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the CLI; answer `--version` without importing the command framework."""
    if sys.argv[1:] == ["--version"]:
        from studylog import __version__

        print(f"studylog {__version__}")
        return
    from studylog.cli import run

    run()


if __name__ == "__main__":
    main()

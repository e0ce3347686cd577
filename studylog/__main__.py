"""Entry point: `studylog` and `python -m studylog`."""

from __future__ import annotations

from studylog.cli.app import run


def main() -> None:
    """Run the command line."""
    run()


if __name__ == "__main__":
    main()

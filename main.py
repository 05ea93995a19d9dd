"""Loupe's composition root: a CLI subcommand (no Qt imported), or the desktop window.

`loupe` and `python main.py` are the same program.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    from app import cli

    if argv and argv[0] in cli.COMMANDS:
        return cli.main(argv)
    return run_gui(argv)


def run_gui(argv: list[str]) -> int:
    """Build database → store → undo stack → window. PySide6 is imported here, never on the CLI path."""
    raise NotImplementedError  # filled in with the main window


if __name__ == "__main__":
    sys.exit(main())

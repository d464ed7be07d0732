"""Entry point: no arguments or a scenario file opens the application; a command runs headless.

    python main.py                 the application on the built-in scenario
    python main.py FILE            the application on that scenario file
    python main.py COMMAND ...     the command line (run, compare, sweep, validate, convert, presets)
"""
from __future__ import annotations

import sys


def wants_cli(argv: list[str]) -> bool:
    """A command, an option, or anything that is not one scenario file goes to the CLI."""
    if not argv:
        return False
    from pathlib import Path

    from model.cli import COMMANDS

    if argv[0] in COMMANDS or argv[0].startswith("-") or len(argv) > 1:
        return True
    looks_like_file = Path(argv[0]).suffix.lower() in (".json", ".graphml", ".xlsx", ".csv")
    return not (looks_like_file or Path(argv[0]).is_file())


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # worker processes of the packaged app start here
    argv = sys.argv[1:] if argv is None else argv
    if wants_cli(argv):
        try:
            from model.cli import main as cli_main
        except KeyboardInterrupt:  # Ctrl-C while the command line is still importing
            print("stopped by Ctrl-C; no file was written or changed", file=sys.stderr)
            return 130
        return cli_main(argv)
    from gui.app import run_app  # Qt is imported only for the application

    return run_app(argv[0] if argv else None)


if __name__ == "__main__":
    sys.exit(main())

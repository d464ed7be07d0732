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


PRESTART_RUNS = 100  # runs of a command from which its workers start before its imports


def many_runs(argv: list[str]) -> bool:
    """Whether the command will most likely run on local worker processes: run, compare or
    sweep with --runs of PRESTART_RUNS or more, or explore (whose futures default to
    1,000) unless told fewer, none of them on a Dask cluster or asking for help. A guess
    from the words alone; a wrong one costs a pool that is ended unused."""
    if not argv or argv[0] not in ("run", "compare", "sweep", "explore"):
        return False
    if any(a in ("-h", "--help", "--scheduler") or a.startswith("--scheduler=") for a in argv):
        return False
    count = _option(argv, "--futures" if argv[0] == "explore" else "--runs")
    if count is None:
        return argv[0] == "explore"
    return count >= PRESTART_RUNS


def _option(argv: list[str], name: str) -> int | None:
    """The whole number given to an option (`--runs 500` or `--runs=500`), else None."""
    for i, a in enumerate(argv):
        text = argv[i + 1] if a == name and i + 1 < len(argv) else \
            a[len(name) + 1:] if a.startswith(name + "=") else None
        if text is not None:
            try:
                return int(text)
            except ValueError:
                return None
    return None


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # worker processes of the packaged app start here
    argv = sys.argv[1:] if argv is None else argv
    if wants_cli(argv):
        from model.experiments import early

        if many_runs(argv):  # the workers start while the command line imports
            early.prestart()
        try:
            try:
                from model.cli import main as cli_main
            except KeyboardInterrupt:  # Ctrl-C while the command line is still importing
                print("stopped by Ctrl-C; no file was written or changed", file=sys.stderr)
                return 130
            return cli_main(argv)
        finally:
            early.release()  # a pool the command did not use
    from gui.app import run_app  # Qt is imported only for the application

    return run_app(argv[0] if argv else None)


if __name__ == "__main__":
    sys.exit(main())

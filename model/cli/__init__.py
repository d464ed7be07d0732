"""The headless command line (INTERFACES.md): `python main.py COMMAND ...`.

Exit status: 0 done; 2 wrong input, with one line on stderr naming the file, the place and
the fix; 1 an internal error; 130 stopped by Ctrl-C, 128 + N stopped by signal N (SIGTERM:
143, SIGHUP: 129; one line, no traceback; the workers are ended and a file being written is
discarded, so an --out file is the old one or none).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys

from model import __version__
from model.cli.streams import pipe_safe
from model.errors import ERROR_PREFIX, InputError
from model.stopping import STOP_SIGNALS, Stopped, received, stopping_on_signals

COMMANDS = ("run", "compare", "sweep", "explore", "calibrate", "validate", "convert",
            "presets")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as InputError (exit 2, one line)."""

    def error(self, message: str):
        raise InputError(message, fix=f"see `{self.prog} --help`")


def program_name() -> str:
    """How users start the tool: the packaged executable's name, or `python main.py`."""
    if getattr(sys, "frozen", False):
        return os.path.basename(sys.executable)
    return "python main.py"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=program_name(),
                     description="Plan and simulate AI innovation ecosystems, offline.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    from model.cli.scenario_commands import add_scenario_commands

    add_scenario_commands(commands)
    try:
        from model.cli.run_commands import add_run_commands
    except ImportError:  # the engine's commands are optional until the engine lands
        pass
    else:
        add_run_commands(commands)
        from model.cli.explore_command import add_explore_command

        add_explore_command(commands)
        from model.cli.calibrate_command import add_calibrate_command

        add_calibrate_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    with pipe_safe():  # a closed pipe ends the printing, not the work (--out is written)
        try:
            with stopping_on_signals():
                return _main(argv)
        except Stopped as stop:  # it arrived after the command's own handling ended
            return _stopped(stop.signum)


def command_line(argv: list[str]) -> str:
    """The command as typed (quoted where a shell would need it), for the provenance."""
    import shlex

    return shlex.join(["python", "main.py", *[str(a) for a in argv]])


def _main(argv: list[str] | None) -> int:
    from model.engine.memory import keep_freed_memory

    keep_freed_memory()  # a command is an engine process (model/engine/memory.py)
    try:
        args = build_parser().parse_args(argv)
        args.command_line = command_line(sys.argv[1:] if argv is None else argv)
        if not getattr(args, "handler", None):
            build_parser().print_help()
            return 2
        return int(args.handler(args) or 0)
    except Stopped as stop:
        return _stopped(stop.signum)
    except InputError as error:
        print(f"{ERROR_PREFIX}{error.line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return _stopped(signal.SIGINT)
    except (BrokenPipeError, SystemExit) as stop:
        return getattr(stop, "code", 0) or 0
    except Exception:
        if received:  # a pool whose workers got the group's signal breaks before
            return _stopped(received[0])  # the signal reaches this process's handler
        raise


def _stopped(signum: int) -> int:
    """One line, and no traceback from a second signal while the process ends."""
    for number in (signal.SIGINT, *STOP_SIGNALS):
        signal.signal(number, signal.SIG_IGN)
    words = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    try:
        print(f"stopped by {words}; no file was written or changed", file=sys.stderr)
    except (OSError, ValueError):  # SIGHUP: the terminal, and stderr with it, is gone
        pass
    return 128 + int(signum)

"""The application as `python main.py` starts it, with an unsaved edit and a Monte Carlo
whose runs go to worker processes; prints `ready` once the run has started.
tests/gui/test_signals.py sends it signals."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QTimer  # noqa: E402

import gui.app as shell  # noqa: E402
import main  # noqa: E402

RUNS = 20_000  # about a minute on two workers: the signal comes long before the end
original = shell.create_window


def create_window(path=None, **options):
    window, error = original(path, **options)
    QTimer.singleShot(0, lambda: begin(window))
    return window, error


def begin(window) -> None:
    window.editor.add_node("zone", name="Unsaved Zone")
    window.runbar.steps.setValue(40)
    window.runbar.runs.setValue(RUNS)
    print("ready" if window.runbar.start() else "not started", flush=True)


if __name__ == "__main__":  # not in the workers, which import this module again (spawn)
    shell.create_window = create_window
    sys.exit(main.main([]))

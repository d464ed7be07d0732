"""Starting a run from the run bar and waiting for its end, as the GUI tests do."""
from __future__ import annotations


def start(window, steps: int, runs: int = 1, seed: int = 0) -> bool:
    window.runbar.steps.setValue(steps)
    window.runbar.runs.setValue(runs)
    window.runbar.seed.setValue(seed)
    return window.runbar.start()


def finish(window, qtbot, timeout: int = 30_000) -> None:
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=timeout)

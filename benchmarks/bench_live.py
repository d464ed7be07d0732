"""Workshop live mode: the delay from a lever move to redrawn curves of the live ensemble
(200 runs of the built-in scenario by default, on the mode's two worker processes).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_live.py [--moves 8]

A move sets a lever's spin box, as a facilitator's drag ends; the delay runs until the
plots have been repainted with the new ensemble: the debounce of a burst of moves, the
ensemble and the redraw. Prints figures only.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def wait_for(app, condition, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the live ensemble did not come back")
        app.processEvents()
        time.sleep(0.001)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=8)
    args = parser.parse_args(argv)
    from gui.app import create_window
    from gui.workshop import DEBOUNCE_MS, LIVE_RUNS

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as data_dir:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, data_dir)
        window, _error = create_window(None, data_dir=data_dir)
        window.resize(1920, 1080)
        window.show()
        results = []
        window.workshop.runner.succeeded.connect(results.append)
        window.actions["actionLiveMode"].setChecked(True)
        wait_for(app, lambda: len(results) == 1)  # the pool started, the first ensemble
        spin = window.levers.spins["antitrust_enforcement"]
        delays = []
        for move in range(args.moves):
            before = len(results)
            start = time.perf_counter()
            spin.setValue(0.2 + 0.6 * (move % 2))
            wait_for(app, lambda: len(results) > before and not window.workshop.runner.busy())
            window.results.plots.grab()  # the plots repainted with the new bands
            delays.append(time.perf_counter() - start)
        window.actions["actionLiveMode"].setChecked(False)
        window.workshop.close()
        window.editor.stack.setClean()
        window.close()
    print(f"live mode, {LIVE_RUNS} runs x 40 steps of the built-in scenario on 2 worker "
          f"processes: lever move to redrawn curves median {statistics.median(delays):.2f} s, "
          f"worst {max(delays):.2f} s over {len(delays)} moves (the {DEBOUNCE_MS} ms debounce "
          f"included)")


if __name__ == "__main__":
    main()

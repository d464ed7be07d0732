"""GUI responsiveness while the engine runs: the event loop's worst delay.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_responsiveness.py [--firms 100000]
        [--steps 40] [--runs 200]

A QTimer fires every 10 ms and records how late each tick is; the worst lateness is what a
user would feel as a frozen window. Measured during:

1. one run of synthetic:N (the results dock, run controller and worker thread; the canvas
   is left out, since drawing 100,000 nodes is another benchmark), then Stop on a second
   run (the time from Stop to the worker's end);
2. a Monte Carlo of the default scenario in the full main window (local worker processes).

Prints figures only (no assertions). Target: worst delay under 100 ms.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QObject, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

TICK_MS = 10
AFTER_END = 0.5  # seconds the probe keeps ticking after the run ended (results shown)


class LagProbe(QObject):
    """Records the lateness of a 10 ms timer."""

    def __init__(self):
        super().__init__()
        self.clock = QElapsedTimer()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.lags: list[float] = []
        self.at: list[int] = []  # when each late tick came (ms since start)
        self.marks: list[tuple[int, str]] = []  # (ms, what happened) to place the worst lag
        self._last = 0

    def start(self) -> None:
        self.lags.clear()
        self.at.clear()
        self.marks.clear()
        self.clock.start()
        self._last = self.clock.elapsed()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.lags.append(max(0, now - self._last - TICK_MS))
        self.at.append(self._last)
        self._last = now

    def mark(self, what: str) -> None:
        self.marks.append((self.clock.elapsed(), what))

    def report(self) -> str:
        if not self.lags:
            return "no ticks"
        ordered = sorted(self.lags)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        worst = max(range(len(self.lags)), key=self.lags.__getitem__)
        when = self.at[worst]
        before = [what for t, what in self.marks if t <= when + 5]
        place = f" (after {before[-1]})" if before else ""
        return (f"worst delay {ordered[-1]:.0f} ms at {when / 1000:.1f} s{place}, "
                f"p99 {p99:.0f} ms, median {ordered[len(ordered) // 2]:.0f} ms over "
                f"{len(ordered)} ticks")


def mark_signals(probe: LagProbe, runs) -> None:
    runs.started.connect(lambda *_: probe.mark("start"))
    runs.step_chunk.connect(lambda c: probe.mark(f"steps from {c.first}"))
    runs.bands.connect(lambda b: probe.mark(f"bands of {b.done} runs"))
    runs.session_ready.connect(lambda *_: probe.mark("results shown"))


def wait(app, until, limit: float = 600.0) -> float:
    start = time.perf_counter()
    while not until() and time.perf_counter() - start < limit:
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - start


def settle(app, seconds: float = 1.5) -> None:
    """Lets a freshly shown window finish its first layout and paint before measuring."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


class _Doc:
    def __init__(self, scenario):
        self.scenario = scenario

    def to_scenario(self):
        return self.scenario


def single_run(app, firms: int, steps: int) -> None:
    from gui.docks.results import ResultsPanel
    from gui.runs.controller import RunController
    from model.builtin import synthetic_scenario

    scenario = synthetic_scenario(firms)
    host = QWidget()
    host.doc = _Doc(scenario)
    results = ResultsPanel(host)
    host.resize(1400, 500)
    host.show()
    runs = RunController(host)
    runs.started.connect(results.run_started)
    runs.step_chunk.connect(results.add_steps)
    runs.session_ready.connect(results.show_session)
    settle(app)
    probe = LagProbe()
    mark_signals(probe, runs)
    probe.start()
    start = time.perf_counter()
    runs.run(steps, 1, 0)
    wait(app, lambda: not runs.busy())
    settle(app, AFTER_END)  # the results being shown count too
    probe.stop()
    print(f"synthetic:{firms} single run, {steps} steps: "
          f"{time.perf_counter() - start - AFTER_END:.1f} s; "
          f"event loop {probe.report()}")
    chunks = []
    runs.step_chunk.connect(chunks.append)
    runs.run(1000, 1, 1)
    wait(app, lambda: len(chunks) >= 2)
    stopped = time.perf_counter()
    runs.stop()
    wait(app, lambda: not runs.busy())
    print(f"  Stop during a synthetic:{firms} run: worker ended "
          f"{(time.perf_counter() - stopped) * 1000:.0f} ms after Stop")
    runs.close()
    host.close()


def ensemble(app, runs_count: int, steps: int, data_dir: str) -> None:
    from gui.app import create_window

    window, _ = create_window(None, data_dir=data_dir)
    window.resize(1400, 900)
    window.show()
    window.runbar.steps.setValue(steps)
    window.runbar.runs.setValue(runs_count)
    from model.experiments.runner import warm_up
    warm_up()  # as the app does in the background after start-up (gui/app.py)
    settle(app)  # the window's first paint is start-up, not the run
    probe = LagProbe()
    mark_signals(probe, window.runs)
    probe.start()
    start = time.perf_counter()
    window.runbar.start()
    wait(app, lambda: not window.runs.busy())
    settle(app, AFTER_END)
    probe.stop()
    shares = window.runs.session.monte_carlo.outcome_shares if window.runs.session else {}
    print(f"default scenario, Monte Carlo {runs_count} runs x {steps} steps (full window, "
          f"processes): {time.perf_counter() - start - AFTER_END:.1f} s; "
          f"event loop {probe.report()}; "
          f"outcomes {shares}")
    window.editor.stack.setClean()
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    data_dir = tempfile.mkdtemp()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, data_dir)
    single_run(app, args.firms, args.steps)
    ensemble(app, args.runs, args.steps, data_dir)


if __name__ == "__main__":
    main()

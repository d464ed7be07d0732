"""The run toolbar: steps, runs and seed, Run and Stop, a progress bar with the time spent
and left. The bar counts what the results count: runs (steps, for a single run); at the end
it shows the controller's RunEnd, the same count as the header and the status bar."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QProgressBar, QSpinBox, QStyle, QToolBar

from gui.runs.report import ALL_RUNS, RUNS, STEPS
from gui.spinboxes import SpinBox
from model.engine import DEFAULT_STEPS, MAX_STEPS

MAX_RUNS = 10_000
TICK_MS = 1000  # the elapsed time moves once a second while a job runs
BAR_FORMATS = {RUNS: "%v of %m runs", STEPS: "step %v of %m",
               ALL_RUNS: "%v of %m runs in all"}
END_WORDS = {"done": ("", "done in"), "stopped": ("stopped: ", "stopped after"),
             "failed": ("failed: ", "failed after")}


def _spin(name: str, low: int, high: int, value: int, tip: str, suffix: str = "") -> QSpinBox:
    spin = SpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setToolTip(tip)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(False)
    return spin


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "estimating…"
    return f"{format_duration(seconds)} left"


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


PROGRESS_WIDEST = "stopped: 99999 of 100000 runs in all"


class RunBar(QToolBar):
    def __init__(self, window, controller):
        super().__init__("Run", window)
        self.setObjectName("runToolBar")
        self.controller = controller
        self.steps = _spin("runSteps", 1, MAX_STEPS, DEFAULT_STEPS,
                           "Number of steps (quarters) to simulate", " steps")
        self.runs = _spin("runRuns", 1, MAX_RUNS, 1,
                          "1: one run; more: a Monte Carlo on seeds seed, seed+1, …", " runs")
        self.seed = _spin("runSeed", 0, 2 ** 31 - 1, 0,
                          "The random seed of the first run (runs are repeatable)")
        self.seed.setPrefix("seed ")
        self.runs.valueChanged.connect(self._runs_suffix)
        self._runs_suffix(self.runs.value())
        icons = window.style()
        self.run_action = QAction(icons.standardIcon(QStyle.StandardPixmap.SP_MediaPlay),
                                  "&Run", window)
        self.run_action.setObjectName("actionRun")
        self.run_action.setShortcut(QKeySequence("F5"))
        self.run_action.setToolTip("Run the scenario as drawn now (F5); you may keep editing")
        self.run_action.triggered.connect(self.start)
        self.stop_action = QAction(icons.standardIcon(QStyle.StandardPixmap.SP_MediaStop),
                                   "S&top", window)
        self.stop_action.setObjectName("actionStop")
        self.stop_action.setShortcut(QKeySequence("Shift+F5"))
        self.stop_action.setToolTip("Stop the run (Shift+F5)")
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(controller.stop)
        self.progress = QProgressBar()
        self.progress.setObjectName("runProgress")
        self._fit_progress()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v / %m")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.time_left = QLabel("")
        self.time_left.setObjectName("runTimeLeft")
        self.time_left.setMinimumWidth(190)
        self.left: float | None = None  # the last estimate of the time left
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self._show_time)
        for widget in (self.steps, self.runs, self.seed):
            self.addWidget(widget)
        self.addAction(self.run_action)
        self.addAction(self.stop_action)
        self.addWidget(self.progress)
        self.addWidget(self.time_left)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        controller.running_changed.connect(self._running)
        controller.progress.connect(self._progress)
        controller.started.connect(self._started)
        controller.ended.connect(self._ended)

    @Slot(int)
    def _runs_suffix(self, runs: int) -> None:
        self.runs.setSuffix(" run" if runs == 1 else " runs")

    def values(self) -> tuple[int, int, int]:
        return self.steps.value(), self.runs.value(), self.seed.value()

    def start(self) -> bool:
        steps, runs, seed = self.values()
        return self.controller.run(steps, runs, seed)

    @Slot(str, str)
    def _started(self, _kind: str, _text: str) -> None:
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setFormat(BAR_FORMATS[self.controller.plan[1]])
        self.left = None
        self.ticker.start()
        self._show_time()

    @Slot(bool)
    def _running(self, running: bool) -> None:
        self.run_action.setEnabled(not running)
        self.stop_action.setEnabled(running)
        if not running:
            self.ticker.stop()  # also when the window closes in a run (no RunEnd then)

    @Slot(int, int, object)
    def _fit_progress(self) -> None:
        """Wide enough for the longest words it shows, in its font (workshop mode's is big)."""
        width = self.progress.fontMetrics().horizontalAdvance(PROGRESS_WIDEST) + 24
        self.progress.setMinimumWidth(width)
        self.progress.setMaximumWidth(width + 40)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "progress"):
            QTimer.singleShot(0, self, self._fit_progress)  # once the bar has the font

    def _progress(self, done: int, total: int, left) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.left = left
        self._show_time()

    @Slot()
    def _show_time(self) -> None:
        """Time spent, and left once the pace is known ("starting…" before any report)."""
        spent = format_duration(self.controller.elapsed())
        if self.progress.maximum() == 0:
            self.time_left.setText(f"starting… {spent}")
        else:
            self.time_left.setText(f"{spent} · {format_seconds(self.left)}")

    @Slot(object)
    def _ended(self, end) -> None:
        """The count of the RunEnd, in words that say how the job ended."""
        self.ticker.stop()
        prefix, words = END_WORDS[end.state]
        self.progress.setFormat(prefix + BAR_FORMATS[end.unit])
        self.progress.setRange(0, max(1, end.total))
        self.progress.setValue(min(end.done, max(1, end.total)))
        self.time_left.setText(f"{words} {format_duration(end.seconds)}")

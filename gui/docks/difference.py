"""The difference plot of a comparison: each scenario minus the reference (the first
scenario, or the one chosen in "against"), per chosen metric, and the switch between it and
the levels.

The model computes the differences (`model.experiments.paired.step_differences`: per step,
the mean and percentiles of the run-by-run differences on common seeds); this only draws
them: a line for the mean, a band from the 5th to the 95th percentile, and the reference as
the zero line.
"""
from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QHBoxLayout, QLabel, QToolButton,
                               QVBoxLayout, QWidget)

from model.calendar import Quarter
from model.engine import METRIC
from model.experiments import paired
from gui.colours import SERIES_COLOURS
from gui.docks.plots import BAND_ALPHA, DEFAULT_METRICS, MetricPlots, styled_plot

ZERO_COLOUR = "#444444"


def difference_hint(base: str, runs: int) -> str:
    return (f"Each scenario minus <b>{html.escape(base)}</b> (zero line), run by run on the "
            f"same seeds: line = mean of the {runs} paired differences, band = their 5th to 95th "
            "percentile. Above zero: more than the base.")


class DifferencePlots(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("differencePlots")
        self.metrics: list[str] = list(DEFAULT_METRICS)
        self.comparison = None
        self.reference = ""
        self.frames: dict = {}  # label -> per-step paired differences to the reference
        self.colours: dict[str, str] = {}
        self.plots: dict[str, pg.PlotItem] = {}
        self.items: dict[tuple[str, str], tuple] = {}  # (metric, label) -> (mean, band)
        self.line_width, self.font_size = 2.0, 9
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setObjectName("differenceCanvas")
        self.canvas.setBackground("w")
        self.hint = QLabel("", self)
        self.hint.setObjectName("differenceHint")
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.hint)

    @property
    def base(self) -> str:
        return self.reference if self.comparison is not None else ""

    def set_metrics(self, keys) -> None:
        self.metrics = [k for k in keys if k in METRIC] or list(DEFAULT_METRICS[:1])
        self._draw()

    def set_style(self, line_width: float, font_size: int) -> None:
        """As the levels plots (the workshop mode's thicker lines and bigger text)."""
        if (line_width, font_size) != (self.line_width, self.font_size):
            self.line_width, self.font_size = line_width, font_size
            self._draw()

    # PNG or SVG as the levels plots are saved: that export only needs `canvas`
    export_image = MetricPlots.export_image
    _export_svg = MetricPlots._export_svg

    def show_comparison(self, comparison, colours: dict[str, str],
                        against: str | None = None) -> None:
        """`colours`: the scenario colours of the levels plot, so both views agree;
        `against`: the reference (None: the comparison's own, else its first scenario)."""
        self.comparison, self.colours = comparison, dict(colours)
        self.reference, self.frames = paired.step_differences(comparison, against)
        runs = len(comparison.results[self.reference].runs)
        swatches = " &nbsp; ".join(
            f"<span style='color:{self.colours.get(label, '#333')}'>━━</span> "
            f"{html.escape(label)}" for label in self.frames)
        self.hint.setText(f"{swatches} &nbsp;·&nbsp; {difference_hint(self.base, runs)}")
        self._draw()

    def clear(self) -> None:
        self.comparison, self.reference, self.frames = None, "", {}
        self._draw()

    def _draw(self) -> None:
        self.canvas.clear()
        self.plots.clear()
        self.items.clear()
        if self.comparison is None:
            return
        columns = 1 if len(self.metrics) == 1 else 2 if len(self.metrics) <= 4 else 3
        start = Quarter.parse(self.comparison.results[self.base].provenance.start)
        for n, key in enumerate(self.metrics):
            if n and n % columns == 0:
                self.canvas.nextRow()
            self.plots[key] = self._plot(key, start)

    def _plot(self, key: str, start: Quarter) -> pg.PlotItem:
        metric = METRIC[key]
        plot = styled_plot(self.canvas, f"{metric.label}: change from {self.base}", start,
                           self.font_size)
        unit = f" {metric.unit}" if metric.unit and metric.unit != metric.label else ""
        # the reference is in the title: a long name would not fit beside the axis
        plot.setLabel("left", f"Δ{unit}", color="#444",
                      **{"font-size": f"{self.font_size}pt"})
        # every difference starts at zero: a label on the zero line would hide them
        plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen(
            ZERO_COLOUR, width=1.5, style=Qt.PenStyle.DashLine)))
        for label in self.frames:
            n = self.comparison.labels.index(label)
            self.items[(key, label)] = self._series(plot, key, label, n)
        return plot

    def _series(self, plot: pg.PlotItem, key: str, label: str, n: int):
        frame = self.frames[label]
        steps = frame["step"].to_numpy(float)
        colour = pg.mkColor(self.colours.get(label, SERIES_COLOURS[n % len(SERIES_COLOURS)]))
        shade = pg.mkColor(colour)
        shade.setAlpha(BAND_ALPHA)
        upper = pg.PlotCurveItem(steps, frame[f"{key}_p95"].to_numpy(float), pen=pg.mkPen(shade))
        lower = pg.PlotCurveItem(steps, frame[f"{key}_p5"].to_numpy(float), pen=pg.mkPen(shade))
        band = pg.FillBetweenItem(upper, lower, brush=pg.mkBrush(shade))
        mean = pg.PlotCurveItem(steps, frame[f"{key}_mean"].to_numpy(float),
                                pen=pg.mkPen(colour, width=self.line_width), name=label)
        for item in (upper, lower, band, mean):
            plot.addItem(item)
        return mean, band


class ShowChooser(QWidget):
    """'Show: Levels | Difference · against: <reference>', for a comparison only; the
    reference is the one the paired differences (text and plot) are taken against."""

    difference_chosen = Signal(bool)
    against_chosen = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("showChooser")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.setSpacing(2)
        self.show_label = QLabel("Show:", self)
        layout.addWidget(self.show_label)
        self.levels = self._button("Levels", "showLevels", "Each scenario's own values")
        self.difference = self._button("Difference", "showDifference",
                                       "Each scenario minus the base, run by run")
        group = QButtonGroup(self)
        group.setExclusive(True)
        for button in (self.levels, self.difference):
            group.addButton(button)
            layout.addWidget(button)
        self.levels.setChecked(True)
        self.difference.toggled.connect(self.difference_chosen)
        self.against_label = QLabel("against:", self)
        layout.addWidget(self.against_label)
        self.against = QComboBox(self)
        self.against.setObjectName("againstChooser")
        self.against.setToolTip("The scenario the paired differences are taken against: "
                                "the base (first) or any other compared scenario")
        self.against.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.against.currentIndexChanged.connect(self._against_chosen)
        layout.addWidget(self.against)
        self._offered = self._room = False

    def _button(self, text: str, name: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    def offer(self, labels, reference: str | None = None) -> None:
        """A comparison ran (labels: its scenarios; reference: the one differences are
        taken against, None: the first) or is running (labels None: no differences
        yet); levels are shown until the user picks the difference."""
        self.against.blockSignals(True)
        self.against.clear()
        for label in labels or ():
            self.against.addItem(label, label)
        if labels:
            self.against.setCurrentIndex(max(0, self.against.findData(reference)))
        self.against.blockSignals(False)
        self._name_difference()
        self.difference.setEnabled(bool(labels))
        self._offered = bool(labels)
        self._show_against()
        if not labels:
            self.levels.setChecked(True)
        self.show()

    def set_room(self, on: bool) -> None:
        """In a room the choice of reference and the words around the buttons step aside (at
        the room's type they squeezed the result tabs to a letter each); the Difference
        button's tooltip still names the reference."""
        self._room = bool(on)
        self._show_against()

    def _show_against(self) -> None:
        shown = self._offered and not self._room
        for widget in (self.against, self.against_label):
            widget.setVisible(shown)
        self.show_label.setVisible(not self._room)
        self._name_difference()

    def reference(self) -> str | None:
        return self.against.currentData()

    def _name_difference(self) -> None:
        ref = self.against.currentData()
        self.difference.setText(f"Difference from {ref}" if ref and not self._room
                                else "Difference")
        self.difference.setToolTip(f"Each scenario minus {ref}, run by run" if ref
                                   else "Each scenario minus the base, run by run")

    def _against_chosen(self, *_args) -> None:
        self._name_difference()
        if self.against.currentData() is not None:
            self.against_chosen.emit(self.against.currentData())

    def withdraw(self) -> None:
        self.levels.setChecked(True)
        self.hide()

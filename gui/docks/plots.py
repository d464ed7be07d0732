"""Metric curves against time (pyqtgraph): one small plot per chosen metric.

Each series (a run, a Monte Carlo, a compared scenario) has one colour: a line (the run, or
the mean of the runs) and, for an ensemble, its p5-p95 band (FillBetweenItem). HHI plots
carry the lines of the chosen threshold set. The x axis counts steps and is labelled with
their quarters; where a schedule moves a lever, a grey vertical line marks the quarter.
Hovering shows the quarter and the values; a vertical cursor follows the replay step. The
plots only draw values they are given.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGraphicsItem, QLabel, QVBoxLayout, QWidget

from gui.colours import next_series_colour, series_dashes
from gui.docks.threshold_lines import ThresholdAxis, ThresholdLines, margin_px
from model.calendar import DEFAULT_START, Quarter
from model.engine import METRIC, METRIC_KEYS
from model.thresholds import DEFAULT_BAND_SET, band_set

DEFAULT_METRICS = ("hhi_mean", "active_smes", "dependency_index", "talent_gini")
BAND_ALPHA = 60
INDEX = {key: j for j, key in enumerate(METRIC_KEYS)}
REDRAW_MS = 150  # live data is drawn at most this often: a repaint of the plots is not free
FILLED = 0.6  # share of a held y range the final data must span for it to stay
ROOM_PLOT_PX = 205  # a plot's height in workshop mode: its curve readable from the back
HINT = "x axis: quarters. Hover over a plot to read the values."
CHANGE_COLOUR = "#6b6b6b"
PEN_STYLES = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine,
              "dot": Qt.PenStyle.DotLine, "dashdot": Qt.PenStyle.DashDotLine,
              "dashdotdot": Qt.PenStyle.DashDotDotLine}


class QuarterAxis(pg.AxisItem):
    """A bottom axis over steps that writes each tick as its quarter (step 0 = `start`),
    with ticks on whole years of the run (every 4 quarters, or more on long runs)."""

    def __init__(self, start: Quarter = DEFAULT_START, **options):
        super().__init__("bottom", **options)
        self.start = start

    def set_start(self, start: Quarter) -> None:
        if start != self.start:
            self.start = start
            self.picture = None  # the tick text is cached: draw it again
            self.update()

    def label_pixels(self) -> int:
        """Room one tick label needs, in the axis's own font (workshop mode enlarges it)."""
        font = self.style.get("tickFont") or self.font()
        return QFontMetrics(font).horizontalAdvance("2000Q4") + 18

    def tickSpacing(self, minVal, maxVal, size):
        span = max(1.0, maxVal - minVal)
        for major in _year_steps():
            # labels never touch, or only one is drawn (pyqtgraph drops one cut by an end)
            if span / major <= max(2, size / self.label_pixels()) or \
                    self._drawn(major, minVal, maxVal, size) == 1:
                break
        return [(major, 0), (1 if major <= 8 else 4 if major <= 20 else major / 4, 0)]

    def _drawn(self, major: float, low: float, high: float, size: float) -> int:
        """How many of the labels at multiples of `major` lie whole on the axis (with the
        15 px pyqtgraph allows past each end)."""
        half = (self.label_pixels() - 18) / 2
        scale = size / max(high - low, 1e-9)
        ticks = np.arange(np.ceil(low / major) * major, high + 1e-9, major)
        return sum(1 for t in ticks if half - 15 <= (t - low) * scale <= size + 15 - half)

    def tickStrings(self, values, scale, spacing):
        return [(self.start + int(round(v))).label if abs(v - round(v)) < 1e-6 else ""
                for v in values]


def _year_steps():
    """Quarters between labelled ticks: 1, 2, 3, 4 and 5 years (5: a narrow plot of a
    10-year run still gets a year inside, where 4 left only its ends, which pyqtgraph
    drops), then 10, 25, 62.5... years for long runs."""
    yield from (4, 8, 12, 16, 20)
    major = 40
    while True:
        yield major
        major *= 2.5


def styled_plot(canvas, title: str, start: Quarter, font_size: int) -> pg.PlotItem:
    """A plot in the results' look: quarters below, a light grid, the fonts of the mode."""
    plot = canvas.addPlot(axisItems={"bottom": QuarterAxis(start)})
    plot.setTitle(title, color="#111", size=f"{font_size + 2}pt")
    plot.titleLabel.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setMenuEnabled(False)
    font = pg.QtGui.QFont()
    font.setPointSize(font_size)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTextPen("#222")
        axis.setPen("#444")
        axis.setStyle(tickFont=font)
        axis.enableAutoSIPrefix(False)  # "Gini (x0.001)" with ticks of 540 misleads
        # Replaying an axis's QPicture of tick text costs ~3.5 ms, and every live redraw
        # repainted all of them (~50 ms a frame): a pixmap cache, renewed when the axis
        # itself changes, brings a frame to ~5 ms.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    # the quarters' height for the tick font from the start: pyqtgraph grows an axis to its
    # text only after a first paint, and in a room's short plots that paint cut the text
    bottom = plot.getAxis("bottom")
    bottom.setHeight(int(QFontMetrics(font).height() + bottom.style["tickTextOffset"][1]
                         + max(0, bottom.style["tickLength"]) + 4))
    return plot


@dataclass
class Series:
    label: str
    colour: str
    dash: str = "solid"  # gui.colours.DASHES: a comparison's series differ by style too
    line: np.ndarray | None = None  # (steps + 1, metrics), NaN where not run yet
    summary: object = None  # DataFrame of `summarise` (mean, p5, p50, p95 per metric)
    runs_done: int = 0
    items: dict = field(default_factory=dict)  # metric -> (line, upper, lower, fill, mean)


class MetricPlots(QWidget):
    hovered = Signal(int)  # the step under the mouse

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("metricPlots")
        self.metrics: list[str] = list(DEFAULT_METRICS)
        self.bands_key = DEFAULT_BAND_SET
        self.series: dict[str, Series] = {}
        self.colours: dict[str, str] = {}  # label -> colour chosen for the series to come
        self.plots: dict[str, pg.PlotItem] = {}
        self.cursors: dict[str, pg.InfiniteLine] = {}
        self.thresholds: dict[str, ThresholdLines] = {}
        self.margins: dict[str, ThresholdAxis] = {}  # right axes: thresholds, series names
        self.horizon = 0
        self.start = DEFAULT_START
        self.changes: list[tuple[int, str]] = []  # (step, text) where a schedule moves a lever
        self.line_width = 2.0
        self.font_size = 9
        self.room = False  # workshop mode: each plot ROOM_PLOT_PX high (set_room)
        self.cursor_step: int | None = None
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setObjectName("metricCanvas")
        self.canvas.setBackground("w")
        self.readout = QLabel(HINT)
        self.readout.setObjectName("plotReadout")
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        # Wrapped: one line of it at the workshop type was 1,200 px, and the results dock
        # could not be narrower than that (the room's map shrank to a strip).
        self.readout.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.readout)
        self._dirty: set[str] = set()
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self.flush)
        self._mouse = pg.SignalProxy(self.canvas.scene().sigMouseMoved, rateLimit=30,
                                     slot=self._mouse_moved)
        self._build_plots()

    # --- configuration ---------------------------------------------------------------------------

    def set_metrics(self, keys) -> None:
        self.metrics = [k for k in keys if k in METRIC] or list(DEFAULT_METRICS[:1])
        self._build_plots()

    def set_band_set(self, key: str) -> None:
        self.bands_key = band_set(key).key
        self._build_plots()

    def set_style(self, line_width: float, font_size: int) -> None:
        """Thicker lines and bigger axis text (the workshop mode)."""
        self.line_width, self.font_size = line_width, font_size
        self._build_plots()

    def set_room(self, on: bool) -> None:
        """Workshop mode: the canvas asks for ROOM_PLOT_PX a row of plots (the window
        gives it the height), and the hover hint, no use to a room, steps aside."""
        self.room = bool(on)
        self.readout.setVisible(not on)
        self._build_plots()  # with the room's margins (and its height)

    def rows(self) -> int:
        return -(-len(self.metrics) // self.columns())

    def columns(self) -> int:
        return 1 if len(self.metrics) == 1 else 2 if len(self.metrics) <= 4 else 3

    def _room_height(self) -> None:
        self.canvas.setMinimumHeight(self.rows() * ROOM_PLOT_PX if self.room else 0)

    def set_calendar(self, start: Quarter, changes: list[tuple[int, str]]) -> None:
        """The quarter of step 0, and where schedules move levers (step, text)."""
        self.start, self.changes = start, list(changes)
        self._build_plots()

    def quarter(self, step: int) -> str:
        return (self.start + step).label

    # --- data ------------------------------------------------------------------------------------

    def set_hint(self, text: str) -> None:
        """What the lines and bands mean, shown until the mouse hovers a plot."""
        self.hint = text
        self.readout.setText(text)

    def set_colours(self, colours: dict[str, str]) -> None:
        """The colours of the series to come, by label (gui.colours); others take the
        next free series colour."""
        self.colours = dict(colours)

    def clear(self) -> None:
        """Drops every series; the plots stay (rebuilding them costs a frame)."""
        for series in self.series.values():
            for key, items in series.items.items():
                plot = self.plots.get(key)
                for item in items if plot is not None else ():
                    plot.removeItem(item)
        self.series.clear()
        self._label_ends()
        self._dirty.clear()
        self.horizon = 0  # steps of the longest series shown: the x axis spans them
        for plot in self.plots.values():
            plot.enableAutoRange(x=True, y=True)
        self.set_hint(HINT)

    def ensure_series(self, label: str, steps: int) -> Series:
        series = self.series.get(label)
        if series is None:
            taken = [s.colour for s in self.series.values()]
            series = Series(label, self.colours.get(label) or next_series_colour(taken),
                            series_dashes(self.colours).get(label, "solid"))
            self.series[label] = series
        if series.line is None or len(series.line) != steps + 1:
            series.line = np.full((steps + 1, len(METRIC_KEYS)), np.nan)
        self._set_horizon(steps)
        return series

    def _set_horizon(self, steps: int) -> None:
        """Fixes the x axis to the whole run at its start: growing curves then leave the
        bottom axis alone, and repainting its ticks was most of each live redraw."""
        self.horizon = max(steps, self.horizon)
        for plot in self.plots.values():
            plot.setXRange(0, self.horizon, padding=0.02)

    def add_rows(self, label: str, first: int, rows: np.ndarray, steps: int) -> None:
        series = self.ensure_series(label, steps)
        series.line[first:first + len(rows)] = rows
        self._later(label)
        if first + len(rows) >= len(series.line):  # the run's last rows: draw them now
            self.flush()

    def set_line(self, label: str, table: np.ndarray) -> None:
        series = self.ensure_series(label, len(table) - 1)
        series.line = np.asarray(table, float)
        self._dirty.discard(label)
        self._draw(series)
        self._fit_y()

    def set_summary(self, label: str, summary, runs_done: int = 0, keep_line: bool = True,
                    live: bool = False) -> None:
        """The ensemble's bands; `live` ones (partial, while runs go on) are drawn later."""
        series = self.ensure_series(label, len(summary) - 1)
        series.summary, series.runs_done = summary, runs_done
        if not keep_line:
            series.line = None
        if live:
            self._later(label)
        else:
            self._dirty.discard(label)
            self._draw(series)
            self._fit_y()

    def _later(self, label: str) -> None:
        self._dirty.add(label)
        if not self._redraw.isActive():
            self._redraw.start()

    def flush(self) -> None:
        """Draws what arrived since the last redraw (live data)."""
        self._redraw.stop()
        for label in [x for x in self._dirty if x in self.series]:
            self._draw(self.series[label])
        self._dirty.clear()
        self._hold_y()

    def _hold_y(self) -> None:
        """Live data widen a plot's y range only when they leave it, with headroom: the
        left axis then changes a few times a run, not at every redraw (re-rendering its
        tick text is most of a frame). Final data fit tightly again (`_fit_y`)."""
        for plot in self.plots.values():
            bounds = plot.vb.childrenBounds()[1]
            if bounds is None or not np.all(np.isfinite(bounds)):
                continue
            lo, hi = bounds
            shown_lo, shown_hi = plot.vb.viewRange()[1]
            if plot.vb.autoRangeEnabled()[1] or lo < shown_lo or hi > shown_hi:
                span = (hi - lo) or abs(hi) or 1.0
                bottom = lo - 0.05 * span
                plot.setYRange(max(0.0, bottom) if lo >= 0 else bottom, hi + 0.3 * span,
                               padding=0)  # also stops the y auto-range

    def _fit_y(self) -> None:
        """Final data: a held range that holds them and is mostly filled by them stays (no
        repaint of the axis as the run ends); any other goes back to the auto-range."""
        for plot in self.plots.values():
            if plot.vb.autoRangeEnabled()[1]:
                continue
            bounds = plot.vb.childrenBounds()[1]
            shown_lo, shown_hi = plot.vb.viewRange()[1]
            fits = bounds is not None and np.all(np.isfinite(bounds)) and \
                shown_lo <= bounds[0] and bounds[1] <= shown_hi and \
                bounds[1] - bounds[0] >= FILLED * (shown_hi - shown_lo)
            if not fits:
                plot.enableAutoRange(y=True)

    def set_cursor(self, step: int | None) -> None:
        self.cursor_step = step
        for cursor in self.cursors.values():
            cursor.setVisible(step is not None)
            if step is not None:
                cursor.setValue(step)

    # --- drawing ---------------------------------------------------------------------------------

    def _build_plots(self) -> None:
        # the old plots live until the next rebuild: deleting them while the scene may still
        # paint them (a synchronous repaint at a job's start) crashed Qt
        # (with their curves, cursors, threshold and margin items: any of them may be painted)
        self._retired = (list(self.plots.values()), list(self.cursors.values()),
                         list(self.thresholds.values()), list(self.margins.values()),
                         [dict(series.items) for series in self.series.values()])
        self.canvas.clear()
        self.plots.clear()
        self.cursors.clear()
        self.thresholds.clear()
        self.margins.clear()
        columns = self.columns()
        self._room_height()
        for n, key in enumerate(self.metrics):
            if n and n % columns == 0:
                self.canvas.nextRow()
            self.plots[key] = self._new_plot(key)
            if self.horizon:
                self.plots[key].setXRange(0, self.horizon, padding=0.02)
        for series in self.series.values():
            series.items.clear()
            self._draw(series)
        self.set_cursor(self.cursor_step)

    def _new_plot(self, key: str) -> pg.PlotItem:
        metric = METRIC[key]
        plot = styled_plot(self.canvas, metric.label, self.start, self.font_size)
        if metric.unit and metric.unit != metric.label and not self.room:  # a room reads
            # the unit in the title's metric; its 25 px go to the curve
            plot.setLabel("left", metric.unit, color="#444",
                          **{"font-size": f"{self.font_size}pt"})
        if metric.unit == "HHI":
            self.thresholds[key] = ThresholdLines(plot, band_set(self.bands_key),
                                                  self.font_size, self.room)
            self.margins[key] = self.thresholds[key].axis
        else:
            self.margins[key] = self._margin(plot, self._names_on(key))
        self._change_lines(plot)
        cursor = pg.InfiniteLine(angle=90, pen=pg.mkPen("#e0218a", width=1.5))
        cursor.setVisible(False)
        plot.addItem(cursor, ignoreBounds=True)
        self.cursors[key] = cursor
        return plot

    def _change_lines(self, plot: pg.PlotItem) -> None:
        """A dashed grey line at each quarter where a schedule moves a lever; its text
        shows on hover (many lines would bury the curves under labels)."""
        texts: dict[int, list[str]] = {}
        for step, text in self.changes:
            texts.setdefault(step, []).append(text)
        for step, lines in texts.items():
            line = pg.InfiniteLine(pos=step, angle=90, pen=pg.mkPen(
                CHANGE_COLOUR, width=1.2, style=Qt.PenStyle.DashLine))
            line.setToolTip(f"{self.quarter(step)}: " + "; ".join(lines))
            plot.addItem(line, ignoreBounds=True)

    def _draw(self, series: Series) -> None:
        for key, plot in self.plots.items():
            items = series.items.get(key) or self._series_items(series, plot)
            series.items[key] = items
            line, upper, lower, fill, mean = items
            j = INDEX[key]
            line.setPen(self._line_pen(series))
            if series.summary is not None:
                steps = series.summary["step"].to_numpy(float)
                upper.setData(steps, series.summary[f"{key}_p95"].to_numpy(float))
                lower.setData(steps, series.summary[f"{key}_p5"].to_numpy(float))
                mean.setData(steps, series.summary[f"{key}_mean"].to_numpy(float))
                fill.setVisible(True)
            if series.line is not None:
                values = series.line[:, j]
                shown = ~np.isnan(values)
                line.setData(np.flatnonzero(shown).astype(float), values[shown])
            else:
                line.setData([], [])
        for lines in self.thresholds.values():  # the data moved: labels find a free side
            lines.place()
        self._label_ends()

    def _names_on(self, key: str) -> bool:
        """Whether a plot's margin names the compared series. In a room only one plot's
        does (the HHI plot's, or the first): at the room's type a margin per plot left
        two plots side by side 140 px of curve each. The others share its colours and
        dashes, and the outcome lines name the series in them too."""
        if not self.room:
            return True
        hhi = [k for k in self.metrics if METRIC[k].unit == "HHI"]
        return key == (hhi[0] if hhi else self.metrics[0])

    def _margin(self, plot: pg.PlotItem, names: bool = True) -> ThresholdAxis:
        """A right margin for the series' names, shown while a comparison is drawn (a
        narrow edge only where `names` is False)."""
        font = pg.QtGui.QFont()
        font.setPointSize(self.font_size)
        axis = ThresholdAxis(font, margin_px(font, room=self.room) if names else 0.0)
        axis.names = names
        plot.setAxisItems({"right": axis})
        plot.showAxis("right")  # always, at one width: showing, hiding or resizing it
        # while a run starts crashed PySide (a segfault in the plots' paint)
        plot.vb.sigRangeChanged.connect(lambda *_a: axis.update())
        return axis

    def _label_ends(self) -> None:
        """Each compared series' name in the right margin at its line's last value (direct
        labels: a room reads which line is which without a legend, and they cover no data)."""
        compared = len(self.series) > 1
        for key, axis in self.margins.items():
            entries = []
            for series in self.series.values() if compared and axis.names else ():
                end = _end_value(series, key)
                if end is not None:
                    entries.append((end, series.label, self._mean_pen(series)))
            axis.set_series(entries)


    def _series_items(self, series: Series, plot: pg.PlotItem):
        band = pg.mkColor(series.colour)
        band.setAlpha(BAND_ALPHA)
        line = plot.plot(pen=self._line_pen(series), name=series.label)
        upper = pg.PlotCurveItem(pen=pg.mkPen(band))
        lower = pg.PlotCurveItem(pen=pg.mkPen(band))
        fill = pg.FillBetweenItem(upper, lower, brush=pg.mkBrush(band))
        fill.setVisible(False)
        mean = pg.PlotCurveItem(pen=self._mean_pen(series))
        for item in (upper, lower, fill, mean):
            plot.addItem(item)
        return line, upper, lower, fill, mean

    def _mean_pen(self, series: Series):
        return pg.mkPen(series.colour, width=self.line_width, style=PEN_STYLES[series.dash])

    def _line_pen(self, series: Series):
        """A run alone: its series' line; beside an ensemble's mean: the base seed, dotted."""
        if series.summary is None:
            return self._mean_pen(series)
        return pg.mkPen(series.colour, width=max(1.0, self.line_width * 0.6),
                        style=Qt.PenStyle.DotLine)

    # --- hover and export ------------------------------------------------------------------------

    def _mouse_moved(self, event) -> None:
        pos = event[0]
        for key, plot in self.plots.items():
            if plot.sceneBoundingRect().contains(pos):
                point = plot.vb.mapSceneToView(pos)
                last = self.horizon or 0  # the padding left of step 0 is not a quarter
                step = min(max(int(round(point.x())), 0), last)
                self.readout.setText(self.readout_text(key, step))
                self.hovered.emit(step)
                return

    def readout_text(self, key: str, step: int) -> str:
        metric = METRIC[key]
        parts = []
        for series in self.series.values():
            text = _value_text(series, key, step)
            if text:
                name = f"{series.label}: " if series.label else ""
                parts.append(f"<span style='color:{series.colour}'>■</span> {name}{text}")
        body = " &nbsp; ".join(parts) or "no value"
        moved = [text for at, text in self.changes if at == step]
        lever = f" · <i>{'; '.join(moved)}</i>" if moved else ""
        return f"<b>{self.quarter(step)}</b> (step {step}) · {metric.label}: {body}{lever}"

    def export_image(self, path: str) -> None:
        """PNG (pyqtgraph's exporter) or SVG (by the file's extension). SVG goes through
        QSvgGenerator: pyqtgraph 0.14's SVGExporter fails on the closed paths that Qt 6.11
        writes (pyqtgraph issue #3495)."""
        if str(path).lower().endswith(".svg"):
            self._export_svg(str(path))
            return
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(self.canvas.ci)
        exporter.parameters()["width"] = max(800, int(self.canvas.width() * 2))
        exporter.export(str(path))

    def _export_svg(self, path: str) -> None:
        from PySide6.QtCore import QRectF, QSize
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        source = self.canvas.ci.sceneBoundingRect()
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QSize(int(source.width()), int(source.height())))
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        generator.setTitle("Metric curves")
        painter = QPainter(generator)
        try:
            self.canvas.scene().render(painter, QRectF(0, 0, source.width(), source.height()),
                                       source)
        finally:
            painter.end()


def _end_value(series: Series, key: str) -> float | None:
    """The last finite value of the series' mean (an ensemble) or line (a run)."""
    if series.summary is not None:
        values = series.summary[f"{key}_mean"].to_numpy(float)
    elif series.line is not None:
        values = series.line[:, INDEX[key]]
    else:
        return None
    finite = values[np.isfinite(values)]
    return float(finite[-1]) if len(finite) else None


def _value_text(series: Series, key: str, step: int) -> str:
    j = INDEX[key]
    integer = METRIC[key].integer
    fmt = (lambda v: f"{v:,.0f}") if integer or METRIC[key].unit == "HHI" else \
        (lambda v: f"{v:.3g}")
    if series.summary is not None and 0 <= step < len(series.summary):
        row = series.summary.iloc[step]
        return (f"mean {fmt(row[f'{key}_mean'])} (p5 {fmt(row[f'{key}_p5'])} – "
                f"p95 {fmt(row[f'{key}_p95'])})")
    if series.line is not None and 0 <= step < len(series.line) and \
            not np.isnan(series.line[step, j]):
        return fmt(series.line[step, j])
    return ""

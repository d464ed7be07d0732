"""The HHI threshold lines of an HHI plot, labelled in a margin right of the data.

The dashed lines cross the plot; their labels sit in a right margin (the plot's right axis,
which paints them), each at its own line's height, wrapped to the margin's width, so they never
cover a curve or a band whatever the plot's size or the mode's type. Labels that would
touch are pushed apart; a line outside the view has its label at the nearer edge with an
arrow. The y range holds both lines with the data unless that would squeeze the data into
less than KEEP_SHARE of the height (a high HHI's curve is not flattened to show 1,500).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF

THRESHOLD_COLOUR = "#7a1f1f"
KEEP_SHARE = 0.4  # the least share of the height the data keep when a line is held in view
GAP = 6  # pixels between the plot's edge and a label, and between two labels
SAMPLE_TEXT = "2,500: moderately"  # the margin's width: a figure and a long word
WRAP = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap


SAMPLE_PX = 22  # a series label starts with a short stroke of its line's style
NAME_SAMPLE = "main + Benign"  # a compared scenario's name: longer ones wrap


ROOM_SAMPLE_TEXT = "concentrated"  # in a room: the longest word, the labels wrap at words
ROOM_NAME_SAMPLE = "Benign"


def margin_px(font, thresholds: bool = False, room: bool = False) -> float:
    """A right margin wide for a threshold's label and a compared scenario's name (beside
    the thresholds' figures on an HHI plot). In a room (workshop mode) the labels wrap at
    every word: at the room's type the desk's margins took 190 px of each plot, and two
    plots side by side left the curves 110 px."""
    metrics = QFontMetricsF(font)
    sample, name = (ROOM_SAMPLE_TEXT, ROOM_NAME_SAMPLE) if room else (SAMPLE_TEXT, NAME_SAMPLE)
    # beside the figures of thresholds out of view at the desk; in a room the names wrap
    figures = metrics.horizontalAdvance("\u2191 2,500") + 2 + GAP if thresholds and \
        not room else 0.0
    return max(metrics.horizontalAdvance(sample) + 4,
               figures + metrics.horizontalAdvance(name) + SAMPLE_PX + 8)


class ThresholdAxis(pg.AxisItem):
    """The right axis of a plot: no ticks; the threshold labels, each beside its line, and
    the compared series' names, each at its line's end value (painted by the axis itself,
    so no item outlives the plot)."""

    def __init__(self, font: QFont, width: float):
        super().__init__("right")
        self.label_font = font
        self.text_width = self.base_width = width
        self.entries: list[tuple[float, str]] = []  # (value, text) of the thresholds
        self.series: list[tuple[float, str, object]] = []  # (end value, name, pen)
        self.names = True  # False: a margin that names no series (one plot of a room's)
        self.setStyle(showValues=False, tickLength=0)
        self.setPen(pg.mkPen("#444"))
        self.setWidth(int(width + 2 * GAP))
        self.setToolTip("")

    def set_entries(self, entries: list[tuple[float, str]]) -> None:
        self.entries = list(entries)
        self._tip()

    def set_series(self, series: list[tuple[float, str, object]]) -> None:
        """(end value, name, pen) of each series labelled at its line's end. The margin's
        width never changes here: resizing an axis while a run starts crashed PySide
        (a segfault in the plots' paint), so a plot's margin is sized once, when built."""
        self.series = list(series)
        self._tip()
        self.update()

    def _tip(self) -> None:
        self.setToolTip("\n".join([t for _v, t in self.entries]
                                  + [t for _v, t, _p in self.series]))

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph's name
        return []

    def label_boxes(self) -> list[tuple[str, QRectF]]:
        """Each label's text and rectangle in this axis's coordinates: wrapped, or on one
        elided line each when the wrapped ones do not fit the plot's height."""
        return [(t, rect) for t, rect, _pen in self._boxes()]

    def series_boxes(self) -> list[tuple[str, QRectF, object]]:
        """(name, rectangle, pen) of each series label, in this axis's coordinates."""
        return [box for box in self._boxes() if box[2] is not None]

    def _boxes(self) -> list[tuple[str, QRectF, object]]:
        """Thresholds and names in one column; when the plot is too short for all of them
        on a line each, the thresholds shrink to their figure in a column of their own,
        so no label is pushed out of the plot's height."""
        view = self.linkedView()
        lines = [(v, t, None) for v, t in self.entries]
        if view is None or not (lines or self.series):
            return []
        metrics = QFontMetricsF(self.label_font)
        height = self.rect().height()  # its place in the layout (the bounds add margins)
        both = lines + self.series
        if lines and self.series and \
                len(both) * (metrics.height() + GAP) > height:
            figures = [(v, f"{v:,.0f}", None) for v, _t, _p in lines]
            narrow = self._figure_width(metrics)
            rest = self.text_width - narrow - GAP
            if rest - SAMPLE_PX >= metrics.horizontalAdvance(ROOM_NAME_SAMPLE):  # a word
                return (self._column(view, figures, 0.0, narrow, metrics, height)
                        + self._column(view, self.series, narrow + GAP, rest, metrics,
                                       height))
            # a room's narrow margin has no width for two columns (its names came out as
            # a bare ellipsis): figures and names share the one column
            return self._column(view, figures + self.series, 0.0, self.text_width, metrics,
                                height)
        return self._column(view, both, 0.0, self.text_width, metrics, height)

    def _figure_width(self, metrics) -> float:
        """The column of the thresholds' figures ("↑ 2,500") in a crowded margin."""
        return max((metrics.horizontalAdvance(f"\u2191 {v:,.0f}") for v, _t in self.entries),
                   default=0.0) + 2

    def _column(self, view, entries, left: float, width: float, metrics,
                height: float) -> list[tuple[str, QRectF, object]]:
        y0, y1 = view.viewRange()[1]
        texts, wanted, widths = [], [], []
        for value, text, pen in entries:
            arrow = "\u2191 " if value > y1 else "\u2193 " if value < y0 else ""
            texts.append(arrow + text)
            widths.append(width - (SAMPLE_PX if pen is not None else 0))
            y = view.mapViewToScene(QPointF(0, min(max(value, y0), y1))).y()
            wanted.append(self.mapFromScene(QPointF(0, y)).y())
        heights = [metrics.boundingRect(QRectF(0, 0, w, 1e4), WRAP, t).height()
                   for t, w in zip(texts, widths)]
        if sum(heights) + GAP * len(heights) > height:
            texts = [metrics.elidedText(t, Qt.TextElideMode.ElideRight, w)
                     for t, w in zip(texts, widths)]
            heights = [metrics.height()] * len(texts)
        tops = _spread(wanted, heights, 0.0, height)
        return [(t, QRectF(GAP + left + width - w, top, w, h), e[2])
                for t, top, h, w, e in zip(texts, tops, heights, widths, entries)]

    def paint(self, p, opt, widget):
        super().paint(p, opt, widget)
        p.setFont(self.label_font)
        for text, rect, pen in self._boxes():
            if pen is None:
                p.setPen(QColor(THRESHOLD_COLOUR))
            else:  # the series' own stroke, then its name in its colour
                p.setPen(pen)
                y = rect.top() + QFontMetricsF(self.label_font).height() / 2
                p.drawLine(QPointF(rect.left() - SAMPLE_PX + 2, y),
                           QPointF(rect.left() - 4, y))
                p.setPen(pen.color())
            p.drawText(rect, WRAP, text)


class ThresholdLines:
    def __init__(self, plot: pg.PlotItem, bands, font_size: int = 9, room: bool = False):
        self.plot = plot
        font = QFont()
        font.setPointSize(font_size)
        self.axis = ThresholdAxis(font, margin_px(font, thresholds=True, room=room))
        plot.setAxisItems({"right": self.axis})
        plot.showAxis("right")
        self.lines: list[pg.InfiniteLine] = []
        self.texts: list[str] = []
        for value, above in zip(bands.lines, bands.bands[1:]):
            line = pg.InfiniteLine(pos=value, angle=0, pen=pg.mkPen(
                THRESHOLD_COLOUR, width=1.2, style=Qt.PenStyle.DashLine))
            line.setZValue(10)
            plot.addItem(line, ignoreBounds=True)  # the range holds it when it may
            self.lines.append(line)
            self.texts.append(f"{value:,.0f}: {above.label}")
        self.axis.set_entries([(ln.value(), t) for ln, t in zip(self.lines, self.texts)])
        self.kept = (bands.lines[0] * 0.8, bands.lines[-1] * 1.12)
        self.keep_in_view = pg.PlotDataItem([0, 0], list(self.kept),
                                            pen=pg.mkPen((0, 0, 0, 0)))
        plot.addItem(self.keep_in_view)
        plot.vb.sigRangeChanged.connect(self.place)
        plot.vb.sigResized.connect(self.place)

    def place(self, *_args) -> None:
        """The data changed or the view moved: the range again, the labels repainted."""
        self._fit_range()
        self.axis.update()

    def label_texts(self) -> list[str]:
        return [text for text, _rect in self.axis.label_boxes()]

    def label_rects(self) -> list[QRectF]:
        """The labels' rectangles in scene coordinates (for tests)."""
        return [self.axis.mapRectToScene(rect) for _text, rect in self.axis.label_boxes()]

    def _fit_range(self) -> None:
        """Holds each line in view (nearest first) while the data keep KEEP_SHARE of the
        height; with no data both lines show."""
        data = [v for c in self._curves() for v in (c[1].min(), c[1].max())]
        if not data:
            return self._keep((self.lines[0].value() * 0.8, self.lines[-1].value() * 1.12))
        lo, hi = min(data), max(data)
        span = max(hi - lo, 1e-9)
        for value in sorted((ln.value() for ln in self.lines),
                            key=lambda v: min(abs(v - lo), abs(v - hi))):
            low, high = min(lo, value * 0.92), max(hi, value * 1.06)
            if span >= KEEP_SHARE * (high - low):
                lo, hi = low, high
        self._keep((lo, hi))

    def _keep(self, kept: tuple[float, float]) -> None:
        if kept != self.kept:
            self.kept = kept
            self.keep_in_view.setData([0, 0], list(kept))

    def _curves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(x, y) of every drawn curve and band edge, finite points only."""
        found = []
        for item in self.plot.vb.addedItems:
            if item is self.keep_in_view or not item.isVisible():
                continue
            if isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem)):
                xy = _xy(item)
                if xy is not None:
                    found.append(xy)
        return found


def _spread(wanted: list[float], heights: list[float], top: float,
            bottom: float) -> list[float]:
    """Top edges for labels centred on `wanted` (local y), pushed apart to not touch and
    kept between top and bottom where they fit."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    tops = [0.0] * len(wanted)
    edge = top
    for i in order:  # downwards: no overlap
        tops[i] = max(wanted[i] - heights[i] / 2, edge)
        edge = tops[i] + heights[i] + GAP
    edge = bottom
    for i in reversed(order):  # upwards: inside the plot's bottom
        tops[i] = min(tops[i], edge - heights[i])
        edge = tops[i] - GAP
    return tops


def _xy(item) -> tuple[np.ndarray, np.ndarray] | None:
    x, y = item.getData()
    if x is None or not len(x):
        return None
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = np.isfinite(x) & np.isfinite(y)
    return (x[keep], y[keep]) if keep.any() else None

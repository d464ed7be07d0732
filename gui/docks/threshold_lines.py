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


class ThresholdAxis(pg.AxisItem):
    """The right axis of an HHI plot: no ticks, the threshold labels, each beside its line
    (painted by the axis itself, so no item outlives the plot)."""

    def __init__(self, font: QFont, width: float):
        super().__init__("right")
        self.label_font = font
        self.text_width = width
        self.entries: list[tuple[float, str]] = []  # (value, text)
        self.setStyle(showValues=False, tickLength=0)
        self.setPen(pg.mkPen("#444"))
        self.setWidth(int(width + 2 * GAP))
        self.setToolTip("")

    def set_entries(self, entries: list[tuple[float, str]]) -> None:
        self.entries = list(entries)
        self.setToolTip("\n".join(text for _value, text in entries))

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph's name
        return []

    def label_boxes(self) -> list[tuple[str, QRectF]]:
        """Each label's text and rectangle in this axis's coordinates: wrapped, or on one
        elided line each when the wrapped ones do not fit the plot's height."""
        view = self.linkedView()
        if view is None or not self.entries:
            return []
        y0, y1 = view.viewRange()[1]
        metrics = QFontMetricsF(self.label_font)
        height = self.rect().height()  # its place in the layout (the bounds add margins)
        texts, wanted = [], []
        for value, text in self.entries:
            arrow = "\u2191 " if value > y1 else "\u2193 " if value < y0 else ""
            texts.append(arrow + text)
            y = view.mapViewToScene(QPointF(0, min(max(value, y0), y1))).y()
            wanted.append(self.mapFromScene(QPointF(0, y)).y())
        heights = [metrics.boundingRect(QRectF(0, 0, self.text_width, 1e4), WRAP,
                                        t).height() for t in texts]
        if sum(heights) + GAP * len(heights) > height:
            texts = [metrics.elidedText(t, Qt.TextElideMode.ElideRight, self.text_width)
                     for t in texts]
            heights = [metrics.height()] * len(texts)
        tops = _spread(wanted, heights, 0.0, height)
        return [(t, QRectF(GAP, top, self.text_width, h))
                for t, top, h in zip(texts, tops, heights)]

    def paint(self, p, opt, widget):
        super().paint(p, opt, widget)
        p.setFont(self.label_font)
        p.setPen(QColor(THRESHOLD_COLOUR))
        for text, rect in self.label_boxes():
            p.drawText(rect, WRAP, text)


class ThresholdLines:
    def __init__(self, plot: pg.PlotItem, bands, font_size: int = 9):
        self.plot = plot
        font = QFont()
        font.setPointSize(font_size)
        self.axis = ThresholdAxis(font, QFontMetricsF(font).horizontalAdvance(SAMPLE_TEXT) + 4)
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

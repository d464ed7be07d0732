"""The HHI threshold lines of an HHI plot, labelled where they hide no data.

Each label sits at the right edge of the plot, above or below its line: first on the side
away from where the curves end (the last quarter of the view), else on the other side if
that one is free over the label's width; when a curve crosses the line under both, the
label moves left along the line, half its width at a time, to the first free place. The
choice is made again whenever the view or the data change.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

THRESHOLD_COLOUR = "#7a1f1f"
ABOVE, BELOW = (1, 1), (1, 0)  # text anchors: bottom-right or top-right corner on the line
RIGHT = 0.995  # where along the line a label sits (a hair inside the right edge)
TAIL = 0.25  # the last part of the view whose curves say which side is free
SAMPLES = 24  # points per curve under a label's width


class ThresholdLines:
    def __init__(self, plot: pg.PlotItem, bands):
        self.plot = plot
        self.lines: list[pg.InfiniteLine] = []
        for value, above in zip(bands.lines, bands.bands[1:]):
            line = pg.InfiniteLine(
                pos=value, angle=0, pen=pg.mkPen(THRESHOLD_COLOUR, width=1.2,
                                                 style=Qt.PenStyle.DashLine),
                label=f"{value:,.0f}: {above.label}",
                labelOpts={"position": RIGHT, "color": THRESHOLD_COLOUR,
                           "anchors": [ABOVE, ABOVE], "fill": (255, 255, 255, 170)})
            line.setZValue(10)
            plot.addItem(line)
            self.lines.append(line)
        # The lines stay in view, so a low HHI shows how far it is from concern.
        self.span = (bands.lines[0] * 0.95, bands.lines[-1] * 1.12)
        self.keep_in_view = pg.PlotDataItem([0, 0], list(self.span), pen=pg.mkPen((0, 0, 0, 0)))
        plot.addItem(self.keep_in_view)
        self._placing = False
        plot.vb.sigRangeChanged.connect(self.place)
        plot.vb.sigResized.connect(self.place)

    def place(self, *_args) -> None:
        if self._placing:  # room made for a label moved the view: already being placed
            return
        self._placing = True
        try:
            self._place()
        finally:
            self._placing = False

    def _place(self) -> None:
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        curves = self._curves()
        tail = _tail_values(curves, x0 + (1 - TAIL) * (x1 - x0), x1)
        for line in self.lines:
            width, height = self._label_size(line.label)
            value = line.value()
            boxes = {ABOVE: (value, value + height), BELOW: (value - height, value)}
            preferred = BELOW if np.sum(tail > value) > np.sum(tail < value) else ABOVE
            sides = (preferred, ABOVE if preferred == BELOW else BELOW)
            fits = [s for s in sides if boxes[s][1] <= y1 and boxes[s][0] >= y0] or [preferred]
            right, side = x1, fits[0]
            for shift in np.arange(0, x1 - x0 - width, width / 2):  # right edge first
                free = [s for s in fits if not _covers(curves, x1 - shift - width,
                                                       x1 - shift, *boxes[s])]
                if free:
                    right, side = x1 - shift, free[0]
                    break
            line.label.anchors = [side, side]
            line.label.setPosition(RIGHT if right == x1 else (right - x0) / (x1 - x0))
            self._make_room(boxes[side][1] if side == ABOVE else boxes[side][0], y0, y1)

    def _make_room(self, edge: float, y0: float, y1: float) -> None:
        """Widens the kept range so that a label's far edge is in view (with the y
        auto-range on: a held range stays until the run ends)."""
        low, high = self.span
        margin = 0.1 * (y1 - y0)
        if edge < y0:
            low = min(low, edge - margin)
        elif edge > y1:
            high = max(high, edge + margin)
        if (low, high) != self.span:
            self.span = (low, high)
            self.keep_in_view.setData([0, 0], [low, high])

    def _label_size(self, label) -> tuple[float, float]:
        """The label's width and height in data units."""
        rect = self.plot.vb.mapSceneToView(label.sceneBoundingRect()).boundingRect()
        return rect.width(), rect.height()

    def _curves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(x, y) of every drawn curve, finite points only, sorted by x."""
        out = []
        for item in self.plot.vb.addedItems:
            if item is self.keep_in_view or not item.isVisible() or \
                    not isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem)):
                continue
            x, y = item.getData()
            if x is None or not len(x):
                continue
            x, y = np.asarray(x, float), np.asarray(y, float)
            keep = np.isfinite(x) & np.isfinite(y)
            order = np.argsort(x[keep], kind="stable")
            out.append((x[keep][order], y[keep][order]))
        return [(x, y) for x, y in out if len(x)]


def _covers(curves, left: float, right: float, bottom: float, top: float) -> bool:
    """Whether a curve, or the space between curves at the same x (a band's fill), passes
    through the box."""
    if not curves:
        return False
    xs = np.linspace(left, right, SAMPLES)
    ys = np.array([np.where((xs < x[0]) | (xs > x[-1]), np.nan, np.interp(xs, x, y))
                   for x, y in curves])
    seen = ~np.all(np.isnan(ys), axis=0)
    if not seen.any():
        return False
    low, high = np.nanmin(ys[:, seen], axis=0), np.nanmax(ys[:, seen], axis=0)
    return bool(np.any((high >= bottom) & (low <= top)))


def _tail_values(curves, start: float, end: float) -> np.ndarray:
    parts = [y[(x >= start) & (x <= end)] for x, y in curves]
    return np.concatenate(parts) if parts else np.empty(0)

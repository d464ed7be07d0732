"""The HHI threshold lines of an HHI plot, labelled where they hide no data.

Each label sits at the right edge of the plot, above or below its line: first on the side
away from where the curves end (the last quarter of the view), else on the other side if
that one is free over the label's width and inside the view; when curves or bands cross
both, the label moves left along the line, half its width at a time, to the first free
place, and where none is free it takes the place it covers least (and, when the right edge
would be free just outside the view, the view grows a little to hold it there). The choice
is made again whenever the view or the data change.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

THRESHOLD_COLOUR = "#7a1f1f"
ABOVE, BELOW = (1, 1), (1, 0)  # text anchors: bottom-right or top-right corner on the line
RIGHT = 0.995  # where along the line a label sits (a hair inside the right edge)
TAIL = 0.25  # the last part of the view whose curves say which side is free
SAMPLES = 24  # sample columns under a label's width


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
        # The lines stay in view, with room for a label below the lowest one, so a low HHI
        # shows how far it is from concern.
        self.kept = (bands.lines[0] * 0.8, bands.lines[-1] * 1.12)
        self.keep_in_view = pg.PlotDataItem([0, 0], list(self.kept),
                                            pen=pg.mkPen((0, 0, 0, 0)))
        plot.addItem(self.keep_in_view)
        plot.vb.sigRangeChanged.connect(self.place)
        plot.vb.sigResized.connect(self.place)

    def place(self, *_args) -> None:
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        curves, bands = self._curves(), self._bands()
        tail = _tail_values(curves, x0 + (1 - TAIL) * (x1 - x0), x1)
        taken: list[tuple] = []  # the boxes of labels placed so far: labels never overlap
        for line in self.lines:
            width, height = self._label_size(line.label)
            value = line.value()
            preferred = BELOW if np.sum(tail > value) > np.sum(tail < value) else ABOVE
            sides = (preferred, ABOVE if preferred == BELOW else BELOW)
            boxes = {ABOVE: (value, value + height), BELOW: (value - height, value)}
            inside = [s for s in sides if boxes[s][0] >= y0 and boxes[s][1] <= y1]
            best = (np.inf, x1, preferred)  # (columns covered, right end, side)
            for right in x1 - np.arange(0, max(x1 - x0 - width, 0) + 1e-9, width / 2):
                for side in inside:
                    box = (right - width, right, *boxes[side])
                    covered = _covered(curves, bands, *box) + SAMPLES * _clashes(box, taken)
                    if covered < best[0]:
                        best = (covered, right, side)
                if best[0] == 0:
                    break  # the rightmost free place
            if best[0] and preferred not in inside and \
                    not _covered(curves, bands, x1 - width, x1, *boxes[preferred]):
                self._make_room(boxes[preferred], y0, y1)  # free at the right, once in view
            _, right, side = best
            taken.append((right - width, right, *boxes[side]))
            line.label.anchors = [side, side]
            line.label.setPosition(RIGHT if right == x1 else (right - x0) / (x1 - x0))

    def _make_room(self, box: tuple[float, float], y0: float, y1: float) -> None:
        """Widens the range kept in view to hold a label's box, by at most half the range
        and never below 0 (an HHI is not negative); the next placement, on the new range,
        finds it inside."""
        (low, high), span = self.kept, y1 - y0
        margin = 0.05 * span
        if box[0] < y0 and box[0] - margin >= max(0.0, y0 - span / 2):
            low = min(low, box[0] - margin)
        elif box[1] > y1 and box[1] + margin <= y1 + span / 2:
            high = max(high, box[1] + margin)
        if (low, high) != self.kept:
            self.kept = (low, high)
            self.keep_in_view.setData([0, 0], [low, high])

    def _label_size(self, label) -> tuple[float, float]:
        """The label's width and height in data units."""
        rect = self.plot.vb.mapSceneToView(label.sceneBoundingRect()).boundingRect()
        return rect.width(), rect.height()

    def _curves(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(x, y) of every drawn curve, finite points only, sorted by x."""
        return [c for c in (_xy(item) for item in self.plot.vb.addedItems
                            if item is not self.keep_in_view and item.isVisible() and
                            isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem)))
                if c is not None]

    def _bands(self) -> list[tuple]:
        """The two curves of every shown band (an ensemble's p5 to p95 fill)."""
        out = []
        for item in self.plot.vb.addedItems:
            if isinstance(item, pg.FillBetweenItem) and item.isVisible() and item.curves:
                pair = tuple(_xy(c) for c in item.curves)
                if None not in pair:
                    out.append(pair)
        return out


def _clashes(box: tuple, taken: list[tuple]) -> int:
    """How many placed label boxes (left, right, bottom, top) this box overlaps."""
    left, right, bottom, top = box
    return sum(left < r and l < right and bottom < t and b < top for l, r, b, t in taken)


def _xy(item) -> tuple[np.ndarray, np.ndarray] | None:
    x, y = item.getData()
    if x is None or not len(x):
        return None
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = np.isfinite(x) & np.isfinite(y)
    order = np.argsort(x[keep], kind="stable")
    return (x[keep][order], y[keep][order]) if keep.any() else None


def _at(curve, xs: np.ndarray) -> np.ndarray:
    """The curve at xs (NaN outside its x range)."""
    x, y = curve
    return np.where((xs < x[0]) | (xs > x[-1]), np.nan, np.interp(xs, x, y))


def _covered(curves, bands, left: float, right: float, bottom: float, top: float) -> int:
    """How many of the box's sample columns a curve passes through (a segment between two
    samples that spans the box counts) or a band's fill crosses: 0 is a free box."""
    xs = np.linspace(left, right, SAMPLES)
    hit = np.zeros(SAMPLES - 1, dtype=bool)
    for curve in curves:
        ys = _at(curve, xs)
        hit |= (np.fmax(ys[:-1], ys[1:]) >= bottom) & (np.fmin(ys[:-1], ys[1:]) <= top)
    for one, other in bands:
        a, b = _at(one, xs), _at(other, xs)
        low, high = np.fmin(a, b), np.fmax(a, b)
        hit |= (np.fmax(high[:-1], high[1:]) >= bottom) & (np.fmin(low[:-1], low[1:]) <= top)
    return int(hit.sum())


def _tail_values(curves, start: float, end: float) -> np.ndarray:
    parts = [y[(x >= start) & (x <= end)] for x, y in curves]
    return np.concatenate(parts) if parts else np.empty(0)

"""Replay styles: map given node states to colours and sizes, and the colour-scale legend.

Nothing here computes model quantities: the values come from `RunResult.states`; this only
normalises them for display (per kind group, over the whole run, so colours compare across
steps) and picks colours from a perceptually even ramp.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QWidget

# A viridis-like ramp (dark blue -> green -> yellow): readable for colour-blind viewers.
RAMP = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
STEPS = 64
EXITED_COLOUR = "#9e9e9e"
FIELDS = {
    "capability": "Capability (firms)",
    "dependency": "Dependency on platforms (firms)",
    "talent": "Talent (zones: thousand workers; firms: staff)",
    "openness": "Openness (platforms)",
}
# Colour ranges are per group: leaders' capability is ten times an SME's, and one range for
# all firms would paint every SME the same dark colour.
GROUPS = {"platform": "platforms", "zone": "zones", "leader": "leading firms",
          "sme": "SMEs and foreign firms", "foreign": "SMEs and foreign firms"}
MIN_SCALE, MAX_SCALE = 0.7, 1.8
NOT_APPLICABLE_OPACITY = 0.25
EXITED_OPACITY = 0.55


def ramp_colour(t: float, ramp: tuple[str, ...] = RAMP) -> QColor:
    """The colour at t in [0, 1] along a ramp of evenly spaced colours."""
    t = min(1.0, max(0.0, float(t))) * (len(ramp) - 1)
    i = min(int(t), len(ramp) - 2)
    a, b = QColor(ramp[i]), QColor(ramp[i + 1])
    f = t - i
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * f,
                           a.greenF() + (b.greenF() - a.greenF()) * f,
                           a.blueF() + (b.blueF() - a.blueF()) * f)


@cache
def ramp_brush(bucket: int) -> QBrush:
    return QBrush(ramp_colour(bucket / (STEPS - 1)))


@cache
def outline_pen(grey: bool = False) -> QPen:
    pen = QPen(QColor("#606060" if grey else "#202020"), 1.0)
    pen.setCosmetic(True)
    return pen


@dataclass(frozen=True)
class Range:
    group: str
    low: float
    high: float

    def normalise(self, values: np.ndarray) -> np.ndarray:
        span = self.high - self.low
        return np.zeros_like(values) if span <= 0 else (values - self.low) / span


class ReplayStyler:
    """Colours and sizes of the network's nodes for one state field at any step."""

    def __init__(self, states, kinds: dict[str, str]):
        self.states = states
        self.ids = [str(i) for i in states.ids]
        self.groups = np.array([GROUPS.get(kinds.get(i, ""), "") for i in self.ids])
        self.steps = states.fields["alive"].shape[0] - 1
        self._ranges: dict[str, list[Range]] = {}

    def ranges(self, field: str) -> list[Range]:
        """Per kind group, the range over the whole run (so a colour means one value)."""
        if field not in self._ranges:
            values = self.states.fields[field]
            out = []
            for group in dict.fromkeys(GROUPS.values()):
                column = values[:, self.groups == group]
                if column.size and np.isfinite(column).any():
                    out.append(Range(group, float(np.nanmin(column)), float(np.nanmax(column))))
            self._ranges[field] = out
        return self._ranges[field]

    def link_styles(self, step: int) -> dict[tuple, QPen]:
        step = min(max(0, step), self.steps)
        alive = dict(zip(self.ids, self.states.fields["alive"][step].tolist()))
        return link_styles(self.states, step, alive)

    def locked_in(self, step: int) -> set[tuple[str, str]]:
        """The (firm id, platform id) `uses` links of living firms whose lock-in is at
        least LOCKED_IN at the step (what "locked-in links only" keeps)."""
        lock_in = self.states.edge_fields.get("lock_in")
        if lock_in is None or not len(self.states.edge_ends):
            return set()
        step = min(max(0, step), self.steps)
        alive = dict(zip(self.ids, self.states.fields["alive"][step].tolist()))
        return {(str(a), str(b)) for (a, b), v in zip(self.states.edge_ends, lock_in[step])
                if v >= LOCKED_IN and alive.get(str(a), 1.0)}

    def has_links(self) -> bool:
        return "lock_in" in self.states.edge_fields and len(self.states.edge_ends) > 0

    def styles(self, field: str, step: int) -> dict[str, tuple]:
        """node id -> (brush, pen, scale, opacity) at the step."""
        step = min(max(0, step), self.steps)
        values = self.states.fields[field][step].astype(float)
        alive = self.states.fields["alive"][step]
        t = np.full(len(values), np.nan)
        for r in self.ranges(field):
            chosen = self.groups == r.group
            t[chosen] = r.normalise(values[chosen])
        out = {}
        for k, node_id in enumerate(self.ids):
            if alive[k] == 0:  # exited or acquired
                out[node_id] = (QBrush(QColor(EXITED_COLOUR)), outline_pen(True), MIN_SCALE,
                                EXITED_OPACITY)
            elif np.isnan(t[k]):
                out[node_id] = (None, None, 1.0, NOT_APPLICABLE_OPACITY)
            else:
                bucket = int(round(t[k] * (STEPS - 1)))
                scale = MIN_SCALE + (MAX_SCALE - MIN_SCALE) * float(np.sqrt(t[k]))
                out[node_id] = (ramp_brush(bucket), outline_pen(), scale, 1.0)
        return out


LOCK_IN_RAMP = ("#c6dbef", "#fc9272", "#a50f15")  # light blue (free) -> dark red (locked in)
LOCK_IN_LABEL = "uses links: lock-in 0 … 1 (wider = higher)"
LINK_ALPHA = 170
# "Locked-in links only" keeps the links at least this far locked in: the upper half of the
# 0..1 scale, where the ramp turns red. A display filter, not a model quantity.
LOCKED_IN = 0.5
LOCKED_IN_LABEL = f"only links locked in at least {LOCKED_IN:g}"


@cache
def lock_in_pen(bucket: int) -> QPen:
    """Colour and width by lock-in in tenths (lock-in is 0..1 in every run, so a colour
    always means the same value); bucket -1: a link of a firm that left."""
    if bucket < 0:
        pen = QPen(QColor(EXITED_COLOUR), 0.6, Qt.PenStyle.DotLine)
    else:
        colour = ramp_colour(bucket / 10, LOCK_IN_RAMP)
        colour.setAlpha(LINK_ALPHA)  # hundreds of links must not bury the nodes
        pen = QPen(colour, 0.6 + 0.16 * bucket)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def link_styles(states, step: int, alive_of: dict[str, float]) -> dict[tuple, QPen]:
    """(firm id, platform id) -> pen of each `uses` link at the step. `alive_of`: the
    firms' alive flags at that step (links of firms that left are drawn faint)."""
    lock_in = states.edge_fields.get("lock_in")
    if lock_in is None or not len(states.edge_ends):
        return {}
    buckets = np.rint(np.clip(lock_in[step], 0.0, 1.0) * 10).astype(int)
    return {(str(a), str(b)): lock_in_pen(int(q) if alive_of.get(str(a), 1.0) and
                                          alive_of.get(str(b), 1.0) else -1)
            for (a, b), q in zip(states.edge_ends, buckets)}


def range_text(r: Range) -> str:
    return f"{r.group}: {r.low:.3g} … {r.high:.3g}  (bigger = higher)"


class ColourScale(QWidget):
    """The replay legend: the ramp with its low and high values per kind group."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("replayLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.title = ""
        self.step_text = ""
        self.rows: list[Range] = []
        self.links = False
        self.locked_only = False
        self.setFixedSize(300, 110)
        self.hide()

    def set_scale(self, title: str, ranges: list[Range], step_text: str,
                  links: bool = False, locked_only: bool = False) -> None:
        self.title, self.rows, self.step_text = title, list(ranges), step_text
        self.links, self.locked_only = links, links and locked_only
        line = self.fontMetrics().height() + 2
        title_width = self.fontMetrics().horizontalAdvance(f"{title}  {step_text}") * 1.15
        links_width = self.fontMetrics().horizontalAdvance(LOCK_IN_LABEL) + 52 + 20 + 12
        rows_width = max((self.fontMetrics().horizontalAdvance(range_text(r)) + 24
                          for r in self.rows), default=0)
        self.setFixedSize(max(300, int(title_width) + 24, rows_width,
                              links_width if links else 0),
                          24 + line * (3 + len(self.rows) + (2 if links else 0)
                                       + (1 if self.locked_only else 0)) + 16)
        self.update()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:  # the workshop type: sized again
            self.set_scale(self.title, self.rows, self.step_text, self.links, self.locked_only)
        super().changeEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(0, 0, 0, 80)))
        painter.setBrush(QBrush(QColor(255, 255, 255, 235)))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        line = self.fontMetrics().height() + 2
        pad, width = 10, self.width() - 20
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.black)
        painter.drawText(pad, pad, width, line, Qt.AlignmentFlag.AlignLeft,
                         f"{self.title}  {self.step_text}")
        font.setBold(False)
        painter.setFont(font)
        y = pad + line + 2
        gradient = QLinearGradient(pad, 0, pad + width, 0)
        for i, colour in enumerate(RAMP):
            gradient.setColorAt(i / (len(RAMP) - 1), QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(gradient))
        painter.drawRect(QRectF(pad, y, width, 14))
        y += 16
        painter.setPen(Qt.GlobalColor.black)
        painter.drawText(pad, y, width, line, Qt.AlignmentFlag.AlignLeft, "low")
        painter.drawText(pad, y, width, line, Qt.AlignmentFlag.AlignRight, "high")
        for r in self.rows:
            y += line
            painter.drawText(pad, y, width, line, Qt.AlignmentFlag.AlignLeft, range_text(r))
        y += line
        painter.setBrush(QBrush(QColor(EXITED_COLOUR)))
        painter.setPen(outline_pen(True))
        painter.drawEllipse(QRectF(pad, y + 3, 10, 10))
        painter.setPen(Qt.GlobalColor.black)
        painter.drawText(pad + 16, y, width, line, Qt.AlignmentFlag.AlignLeft,
                         "exited, acquired or not present;  faint: not applicable")
        if self.links:
            y += line + 4
            for k in range(11):  # the link pens themselves, free to locked in
                painter.setPen(lock_in_pen(k))
                x = pad + k * 4
                painter.drawLine(QPointF(x, y + line), QPointF(x + 3, y + 2))
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(pad + 52, y, width - 52, line, Qt.AlignmentFlag.AlignLeft,
                             LOCK_IN_LABEL)
            y += line
            painter.setPen(lock_in_pen(-1))
            painter.drawLine(QPointF(pad, y + line / 2), QPointF(pad + 40, y + line / 2))
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(pad + 52, y, width - 52, line, Qt.AlignmentFlag.AlignLeft,
                             "link of a firm that left")
            if self.locked_only:
                y += line
                painter.drawText(pad, y, width, line, Qt.AlignmentFlag.AlignLeft,
                                 f"Shown: {LOCKED_IN_LABEL}")
        painter.end()

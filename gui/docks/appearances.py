"""When the scenario's elements appear or vanish, drawn along the run's quarters.

A strip above the lever timelines, on the same axis (steps 0..the run bar's steps): a
mark per quarter at which platforms, pilot zones or firms appear (up) or vanish (down),
its tooltip naming them. It reads the document's `appears` and `vanishes` fields and
computes nothing of the model; it is hidden while no element has a quarter.
"""
from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.docks.timeline import MARGIN_X, TRACK
from model import schema
from model.calendar import Quarter
from model.errors import InputError

COLOURS = {schema.PLATFORM: QColor("#0072B2"), schema.ZONE: QColor("#009E73")}
FIRM_COLOUR = QColor("#7f7f7f")
MARK = 5.0  # half-width of a mark, pixels


def appearance_marks(records, start: Quarter, steps: int) -> dict[tuple[int, str], list]:
    """(step, "appears" or "vanishes") -> [(kind, name), ...] for quarters inside the run."""
    marks: dict[tuple[int, str], list] = defaultdict(list)
    for record in records:
        for field in schema.WINDOW_FIELDS:
            text = record.get(field) or ""
            if not text:
                continue
            try:
                step = Quarter.parse(text) - start
            except InputError:
                continue
            if 0 <= step <= steps:
                marks[(step, field)].append((record.get("kind", ""),
                                             record.get("name") or record.get("id", "")))
    return dict(marks)


class AppearanceStrip(QWidget):
    """The appearance marks of the panel's document over `panel.steps` quarters."""

    def __init__(self, panel, parent=None):
        super().__init__(parent)
        self.panel = panel
        self.setObjectName("appearanceStrip")
        self.setMinimumHeight(20)
        self.setMaximumHeight(22)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.marks: dict[tuple[int, str], list] = {}
        self.refresh()

    @property
    def steps(self) -> int:
        return max(1, self.panel.steps)

    def refresh(self, *_args) -> None:
        doc = self.panel.doc
        self.marks = appearance_marks(doc.node_records().values(), doc.start, self.steps)
        self.setVisible(bool(self.marks))
        self.setToolTip(self._tip(doc.start))
        self.update()

    def _tip(self, start: Quarter) -> str:
        lines = []
        for (step, field), items in sorted(self.marks.items()):
            names = ", ".join(name for _, name in items[:6])
            more = f" and {len(items) - 6} more" if len(items) > 6 else ""
            lines.append(f"{(start + step).label}: {field} {names}{more}")
        return "<b>Elements appearing or vanishing</b><br>" + "<br>".join(lines)

    def x_of(self, step: float) -> float:
        width = max(1.0, self.width() - 2 * MARGIN_X)
        return MARGIN_X + width * min(max(step, 0), self.steps) / self.steps

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        mid = self.height() / 2
        painter.fillRect(QRectF(MARGIN_X - 2, mid - 1, self.width() - 2 * MARGIN_X + 4, 2),
                         TRACK.darker(110))
        for (step, field), items in self.marks.items():
            kinds = {kind for kind, _ in items}
            colour = next((COLOURS[k] for k in COLOURS if k in kinds), FIRM_COLOUR)
            x, up = self.x_of(step), field == "appears"
            tip = mid - 7 if up else mid + 7
            triangle = QPolygonF([QPointF(x - MARK, mid), QPointF(x + MARK, mid),
                                  QPointF(x, tip)])
            painter.setPen(QPen(colour.darker(130), 1))
            painter.setBrush(colour if up else QColor("white"))
            painter.drawPolygon(triangle)
        painter.end()

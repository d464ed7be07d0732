"""A small legend in the canvas corner: node kinds and edge types as drawn."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QWidget

from gui.canvas import style
from model import schema

ROW = 18
PAD = 8
ICON = 16
EDGE_W = 36


class Legend(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("canvasLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.rows = [("kind", k, schema.KIND_LABELS[k]) for k in schema.NODE_KINDS]
        self.rows.append(("hub", schema.ZONE, "Major hub zone (gold ring)"))
        self.rows += [("edge", t, style.EDGE_STYLES[t].label) for t in schema.EDGE_TYPES]
        self._pixmaps = {(what, key): (style.kind_pixmap(key, ICON) if what != "edge"
                                       else style.edge_pixmap(key, EDGE_W, ICON))
                         for what, key, _ in self.rows}
        metrics = QFontMetrics(self.font())
        text_w = max(metrics.horizontalAdvance(label) for *_, label in self.rows)
        self.setFixedSize(PAD * 3 + EDGE_W + text_w, PAD * 2 + ROW * len(self.rows) + ROW)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(0, 0, 0, 60)))
        painter.setBrush(QBrush(QColor(255, 255, 255, 225)))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.setPen(Qt.GlobalColor.black)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(PAD, PAD, self.width(), ROW, Qt.AlignmentFlag.AlignVCenter, "Legend")
        font.setBold(False)
        painter.setFont(font)
        y = PAD + ROW
        for what, key, label in self.rows:
            pixmap = self._pixmaps[(what, key)]
            x = PAD + (EDGE_W - pixmap.width()) // 2
            if what == "hub":
                painter.setPen(QPen(QColor(style.HUB_OUTLINE), 2.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QRectF(x - 1, y, ICON + 2, ICON + 2))
            painter.drawPixmap(x, y + (ROW - pixmap.height()) // 2, pixmap)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(PAD * 2 + EDGE_W, y, self.width(), ROW,
                             Qt.AlignmentFlag.AlignVCenter, label)
            y += ROW
        painter.end()

"""A small legend in the canvas's bottom-left corner: node kinds and edge types as drawn.

A click on it folds it to its title (and back), so it never has to cover the network.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QWidget

from gui.canvas import style
from model import schema

ROW = 18
PAD = 8
ICON = 16
EDGE_W = 36


class Legend(QWidget):
    toggled = Signal(bool)  # expanded

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("canvasLegend")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.expanded = True
        self.chosen = False  # the user folded or opened it: the view stops deciding
        self.rows = [("kind", k, schema.KIND_LABELS[k]) for k in schema.NODE_KINDS]
        self.rows.append(("hub", schema.ZONE, "Major hub zone (gold ring)"))
        self.rows += [("edge", t, style.EDGE_STYLES[t].label) for t in schema.EDGE_TYPES]
        self._pixmaps = {(what, key): (style.kind_pixmap(key, ICON) if what != "edge"
                                       else style.edge_pixmap(key, EDGE_W, ICON))
                         for what, key, _ in self.rows}
        self.row = ROW
        self._fit()

    def title(self) -> str:
        return "Legend  \u25be" if self.expanded else "Legend  \u25b8"

    def set_expanded(self, expanded: bool) -> None:
        if expanded != self.expanded:
            self.expanded = expanded
            self._fit()
            self.setToolTip("Click to fold the legend" if expanded else "Click to show the legend")
            self.toggled.emit(expanded)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.chosen = True
            self.set_expanded(not self.expanded)
            event.accept()
            return
        super().mousePressEvent(event)

    def _fit(self) -> None:
        """Sizes the box to the font (the workshop mode enlarges it) and to its state."""
        metrics = QFontMetrics(self.font())
        self.row = max(ROW, metrics.height() + 4)
        if self.expanded:
            self.setFixedSize(*self.open_size())
        else:
            self.setFixedSize(PAD * 2 + metrics.horizontalAdvance(self.title()) + 8,
                              PAD * 2 + self.row)
        self.place()

    def open_size(self) -> tuple[int, int]:
        metrics = QFontMetrics(self.font())
        row = max(ROW, metrics.height() + 4)
        text_w = max(metrics.horizontalAdvance(label) for *_, label in self.rows)
        return PAD * 3 + EDGE_W + text_w, PAD * 2 + row * (len(self.rows) + 1)

    def suit(self, width: int, height: int) -> None:
        """Open on a canvas with room for it, folded on a small one, until the user says."""
        if not self.chosen:
            w, h = self.open_size()
            self.set_expanded(w * h <= 0.2 * width * height and h <= 0.6 * height)

    def place(self) -> None:
        """In the bottom-left corner of the view, clear of its horizontal scroll bar."""
        parent = self.parentWidget()
        if parent is None:
            return
        bottom = parent.height()
        bar = getattr(parent, "horizontalScrollBar", None)
        if bar is not None and bar().isVisible():
            bottom -= bar().height()
        self.move(8, max(0, bottom - self.height() - 8))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit()
        super().changeEvent(event)

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
        painter.drawText(PAD, PAD, self.width(), self.row, Qt.AlignmentFlag.AlignVCenter,
                         self.title())
        if not self.expanded:
            painter.end()
            return
        font.setBold(False)
        painter.setFont(font)
        y = PAD + self.row
        for what, key, label in self.rows:
            pixmap = self._pixmaps[(what, key)]
            x = PAD + (EDGE_W - pixmap.width()) // 2
            if what == "hub":
                painter.setPen(QPen(QColor(style.HUB_OUTLINE), 2.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QRectF(x - 1, y, ICON + 2, ICON + 2))
            painter.drawPixmap(x, y + (self.row - pixmap.height()) // 2, pixmap)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(PAD * 2 + EDGE_W, y, self.width(), self.row,
                             Qt.AlignmentFlag.AlignVCenter, label)
            y += self.row
        painter.end()

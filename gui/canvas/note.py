"""A short note by the mouse pointer that fades after a few seconds (why an edit was refused).

The status bar says it too, but in front of a room nobody looks down there.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel

NOTE_MS = 6000
MAX_WIDTH = 420


class CursorNote(QLabel):
    def __init__(self, view):
        super().__init__(view.viewport())
        self.setObjectName("canvasNote")
        self.setWordWrap(True)
        self.setMaximumWidth(MAX_WIDTH)
        self.setStyleSheet("QLabel#canvasNote { background: #fff4d6; color: #3d2b00; "
                           "border: 1px solid #c9a227; border-radius: 5px; padding: 6px 9px; }")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def show_text(self, text: str, ms: int = NOTE_MS) -> None:
        """Shows `text` beside the pointer (or low in the middle when it is elsewhere)."""
        self.setText(text[:1].upper() + text[1:])
        self.adjustSize()
        area = self.parentWidget().rect()
        pointer = self.parentWidget().mapFromGlobal(QCursor.pos())
        if not area.contains(pointer):
            pointer = QPoint(area.width() // 2 - self.width() // 2, area.height() - 80)
        x = min(max(4, pointer.x() + 16), max(4, area.width() - self.width() - 4))
        y = min(max(4, pointer.y() + 18), max(4, area.height() - self.height() - 4))
        self.move(x, y)
        self.show()
        self.raise_()
        self.timer.start(ms)

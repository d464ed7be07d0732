"""A scroll area that scrolls up and down and takes its content's width."""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QScrollArea


class ContentScrollArea(QScrollArea):
    """Scrolls up and down only, and is never narrower than its widget's least width with
    the scroll bar: a dock holding it is sized to its content in any type size."""

    def _content_width(self) -> int:
        widget = self.widget()
        bar = self.verticalScrollBar().sizeHint().width()
        return widget.minimumSizeHint().width() + bar + 2 * self.frameWidth() + 2

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._content_width()), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._content_width()), hint.height())

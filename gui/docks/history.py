"""The undo history: every edit, with a click to go back to any point."""
from __future__ import annotations

from PySide6.QtWidgets import QUndoView


def history_view(stack, parent=None) -> QUndoView:
    view = QUndoView(stack, parent)
    view.setObjectName("historyView")
    view.setEmptyLabel("<opened>")
    return view

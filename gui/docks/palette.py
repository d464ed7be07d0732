"""The palette: the node kinds to add, by a click then a click on the canvas, or a drag."""
from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from gui.canvas import style
from gui.canvas.view import KIND_MIME
from model import schema

HINT = ("Click a kind, then click on the canvas (or drag it there).\n"
        "Connect: Shift-drag from node to node, or the Connect tool. "
        "Hold Ctrl when releasing on a platform for an 'operates' link.")


class KindList(QListWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("paletteList")
        self.setIconSize(QSize(26, 26))
        self.setDragEnabled(True)
        self.setDragDropMode(QListWidget.DragDropMode.DragOnly)
        for kind in schema.NODE_KINDS:
            item = QListWidgetItem(style.kind_icon(kind, 26), schema.KIND_LABELS[kind])
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setToolTip(f"Add a {schema.KIND_LABELS[kind].lower()} ({kind})")
            self.addItem(item)

    def mimeData(self, items):
        mime = QMimeData()
        if items:
            mime.setData(KIND_MIME, items[0].data(Qt.ItemDataRole.UserRole).encode())
        return mime

    def mimeTypes(self):
        return [KIND_MIME]


class PalettePanel(QWidget):
    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.list = KindList(self)
        self.list.itemClicked.connect(self._clicked)
        hint = QLabel(HINT, self)
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addWidget(hint)
        editor.mode_changed.connect(self._mode_changed)

    def _clicked(self, item) -> None:
        self.editor.set_mode(f"add:{item.data(Qt.ItemDataRole.UserRole)}")

    def _mode_changed(self, mode: str) -> None:
        if not mode.startswith("add:"):
            self.list.clearSelection()

"""Canvas gestures (orange-canvas-core `document/interactions.py`): each has start, the mouse
handlers, end and cancel. A gesture reads the scene and asks the editor to make the edit;
it never changes the document itself.

The mouse handlers return True when they consumed the event.
"""
from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem

from model import schema

LEFT = Qt.MouseButton.LeftButton


class Interaction:
    def __init__(self, editor):
        self.editor = editor
        self.scene = editor.scene

    def start(self, event) -> None:
        """Called with the mouse press that began the gesture."""

    def mouse_move(self, event) -> bool:
        return True

    def mouse_release(self, event) -> bool:
        self.end()
        return True

    def end(self) -> None:
        self.editor.interaction_finished(self)

    def cancel(self) -> None:
        self.end()


class AddNodeInteraction(Interaction):
    """The next click on the canvas places a node of the chosen kind."""

    def __init__(self, editor, kind: str):
        super().__init__(editor)
        self.kind = kind

    def start(self, event) -> None:
        self.editor.add_node(self.kind, event.scenePos())

    def mouse_release(self, event) -> bool:
        self.end()
        return True


class ConnectInteraction(Interaction):
    """Drag from a node to another to link them; the document infers the edge type.

    Holding Ctrl on release asks for an `operates` link (firm runs platform).
    """

    def __init__(self, editor, source_id: str):
        super().__init__(editor)
        self.source_id = source_id
        self.line = None

    def start(self, event) -> None:
        origin = self.scene.nodes[self.source_id].pos()
        self.line = QGraphicsLineItem(QLineF(origin, event.scenePos()))
        pen = QPen(QColor("#e0218a"), 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.line.setPen(pen)
        self.line.setZValue(1000)
        self.scene.addItem(self.line)

    def mouse_move(self, event) -> bool:
        line = self.line.line()
        line.setP2(event.scenePos())
        self.line.setLine(line)
        return True

    def mouse_release(self, event) -> bool:
        target = self.scene.node_at(event.scenePos())
        operates = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        self.end()
        if target is not None and target.node_id != self.source_id:
            self.editor.connect(self.source_id, target.node_id,
                                "operates" if operates else None)
        elif target is None:
            self.editor.status("Connection cancelled: release the drag on another node")
        return True

    def end(self) -> None:
        if self.line is not None:
            self.scene.removeItem(self.line)
            self.line = None
        super().end()


class RubberBandInteraction(Interaction):
    """Drag on empty canvas to select what the rectangle touches (Ctrl/Shift adds)."""

    def __init__(self, editor):
        super().__init__(editor)
        self.rect_item = None
        self.origin = QPointF()
        self.keep = []

    def start(self, event) -> None:
        self.origin = event.scenePos()
        adding = event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                      | Qt.KeyboardModifier.ShiftModifier)
        self.keep = list(self.scene.selectedItems()) if adding else []
        if not adding:
            self.scene.clearSelection()
        self.rect_item = QGraphicsRectItem(QRectF(self.origin, self.origin))
        pen = QPen(QColor("#1f4e9c"), 1.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.rect_item.setPen(pen)
        self.rect_item.setBrush(QBrush(QColor(31, 78, 156, 30)))
        self.rect_item.setZValue(1000)
        self.scene.addItem(self.rect_item)

    def mouse_move(self, event) -> bool:
        rect = QRectF(self.origin, event.scenePos()).normalized()
        self.rect_item.setRect(rect)
        touched = self.scene.items(rect, Qt.ItemSelectionMode.IntersectsItemShape)
        chosen = {item for item in touched
                  if item.flags() & item.GraphicsItemFlag.ItemIsSelectable}
        chosen.update(self.keep)
        for item in self.scene.selectedItems():
            if item not in chosen:
                item.setSelected(False)
        for item in chosen:
            if not item.isSelected():
                item.setSelected(True)
        return True

    def end(self) -> None:
        if self.rect_item is not None:
            self.scene.removeItem(self.rect_item)
            self.rect_item = None
        super().end()


class MoveInteraction(Interaction):
    """Qt moves the selected items; on release the whole drag becomes one undo step."""

    def start(self, event) -> None:
        self.ids = self.scene.selected_node_ids()
        self.before = self.scene.positions(self.ids)

    def mouse_move(self, event) -> bool:
        return False  # the scene's default handling moves the items

    def mouse_release(self, event) -> bool:
        after = self.scene.positions(self.ids)
        moved = {n: p for n, p in after.items() if p != self.before[n]}
        self.end()
        if moved:
            self.editor.nodes_dragged({n: self.before[n] for n in moved}, moved)
        return False  # let Qt finish its own drag too


def kind_label(kind: str) -> str:
    return schema.KIND_LABELS.get(kind, kind)

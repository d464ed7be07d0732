"""The view on the scene: zoom (wheel, keys), pan (middle button or Space), fit, drops."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFrame, QGraphicsView

from gui.canvas.labels import LabelPlacer
from gui.canvas.legend import Legend
from gui.canvas.note import CursorNote

KIND_MIME = "application/x-ecosystem-kind"
ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.03, 8.0
FIT_PAD_X, FIT_PAD_Y = 60, 24  # room for the labels around the fitted nodes, in pixels
REFIT_PX = 40  # a framed view refits when its viewport grows or shrinks by more


class CanvasView(QGraphicsView):
    kind_dropped = Signal(str, QPointF)  # a palette kind dropped at a scene position
    zoom_changed = Signal(float)

    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.setObjectName("canvasView")
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontSavePainterState
                                  | QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self._panning = None  # last mouse position while panning
        self._space = False
        self._framed = False  # fitted, and the user has not zoomed or panned since
        self._fitted_size = None  # the viewport's size at the last fit
        self.reserve_right = 0  # a strip on the right kept free by fit_all (replay legend)
        self.zoom_changed.connect(scene.set_view_zoom)
        self.labels = LabelPlacer(self)
        scene.labels_stale.connect(self.labels.schedule)
        self.note = CursorNote(self)
        self.legend = Legend(self)  # on the view, not the viewport: scrolling must not move it
        self.legend.toggled.connect(self._legend_toggled)
        self.legend.raise_()

    # --- zoom ------------------------------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        factor = target / self.zoom()
        if abs(factor - 1) > 1e-9:
            self.scale(factor, factor)
            self.zoom_changed.emit(self.zoom())

    def zoom_in(self) -> None:
        self._framed = False
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._framed = False
        self.zoom_by(1 / ZOOM_STEP)

    def reset_zoom(self) -> None:
        self._framed = False
        self.zoom_by(1 / self.zoom())

    def _legend_toggled(self, _expanded: bool) -> None:
        if self._framed:
            self.fit_all()

    def framed(self) -> bool:
        """Fitted, and not zoomed or panned by the user since."""
        return self._framed

    def fit_all(self) -> None:
        """Shows everything, leaving the open legend's strip on the left free (and
        `reserve_right` pixels on the right)."""
        scene = self.scene()
        rect = self._nodes_rect()
        reserve = self.legend.width() + 16 if self.legend.isVisible() and \
            self.legend.expanded else 0
        width = max(50, self.viewport().width() - reserve - self.reserve_right - 2 * FIT_PAD_X)
        height = max(50, self.viewport().height() - 2 * FIT_PAD_Y)
        zoom = min(width / max(rect.width(), 1.0), height / max(rect.height(), 1.0), 1.5)
        self.zoom_by(zoom / self.zoom())
        shift = (reserve - self.reserve_right) / 2 / self.zoom()
        scene.grow_scene_rect(rect.adjusted(-2 * abs(shift), 0, 2 * abs(shift), 0))
        self.centerOn(rect.center() - QPointF(shift, 0))
        self.zoom_changed.emit(self.zoom())
        self._framed = True
        self._fitted_size = self.viewport().size()

    def _nodes_rect(self):
        """The nodes' places (labels keep their size on screen: fitting on them made each
        fit zoom out further, so their room is a margin in pixels, FIT_PAD_X/Y)."""
        scene = self.scene()
        nodes = getattr(scene, "nodes", {})
        if not nodes:
            rect = scene.itemsBoundingRect() if scene.items() else scene.sceneRect()
            return rect.adjusted(-20, -20, 20, 20)
        xs = [item.pos().x() for item in nodes.values()]  # positions: shapes too are
        ys = [item.pos().y() for item in nodes.values()]  # inflated when zoomed far out
        pad = max(item.base_size for item in nodes.values())
        return QRectF(min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad,
                      max(ys) - min(ys) + 2 * pad)

    def resizeEvent(self, event) -> None:
        """A fitted view stays fitted while the window settles (maximising arrives after
        the first show) and when docks are resized, until the user zooms or pans."""
        super().resizeEvent(event)
        self.legend.suit(self.viewport().width(), self.viewport().height())
        self.legend.place()
        if self._framed and self._resized_much():
            self.fit_all()

    def _resized_much(self) -> bool:
        """More than a scroll bar's width: refitting must not chase the scroll bars it makes
        appear and disappear."""
        size, last = self.viewport().size(), self._fitted_size
        return last is None or abs(size.width() - last.width()) > REFIT_PX or \
            abs(size.height() - last.height()) > REFIT_PX

    def centre_on_item(self, item) -> None:
        self._framed = False
        if self.zoom() < 1.0:
            self.zoom_by(1.0 / self.zoom())
        self.centerOn(item)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            return super().wheelEvent(event)  # Shift+wheel scrolls
        steps = event.angleDelta().y() / 120
        if steps:
            self._framed = False
            self.zoom_by(ZOOM_STEP ** steps)
        event.accept()

    # --- pan -------------------------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
                self._space and event.button() == Qt.MouseButton.LeftButton):
            self._panning = event.position()
            self._framed = False
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._panning is not None:
            delta = event.position() - self._panning
            self._panning = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._panning is not None:
            self._panning = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # --- drops from the palette ------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(KIND_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()  # files go on to the main window

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(KIND_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        if not event.mimeData().hasFormat(KIND_MIME):
            event.ignore()
            return
        kind = bytes(event.mimeData().data(KIND_MIME)).decode()
        self.kind_dropped.emit(kind, self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()

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
FIT_PAD = 6  # pixels between the outermost shape or label and the viewport's edge
FIT_STEPS = 24  # halvings of the zoom's interval when fitting (a 1e-7 ratio)
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
        self.reserves: dict[str, tuple[str, int]] = {}  # overlay -> (side, pixels) kept free
        # by fit_all on the right or at the bottom (the replay legend, the start card)
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

    def reserve(self, name: str, side: str | None, pixels: int = 0) -> None:
        """Keeps a strip free of the map ("right" or "bottom"; None gives it back) and
        fits again when framed."""
        before = self.reserves.get(name)
        if side is None:
            self.reserves.pop(name, None)
        else:
            self.reserves[name] = (side, int(pixels))
        if self.reserves.get(name) != before and self._framed:
            self.fit_all()

    def free_area(self, extra: dict | None = None) -> QRectF:
        """The viewport's part the map is fitted in: without the open kind legend's strip
        on the left and the reserved strips (`extra`: reserves to try instead)."""
        area = QRectF(self.viewport().rect())
        if self.legend.isVisible() and self.legend.expanded:
            area.setLeft(area.left() + self.legend.width() + 16)
        for side, pixels in (extra if extra is not None else self.reserves).values():
            if side == "right":
                area.setRight(area.right() - pixels)
            else:
                area.setBottom(area.bottom() - pixels)
        return area

    def fit_all(self) -> None:
        """Shows every node and every label it shows in the free area, as large as fits."""
        area = self.free_area()
        zoom, centre = self.fit_zoom(area)
        self.zoom_by(zoom / self.zoom())
        # the free area's centre, in scene units, is where the nodes' centre goes
        offset = (area.center() - QRectF(self.viewport().rect()).center()) / self.zoom()
        target = centre - offset  # a scene smaller than the view is centred by Qt: the
        half_w = self.viewport().width() / self.zoom()  # scene takes in the whole view
        half_h = self.viewport().height() / self.zoom()  # around the target first
        self.scene().grow_scene_rect(QRectF(target.x() - half_w, target.y() - half_h,
                                            2 * half_w, 2 * half_h))
        self.centerOn(target)
        self.zoom_changed.emit(self.zoom())
        self._framed = True
        self._fitted_size = self.viewport().size()

    def fit_zoom(self, area: QRectF) -> tuple[float, QPointF]:
        """(the largest zoom at which every node with its label fits in `area`, the scene
        point to centre). Labels and small shapes keep their size on screen, so the nodes'
        reach in pixels is added to their positions at each zoom tried."""
        nodes = list(getattr(self.scene(), "nodes", {}).values())
        if not nodes:
            rect = self._nodes_rect()
            zoom = min(area.width() / max(rect.width(), 1.0),
                       area.height() / max(rect.height(), 1.0), 1.5)
            return max(MIN_ZOOM, zoom), rect.center()
        width, height = area.width() - 2 * FIT_PAD, area.height() - 2 * FIT_PAD
        low, high = MIN_ZOOM, 1.5
        if _span(nodes, high)[0] <= width and _span(nodes, high)[1] <= height:
            low = high
        for _ in range(FIT_STEPS):
            if high / low < 1.001:
                break
            middle = (low * high) ** 0.5
            span_x, span_y, _c = _span(nodes, middle)
            if span_x <= width and span_y <= height:
                low = middle
            else:
                high = middle
        return low, _span(nodes, low)[2]

    def _nodes_rect(self):
        """The nodes' places, with room for the largest shape."""
        scene = self.scene()
        nodes = getattr(scene, "nodes", {})
        if not nodes:
            rect = scene.itemsBoundingRect() if scene.items() else scene.sceneRect()
            return rect.adjusted(-20, -20, 20, 20)
        xs = [item.pos().x() for item in nodes.values()]
        ys = [item.pos().y() for item in nodes.values()]
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
        """Shrunk at all (a fit reaches the edges: shrinking cut labels, as a run's longer
        readout taking 30 px of the map), or grown by more than a scroll bar's width
        (refitting must not chase the scroll bars it makes appear and disappear)."""
        size, last = self.viewport().size(), self._fitted_size
        if last is None:
            return True
        shrunk = size.width() < last.width() - 2 or size.height() < last.height() - 2
        return shrunk or abs(size.width() - last.width()) > REFIT_PX or \
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


def _span(nodes, zoom: float) -> tuple[float, float, QPointF]:
    """(width, height) in pixels the nodes and their labels take at that zoom, and the
    scene point at the centre of that box."""
    left = top = float("inf")
    right = bottom = -float("inf")
    for item in nodes:
        reach_x, up, down = item.screen_reach(zoom)
        x, y = item.pos().x() * zoom, item.pos().y() * zoom
        left, right = min(left, x - reach_x), max(right, x + reach_x)
        top, bottom = min(top, y - up), max(bottom, y + down)
    centre = QPointF((left + right) / 2 / zoom, (top + bottom) / 2 / zoom)
    return right - left, bottom - top, centre

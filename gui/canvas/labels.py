"""Label placement: the most important labels first, each on the first free side of its node.

Zones and platforms are placed first, then leading firms, foreign firms and SMEs. A label
takes the first of eight spots around its node that covers no label placed before it and no
zone, platform or leading firm. A firm's label with no free spot is hidden (its name is still
in the tooltip and the find box); a zone's takes the spot it overlaps least, and so does a
platform's if that spot is mostly free, else a wholly free spot further out, joined to its
node by a leader line. Placement runs on the labels the view shows, a moment
after the zoom, the scroll or the positions change, so a burst of changes costs one placement.
"""
from __future__ import annotations

import math
from collections import defaultdict

from PySide6.QtCore import QObject, QRectF, QTimer, Signal

from gui.canvas.style import KIND_STYLES
from model import schema

PRIORITY = {schema.ZONE: 0, schema.PLATFORM: 1, schema.LEADER: 2, schema.FOREIGN: 3,
            schema.SME: 4}
OBSTACLE_KINDS = (schema.ZONE, schema.PLATFORM, schema.LEADER)
STYLE_Z = {kind: KIND_STYLES[kind].z for kind in PRIORITY}
# Zones are few and essential: never hidden. A platform's label may overlap others a little
# (at most this share of its area) rather than vanish; a firm's may not overlap at all.
ALWAYS_LABELLED = (schema.ZONE,)
PLATFORM_OVERLAP = 0.35
PLATFORM_UNDER = 0.08  # of it under a zone's diamond: a corner, not a letter
OUTSIDE_WEIGHT = 4.0  # a label cut by the view's edge is worse than one overlapping a label
DIAGONAL = 0.7071
# Below, above, right, left, then the diagonals: the reading order of a map's labels.
SPOTS = ((0.0, 1.0), (0.0, -1.0), (1.0, 0.0), (-1.0, 0.0),
         (DIAGONAL, DIAGONAL), (-DIAGONAL, DIAGONAL), (DIAGONAL, -DIAGONAL),
         (-DIAGONAL, -DIAGONAL))
SETTLE_MS = 40
# A platform's label with no free spot beside its node is pushed out by these many label
# heights, on a leader line, before it is hidden (firms' labels are simply hidden).
PUSHED_KINDS = (schema.PLATFORM,)
PUSHES = (1.0, 2.0, 3.0)


class RectGrid:
    """Rectangles in buckets of a uniform grid: overlap queries touch only nearby cells."""

    def __init__(self, cell: float):
        self.cell = max(cell, 1.0)
        self.cells: dict[tuple[int, int], list[QRectF]] = defaultdict(list)

    def _keys(self, rect: QRectF):
        c = self.cell
        for i in range(int(rect.left() // c), int(rect.right() // c) + 1):
            for j in range(int(rect.top() // c), int(rect.bottom() // c) + 1):
                yield i, j

    def add(self, rect: QRectF) -> None:
        for key in self._keys(rect):
            self.cells[key].append(rect)

    def overlap(self, rect: QRectF, ignore: QRectF | None = None) -> float:
        """The area of `rect` that the stored rectangles cover (counted once per rectangle)."""
        seen, area = set(), 0.0
        for key in self._keys(rect):
            for other in self.cells.get(key, ()):
                if other is not ignore and id(other) not in seen and other.intersects(rect):
                    seen.add(id(other))
                    common = other.intersected(rect)
                    area += max(common.width() * common.height(), 1e-9)
        return area


def priority(item) -> tuple:
    return (PRIORITY[item.kind], not item.hub, item.node_id)


def place_labels(items, zoom: float, bounds: QRectF | None = None) -> int:
    """Shows each item's label on a free spot or hides it; returns how many are shown.
    A spot reaching out of `bounds` (the visible scene rectangle) is not free."""
    candidates = sorted((i for i in items if zoom >= i.kind_style.label_zoom), key=priority)
    for item in items:
        if zoom < item.kind_style.label_zoom:
            item.set_label_spot(None)
    if not candidates:
        return 0
    cell = max(candidates[0].label_rect_for((0.0, 1.0)).width(), 1.0)
    placed = RectGrid(cell)
    obstacles = {kind: RectGrid(cell) for kind in OBSTACLE_KINDS}
    shapes = {}
    for item in items:
        if item.kind in OBSTACLE_KINDS:
            shapes[item] = item.scene_shape_rect()
            obstacles[item.kind].add(shapes[item])
    shown, said = 0, set()
    for item in candidates:
        if item.kind not in ALWAYS_LABELLED and item.label in said:
            item.set_label_spot(None)  # zoomed out, a platform reads as its operator: the
            continue  # operator's own label would say the same name twice
        spot = _free_spot(item, placed, obstacles, shapes.get(item), bounds)
        item.set_label_spot(spot)
        if spot is not None:
            shown += 1
            said.add(item.label)
    return shown


def _free_spot(item, placed: RectGrid, obstacles: dict, own_shape, bounds):
    """The first spot (the item's preferred side, then the eight) where the label is free."""
    first = item.preferred_label_dir
    pos = item.pos()
    best, best_overlap = None, math.inf
    for direction in (first, *(s for s in SPOTS if s != first)):
        rect = item.label_rect_for(direction).translated(pos)
        on_labels = placed.overlap(rect) + OUTSIDE_WEIGHT * _outside(rect, bounds)
        on_shapes = above = 0.0
        for kind, grid in obstacles.items():
            covered = grid.overlap(rect, ignore=own_shape)
            on_shapes += covered
            if STYLE_Z[kind] > STYLE_Z[item.kind]:
                above += covered  # a shape drawn over the label hides its letters
        overlap = on_labels + on_shapes
        if overlap == 0.0:
            best = direction
            break
        if overlap < best_overlap and _may_overlap(item, rect, overlap, on_labels, above):
            best, best_overlap = direction, overlap
    if best is None and item.kind in PUSHED_KINDS:
        best = _pushed_spot(item, placed, obstacles, own_shape, bounds)
    if best is not None:
        placed.add(item.label_rect_for(best).translated(pos))
    return best


def _pushed_spot(item, placed: RectGrid, obstacles: dict, own_shape, bounds):
    """A spot further out, wholly free, for a label with none beside its node (a leader
    line joins them): near Beijing's crowd two platforms' names were hidden."""
    height = item.label_rect_for(SPOTS[0]).height() / item.label_scale  # on screen
    pos = item.pos()
    for push in PUSHES:
        for dx, dy in (item.preferred_label_dir, *SPOTS):
            spot = (dx, dy, push * height)
            rect = item.label_rect_for(spot).translated(pos)
            if _outside(rect, bounds) or placed.overlap(rect):
                continue
            if not any(grid.overlap(rect, ignore=own_shape) for grid in obstacles.values()):
                return spot
    return None


def _outside(rect: QRectF, bounds: QRectF | None) -> float:
    """The area of `rect` out of `bounds` (a label cut at the view's edge)."""
    if bounds is None or bounds.contains(rect):
        return 0.0
    inside = rect.intersected(bounds)
    return max(rect.width() * rect.height() - inside.width() * inside.height(), 1e-9)


def _may_overlap(item, rect: QRectF, overlap: float, on_labels: float,
                 above: float) -> bool:
    """A zone's label may overlap anything (the least wins); a platform's may cover a
    little of the shapes (a corner under a zone's) but no label and no edge of
    the view (its name would be cut: 'Megvii' under Shenyang's label read 'Megv', 'iFlytek'
    under Hefei's diamond 'iFlytel')."""
    if item.kind in ALWAYS_LABELLED:
        return True
    area = rect.width() * rect.height()
    return item.kind == schema.PLATFORM and on_labels == 0.0 and \
        above <= PLATFORM_UNDER * area and overlap <= PLATFORM_OVERLAP * area


class LabelPlacer(QObject):
    """Re-places the labels of the view's visible nodes shortly after anything moves."""

    placed = Signal()  # overlays that avoid the labels (the replay legend) follow

    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.place_now)
        view.zoom_changed.connect(self.schedule)
        view.horizontalScrollBar().valueChanged.connect(self.schedule)
        view.verticalScrollBar().valueChanged.connect(self.schedule)

    def schedule(self, *_args) -> None:
        self.timer.start()

    def place_now(self) -> int:
        self.timer.stop()
        scene = self.view.scene()
        if scene is None:
            return 0
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        items = [item for item in scene.nodes.values()
                 if visible.intersects(item.sceneBoundingRect())]
        free = self.view.free_area() if hasattr(self.view, "free_area") else None
        bounds = self.view.mapToScene(free.toRect()).boundingRect() if free else visible
        shown = place_labels(items, self.view.zoom(), bounds)  # clear of the overlays
        # one full repaint: a label moved away in the same turn as a scroll or zoom could
        # stay on screen where it was (a ghost 'Mininglamp' under Xvfb; grabs never show it)
        self.view.viewport().update()
        self.placed.emit()
        return shown

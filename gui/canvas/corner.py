"""Where an overlay goes on the map: the corner of the view that covers the least of it.

The replay legend is 300-odd pixels square; a fixed corner put it over Hangzhou and
Shenzhen. Each corner is scored by what it would cover, in view pixels, of the nodes'
rectangles (a hub zone weighs most, then zones and platforms, then firms), and the corner
that covers least wins; another overlay's rectangle (the kind legend) is never covered.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QRectF

from model import schema

MARGIN = 8
# What covering a node costs, per pixel of its rectangle: a hub or a zone's name must stay
# in sight before anything else.
WEIGHT_HUB, WEIGHT_BIG, WEIGHT_FIRM = 1000.0, 50.0, 1.0
TAKEN_COST = 1e12  # covering the kind legend: never, while any corner is free of it


def corners(area: QRect, width: int, height: int) -> list[QRect]:
    """The four corner rectangles of `area` for an overlay of that size, in the order
    preferred on a tie: bottom right, top right, top left, bottom left."""
    left, top = area.left() + MARGIN, area.top() + MARGIN
    right = max(left, area.right() - MARGIN - width + 1)  # a map narrower than the overlay:
    bottom = max(top, area.bottom() - MARGIN - height + 1)  # its left or top edge stays in
    return [QRect(x, y, width, height) for x, y in
            ((right, bottom), (right, top), (left, top), (left, bottom))]


def node_weight(item) -> float:
    if item.kind == schema.ZONE:
        return WEIGHT_HUB if item.hub else WEIGHT_BIG
    return WEIGHT_BIG if item.kind == schema.PLATFORM else WEIGHT_FIRM


def node_rects(view) -> list[tuple[QRectF, float]]:
    """Each node's shape (and shown label) in viewport pixels, with its weight."""
    scene = view.scene()
    out = []
    for item in scene.nodes.values():
        rect = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        out.append((QRectF(rect), node_weight(item)))
    return out


def cost(rect: QRect, nodes, taken) -> float:
    box = QRectF(rect)
    total = sum(TAKEN_COST for other in taken if QRectF(other).intersects(box))
    for node, weight in nodes:
        if node.intersects(box):
            common = node.intersected(box)
            total += weight * max(common.width() * common.height(), 1.0)
    return total


def free_corner(view, width: int, height: int, taken=()) -> tuple[QRect, float]:
    """(the corner of the view's viewport that covers least, what it covers)."""
    area = view.viewport().rect()
    offset = view.viewport().geometry().topLeft()  # viewport -> view coordinates
    nodes = node_rects(view)
    scored = [(cost(rect, nodes, taken), i, rect)
              for i, rect in enumerate(corners(area, width, height))]
    best, _, rect = min(scored)
    return rect.translated(offset), best


def covers_hub(view, rect: QRect) -> bool:
    """Whether the rectangle (view coordinates) covers a hub zone's shape or label."""
    offset = view.viewport().geometry().topLeft()
    box = QRectF(rect.translated(-offset))
    return any(node.intersects(box) for node, w in node_rects(view) if w >= WEIGHT_HUB)

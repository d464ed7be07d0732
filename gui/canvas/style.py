"""How each node kind and edge type looks: one place for the canvas, the legend and the icons.

Shapes, pens and brushes are built once at import of the first use and shared by every item,
so painting allocates nothing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QIcon, QPainter, QPainterPath,
                           QPen, QPixmap, QPolygonF)

from model import schema


@dataclass(frozen=True)
class KindStyle:
    colour: str
    outline: str
    size: float  # diameter in scene units
    shape: str  # hexagon, diamond, square, circle, triangle
    label_zoom: float  # the label may show from this zoom on (if it has room)
    z: float  # drawing order: bigger on top


KIND_STYLES = {
    schema.PLATFORM: KindStyle("#1f4e9c", "#0d2a5c", 34, "hexagon", 0.0, 30),
    schema.ZONE: KindStyle("#2a9d8f", "#16594f", 26, "diamond", 0.0, 32),
    schema.LEADER: KindStyle("#e76f51", "#8c3520", 18, "square", 0.1, 20),
    schema.FOREIGN: KindStyle("#8e5cc4", "#4f2d78", 12, "triangle", 0.5, 15),
    schema.SME: KindStyle("#9bb870", "#5b7a34", 9, "circle", 1.8, 10),
}
HUB_OUTLINE = "#d4a017"  # gold ring around major hub zones
# Zoomed out, shapes keep at least this size in pixels (firms may shrink to dots).
MIN_SCREEN_SIZE = {schema.PLATFORM: 18.0, schema.ZONE: 17.0, schema.LEADER: 9.0,
                   schema.FOREIGN: 5.0, schema.SME: 4.0}
SHORT_LABEL_ZOOM = 0.7  # below this zoom, platforms show their operator's name only


@dataclass(frozen=True)
class EdgeStyle:
    colour: str
    alpha: int
    width: float  # base width; weighted types add `weight * width_per_weight`
    width_per_weight: float
    dash: Qt.PenStyle
    label: str


EDGE_STYLES = {
    "operates": EdgeStyle("#0d2a5c", 230, 2.6, 0.0, Qt.PenStyle.SolidLine, "operates (runs)"),
    "uses": EdgeStyle("#5a7fb5", 60, 0.4, 1.2, Qt.PenStyle.SolidLine, "uses (dependency)"),
    "located_in": EdgeStyle("#7a8a8a", 40, 0.5, 0.0, Qt.PenStyle.DotLine, "located in"),
    "hosts": EdgeStyle("#16594f", 200, 1.6, 0.0, Qt.PenStyle.DashLine, "hosts"),
    "exchange": EdgeStyle("#1e7a6f", 190, 1.0, 3.0, Qt.PenStyle.DashDotLine,
                          "exchange (experience)"),
    "collaborates": EdgeStyle("#e76f51", 150, 0.5, 1.6, Qt.PenStyle.DotLine, "collaborates"),
}

SELECTED_PEN_COLOUR = "#e0218a"  # magenta: distinct from the hub gold
REGION_COLOUR = "#2a9d8f"
REGION_HUB_COLOUR = "#d4a017"
LABEL_FONT_SIZE = 8.0


def node_size(kind: str, hub: bool = False) -> float:
    size = KIND_STYLES[kind].size
    return size * 1.25 if hub else size


@cache
def kind_path(kind: str, hub: bool = False) -> QPainterPath:
    """The outline of a node centred on (0, 0)."""
    style = KIND_STYLES[kind]
    r = node_size(kind, hub) / 2
    path = QPainterPath()
    if style.shape == "circle":
        path.addEllipse(QPointF(0, 0), r, r)
    elif style.shape == "square":
        path.addRoundedRect(QRectF(-r, -r, 2 * r, 2 * r), r * 0.3, r * 0.3)
    else:
        path.addPolygon(_polygon(style.shape, r))
        path.closeSubpath()
    return path


def _polygon(shape: str, r: float) -> QPolygonF:
    corners = {"hexagon": (6, 0.0), "diamond": (4, 90.0), "triangle": (3, -90.0)}[shape]
    count, start = corners
    points = [QPointF(r * math.cos(math.radians(start + i * 360 / count)),
                      r * math.sin(math.radians(start + i * 360 / count))) for i in range(count)]
    return QPolygonF(points)


@cache
def kind_brush(kind: str) -> QBrush:
    return QBrush(QColor(KIND_STYLES[kind].colour))


@cache
def kind_pen(kind: str, hub: bool = False, selected: bool = False) -> QPen:
    if selected:
        pen = QPen(QColor(SELECTED_PEN_COLOUR), 3.0)
    elif hub:
        pen = QPen(QColor(HUB_OUTLINE), 3.0)
    else:
        pen = QPen(QColor(KIND_STYLES[kind].outline), 1.0)
    pen.setCosmetic(True)  # outlines in pixels, so a hub's gold ring shows at any zoom
    return pen


@cache
def edge_pen(etype: str, weight_bucket: int, selected: bool = False) -> QPen:
    """Pens are shared per type and weight bucket (tenths), so edges allocate none."""
    style = EDGE_STYLES[etype]
    colour = QColor(SELECTED_PEN_COLOUR if selected else style.colour)
    colour.setAlpha(255 if selected else style.alpha)
    width = style.width + style.width_per_weight * weight_bucket / 10
    pen = QPen(colour, width + (1.5 if selected else 0.0), style.dash)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setCosmetic(True)  # widths in pixels: links stay visible at any zoom
    return pen


@cache
def edge_arrow_brush(etype: str, selected: bool = False) -> QBrush:
    style = EDGE_STYLES[etype]
    colour = QColor(SELECTED_PEN_COLOUR if selected else style.colour)
    colour.setAlpha(255 if selected else min(255, style.alpha + 40))
    return QBrush(colour)


# Workshop mode's label sizes on screen (the font's line height in pixels, at any zoom):
# a zone read from the back of a room, a platform, a firm.
ROOM_LABEL_PX = {schema.ZONE: 20.0, schema.PLATFORM: 16.0}
ROOM_FIRM_LABEL_PX = 14.0
_room_labels = False


def set_room_labels(on: bool) -> None:
    global _room_labels
    _room_labels = bool(on)


def label_magnification(kind: str) -> float:
    """How much larger than normal a kind's label is drawn (1 outside workshop mode)."""
    return _magnification(kind) if _room_labels else 1.0


@cache
def _magnification(kind: str) -> float:
    big = kind in (schema.ZONE, schema.PLATFORM)
    font = label_font_bold() if big else label_font()
    target = ROOM_LABEL_PX.get(kind, ROOM_FIRM_LABEL_PX)
    return max(1.0, target / QFontMetricsF(font).height())


@cache
def label_font() -> QFont:
    font = QFont()
    font.setPointSizeF(LABEL_FONT_SIZE)
    return font


@cache
def label_font_bold() -> QFont:
    font = QFont(label_font())
    font.setBold(True)
    font.setPointSizeF(LABEL_FONT_SIZE + 1)
    return font


def kind_icon(kind: str, size: int = 24) -> QIcon:
    return QIcon(kind_pixmap(kind, size))


def kind_pixmap(kind: str, size: int = 24) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scale = (size - 4) / KIND_STYLES[schema.PLATFORM].size
    painter.translate(size / 2, size / 2)
    painter.scale(scale, scale)
    painter.setPen(kind_pen(kind))
    painter.setBrush(kind_brush(kind))
    painter.drawPath(kind_path(kind))
    painter.end()
    return pixmap


def edge_pixmap(etype: str, width: int = 36, height: int = 14) -> QPixmap:
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(edge_pen(etype, 6))
    colour = pen.color()
    colour.setAlpha(255)
    pen.setColor(colour)
    painter.setPen(pen)
    y = height / 2
    painter.drawLine(QPointF(2, y), QPointF(width - 8, y))
    if schema.EDGE_TYPES[etype].directed:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([QPointF(width - 2, y), QPointF(width - 9, y - 4),
                                       QPointF(width - 9, y + 4)]))
    painter.end()
    return pixmap

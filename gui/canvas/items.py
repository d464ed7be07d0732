"""Graphics items for nodes, edges and zone regions. They draw; they never touch the model.

Geometry is computed when something changes (a move, a rename), never while painting, and
pens, brushes and shapes come shared from `style`, so a paint allocates nothing.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFontMetricsF, QPainterPath, QPainterPathStroker,
                           QPen, QPolygonF, QTransform)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from gui.canvas import style
from model import schema

LABEL_GAP = 2.0
LABEL_BACKGROUND = QBrush(QColor(255, 255, 255, 190))
# While a run is replayed the labels sit over coloured nodes and links: black text in a white
# halo, at full opacity whatever the node's (a faded node must not fade its name).
LABEL_TEXT = QColor(0, 0, 0)
LABEL_HALO = QColor(255, 255, 255)
HALO_PX = 3.0  # the halo's width around each glyph, in the label's own units
REPLAY_LABEL_BACKGROUND = QBrush(QColor(255, 255, 255, 225))
NO_PEN = QPen(Qt.PenStyle.NoPen)
LEADER_PEN = QPen(QColor("#555555"), 1.2)  # a pushed label's line to its node
LEADER_PEN.setCosmetic(True)
ARROW_LENGTH = 9.0
ARROW_HALF_WIDTH = 4.0
FAR_ZOOM = 0.35  # below this zoom, thin edges lose their arrowheads
SOLID_RADIUS_PX = 4.0  # replayed nodes smaller than this on screen are drawn without outline
MIN_HIT_RADIUS_PX = 7.0  # a click this close to a small node's centre still takes it


def zoom_of(painter) -> float:
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


class NodeItem(QGraphicsItem):
    """One node: its kind's shape and a label beside it (shown from a zoom level on).

    Zoomed far out, the shape is inflated to a minimum size on screen and the label keeps
    its size on screen (`set_view_zoom`), so platforms and zones stay readable at a glance.
    """

    def __init__(self, node_id: str, record: dict, zoom: float = 1.0):
        super().__init__()
        self.node_id = node_id
        self.edges: list[EdgeItem] = []
        flags = (QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                 | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                 | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setFlags(flags)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.zoom, self.inflate, self.label_scale = zoom, 1.0, 1.0
        self.label_dir = (0.0, 1.0)  # unit vector from the centre to the label
        self.preferred_label_dir = (0.0, 1.0)  # where the label goes when it has room
        self.label_shown: bool | None = None  # None: not placed yet (the zoom decides)
        self.replay_brush: QBrush | None = None  # set while a run is replayed
        self.replay_pen: QPen | None = None
        self.replay_scale = 1.0
        self.shape_opacity = 1.0  # a replayed node's fading: its shape only, never its label
        self.replaying = False
        self.set_record(record)

    def set_record(self, record: dict) -> None:
        """Takes the displayed values of the node (kind, name, hub) and its tooltip."""
        self.kind = record["kind"]
        self.hub = bool(record.get("hub")) if self.kind == schema.ZONE else False
        self.full_label = str(record.get("name") or self.node_id)
        self.short_label = short_label(self.kind, self.full_label)
        self.kind_style = style.KIND_STYLES[self.kind]
        self.base_path = style.kind_path(self.kind, self.hub)
        self.base_size = style.node_size(self.kind, self.hub)
        self.big = self.kind in (schema.PLATFORM, schema.ZONE)
        self.font = style.label_font_bold() if self.big else style.label_font()
        metrics = QFontMetricsF(self.font)
        self._text_size = {text: (metrics.horizontalAdvance(text) + 6, metrics.height() + 2)
                           for text in {self.full_label, self.short_label}}
        self.setZValue(self.kind_style.z)
        self.setToolTip(tooltip(self.node_id, record))
        self._layout()

    def set_view_zoom(self, zoom: float) -> bool:
        """Adapts to the view's zoom; True when the shape's size changed (edges to adjust)."""
        minimum = style.MIN_SCREEN_SIZE[self.kind] * (1.35 if self.hub else 1.0)
        inflate = max(1.0, minimum / (self.base_size * zoom))
        label_scale = max(1.0, 1.0 / zoom) * style.label_magnification(self.kind)
        short = zoom < style.SHORT_LABEL_ZOOM
        was_short = self.zoom < style.SHORT_LABEL_ZOOM
        hit_changes = MIN_HIT_RADIUS_PX / zoom > self.radius and abs(zoom - self.zoom) > 0.01 * zoom
        if abs(inflate - self.inflate) < 0.01 * self.inflate and short == was_short and \
                abs(label_scale - self.label_scale) < 0.01 * self.label_scale and not hit_changes:
            self.zoom = zoom
            return False
        resized = abs(inflate - self.inflate) >= 0.01 * self.inflate
        self.zoom, self.inflate, self.label_scale = zoom, inflate, label_scale
        self._layout()
        return resized

    def set_label_direction(self, dx: float, dy: float) -> None:
        """The side the label prefers (a platform's: away from its zone)."""
        length = math.hypot(dx, dy)
        direction = (dx / length, dy / length) if length > 1e-6 else (0.0, 1.0)
        self.preferred_label_dir = direction
        if direction != self.label_dir:
            self.label_dir = direction
            self._layout()

    def set_label_spot(self, direction: tuple[float, float] | None) -> None:
        """Where the label placement put the label; None hides it (no free spot)."""
        shown = direction is not None
        if shown and direction != self.label_dir:
            self.label_dir = direction
            self._layout()
        if shown != self.label_shown:
            self.label_shown = shown
            self.update()

    def label_rect_for(self, direction: tuple) -> QRectF:
        """The label's rectangle, relative to the node, were it on that side: (dx, dy),
        or (dx, dy, push) for a label pushed `push` pixels further out (a leader line)."""
        width, height = self._text_size[self.label]
        dx, dy = direction[0], direction[1]
        w, h = width * self.label_scale, height * self.label_scale
        reach = self.radius + (LABEL_GAP + _push(direction)) * self.label_scale + \
            abs(dx) * w / 2 + abs(dy) * h / 2
        return QRectF(dx * reach - w / 2, dy * reach - h / 2, w, h)

    def leader_line(self) -> QLineF | None:
        """From the shape's edge to a pushed label's near side (None when not pushed)."""
        push = _push(self.label_dir)
        if not push or not self.label_shown:
            return None
        dx, dy = self.label_dir[0], self.label_dir[1]
        near = self.radius + (LABEL_GAP + push) * self.label_scale
        return QLineF(dx * self.radius, dy * self.radius, dx * near, dy * near)

    def screen_reach(self, zoom: float) -> tuple[float, float, float]:
        """(sideways, up, down): how far the shape and its label, below or above, reach
        from the centre on screen at that zoom, in pixels (what a fit must leave room for)."""
        minimum = style.MIN_SCREEN_SIZE[self.kind] * (1.35 if self.hub else 1.0)
        radius = max(self.base_size * zoom, minimum) * self.replay_scale / 2
        if zoom < self.kind_style.label_zoom:
            return radius, radius, radius
        width, height = self._text_size[self.short_label if zoom < style.SHORT_LABEL_ZOOM
                                        else self.full_label]
        scale = max(zoom, 1.0) * style.label_magnification(self.kind)  # pixels per unit
        reach = radius + (LABEL_GAP + height) * scale
        return max(radius, width * scale / 2), reach, reach

    def scene_shape_rect(self) -> QRectF:
        return self.path.boundingRect().translated(self.pos())

    def label_visible(self, zoom: float) -> bool:
        return self.isSelected() or (zoom >= self.kind_style.label_zoom
                                     and self.label_shown is not False)

    def set_replay_style(self, brush: QBrush | None, pen: QPen | None = None,
                         scale: float = 1.0, opacity: float = 1.0) -> bool:
        """Draws the node with a replayed state's colour and size (None: its kind's colour).
        True when the size changed (its edges must be adjusted)."""
        self.replay_brush, self.replay_pen = brush, pen
        self.shape_opacity = opacity
        self.replaying = True
        resized = abs(scale - self.replay_scale) > 1e-3
        if resized:
            self.replay_scale = scale
            self._layout()
        else:
            self.update()
        return resized

    def clear_replay_style(self) -> bool:
        """Back to the normal look; True when the size changed."""
        resized = self.set_replay_style(None, None, 1.0, 1.0)
        self.replaying = False
        self.update()
        return resized

    def label_colours(self) -> tuple[QColor, QColor | None, float]:
        """(text, halo or None, opacity) of the label as painted."""
        return LABEL_TEXT, (LABEL_HALO if self.replaying else None), 1.0

    def _layout(self) -> None:
        self.prepareGeometryChange()
        factor = self.inflate * self.replay_scale
        self.radius = self.base_size * factor / 2
        self.path = QTransform.fromScale(factor, factor).map(self.base_path)
        self.label = self.short_label if self.zoom < style.SHORT_LABEL_ZOOM else self.full_label
        width, height = self._text_size[self.label]
        self.text_rect = QRectF(-width / 2, -height / 2, width, height)
        self.text_path = self._text_path()
        self.label_rect = self.label_rect_for(self.label_dir)
        self.label_centre = self.label_rect.center()
        self.hit_path = self._hit_path()
        shape_rect = self.hit_path.boundingRect().adjusted(-3, -3, 3, 3)
        self._bounds = shape_rect.united(self.label_rect)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _text_path(self) -> QPainterPath:
        return centred_text_path(self.font, self.label)

    def _hit_path(self) -> QPainterPath:
        """The shape, or a disc of MIN_HIT_RADIUS_PX on screen when the shape is smaller
        (an SME of 3 pixels is otherwise a game of skill to click)."""
        hit = MIN_HIT_RADIUS_PX / max(self.zoom, 1e-6)
        if hit <= self.radius:
            return self.path
        disc = QPainterPath()
        disc.addEllipse(QPointF(0.0, 0.0), hit, hit)
        return disc

    def shape(self) -> QPainterPath:
        return self.hit_path

    def paint(self, painter, option, widget=None) -> None:
        selected = self.isSelected()
        zoom = zoom_of(painter)
        pen = self.replay_pen if self.replay_pen is not None and not selected else \
            style.kind_pen(self.kind, self.hub, selected)
        if self.replay_brush is not None and not selected and \
                self.radius * zoom < SOLID_RADIUS_PX:
            pen = NO_PEN  # a dot of a few pixels: its outline would hide its replay colour
        painter.setPen(pen)
        painter.setBrush(self.replay_brush or style.kind_brush(self.kind))
        painter.setOpacity(self.shape_opacity)
        painter.drawPath(self.path)
        painter.setOpacity(1.0)
        if self.label_visible(zoom):
            leader = self.leader_line()
            if leader is not None:
                painter.setPen(LEADER_PEN)
                painter.drawLine(leader)
            painter.save()
            painter.translate(self.label_centre)
            painter.scale(self.label_scale, self.label_scale)
            painter.setPen(NO_PEN)
            painter.setBrush(REPLAY_LABEL_BACKGROUND if self.replaying else LABEL_BACKGROUND)
            painter.drawRoundedRect(self.text_rect, 3, 3)
            if self.replaying:
                self._paint_halo_text(painter)
            else:
                painter.setPen(LABEL_TEXT)
                painter.setFont(self.font)
                painter.drawText(self.text_rect, Qt.AlignmentFlag.AlignCenter, self.label)
            painter.restore()

    def _paint_halo_text(self, painter) -> None:
        halo = QPen(LABEL_HALO, HALO_PX)  # in the text's units: it grows with the label
        halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.strokePath(self.text_path, halo)
        painter.fillPath(self.text_path, LABEL_TEXT)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.adjust()
        return super().itemChange(change, value)


def _push(direction: tuple) -> float:
    return float(direction[2]) if len(direction) > 2 else 0.0


def short_label(kind: str, name: str) -> str:
    """What a label says zoomed out: a platform's operator ("Baidu" for "Baidu OIP: ...")."""
    if kind != schema.PLATFORM:
        return name
    head = name.split(":", 1)[0].strip()
    for suffix in (" OIP", " open innovation platform"):
        if head.endswith(suffix):
            head = head[: -len(suffix)]
    return head or name


class EdgeItem(QGraphicsItem):
    """A link drawn by type: dash style, arrowhead when directed, width by weight."""

    def __init__(self, key: int, record: dict, source: NodeItem, target: NodeItem):
        super().__init__()
        self.key = key
        self.source = source
        self.target = target
        self.etype = record["type"]
        self.directed = schema.EDGE_TYPES[self.etype].directed
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(1 if self.etype in ("operates", "hosts", "exchange") else 0)
        source.edges.append(self)
        target.edges.append(self)
        self.line = QLineF()
        self.arrow = QPolygonF()
        self._bounds = QRectF()
        self.replay_pen: QPen | None = None
        self.set_record(record)

    def set_replay_pen(self, pen: QPen | None) -> None:
        """A replayed state's pen (lock-in of a `uses` link); None: the type's pen."""
        if pen is not self.replay_pen:
            self.replay_pen = pen
            self.update()

    def set_record(self, record: dict) -> None:
        weight = record.get("weight")
        weight = 1.0 if weight is None or weight != weight else float(weight)
        self.weight_bucket = max(0, min(10, round(weight * 10)))
        self.pen = style.edge_pen(self.etype, self.weight_bucket)
        self.setToolTip(edge_tooltip(record, self.source.label, self.target.label))
        self.adjust()

    def detach(self) -> None:
        for node in (self.source, self.target):
            if self in node.edges:
                node.edges.remove(self)

    def adjust(self) -> None:
        """Recomputes the line between the ends' borders (called when an end moves)."""
        self.prepareGeometryChange()
        a, b = self.source.pos(), self.target.pos()
        line = QLineF(a, b)
        length = line.length()
        if length < 1e-6:
            self.line = QLineF(a, a)
            self.arrow = QPolygonF()
        else:
            ux, uy = (b.x() - a.x()) / length, (b.y() - a.y()) / length
            start = QPointF(a.x() + ux * self.source.radius, a.y() + uy * self.source.radius)
            tip = QPointF(b.x() - ux * self.target.radius, b.y() - uy * self.target.radius)
            self.line = QLineF(start, tip)
            self.arrow = _arrowhead(tip, ux, uy) if self.directed else QPolygonF()
        pad = self.pen.widthF() + ARROW_HALF_WIDTH + 2
        self._bounds = QRectF(self.line.p1(), self.line.p2()).normalized().adjusted(
            -pad, -pad, pad, pad)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def _text_path(self) -> QPainterPath:
        return centred_text_path(self.font, self.label)

    def shape(self) -> QPainterPath:
        path = QPainterPath(self.line.p1())
        path.lineTo(self.line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(max(6.0, self.pen.widthF() + 4))
        return stroker.createStroke(path)

    def paint(self, painter, option, widget=None) -> None:
        selected = self.isSelected()
        pen = style.edge_pen(self.etype, self.weight_bucket, True) if selected else \
            self.replay_pen or self.pen
        painter.setPen(pen)
        painter.drawLine(self.line)
        if self.directed and not self.arrow.isEmpty() and (
                selected or self.pen.widthF() >= 1.5 or zoom_of(painter) >= FAR_ZOOM):
            painter.setPen(NO_PEN)
            painter.setBrush(style.edge_arrow_brush(self.etype, selected))
            painter.drawPolygon(self.arrow)


def _arrowhead(tip: QPointF, ux: float, uy: float) -> QPolygonF:
    base = QPointF(tip.x() - ux * ARROW_LENGTH, tip.y() - uy * ARROW_LENGTH)
    nx, ny = -uy * ARROW_HALF_WIDTH, ux * ARROW_HALF_WIDTH
    return QPolygonF([tip, QPointF(base.x() + nx, base.y() + ny),
                      QPointF(base.x() - nx, base.y() - ny)])


class ZoneRegionItem(QGraphicsItem):
    """A translucent rounded area around a zone and its firms, drawn behind everything."""

    PADDING = 22.0

    def __init__(self, zone_id: str, hub: bool):
        super().__init__()
        self.zone_id = zone_id
        self.setZValue(-10)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.path = QPainterPath()
        self.set_hub(hub)

    def set_hub(self, hub: bool) -> None:
        colour = QColor(style.REGION_HUB_COLOUR if hub else style.REGION_COLOUR)
        colour.setAlpha(34)
        self.brush = QBrush(colour)
        colour = QColor(colour)
        colour.setAlpha(90)
        self.pen = QPen(colour, 1.0)
        self.update()

    def set_points(self, points: list[tuple[float, float]]) -> None:
        """The region becomes the padded convex hull of these positions."""
        self.prepareGeometryChange()
        hull = _convex_hull(points)
        polygon = QPolygonF([QPointF(x, y) for x, y in hull])
        path = QPainterPath()
        if len(hull) == 1:
            path.addEllipse(polygon[0], self.PADDING, self.PADDING)
        elif hull:
            outline = QPainterPath()
            outline.addPolygon(polygon)
            outline.closeSubpath()
            stroker = QPainterPathStroker()
            stroker.setWidth(2 * self.PADDING)
            stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
            path = stroker.createStroke(outline).united(outline).simplified()
        self.path = path
        self.update()

    def boundingRect(self) -> QRectF:
        return self.path.boundingRect().adjusted(-1, -1, 1, 1)

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(self.pen)
        painter.setBrush(self.brush)
        painter.drawPath(self.path)


def _convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain; a few hundred points per zone at most."""
    pts = sorted(set(p for p in points if not (math.isnan(p[0]) or math.isnan(p[1]))))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


# --- tooltips ------------------------------------------------------------------------------------

def tooltip(node_id: str, record: dict) -> str:
    kind = record["kind"]
    lines = [f"<b>{_html(record.get('name') or node_id)}</b>",
             f"{schema.KIND_LABELS[kind]} <span style='color:gray'>({_html(node_id)})</span>"]
    for spec in schema.fields_for_kind(kind):
        if spec.name in ("id", "kind", "name", "x", "y", "source", "confidence"):
            continue
        value = record.get(spec.name)
        if value is None or value == "" or (isinstance(value, float) and value != value):
            continue
        text = ("yes" if value else "no") if spec.dtype == "bool" else (
            f"{value:g}" if isinstance(value, float) else _html(str(value)))
        unit = f" {spec.unit}" if spec.unit and spec.dtype == "float" else ""
        lines.append(f"{spec.name}: {text}{unit}")
    lines.append(f"<i>confidence: {_html(record.get('confidence') or 'user')}</i>")
    if record.get("source"):
        lines.append(f"<i>source: {_html(record['source'])}</i>")
    return "<br>".join(lines)


def edge_tooltip(record: dict, source_label: str, target_label: str) -> str:
    spec = schema.EDGE_TYPES[record["type"]]
    arrow = "&rarr;" if spec.directed else "&harr;"
    lines = [f"<b>{_html(source_label)} {arrow} {_html(target_label)}</b>",
             f"{record['type']}: {spec.meaning}"]
    if spec.weighted:
        lines.append(f"weight: {record.get('weight', 0):g}")
    if record["type"] == "uses":
        lines.append(f"lock-in: {record.get('lock_in', 0):g}")
    return "<br>".join(lines)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def centred_text_path(font, label: str) -> QPainterPath:
    """A label's glyphs as a path centred on the origin (a halo strokes it)."""
    metrics = QFontMetricsF(font)
    width = metrics.horizontalAdvance(label)
    baseline = (metrics.ascent() - metrics.descent()) / 2
    path = QPainterPath()
    path.addText(QPointF(-width / 2, baseline), font, label)
    return path

"""The scene: one item per node and edge, kept in step with the document's events.

It keeps a model-to-item dict (orange-canvas-core `canvas/scene.py`). It never edits the
document: gestures and commands do that, and the scene follows the announcements.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene

from gui.canvas.items import EdgeItem, NodeItem, ZoneRegionItem
from model import schema
from model.document import Document

UNPLACED_SPACING = 40.0  # grid spacing for nodes the document has no position for
MARGIN = 300.0


class EcosystemScene(QGraphicsScene):
    labels_stale = Signal()  # names or positions changed: the views re-place their labels

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.setBackgroundBrush(QColor("#fbfbf8"))
        self.document = document
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[int, EdgeItem] = {}
        self.regions: dict[str, ZoneRegionItem] = {}
        self.zone_of: dict[str, str] = {}  # firm id -> zone id (its located_in edge)
        self.host_of: dict[str, str] = {}  # platform id -> zone id (its hosts edge)
        self.view_zoom = 1.0
        self.hidden_types: set[str] = set()
        self.only_links: set | None = None  # replay's "locked-in links only": the pairs kept
        self.handler = None  # the editor, which turns presses into gestures
        self.regions_visible = True
        self._dirty_zones: set[str] = set()
        self._dirty_labels: set[str] = set()  # platforms whose label side may change
        self._region_timer = QTimer(self)
        self._region_timer.setSingleShot(True)
        self._region_timer.timeout.connect(self.update_regions)
        self._handlers = {
            document.node_added: self._on_node_added,
            document.node_removed: self._on_node_removed,
            document.node_changed: self._on_node_changed,
            document.nodes_moved: self._on_nodes_moved,
            document.edge_added: self._on_edge_added,
            document.edge_removed: self._on_edge_removed,
            document.edge_changed: self._on_edge_changed,
            document.reset: self.rebuild,
        }
        for event, handler in self._handlers.items():
            event.connect(handler)
        self.rebuild()

    def detach(self) -> None:
        """Stops following the document (before the scene is dropped)."""
        for event, handler in self._handlers.items():
            try:
                event.disconnect(handler)
            except ValueError:  # already detached
                pass
        self._region_timer.stop()

    # --- building --------------------------------------------------------------------------------

    def rebuild(self) -> None:
        self.clear()
        self.nodes.clear()
        self.edges.clear()
        self.regions.clear()
        self.zone_of.clear()
        self.host_of.clear()
        self._dirty_labels = set()
        doc = self.document
        for node_id in doc.node_ids():
            self._add_node_item(node_id)  # the scene rect and the labels: once, below
        for key in doc.edge_keys():
            self._on_edge_added(key)
        self.update_regions(all_zones=True)
        self.fit_scene_rect()
        self.labels_stale.emit()

    def fit_scene_rect(self) -> None:
        rect = self.itemsBoundingRect() if self.nodes else QRectF(-400, -300, 800, 600)
        self.setSceneRect(rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))

    def grow_scene_rect(self, rect: QRectF) -> None:
        """Grows the scene to hold `rect`, the views staying on what they show (a node added
        near the edge must not pan the view away between two clicks). The scene also takes
        in what the views show: a scene smaller than its view is centred in it by Qt, and
        would jump as it grows."""
        wanted = rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        if self.sceneRect().contains(wanted):
            return
        shown = [(view, view.mapToScene(view.viewport().rect()).boundingRect())
                 for view in self.views()]
        grown = self.sceneRect().united(wanted)
        for _view, area in shown:
            grown = grown.united(area)
        self.setSceneRect(grown)
        for view, area in shown:
            view.centerOn(area.center())

    # --- document events -------------------------------------------------------------------------

    def _on_node_added(self, node_id: str) -> None:
        item = self._add_node_item(node_id)
        self.grow_scene_rect(item.sceneBoundingRect())
        self.labels_stale.emit()

    def _add_node_item(self, node_id: str) -> NodeItem:
        record = self.document.node(node_id)
        item = NodeItem(node_id, record, self.view_zoom)
        item.set_view_zoom(self.view_zoom)
        item.setPos(self._position(record, len(self.nodes)))
        self.addItem(item)
        self.nodes[node_id] = item
        if record["kind"] == schema.ZONE:
            region = ZoneRegionItem(node_id, item.hub)
            region.setVisible(self.regions_visible)
            self.addItem(region)
            self.regions[node_id] = region
            self._mark_zone(node_id)
        return item

    def _on_node_removed(self, node_id: str) -> None:
        item = self.nodes.pop(node_id)
        self.removeItem(item)
        region = self.regions.pop(node_id, None)
        if region is not None:
            self.removeItem(region)
            self._dirty_zones.discard(node_id)
        self.labels_stale.emit()

    def _on_node_changed(self, node_id: str, changes: dict) -> None:
        item = self.nodes[node_id]
        record = self.document.node(node_id)
        item.set_record(record)
        if "x" in changes or "y" in changes:
            item.setPos(self._position(record, 0))
        for edge in item.edges:
            edge.set_record(self.document.edge(edge.key))
        if node_id in self.regions:
            self.regions[node_id].set_hub(item.hub)
            self._mark_zone(node_id)
        self.labels_stale.emit()

    def _on_nodes_moved(self, positions: dict) -> None:
        for node_id, (x, y) in positions.items():
            item = self.nodes[node_id]
            item.setPos(self._position({"x": x, "y": y}, 0))
            self.grow_scene_rect(item.sceneBoundingRect())
            self._mark_zone(node_id if node_id in self.regions else self.zone_of.get(node_id))
            if node_id in self.host_of:
                self._mark_label(node_id)
            elif node_id in self.regions:
                for platform, zone in self.host_of.items():
                    if zone == node_id:
                        self._mark_label(platform)
        self.labels_stale.emit()

    def _on_edge_added(self, key: int) -> None:
        record = self.document.edge(key)
        item = EdgeItem(key, record, self.nodes[record["source"]], self.nodes[record["target"]])
        item.setVisible(self.edge_shown(item))
        self.addItem(item)
        self.edges[key] = item
        if record["type"] == "located_in":
            self.zone_of[record["source"]] = record["target"]
            self._mark_zone(record["target"])
        elif record["type"] == "hosts":
            self.host_of[record["target"]] = record["source"]
            self._mark_label(record["target"])

    def _on_edge_removed(self, key: int) -> None:
        item = self.edges.pop(key)
        item.detach()
        self.removeItem(item)
        if item.etype == "located_in":
            firm, zone = item.source.node_id, item.target.node_id
            if self.zone_of.get(firm) == zone:
                del self.zone_of[firm]
            self._mark_zone(zone)
        elif item.etype == "hosts":
            self.host_of.pop(item.target.node_id, None)
            self._mark_label(item.target.node_id)

    def _on_edge_changed(self, key: int, changes: dict) -> None:
        self.edges[key].set_record(self.document.edge(key))

    # --- zone regions ----------------------------------------------------------------------------

    def _mark_zone(self, zone_id: str | None) -> None:
        if zone_id is None or zone_id not in self.regions:
            return
        self._dirty_zones.add(zone_id)
        self._region_timer.start(0)  # coalesce a burst of changes into one update

    def _mark_label(self, platform: str) -> None:
        self._dirty_labels.add(platform)
        self._region_timer.start(0)

    def update_labels(self) -> None:
        """Puts a hosted platform's label on the side away from its zone (less overlap)."""
        for platform in self._dirty_labels & set(self.nodes):
            zone = self.host_of.get(platform)
            item = self.nodes[platform]
            if zone in self.nodes:
                delta = item.pos() - self.nodes[zone].pos()
                item.set_label_direction(delta.x(), delta.y())
            else:
                item.set_label_direction(0.0, 1.0)
        self._dirty_labels.clear()

    def set_view_zoom(self, zoom: float) -> None:
        """Called by the view: items adapt their minimum size and labels to the zoom."""
        self.view_zoom = zoom
        resized = [item for item in self.nodes.values() if item.set_view_zoom(zoom)]
        edges = {edge for item in resized for edge in item.edges}
        for edge in edges:
            edge.adjust()

    def update_regions(self, all_zones: bool = False) -> None:
        self.update_labels()
        zones = set(self.regions) if all_zones else self._dirty_zones & set(self.regions)
        self._dirty_zones.clear()
        if not zones:
            return
        members: dict[str, list[tuple[float, float]]] = {z: [] for z in zones}
        for firm, zone in self.zone_of.items():
            if zone in members and firm in self.nodes:
                pos = self.nodes[firm].pos()
                members[zone].append((pos.x(), pos.y()))
        for zone, points in members.items():
            pos = self.nodes[zone].pos()
            self.regions[zone].set_points(points + [(pos.x(), pos.y())])

    def set_regions_visible(self, visible: bool) -> None:
        self.regions_visible = visible
        for region in self.regions.values():
            region.setVisible(visible)

    def set_edge_type_visible(self, etype: str, visible: bool) -> None:
        (self.hidden_types.discard if visible else self.hidden_types.add)(etype)
        for item in self.edges.values():
            if item.etype == etype:
                item.setVisible(self.edge_shown(item))

    def edge_shown(self, edge) -> bool:
        """Not of a hidden type and, while only some links are asked for, one of them."""
        if edge.etype in self.hidden_types:
            return False
        return self.only_links is None or (
            edge.etype == "uses" and (edge.source.node_id, edge.target.node_id) in self.only_links)

    def show_only_links(self, pairs) -> None:
        """Only these (firm id, platform id) `uses` links (None: every edge again)."""
        self.only_links = None if pairs is None else set(pairs)
        for edge in self.edges.values():
            edge.setVisible(self.edge_shown(edge))

    # --- replay ----------------------------------------------------------------------------------

    def set_replay_styles(self, styles: dict) -> None:
        """node id -> (brush, pen, scale, opacity) as `NodeItem.set_replay_style` takes them;
        nodes not named keep their look."""
        resized = [item for node_id, args in styles.items()
                   if (item := self.nodes.get(node_id)) is not None
                   and item.set_replay_style(*args)]
        for edge in {e for item in resized for e in item.edges}:
            edge.adjust()

    def clear_replay_styles(self) -> None:
        resized = [item for item in self.nodes.values() if item.clear_replay_style()]
        for edge in {e for item in resized for e in item.edges}:
            edge.adjust()
        for edge in self.edges.values():
            edge.set_replay_pen(None)
        if self.only_links is not None:
            self.show_only_links(None)

    def set_replay_link_styles(self, pens: dict) -> None:
        """(source id, target id) -> pen of `uses` links; links not named keep their look."""
        if not pens:
            return
        for edge in self.edges.values():
            if edge.etype == "uses":
                pen = pens.get((edge.source.node_id, edge.target.node_id))
                if pen is not None:
                    edge.set_replay_pen(pen)

    # --- selection -------------------------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        """Selected nodes in document order (so that copies keep the order)."""
        chosen = {i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)}
        return [n for n in self.nodes if n in chosen]

    def selected_edge_keys(self) -> list[int]:
        chosen = {i.key for i in self.selectedItems() if isinstance(i, EdgeItem)}
        return [k for k in self.edges if k in chosen]

    def select_nodes(self, node_ids) -> None:
        self.clearSelection()
        for node_id in node_ids:
            if node_id in self.nodes:
                self.nodes[node_id].setSelected(True)

    def select_edge(self, key: int) -> None:
        self.clearSelection()
        if key in self.edges:
            self.edges[key].setSelected(True)

    def node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def positions(self, node_ids) -> dict[str, tuple[float, float]]:
        return {n: (self.nodes[n].pos().x(), self.nodes[n].pos().y()) for n in node_ids}

    # --- mouse: the editor's gestures come first ------------------------------------------------

    def mousePressEvent(self, event) -> None:
        if self.handler is not None and self.handler.scene_press(event):
            event.accept()
            return
        super().mousePressEvent(event)
        if self.handler is not None:
            self.handler.scene_after_press(event)

    def mouseMoveEvent(self, event) -> None:
        if self.handler is not None and self.handler.scene_move(event):
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self.handler is not None and self.handler.scene_release(event):
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # --- helpers ---------------------------------------------------------------------------------

    def _position(self, record: dict, index: int) -> QPointF:
        x, y = record.get("x"), record.get("y")
        if x is None or y is None or math.isnan(x) or math.isnan(y):
            columns = 20  # unplaced nodes go on a grid below the origin until moved
            return QPointF((index % columns) * UNPLACED_SPACING,
                           (index // columns) * UNPLACED_SPACING)
        return QPointF(x, y)

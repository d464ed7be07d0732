"""The editor: the document, its undo stack, the scene and view, and every canvas edit.

Edits become commands (`commands.py`); presses on the canvas become gestures
(`interactions.py`). Refusals from the document go to the status bar, never to a crash.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication

from gui.canvas.scene import EcosystemScene
from gui.canvas.view import CanvasView
from gui.document import clipboard, commands, layout
from gui.document.interactions import (AddNodeInteraction, ConnectInteraction, MoveInteraction,
                                       RubberBandInteraction)
from model import schema
from model.document import Document
from model.errors import InputError

SELECT, CONNECT = "select", "connect"


class Compound(QUndoCommand):
    """Several commands as one undo step; children run in order, undo in reverse."""

    def __init__(self, text: str):
        super().__init__(text)
        self.children_commands: list[commands.DocumentCommand] = []
        self._skip_redo = True  # built by running its children already

    def add(self, command: commands.DocumentCommand) -> commands.DocumentCommand:
        command.do()
        self.children_commands.append(command)
        return command

    def rollback(self) -> None:
        for command in reversed(self.children_commands):
            command.undo()

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        for command in self.children_commands:
            command.do()

    def undo(self) -> None:
        self.rollback()


class Editor(QObject):
    status_message = Signal(str)
    mode_changed = Signal(str)  # "select", "connect" or "add:<kind>"

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.doc = document
        self.stack = QUndoStack(self)
        self.scene = EcosystemScene(document, self)
        self.scene.handler = self
        self.view = CanvasView(self.scene)
        self.view.kind_dropped.connect(self.add_node)
        self.mode = SELECT
        self.pending_kind: str | None = None
        self.interaction = None
        self._listeners: list[tuple] = []

    def listen(self, event, callback) -> None:
        """Connects a view to a document event; `close()` disconnects them all."""
        event.connect(callback)
        self._listeners.append((event, callback))

    def status(self, text: str) -> None:
        self.status_message.emit(text)

    # --- running commands ------------------------------------------------------------------------

    def execute(self, command: commands.DocumentCommand) -> bool:
        """Runs the command; a refusal from the document becomes a status message."""
        try:
            command.first()
        except InputError as error:
            self.refuse(error)
            return False
        self.stack.push(command)
        return True

    def refuse(self, error: InputError) -> None:
        """Says why, in the status bar and beside the pointer."""
        self.status(f"Refused: {error.line()}")
        self.view.note.show_text(error.line())

    def compound(self, text: str, build) -> bool:
        """Runs `build(compound)` (which adds child commands) as one undo step, or nothing."""
        compound = Compound(text)
        try:
            build(compound)
        except InputError as error:
            compound.rollback()
            self.refuse(error)
            return False
        if not compound.children_commands:
            return False
        self.stack.push(compound)
        return True

    # --- node and edge edits ---------------------------------------------------------------------

    def add_node(self, kind: str, pos: QPointF | None = None, **fields) -> str | None:
        """A new node; a new firm also gets the document's first subfield and a
        `located_in` link to the zone nearest where it was put (without them it blocked
        every run until edited), in the same undo step."""
        if pos is not None:
            fields.update(x=float(pos.x()), y=float(pos.y()))
        firm = kind in schema.FIRMS
        if firm and not fields.get("subfield"):
            fields["subfield"] = self._first_subfield() or ""
        zone = self._nearest_zone(fields) if firm else None
        made = []

        def build(compound):
            node = commands.AddNode(self.doc, kind, fields)
            compound.add(node)
            made.append(node)
            compound.setText(node.text())
            if zone is not None:
                compound.add(commands.AddEdge(self.doc, node.node_id, zone, "located_in"))

        if not self.compound(f"Add {kind}", build):
            return None
        node = made[0]
        self.scene.select_nodes([node.node_id])
        where = f" in {self.doc.node(zone)['name']}" if zone is not None else ""
        self.status(f"Added {node.record['name']}{where}")
        return node.node_id

    def _first_subfield(self) -> str | None:
        """The first subfield a platform of the document serves (document order)."""
        for record in self.doc.node_records().values():
            if record["kind"] == schema.PLATFORM and record.get("subfield"):
                return str(record["subfield"])
        return None

    def _nearest_zone(self, fields: dict) -> str | None:
        if not _placed(fields):
            return None
        zones = [(n, r) for n, r in self.doc.node_records().items()
                 if r["kind"] == schema.ZONE and _placed(r)]
        if not zones:
            return None
        x, y = fields["x"], fields["y"]
        return min(zones, key=lambda z: (z[1]["x"] - x) ** 2 + (z[1]["y"] - y) ** 2)[0]

    def connect(self, source: str, target: str, etype: str | None = None) -> int | None:
        command = commands.AddEdge(self.doc, source, target, etype)
        if not self.execute(command):
            return None
        self.status(command.text())
        self.scene.select_edge(command.key)  # the inspector shows the new link
        return command.key

    def delete_selection(self) -> bool:
        nodes = self.scene.selected_node_ids()
        chosen = set(nodes)
        edges = [k for k in self.scene.selected_edge_keys()
                 if not {self.doc.edge(k)["source"], self.doc.edge(k)["target"]} & chosen]
        if not nodes and not edges:
            return False

        def build(compound):
            for key in edges:
                compound.add(commands.RemoveEdge(self.doc, key))
            for node_id in nodes:
                compound.add(commands.RemoveNode(self.doc, node_id))

        count = len(nodes) + len(edges)
        return self.compound(f"Delete {count} item{'s' if count > 1 else ''}", build)

    def nodes_dragged(self, before: dict, after: dict) -> None:
        """A finished drag: one undo step from the document's positions to the new ones."""
        old = {n: (self.doc.node(n)["x"], self.doc.node(n)["y"]) for n in after}
        count = len(after)
        text = f"Move {self.doc.node(next(iter(after)))['name']}" if count == 1 else \
            f"Move {count} nodes"
        self.stack.push(commands.MoveNodes(self.doc, old, after, text))

    def set_node_fields(self, node_id: str, changes: dict, merge_key=None) -> bool:
        name = self.doc.node(node_id)["name"]
        text = f"Edit {', '.join(changes)} of {name}"
        return self.execute(commands.SetNode(self.doc, node_id, changes, text, merge_key))

    def set_edge_fields(self, key: int, changes: dict, merge_key=None) -> bool:
        text = f"Edit {', '.join(changes)} of a {self.doc.edge(key)['type']} link"
        return self.execute(commands.SetEdge(self.doc, key, changes, text, merge_key))

    def set_parameters(self, values: dict, text: str, merge_key=None) -> bool:
        return self.execute(commands.SetParameters(self.doc, values, text, merge_key))

    def set_schedule(self, key: str, schedule, text: str, merge_key=None) -> bool:
        """Sets (or, with None, removes) a parameter's schedule: one undo step, or one per
        drag when the commands share a merge key."""
        return self.execute(commands.SetSchedule(self.doc, key, schedule, text, merge_key))

    def set_start(self, start) -> bool:
        return start != self.doc.start and self.execute(commands.SetStart(self.doc, start))

    def apply_values_and_schedules(self, values: dict, schedules: dict, text: str) -> bool:
        """Parameter values and schedules ({key: Schedule or None}) as one undo step."""
        def build(compound):
            if values:
                compound.add(commands.SetParameters(self.doc, values, text))
            for key, schedule in schedules.items():
                if schedule != self.doc.schedules.get(key):
                    compound.add(commands.SetSchedule(self.doc, key, schedule, text))
        return self.compound(text, build)

    def set_meta(self, values: dict, merge_key=None) -> bool:
        text = f"Edit scenario {', '.join(values)}"
        return self.execute(commands.SetMeta(self.doc, values, text, merge_key))

    def operator_of(self, platform: str) -> tuple[int, str] | None:
        for key in self.doc.edges_of(platform):
            edge = self.doc.edge(key)
            if edge["type"] == "operates" and edge["target"] == platform:
                return key, edge["source"]
        return None

    def set_operator(self, platform: str, firm: str | None) -> bool:
        """Replaces the platform's operator (one undo step)."""
        current = self.operator_of(platform)
        if (current and current[1]) == firm:
            return False

        def build(compound):
            if current is not None:
                compound.add(commands.RemoveEdge(self.doc, current[0]))
            if firm is not None:
                compound.add(commands.AddEdge(self.doc, firm, platform, "operates"))

        name = self.doc.node(platform)["name"]
        return self.compound(f"Set operator of {name}", build)

    # --- clipboard -------------------------------------------------------------------------------

    def copy_selection(self) -> bool:
        nodes = self.scene.selected_node_ids()
        if not nodes:
            return False
        QApplication.clipboard().setMimeData(
            clipboard.to_mime(clipboard.fragment(self.doc, nodes)))
        self.status(f"Copied {len(nodes)} node{'s' if len(nodes) > 1 else ''}")
        return True

    def paste(self) -> list[str]:
        data = clipboard.from_mime(QApplication.clipboard().mimeData())
        if data is None:
            self.status("Nothing to paste: copy nodes first")
            return []
        return self.paste_fragment(data, "Paste")

    def duplicate_selection(self) -> list[str]:
        nodes = self.scene.selected_node_ids()
        if not nodes:
            return []
        return self.paste_fragment(clipboard.fragment(self.doc, nodes), "Duplicate")

    def paste_fragment(self, data: dict, text: str) -> list[str]:
        try:
            nodes, edges = clipboard.paste_plan(self.doc, data)
        except (KeyError, TypeError, ValueError):
            self.status("The clipboard does not hold canvas nodes")
            return []

        def build(compound):
            for kind, node_id, fields in nodes:
                compound.add(commands.AddNode(self.doc, kind, fields, node_id=node_id))
            for source, target, etype, fields in edges:
                compound.add(commands.AddEdge(self.doc, source, target, etype, fields))

        count = len(nodes)
        if not self.compound(f"{text} {count} node{'s' if count != 1 else ''}", build):
            return []
        new_ids = [node_id for _, node_id, _ in nodes]
        self.scene.select_nodes(new_ids)
        return new_ids

    # --- layout and find -------------------------------------------------------------------------

    def apply_layout(self, which: str) -> bool:
        compute = {"spring": layout.spring_positions, "zones": layout.grouped_positions}[which]
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            new = compute(self.doc)
        finally:
            QApplication.restoreOverrideCursor()
        if not new:
            return False
        old = {n: (self.doc.node(n)["x"], self.doc.node(n)["y"]) for n in new}
        text = {"spring": "Spring layout", "zones": "Layout grouped by zone"}[which]
        self.stack.push(commands.MoveNodes(self.doc, old, new, text))
        self.scene.update_regions()  # now, so that fitting sees the new regions
        self.scene.fit_scene_rect()
        self.view.fit_all()
        return True

    def find(self, text: str) -> str | None:
        """Selects and centres the first node whose name (or id) matches; None if none."""
        wanted = text.strip().lower()
        if not wanted:
            return None
        names = {n: str(self.doc.node(n)["name"]).lower() for n in self.doc.node_ids()}
        found = next((n for n, name in names.items() if name == wanted or n.lower() == wanted),
                     None)
        found = found or next((n for n, name in names.items() if wanted in name), None)
        if found is None:
            self.status(f"No node named {text!r}")
            return None
        self.scene.select_nodes([found])
        self.view.centre_on_item(self.scene.nodes[found])
        self.status(f"Found {self.doc.node(found)['name']}")
        return found

    # --- modes and gestures ----------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.cancel_interaction()
        self.mode = mode
        self.pending_kind = mode.split(":", 1)[1] if mode.startswith("add:") else None
        cursor = Qt.CursorShape.ArrowCursor if mode == SELECT else Qt.CursorShape.CrossCursor
        self.view.viewport().setCursor(cursor)
        self.mode_changed.emit(mode)
        if self.pending_kind:
            self.status(f"Click on the canvas to place the {self.pending_kind} (Esc cancels)")
        elif mode == CONNECT:
            self.status("Drag from a node to another to link them (Ctrl on release: operates)")

    def cancel_interaction(self) -> None:
        if self.interaction is not None:
            self.interaction.cancel()

    def interaction_finished(self, interaction) -> None:
        if self.interaction is interaction:
            self.interaction = None

    def scene_press(self, event) -> bool:
        if self.interaction is not None:
            return True
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        node = self.scene.node_at(event.scenePos())
        if self.pending_kind:
            self._begin(AddNodeInteraction(self, self.pending_kind), event)
            self.set_mode(SELECT)
            return True
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if node is not None and (self.mode == CONNECT or shift):
            self._begin(ConnectInteraction(self, node.node_id), event)
            return True
        if node is None and not any(True for i in self.scene.items(event.scenePos())
                                    if i.flags() & i.GraphicsItemFlag.ItemIsSelectable):
            self._begin(RubberBandInteraction(self), event)
            return True
        return False

    def scene_after_press(self, event) -> None:
        if self.interaction is None and self.scene.node_at(event.scenePos()) is not None:
            self._begin(MoveInteraction(self), event)

    def scene_move(self, event) -> bool:
        return self.interaction.mouse_move(event) if self.interaction is not None else False

    def scene_release(self, event) -> bool:
        return self.interaction.mouse_release(event) if self.interaction is not None else False

    def _begin(self, interaction, event) -> None:
        self.interaction = interaction
        interaction.start(event)

    def close(self) -> None:
        """Stops following the document (the window is closing)."""
        self.cancel_interaction()
        for event, callback in self._listeners:
            try:
                event.disconnect(callback)
            except ValueError:
                pass
        self._listeners.clear()
        self.scene.detach()



def _placed(record: dict) -> bool:
    """A finite position (positions are NaN until laid out)."""
    x, y = record.get("x"), record.get("y")
    return x is not None and y is not None and math.isfinite(x) and math.isfinite(y)

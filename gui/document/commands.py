"""Undo commands. Each only calls `Document` methods; the canvas follows the document's events.

A command's first execution may be refused by the document (an impossible link, a value out
of range). `Editor.execute` therefore runs `first()` before pushing, shows the refusal in the
status bar, and pushes only what succeeded; the stack's own first `redo()` is then skipped.
Compound edits are a plain parent QUndoCommand with these as children: Qt runs children in
order on redo and in reverse on undo, so indices restore exactly.
"""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from model.document import Document

MERGE_NODE, MERGE_EDGE, MERGE_PARAMETERS, MERGE_META = 101, 102, 103, 104
MERGE_SCHEDULE = 105


class DocumentCommand(QUndoCommand):
    def __init__(self, doc: Document, text: str, parent: QUndoCommand | None = None):
        super().__init__(text, parent)
        self.doc = doc
        self._skip_redo = False

    def first(self) -> None:
        """Executes the command before it is pushed (raises InputError if refused)."""
        self.do()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self.do()

    def do(self) -> None:
        raise NotImplementedError


class AddNode(DocumentCommand):
    def __init__(self, doc, kind: str, fields: dict, parent=None, node_id: str | None = None):
        super().__init__(doc, f"Add {kind}", parent)
        self.kind, self.fields, self.node_id = kind, dict(fields), node_id
        self.record = None

    def do(self) -> None:
        if self.record is None:
            self.node_id = self.doc.add_node(self.kind, node_id=self.node_id, **self.fields)
            self.record = self.doc.node(self.node_id)
            self.index = self.doc.node_index(self.node_id)
            self.setText(f"Add {self.kind} {self.record['name']}")
        else:
            self.doc.insert_node(self.record, self.index)

    def undo(self) -> None:
        self.doc.take_node(self.node_id)


class RemoveNode(DocumentCommand):
    """Removes a node with its edges; undo puts both back at their indices."""

    def __init__(self, doc, node_id: str, parent=None):
        super().__init__(doc, f"Delete {doc.node(node_id)['name']}", parent)
        self.node_id = node_id

    def do(self) -> None:
        self.removed = self.doc.remove_node(self.node_id)

    def undo(self) -> None:
        self.doc.restore_node(self.removed)


class AddEdge(DocumentCommand):
    def __init__(self, doc, source: str, target: str, etype: str | None = None,
                 fields: dict | None = None, parent=None):
        super().__init__(doc, "Connect", parent)
        self.source, self.target, self.etype = source, target, etype
        self.fields = dict(fields or {})
        self.key = None

    def do(self) -> None:
        if self.key is None:
            self.key = self.doc.add_edge(self.source, self.target, self.etype, **self.fields)
            self.record = self.doc.edge(self.key)
            self.index = self.doc.edge_index(self.key)
            names = [self.doc.node(self.record[e])["name"] for e in ("source", "target")]
            self.setText(f"Link {names[0]} {self.record['type']} {names[1]}")
        else:
            self.doc.insert_edge(self.key, self.record, self.index)

    def undo(self) -> None:
        self.doc.take_edge(self.key)


class RemoveEdge(DocumentCommand):
    def __init__(self, doc, key: int, parent=None):
        edge = doc.edge(key)
        super().__init__(doc, f"Delete {edge['type']} link", parent)
        self.key = key

    def do(self) -> None:
        _, self.index, self.record = self.doc.take_edge(self.key)

    def undo(self) -> None:
        self.doc.insert_edge(self.key, self.record, self.index)


class MoveNodes(DocumentCommand):
    def __init__(self, doc, old: dict, new: dict, text: str = "Move", parent=None):
        super().__init__(doc, text, parent)
        self.old, self.new = dict(old), dict(new)

    def do(self) -> None:
        self.doc.move_nodes(self.new)

    def undo(self) -> None:
        self.doc.move_nodes(self.old)


class _SetFields(DocumentCommand):
    """Shared by node, edge, parameter and note edits: consecutive edits of the same fields
    merge when both commands carry the same merge key (a slider drag, spin box steps)."""

    merge_id = -1

    def __init__(self, doc, target, changes: dict, text: str, merge_key=None, parent=None):
        super().__init__(doc, text, parent)
        self.target, self.changes, self.merge_key = target, dict(changes), merge_key
        self.old = None

    def do(self) -> None:
        old = self.apply(self.changes)
        if self.old is None:
            self.old = old

    def undo(self) -> None:
        self.apply(self.old)

    def id(self) -> int:
        return self.merge_id if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, type(self)) or other.merge_key != self.merge_key or \
                other.target != self.target or set(other.changes) != set(self.changes):
            return False
        self.changes = dict(other.changes)
        return True

    def apply(self, values: dict) -> dict:
        raise NotImplementedError


class SetNode(_SetFields):
    merge_id = MERGE_NODE

    def apply(self, values: dict) -> dict:
        return self.doc.set_node(self.target, **values)


class SetEdge(_SetFields):
    merge_id = MERGE_EDGE

    def apply(self, values: dict) -> dict:
        return self.doc.set_edge(self.target, **values)


class SetParameters(_SetFields):
    merge_id = MERGE_PARAMETERS

    def __init__(self, doc, changes: dict, text: str, merge_key=None, parent=None):
        super().__init__(doc, "parameters", changes, text, merge_key, parent)

    def apply(self, values: dict) -> dict:
        return self.doc.set_parameters(**values)


class SetMeta(_SetFields):
    merge_id = MERGE_META

    def __init__(self, doc, changes: dict, text: str, merge_key=None, parent=None):
        super().__init__(doc, "meta", changes, text, merge_key, parent)

    def apply(self, values: dict) -> dict:
        return self.doc.set_meta(**values)


class SetSchedule(DocumentCommand):
    """A parameter's schedule set, changed or removed (None). Successive commands with the
    same merge key (one drag of a change along the timeline) merge into one undo step."""

    def __init__(self, doc, key: str, schedule, text: str, merge_key=None, parent=None):
        super().__init__(doc, text, parent)
        self.key, self.schedule, self.merge_key = key, schedule, merge_key
        self.old = doc.schedules.get(key)

    def do(self) -> None:
        self.doc.set_schedule(self.key, self.schedule)

    def undo(self) -> None:
        self.doc.set_schedule(self.key, self.old)

    def id(self) -> int:
        return MERGE_SCHEDULE if self.merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSchedule) or other.merge_key != self.merge_key or \
                other.key != self.key:
            return False
        self.schedule = other.schedule
        return True


class SetStart(DocumentCommand):
    def __init__(self, doc, start, parent=None):
        super().__init__(doc, f"Start the run in {start.label}", parent)
        self.start, self.old = start, doc.start

    def do(self) -> None:
        self.doc.set_start(self.start)

    def undo(self) -> None:
        self.doc.set_start(self.old)

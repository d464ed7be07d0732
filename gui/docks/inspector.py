"""The inspector: the selected node's or link's fields, or the scenario's notes.

Every edit goes through the editor as an undo command; the inspector then shows what the
document says (after an undo too), so it never holds a value of its own.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from gui.docks.fields import (NotesEdit, differs, field_label, field_tooltip, read_only,
                              set_spin, spin_for)
from gui.docks.scroll import ContentScrollArea
from model import schema

SKIPPED = ("id", "kind", "x", "y", "source", "confidence")
NO_OPERATOR = "(none)"


class InspectorPanel(ContentScrollArea):
    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.setObjectName("inspector")
        self.setWidgetResizable(True)
        self.editor = editor
        self.doc = editor.doc
        self.target = None  # ("node", id), ("edge", key), ("many", n) or ("scenario", None)
        self.widgets: dict[str, QWidget] = {}
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self.refresh)
        editor.scene.selectionChanged.connect(self.schedule)
        editor.listen(self.doc.changed, self.schedule)
        self.refresh()

    def schedule(self) -> None:
        self._refresh_timer.start(0)

    # --- choosing what to show -------------------------------------------------------------------

    def current_target(self):
        nodes = self.editor.scene.selected_node_ids()
        edges = self.editor.scene.selected_edge_keys()
        if len(nodes) + len(edges) > 1:
            return ("many", (len(nodes), len(edges)))
        if nodes:
            return ("node", nodes[0])
        if edges:
            return ("edge", edges[0])
        return ("scenario", None)

    def refresh(self) -> None:
        target = self.current_target()
        kind_now = self.doc.node(target[1])["kind"] if target[0] == "node" else None
        if target != self.target or kind_now != getattr(self, "_kind", None):
            self.target, self._kind = target, kind_now
            self._rebuild()
        else:
            self._fill()

    def _rebuild(self) -> None:
        self.widgets = {}
        page = QWidget()
        self.form = QFormLayout(page)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        what, value = self.target
        {"node": self._build_node, "edge": self._build_edge, "many": self._build_many,
         "scenario": self._build_scenario}[what](value)
        self.setWidget(page)
        self._fill()

    def _fill(self) -> None:
        what, value = self.target
        if what == "node":
            self._fill_node(value)
        elif what == "edge":
            self._fill_edge(value)
        elif what == "scenario":
            self._fill_scenario()

    # --- a node ----------------------------------------------------------------------------------

    def _build_node(self, node_id: str) -> None:
        record = self.doc.node(node_id)
        kind = record["kind"]
        title = QLabel(f"<b>{schema.KIND_LABELS[kind]}</b>")
        self.form.addRow(title)
        self.form.addRow("id", read_only(node_id))
        if kind in schema.FIRM_KINDS:
            combo = QComboBox()
            combo.setObjectName("field_kind")
            for firm_kind in schema.FIRM_KINDS:
                combo.addItem(schema.KIND_LABELS[firm_kind], firm_kind)
            combo.activated.connect(
                lambda i, c=combo: self._edit_node({"kind": c.itemData(i)}))
            self._add("kind", "kind", combo)
        for spec in schema.fields_for_kind(kind):
            if spec.name not in SKIPPED:
                self._add(spec.name, field_label(spec), self._node_widget(spec))
        if kind == schema.PLATFORM:
            self._add_operator_chooser(node_id, record)
        self.form.addRow("confidence", read_only(record.get("confidence") or "user"))
        self.form.addRow("source", read_only(record.get("source") or "(none: drawn here)"))

    def _node_widget(self, spec: schema.FieldSpec) -> QWidget:
        if spec.dtype == "float":
            spin = spin_for(spec)
            spin.valueChanged.connect(lambda v, n=spec.name: self._edit_node({n: v}, merge=n))
            return spin
        if spec.dtype == "bool":
            box = QCheckBox()
            box.setObjectName(f"field_{spec.name}")
            box.setToolTip(field_tooltip(spec))
            box.toggled.connect(lambda on, n=spec.name: self._edit_node({n: on}))
            return box
        if spec.name == "subfield":
            combo = QComboBox()
            combo.setEditable(True)
            combo.setObjectName("field_subfield")
            combo.setToolTip(field_tooltip(spec))
            combo.addItems(self._subfields())
            combo.lineEdit().editingFinished.connect(
                lambda c=combo: self._edit_node({"subfield": c.currentText().strip()}))
            combo.activated.connect(
                lambda _i, c=combo: self._edit_node({"subfield": c.currentText().strip()}))
            return combo
        line = QLineEdit()
        line.setObjectName(f"field_{spec.name}")
        line.setToolTip(field_tooltip(spec))
        line.editingFinished.connect(
            lambda w=line, n=spec.name: self._edit_node({n: w.text().strip()}))
        return line

    def _add_operator_chooser(self, node_id: str, record: dict) -> None:
        combo = QComboBox()
        combo.setObjectName("field_operator")
        combo.setToolTip("The firm that runs this platform (it must compete in the "
                         "platform's subfield). One undo step.")
        combo.activated.connect(lambda i, c=combo: self._set_operator(c.itemData(i)))
        self._add("operator", "operator", combo)

    def _set_operator(self, firm: str | None) -> None:
        if self.target[0] == "node":
            self.editor.set_operator(self.target[1], firm)
        self.schedule()

    def _fill_node(self, node_id: str) -> None:
        if not self.doc.has_node(node_id):
            return
        record = self.doc.node(node_id)
        for name, widget in self.widgets.items():
            widget.blockSignals(True)
            if name == "kind":
                widget.setCurrentIndex(max(0, widget.findData(record["kind"])))
            elif name == "operator":
                self._fill_operator(widget, node_id, record)
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(str(record.get(name) or ""))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(record.get(name)))
            elif isinstance(widget, QLineEdit):
                if not widget.hasFocus():
                    widget.setText(str(record.get(name) or ""))
            else:
                set_spin(widget, record.get(name))
            widget.blockSignals(False)

    def _fill_operator(self, combo: QComboBox, node_id: str, record: dict) -> None:
        current = self.editor.operator_of(node_id)
        firms = [(self.doc.node(n)["name"], n) for n in self.doc.node_ids()
                 if self.doc.node(n)["kind"] in schema.FIRM_KINDS and (
                     self.doc.node(n)["subfield"] == record.get("subfield")
                     or (current and current[1] == n))]
        combo.clear()
        combo.addItem(NO_OPERATOR, None)
        for name, firm in sorted(firms):
            combo.addItem(name, firm)
        combo.setCurrentIndex(max(0, combo.findData(current[1]) if current else 0))

    def _edit_node(self, changes: dict, merge: str | None = None) -> None:
        what, node_id = self.target
        if what != "node" or not self.doc.has_node(node_id):
            return
        record = self.doc.node(node_id)
        changes = {k: v for k, v in changes.items() if differs(v, record.get(k))}
        if changes:
            key = ("node", node_id, merge) if merge else None
            self.editor.set_node_fields(node_id, changes, merge_key=key)
        self.schedule()  # a refused edit shows the document's value again

    # --- an edge ---------------------------------------------------------------------------------

    def _build_edge(self, key: int) -> None:
        record = self.doc.edge(key)
        spec = schema.EDGE_TYPES[record["type"]]
        self.form.addRow(QLabel(f"<b>{record['type']} link</b>"))
        self.form.addRow(read_only(spec.meaning))
        for end in ("source", "target"):
            self.form.addRow(end, read_only(self.doc.node(record[end])["name"]))
        for field in schema.EDGE_FIELDS[3:]:
            if record["type"] in field.kinds and field.dtype == "str":  # appears, vanishes
                line = QLineEdit()
                line.setObjectName(f"field_{field.name}")
                line.setToolTip(field_tooltip(field))
                line.editingFinished.connect(
                    lambda w=line, n=field.name: self._edit_edge({n: w.text().strip()}, n))
                self._add(field.name, field_label(field), line)
            elif record["type"] in field.kinds:
                spin = spin_for(field)
                spin.valueChanged.connect(lambda v, n=field.name: self._edit_edge({n: v}, n))
                self._add(field.name, field_label(field), spin)

    def _fill_edge(self, key: int) -> None:
        if key not in self.doc.edge_keys():
            return
        record = self.doc.edge(key)
        for name, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                if not widget.hasFocus():
                    widget.setText(str(record.get(name) or ""))
            else:
                set_spin(widget, record.get(name))

    def _edit_edge(self, changes: dict, merge: str) -> None:
        what, key = self.target
        if what != "edge":
            return
        record = self.doc.edge(key)
        changes = {k: v for k, v in changes.items() if differs(v, record.get(k))}
        if changes:
            self.editor.set_edge_fields(key, changes, merge_key=("edge", key, merge))
        self.schedule()

    # --- several, or nothing ---------------------------------------------------------------------

    def _build_many(self, counts) -> None:
        nodes, edges = counts
        label = QLabel(f"<b>{nodes} nodes and {edges} links selected</b>")
        label.setObjectName("selectionCount")
        self.form.addRow(label)
        kinds: dict[str, int] = {}
        for node_id in self.editor.scene.selected_node_ids():
            kind = self.doc.node(node_id)["kind"]
            kinds[kind] = kinds.get(kind, 0) + 1
        for kind, count in kinds.items():
            self.form.addRow(schema.KIND_LABELS[kind], QLabel(str(count)))

    def _build_scenario(self, _value) -> None:
        self.form.addRow(QLabel("<b>Scenario</b> (select a node or link to edit it)"))
        for name in ("title", "author"):
            line = QLineEdit()
            line.setObjectName(f"meta_{name}")
            line.editingFinished.connect(lambda w=line, n=name: self._edit_meta(n, w.text()))
            self._add(name, name, line)
        notes = NotesEdit()
        notes.setObjectName("meta_notes")
        notes.setMinimumHeight(120)
        notes.committed.connect(lambda text: self._edit_meta("notes", text))
        self._add("notes", "notes", notes)
        self.problems = read_only("")
        self.problems.setObjectName("problems")
        self.form.addRow(self.problems)

    def _fill_scenario(self) -> None:
        meta = self.doc.meta
        for name, widget in self.widgets.items():
            if widget.hasFocus():
                continue
            if isinstance(widget, NotesEdit):
                if widget.toPlainText() != meta[name]:
                    widget.setPlainText(meta[name])
            else:
                widget.setText(meta[name])
        problems = self.doc.problems()
        if problems:
            shown = "<br>".join(f"&bull; {_html(str(p))}" for p in problems[:6])
            more = f"<br>and {len(problems) - 6} more" if len(problems) > 6 else ""
            self.problems.setText(f"<b>{len(problems)} problem(s) a run would refuse:</b>"
                                  f"<br>{shown}{more}")
        else:
            self.problems.setText(f"{len(self.doc)} nodes, {len(self.doc.edge_keys())} links; "
                                  "ready to run.")

    def _edit_meta(self, name: str, text: str) -> None:
        if text != self.doc.meta[name]:
            self.editor.set_meta({name: text})

    # --- helpers ---------------------------------------------------------------------------------

    def _add(self, name: str, label: str, widget: QWidget) -> None:
        self.widgets[name] = widget
        self.form.addRow(label, widget)

    def _subfields(self) -> list[str]:
        return sorted({str(self.doc.node(n)["subfield"]) for n in self.doc.node_ids()} - {""})


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


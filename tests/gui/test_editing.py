"""Canvas edits through commands and gestures: every one undoes and redoes exactly."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from gui.canvas.items import EdgeItem, NodeItem

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def network(window):
    return window.doc.to_project().current.network


def viewport_point(window, node_id):
    view = window.editor.view
    return view.mapFromScene(window.editor.scene.nodes[node_id].pos())


def drag(window, start: QPoint, end: QPoint, modifier=NONE):
    viewport = window.editor.view.viewport()
    QTest.mousePress(viewport, LEFT, modifier, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * step / 5)
    QTest.mouseRelease(viewport, LEFT, modifier, end)


def test_add_connect_delete_undo_redo_gives_back_the_same_network(window):
    editor, stack = window.editor, window.editor.stack
    start = network(window)
    zone = editor.add_node("zone")
    firm = editor.add_node("sme")
    key = editor.connect(firm, zone)
    assert window.doc.edge(key)["type"] == "located_in"
    assert key in editor.scene.edges and zone in editor.scene.nodes
    after_edits = network(window)
    editor.scene.select_nodes(["z-hub"])
    assert editor.delete_selection()
    assert "z-hub" not in editor.scene.nodes
    assert not any(e.source.node_id == "z-hub" or e.target.node_id == "z-hub"
                   for e in editor.scene.edges.values())
    stack.undo()
    assert network(window).equals(after_edits)
    assert len(editor.scene.edges) == len(window.doc.edge_keys())
    while stack.canUndo():
        stack.undo()
    assert network(window).equals(start)
    while stack.canRedo():
        stack.redo()
    assert "z-hub" not in window.doc.node_ids() and window.doc.has_node(zone)
    assert sorted(editor.scene.nodes) == sorted(window.doc.node_ids())


def test_an_impossible_link_is_refused_with_a_status_message(window):
    before = network(window)
    depth = window.editor.stack.count()
    assert window.editor.connect("p-voice", "z-small", "exchange") is None
    assert window.editor.connect("z-hub", "z-small") is None  # already linked
    assert window.editor.stack.count() == depth
    assert network(window).equals(before)
    assert window.statusBar().currentMessage().startswith("Refused:")
    assert "already linked" in window.statusBar().currentMessage()


def test_moving_by_mouse_is_one_undo_step(window, qtbot):
    editor = window.editor
    editor.view.reset_zoom()
    editor.view.centerOn(editor.scene.nodes["f-lead"])
    old = window.doc.node("f-lead")
    start = viewport_point(window, "f-lead")
    drag(window, start, start + QPoint(60, 40))
    assert editor.stack.count() == 1
    moved = window.doc.node("f-lead")
    assert (moved["x"], moved["y"]) == (old["x"] + 60, old["y"] + 40)
    editor.stack.undo()
    assert (window.doc.node("f-lead")["x"], window.doc.node("f-lead")["y"]) == \
        (old["x"], old["y"])
    assert editor.scene.nodes["f-lead"].pos().x() == old["x"]


def test_shift_drag_connects_and_rubber_band_selects(window):
    editor = window.editor
    editor.view.reset_zoom()
    editor.view.centerOn(editor.scene.nodes["f-sme2"])
    drag(window, viewport_point(window, "f-sme2"), viewport_point(window, "p-voice"),
         Qt.KeyboardModifier.ShiftModifier)
    links = [window.doc.edge(k) for k in window.doc.edges_of("f-sme2")]
    assert {"source": "f-sme2", "target": "p-voice"} in [
        {"source": e["source"], "target": e["target"]} for e in links if e["type"] == "uses"]
    editor.scene.clearSelection()
    corner = editor.view.mapFromScene(-60, -60)
    drag(window, corner, editor.view.mapFromScene(150, 30))
    selected = set(editor.scene.selected_node_ids())
    assert {"z-hub", "z-small"} <= selected


def test_palette_click_then_canvas_click_adds_a_node(window, qtbot):
    palette = window.palette_panel.list
    item = palette.item(0)
    palette.itemClicked.emit(item)
    assert window.editor.pending_kind == "platform"
    count = len(window.doc)
    QTest.mouseClick(window.editor.view.viewport(), LEFT, NONE, QPoint(40, 40))
    assert len(window.doc) == count + 1
    new = window.doc.node_ids()[-1]
    assert window.doc.node(new)["kind"] == "platform"
    assert window.editor.pending_kind is None
    window.editor.stack.undo()
    assert len(window.doc) == count


def test_operates_link_from_ctrl_connect(window):
    window.editor.scene.select_nodes(["f-lead"])
    assert window.editor.set_operator("p-voice", None)
    assert window.editor.operator_of("p-voice") is None
    key = window.editor.connect("f-lead", "p-voice", "operates")
    assert window.doc.edge(key)["type"] == "operates"
    window.editor.stack.undo()
    window.editor.stack.undo()
    assert window.editor.operator_of("p-voice")[1] == "f-lead"


def test_copy_paste_and_duplicate_make_new_ids_and_undo_in_one_step(window):
    editor = window.editor
    editor.scene.select_nodes(["f-sme1", "f-sme2"])
    assert editor.copy_selection()
    before = network(window)
    pasted = editor.paste()
    assert len(pasted) == 2 and not set(pasted) & {"f-sme1", "f-sme2"}
    copy = window.doc.node(pasted[0])
    assert copy["x"] == window.doc.node("f-sme1")["x"] + 40
    types = sorted(window.doc.edge(k)["type"] for k in window.doc.edges_of(pasted[0]))
    assert types == ["collaborates", "located_in"]  # the zone link keeps the copy valid
    assert not window.doc.problems()
    editor.stack.undo()
    assert network(window).equals(before)
    assert editor.scene.selected_node_ids() == []  # the pasted nodes went away
    editor.scene.select_nodes(["f-sme1"])
    duplicated = editor.duplicate_selection()
    assert len(duplicated) == 1 and editor.scene.selected_node_ids() == duplicated
    assert window.doc.node(duplicated[0])["name"] == "SME One (copy)"


def test_layouts_are_one_undoable_step(window):
    editor = window.editor
    before = network(window)
    for which in ("zones", "spring"):
        assert editor.apply_layout(which)
        assert not network(window).equals(before)
        editor.stack.undo()
        assert network(window).equals(before)
    assert editor.stack.count() == 1 and editor.stack.canRedo()  # the later one replaced it


def test_find_selects_and_centres_a_node(window):
    found = window.editor.find("lead co")
    assert found == "f-lead"
    assert window.editor.scene.selected_node_ids() == ["f-lead"]
    assert window.editor.find("no such node") is None
    assert "No node" in window.statusBar().currentMessage()


def test_items_never_outlive_their_model_objects(window):
    editor = window.editor
    editor.scene.select_nodes(["p-voice"])
    editor.delete_selection()
    assert not [i for i in editor.scene.items()
                if isinstance(i, NodeItem) and i.node_id == "p-voice"]
    assert all(window.doc.has_node(e.source.node_id) for e in editor.scene.items()
               if isinstance(e, EdgeItem))


def test_quitting_releases_our_fragment_but_not_other_clipboard_text(window, qapp):
    from gui.app import release_clipboard

    qapp.clipboard().setText("someone else's text")
    release_clipboard(qapp)
    assert qapp.clipboard().text() == "someone else's text"
    window.editor.scene.select_nodes(["f-sme1"])
    assert window.editor.copy_selection()
    release_clipboard(qapp)
    assert window.editor.paste() in (None, [])  # nothing of ours is left to paste

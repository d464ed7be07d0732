"""Editing in front of a room: refusals said in plain words by the pointer, the inspector on
the new link, small nodes easy to hit, the view still while nodes are added."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def test_a_refused_link_is_explained_in_plain_words_beside_the_pointer(window):
    assert window.editor.connect("p-voice", "z-hub", "operates") is None
    status = window.statusBar().currentMessage()
    note = window.editor.view.note
    assert note.isVisible()
    assert "a pilot zone cannot run" not in status  # the source is the platform
    assert "a platform cannot run a pilot zone: only a firm can run a platform" in status
    assert note.text().startswith("Voice OIP and Hub City: a platform cannot run")
    assert " a operates" not in status and "p-voice" not in status


def test_linking_two_kinds_that_never_link_says_what_would_be_allowed(window):
    window.editor.connect("p-voice", window.editor.add_node("platform"))
    status = window.statusBar().currentMessage()
    assert "a platform cannot be linked to a platform" in status
    assert "a firm that uses or runs it, or the pilot zone that hosts it" in status


def test_after_a_link_is_made_the_inspector_shows_it(window, qtbot):
    editor = window.editor
    firm = editor.add_node("sme")
    qtbot.waitUntil(lambda: window.inspector.target == ("node", firm))
    key = editor.connect(firm, "p-voice")
    assert key is not None
    qtbot.waitUntil(lambda: window.inspector.target == ("edge", key), timeout=30_000)


def test_a_small_node_can_be_hit_a_few_pixels_off_its_centre(window):
    view, scene = window.editor.view, window.editor.scene
    view.zoom_by(0.2 / view.zoom())
    sme = scene.nodes["f-sme1"]
    assert sme.radius * view.zoom() < 3  # a dot of a few pixels
    off = QPointF(5.0 / view.zoom(), 0.0)  # five pixels to the right of its centre
    assert scene.node_at(sme.pos() + off) is sme
    assert scene.node_at(sme.pos() + off * 3) is not sme  # fifteen pixels: a miss


def test_adding_nodes_near_the_edge_does_not_pan_the_view(window, qtbot):
    view, editor = window.editor.view, window.editor
    view.zoom_by(0.3 / view.zoom())  # the whole scene fits: Qt centres it in the view
    viewport = view.viewport()
    corner = QPoint(viewport.width() - 6, viewport.height() - 6)
    for _ in range(3):
        editor.set_mode("add:sme")
        before = view.mapToScene(viewport.rect().center())
        QTest.mouseClick(viewport, LEFT, NONE, corner)
        qtbot.wait(10)
        after = view.mapToScene(viewport.rect().center())
        assert (after - before).manhattanLength() <= 3.0  # rounding
        corner = view.mapFromScene(view.mapToScene(corner))  # the same spot on screen

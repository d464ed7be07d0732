"""Window shortcuts reach the window from every spin box, also from one made after start
(issue 25: Ctrl+E did nothing while an inspector's number field had focus)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QDoubleSpinBox

from gui.spinboxes import DoubleSpinBox, SpinBox


def inspect(window, qtbot, node_id):
    window.editor.scene.select_nodes([node_id])
    qtbot.waitUntil(lambda: window.inspector.target is not None
                    and window.inspector.target[0] != "scenario")
    return window.inspector


def focused_field(window, qtbot):
    """The inspector's talent field of a zone, made when the zone is selected, focused."""
    field = inspect(window, qtbot, "z-hub").findChild(QDoubleSpinBox, "field_talent")
    assert field is not None and field.isVisible()
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (field, field.lineEdit()))
    return field


def ctrl_e_opens_explore_and_ctrl_a_stays_the_box(window, qtbot, box) -> list:
    """Ctrl+E from the focused box opens the Explore window; Ctrl+A selects the box's text
    and changes nothing (its own editing keys stay its own). Returns the action's firings."""
    fired = []
    window.actions["actionExplore"].triggered.connect(lambda *_a: fired.append(1))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(fired))
    explorer = window.simulation.explorer
    assert explorer is not None and explorer.isVisible()
    explorer.close()
    before = box.value()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert box.lineEdit().selectedText() == box.lineEdit().text()
    assert box.value() == before
    return fired


def test_ctrl_e_from_an_inspector_field_made_on_selection_opens_explore(window, qtbot):
    field = focused_field(window, qtbot)
    assert ctrl_e_opens_explore_and_ctrl_a_stays_the_box(window, qtbot, field) == [1]


def test_every_spin_box_of_the_window_leaves_shortcuts_to_it(window, qtbot):
    """Boxes made at start, on selecting a node or a link, and by the lever dock."""
    seen = set()
    for node_id in ("z-hub", "p-voice"):
        inspect(window, qtbot, node_id)
        seen.update(window.findChildren(QAbstractSpinBox))
    window.editor.scene.clearSelection()
    key = next(iter(window.editor.scene.edges))
    window.editor.scene.edges[key].setSelected(True)
    qtbot.waitUntil(lambda: window.inspector.target is not None
                    and window.inspector.target[0] == "edge")
    seen.update(window.findChildren(QAbstractSpinBox))
    assert len(seen) > 10
    plain = [box.objectName() for box in seen if not isinstance(box, (SpinBox, DoubleSpinBox))]
    assert not plain, f"spin boxes that swallow the window's shortcuts: {plain}"


def test_a_key_the_line_edit_claims_goes_to_the_window_action_that_has_it(window, qtbot):
    """Ctrl+E is the line edit's (end of line) only on X11; the offscreen platform binds it
    to nothing, so the test above passes there even with a swallowing box. End is end of
    line on every platform: a window action on End shows whether the box gives it up."""
    field = focused_field(window, qtbot)
    probe = QAction("probe", window)
    probe.setShortcut(QKeySequence(Qt.Key.Key_End))
    window.addAction(probe)
    window.actions["actionProbe"] = probe
    fired = []
    probe.triggered.connect(lambda *_a: fired.append(1))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_End)
    qtbot.waitUntil(lambda: bool(fired))
    del window.actions["actionProbe"]
    field.lineEdit().setCursorPosition(0)  # with no action on it, End is the box's again
    qtbot.keyClick(field.lineEdit(), Qt.Key.Key_End)
    assert field.lineEdit().cursorPosition() == len(field.lineEdit().text())
    assert fired == [1]

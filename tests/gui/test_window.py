"""The main window: it opens on the built-in scenario with every dock, action and title."""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel

from gui.canvas.items import EdgeItem, NodeItem, ZoneRegionItem
from gui.settings import app_settings
from model.builtin import default_scenario
from model.scenario import Project

ACTIONS = ("actionNew", "actionOpen", "actionSave", "actionSaveAs", "actionRevert",
           "actionImportGraphml", "actionExportGraphml", "actionExportWorkbook", "actionQuit",
           "actionUndo", "actionRedo", "actionCopy", "actionPaste", "actionDuplicate",
           "actionDelete", "actionSelectAll", "actionFind", "actionConnectMode",
           "actionZoomIn", "actionZoomOut", "actionFit", "actionLayoutSpring",
           "actionLayoutZones", "actionShowRegions", "actionShowLegend")


def test_opens_on_the_default_scenario_with_one_item_per_node_and_edge(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    scene, doc = window.editor.scene, window.doc
    node_items = [i for i in scene.items() if isinstance(i, NodeItem)]
    edge_items = [i for i in scene.items() if isinstance(i, EdgeItem)]
    assert sorted(i.node_id for i in node_items) == sorted(doc.node_ids())
    assert sorted(i.key for i in edge_items) == sorted(doc.edge_keys())
    assert len(doc) > 400
    zones = [n for n in doc.node_ids() if doc.node(n)["kind"] == "zone"]
    regions = [i for i in scene.items() if isinstance(i, ZoneRegionItem)]
    assert sorted(r.zone_id for r in regions) == sorted(zones)
    qtbot.waitUntil(lambda: all(not r.path.isEmpty() for r in regions))
    record = doc.node(zones[0])
    assert scene.nodes[zones[0]].pos().x() == record["x"]
    assert "Pilot zone" in scene.nodes[zones[0]].toolTip()
    assert "confidence" in scene.nodes[zones[0]].toolTip()


def test_window_has_docks_actions_and_a_results_placeholder(window):
    docks = {d.objectName() for d in window.findChildren(QDockWidget)}
    assert {"paletteDock", "inspectorDock", "leversDock", "historyDock",
            "resultsDock"} <= docks
    names = {a.objectName() for a in window.findChildren(QAction)}
    assert set(ACTIONS) <= names
    placeholder = window.findChild(QLabel, "resultsPlaceholder")
    assert placeholder.text() == "Run results appear here"
    assert not window.findChild(QAction, "actionExportWorkbook").isEnabled()
    assert window.findChild(QAction, "actionUndo").shortcut().toString() == "Ctrl+Z"


def test_title_shows_the_name_and_a_star_for_unsaved_changes(window):
    assert window.windowTitle().startswith("Small test scenario")
    assert not window.isWindowModified()
    window.editor.add_node("zone")
    assert window.isWindowModified()
    window.editor.stack.undo()
    assert not window.isWindowModified()


def test_window_geometry_and_dock_state_are_remembered(make_window, isolated_settings):
    first = make_window()
    # above the docks' minimum widths, inside the offscreen screen: nothing clamps it
    width = first.minimumSizeHint().width() + 20
    assert width < 790  # the offscreen screen is 800 px wide
    first.resize(width, 700)
    first.docks["history"].hide()
    first.close()
    assert any(isolated_settings.rglob("*.ini"))  # written under the tmp settings path
    assert app_settings().value("window/geometry") is not None
    second = make_window()
    assert second.size().width() == width
    assert not second.docks["history"].isVisible()


def test_edge_types_can_be_hidden_and_regions_toggled(window):
    scene = window.editor.scene
    window.findChild(QAction, "actionShow_uses").setChecked(False)
    uses = [e for e in scene.edges.values() if e.etype == "uses"]
    assert uses and not any(e.isVisible() for e in uses)
    window.findChild(QAction, "actionShowRegions").setChecked(False)
    assert not any(r.isVisible() for r in scene.regions.values())


def test_zooming_out_keeps_platforms_visible_and_shortens_their_labels(window):
    view, scene = window.editor.view, window.editor.scene
    platform = scene.nodes["p-voice"]
    view.zoom_by(0.05 / view.zoom())
    assert platform.radius * view.zoom() * 2 >= 17.9  # at least ~18 px on screen
    assert platform.label == "Voice"
    view.zoom_by(1.0 / view.zoom())
    assert platform.label == "Voice OIP"


def test_a_first_start_gives_the_results_a_good_share_of_the_height(make_window, qtbot):
    """No saved layout: once the window has its size, the results dock takes ~40 % of it
    (it was ~130 px of a maximised 1080-pixel window)."""
    from gui.mainwindow import RESULTS_SHARE

    window = make_window()  # 1400 x 900: a laptop
    qtbot.waitUntil(lambda: window.docks["results"].height() > 0.9 * RESULTS_SHARE *
                    window.height(), timeout=30_000)

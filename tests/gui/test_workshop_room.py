"""Workshop mode read from a room: the map takes over half the screen, its labels take the
room's sizes, every lever shows its value, and leaving restores the normal look."""
from __future__ import annotations

from PySide6.QtGui import QFontMetricsF

from gui.canvas import style
from model.builtin import default_scenario
from model.scenario import Project


def label_px(item, zoom: float) -> float:
    return QFontMetricsF(item.font).height() * item.label_scale * zoom


def test_workshop_mode_gives_the_room_a_readable_map(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    window.actions["actionWorkshop"].trigger()
    qtbot.waitUntil(window.isFullScreen)
    levers = window.docks["levers"]
    qtbot.waitUntil(lambda: levers.width() >= levers.widget().minimumSizeHint().width())
    view, scene = window.editor.view, window.editor.scene
    zoom = view.zoom()
    for item in scene.nodes.values():
        want = style.ROOM_LABEL_PX.get(item.kind, style.ROOM_FIRM_LABEL_PX)
        assert label_px(item, zoom) >= want - 0.5, item.kind
    assert not window.results.metric_list.isVisible() and not window.toolbar.isVisible()
    panel, area = window.levers, levers.widget()
    for spin in (panel.spins[k] for k in panel.sliders):  # no value box cut on the right
        right = spin.mapTo(area.viewport(), spin.rect().topRight()).x()
        assert right <= area.viewport().width(), spin.objectName()
    window.actions["actionWorkshop"].trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.results.metric_list.isVisible() and window.toolbar.isVisible()
    assert style.label_magnification("zone") == 1.0

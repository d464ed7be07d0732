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


def test_workshop_curves_have_the_height_a_room_reads(make_window, qtbot):
    """At 1920 x 1080 (tests/gui/conftest.py's screen) each plot of the room is over 190 px
    high (104 before), its curve area over 125 px high (51) and 180 px wide, whole in its
    canvas; every lever shows with its value, and the map keeps half the screen."""
    window = make_window(Project.single(default_scenario()))
    window.actions["actionWorkshop"].trigger()
    screen = window.screen().geometry()
    assert (screen.width(), screen.height()) == (1920, 1080)
    qtbot.waitUntil(lambda: window.isFullScreen() and window.width() == 1920)
    plots, canvas = window.results.plots, window.results.plots.canvas
    qtbot.waitUntil(lambda: canvas.height() >= plots.rows() * 190)
    view = window.editor.view.viewport()
    assert view.width() * view.height() >= 0.5 * screen.width() * screen.height()
    canvas.ci.layout.activate()  # the plots' geometry as painted next
    assert len(plots.plots) == 4
    for key, plot in plots.plots.items():
        box = plot.mapRectToScene(plot.boundingRect())
        curve = plot.vb.mapRectToScene(plot.vb.boundingRect())
        assert box.height() >= 190 and curve.height() >= 125, (key, box, curve)
        assert curve.width() >= 180, (key, curve)
        assert box.right() <= canvas.viewport().width() + 1, (key, box)
    levers, area = window.levers, window.docks["levers"].widget()
    for key, spin in levers.spins.items():
        if key in levers.sliders:  # each lever's value box whole on the screen, unscrolled
            corner = spin.mapTo(area.viewport(), spin.rect().bottomRight())
            assert spin.isVisible() and corner.x() <= area.viewport().width(), key
            assert corner.y() <= area.viewport().height() and \
                spin.mapToGlobal(spin.rect().topRight()).x() <= screen.width(), key

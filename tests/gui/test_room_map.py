"""The map in front of a room (issue 25): every shown label whole inside the view, after a
fit and after the view shrinks; the start card beside the map, not over it; a platform's
name never under another label or a zone's diamond."""
from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from gui.canvas.labels import PLATFORM_UNDER
from model import schema
from model.builtin import default_scenario
from model.scenario import Project


def builtin(make_window, qtbot, size=(1600, 900)):
    window = make_window(Project.single(default_scenario()))
    window.resize(*size)
    view = window.editor.view
    window.actions["actionFit"].trigger()
    qtbot.waitUntil(lambda: view._fitted_size == view.viewport().size())
    view.labels.place_now()
    return window, view


def shown(view):
    """(item, label rectangle, shape rectangle) in viewport pixels, for shown labels."""
    out = []
    for item in view.scene().nodes.values():
        if item.label_visible(view.zoom()):
            label = view.mapFromScene(item.mapRectToScene(item.label_rect)).boundingRect()
            shape = view.mapFromScene(item.scene_shape_rect()).boundingRect()
            out.append((item, QRectF(label), QRectF(shape)))
    return out


def assert_labels_inside(view):
    area = QRectF(view.viewport().rect()).adjusted(-1, -1, 1, 1)
    cut = [item.label for item, label, _shape in shown(view) if not area.contains(label)]
    assert not cut, f"labels cut by the view's edge: {cut}"


def test_every_label_is_whole_in_the_fitted_view_also_after_it_shrinks(make_window, qtbot):
    window, view = builtin(make_window, qtbot)
    zones = [i for i in view.scene().nodes.values() if i.kind == schema.ZONE]
    assert all(z.label_visible(view.zoom()) for z in zones)
    assert_labels_inside(view)
    before = view.viewport().size()
    window.resize(window.width(), window.height() - 30)  # as a longer readout takes it
    qtbot.waitUntil(lambda: view.viewport().height() < before.height())
    qtbot.waitUntil(lambda: view._fitted_size == view.viewport().size())
    view.labels.place_now()
    assert_labels_inside(view)


def area(a: QRectF, b: QRectF) -> float:
    common = a.intersected(b)
    return common.width() * common.height() if a.intersects(b) else 0.0


def test_a_platform_label_is_under_no_other_label_and_no_zone(make_window, qtbot):
    _window, view = builtin(make_window, qtbot)
    nodes = view.scene().nodes.values()
    labels = {item: item.label_rect.translated(item.pos()) for item in nodes
              if item.label_visible(view.zoom())}  # in scene units: no rounding
    zones = [item.scene_shape_rect() for item in nodes if item.kind == schema.ZONE]
    platforms = [item for item in labels if item.kind == schema.PLATFORM]
    assert len(platforms) >= 10
    for item in platforms:
        label = labels[item]
        under = [o.label for o, rect in labels.items() if o is not item
                 and area(label, rect) > 1e-6 * label.width() * label.height()]
        assert not under, f"{item.label} under {under}"
        on_zones = sum(area(label, z) for z in zones)
        assert on_zones <= PLATFORM_UNDER * label.width() * label.height() * 1.001, item.label


def test_the_start_card_sits_beside_the_map_and_gives_it_back(make_window, qtbot):
    window, view = builtin(make_window, qtbot)
    whole = view.zoom()
    window.actions["actionStartPage"].trigger()
    card = window.start_page
    qtbot.waitUntil(lambda: card.isVisible() and "start" in view.reserves)
    view.labels.place_now()
    box = QRectF(card.geometry().translated(-view.viewport().geometry().topLeft()))
    covered = [item.label for item, label, shape in shown(view)
               if box.intersects(label) or box.intersects(shape)]
    assert not covered, f"the start card hides {covered}"
    assert_labels_inside(view)
    qtbot.keyClick(card, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not card.isVisible())
    assert "start" not in view.reserves and abs(view.zoom() - whole) < 0.01 * whole

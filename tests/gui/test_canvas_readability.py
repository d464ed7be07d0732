"""The canvas reads at first sight: framed, labels that avoid each other, a foldable legend."""
from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import QPointF, Qt

from gui.canvas.labels import place_labels
from model import schema
from model.builtin import default_scenario
from model.scenario import Project


def shown_labels(scene, zoom):
    return {item: item.label_rect.translated(item.pos()) for item in scene.nodes.values()
            if item.label_visible(zoom)}


def overlap_share(rects) -> float:
    """Pairwise overlapping area over the total label area."""
    total = sum(r.width() * r.height() for r in rects)
    common = 0.0
    for a, b in combinations(rects, 2):
        if a.intersects(b):
            part = a.intersected(b)
            common += part.width() * part.height()
    return common / total if total else 0.0


def builtin_window(make_window, qtbot):
    window = make_window(Project.single(default_scenario()))
    window.resize(1920, 1050)
    view = window.editor.view
    view.fit_all()
    qtbot.wait(10)
    view.labels.place_now()
    return window, view, window.editor.scene


def test_the_built_in_scenario_opens_framed_with_labels_that_do_not_overlap(make_window, qtbot):
    window, view, scene = builtin_window(make_window, qtbot)
    assert view.zoom() > 0.1  # was 0.04: a narrow column of unreadable names
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert all(visible.contains(item.pos()) for item in scene.nodes.values())
    labels = shown_labels(scene, view.zoom())
    kinds = {item.kind for item in labels}
    zones = [i for i in scene.nodes.values() if i.kind == schema.ZONE]
    platforms = [i for i in scene.nodes.values() if i.kind == schema.PLATFORM]
    assert all(item in labels for item in zones)  # never hidden
    assert sum(item in labels for item in platforms) >= 0.9 * len(platforms)
    assert schema.SME not in kinds  # SMEs only when zoomed in
    assert overlap_share(list(labels.values())) < 0.02
    firm_labels = [r for i, r in labels.items() if i.kind not in (schema.ZONE, schema.PLATFORM)]
    for a, b in combinations(firm_labels, 2):
        assert not a.intersects(b)  # a firm's label is hidden rather than overlapping


def test_zooming_in_shows_the_labels_of_firms_that_have_room(make_window, qtbot):
    window, view, scene = builtin_window(make_window, qtbot)
    zone = scene.nodes["zone-chengdu"]
    view.zoom_by(2.5 / view.zoom())
    view.centerOn(zone)
    view.labels.place_now()
    smes = [i for i, _ in shown_labels(scene, view.zoom()).items() if i.kind == schema.SME]
    assert smes
    labels = list(shown_labels(scene, view.zoom()).values())
    assert overlap_share(labels) < 0.02


def test_a_label_with_no_room_moves_to_a_free_side_or_hides(make_window, qtbot):
    window = make_window()
    scene, view = window.editor.scene, window.editor.view
    view.zoom_by(2.0 / view.zoom())
    a, b = scene.nodes["f-sme1"], scene.nodes["f-lead"]
    a.setPos(QPointF(0, 0))
    b.setPos(QPointF(0, a.label_rect_for((0.0, 1.0)).bottom() + 2))  # a leader under a's label
    place_labels([a, b], view.zoom())
    assert a.label_visible(view.zoom()) and a.label_dir != (0.0, 1.0)  # moved to a free side
    assert not a.label_rect.translated(a.pos()).intersects(b.scene_shape_rect())
    crowd = [scene.nodes[n] for n in ("z-hub", "z-small", "p-voice", "f-lead", "f-for")]
    for item in crowd:
        item.setPos(a.pos() + QPointF(0.1, 0.1))  # everything on one spot
    place_labels([a, *crowd], view.zoom())
    assert not a.label_visible(view.zoom())  # no room: hidden
    assert scene.nodes["z-hub"].label_visible(view.zoom())  # a zone's label never is


def test_the_legend_folds_to_its_title_and_the_fit_uses_the_space(make_window, qtbot):
    window, view, scene = builtin_window(make_window, qtbot)
    legend = view.legend
    assert legend.expanded
    open_height, zoom = legend.height(), view.zoom()
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton)
    assert not legend.expanded and legend.height() < open_height / 4
    assert legend.geometry().bottom() > view.height() - 60  # in the bottom corner
    assert view.zoom() >= 0.95 * zoom  # still framed
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert all(visible.contains(item.pos()) for item in scene.nodes.values())
    window.save_state()
    assert window.settings.value("canvas/legendExpanded") in (False, "false")


def test_a_first_start_fills_the_screen_and_a_later_one_keeps_the_saved_size(make_window):
    window = make_window()
    window.show_first()
    assert window.windowState() & Qt.WindowState.WindowMaximized
    window.showNormal()
    window.resize(1000, 700)
    window.save_state()
    again = make_window()
    again.show_first()
    assert not again.windowState() & Qt.WindowState.WindowMaximized


def test_replay_colours_smes_on_their_own_range_so_they_do_not_all_look_alike():
    import numpy as np
    from types import SimpleNamespace

    from gui.canvas.replay import ReplayStyler

    capability = np.array([[9.0, 0.4, 0.8], [10.0, 0.5, 3.6]])
    states = SimpleNamespace(ids=["lead", "sme1", "sme2"], edge_fields={}, edge_ends=[],
                             fields={"capability": capability, "alive": np.ones((2, 3))})
    styler = ReplayStyler(states, {"lead": "leader", "sme1": "sme", "sme2": "sme"})
    ranges = {r.group: (r.low, r.high) for r in styler.ranges("capability")}
    assert ranges["SMEs and foreign firms"] == (0.4, 3.6)
    assert ranges["leading firms"] == (9.0, 10.0)
    styles = styler.styles("capability", 1)
    # the best SME is as bright as the best leader, not a dark dot beside it
    assert styles["sme2"][0].color() == styles["lead"][0].color()

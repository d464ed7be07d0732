"""Minor items of the second pass of the room review (issue 25), each where a test sees it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def test_ctrl_e_reaches_the_window_while_a_spin_box_has_focus(window, qtbot):
    from tests.gui.test_spin_shortcuts import ctrl_e_opens_explore_and_ctrl_a_stays_the_box

    spin = window.runbar.runs
    spin.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in (spin, spin.lineEdit()))
    assert ctrl_e_opens_explore_and_ctrl_a_stays_the_box(window, qtbot, spin) == [1]


def test_the_guide_scales_its_pictures_to_the_window(qtbot):
    from gui.guide import GuideWindow

    guide = GuideWindow()
    qtbot.addWidget(guide)
    guide.show()
    qtbot.waitExposed(guide)
    browser = guide.browser

    def widths():
        out, block = [], browser.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                f = it.fragment().charFormat()
                if f.isImageFormat():
                    out.append(f.toImageFormat().width())
                it += 1
            block = block.next()
        return out

    shown = widths()
    assert len(shown) >= 5  # the guide's pictures
    assert all(0 < w <= browser.viewport().width() for w in shown)
    guide.resize(640, 600)
    qtbot.waitUntil(lambda: all(0 < w <= browser.viewport().width() for w in widths()))


def test_a_long_plot_readout_never_widens_the_results_dock(window, qtbot):
    """One line of the readout at the workshop type was 1,200 px: the results dock could
    not be narrower and the room's map shrank to a strip."""
    plots = window.results.plots
    plots.readout.setText("Solid line: mean of the 65 runs that finished " * 6)
    assert plots.readout.minimumSizeHint().width() < 400
    assert window.docks["results"].minimumSizeHint().width() < 0.5 * 1920


def test_timelines_are_tall_with_years_and_show_the_dragged_value(window, qtbot):
    from PySide6.QtCore import QPointF

    window.levers.set_steps(40)
    line = window.levers.timelines["antitrust_enforcement"]
    line.resize(400, line.height())
    plot = line._plot()
    assert plot.height() >= 34  # 0..1 over ~36 px, not ~20
    assert abs(line.y_of(0.3) - line.y_of(0.5)) >= 6  # 0.3 to 0.5: readable, not 2 px
    years = [text for _x, text in line.year_labels()]
    start = window.doc.start.year
    assert years and years[0] in (str(start), str(start + 1)) and len(years) >= 3
    assert all(int(b) > int(a) for a, b in zip(years, years[1:]))
    assert line.add_change(10, 0.8)
    at = QPointF(line.x_of(10), line.y_of(0.8)).toPoint()
    qtbot.mousePress(line, Qt.MouseButton.LeftButton, pos=at)
    to = QPointF(line.x_of(20), line.y_of(0.5)).toPoint()
    qtbot.mouseMove(line, pos=to)
    text = line.drag_text()
    change = window.doc.schedules["antitrust_enforcement"].changes[0]
    assert text == f"{change.value:g} from {change.quarter.label}"
    rect = line.drag_text_rect()
    assert rect is not None and line.rect().toRectF().contains(rect)
    qtbot.mouseRelease(line, Qt.MouseButton.LeftButton, pos=to)
    assert line.drag_text() is None


def test_the_preset_box_names_a_preset_only_while_the_values_are_its(window, qtbot):
    from PySide6.QtWidgets import QPushButton

    from gui.docks.levers import NO_PRESET

    levers = window.levers
    assert levers.presets.currentData() is None  # the values of no preset at first
    assert levers.presets.placeholderText() == NO_PRESET
    levers.presets.setCurrentIndex(levers.presets.findData("benign"))
    levers.findChild(QPushButton, "applyPreset").click()
    assert levers.presets.currentData() == "benign"
    spin = levers.spins["antitrust_enforcement"]
    spin.setValue(spin.value() + 0.05)  # no longer the benign scenario
    assert levers.presets.currentData() != "benign"
    window.editor.stack.undo()
    assert levers.presets.currentData() == "benign"


def test_a_new_firm_gets_a_zone_and_a_subfield_and_runs_at_once(window, qtbot):
    from PySide6.QtCore import QPointF

    doc, editor = window.doc, window.editor
    zones = {n: r for n, r in doc.node_records().items() if r["kind"] == "zone"}
    near, far = sorted(zones, key=lambda n: zones[n]["x"])[:2]
    at = QPointF(zones[near]["x"] + 5, zones[near]["y"] + 5)
    before = window.editor.stack.count()
    new = editor.add_node("sme", at)
    record = doc.node(new)
    platforms = [r for r in doc.node_records().values() if r["kind"] == "platform"]
    assert record["subfield"] == platforms[0]["subfield"] != ""
    located = [doc.edge(k) for k in doc.edge_keys() if doc.edge(k)["type"] == "located_in"
               and doc.edge(k)["source"] == new]
    assert [e["target"] for e in located] == [near]
    assert window.editor.stack.count() == before + 1  # one undo step for the firm and link
    assert near.split("-")[0] in window.statusBar().currentMessage() or \
        doc.node(near)["name"] in window.statusBar().currentMessage()
    doc.to_scenario()  # valid: nothing blocks a run
    window.editor.stack.undo()
    assert new not in doc.node_records()


def test_the_start_card_sits_in_the_corner_that_hides_least(make_window, qtbot):
    """The offscreen screen is 800 x 600: the card covers most of that map wherever it is,
    so this checks the rule (the corner of least cover, not the centre); at 1920 x 1080 it
    hides no hub (the Xvfb screenshot of issue 25)."""
    from gui.canvas.corner import corners, cost, node_rects
    from model.builtin import default_scenario
    from model.scenario import Project

    window = make_window(Project.single(default_scenario()))
    window.actions["actionFit"].trigger()
    window.show_start_page()
    card, view = window.start_page, window.editor.view
    assert card.isVisible() and card.parentWidget() is view
    nodes = node_rects(view)
    taken = [view.legend.geometry()] if view.legend.isVisible() else []
    options = corners(view.viewport().rect(), card.width(), card.height())
    assert card.geometry() in options
    assert cost(card.geometry(), nodes, taken) == min(cost(r, nodes, taken) for r in options)


def test_no_name_is_labelled_twice_on_the_built_in_map(make_window, qtbot):
    from collections import Counter

    from model.builtin import default_scenario
    from model.scenario import Project

    window = make_window(Project.single(default_scenario()))
    window.actions["actionFit"].trigger()
    view, scene = window.editor.view, window.editor.scene
    view.labels.place_now()
    zoom = view.zoom()
    shown = Counter(item.label for item in scene.nodes.values() if item.label_visible(zoom)
                    and view.mapToScene(view.viewport().rect()).boundingRect().intersects(
                        item.sceneBoundingRect()))
    assert shown and max(shown.values()) == 1, [t for t, n in shown.items() if n > 1]


def test_workshop_mode_shows_the_timelines_of_scheduled_levers_only(window, qtbot):
    from PySide6.QtCore import QPoint

    from model.parameters import LEVERS

    lines = [window.levers.timelines[k] for k in LEVERS]
    scheduled = lines[2]
    scheduled.resize(400, 28)
    qtbot.mouseDClick(scheduled, Qt.MouseButton.LeftButton,  # a change, as a user adds it
                      pos=QPoint(int(scheduled.x_of(10)), int(scheduled.y_of(0.8))))
    assert set(window.doc.schedules) == {LEVERS[2]}
    tall = sum(line.minimumHeight() for line in lines)
    window.actions["actionWorkshop"].trigger()
    qtbot.waitUntil(window.isFullScreen)
    assert [line.isVisible() for line in lines] == [line is scheduled for line in lines]
    assert scheduled.show_years and scheduled._plot().height() >= 34  # read from the room
    window.actions["actionWorkshop"].trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert all(line.isVisible() and line.show_years for line in lines)
    assert sum(line.minimumHeight() for line in lines) == tall

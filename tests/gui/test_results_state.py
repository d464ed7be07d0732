"""The window tells the truth about its results (issue 23 item 7): the caveat always, "out
of date" after any edit of the scenario until the next run, nothing once another scenario
is opened; and the caveat on every exported picture."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from gui.docks.honest import CAVEAT_TEXT
from model.files import save_file

KEY = "antitrust_enforcement"


def run_and_wait(window, qtbot, runs=1, steps=6):
    window.runbar.steps.setValue(steps)
    window.runbar.runs.setValue(runs)
    window.runbar.seed.setValue(0)
    with qtbot.waitSignal(window.runs.session_ready, timeout=30_000):
        window.actions["actionRun"].trigger()  # F5
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=30_000)
    return window.runs.session


def stale(window) -> bool:
    return window.results.stale_label.isVisible()


def test_the_caveat_stands_in_the_results_area_before_and_after_a_run(window, qtbot):
    caveat = window.results.caveat
    assert caveat.isVisible() and "not a forecast" in caveat.text()
    run_and_wait(window, qtbot)
    assert caveat.isVisible() and caveat.text() == CAVEAT_TEXT


def test_no_marker_without_results(window):
    window.levers.sliders[KEY].setValue(window.levers.sliders[KEY].value() + 50)
    assert not stale(window)  # nothing shown: nothing out of date


def lever_moved(window, qtbot):
    slider = window.levers.sliders[KEY]
    slider.setValue(slider.value() + 100)


def node_edited(window, qtbot):
    assert window.editor.set_node_fields("z-small", {"talent": 9.0})  # as the inspector does


def node_deleted(window, qtbot):
    window.editor.scene.select_nodes(["f-sme2"])
    window.actions["actionDelete"].trigger()


def schedule_added(window, qtbot):
    line = window.levers.timelines[KEY]
    line.resize(400, 28)
    at = QPointF(line.x_of(3), line.y_of(0.8)).toPoint()
    qtbot.mouseDClick(line, Qt.MouseButton.LeftButton, pos=at)
    assert window.doc.schedules.get(KEY) is not None


def undone(window, qtbot):
    lever_moved(window, qtbot)
    run_and_wait(window, qtbot)
    assert not stale(window)
    window.editor.stack.undo()  # the levers as before the run: not the run's scenario


@pytest.mark.parametrize("edit", [lever_moved, node_edited, node_deleted, schedule_added,
                                  undone])
def test_an_edit_marks_the_results_out_of_date_until_the_next_run(window, qtbot, edit):
    run_and_wait(window, qtbot)
    assert not stale(window)
    edit(window, qtbot)
    assert stale(window) and "press F5" in window.results.stale_label.text()
    run_and_wait(window, qtbot)
    assert not stale(window)


def test_moving_a_node_changes_nothing_a_run_reads(window, qtbot):
    run_and_wait(window, qtbot)
    some = next(iter(window.editor.scene.nodes))
    window.editor.nodes_dragged({}, {some: (500.0, 500.0)})  # what a finished drag does
    assert window.doc.node(some)["x"] == 500.0 and not stale(window)


def test_an_edit_during_a_run_leaves_its_result_out_of_date(window, qtbot):
    window.runbar.steps.setValue(20)
    window.runbar.runs.setValue(20)
    window.actions["actionRun"].trigger()
    qtbot.waitUntil(window.runs.busy, timeout=10_000)
    lever_moved(window, qtbot)
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=60_000)
    assert window.runs.session is not None and stale(window)


def test_opening_another_file_clears_the_results(window, qtbot, tmp_path):
    from conftest import small_project

    path = tmp_path / "other.json"
    save_file(small_project(), path)
    run_and_wait(window, qtbot, runs=3)
    lever_moved(window, qtbot)
    window.editor.stack.setClean()  # nothing to save: no question asked
    assert window.files.open_path(path)
    results = window.results
    assert results.session is None and window.runs.session is None
    assert not stale(window) and results.placeholder.isVisible()
    assert "No results yet" in results.outcome.text()
    assert not window.actions["actionExportWorkbook"].isEnabled()  # nothing to export
    assert results.plots.series == {} and "Monte Carlo" in results.thresholds.text()
    assert results.caveat.isVisible()


def test_opening_the_builtin_scenario_clears_the_results(window, qtbot):
    run_and_wait(window, qtbot)
    window.editor.stack.setClean()
    window.actions["actionOpenBuiltin"].trigger()
    assert window.results.session is None and window.runs.session is None
    assert "No results yet" in window.results.outcome.text() and not stale(window)


def test_switching_variant_keeps_the_results_out_of_date(window, qtbot):
    run_and_wait(window, qtbot)
    window.variants.duplicate("copy")
    assert window.results.session is not None and stale(window)


@pytest.mark.parametrize("name", ["curves.png", "curves.svg"])
def test_every_exported_picture_carries_the_caveat(window, qtbot, dialogs, tmp_path, name):
    run_and_wait(window, qtbot, runs=3)
    plots = window.results.plots
    before = plots.canvas.ci.layout.count()
    dialogs.answer("save", str(tmp_path / name))
    assert window.results.export_plot()
    path = tmp_path / name
    if name.endswith(".svg"):
        assert CAVEAT_TEXT in path.read_text(encoding="utf-8")
    else:
        image = QImage(str(path))
        assert not image.isNull()
        assert caveat_row_drawn(image)
    assert plots.canvas.ci.layout.count() == before  # the caveat row is gone from the window


def caveat_row_drawn(image: QImage) -> bool:
    """Some dark pixels (the caveat's text) in the picture's last rows, under the plots."""
    rows = range(max(0, image.height() - 40), image.height())
    return any(QImage.pixelColor(image, x, y).lightness() < 140
               for y in rows for x in range(0, image.width(), 3))

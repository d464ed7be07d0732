"""The results panel read in a room: the outcome line says why, threshold labels hide no
data, and a comparison can be shown as each scenario's difference from the base."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextDocument

import pyqtgraph as pg

from gui.docks.plots import MetricPlots
from model.builtin import default_scenario
from model.engine import METRIC_KEYS, run
from model.engine.explanation import explain_outcome

STEPS = 40


def plain(rich: str) -> str:
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText().replace("\u2029", "\n")


def run_and_wait(window, qtbot, runs=1, steps=6):
    window.runbar.steps.setValue(steps)
    window.runbar.runs.setValue(runs)
    window.runbar.seed.setValue(0)
    assert window.runbar.start()
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=20_000)
    return window.runs.session


def compare_and_wait(window, qtbot, runs=3, steps=6):
    chosen = [("main", "variant", "main"), ("main + Benign", "preset", "benign")]
    assert window.simulation.compare(chosen, steps, runs, 0)
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=20_000)
    return window.runs.session


# --- the outcome line ------------------------------------------------------------------------

def test_the_outcome_line_of_a_run_says_which_rule_decided_it(window, qtbot):
    session = run_and_wait(window, qtbot)
    shown = plain(window.results.outcome.text())
    sentence = explain_outcome(session.result)
    assert ", because " in sentence
    assert shown.lower() == f"outcome: {sentence}".lower()
    assert session.result.outcome.upper() in shown  # the outcome word stands out


def test_the_outcome_line_of_an_ensemble_explains_the_share(window, qtbot):
    session = run_and_wait(window, qtbot, runs=3)
    shown = plain(window.results.outcome.text())
    sentence = explain_outcome(session.monte_carlo)
    assert " of runs" in sentence and sentence.lower() in shown.lower()


def test_a_comparison_gives_one_sentence_per_scenario(window, qtbot):
    session = run_and_wait(window, qtbot) and compare_and_wait(window, qtbot)
    lines = plain(window.results.outcome.text()).lower().splitlines()
    comparison = session.comparison
    assert len(lines) == len(comparison.labels)
    for line, label in zip(lines, comparison.labels):
        assert line.endswith(f"{label}: {explain_outcome(comparison.results[label])}".lower())


# --- the difference plot ---------------------------------------------------------------------

def test_the_difference_toggle_shows_each_scenario_minus_the_base(window, qtbot):
    results = window.results
    run_and_wait(window, qtbot)
    assert not results.show_choice.isVisible()  # a single run: nothing to differ from
    comparison = compare_and_wait(window, qtbot).comparison
    chooser = results.show_choice
    assert chooser.isVisible() and chooser.difference.isEnabled()
    assert chooser.difference.text() == "Difference from main"
    assert results.curves.currentWidget() is results.plots  # levels until asked
    chooser.difference.click()
    assert results.curves.currentWidget() is results.difference
    assert results.difference.isVisible() and not results.plots.isVisible()
    mean, band = results.difference.items[("hhi_mean", "main + Benign")]
    expected = comparison.differences["main + Benign"]
    np.testing.assert_array_equal(mean.getData()[1], expected["hhi_mean_mean"].to_numpy())
    assert band.isVisible()
    assert ("hhi_mean", "main") not in results.difference.items  # the base is the zero line
    results.choose_metrics(["active_smes"])
    assert list(results.difference.plots) == ["active_smes"]
    chooser.levels.click()
    assert results.curves.currentWidget() is results.plots
    chooser.difference.click()
    run_and_wait(window, qtbot)  # back to a single run: levels, no toggle
    assert not chooser.isVisible() and results.curves.currentWidget() is results.plots


def test_export_and_workshop_style_follow_the_difference_plot(window, qtbot, dialogs,
                                                              tmp_path):
    results = window.results
    compare_and_wait(window, qtbot)
    results.plots.set_style(4.0, 15)  # as the workshop mode does
    results.show_choice.difference.click()
    mean, _band = results.difference.items[("hhi_mean", "main + Benign")]
    assert mean.opts["pen"].widthF() == 4.0
    for name in ("difference.png", "difference.svg"):
        dialogs.answer("save", str(tmp_path / name))
        assert results.export_plot()
        assert (tmp_path / name).stat().st_size > 0
    assert "change from main" in (tmp_path / "difference.svg").read_text()


# --- threshold labels ------------------------------------------------------------------------

def threshold_labels(plot) -> list:
    return [item.label for item in plot.vb.addedItems
            if isinstance(item, pg.InfiniteLine) and item.angle == 0 and
            getattr(item, "label", None) is not None]


def drawn_points(plot, series) -> np.ndarray:
    """The series' HHI line in scene coordinates, sampled finely along its segments."""
    x, y = series.items["hhi_mean"][0].getData()
    xs = np.linspace(x[0], x[-1], 40 * len(x))
    ys = np.interp(xs, x, y)
    points = [plot.vb.mapViewToScene(QPointF(a, b)) for a, b in zip(xs, ys)]
    return np.array([[p.x(), p.y()] for p in points]), xs


def hits(rect: QRectF, points: np.ndarray) -> bool:
    return bool(np.any((points[:, 0] >= rect.left()) & (points[:, 0] <= rect.right()) &
                       (points[:, 1] >= rect.top()) & (points[:, 1] <= rect.bottom())))


def shown_plots(qtbot, table: np.ndarray) -> MetricPlots:
    plots = MetricPlots()
    qtbot.addWidget(plots)
    plots.resize(1400, 520)  # the results dock of a 1920x1080 window
    plots.show()
    qtbot.waitExposed(plots)
    plots.set_line("", table)
    for _ in range(3):
        qtbot.wait(30)
    return plots


@pytest.fixture(scope="module")
def builtin_table() -> np.ndarray:
    result = run(default_scenario(), STEPS, 0)
    return result.metrics[list(METRIC_KEYS)].to_numpy(float)


def test_threshold_labels_leave_the_builtin_scenarios_hhi_visible(qtbot, builtin_table):
    plots = shown_plots(qtbot, builtin_table)
    plot = plots.plots["hhi_mean"]
    points, steps = drawn_points(plot, plots.series[""])
    labels = threshold_labels(plot)
    assert len(labels) == 2
    early = points[steps <= STEPS / 4]
    region = QRectF(QPointF(*early.min(axis=0)), QPointF(*early.max(axis=0)))
    for label in labels:
        rect = label.sceneBoundingRect()
        assert not rect.intersects(region), label.toPlainText()  # the first quarters
        assert not hits(rect, points), label.toPlainText()  # and anywhere
        assert plot.vb.sceneBoundingRect().contains(rect), label.toPlainText()  # readable


def crafted(hhi: np.ndarray) -> np.ndarray:
    table = np.zeros((STEPS + 1, len(METRIC_KEYS)))
    table[:, METRIC_KEYS.index("hhi_mean")] = hhi
    return table


def test_a_label_goes_below_its_line_when_the_curve_ends_just_above(qtbot):
    rise = np.concatenate([np.linspace(1700, 2540, 21), np.full(20, 2540.0)])
    plots = shown_plots(qtbot, crafted(rise))
    plot = plots.plots["hhi_mean"]
    points, _ = drawn_points(plot, plots.series[""])
    line_y = plot.vb.mapViewToScene(QPointF(0, 2500)).y()
    right = plot.vb.sceneBoundingRect().right()
    (label,) = [x for x in threshold_labels(plot) if x.toPlainText().startswith("2,500")]
    rect = label.sceneBoundingRect()
    assert not hits(rect, points)
    assert rect.top() >= line_y - 1  # below the line (scene y grows downwards)
    assert right - 10 <= rect.right() <= right  # at the right edge


def test_a_label_moves_left_when_the_curve_crosses_its_line_under_it(qtbot):
    plots = shown_plots(qtbot, crafted(np.linspace(1700, 2560, STEPS + 1)))
    plot = plots.plots["hhi_mean"]
    points, _ = drawn_points(plot, plots.series[""])
    for label in threshold_labels(plot):
        assert not hits(label.sceneBoundingRect(), points), label.toPlainText()


def test_the_threshold_labels_never_cover_each_other_in_a_squeezed_plot(qtbot):
    """A high HHI squeezes 1,500 and 2,500 into a few pixels: the labels still part."""
    plots = MetricPlots()
    qtbot.addWidget(plots)
    plots.resize(1400, 260)  # short plots, as in a results dock beside a comparison
    plots.show()
    qtbot.waitExposed(plots)
    plots.set_line("", crafted(np.linspace(1600, 7000, STEPS + 1)))
    for _ in range(3):
        qtbot.wait(30)
    first, second = (label.sceneBoundingRect()
                     for label in threshold_labels(plots.plots["hhi_mean"]))
    assert not first.intersects(second)

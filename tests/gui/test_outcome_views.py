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
    lines = plain(window.results.outcome.text()).splitlines()
    sentence = explain_outcome(session.result)
    assert ", because " in sentence
    # the end metrics first, then the dimensions, then the sentence with the rule beside it
    assert lines[0].startswith("End of the run") and lines[1].startswith("By dimension")
    assert lines[2].lower().startswith(f"outcome: {sentence} (rule: ".lower())
    assert session.result.outcome.upper() in lines[2]  # the outcome word stands out


def test_the_outcome_line_of_an_ensemble_explains_the_share(window, qtbot):
    session = run_and_wait(window, qtbot, runs=3)
    shown = plain(window.results.outcome.text())
    sentence = explain_outcome(session.monte_carlo)
    assert " of runs" in sentence and sentence.lower() in shown.lower()


def test_a_comparison_gives_one_sentence_per_scenario(window, qtbot):
    session = run_and_wait(window, qtbot) and compare_and_wait(window, qtbot)
    lines = plain(window.results.outcome.text()).lower().splitlines()
    comparison = session.comparison
    assert len(lines) == len(comparison.labels) * 2  # sentences, then the paired differences
    assert lines[len(comparison.labels)].startswith("paired differences to main")
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

def shown_plots(qtbot, table: np.ndarray, size=(1400, 520), font_size=9,
                summary=None) -> MetricPlots:
    plots = MetricPlots()
    qtbot.addWidget(plots)
    plots.resize(*size)  # 1400 x 520: the results dock of a 1920x1080 window
    plots.set_style(4.0 if font_size > 9 else 2.0, font_size)
    plots.show()
    qtbot.waitExposed(plots)
    if summary is not None:
        plots.set_summary("", summary, runs_done=5)
    plots.set_line("", table)
    plot, hhi = plots.plots["hhi_mean"], table[:, METRIC_KEYS.index("hhi_mean")]

    def framed() -> bool:  # the view has taken the data's range
        (_x0, _x1), (y0, y1) = plot.vb.viewRange()
        return y0 <= np.nanmin(hhi) and np.nanmax(hhi) <= y1

    qtbot.waitUntil(framed, timeout=3000)
    return plots


@pytest.fixture(scope="module")
def builtin_table() -> np.ndarray:
    result = run(default_scenario(), STEPS, 0)
    return result.metrics[list(METRIC_KEYS)].to_numpy(float)


def crafted(hhi: np.ndarray) -> np.ndarray:
    table = np.zeros((STEPS + 1, len(METRIC_KEYS)))
    table[:, METRIC_KEYS.index("hhi_mean")] = hhi
    return table


def band_summary(hhi: np.ndarray, spread: float):
    import pandas as pd

    frame = {"step": np.arange(len(hhi))}
    for key in METRIC_KEYS:
        base = hhi if key == "hhi_mean" else np.zeros(len(hhi))
        frame.update({f"{key}_mean": base, f"{key}_p50": base,
                      f"{key}_p5": base - spread, f"{key}_p95": base + spread})
    return pd.DataFrame(frame)


def data_rect(plot) -> QRectF:
    """Where the curves and bands are drawn: the view box (it clips its items)."""
    return plot.vb.sceneBoundingRect()


def assert_labels_beside_the_data(plots) -> None:
    plot, lines = plots.plots["hhi_mean"], plots.thresholds["hhi_mean"]
    rects = lines.label_rects()
    assert len(rects) == 2
    (_x0, _x1), (y0, y1) = plot.vb.viewRange()
    for rect, line, text in zip(rects, lines.lines, lines.label_texts()):
        assert text.lstrip("\u2191\u2193 ").startswith(f"{line.value():,.0f}")  # its own
        assert not rect.intersects(data_rect(plot)), text
        assert rect.left() >= data_rect(plot).right(), text  # in the right margin
        assert plot.sceneBoundingRect().contains(rect), text  # whole, readable
        if y0 <= line.value() <= y1:
            y = plot.vb.mapViewToScene(QPointF(0, line.value())).y()
            assert rect.top() - 30 <= y <= rect.bottom() + 30, text  # beside its line
    assert not rects[0].intersects(rects[1])


CASES = {
    "rise to just above 2,500": np.concatenate([np.linspace(1700, 2540, 21),
                                                np.full(20, 2540.0)]),
    "crossing both lines": np.linspace(1300, 2700, STEPS + 1),
    "high and rising": np.linspace(1600, 7000, STEPS + 1),
    "high and flat": np.linspace(7000, 7600, STEPS + 1),
}


@pytest.mark.parametrize("size", [(1400, 520), (1400, 260), (700, 240)])  # 230 px: the least
@pytest.mark.parametrize("font_size", [9, 15])
@pytest.mark.parametrize("case", list(CASES))
def test_threshold_labels_sit_beside_their_lines_outside_the_data(qtbot, case, size,
                                                                   font_size):
    hhi = CASES[case]
    plots = shown_plots(qtbot, crafted(hhi), size, font_size, band_summary(hhi, 300))
    assert_labels_beside_the_data(plots)


def test_the_builtin_scenarios_hhi_keeps_its_labels_beside_it(qtbot, builtin_table):
    assert_labels_beside_the_data(shown_plots(qtbot, builtin_table))


def test_the_hhi_range_shows_the_data_and_the_lines_without_flattening(qtbot):
    for hhi in CASES.values():
        plots = shown_plots(qtbot, crafted(hhi))
        plot = plots.plots["hhi_mean"]
        (_x0, _x1), (y0, y1) = plot.vb.viewRange()
        assert y0 <= hhi.min() and hhi.max() <= y1  # the data, whole
        assert hhi.max() - hhi.min() >= 0.35 * (y1 - y0)  # not flattened
    plots = shown_plots(qtbot, crafted(CASES["crossing both lines"]))
    (_x0, _x1), (y0, y1) = plots.plots["hhi_mean"].vb.viewRange()
    assert y0 < 1500 and 2500 < y1  # both lines, when the data allow
    high = shown_plots(qtbot, crafted(CASES["high and flat"]))
    texts = high.thresholds["hhi_mean"].label_texts()
    assert all(t.startswith("\u2193") for t in texts)  # below the view: arrows




def test_the_reference_of_the_paired_differences_can_be_chosen(window, qtbot):
    results = window.results
    comparison = compare_and_wait(window, qtbot).comparison
    against = results.show_choice.against
    assert against.isVisible() and against.currentData() == "main"
    text = plain(results.outcome.text())
    assert "Paired differences to main" in text and "main + Benign − main" in text
    against.setCurrentIndex(against.findData("main + Benign"))  # as the user picks it
    text = plain(results.outcome.text())
    assert "Paired differences to main + Benign" in text and "main − main + Benign" in text
    assert results.show_choice.difference.text() == "Difference from main + Benign"
    # the workbook exported next takes its paired table against the same reference
    assert window.runs.session.comparison.reference == "main + Benign"
    assert results.session is window.runs.session
    mean, _band = results.difference.items[("hhi_mean", "main")]
    expected = (comparison.results["main"].runs -
                comparison.results["main + Benign"].runs)[:, :, METRIC_KEYS.index("hhi_mean")]
    np.testing.assert_allclose(mean.getData()[1], expected.mean(axis=0))
    end = expected[:, -1]
    line = next(x for x in text.splitlines() if "main − main + Benign" in x)
    hhi = next(part for part in line.split(";") if "HHI (mean)" in part)
    said = "not distinguishable after 3 runs" in hhi
    se = end.std(ddof=1) / np.sqrt(len(end))
    assert said == (not abs(end.mean()) > 2 * se)  # in words where it cannot be told from 0

"""Scenario lines a room can tell apart: the base in dark grey, a line style per series, the
names at the ends of the lines (in the right margin, over no data), and every pair still
distinct to viewers with protanopia, deuteranopia or tritanopia (Machado 2009)."""
from __future__ import annotations

from itertools import combinations

from PySide6.QtGui import QColor

from cvd import MACHADO_2009, delta_e76, hex_rgb, simulate, to_linear
from gui import colours
from test_comparison import CHOSEN, compare

MIN_DELTA_E = 20.0  # CIE76: clearly different side by side (2.3 is a just-noticeable step)


def mean_pen(series, key="hhi_mean"):
    return series.items[key][4].opts["pen"]


def test_compared_lines_differ_in_style_and_in_colour_under_every_deficiency(window, qtbot):
    compare(window, qtbot)
    series = window.results.plots.series
    base = series["main"]
    assert base.colour == colours.BASE_COLOUR and mean_pen(base).style().name == "SolidLine"
    grey = QColor(base.colour)
    assert grey.hsvSaturationF() < 0.05 and grey.valueF() < 0.3  # neutral, dark
    pens = {label: mean_pen(item) for label, item in series.items()}
    for a, b in combinations(series, 2):
        assert pens[a].style() != pens[b].style(), (a, b)  # a line style per series
        for kind in ("normal", *MACHADO_2009):
            see = (lambda c: to_linear(hex_rgb(c))) if kind == "normal" else \
                (lambda c, k=kind: simulate(c, k))
            distance = delta_e76(see(series[a].colour), see(series[b].colour))
            assert distance >= MIN_DELTA_E, (kind, a, b, round(distance, 1))
    for label, pen in pens.items():  # the pen drawn is the series' colour
        assert pen.color().name().lower() == series[label].colour.lower()


def test_each_line_is_named_at_its_end_in_the_margin(window, qtbot):
    window.resize(1800, 1100)
    window.docks["results"].setMinimumHeight(520)  # plots tall enough for 4 names and 2 lines
    compare(window, qtbot)
    plots = window.results.plots
    for key, axis in plots.margins.items():
        boxes = axis.series_boxes()
        names = [name.lstrip("\u2191\u2193 ") for name, _rect, _pen in boxes]  # an arrow:
        assert names == list(plots.series), key  # the line ends out of the view
        data = plots.plots[key].vb.sceneBoundingRect()
        for (_text, rect, pen), name in zip(boxes, names):
            scene = axis.mapRectToScene(rect)
            assert not scene.intersects(data), (key, name)  # over no curve and no band
            assert pen.color().name().lower() == plots.series[name].colour.lower()
        every = axis._boxes()  # thresholds too: none pushed out of the plot's height
        assert all(r.top() >= -0.5 and r.bottom() <= axis.rect().height() + 0.5
                   for _t, r, _p in every), (key, axis.rect().height())
        tops = sorted(rect.top() for _n, rect, _p in boxes)
        heights = [rect.height() for _n, rect, _p in boxes]
        assert all(b - a >= min(heights) for a, b in zip(tops, tops[1:]))  # never stacked
    window.runbar.steps.setValue(3)  # a single run again: no names, no margin
    assert window.runbar.start()
    qtbot.waitUntil(lambda: not window.runs.busy(), timeout=30_000)
    assert all(not axis.series for axis in plots.margins.values())


def test_in_workshop_mode_the_names_at_the_line_ends_stay_words(window, qtbot):
    """In a room only the HHI plot names the series, in a narrow margin beside the two
    thresholds: the names must read as words, not as a bare ellipsis."""
    compare(window, qtbot)
    window.actions["actionWorkshop"].trigger()
    qtbot.waitUntil(window.isFullScreen)
    plots = window.results.plots
    qtbot.waitUntil(lambda: plots.room and any(a.series for a in plots.margins.values()))
    named = [axis for axis in plots.margins.values() if axis.series_boxes()]
    assert named
    for axis in named:
        for text, _rect, _pen in axis.series_boxes():
            shown = text.lstrip("\u2191\u2193 ").rstrip("\u2026")
            assert len(shown) >= 3, text  # at least a word's start, not "..."
    choice, tabs = window.results.show_choice, window.results.tabs.tabBar()
    assert choice.isVisible() and not choice.against.isVisible()  # the reference steps aside

    def every_tab_whole() -> bool:
        """Each result tab's name whole and all of them in view (none behind a scroll
        button), once the room's layout has settled (posted events, later under load)."""
        names = [tabs.tabText(i).replace("&", "") for i in range(tabs.count())]
        rects = [tabs.tabRect(i) for i in range(tabs.count())]
        return all(r.width() >= tabs.fontMetrics().horizontalAdvance(t)
                   for t, r in zip(names, rects)) and \
            sum(r.width() for r in rects) <= tabs.width()

    qtbot.waitUntil(every_tab_whole)
    window.actions["actionWorkshop"].trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    qtbot.waitUntil(choice.against.isVisible)  # back at the desk

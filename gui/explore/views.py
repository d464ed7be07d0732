"""What an exploration found, drawn: the futures of one policy as points over two chosen
uncertainties, coloured by outcome, with PRIM's box on them and its rules in words; the
policies ranked; a bar chart of the sensitivity indices of one end metric.

Every figure comes from the Exploration as the model returned it; nothing is computed here
but positions on the screen.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from gui.colours import OUTCOME_COLOURS, SERIES_COLOURS
from gui.docks.tornado import MetricChart
from model.engine import METRIC, OUTCOMES
from model.parameters import PARAMETERS

LEGEND = {"brush": pg.mkBrush(255, 255, 255, 230), "pen": pg.mkPen("#BBBBBB"),
          "labelTextColor": "#222222"}
BOX_PEN = pg.mkPen("#000000", width=2.5, style=Qt.PenStyle.DashLine)
BAR_HEIGHT = 0.36
TOP_BARS = 12


def _combo(name: str, parent) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName(name)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


class DiscoveryView(QWidget):
    """The scatter of two uncertainties with the box, and the rules."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("discoveryView")
        self.exploration = None
        self.x_key, self.y_key = _combo("discoveryX", self), _combo("discoveryY", self)
        self.policy = _combo("discoveryPolicy", self)
        for box in (self.x_key, self.y_key, self.policy):
            box.currentIndexChanged.connect(self._draw)
        self.rules = QLabel("Run an exploration to see when the outcome happens.", self)
        self.rules.setObjectName("discoveryRules")
        self.rules.setWordWrap(True)
        self.rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.canvas = pg.PlotWidget(background="w")
        self.plot = self.canvas.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(10, 10), **LEGEND)
        self.points: dict[str, pg.ScatterPlotItem] = {}
        self.box: pg.PlotCurveItem | None = None
        top = QHBoxLayout()
        for text, box in (("Across:", self.x_key), ("Up:", self.y_key),
                          ("Futures of:", self.policy)):
            top.addWidget(QLabel(text, self))
            top.addWidget(box)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.rules)

    def set_exploration(self, x) -> None:
        self.exploration = x
        keys = [u.key for u in x.space]
        restricted = list(x.discovery.box.restricted) if x.discovery is not None else []
        axes = (restricted + [k for k in keys if k not in restricted])[:2]
        for box, chosen in ((self.x_key, axes[0]), (self.y_key, axes[-1])):
            box.blockSignals(True)
            box.clear()
            for key in keys:
                box.addItem(PARAMETERS[key].label, key)
            box.setCurrentIndex(keys.index(chosen))
            box.blockSignals(False)
        self.policy.blockSignals(True)
        self.policy.clear()
        for name in x.policies:
            self.policy.addItem(name, name)
        self.policy.setCurrentIndex(list(x.policies).index(x.discovery_policy))
        self.policy.blockSignals(False)
        self._draw()

    def _draw(self, *_args) -> None:
        x = self.exploration
        self.plot.clear()
        self.legend.clear()
        self.points, self.box = {}, None
        if x is None or self.x_key.currentData() is None:
            return
        kx, ky, policy = self.x_key.currentData(), self.y_key.currentData(), \
            self.policy.currentData()
        rows = x.rows[x.rows["policy"] == policy]
        for outcome in OUTCOMES:
            mine = rows[rows["outcome"] == outcome]
            colour = OUTCOME_COLOURS[outcome]
            item = pg.ScatterPlotItem(mine[kx].to_numpy(float), mine[ky].to_numpy(float),
                                      size=6, pen=pg.mkPen(None), brush=pg.mkBrush(colour),
                                      name=f"{outcome} ({len(mine):,})")
            self.plot.addItem(item)
            self.points[outcome] = item
        self.plot.setLabel("bottom", f"{PARAMETERS[kx].label} ({kx})")
        self.plot.setLabel("left", f"{PARAMETERS[ky].label} ({ky})")
        self.rules.setText(self._rules_text(x, policy))
        if x.discovery is not None and policy == x.discovery_policy:
            self._draw_box(x, kx, ky)

    def _draw_box(self, x, kx: str, ky: str) -> None:
        found = x.discovery
        limits = found.box.limits
        ix, iy = found.columns.index(kx), found.columns.index(ky)
        (x0, x1), (y0, y1) = limits[:, ix], limits[:, iy]
        self.box = pg.PlotCurveItem([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], pen=BOX_PEN,
                                    name="PRIM box")
        self.plot.addItem(self.box)

    @staticmethod
    def _rules_text(x, policy: str) -> str:
        found = x.discovery
        if found is None:
            return f"No future ended {x.outcome} under {x.discovery_policy}: nothing to discover."
        labels = {k: PARAMETERS[k].label for k in found.columns}
        text = f"<b>Under {x.discovery_policy}, {found.rules(x.outcome, labels)}.</b>"
        significant = [labels[r["dimension"]] + f" (quasi-p {r['qp']:.1g})"
                       for r in found.restrictions() if r["significant"]]
        if significant:
            text += " Significant: " + ", ".join(significant) + "."
        if policy != x.discovery_policy:
            text += f" The box is drawn on the futures of {x.discovery_policy} only."
        return text


class RobustnessTable(QTableWidget):
    COLUMNS = (("rank", "Rank", "{:d}"), ("policy", "Policy", "{}"),
               ("benign", "Benign", "{:.0%}"), ("mixed", "Mixed", "{:.0%}"),
               ("adverse", "Adverse", "{:.0%}"), ("not_adverse", "Not adverse", "{:.0%}"),
               ("regret_hhi_mean_mean", "Mean regret HHI", "{:,.0f}"),
               ("regret_active_smes_mean", "Mean regret SMEs", "{:,.1f}"),
               ("regret_dependency_index_mean", "Mean regret dependency", "{:.3f}"),
               ("regret_talent_gini_mean", "Mean regret Gini", "{:.3f}"))

    def __init__(self, parent=None):
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("robustnessTable")
        self.setHorizontalHeaderLabels([c[1] for c in self.COLUMNS])
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def set_table(self, table: pd.DataFrame) -> None:
        self.setRowCount(len(table))
        for r, record in enumerate(table.to_dict("records")):
            for c, (key, _, fmt) in enumerate(self.COLUMNS):
                value = record[key]
                item = QTableWidgetItem(fmt.format(int(value) if key == "rank" else value))
                if key != "policy":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                          Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)


class IndicesChart(MetricChart):
    """Horizontal bars of one metric's indices (Sobol: ST with S1 inside; Morris: mu*),
    the largest on top, with their 95 % intervals as whiskers."""

    def __init__(self, parent=None):
        super().__init__("indicesChart", "indicesMetric", "Choose Sobol or Morris before "
                         "running to see which factor matters most.", parent, **LEGEND)
        self.exploration = None
        self.bars: list[pg.BarGraphItem] = []

    def set_exploration(self, x) -> None:
        self.exploration = x
        self.chooser.blockSignals(True)
        self.chooser.clear()
        if x.sensitivity is not None:
            for key in dict.fromkeys(x.sensitivity["metric"]):
                self.chooser.addItem(METRIC[key].label, key)
        self.chooser.blockSignals(False)
        self._draw()

    def _draw(self, *_args) -> None:
        self.plot.clear()
        self.legend.clear()
        self.bars = []
        x = self.exploration
        if x is None or x.sensitivity is None or self.chooser.currentData() is None:
            return
        sobol = x.sensitivity_design.method == "sobol"
        rows = x.top_factors(self.chooser.currentData(), TOP_BARS).iloc[::-1]
        ys = np.arange(len(rows), dtype=float)
        series = [("ST", "total (ST)", SERIES_COLOURS[0]),
                  ("S1", "first order (S1)", SERIES_COLOURS[1])] \
            if sobol else [("mu_star", "mu*", SERIES_COLOURS[0])]
        for column, name, colour in series:
            values = rows[column].to_numpy(float)
            bar = pg.BarGraphItem(x0=np.minimum(0, values), width=np.abs(values), y=ys,
                                  height=BAR_HEIGHT if column != "S1" else BAR_HEIGHT / 2,
                                  brush=colour, pen=pg.mkPen(colour), name=name)
            self.plot.addItem(bar)
            self.bars.append(bar)
        main = "ST" if sobol else "mu_star"
        values, conf = rows[main].to_numpy(float), rows[f"{main}_conf"].to_numpy(float)
        self.plot.addItem(pg.ErrorBarItem(x=values, y=ys, left=conf, right=conf, beam=0.15,
                                          pen=pg.mkPen("#333", width=1)))
        self.plot.getAxis("left").setTicks([[(y, PARAMETERS[k].label) for y, k in
                                             zip(ys, rows["factor"])]])
        study = x.sensitivity_design
        self.plot.setLabel("bottom", "Sobol index (share of variance)" if sobol else
                           f"mu* ({METRIC[self.chooser.currentData()].unit})")
        self.note.setText(f"{study.method.capitalize()}, {len(study.samples):,} runs; "
                          "whiskers: 95 % intervals. "
                          + ("ST near 0: the factor does not matter." if sobol else
                             "mu*: the mean absolute effect of moving the factor."))

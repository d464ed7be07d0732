"""What an exploration found, drawn: the futures of one policy as points over two chosen
uncertainties, coloured by outcome, with PRIM's box on them and its rules in words; the
policies ranked; a bar chart of the sensitivity indices of one end metric.

Every figure comes from the Exploration as the model returned it, or from the model's
`discover` when another policy or outcome is chosen (issue 23 item 5); nothing is computed
here but positions on the screen.
"""
from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from gui.colours import OUTCOME_COLOURS, SERIES_COLOURS
from gui.docks.tornado import MetricChart
from model.engine import METRIC, OUTCOMES
from model.exploration.experiment import discover
from model.exploration.robustness import REGRET_MEANING
from model.exploration.sensitivity import NOT_DISTINGUISHABLE
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
        self.found: dict[tuple[str, str], object] = {}  # (policy, outcome) -> PRIM's result
        self.x_key, self.y_key = _combo("discoveryX", self), _combo("discoveryY", self)
        self.policy = _combo("discoveryPolicy", self)
        self.outcome = _combo("discoveryOutcome", self)
        self.outcome.setToolTip("The outcome PRIM looks for among the futures")
        for name in OUTCOMES:
            self.outcome.addItem(name, name)
        for box in (self.x_key, self.y_key):
            box.currentIndexChanged.connect(self._draw)
        for box in (self.policy, self.outcome):
            box.currentIndexChanged.connect(self._box_chosen)
        self.rules = QLabel("Run an exploration to see when the outcome happens.", self)
        self.rules.setObjectName("discoveryRules")
        self.rules.setTextFormat(Qt.TextFormat.RichText)
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
                          ("Futures of:", self.policy), ("Box for:", self.outcome)):
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
        self.found = {(x.discovery_policy, x.outcome): x.discovery}
        keys = [u.key for u in x.space]
        for box in (self.x_key, self.y_key):
            box.blockSignals(True)
            box.clear()
            for key in keys:
                box.addItem(PARAMETERS[key].label, key)
            box.blockSignals(False)
        self._axes_on(x.discovery)
        self.policy.blockSignals(True)
        self.policy.clear()
        for name in x.policies:
            self.policy.addItem(name, name)
        self.policy.setCurrentIndex(list(x.policies).index(x.discovery_policy))
        self.policy.blockSignals(False)
        self.outcome.blockSignals(True)
        self.outcome.setCurrentIndex(self.outcome.findData(x.outcome))
        self.outcome.blockSignals(False)
        self._draw()

    def _axes_on(self, found) -> None:
        """The axes on the box's restricted dimensions (the first two; else the first
        uncertainties), so a new box shows where it cuts."""
        keys = [u.key for u in self.exploration.space]
        restricted = list(found.box.restricted) if found is not None else []
        axes = (restricted + [k for k in keys if k not in restricted])[:2]
        for box, chosen in ((self.x_key, axes[0]), (self.y_key, axes[-1])):
            box.blockSignals(True)
            box.setCurrentIndex(keys.index(chosen))
            box.blockSignals(False)

    def _box_chosen(self, *_args) -> None:
        """Another policy or outcome: its box, with the axes on its restrictions."""
        if self.exploration is not None:
            self._axes_on(self.discovery())
        self._draw()

    def discovery(self):
        """PRIM's result for the policy and outcome chosen (the model's `discover`, once
        per choice); None when no future of that policy ended so."""
        x = self.exploration
        key = (self.policy.currentData(), self.outcome.currentData())
        if key not in self.found:
            self.found[key] = discover(x.rows, x.space, *key)
        return self.found[key]

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
        self.plot.setLabel("bottom", f"{PARAMETERS[kx].label} ({_unit(kx)})")
        self.plot.setLabel("left", f"{PARAMETERS[ky].label} ({_unit(ky)})")
        found = self.discovery()
        self.rules.setText(rules_text(found, policy, self.outcome.currentData()))
        if found is not None:
            self._draw_box(found, kx, ky)

    def _draw_box(self, found, kx: str, ky: str) -> None:
        limits = found.box.limits
        ix, iy = found.columns.index(kx), found.columns.index(ky)
        (x0, x1), (y0, y1) = limits[:, ix], limits[:, iy]
        self.box = pg.PlotCurveItem([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], pen=BOX_PEN,
                                    name="PRIM box")
        self.plot.addItem(self.box)



def _unit(key: str) -> str:
    unit = PARAMETERS[key].unit
    return f"{key}, {unit}" if unit else key


def rules_text(found, policy: str, outcome: str) -> str:
    """The box in words: its limits in the axis units, coverage, density, mass, volume as a
    share of the explored space (`PrimResult.rules`) and its significance in words."""
    if found is None:
        return f"No future ended {outcome} under {policy}: nothing to discover."
    labels = {k: f"{PARAMETERS[k].label} [{PARAMETERS[k].unit or k}]" for k in found.columns}
    text = (f"<b>Under {escape(policy)}, {escape(found.rules(outcome, labels))}.</b> "
            f"Significance: {escape(found.significance())}.")
    words = [f"{PARAMETERS[r['dimension']].label} (quasi-p {r['qp']:.1g})"
             for r in found.restrictions() if r["qp"] == r["qp"]]
    if words:
        text += " Restrictions: " + escape(", ".join(words)) + "."
    return text


class RobustnessTable(QTableWidget):
    COLUMNS = (("rank", "Rank", "{:d}"), ("policy", "Policy", "{}"),
               ("benign", "Benign", "{:.0%}"), ("mixed", "Mixed", "{:.0%}"),
               ("adverse", "Adverse", "{:.0%}"), ("not_adverse", "Not adverse", "{:.0%}"),
               ("regret_hhi_mean_mean", "Mean regret HHI", "{:,.0f}"),
               ("regret_active_smes_mean", "Mean regret SMEs", "{:,.1f}"),
               ("regret_dependency_index_mean", "Mean regret dependency", "{:.3f}"),
               ("regret_talent_gini_mean", "Mean regret Gini", "{:.3f}"),
               ("note", "Note", "{}"))

    def __init__(self, parent=None):
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("robustnessTable")
        self.setHorizontalHeaderLabels([c[1] for c in self.COLUMNS])
        self.verticalHeader().hide()
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for c, (key, _, _) in enumerate(self.COLUMNS):
            if key.startswith("regret_"):
                self.horizontalHeaderItem(c).setToolTip(REGRET_MEANING)

    def set_table(self, table: pd.DataFrame) -> None:
        self.setRowCount(len(table))
        for r, record in enumerate(table.to_dict("records")):
            for c, (key, _, fmt) in enumerate(self.COLUMNS):
                value = record.get(key, "")
                item = QTableWidgetItem(fmt.format(int(value) if key == "rank" else value))
                if key == "note":
                    item.setToolTip(str(value))  # the whole note (also under the table)
                if key not in ("policy", "note"):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                          Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)


class IndicesChart(MetricChart):
    """Horizontal bars of one metric's indices (Sobol: ST with S1 inside; Morris: mu*),
    as `model.exploration.sensitivity.judge` reads them: ranked factors on top with their
    rank ('=' where intervals overlap: a tie), then the factors not distinguishable from 0
    (grey, no rank); negative estimates drawn as 0, whiskers (95 % intervals) kept within
    the index's range, each said in the note."""

    def __init__(self, parent=None):
        super().__init__("indicesChart", "indicesMetric", "Choose Sobol or Morris before "
                         "running to see which factor matters most.", parent, **LEGEND)
        self.exploration = None
        self.bars: list[pg.BarGraphItem] = []
        self.labels: list[str] = []  # the tick labels, top first

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
        self.bars, self.labels = [], []
        x = self.exploration
        if x is None or x.sensitivity is None or self.chooser.currentData() is None:
            return
        sobol = x.sensitivity_design.method == "sobol"
        rows = x.top_factors(self.chooser.currentData(), TOP_BARS).iloc[::-1]
        ys = np.arange(len(rows), dtype=float)
        ranked = rows["distinguishable"].to_numpy(bool)
        series = [("ST", "total (ST)", SERIES_COLOURS[0]),
                  ("S1", "first order (S1)", SERIES_COLOURS[1])] \
            if sobol else [("mu_star", "mu*", SERIES_COLOURS[0])]
        for column, name, colour in series:
            values = rows[column].to_numpy(float)  # judged: negative estimates are 0
            height = BAR_HEIGHT if column != "S1" else BAR_HEIGHT / 2
            for mask, brush, label in ((ranked, colour, name),
                                       (~ranked, UNRANKED_COLOUR, None)):
                if not mask.any():
                    continue
                bar = pg.BarGraphItem(x0=np.zeros(mask.sum()), width=values[mask],
                                      y=ys[mask], height=height, brush=brush,
                                      pen=pg.mkPen(brush), name=label)
                self.plot.addItem(bar)
                self.bars.append(bar)
        clipped = self._whiskers(rows, ys, "ST" if sobol else "mu_star", sobol)
        every = x.top_factors(self.chooser.currentData(), len(x.sensitivity))["rank"]
        shared = set(every[every.duplicated()].dropna())  # ranks held by several: ties
        labels = [factor_label(r, shared) for r in rows.to_dict("records")]
        self.labels = labels[::-1]
        self.plot.getAxis("left").setTicks([list(zip(ys, labels))])
        study = x.sensitivity_design
        self.plot.setLabel("bottom", "Sobol index (share of variance)" if sobol else
                           f"mu* ({METRIC[self.chooser.currentData()].unit})")
        self.note.setText(indices_note(study, rows, clipped, sobol))

    def _whiskers(self, rows, ys, main: str, sobol: bool) -> bool:
        """The 95 % intervals around the (judged) estimates, kept within [0, 1] for a
        Sobol index (a share of variance) and above 0 for mu*; True when one was cut."""
        values, conf = rows[main].to_numpy(float), rows[f"{main}_conf"].to_numpy(float)
        low = np.clip(values - conf, 0.0, None)
        high = np.clip(values + conf, None, 1.0) if sobol else values + conf
        self.plot.addItem(pg.ErrorBarItem(x=values, y=ys, left=values - low,
                                          right=high - values, beam=0.15,
                                          pen=pg.mkPen("#333", width=1)))
        return bool((low > values - conf).any() or (high < values + conf).any())


UNRANKED_COLOUR = "#BBBBBB"


def factor_label(row: dict, shared=()) -> str:
    """'#1 Lock-in rate', '=2 Acquisition rate' (a tie), or 'Openness: not distinguishable
    from 0' (no rank)."""
    name = PARAMETERS[row["factor"]].label
    if not row["distinguishable"]:
        return f"{name}: {NOT_DISTINGUISHABLE}"
    tie = "=" if row["rank"] in shared else "#"
    return f"{tie}{int(row['rank'])} {name}"


def indices_note(study, rows, clipped: bool, sobol: bool) -> str:
    ranked = int(rows["distinguishable"].sum())
    parts = [f"{study.method.capitalize()}, {len(study.samples):,} runs; whiskers: 95 % "
             f"intervals. {ranked} of {len(rows)} shown are ranked; grey: "
             f"{NOT_DISTINGUISHABLE} (interval includes 0), not ranked; '=': a tie "
             "(overlapping intervals)."]
    if rows["note"].str.contains("reported as 0").any():
        parts.append("Negative estimates are drawn as 0 (noise at this sample size).")
    if clipped:
        parts.append("Whiskers cut at 0" + (" and 1" if sobol else "") +
                     " (an index cannot lie outside).")
    if sobol:
        parts.append("ST near 0: the factor does not matter.")
    return " ".join(parts)

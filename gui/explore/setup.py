"""What an exploration will sample and compare: the uncertainties (each explored over its
range, or held at the scenario's value), the policies (policy packages only), a world
assumption held in every future, and the numbers of the run.

The table is prefilled from the parameter registry's plausible ranges (with the reason in
the tooltip); a range is checked by the registry when the exploration starts, so a bad
value is reported there with its fix, never silently changed here.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from gui.spinboxes import SpinBox
from model.engine import DEFAULT_STEPS, MAX_STEPS, OUTCOMES
from model.exploration.futures import MAX_FUTURES
from model.exploration.sensitivity import METHODS
from model.parameters import LEVERS, PARAMETERS, POLICIES, UNCERTAIN, WORLDS

SHOWN_DIGITS = 4  # significant digits of a bound in the table (a calibrated one has 15)


def bound_item(value: float) -> QTableWidgetItem:
    """A bound shown short and positional ("0.00005998", not "5.99754e-05"); the exact
    value rides along, so an untouched bound explores the range it came from."""
    item = QTableWidgetItem(np.format_float_positional(
        float(value), precision=SHOWN_DIGITS, unique=True, fractional=False, trim="-"))
    item.setData(Qt.ItemDataRole.UserRole, repr(float(value)))
    return item


def typed_bound(item: QTableWidgetItem) -> str:
    """The text as typed, or the exact value when the shown text was left as it was."""
    text = item.text().strip()
    exact = item.data(Qt.ItemDataRole.UserRole)
    shown = bound_item(float(exact)).text() if exact is not None else None
    return exact if text == shown else text

# the uncertain coefficients (ticked), then the levers: a policy sets them, unless one is
# ticked to be explored as uncertain instead (it then varies in every policy's futures)
ROW_KEYS = (*UNCERTAIN, *LEVERS)
COLUMNS = ("Explore", "Coefficient", "Low", "High", "Default")
DEFAULT_FUTURES = 1000
CURRENT = "current"
DEFAULT_POLICIES = (CURRENT, "benign_policy", "adverse_policy")


class SetupPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("exploreSetup")
        self.table = QTableWidget(len(ROW_KEYS), len(COLUMNS), self)
        self.table.setObjectName("uncertaintiesTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.reset_ranges()
        self.policies = QListWidget(self)
        self.policies.setObjectName("explorePolicies")
        for name in (CURRENT, *POLICIES):
            title = "the scenario as drawn" if name == CURRENT else POLICIES[name].title
            item = QListWidgetItem(f"{name}: {title}")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in DEFAULT_POLICIES
                               else Qt.CheckState.Unchecked)
            self.policies.addItem(item)
        self.policies.setMaximumHeight(130)
        self.futures = self._spin("exploreFutures", 1, MAX_FUTURES, DEFAULT_FUTURES, 100)
        self.steps = self._spin("exploreSteps", 1, MAX_STEPS, DEFAULT_STEPS, 4)
        self.seed = self._spin("exploreSeed", 0, 2 ** 31 - 1, 0, 1)
        self.method = QComboBox(self)
        self.method.setObjectName("exploreMethod")
        for name in METHODS:
            self.method.addItem(name.capitalize(), name)
        self.method.addItem("None", None)
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("exploreOutcome")
        for name in OUTCOMES:
            self.outcome.addItem(name, name)
        self.world = self._world_chooser()
        self.range_source = self._range_chooser()
        self.reset_ranges()  # the chosen ranges (built before the table was filled)
        self._layout()

    def _world_chooser(self) -> QComboBox:
        """None (every uncertainty sampled) or a world assumption held in every future."""
        box = QComboBox(self)
        box.setObjectName("exploreWorld")
        box.addItem("none: sample every ticked coefficient", None)
        for key, world in WORLDS.items():
            box.addItem(f"{key}: {world.title}", key)
            held = ", ".join(f"{k} = {v:g}" for k, v in world.values.items())
            box.setItemData(box.count() - 1, f"{world.description} Held in every future: "
                                             f"{held}", Qt.ItemDataRole.ToolTipRole)
        return box

    def _range_chooser(self) -> QComboBox:
        """Calibrated ranges (when `calibrate` left a resource that matches the data) or
        plausible ones; choosing fills the table (model.calibration.store decides)."""
        from model.calibration.store import CALIBRATED, PLAUSIBLE, choose_ranges

        self._choices = {PLAUSIBLE: choose_ranges(PLAUSIBLE), None: choose_ranges(None)}
        box = QComboBox(self)
        box.setObjectName("exploreRanges")
        box.addItem("calibrated (kept by history matching)", CALIBRATED)
        box.addItem("plausible (the registry's)", PLAUSIBLE)
        usable = self._choices[None].name == CALIBRATED
        box.model().item(0).setEnabled(usable)
        box.setToolTip(self._choices[None].note)
        box.setCurrentIndex(0 if usable else 1)
        box.currentIndexChanged.connect(self.reset_ranges)
        return box

    def range_choice(self):
        """The RangeChoice the table's ranges came from."""
        key = self.range_source.currentData() if hasattr(self, "range_source") else None
        return self._choices[None] if key == "calibrated" else self._choices["plausible"]

    def _spin(self, name: str, low: int, high: int, value: int, step: int) -> QSpinBox:
        box = SpinBox(self)
        box.setObjectName(name)
        box.setRange(low, high)
        box.setValue(value)
        box.setSingleStep(step)
        box.setGroupSeparatorShown(True)
        return box

    def _layout(self) -> None:
        reset = QPushButton("Reset ranges", self)
        reset.setObjectName("exploreResetRanges")
        reset.clicked.connect(self.reset_ranges)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("<b>What we do not know</b> (unticked: the scenario's or "
                                 "the policy's value)", self), 1)
        heading.addWidget(reset)
        form = QFormLayout()
        form.addRow("Futures:", self.futures)
        form.addRow("Quarters:", self.steps)
        form.addRow("Seed:", self.seed)
        form.addRow("Sensitivity:", self.method)
        form.addRow("Discover when:", self.outcome)
        form.addRow("World:", self.world)
        form.addRow("Ranges:", self.range_source)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("<b>Policies</b> (each future runs under each)", self))
        layout.addWidget(self.policies)
        layout.addLayout(form)

    def reset_ranges(self) -> None:
        calibrated = self.range_choice().ranges if hasattr(self, "_choices") else {}
        for row, key in enumerate(ROW_KEYS):
            p = PARAMETERS[key]
            lever = key in LEVERS
            use = QTableWidgetItem()
            use.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            use.setCheckState(Qt.CheckState.Unchecked if lever else Qt.CheckState.Checked)
            use.setData(Qt.ItemDataRole.UserRole, key)
            name = QTableWidgetItem(f"{p.label} (lever)" if lever else p.label)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            why = ("a policy lever: each policy sets it; tick it to explore it as uncertain "
                   "instead" if lever else p.plausible_reason)
            name.setToolTip(f"{key}: {why} (hard range {p.low:g} to {p.high:g})")
            low, high = (p.low, p.high) if lever else calibrated.get(key, p.plausible)
            cells = [use, name, bound_item(low), bound_item(high), bound_item(p.default)]
            cells[4].setFlags(Qt.ItemFlag.ItemIsEnabled)
            for col, item in enumerate(cells):
                self.table.setItem(row, col, item)

    # --- what the exploration takes -----------------------------------------------------------

    def ranges(self) -> tuple[dict[str, tuple[str, str]], list[str]]:
        """(the ticked keys with their ranges as typed, the keys held fixed: unticked, or
        held by the chosen world)."""
        ranges, held = {}, []
        world = WORLDS[self.world.currentData()].values if self.world.currentData() else {}
        for row in range(self.table.rowCount()):
            key = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            if self.table.item(row, 0).checkState() == Qt.CheckState.Checked and \
                    key not in world:
                ranges[key] = (typed_bound(self.table.item(row, 2)),
                               typed_bound(self.table.item(row, 3)))
            else:
                held.append(key)
        return ranges, held

    def set_range(self, key: str, low: str, high: str, explored: bool = True) -> None:
        row = ROW_KEYS.index(key)
        self.table.item(row, 2).setText(low)
        self.table.item(row, 3).setText(high)
        self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if explored
                                              else Qt.CheckState.Unchecked)

    def chosen_policies(self) -> list[str]:
        return [self.policies.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.policies.count())
                if self.policies.item(i).checkState() == Qt.CheckState.Checked]

    def set_policies(self, names) -> None:
        for i in range(self.policies.count()):
            item = self.policies.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in names else Qt.CheckState.Unchecked)

    def settings(self) -> dict:
        return {"futures": self.futures.value(), "steps": self.steps.value(),
                "seed": self.seed.value(), "method": self.method.currentData(),
                "outcome": self.outcome.currentData(), "policies": self.chosen_policies(),
                "world": self.world.currentData(), "ranges": self.range_choice()}

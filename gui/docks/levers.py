"""The policy levers (sliders with number boxes), the presets, the advanced coefficients,
the start quarter, and each parameter's schedule over the run (a timeline under each
lever, a column of them beside the advanced coefficients).

A slider drag is one undo step: its commands carry the same merge key and merge
(`SetParameters.mergeWith`); so is a drag of a change along a timeline. Applying a preset
(its values and its schedules) is one step too.
"""
from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSlider, QToolButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from gui.docks.appearances import AppearanceStrip
from gui.docks.fields import set_spin
from gui.docks.timeline import LeverTimeline
from gui.spinboxes import DoubleSpinBox, SpinBox
from model import schema
from model.calendar import FIRST_YEAR, LAST_YEAR, Quarter
from model.engine import DEFAULT_STEPS
from model.parameters import (DEFAULTS, GROUPS, KINDS, LEVER, LEVERS, PARAMETERS, PRESETS,
                              Parameter, presets_of)
from model.errors import InputError
from model.schedules import FIXED, from_preset

NO_PRESET = "(no preset: the values as set)"

SLIDER_STEPS = 1000
PRESET_CHARS = 18  # the preset box's width in characters (its list shows the full titles)
SLIDER_MIN_WIDTH = 140  # a lever's slider: 0.1 of its range is 14 px or more


def parameter_tooltip(p: Parameter) -> str:
    symbol = f" ({p.symbol})" if p.symbol else ""
    return (f"<b>{p.label}</b>{symbol}<br>{p.meaning}<br>unit: {p.unit}<br>"
            f"range: {p.low:g} to {p.high:g}; default {p.default:g}")


def parameter_spin(p: Parameter, parent=None) -> QDoubleSpinBox:
    spin = DoubleSpinBox(parent)
    span = p.high - p.low
    spin.setDecimals(0 if p.integer else (3 if span <= 2 else 2))
    spin.setRange(p.low, p.high)
    spin.setSingleStep(1.0 if p.integer or span > 20 else 0.01 if span <= 2 else 0.1)
    spin.setKeyboardTracking(False)
    spin.setToolTip(parameter_tooltip(p))
    spin.setObjectName(f"param_{p.key}")
    return spin


class LeversPanel(QWidget):
    def __init__(self, editor, parent=None):
        super().__init__(parent)
        self.editor = editor
        self.doc = editor.doc
        self.sliders: dict[str, QSlider] = {}
        self.spins: dict[str, QDoubleSpinBox] = {}
        self.timelines: dict[str, LeverTimeline] = {}
        self.compact = False  # workshop mode (set_compact)
        self.steps = DEFAULT_STEPS  # the run bar's: the timelines span the run
        self._gestures = itertools.count(1)
        self._gesture: dict[str, int] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._preset_row())
        layout.addLayout(self._start_row())
        layout.addLayout(self._lever_grid())
        layout.addWidget(self._advanced_toggle())
        layout.addWidget(self._advanced_tree(), 1)
        layout.addStretch(0)
        editor.listen(self.doc.parameters_changed, self.refresh)
        editor.listen(self.doc.schedules_changed, self.refresh)
        editor.listen(self.doc.reset, self.refresh)
        editor.listen(self.doc.node_changed, self._node_changed)
        editor.listen(self.doc.node_added, self.appearances.refresh)
        editor.listen(self.doc.node_removed, self.appearances.refresh)
        self.refresh()

    # --- building --------------------------------------------------------------------------------

    def _preset_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.presets = self._preset_chooser()
        apply = QPushButton("Apply", self)
        apply.setObjectName("applyPreset")
        apply.setToolTip("Set the preset's values (one undo step)")
        apply.clicked.connect(lambda: self.presets.currentData() and
                              self.apply_preset(self.presets.currentData()))
        defaults = QPushButton("Defaults", self)
        defaults.setObjectName("resetParameters")
        defaults.setToolTip("Put every parameter back to its default (one undo step)")
        defaults.clicked.connect(self.reset_defaults)
        row.addWidget(QLabel("Preset:"))
        row.addWidget(self.presets, 1)
        row.addWidget(apply)
        row.addWidget(defaults)
        return row

    def _preset_chooser(self) -> QComboBox:
        """The presets under a heading per kind (scenarios, policy packages, world
        assumptions); a heading cannot be chosen."""
        box = QComboBox(self)
        box.setObjectName("presetChooser")
        for kind, heading in KINDS.items():
            box.addItem(heading, None)
            box.model().item(box.count() - 1).setEnabled(False)
            for preset in presets_of(kind).values():
                parts = f" ({' + '.join(preset.parts)})" if preset.parts else ""
                box.addItem(f"    {preset.title}{parts}", preset.key)
                box.setItemData(box.count() - 1, f"{preset.key}: {preset.description}",
                                Qt.ItemDataRole.ToolTipRole)
        box.setPlaceholderText(NO_PRESET)
        # a short box (the full titles are in its list): at the workshop type the longest
        # title made the dock 870 px wide and the room's map less than half the screen
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(PRESET_CHARS)
        box.setCurrentIndex(-1)  # refresh shows the preset the values are, if one
        return box

    def _start_row(self) -> QHBoxLayout:
        """The quarter of step 0: a year and a quarter."""
        row = QHBoxLayout()
        self.start_year = SpinBox(self)
        self.start_year.setObjectName("startYear")
        self.start_year.setRange(FIRST_YEAR, LAST_YEAR)
        self.start_quarter = QComboBox(self)
        self.start_quarter.setObjectName("startQuarter")
        self.start_quarter.addItems(["Q1", "Q2", "Q3", "Q4"])
        tip = "The quarter of step 0: plots, tables and the workbook count quarters from it"
        for widget in (self.start_year, self.start_quarter):
            widget.setToolTip(tip)
        self.start_year.valueChanged.connect(self._start_chosen)
        self.start_quarter.currentIndexChanged.connect(self._start_chosen)
        self.span = QLabel(self)
        self.span.setObjectName("runSpan")
        label = QLabel("Runs start in:", self)
        row.addWidget(label)
        row.addWidget(self.start_year)
        row.addWidget(self.start_quarter)
        row.addWidget(self.span, 1)
        self._desk_only = [label, self.start_year, self.start_quarter, self.span]
        return row

    def _start_chosen(self, *_args) -> None:
        start = Quarter.of(self.start_year.value(), self.start_quarter.currentIndex() + 1)
        if start != self.doc.start:
            self.editor.set_start(start)

    def _node_changed(self, _node_id, changes) -> None:
        if any(field in changes for field in schema.WINDOW_FIELDS):
            self.appearances.refresh()

    def set_compact(self, on: bool) -> None:
        """Workshop mode: a timeline only under a lever with a schedule (a fixed lever's
        value is in its box), the years under the last one shown, so every lever fits."""
        self.compact = bool(on)
        self._show_timelines()
        # the start quarter and the coefficients are the desk's: the room's curves need
        # the height (a setting made before the workshop still holds)
        for widget in (*self._desk_only, self.toggle):
            widget.setVisible(not self.compact)
        if self.compact and self.toggle.isChecked():
            self.toggle.setChecked(False)

    def _show_timelines(self) -> None:
        shown = [key for key in LEVERS if not self.compact or self.doc.schedules.get(key)]
        last = shown[-1] if shown else None
        for key in LEVERS:
            self.timelines[key].setVisible(key in shown)
            self.timelines[key].set_show_years(not self.compact or key == last)

    def set_steps(self, steps: int) -> None:
        """The run's length (the run bar's steps): the timelines span it."""
        self.steps = int(steps)
        self.refresh()

    def _lever_grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        # when elements appear or vanish, on the timelines' axis (row 0, their columns)
        self.appearances = AppearanceStrip(self, self)
        grid.addWidget(self.appearances, 0, 1, 1, 2)
        for n, key in enumerate(LEVERS):
            row = 2 * n + 1
            p = PARAMETERS[key]
            label = QLabel(p.label, self)
            label.setToolTip(parameter_tooltip(p))
            slider = QSlider(Qt.Orientation.Horizontal, self)
            slider.setObjectName(f"lever_{key}")
            slider.setRange(0, SLIDER_STEPS)
            slider.setPageStep(SLIDER_STEPS // 10)
            slider.setToolTip(parameter_tooltip(p))
            slider.setMinimumWidth(SLIDER_MIN_WIDTH)
            slider.sliderPressed.connect(lambda k=key: self._new_gesture(k))
            slider.valueChanged.connect(lambda v, k=key: self._slider_moved(k, v))
            spin = parameter_spin(p, self)
            spin.valueChanged.connect(lambda v, k=key: self._set(k, v, ("spin", k)))
            grid.addWidget(label, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(spin, row, 2)
            timeline = LeverTimeline(self, key, self)
            grid.addWidget(timeline, row + 1, 1, 1, 2)
            self.sliders[key], self.spins[key], self.timelines[key] = slider, spin, timeline
        grid.setColumnStretch(1, 1)
        return grid

    def _advanced_toggle(self) -> QToolButton:
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("advancedToggle")
        self.toggle.setText("Advanced coefficients")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self._show_advanced)
        return self.toggle

    def _advanced_tree(self) -> QTreeWidget:
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("advancedTree")
        self.tree.setHeaderLabels(["Coefficient", "Value", "Unit", "Over the run"])
        self.tree.setColumnCount(4)
        for group in GROUPS:
            if group == LEVER:
                continue
            top = QTreeWidgetItem(self.tree, [group.capitalize()])
            for p in PARAMETERS.values():
                if p.group != group:
                    continue
                item = QTreeWidgetItem(top, [p.label, "", p.unit])
                item.setToolTip(0, parameter_tooltip(p))
                spin = parameter_spin(p)
                spin.valueChanged.connect(lambda v, k=p.key: self._set(k, v, ("spin", k)))
                self.tree.setItemWidget(item, 1, spin)
                self.spins[p.key] = spin
                if p.key not in FIXED:
                    timeline = LeverTimeline(self, p.key)
                    timeline.set_show_years(False)  # a row of a table: no year line
                    timeline.setMinimumWidth(160)
                    self.tree.setItemWidget(item, 3, timeline)
                    self.timelines[p.key] = timeline
        self.tree.setVisible(False)
        self.tree.resizeColumnToContents(0)
        return self.tree

    def _show_advanced(self, shown: bool) -> None:
        self.tree.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    # --- edits -----------------------------------------------------------------------------------

    def _new_gesture(self, key: str) -> None:
        self._gesture[key] = next(self._gestures)

    def _slider_moved(self, key: str, position: int) -> None:
        p = PARAMETERS[key]
        value = p.low + (p.high - p.low) * position / SLIDER_STEPS
        if p.integer:
            value = round(value)
        gesture = self._gesture.get(key, 0) if self.sliders[key].isSliderDown() else "keys"
        self._set(key, value, ("slider", key, gesture))

    def _set(self, key: str, value: float, merge_key) -> None:
        if abs(value - self.doc.parameters[key]) < 1e-12:
            return
        self.editor.set_parameters({key: value}, f"Set {PARAMETERS[key].label}", merge_key)
        self.refresh()

    def apply_preset(self, name: str) -> bool:
        """The preset's values and schedules (dated changes on the calendar, relative ones
        counted from the start quarter), as one undo step."""
        preset = PRESETS[name]
        schedules = dict(from_preset(preset.schedule, self.doc.start))
        values = {k: v for k, v in preset.values.items() if v != self.doc.parameters[k]}
        return self.editor.apply_values_and_schedules(values, schedules,
                                                      f"Apply preset {preset.title}")

    def reset_defaults(self) -> bool:
        """Every parameter to its default and constant through the run (one undo step)."""
        changed = {k: DEFAULTS[k] for k in self.doc.parameters.changed()}
        schedules = dict.fromkeys(self.doc.schedules)
        return bool(changed or schedules) and self.editor.apply_values_and_schedules(
            changed, schedules, "Reset parameters")

    def matching_preset(self) -> str | None:
        """The first preset (scenarios first) whose every value and schedule the document
        holds; None when the values are no preset's (the box then says so)."""
        for i in range(self.presets.count()):
            key = self.presets.itemData(i)
            if key is None:
                continue
            preset = PRESETS[key]
            try:
                schedules = dict(from_preset(preset.schedule, self.doc.start))
            except InputError:  # its changes fall past the calendar's end: not this one
                continue
            if not (preset.values or schedules):
                continue
            if all(self.doc.parameters[k] == v for k, v in preset.values.items()) and \
                    all(self.doc.schedules.get(k) == s for k, s in schedules.items()):
                return key
        return None

    def _show_preset(self) -> None:
        key = self.matching_preset()
        self.presets.blockSignals(True)
        self.presets.setCurrentIndex(-1 if key is None else self.presets.findData(key))
        self.presets.blockSignals(False)

    def refresh(self, *_args) -> None:
        self._show_preset()
        start = self.doc.start
        for widget, value in ((self.start_year, start.year),):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
        self.start_quarter.blockSignals(True)
        self.start_quarter.setCurrentIndex(start.quarter - 1)
        self.start_quarter.blockSignals(False)
        self.span.setText(f"to {(start + self.steps).label} ({self.steps} quarters)")
        for timeline in self.timelines.values():
            timeline._tip()
            timeline.update()
        self.appearances.refresh()
        self._show_timelines()  # a schedule set or cleared in workshop mode
        values = self.doc.parameters
        for key, spin in self.spins.items():
            set_spin(spin, values[key])
        for key, slider in self.sliders.items():
            p = PARAMETERS[key]
            slider.blockSignals(True)
            slider.setValue(round((values[key] - p.low) / (p.high - p.low) * SLIDER_STEPS))
            slider.blockSignals(False)

"""The policy levers (sliders with number boxes), the presets, and the advanced coefficients.

A slider drag is one undo step: its commands carry the same merge key and merge
(`SetParameters.mergeWith`). Applying a preset is one step too.
"""
from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSlider, QToolButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from gui.docks.fields import set_spin
from model.parameters import DEFAULTS, GROUPS, LEVER, LEVERS, PARAMETERS, PRESETS, Parameter

SLIDER_STEPS = 1000


def parameter_tooltip(p: Parameter) -> str:
    symbol = f" ({p.symbol})" if p.symbol else ""
    return (f"<b>{p.label}</b>{symbol}<br>{p.meaning}<br>unit: {p.unit}<br>"
            f"range: {p.low:g} to {p.high:g}; default {p.default:g}")


def parameter_spin(p: Parameter, parent=None) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(parent)
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
        self._gestures = itertools.count(1)
        self._gesture: dict[str, int] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._preset_row())
        layout.addLayout(self._lever_grid())
        layout.addWidget(self._advanced_toggle())
        layout.addWidget(self._advanced_tree(), 1)
        layout.addStretch(0)
        editor.listen(self.doc.parameters_changed, self.refresh)
        editor.listen(self.doc.reset, self.refresh)
        self.refresh()

    # --- building --------------------------------------------------------------------------------

    def _preset_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.presets = QComboBox(self)
        self.presets.setObjectName("presetChooser")
        for preset in PRESETS.values():
            self.presets.addItem(preset.title, preset.key)
            self.presets.setItemData(self.presets.count() - 1, preset.description,
                                     Qt.ItemDataRole.ToolTipRole)
        apply = QPushButton("Apply", self)
        apply.setObjectName("applyPreset")
        apply.setToolTip("Set the preset's values (one undo step)")
        apply.clicked.connect(lambda: self.apply_preset(self.presets.currentData()))
        defaults = QPushButton("Defaults", self)
        defaults.setObjectName("resetParameters")
        defaults.setToolTip("Put every parameter back to its default (one undo step)")
        defaults.clicked.connect(self.reset_defaults)
        row.addWidget(QLabel("Preset:"))
        row.addWidget(self.presets, 1)
        row.addWidget(apply)
        row.addWidget(defaults)
        return row

    def _lever_grid(self) -> QGridLayout:
        grid = QGridLayout()
        for row, key in enumerate(LEVERS):
            p = PARAMETERS[key]
            label = QLabel(p.label, self)
            label.setToolTip(parameter_tooltip(p))
            slider = QSlider(Qt.Orientation.Horizontal, self)
            slider.setObjectName(f"lever_{key}")
            slider.setRange(0, SLIDER_STEPS)
            slider.setPageStep(SLIDER_STEPS // 10)
            slider.setToolTip(parameter_tooltip(p))
            slider.sliderPressed.connect(lambda k=key: self._new_gesture(k))
            slider.valueChanged.connect(lambda v, k=key: self._slider_moved(k, v))
            spin = parameter_spin(p, self)
            spin.valueChanged.connect(lambda v, k=key: self._set(k, v, ("spin", k)))
            grid.addWidget(label, row, 0)
            grid.addWidget(slider, row, 1)
            grid.addWidget(spin, row, 2)
            self.sliders[key], self.spins[key] = slider, spin
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
        self.tree.setHeaderLabels(["Coefficient", "Value", "Unit"])
        self.tree.setColumnCount(3)
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
        preset = PRESETS[name]
        return self.editor.set_parameters(dict(preset.values), f"Apply preset {preset.title}")

    def reset_defaults(self) -> bool:
        changed = {k: DEFAULTS[k] for k in self.doc.parameters.changed()}
        return bool(changed) and self.editor.set_parameters(changed, "Reset parameters")

    def refresh(self, *_args) -> None:
        values = self.doc.parameters
        for key, spin in self.spins.items():
            set_spin(spin, values[key])
        for key, slider in self.sliders.items():
            p = PARAMETERS[key]
            slider.blockSignals(True)
            slider.setValue(round((values[key] - p.low) / (p.high - p.low) * SLIDER_STEPS))
            slider.blockSignals(False)

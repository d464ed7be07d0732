"""Validated editor widgets built from `model.schema` FieldSpecs (ranges, units, meanings)."""
from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QPlainTextEdit

from gui.spinboxes import DoubleSpinBox
from model import schema

SPIN_MAX = 1e9


def field_label(spec: schema.FieldSpec) -> str:
    unit = f" ({spec.unit})" if spec.unit else ""
    return f"{spec.name.replace('_', ' ')}{unit}"


def field_tooltip(spec: schema.FieldSpec) -> str:
    bounds = spec.range_text()
    return f"{spec.meaning}" + (f"\nallowed: {bounds}" if bounds else "")


def spin_for(spec: schema.FieldSpec, parent=None) -> QDoubleSpinBox:
    """A spin box limited to the field's range; typed values apply on Enter or focus out."""
    spin = DoubleSpinBox(parent)
    low = spec.low if spec.low is not None else -SPIN_MAX
    high = spec.high if spec.high is not None and spec.high < schema.BIG else SPIN_MAX
    small = high <= 1.0
    decimals = 3 if small else 2
    if spec.low_open:
        low += 10 ** -decimals
    spin.setDecimals(decimals)
    spin.setRange(low, high)
    spin.setSingleStep(0.05 if small else 1.0)
    spin.setKeyboardTracking(False)
    spin.setAccelerated(True)
    spin.setToolTip(field_tooltip(spec))
    spin.setObjectName(f"field_{spec.name}")
    return spin


def set_spin(spin: QDoubleSpinBox, value) -> None:
    """Shows a value without emitting valueChanged (refreshes are not edits)."""
    spin.blockSignals(True)
    spin.setValue(0.0 if value is None or (isinstance(value, float) and math.isnan(value))
                  else float(value))
    spin.blockSignals(False)


def read_only(text: str, parent=None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(label.textInteractionFlags().TextSelectableByMouse)
    label.setObjectName("readOnly")
    return label


def differs(a, b, tolerance: float = 1e-9) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) > tolerance * max(1.0, abs(float(b)))
        except (TypeError, ValueError):
            return True
    return a != b


class NotesEdit(QPlainTextEdit):
    """A multi-line text that reports its text when it loses focus (one undo step)."""

    committed = Signal(str)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.committed.emit(self.toPlainText())

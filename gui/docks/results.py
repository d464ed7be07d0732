"""Placeholder for the run results (filled by the simulation issue)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def results_placeholder(parent=None) -> QLabel:
    label = QLabel("Run results appear here", parent)
    label.setObjectName("resultsPlaceholder")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setEnabled(False)
    return label

"""Where the application keeps its settings and its data (recovery files, crash logs).

Tests redirect both: `QSettings.setPath` for the INI settings, and a `data_dir` argument.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

ORGANISATION = "AIEcosystemPlanner"
APPLICATION = "AI Ecosystem Planner"


def app_settings() -> QSettings:
    """INI settings in the user scope (a path that tests can redirect)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION,
                     APPLICATION)


def default_data_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".ai-ecosystem-planner")

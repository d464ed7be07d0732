"""A scenario as a workbook (Nodes, Edges, Parameters): what `convert` writes for `.xlsx`."""
from __future__ import annotations

import os

from openpyxl import Workbook

from model import __version__
from model.files import textgate
from model.files.atomic import write_atomic
from model.scenario import Project, Scenario
from model.workbook.cells import clean_text
from model.workbook.network_sheets import write_network, write_parameters

WORKBOOK = "a workbook"  # how warnings name the format


def new_workbook(scenario: Scenario, subject: str) -> Workbook:
    """A write-only workbook whose document properties carry the scenario's notes."""
    wb = Workbook(write_only=True)
    wb.properties.title = clean_text(scenario.title)[:250]
    wb.properties.creator = clean_text(scenario.author or "AI Ecosystem Planner")[:250]
    wb.properties.description = clean_text(scenario.notes)
    wb.properties.subject = subject
    wb.properties.keywords = f"AI Ecosystem Planner {__version__}"
    return wb


def save_scenario_workbook(project: Project | Scenario, path: str | os.PathLike, *,
                           notes: list[str] | None = None) -> None:
    """Writes the active variant's network and parameters, atomically. A warning about
    characters the workbook cannot hold (replaced by U+FFFD) is appended to `notes`."""
    scenario = project.current if isinstance(project, Project) else project
    with textgate.collecting(WORKBOOK, notes):
        wb = new_workbook(scenario, "AI ecosystem scenario")
        write_network(wb, scenario.network)
        write_parameters(wb, scenario)
        write_atomic(path, wb.save, to="file")

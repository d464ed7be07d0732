"""Scenario files: the project's JSON format, GraphML, workbooks and CSV pairs.

`load_file` and `save_file` choose the format from the extension. JSON holds every variant
of a project; GraphML and the workbook hold one scenario, so saving a project of several
variants to them writes the active one only and says so in the returned notes. A CSV
network is read from a `…nodes.csv` and `…edges.csv` pair. `read_file` also tells which
values the file left out and took defaults (`Loaded.defaults`), for the CLI and the GUI to
report.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from model.errors import InputError
from model.files.atomic import backup_path, write_atomic, write_bytes_atomic
from model.files.defaults import Defaulted, Defaults, DefaultsLog
from model.files.graphml import load_graphml
from model.files.graphml_export import save_graphml
from model.files.jsonfile import (FORMAT, VERSION, load_project, project_from_dict,
                                  project_to_dict, save_project)
from model.files.limits import MAX_BYTES, file_label, suffix_of
from model.files.nxconvert import from_networkx, to_networkx
from model.scenario import Project, Scenario

SUPPORTED = (".json", ".graphml", ".xlsx")
_IMPORT_ONLY = (".csv",)


@dataclass(frozen=True)
class Loaded:
    """A file read: the project, and the values it left out that took defaults."""

    project: Project
    defaults: Defaults


def read_file(path: str | os.PathLike, *, strict: bool = True,
              max_bytes: int = MAX_BYTES) -> Loaded:
    """Read a scenario file of any supported format; InputError on anything wrong."""
    suffix = _suffix(path, SUPPORTED + _IMPORT_ONLY)
    log = DefaultsLog(file_label(path))
    options = {"strict": strict, "max_bytes": max_bytes, "defaults": log}
    if suffix == ".json":
        project = load_project(path, **options)
    elif suffix == ".xlsx":
        from model.workbook.reader import read_workbook

        project = read_workbook(path, **options)
    elif suffix == ".csv":
        from model.workbook.reader import read_csv_pair

        project = read_csv_pair(path, **options)
    else:
        project = load_graphml(path, **options)
    return Loaded(project, log.result())


def load_file(path: str | os.PathLike, *, strict: bool = True,
              max_bytes: int = MAX_BYTES) -> Project:
    """The project of `read_file`, for callers that do not report defaults."""
    return read_file(path, strict=strict, max_bytes=max_bytes).project


def save_file(project: Project | Scenario, path: str | os.PathLike) -> tuple[str, ...]:
    """Save atomically in the format of the extension; returns notes for the user (what
    the format could not hold: other variants, characters written as U+FFFD)."""
    if isinstance(project, Scenario):
        project = Project.single(project)
    suffix = _suffix(path, SUPPORTED)
    notes: list[str] = []
    if suffix == ".json":
        save_project(project, path, notes=notes)
        return tuple(notes)
    if suffix == ".xlsx":
        from model.workbook.scenario_book import save_scenario_workbook

        save_scenario_workbook(project, path, notes=notes)
    else:
        save_graphml(project, path, notes=notes)
    if len(project.variants) > 1:
        kind = "A workbook" if suffix == ".xlsx" else "GraphML"
        notes.insert(0, f"{kind} holds one scenario: only the active variant "
                        f"{project.current.name!r} was written to {Path(path).name}; save "
                        f"as .json to keep all {len(project.variants)} variants")
    return tuple(notes)


def _suffix(path: str | os.PathLike, known: tuple[str, ...]) -> str:
    suffix = suffix_of(path)
    if suffix not in known:
        shown = f"the extension {suffix!r}" if suffix else "no extension"
        raise InputError(f"{shown} is not a scenario format this tool knows here",
                         file=file_label(path), fix=f"use one of: {', '.join(known)}")
    return suffix


__all__ = ["FORMAT", "VERSION", "MAX_BYTES", "SUPPORTED", "Loaded", "Defaults", "Defaulted",
           "read_file", "load_file", "save_file",
           "load_project", "save_project", "project_to_dict", "project_from_dict",
           "load_graphml", "save_graphml", "to_networkx", "from_networkx", "write_atomic",
           "write_bytes_atomic", "backup_path"]

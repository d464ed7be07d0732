"""What the commands share: reading a SCENARIO argument and applying --preset and --set."""
from __future__ import annotations

from collections.abc import Iterable

from model.errors import InputError
from model.scenario import Project, Scenario


def load_project_arg(spec: str, seed: int = 0, *, strict: bool = True) -> Project:
    """A built-in name (`default`, `synthetic:N`) or a scenario file, as a project."""
    from model.builtin import resolve_builtin

    builtin = resolve_builtin(spec, seed)
    if builtin is not None:
        return Project.single(builtin)
    from model.files import load_file

    return load_file(spec, strict=strict)


def load_scenario_arg(spec: str, seed: int = 0) -> Scenario:
    """The active variant of a built-in name or a scenario file."""
    return load_project_arg(spec, seed).current


def parse_sets(sets: Iterable[str]) -> dict[str, str]:
    """`--set KEY=VALUE` options as a dict; values are checked by the registry later."""
    values = {}
    for item in sets or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--set {item!r} is not KEY=VALUE",
                             fix="write for example --set antitrust_enforcement=0.8")
        values[key.strip()] = value.strip()
    return values


def apply_overrides(scenario: Scenario, preset: str | None, sets: Iterable[str]) -> Scenario:
    """The scenario with a preset applied first, then each --set (checked against the registry)."""
    if preset:
        scenario = scenario.with_preset(preset)
    values = parse_sets(sets)
    return scenario.with_parameters(**values) if values else scenario

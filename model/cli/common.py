"""What the commands share: reading a SCENARIO argument and applying --start, --preset,
--set and --schedule."""
from __future__ import annotations

import sys
from collections.abc import Iterable

from model.calendar import Quarter, run_end
from model.errors import InputError
from model.scenario import Project, Scenario
from model.schedules import Schedule, parse_assignment


def load_project_arg(spec: str, seed: int = 0, *, strict: bool = True) -> Project:
    """A built-in name (`default`, `synthetic:N`) or a scenario file, as a project. A file
    that left out values the format expects gets one note on stderr saying which took
    defaults (the exit status stays 0)."""
    from model.builtin import resolve_builtin

    builtin = resolve_builtin(spec, seed)
    if builtin is not None:
        return Project.single(builtin)
    from model.files import read_file

    loaded = read_file(spec, strict=strict)
    if loaded.defaults:
        print(loaded.defaults.note(), file=sys.stderr)
    return loaded.project


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


def apply_overrides(scenario: Scenario, preset: str | None, sets: Iterable[str], *,
                    start: str | None = None, schedules: Iterable[str] = (),
                    steps: int | None = None) -> Scenario:
    """The scenario with --start applied first (the calendar that presets and schedules
    are read on), then a preset, each --set, and each --schedule (with `steps`, a change
    outside the run is refused)."""
    if start:
        scenario = scenario.with_start(parse_start(start))
    if steps is not None:
        run_end(scenario.start, steps, f"--start {scenario.start.label}" if start else "")
    if preset:
        scenario = scenario.with_preset(preset)
    values = parse_sets(sets)
    if values:
        scenario = scenario.with_parameters(**values)
    parsed = parse_schedules(schedules, scenario.start, steps)
    return scenario.with_schedules(*parsed) if parsed else scenario


def parse_start(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except InputError as exc:
        raise InputError(f"--start: {exc.message}", fix=exc.fix) from None


def parse_schedules(items: Iterable[str], start: Quarter, steps: int | None,
                    what: str = "--schedule") -> list[Schedule]:
    """`--schedule KEY=Q:VALUE[,Q:VALUE...]` options (a key named twice: refused)."""
    out: dict[str, Schedule] = {}
    for item in items or ():
        schedule = parse_assignment(item, start, last_step=steps, what=what)
        if schedule.key in out:
            raise InputError(f"{what} names {schedule.key} twice",
                             fix=f"give all its changes in one {what}, comma-separated")
        out[schedule.key] = schedule
    return list(out.values())


EXAMPLES = {"--variant": "wait=antitrust_enforcement=8:0.8",
            "--policy": "act_late=antitrust_enforcement=2027Q1:0.9"}


def parse_variant(text: str, start: Quarter, steps: int | None,
                  option: str = "--variant") -> tuple[str, list[Schedule]]:
    """`OPTION NAME=KEY=Q:VALUE[,...][;KEY=...]` (`option`: --variant of compare, --policy
    of explore, named in every refusal): a name and its schedules."""
    name, sign, spec = text.partition("=")
    if not sign or not name.strip() or not spec.strip():
        raise InputError(f"{option} {text[:60]!r} is not NAME=KEY=QUARTER:VALUE[,...]",
                         fix=f"e.g. {option} {EXAMPLES.get(option, EXAMPLES['--variant'])}; "
                             "several parameters: separate them with ';'")
    return name.strip(), parse_schedules(spec.split(";"), start, steps,
                                         what=f"{option} {name.strip()}:")


def add_scheduled(out: dict, base: Scenario, texts: Iterable[str], steps: int | None,
                  option: str, what: str) -> dict:
    """`out` with, for each `option NAME=SCHEDULE` text, the base scenario under those
    schedules by NAME (a NAME already in `out` is refused: `what` names the collection)."""
    for text in texts:
        name, schedules = parse_variant(text, base.start, steps, option)
        if name in out:
            raise InputError(f"two {what} are named {name!r}",
                             fix=f"give every {option} its own NAME "
                                 f"({', '.join(map(repr, out))} taken)")
        out[name] = base.with_schedules(*schedules)
    return out

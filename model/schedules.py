"""Lever schedules: a parameter that changes during a run, on the calendar (MODEL.md 8).

A schedule is a list of changes, each at a quarter: from that quarter on the parameter
takes the change's value (step-wise), or, for a ramp, it moves linearly from the previous
change's value to this one's, reaching it at this quarter. Before its first change a
parameter keeps the scenario's constant value. Changes are held on the calendar, not as
step numbers, so that a law stays on its date when the start quarter moves; a change before
the start applies from step 0.

    schedules = Schedules({"antitrust_enforcement": Schedule.of([(q0, 0.0), (q0 + 20, 1.0)])})
    schedules.values_at(q0 + 25, base)       # {'antitrust_enforcement': 1.0}

Written as text (command line, GraphML, workbook): ``Q:VALUE`` a step change, ``Q~VALUE`` a
ramp ending at Q, comma-separated; Q a quarter (``2026Q3``) or a step number (``8``).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from model.calendar import Quarter, step_or_quarter
from model.errors import InputError
from model.parameters import PARAMETERS, parameter

MAX_CHANGES = 400  # per parameter: a schedule is a policy plan, not a time series
# Not schedulable: the initial market size describes step 0 only (the market then grows by
# market_growth, which can be scheduled), and the outcome thresholds judge the last step.
FIXED = frozenset(k for k, p in PARAMETERS.items() if k == "market_size" or
                  p.group == "outcome")
SCHEDULABLE = tuple(k for k in PARAMETERS if k not in FIXED)


def number_text(value: float) -> str:
    """Short ('0.8', '1') when that reads back as the same number, else exact (repr): the
    text is also what GraphML stores."""
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


@dataclass(frozen=True)
class Change:
    quarter: Quarter
    value: float
    ramp: bool = False

    def text(self, start: Quarter | None = None) -> str:
        """'2026Q3:0.8' (or '8:0.8' counted from `start`), '~' for a ramp."""
        at = self.quarter.label if start is None else str(self.quarter - start)
        return f"{at}{'~' if self.ramp else ':'}{number_text(self.value)}"


@dataclass(frozen=True)
class Schedule:
    """The changes of one parameter, sorted by quarter (checked by `check`)."""

    key: str
    changes: tuple[Change, ...]

    @classmethod
    def of(cls, key: str, changes: Iterable[Change | tuple]) -> Schedule:
        items = tuple(c if isinstance(c, Change) else Change(*c) for c in changes)
        return cls(key, tuple(sorted(items, key=lambda c: c.quarter))).check()

    def check(self) -> Schedule:
        spec = parameter(self.key)
        if self.key in FIXED:
            raise InputError(f"{self.key} cannot follow a schedule",
                             fix="give it one constant value (the initial market size and "
                                 "the outcome thresholds do not change during a run)")
        if not self.changes:
            raise InputError(f"the schedule of {self.key} has no change",
                             fix="give at least one QUARTER:VALUE, or remove the schedule")
        if len(self.changes) > MAX_CHANGES:
            raise InputError(f"the schedule of {self.key} has {len(self.changes)} changes",
                             fix=f"keep it to at most {MAX_CHANGES}")
        for change in self.changes:
            spec.check(change.value)
        for before, after in zip(self.changes, self.changes[1:]):
            if after.quarter == before.quarter:
                raise InputError(f"{self.key} changes twice at {after.quarter.label}",
                                 fix="keep one change per quarter")
        if self.changes[0].ramp:
            raise InputError(f"the schedule of {self.key} starts with a ramp "
                             f"(to {self.changes[0].quarter.label})",
                             fix="a ramp starts from an earlier change: add one before it, "
                                 "e.g. QUARTER:VALUE")
        return self

    def value_at(self, quarter: Quarter, base: float) -> float:
        """The value in force during `quarter`."""
        value, last = base, None
        for change in self.changes:
            if change.quarter > quarter:
                if change.ramp and last is not None:
                    share = (quarter - last.quarter) / (change.quarter - last.quarter)
                    value = last.value + share * (change.value - last.value)
                    if PARAMETERS[self.key].integer:
                        value = float(round(value))
                break
            value, last = change.value, change
        return value

    def text(self, start: Quarter | None = None) -> str:
        return ",".join(c.text(start) for c in self.changes)

    def quarters(self) -> tuple[Quarter, ...]:
        return tuple(c.quarter for c in self.changes)


class Schedules(Mapping[str, Schedule]):
    """An immutable set of schedules, one per parameter key."""

    __slots__ = ("_items",)

    def __init__(self, schedules: Mapping[str, Schedule] | Iterable[Schedule] = ()):
        items = schedules.values() if isinstance(schedules, Mapping) else schedules
        table = {}
        for schedule in items:
            if schedule.key in table:
                raise InputError(f"{schedule.key} has two schedules",
                                 fix="merge them into one list of changes")
            table[schedule.key] = schedule.check()
        self._items = MappingProxyType(dict(sorted(table.items())))

    def __getitem__(self, key: str) -> Schedule:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Schedules({ {k: s.text() for k, s in self._items.items()} })"

    def __eq__(self, other) -> bool:
        return isinstance(other, Schedules) and dict(self._items) == dict(other._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __reduce__(self):  # a mappingproxy does not pickle; the schedules do
        return (Schedules, (tuple(self._items.values()),))

    def replace(self, *schedules: Schedule, remove: Iterable[str] = ()) -> Schedules:
        table = {k: s for k, s in self._items.items() if k not in set(remove)}
        table.update({s.key: s for s in schedules})
        return Schedules(table)

    def values_at(self, quarter: Quarter, base: Mapping[str, float]) -> dict[str, float]:
        """Every scheduled parameter's value during `quarter` (`base`: the constants)."""
        return {k: s.value_at(quarter, base[k]) for k, s in self._items.items()}

    def change_quarters(self) -> tuple[Quarter, ...]:
        """Every quarter at which some parameter changes or a ramp ends, sorted."""
        return tuple(sorted({c.quarter for s in self._items.values() for c in s.changes}))

    def digest_items(self, start: Quarter) -> list:
        """What the scenario hash covers: each change as (step from start, value, ramp)."""
        return [[k, [[c.quarter - start, c.value, c.ramp] for c in s.changes]]
                for k, s in self._items.items()]


NO_SCHEDULES = Schedules()
_CHANGE = re.compile(r"^\s*([^:~]+?)\s*([:~])\s*(\S+)\s*$")


def parse_changes(key: str, text: str, start: Quarter, *, last_step: int | None = None,
                  what: str = "--schedule") -> Schedule:
    """'Q:VALUE[,Q~VALUE...]' for parameter `key`, Q a quarter or a step from `start`. With
    `last_step`, a change outside steps 0..last_step is refused (it would never apply)."""
    try:
        parameter(key)
    except InputError as exc:
        raise InputError(f"{what.rstrip(':')}: {exc.message}", fix=exc.fix) from None
    changes = []
    for part in text.split(","):
        match = _CHANGE.match(part)
        if match is None:
            raise InputError(f"{what} {key}: {part.strip()[:40]!r} is not QUARTER:VALUE",
                             fix="write changes as QUARTER:VALUE (a step), QUARTER~VALUE "
                                 "(a ramp), comma-separated, e.g. 2026Q3:0.8 or 8:0.8")
        at, sign, value = match.groups()
        try:
            step = step_or_quarter(at, start)
        except InputError as exc:  # its own words: not a quarter, or not one we use
            raise InputError(f"{what} {key}: {exc.message}",
                             fix=f"QUARTER is a quarter or a step number (8); {exc.fix}"
                             ) from None
        try:
            number = float(value)
        except ValueError:
            raise InputError(f"{what} {key}: {value[:40]!r} is not a number",
                             fix="write QUARTER:VALUE with VALUE a number, e.g. 2026Q3:0.8"
                             ) from None
        if not math.isfinite(number):
            raise InputError(f"{what} {key}: {value!r} is not a finite number",
                             fix="give a number in the parameter's range")
        if last_step is not None and not 0 <= step <= last_step:
            raise InputError(f"{what} {key}: {at} is outside the run (steps 0 to "
                             f"{last_step}, {start.label} to {(start + last_step).label})",
                             fix="give a quarter within the run, or more --steps")
        changes.append(Change(start.plus(step, f"{what} {key}: "), number, sign == "~"))
    try:
        return Schedule.of(key, changes)
    except InputError as exc:
        raise InputError(f"{what.rstrip(':')}: {exc.message}", fix=exc.fix) from None


def parse_assignment(text: str, start: Quarter, *, last_step: int | None = None,
                     what: str = "--schedule") -> Schedule:
    """'KEY=Q:VALUE[,Q:VALUE...]'."""
    key, sign, changes = text.partition("=")
    if not sign or not key.strip() or not changes.strip():
        example = "antitrust_enforcement=0:0.3,8:0.8"
        raise InputError(f"{what} {text[:60]!r} is not KEY=QUARTER:VALUE[,...]",
                         fix=f"e.g. {what.rstrip(':')} {example}" if what.startswith("--")
                         and " " not in what else f"e.g. {example}")
    return parse_changes(key.strip(), changes, start, last_step=last_step, what=what)


def from_preset(raw: Mapping[str, Iterable[tuple]], start: Quarter,
                what: str = "preset") -> Schedules:
    """A preset's schedule: changes at a quarter ('2022Q3') or at a step from `start`."""
    out = []
    for key, changes in raw.items():
        named = f"{what} {key}: "
        out.append(Schedule.of(key, [
            Change(Quarter.parse(at) if isinstance(at, str) else start.plus(at, named),
                   float(value),
                   bool(rest and rest[0])) for at, value, *rest in changes]))
    return Schedules(out)


# --- plain records (the JSON scenario file) -------------------------------------------------

def to_records(schedules: Schedules) -> dict[str, list[dict]]:
    """{"key": [{"quarter": "2026Q3", "value": 0.8}, {..., "ramp": true}]}."""
    return {k: [{"quarter": c.quarter.label, "value": c.value, **({"ramp": True}
                                                                   if c.ramp else {})}
                for c in s.changes] for k, s in schedules.items()}


def from_records(raw: object, place: str, file: str | None = None) -> Schedules:
    """The inverse of `to_records`, every fault named at its place."""
    def fail(message, where, fix):
        raise InputError(message, file=file, place=where, fix=fix)

    if not isinstance(raw, dict):
        fail(f"schedules is {_kind(raw)}, not an object", place,
             'write "schedules": {"key": [{"quarter": "2026Q3", "value": 0.8}]}')
    out = []
    for key, changes in raw.items():
        where = f"{place}.{key}"
        if key not in PARAMETERS:
            fail(f"unknown parameter {key!r}", where, "use a parameter key (python main.py "
                                                      "presets --parameters lists them)")
        if not isinstance(changes, list):
            fail(f"the schedule is {_kind(changes)}, not a list of changes", where,
                 'write [{"quarter": "2026Q3", "value": 0.8}, ...]')
        items = [_change(item, f"{where}[{i}]", fail) for i, item in enumerate(changes)]
        try:
            out.append(Schedule.of(key, items))
        except InputError as exc:
            fail(exc.message, where, exc.fix)
    return Schedules(out)


def _change(item: object, where: str, fail) -> Change:
    if not isinstance(item, dict):
        fail(f"a change is {_kind(item)}, not an object", where,
             'write {"quarter": "2026Q3", "value": 0.8}')
    unknown = set(item) - {"quarter", "value", "ramp"}
    if unknown:
        fail(f"unknown field {sorted(unknown)[0]!r}", where,
             "fields allowed here: quarter, value, ramp")
    try:
        quarter = Quarter.parse(item.get("quarter"))
    except InputError as exc:
        fail(exc.message, f"{where}.quarter", exc.fix)
    value, ramp = item.get("value"), item.get("ramp", False)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"value is {_kind(value)}, not a number", f"{where}.value",
             "write a number without quotes")
    if not isinstance(ramp, bool):
        fail(f"ramp is {_kind(ramp)}, not true or false", f"{where}.ramp",
             "write true (a linear ramp from the previous change) or false")
    return Change(quarter, float(value), ramp)


def _kind(value: object) -> str:
    if value is None:
        return "missing"
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def change_points(scenario, last_step: int) -> list[tuple[int, str, float, bool]]:
    """(step, key, value, ramp) of every change of the scenario's schedules within steps
    0..last_step, by step: where plots and charts mark that a lever moves."""
    points = [(c.quarter - scenario.start, key, c.value, c.ramp)
              for key, s in scenario.schedules.items() for c in s.changes]
    return sorted(p for p in points if 0 <= p[0] <= last_step)

"""A scenario (a network, its parameters and notes) and a project of named variants."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from model.calendar import DEFAULT_START, Quarter
from model.errors import InputError
from model.network import Network
from model.parameters import ParameterSet, preset
from model.schedules import NO_SCHEDULES, Schedule, Schedules, from_preset


@dataclass(frozen=True, eq=False)
class Scenario:
    """An immutable scenario: what the engine runs and what a file stores per variant."""

    network: Network
    parameters: ParameterSet = field(default_factory=ParameterSet)
    name: str = "main"  # the variant's name inside its project
    title: str = "Untitled scenario"
    author: str = ""
    notes: str = ""
    start: Quarter = DEFAULT_START  # the quarter of step 0
    schedules: Schedules = NO_SCHEDULES  # parameters that change during the run

    def with_parameters(self, **changes: object) -> Scenario:
        return replace(self, parameters=self.parameters.replace(**changes))

    def with_preset(self, name: str) -> Scenario:
        """The preset's constant values, and its schedules in place of any the scenario
        has for those parameters."""
        chosen = preset(name)
        return replace(self, parameters=self.parameters.with_preset(name),
                       schedules=self.schedules.replace(
                           *from_preset(chosen.schedule, self.start, f"preset {name}:").values()))

    def with_schedules(self, *schedules: Schedule) -> Scenario:
        return replace(self, schedules=self.schedules.replace(*schedules))

    def with_start(self, start: Quarter) -> Scenario:
        return replace(self, start=start)

    def renamed(self, name: str) -> Scenario:
        return replace(self, name=name)


@dataclass(frozen=True, eq=False)
class Project:
    """What one scenario file holds: one or more named variants, one of them active."""

    variants: tuple[Scenario, ...]
    active: int = 0

    def __post_init__(self):
        if not self.variants:
            raise InputError("a project needs at least one scenario variant")
        names = [v.name for v in self.variants]
        duplicate = next((n for n in names if names.count(n) > 1), None)
        if duplicate is not None:
            raise InputError(f"two scenario variants are both named {duplicate!r}",
                             fix="give every variant its own name")
        if not 0 <= self.active < len(self.variants):
            raise InputError(f"active variant {self.active} does not exist",
                             fix=f"use a number from 0 to {len(self.variants) - 1}")

    @classmethod
    def single(cls, scenario: Scenario) -> Project:
        return cls((scenario,))

    @property
    def current(self) -> Scenario:
        return self.variants[self.active]

    def variant(self, name: str) -> Scenario:
        for v in self.variants:
            if v.name == name:
                return v
        raise InputError(f"no scenario variant named {name!r}",
                         fix=f"use one of: {', '.join(v.name for v in self.variants)}")

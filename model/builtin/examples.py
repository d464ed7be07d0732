"""Example projects the application offers under File > Examples (and the start page).

Each is built from the built-in data and the presets, so an example never goes stale against
the model: the built-in scenario, the same with the 2021-22 laws on their calendar, the
"act now or in two years" pair as two variants, and a small synthetic ecosystem.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

from model.builtin.default import default_scenario
from model.builtin.synthetic import synthetic_scenario
from model.parameters import preset
from model.scenario import Project, Scenario


@dataclass(frozen=True)
class Example:
    title: str
    summary: str
    build: Callable[[], Project]
    explore: bool = False  # opens the Explore window on it too


def _titled(scenario: Scenario, title: str) -> Scenario:
    return replace(scenario, title=title)


def builtin() -> Project:
    return Project.single(default_scenario())


def laws_of_2021_22() -> Project:
    base = default_scenario()
    chosen = preset("aml2022_pipl")
    return Project.single(_titled(base.with_preset("aml2022_pipl"),
                                  f"{base.title}: {chosen.title}"))


def act_now_or_later() -> Project:
    """Two variants of one network: enforcement from the first quarter or two years on."""
    base = default_scenario()
    now = _titled(base.with_preset("enforce_now"), f"{base.title}: when to enforce")
    later = now.with_preset("enforce_in_8q").renamed("enforce_in_8q")
    return Project((now.renamed("enforce_now"), later))


def small_synthetic() -> Project:
    return Project.single(_titled(synthetic_scenario(60, seed=0),
                                  "Small synthetic ecosystem (60 firms)"))


EXAMPLES = MappingProxyType({
    "builtin": Example("China national AI ecosystem (built-in)",
                       "The national AI open innovation platforms and pilot zones with their "
                       "firms, from public sources.", builtin),
    "laws_2021_22": Example("Data protection and antitrust laws of 2021-22 (scheduled)",
                            "The built-in scenario with PIPL (2021Q4) and the AML amendment "
                            "(2022Q3) raising the levers in the quarters they came into force.",
                            laws_of_2021_22),
    "act_now_or_later": Example("Enforce now or in two years (two variants)",
                                "The same enforcement from the first quarter or after eight "
                                "quarters: compare the two variants.", act_now_or_later),
    "explore_builtin": Example("Which policy holds whatever we got wrong (exploration)",
                               "The built-in scenario with the Explore window open: sample "
                               "uncertain coefficients, find the futures where a policy fails.",
                               builtin, explore=True),
    "small_synthetic": Example("Small synthetic ecosystem (60 firms)",
                               "A generated ecosystem, quick to run and to edit by hand.",
                               small_synthetic),
})

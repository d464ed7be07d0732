"""The built-in `history` scenario: the ecosystem's own history from 2017Q4.

The network is the default scenario's (its platforms, zones and firms), with each open
innovation platform appearing in the quarter it was designated and each pilot zone in the
quarter it was approved (resources/data/history.csv), and the policy calendar as lever
schedules (resources/data/policy_calendar.csv): the platform antitrust turn of
2020Q4-2021Q4, PIPL in force 2021Q4, the amended Anti-Monopoly Law 2022Q3. Every dated fact
carries its source and confidence; the lever values are illustrative (docs/decisions.md,
"History and patterns (issue 24)").
"""
from __future__ import annotations

from functools import cache

from model.builtin.default import default_scenario
from model.builtin.facts import load_facts
from model.calendar import Quarter
from model.network import Network
from model.scenario import Scenario
from model.schedules import Change, Schedule, Schedules

START = Quarter.parse("2017Q4")  # the first four platforms were designated in Nov 2017
TITLE = "China's AI ecosystem from 2017Q4 (built-in history)"


@cache
def history_scenario() -> Scenario:
    """The default network with its elements appearing at their dates, from START."""
    facts = load_facts()
    base = default_scenario()
    network = _dated(base.network, facts["history"])
    return Scenario(network=network, parameters=base.parameters, name="main", title=TITLE,
                    author="built-in", notes=_notes(facts), start=START,
                    schedules=policy_schedules(facts["policy_calendar"]))


def _dated(network: Network, table) -> Network:
    """Each listed node appears in its quarter; the others are present from the start."""
    nodes = network.nodes.copy()
    quarters = dict(zip(table["element"], table["quarter"]))
    missing = sorted(set(quarters) - set(nodes["id"]))
    if missing:  # the data files disagree: a fault of the distribution, named plainly
        raise ValueError(f"history.csv names elements the default scenario lacks: {missing}")
    listed = nodes["id"].isin(list(quarters))
    nodes.loc[listed, "appears"] = nodes.loc[listed, "id"].map(quarters)
    sources = dict(zip(table["element"], table["source"]))
    nodes.loc[listed, "source"] = nodes.loc[listed, "source"] + "; appears: " + \
        nodes.loc[listed, "id"].map(sources)
    return Network.build(nodes, network.edges)


def policy_schedules(table) -> Schedules:
    """One schedule per parameter of the policy calendar, its changes in date order."""
    changes: dict[str, list[Change]] = {}
    for row in table.itertuples(index=False):
        changes.setdefault(row.parameter, []).append(
            Change(Quarter.parse(row.quarter), float(row.value), row.ramp == "yes"))
    return Schedules([Schedule.of(key, items) for key, items in changes.items()])


def _notes(facts) -> str:
    table = facts["history"]
    counts = table.groupby("kind")["confidence"].value_counts()
    dated = "; ".join(f"{kind}: " + ", ".join(f"{n} {level}" for level, n in
                                               counts[kind].items())
                      for kind in ("platform", "zone"))
    calendar = "; ".join(f"{r.quarter} {r.parameter} {r.value:g}" for r in
                         facts["policy_calendar"].itertuples(index=False))
    return ("The default scenario's network run from 2017Q4 through the real calendar: "
            "platforms appear in the quarter they were designated, pilot zones in the "
            "quarter they were approved (resources/data/history.csv; " + dated + "). "
            "Before its quarter a platform has no users and no effect, and a region is not "
            "yet a pilot zone (no experience exchange, no entrants). Policy calendar "
            f"(levers, values illustrative, dates sourced): {calendar}. The firms are those "
            "of the default scenario (end-2023 locations); the tool explores scenarios, it "
            "does not forecast.")

"""Presets of three kinds: policy packages (levers only), world assumptions (coefficients
only) and scenarios (one of each); `explore` takes packages as policies and a world
through --world, whose coefficients every future then holds."""
from __future__ import annotations

import pytest

from model.builtin import default_scenario
from model.cli import main
from model.errors import InputError
from model.exploration.experiment import explore
from model.parameters import (LEVERS, POLICIES, POLICY, PRESETS, SCENARIO, SCENARIOS, WORLD,
                              WORLDS, ParameterSet, Preset, build_presets)

STEPS = 4


def test_every_preset_has_one_kind_and_keeps_to_it():
    assert set(PRESETS) == set(POLICIES) | set(WORLDS) | set(SCENARIOS)
    assert not (set(POLICIES) & set(WORLDS))
    for p in POLICIES.values():
        assert set(p.values) | set(p.schedule) <= set(LEVERS), p.key
    for p in WORLDS.values():
        assert p.values and not p.schedule and not set(p.values) & set(LEVERS), p.key
    assert {"benign_policy", "adverse_policy", "aml2022_pipl", "enforce_now",
            "enforce_in_8q", "eu_parity"} <= set(POLICIES)
    assert {"fast_lock_in", "strong_hub_pull", "acquisitive_leaders"} <= set(WORLDS)


def test_the_brief_scenarios_are_a_package_in_a_world():
    for name, values in (("benign", {"lock_in_rate": 0.03, "hub_bonus": 0.2,
                                     "antitrust_enforcement": 0.8}),
                         ("adverse", {"lock_in_rate": 0.15, "hub_bonus": 1.5,
                                      "acquisition_rate": 0.08, "antitrust_enforcement": 0.0})):
        combined = SCENARIOS[name]
        policy, world = combined.parts
        assert POLICIES[policy].kind == POLICY and WORLDS[world].kind == WORLD
        assert dict(combined.values) == {**POLICIES[policy].values, **WORLDS[world].values}
        applied = ParameterSet().with_preset(name)
        assert {k: applied[k] for k in values} == values
    adverse_world = WORLDS["adverse_world"].values
    for single in ("fast_lock_in", "strong_hub_pull", "acquisitive_leaders"):
        assert WORLDS[single].values.items() <= adverse_world.items()


@pytest.mark.parametrize("policies, worlds, scenarios, words", [
    ([Preset("p", "P", "", {"lock_in_rate": 0.1})], [], [], "lock_in_rate is not a lever"),
    ([Preset("p", "P", "", {}, {"hub_bonus": ((0, 1.0),)})], [], [], "hub_bonus is not a lever"),
    ([], [Preset("w", "W", "", {"openness_floor": 0.5}, kind=WORLD)], [],
     "openness_floor is a lever"),
    ([], [Preset("w", "W", "", {}, {"hub_bonus": ((0, 1.0),)}, kind=WORLD)], [],
     "hub_bonus is a lever or a schedule"),
    ([Preset("p", "P", "", {"openness_floor": 2.0})], [], [], "outside"),
    ([Preset("p", "P", "", {})], [Preset("p", "W", "", {}, kind=WORLD)], [], "two presets"),
    ([Preset("p", "P", "", {})], [Preset("w", "W", "", {}, kind=WORLD)],
     [("s", "S", "", "w", "p")], "not a policy package and a world"),
    ([Preset("p", "P", "", {}, kind=SCENARIO)], [], [], "kind 'scenario' among the policy"),
])
def test_a_preset_of_the_wrong_kind_fails_at_import(policies, worlds, scenarios, words):
    with pytest.raises(InputError, match=words):
        build_presets(policies, worlds, scenarios)


def test_the_registry_is_what_the_module_builds():
    rebuilt = build_presets([p for p in PRESETS.values() if p.kind == POLICY],
                            [p for p in PRESETS.values() if p.kind == WORLD],
                            [(p.key, p.title, p.description, *p.parts)
                             for p in SCENARIOS.values()])
    assert list(rebuilt) == list(PRESETS) and all(rebuilt[k] == PRESETS[k] for k in PRESETS)


def test_presets_lists_three_sections(capsys):
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    starts = [out.index(h) for h in ("Scenarios (", "Policy packages (", "World assumptions (",
                                     "Policy levers")]
    assert starts == sorted(starts)
    scenarios, policies, worlds = (out[a:b] for a, b in zip(starts, starts[1:]))
    assert "benign_policy + benign_world" in scenarios and "  adverse " in scenarios
    assert "  benign_policy " in policies and "fast_lock_in" not in policies
    assert "  fast_lock_in " in worlds and "benign_policy" not in worlds


@pytest.mark.parametrize("name", ["benign", "benign_policy", "fast_lock_in"])
def test_preset_takes_every_kind(capsys, name):
    code = main(["run", "--preset", name, "--steps", "2", "--quiet"])
    assert code == 0 and "outcome:" in capsys.readouterr().out


# ---- explore: packages as policies, a world held fixed ------------------------------------

def test_a_world_is_held_in_every_future_and_leaves_the_uncertainties():
    scenario = default_scenario()
    held = explore(scenario, futures=6, policies=("current", "adverse_policy"),
                   world="adverse_world", method=None, steps=STEPS, seed=3)
    fixed = explore(scenario, futures=6, policies=("current", "adverse_policy"),
                    fixed=dict(WORLDS["adverse_world"].values), method=None, steps=STEPS,
                    seed=3)
    keys = [u.key for u in held.space]
    assert not set(keys) & set(WORLDS["adverse_world"].values)
    assert held.fixed == dict(WORLDS["adverse_world"].values) and held.world == "adverse_world"
    assert held.rows.equals(fixed.rows) and fixed.world == ""
    plain = explore(scenario, futures=6, policies=("current",), method=None, steps=STEPS,
                    seed=3)
    assert "lock_in_rate" in [u.key for u in plain.space]


@pytest.mark.parametrize("options, words", [
    ({"world": "nowhere"}, "not a world assumption"),
    ({"world": "adverse"}, "is a scenario"),
    ({"world": "benign_policy"}, "is a policy package"),
    ({"world": "fast_lock_in", "fixed": {"lock_in_rate": 0.1}}, "fixed by the world"),
    ({"world": "fast_lock_in", "uncertain": {"lock_in_rate": (0.1, 0.2)}}, "both"),
    ({"policies": ("strong_hub_pull",)}, "--world strong_hub_pull"),
    ({"policies": ("adverse",)}, "adverse_policy and hold its world with --world "
                                 "adverse_world"),
])
def test_a_world_or_scenario_in_the_wrong_place_is_refused(options, words):
    with pytest.raises(InputError, match=words):
        explore(default_scenario(), futures=3, method=None, steps=STEPS, **options)


def call(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_refuses_a_scenario_as_policy_with_one_line_pointing_at_world(capsys):
    code, out, err = call(capsys, "explore", "--futures", "5", "--policies",
                          "benign_policy,adverse", "--method", "none", "--steps", "2")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: ") and "--world adverse_world" in err


def test_cli_world_is_fixed_and_said_so(capsys, tmp_path):
    from openpyxl import load_workbook

    book = tmp_path / "e.xlsx"
    code, out, err = call(capsys, "explore", "--futures", "8", "--policies",
                          "benign_policy,adverse_policy", "--world", "fast_lock_in",
                          "--method", "none", "--steps", "3", "--quiet", "--out", str(book))
    assert code == 0, err
    assert "world: fast_lock_in (Fast lock-in) fixed in every future: lock_in_rate=0.15" in out
    assert "lock_in_rate" not in out.split("uncertain (")[1].splitlines()[0]
    cells = [str(c) for ws in load_workbook(book, read_only=True).worksheets
             if ws.title in ("Summary", "Methodology") for row in ws.iter_rows(values_only=True)
             for c in row if c]
    assert any(c.startswith("Fast lock-in (fast_lock_in)") and "lock_in_rate = 0.15" in c
               for c in cells)  # Methodology
    assert any(c.startswith("fast_lock_in, fixed in every future: lock_in_rate = 0.15")
               for c in cells)  # Summary, What ran

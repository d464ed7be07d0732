"""`--json FILE` of run, compare, sweep and explore, and `presets --json`: valid UTF-8 JSON
of the documented shape, holding the runs' own values; a bad path is refused first."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from model.builtin import resolve_builtin
from model.cli import main
from model.engine import METRIC, METRIC_KEYS, OUTCOMES, run
from model.experiments import compare, monte_carlo
from model.files.results_json import dumps, finite
from model.parameters import LEVERS, PARAMETERS, POLICIES, SCENARIOS, WORLDS

DOC = Path(__file__).resolve().parents[1] / "docs" / "json-output.md"
SCENARIO = "synthetic:50"
SHORT = ["--steps", "4", "--quiet"]


def call(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def strict(path: Path) -> dict:
    """The file as JSON, refusing NaN and infinities (which JSON does not have)."""
    def refuse(token):
        raise ValueError(f"{token} is not JSON")

    return json.loads(path.read_bytes().decode("utf-8"), parse_constant=refuse)


def command_json(capsys, tmp_path, *argv) -> tuple[dict, str]:
    target = tmp_path / "r.json"
    code, out, err = call(capsys, *argv, "--json", str(target), *SHORT)
    assert code == 0, err
    assert f"wrote {target}" in out
    return strict(target), out


def check_shape(data: dict, command: str) -> None:
    assert data["tool"]["name"] == "AI Ecosystem Planner" and data["tool"]["version"]
    assert data["command"] == command and data["steps"] == 4 and data["start"] == "2024Q1"
    assert data["metrics"] == {k: {"label": m.label, "unit": m.unit, "meaning": m.meaning}
                               for k, m in METRIC.items()}
    seeds = data["variants"][0]["seeds"]
    for v in data["variants"]:
        assert {"name", "value", "seeds", "end", "outcome"} <= set(v)
        assert v["seeds"] == seeds  # common random numbers
        assert list(v["end"]) == list(METRIC_KEYS)
        assert all(len(values) == len(seeds) for values in v["end"].values())
        assert len(v["outcome"]) == len(seeds) and set(v["outcome"]) <= set(OUTCOMES)


def ends_of(v: dict) -> np.ndarray:
    """A variant's end values as (seeds, metrics), null as NaN."""
    return np.array([[math.nan if x is None else x for x in v["end"][k]]
                     for k in METRIC_KEYS], dtype=float).T


def test_sweep_json_holds_each_values_monte_carlo_per_seed(capsys, tmp_path):
    data, out = command_json(capsys, tmp_path, "sweep", SCENARIO, "--param",
                             "antitrust_enforcement", "--values", "0,1", "--runs", "3",
                             "--seed", "2")
    assert "sweep of antitrust_enforcement" in out  # the summary is still printed
    check_shape(data, "sweep")
    assert data["parameter"] == "antitrust_enforcement"
    assert [v["value"] for v in data["variants"]] == [0.0, 1.0]
    scenario = resolve_builtin(SCENARIO, 2)
    assert data["scenario"] == scenario.title
    for v in data["variants"]:
        assert v["seeds"] == [2, 3, 4]
        mc = monte_carlo(scenario.with_parameters(antitrust_enforcement=v["value"]), 3, 4, 2)
        np.testing.assert_array_equal(ends_of(v), mc.runs[:, -1])
        assert v["outcome"] == list(mc.outcomes)


def test_run_json_is_one_variant_with_bands_per_step(capsys, tmp_path):
    data, _ = command_json(capsys, tmp_path, "run", SCENARIO, "--runs", "3",
                           "--preset", "adverse", "--start", "2024Q1")
    check_shape(data, "run")
    mc = monte_carlo(resolve_builtin(SCENARIO, 0).with_preset("adverse"), 3, 4, 0)
    (v,) = data["variants"]
    assert v["seeds"] == [0, 1, 2] and v["value"] is None
    np.testing.assert_array_equal(ends_of(v), mc.runs[:, -1])
    assert list(data["per_step"]) == list(METRIC_KEYS)
    rows = data["per_step"]["hhi_mean"]
    assert [r["step"] for r in rows] == [0, 1, 2, 3, 4]
    assert [r["quarter"] for r in rows] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1"]
    for band in ("mean", "p5", "p50", "p95"):
        assert [r[band] for r in rows] == pytest.approx(
            mc.summary[f"hhi_mean_{band}"].tolist(), rel=1e-12)


def test_a_single_run_is_one_seed_whose_bands_are_its_values(capsys, tmp_path):
    data, _ = command_json(capsys, tmp_path, "run", SCENARIO, "--seed", "4")
    check_shape(data, "run")
    single = run(resolve_builtin(SCENARIO, 4), 4, 4)
    (v,) = data["variants"]
    assert v["seeds"] == [4] and v["outcome"] == [single.outcome]
    for key in ("hhi_mean", "active_smes"):
        assert v["end"][key] == [single.end(key)]
        values = single.metrics[key].tolist()
        for band in ("mean", "p5", "p50", "p95"):
            assert [r[band] for r in data["per_step"][key]] == pytest.approx(values)


def test_compare_json_has_one_variant_per_scenario(capsys, tmp_path):
    data, _ = command_json(capsys, tmp_path, "compare", SCENARIO, "--presets",
                           "default,benign_policy", "--runs", "2")
    check_shape(data, "compare")
    assert [v["name"] for v in data["variants"]] == ["default", "benign_policy"]
    assert data["baseline"] == "default"
    base = resolve_builtin(SCENARIO, 0)
    result = compare({"default": base, "benign_policy": base.with_preset("benign_policy")},
                     2, 4, 0)
    for v in data["variants"]:
        np.testing.assert_array_equal(ends_of(v), result.results[v["name"]].runs[:, -1])


def test_explore_json_has_a_variant_per_future_and_policy(capsys, tmp_path):
    data, out = command_json(capsys, tmp_path, "explore", SCENARIO, "--futures", "3",
                             "--runs", "2", "--policies", "current,benign_policy",
                             "--world", "strong_hub_pull", "--method", "none")
    assert "world: strong_hub_pull" in out
    check_shape(data, "explore")
    assert data["policies"] == ["current", "benign_policy"]
    assert data["world"] == "strong_hub_pull" and data["fixed"] == {"hub_bonus": 1.5}
    assert "hub_bonus" not in data["uncertain"] and data["runs_per_future"] == 2
    variants = data["variants"]
    assert [(v["future"], v["policy"]) for v in variants] == [
        (f, p) for p in ("current", "benign_policy") for f in range(3)]
    scenario = resolve_builtin(SCENARIO, 0)
    v = variants[4]  # future 1 under benign_policy
    assert set(v["values"]) == set(data["uncertain"]) and v["seeds"] == [0, 1]
    chosen = scenario.with_preset("benign_policy").with_parameters(**v["values"],
                                                                   **data["fixed"])
    for k, seed in enumerate(v["seeds"]):
        single = run(chosen, 4, seed)
        assert ends_of(v)[k].tolist() == pytest.approx(
            single.metrics[list(METRIC_KEYS)].iloc[-1].tolist(), rel=1e-12, nan_ok=True)
        assert v["outcome"][k] == single.outcome


def test_presets_json_lists_the_registry(capsys):
    code, out, _ = call(capsys, "presets", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["levers"] == list(LEVERS)
    assert set(data["policy_packages"]) == set(POLICIES)
    assert set(data["world_assumptions"]) == set(WORLDS)
    assert {k: (c["policy"], c["world"]) for k, c in data["combinations"].items()} == \
        {k: p.parts for k, p in SCENARIOS.items()}
    assert data["policy_packages"]["enforce_in_8q"]["schedule"] == {
        "antitrust_enforcement": [{"at": 8, "value": 0.8, "ramp": False}]}
    assert list(data["parameters"]) == list(PARAMETERS)
    for key, p in data["parameters"].items():
        spec = PARAMETERS[key]
        assert (p["default"], p["range"], p["label"], p["unit"], p["group"]) == \
            (spec.default, [spec.low, spec.high], spec.label, spec.unit, spec.group)
        assert p["plausible"] == (list(spec.plausible) if spec.plausible else None)
        assert (p["plausible_reason"] is None) == (spec.plausible is None)


def test_non_finite_numbers_are_null_and_lone_surrogates_replaced():
    data = {"tool": {}, "x": [float("nan"), np.float64("inf"), np.int64(3), 1.5],
            "title": "a\udc80b", "variants": [{"end": {"k": [float("-inf"), 2.0]}}]}
    text = dumps(data)
    parsed = json.loads(text, parse_constant=lambda t: pytest.fail(t))
    assert parsed["x"] == [None, None, 3, 1.5] and parsed["title"] == "a\ufffdb"
    assert parsed["variants"] == [{"end": {"k": [None, 2.0]}}]
    assert finite({"a": (np.float32("nan"),)}) == {"a": [None]}
    text.encode("utf-8")


@pytest.mark.parametrize("command", [
    ["run"], ["compare", "--presets", "default,benign"], ["explore", "--futures", "2",
                                                          "--method", "none"],
    ["sweep", "--param", "hub_bonus", "--values", "0.2,0.4"]])
@pytest.mark.parametrize("path, words", [
    ("missing/r.json", "does not exist"), ("r.txt", "is not a .json file"),
    ("folder.json", "is a folder")])
def test_a_bad_json_path_is_refused_first_and_nothing_is_written(capsys, tmp_path,
                                                                monkeypatch, command, path,
                                                                words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder.json").mkdir()
    name, *rest = command
    code, out, err = call(capsys, name, SCENARIO, *rest, "--json", path, "--out", "b.xlsx",
                          *SHORT)
    assert code == 2 and out == ""
    assert err.startswith("error: --json ") and err.count("\n") == 1 and words in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.json"]


def test_the_documentation_names_every_field(capsys, tmp_path):
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_0-9]+)`", text))
    outputs = [command_json(capsys, tmp_path, "run", SCENARIO)[0],
               command_json(capsys, tmp_path, "sweep", SCENARIO, "--param", "hub_bonus",
                            "--values", "0.3")[0],
               command_json(capsys, tmp_path, "compare", SCENARIO, SCENARIO)[0],
               command_json(capsys, tmp_path, "explore", SCENARIO, "--futures", "2",
                            "--method", "none")[0]]
    code, out, _ = call(capsys, "presets", "--json")
    presets = json.loads(out)
    fields = set()
    for data in outputs:
        fields |= set(data) | set(data["variants"][0]) | set(data["tool"])
        fields |= set(next(iter(data.get("per_step", {"k": [{}]}).values()))[0])
        fields |= set(next(iter(data["metrics"].values())))
    fields |= set(presets) | set(next(iter(presets["parameters"].values())))
    fields |= set(next(iter(presets["combinations"].values())))
    fields |= set(next(iter(presets["policy_packages"]["enforce_now"]["schedule"].values()))[0])
    assert fields - named == set()

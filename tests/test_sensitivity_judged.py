"""Sensitivity indices that hold (issue 23 item 4): intervals including 0 are not ranked,
negative estimates read 0 with a note, overlapping intervals tie; the precision check."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.exploration.sensitivity import (design, indices, judge, precision, precision_text,
                                           seed_noise)


def sobol_table(rows):
    return pd.DataFrame([{"metric": "m", "factor": f, "S1": s1, "S1_conf": 0.01, "ST": st,
                          "ST_conf": conf} for f, s1, st, conf in rows])


def test_an_interval_including_0_is_not_ranked_and_negative_reads_0():
    t = judge(sobol_table([("a", 0.5, 0.6, 0.1), ("b", -0.05, 0.04, 0.06),
                           ("c", 0.01, -0.02, 0.05)]), "sobol")
    by = t.set_index("factor")
    assert by.loc["a", "rank"] == 1 and by.loc["a", "distinguishable"]
    assert np.isnan(by.loc["b", "rank"]) and not by.loc["b", "distinguishable"]
    assert "not distinguishable from 0" in by.loc["b", "note"]
    assert by.loc["b", "S1"] == 0 and "S1 estimate -0.050 reported as 0" in by.loc["b", "note"]
    assert by.loc["c", "ST"] == 0 and "S1 above ST" in by.loc["c", "note"]
    assert list(t.factor)[0] == "a"  # ranked first


def test_overlapping_intervals_tie():
    t = judge(sobol_table([("a", 0.5, 0.8, 0.3), ("b", 0.2, 0.45, 0.1),
                           ("c", 0.1, 0.2, 0.05)]), "sobol").set_index("factor")
    # a [0.5, 1.1] overlaps b [0.35, 0.55]; c [0.15, 0.25] lies under both
    assert t.loc["a", "rank"] == 1 and t.loc["b", "rank"] == 1 and t.loc["c", "rank"] == 3


def test_a_clear_function_ranks_and_its_zero_factor_is_flagged():
    study = design("sobol", [("x1", 0, 1), ("x2", 0, 1), ("x3", 0, 1)], 5000, seed=1)
    x = study.samples
    t = indices(study, {"y": 4 * x.x1 + x.x2}, seed=1).set_index("factor")
    assert t.loc["x1", "rank"] == 1 and t.loc["x2", "rank"] == 2
    assert not t.loc["x3", "distinguishable"]
    assert precision(t.reset_index(), study)["enough"]


def test_precision_says_how_many_runs_would_be_needed():
    study = design("sobol", [("a", 0, 1), ("b", 0, 1)], 100)  # N = 32: 128 runs
    t = judge(sobol_table([("a", 0.5, 0.6, 0.2), ("b", 0.1, 0.1, 0.05)]), "sobol")
    p = precision(t, study, seeds=2)
    assert not p["enough"] and p["widest"] == pytest.approx(0.2)
    assert p["needed_base"] == 128  # 32 x (0.2 / 0.1)^2
    assert p["needed_runs"] == 128 * 4 * 2
    assert "about 1,024 runs (N = 128)" in precision_text(p, 256)


def test_seed_noise_is_the_within_point_share():
    ends = np.zeros((4, 2, 1))
    ends[:, 0, 0] = [0, 10, 20, 30]
    ends[:, 1, 0] = [0, 10, 20, 30]
    assert seed_noise(ends)[0] == 0  # the seeds agree: no noise
    ends[:, 1, 0] += 4
    assert 0 < seed_noise(ends)[0] < 0.2
    assert np.isnan(seed_noise(ends[:, :1])[0])


def test_explore_prints_only_ranked_indices_and_writes_them(capsys, tmp_path):
    import json

    from model.cli import main

    path = tmp_path / "e.json"
    assert main(["explore", "--futures", "4", "--steps", "3", "--quiet", "--only",
                 "lock_in_rate,score_exponent", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ranked only when the interval excludes 0" in out
    data = json.loads(path.read_text("utf-8"))["sensitivity"]
    assert data["method"] == "sobol" and data["checks"]["seeds_per_point"] == 2
    from model.engine.metrics import METRIC

    lines = {line.split(":")[0].strip(): line for line in
             out.split("Top sensitivities")[1].splitlines()[1:6]}
    for e in data["indices"]:
        assert (e["rank"] is None) == (not e["distinguishable"])
        assert e["distinguishable"] == (e["interval"][0] > 0)
        if not e["distinguishable"]:
            assert f" {e['factor']} " not in lines[METRIC[e["metric"]].label]

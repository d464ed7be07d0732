"""`run_ends`: the command line's single run without outputs records step 0 and the end
alone; those two rows, the outcome and the final tables are the ones `run` gives."""
from __future__ import annotations

import numpy as np
import pytest

from model.builtin import default_scenario, synthetic_scenario
from model.calendar import Quarter
from model.cli import main
from model.engine import METRIC_KEYS, run, run_ends


def scheduled_default():
    """A dated preset from 2021Q1: its levers change at 2022Q3, step 6 (schedules)."""
    scenario = default_scenario().with_start(Quarter.parse("2021Q1")).with_preset(
        "aml2022_pipl")
    assert len(scenario.schedules)
    return scenario


@pytest.mark.parametrize("make, steps, seed", [
    (default_scenario, 12, 3), (lambda: synthetic_scenario(400, 1), 9, 0),
    (scheduled_default, 24, 1)])
def test_the_ends_are_the_full_runs_first_and_last_rows(make, steps, seed):
    full, ends = run(make(), steps, seed), run_ends(make(), steps, seed)
    keys = list(METRIC_KEYS)
    assert list(ends.metrics["step"]) == [0, steps]
    assert list(ends.metrics["quarter"]) == list(full.metrics["quarter"].iloc[[0, -1]])
    np.testing.assert_array_equal(ends.metrics[keys].to_numpy(),
                                  full.metrics[keys].to_numpy()[[0, -1]])
    assert ends.outcome == full.outcome
    assert ends.firms.equals(full.firms) and ends.platforms.equals(full.platforms)


def test_no_step_gives_one_row():
    ends = run_ends(default_scenario(), 0, 0)
    assert list(ends.metrics["step"]) == [0] and len(ends.metrics) == 1


def test_progress_counts_every_step_once():
    seen = []
    run_ends(default_scenario(), 5, 0, progress=lambda t, n: seen.append((t, n)))
    assert seen == [(t, 5) for t in range(6)]


def test_the_summary_is_the_same_with_or_without_an_output(capsys, tmp_path):
    """Without --out or --json the command runs ends only; its printed summary must not
    change when an output asks for every step."""
    argv = ["run", "--steps", "6", "--seed", "2", "--quiet"]
    assert main(argv) == 0
    alone = capsys.readouterr().out
    assert main([*argv, "--json", str(tmp_path / "r.json")]) == 0
    with_json = capsys.readouterr().out
    assert alone and with_json.startswith(alone)


def test_an_ensemble_of_ends_is_the_full_ensembles_first_and_last_steps():
    from model.experiments import monte_carlo

    full = monte_carlo(default_scenario(), 5, 9, 4, workers=1)
    ends = monte_carlo(default_scenario(), 5, 9, 4, workers=1, ends_only=True)
    assert ends.runs.shape == (5, 2, len(METRIC_KEYS))
    np.testing.assert_array_equal(ends.runs, full.runs[:, [0, -1]])
    assert ends.outcomes == full.outcomes and ends.outcome_shares == full.outcome_shares
    assert list(ends.summary["quarter"]) == list(full.summary["quarter"].iloc[[0, -1]])
    np.testing.assert_array_equal(ends.summary.iloc[:, 2:].to_numpy(),
                                  full.summary.iloc[[0, -1], 2:].to_numpy())


def test_the_ensemble_summary_is_the_same_with_or_without_an_output(capsys, tmp_path):
    argv = ["run", "--runs", "4", "--steps", "6", "--quiet"]
    assert main(argv) == 0
    alone = capsys.readouterr().out
    assert main([*argv, "--json", str(tmp_path / "r.json")]) == 0
    assert alone and capsys.readouterr().out.startswith(alone)

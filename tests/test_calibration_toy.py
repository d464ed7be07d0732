"""History matching on a toy model whose not-implausible region is known analytically."""
import numpy as np
import pytest

from model.calendar import Quarter
from model.calibration.implausibility import implausibility
from model.calibration.patterns import Pattern
from model.calibration.waves import history_match
from model.errors import InputError
from model.exploration.futures import uncertainties

X, Y = "beta_platform", "beta_talent"  # registry keys serve as the toy's two coefficients
Q = Quarter.parse("2020Q4")


def pattern(pid, value=None, low=None, high=None, use="fit", confidence="high", metric="x"):
    return Pattern(pid, metric, Q, value, low, high, confidence, use, "toy")


def unit(space, frame):
    """The samples on [0, 1] per coefficient."""
    return {u.key: (frame[u.key].to_numpy() - u.low) / (u.high - u.low) for u in space}


def toy(space, outputs, noise=0.0):
    """evaluate(samples, wave): outputs(x, y) -> columns, with seed noise of sd `noise`."""
    def evaluate(samples, wave):
        u = unit(space, samples)
        base = np.column_stack(outputs(u[X], u.get(Y)))
        rng = np.random.default_rng(wave)
        runs = base[:, None, :] + noise * rng.standard_normal((len(base), 4, base.shape[1]))
        return runs.mean(axis=1), runs.var(axis=1, ddof=1), 4
    return evaluate


def test_implausibility_of_a_value_and_of_a_range():
    p = pattern("v", value=1.0)  # tolerance 10 % of 1
    score = implausibility([p], np.array([[1.3]]), np.array([[0.0]]), 1)
    assert score[0, 0] == pytest.approx(3.0)
    r = pattern("r", low=2.0, high=4.0)  # tolerance 10 % of the middle, 3
    scores = implausibility([r], np.array([[3.0], [4.6], [1.1]]), np.zeros((3, 1)), 1)
    assert scores[:, 0] == pytest.approx([0.0, 0.6 / 0.3, 0.9 / 0.3])
    noisy = implausibility([p], np.array([[1.3]]), np.array([[0.16]]), 4)
    assert noisy[0, 0] == pytest.approx(0.3 / np.sqrt(0.01 + 0.04))


def test_two_patterns_recover_the_analytic_box_and_share():
    space = uncertainties(keys=[X, Y])
    # x + y = 1 and x - y + 1 = 1, tolerance sd 0.1 each (10 % of 1): |x + y - 1| < 0.3
    # and |x - y| < 0.3, a diamond: x and y each lie in [0.2, 0.8] (its bounding box) and
    # it covers 0.6 * 0.6 / 2 = 0.18 of the unit square.
    patterns = [pattern("sum", value=1.0, metric="a"), pattern("diff", value=1.0, metric="b")]
    evaluate = toy(space, lambda x, y: (x + y, x - y + 1))
    result = history_match(space, patterns, evaluate, waves=3, runs_per_wave=2000,
                           seeds=4, seed=1)
    ranges = result.ranges()
    for key in (X, Y):
        u = next(s for s in space if s.key == key)
        low, high = ((v - u.low) / (u.high - u.low) for v in ranges[key])
        # (the diamond's corners are thin: samples reach them slowly)
        assert low == pytest.approx(0.2, abs=0.05) and high == pytest.approx(0.8, abs=0.05)
        assert 0.2 <= low and high <= 0.8  # no kept sample outside the region
    assert result.waves[0].space_share == pytest.approx(0.18, abs=0.02)
    assert result.waves[-1].space_share == pytest.approx(0.18, abs=0.02)
    # later waves sample the box: a far larger share of their samples is kept
    assert result.waves[1].kept.mean() > 3 * result.waves[0].kept.mean()
    assert result.structural == ()


def test_an_unreachable_pattern_is_structural_and_the_rest_still_calibrates():
    space = uncertainties(keys=[X, Y])
    patterns = [pattern("x_mid", value=0.5, metric="a"),
                pattern("never", value=5.0, metric="b"),  # the toy's output stays in [0, 1]
                pattern("held", low=0.0, high=0.2, use="holdout", metric="c")]
    evaluate = toy(space, lambda x, y: (x, y, y), noise=0.01)
    result = history_match(space, patterns, evaluate, waves=2, runs_per_wave=500, seeds=4)
    assert result.structural == ("never",)
    low, high = result.ranges()[X]
    u = space[0]
    assert (low - u.low) / (u.high - u.low) == pytest.approx(0.35, abs=0.03)
    assert (high - u.low) / (u.high - u.low) == pytest.approx(0.65, abs=0.03)
    bands = {b["pattern"].id: b for b in result.bands()}
    assert bands["never"]["least_implausibility"] > 3
    # y is free (the holdout is not fitted): its band stays the whole of y's span
    before, after = bands["held"]["before"], bands["held"]["after"]
    assert before[0] == pytest.approx(0.05, abs=0.03) and after[1] == pytest.approx(0.95, abs=0.03)
    best = result.representative()
    assert (best[X] - u.low) / (u.high - u.low) == pytest.approx(0.5, abs=0.05)


def test_no_sample_kept_stops_the_waves_and_says_why():
    space = uncertainties(keys=[X])
    # each pattern alone is reachable, together they are not (x near 0.1 and near 0.9)
    patterns = [pattern("low", value=0.1, metric="a"), pattern("high", value=0.9, metric="b")]
    evaluate = toy(space, lambda x, y: (x, x))
    result = history_match(space, patterns, evaluate, waves=3, runs_per_wave=200, seeds=4)
    assert len(result.waves) == 1 and "kept no sample" in result.stopped_early
    assert result.ranges() == {} and result.representative() is None


def test_refusals():
    space = uncertainties(keys=[X])
    with pytest.raises(InputError, match="use=fit"):
        history_match(space, [pattern("h", value=1.0, use="holdout")], toy(space, None))
    with pytest.raises(InputError, match="--waves"):
        history_match(space, [pattern("h", value=1.0)], toy(space, None), waves=0)


def test_the_model_matching_stops_when_cancelled():
    from model.builtin import default_scenario
    from model.calibration.runs import calibrate
    from model.engine.run import Cancelled

    patterns = [Pattern("smes", "active_smes", Quarter.parse("2024Q3"), None, 100.0, 900.0,
                        "medium", "fit", "toy")]
    with pytest.raises(Cancelled):
        calibrate(default_scenario(), patterns, waves=2, runs_per_wave=4, seeds=2,
                  cancel=lambda: True)
    result = calibrate(default_scenario(), patterns, waves=1, runs_per_wave=4, seeds=2,
                       keys=[X])
    assert result.runs == 8 and result.meta["steps"] == 2
    assert [u.key for u in result.space] == [X]


def test_a_coefficient_the_calendar_sets_is_not_sampled():
    from model.builtin import default_scenario
    from model.calibration.runs import calibrate
    from model.schedules import parse_assignment

    scenario = default_scenario()
    scenario = scenario.with_schedules(parse_assignment("fine_rate=2024Q2:0.08",
                                                        scenario.start))
    patterns = [Pattern("smes", "active_smes", Quarter.parse("2024Q2"), None, 100.0, 900.0,
                        "medium", "fit", "toy")]
    result = calibrate(scenario, patterns, waves=1, runs_per_wave=3, seeds=1,
                       keys=[X, "fine_rate"])
    assert [u.key for u in result.space] == [X]
    assert result.meta["scheduled"] == ["fine_rate"]

"""The engine's counter-based random numbers (model/engine/draws.py): right distributions,
and a run's numbers independent of the runs drawn beside it."""
import math

import numpy as np
import pytest
from scipy import stats

from model.engine import draws


def test_a_runs_numbers_do_not_depend_on_the_other_seeds():
    alone = draws.block_uniforms(draws.stream_keys(draws.seed_keys([5]), draws.NOISE, 3), 50)
    among = draws.block_uniforms(draws.stream_keys(draws.seed_keys([3, 5, 2 ** 62]),
                                                   draws.NOISE, 3), 50)
    assert np.array_equal(alone[0], among[1])
    assert not np.array_equal(among[0], among[1])


def test_mechanisms_and_steps_draw_different_numbers():
    base = draws.seed_keys([0])
    rows = [draws.block_uniforms(draws.stream_keys(base, m, t), 8)[0]
            for m in (draws.NOISE, draws.ENTRY) for t in (1, 2)]
    assert len({tuple(r) for r in rows}) == 4


def test_uniforms_are_uniform():
    u = draws.block_uniforms(draws.stream_keys(draws.seed_keys(range(200)), draws.ENTRY, 1),
                             500).ravel()
    assert 0.0 <= u.min() and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 0.001
    levels = draws.levels16(draws.stream_keys(draws.seed_keys(range(50)), draws.NOISE, 1), 999)
    assert levels.shape == (50, 999)
    counts = np.bincount(levels.ravel() >> 12, minlength=16)  # 16 equal bins of the levels
    assert stats.chisquare(counts).pvalue > 0.001


@pytest.mark.parametrize("lam", [0.3, 4.0, 9.9, 10.0, 40.0, 300.0])
def test_poisson_counts_follow_the_poisson_law(lam):
    """Goodness of fit of 40,000 counts (either side of the switch from inversion to PTRS)."""
    means = np.full((4000, 10), lam)
    counts = draws.poisson(draws.seed_keys(range(4000)), draws.ENTRY, 7, means).ravel()
    support = np.arange(counts.max() + 2)
    expected = stats.poisson.pmf(support, lam) * len(counts)
    expected[-1] += stats.poisson.sf(support[-1], lam) * len(counts)
    observed = np.bincount(counts, minlength=len(support)).astype(float)
    keep = expected >= 5  # pool the thin tails
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    if exp[-1] < 5:
        obs, exp = obs[:-1], exp[:-1]
    exp *= obs.sum() / exp.sum()
    assert stats.chisquare(obs, exp).pvalue > 0.001
    assert abs(counts.mean() - lam) < 5 * math.sqrt(lam / len(counts))


def test_a_count_depends_only_on_its_run_and_zone():
    means = np.array([[0.5, 20.0, 0.0, 3.0]])
    alone = draws.poisson(draws.seed_keys([11]), draws.ENTRY, 4, means)
    both = draws.poisson(draws.seed_keys([1, 11]), draws.ENTRY, 4,
                         np.vstack([[500.0, 1.0, 2.0, 60.0], means]))
    assert np.array_equal(alone[0], both[1])
    assert alone[0, 2] == 0  # a mean of 0 draws nothing


def test_log_factorial():
    k = np.array([0, 1, 2, 10, 15, 16, 17, 50, 1000, 10 ** 6])
    expected = np.array([math.lgamma(x + 1) for x in k])
    assert np.allclose(draws.log_factorial(k), expected, rtol=1e-14, atol=1e-13)

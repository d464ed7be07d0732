"""Fast explorations (issue 27, item 8) keep their answers: runs with their own coefficients
in one batch equal the runs done one at a time with shared coefficients, bit for bit; a
batch that computes its end values only gives the same ends and outcomes as one that
tables every step; an exploration without bands gives the same rows; the numpy Latin
hypercube and binomial tail equal scipy's; bad changes are refused as before."""
from __future__ import annotations

import numpy as np
import pytest

from model.builtin import default_scenario
from model.engine import prepare, run_batch, run_metrics
from model.engine import kernels
from model.errors import InputError
from model.experiments.runner import Variant, check_variants, iter_runs
from model.exploration.experiment import explore
from model.exploration.futures import latin_hypercube, sample, uncertainties
from model.exploration.prim import binomial_greater
from model.parameters import PARAMETERS, ParameterSet
from model.scenario import Scenario
from reference_model import random_network

STEPS = 16


@pytest.fixture(scope="module")
def default():
    return prepare(default_scenario())


@pytest.fixture(scope="module")
def futures():
    """Eight futures of every uncertain coefficient (the exploration's sampling)."""
    return sample(uncertainties(), 8, seed=5).to_dict("records")


def test_per_run_coefficients_equal_runs_one_at_a_time(default, futures):
    """A batch of futures, each with its own 59 coefficients, is the runs done one at a
    time on the scenario with those coefficients shared: the same tables to the bit."""
    keys = list(futures[0])
    values = {k: np.array([f[k] for f in futures]) for k in keys}
    seeds = [3, 3, 8, 1, 0, 5, 2, 9]
    tables, outcomes = run_batch(default, 0, len(futures), STEPS, seeds=seeds, values=values)
    assert len({row.tobytes() for row in tables[:, -1]}) == len(futures)  # runs differ
    for r, future in enumerate(futures):
        alone, [outcome] = run_batch(default.with_parameters(future), seeds[r], 1, STEPS)
        assert np.array_equal(tables[r], alone[0]), r
        assert outcomes[r] == outcome


def test_ends_only_gives_the_first_and_last_rows(default, futures):
    values = {k: np.array([f[k] for f in futures]) for k in futures[0]}
    full, outcomes = run_batch(default, 4, len(futures), STEPS, values=values)
    ends, end_outcomes = run_batch(default, 4, len(futures), STEPS, values=values,
                                   ends_only=True)
    assert ends.shape == (len(futures), 2, full.shape[2])
    assert np.array_equal(ends[:, 0], full[:, 0]) and np.array_equal(ends[:, 1], full[:, -1])
    assert end_outcomes == outcomes
    none, _ = run_batch(default, 4, 2, 0, ends_only=True)  # no step: the end is step 0
    assert np.array_equal(none[:, 0], none[:, 1])


def test_a_single_run_with_its_own_values(default):
    """A batch of one run with per-run values (noise included) is that run alone."""
    values = {"noise_sigma": np.array([0.3]), "score_exponent": np.array([1.7]),
              "entry_rate": np.array([2.0])}
    tables, outcomes = run_batch(default, 6, 1, STEPS, values=values)
    own = default.with_parameters({k: float(v[0]) for k, v in values.items()})
    assert np.array_equal(tables[0], run_metrics(own, 6, STEPS))
    assert len(outcomes) == 1


def test_no_firms_with_per_run_score_exponent():
    """Operators only, or nothing at all that can hold a share, with the score exponent
    (and the noise) per run: the batch runs and each run equals its single run."""
    for shape in (dict(n_zones=2, n_platforms=2, n_firms=0, n_subfields=2),
                  dict(n_zones=2, n_platforms=0, n_firms=0, n_subfields=1)):
        network = random_network(2, **shape)
        prepared = prepare(Scenario(network, ParameterSet({})))
        values = {"score_exponent": np.array([1.2, 2.0, 3.5]),
                  "noise_sigma": np.array([0.0, 0.2, 0.4])}
        tables, _ = run_batch(prepared, 0, 3, 8, values=values)
        for r in range(3):
            own = prepared.with_parameters({k: float(v[r]) for k, v in values.items()})
            assert np.array_equal(tables[r], run_metrics(own, r, 8)), (shape, r)


def test_empty_blocks_take_a_per_run_exponent():
    """The kernel itself: no firm slot at all and an exponent per slot (empty)."""
    empty = np.zeros(0)
    shares = kernels.market_shares(empty, empty, np.zeros(0, dtype=bool),
                                   np.zeros(0, dtype=np.intp), np.zeros(2), empty,
                                   np.zeros(0, dtype=np.intp), 2)
    assert shares.shape == (0,)


def test_table_means_are_those_of_each_table_alone():
    rng = np.random.default_rng(3)
    sigma = np.concatenate([rng.uniform(0, 0.6, 150), [0.0, 0.1, 0.1, 2.0]])
    means = kernels.table_means(sigma)
    for s, m in zip(sigma.tolist(), means.tolist()):
        raw = np.exp(s * kernels._normal_quantiles() - 0.5 * s * s)
        assert m == raw.mean()
    assert np.array_equal(kernels.table_means(sigma[::-1]), means[::-1])  # kept ones too


def test_an_exploration_without_bands_gives_the_same_rows(default):
    kwargs = dict(futures=12, policies=("current", "benign_policy"), method=None, steps=12,
                  seed=2)
    scenario = default_scenario()
    banded = explore(scenario, **kwargs)
    plain = explore(scenario, bands=False, **kwargs)
    assert banded.step_bands is not None and plain.step_bands is None
    assert banded.rows.equals(plain.rows)
    assert np.array_equal(banded.seed_ends, plain.seed_ends)
    assert banded.robustness.equals(plain.robustness)


@pytest.mark.parametrize("d, n, seed", [(1, 1, 0), (59, 500, 0), (3, 7, 123), (2, 100, 2 ** 40)])
def test_latin_hypercube_is_scipys(d, n, seed):
    from scipy.stats import qmc

    expected = qmc.LatinHypercube(d=d, seed=np.random.default_rng(seed)).random(n)
    assert np.array_equal(latin_hypercube(d, n, seed), expected)


def test_binomial_tail_is_binomtests():
    from scipy.stats import binomtest

    rng = np.random.default_rng(0)
    for _ in range(400):
        n = int(rng.integers(1, 2500))
        k = int(rng.integers(0, n + 1))
        p = float(rng.choice([0.0, 1.0, rng.random(), k / n]))
        assert binomial_greater(k, n, p) == binomtest(k, n, p, alternative="greater").pvalue


@pytest.mark.parametrize("changes, wrong", [
    ({"lock_in_rate": 7.0}, "outside"), ({"lock_in_rate": float("nan")}, "outside"),
    ({"exit_patience": 2.5}, "whole number"), ({"lock_in_rate": "x"}, "not a number"),
    ({"no_such_key": 1.0}, "unknown parameter"),
])
def test_bad_changes_are_refused_as_before(default, changes, wrong):
    good = {k: PARAMETERS[k].default if k in PARAMETERS else 0.1 for k in changes}
    variants = [Variant(0, good), Variant(0, dict(changes)), Variant(0, good)]
    with pytest.raises(InputError) as caught:
        check_variants([default], variants)
    assert wrong in caught.value.message
    if "unknown" not in wrong:
        with pytest.raises(InputError) as alone:
            default.with_parameters(changes)
        assert caught.value.message == alone.value.message
    with pytest.raises(InputError):
        list(iter_runs([default], variants, [0], 2))


def test_good_changes_pass_the_column_check(default, futures):
    check_variants([default], [Variant(0, f) for f in futures])  # nothing raised
    check_variants([default], [Variant(0, {"exit_patience": 3}), Variant(0, {})])


def _padded_block_sum(values, n_runs):
    """block_sum as first written: every chunk, the last too, summed over SUM_CHUNK slots
    (the tail zero-padded), through as_strided."""
    x = values.reshape(n_runs, -1).astype(float)
    while x.shape[1] > 1:
        rows, length = x.shape
        full, rest = divmod(length, kernels.SUM_CHUNK)
        out = np.empty((rows, full + (rest > 0)))
        if full:
            chunks = np.lib.stride_tricks.as_strided(
                x, (rows, full, kernels.SUM_CHUNK),
                (x.strides[0], kernels.SUM_CHUNK * x.itemsize, x.itemsize), writeable=False)
            np.add.reduce(chunks, axis=2, out=out[:, :full])
        if rest:
            tail = np.zeros((rows, kernels.SUM_CHUNK))
            tail[:, :rest] = x[:, full * kernels.SUM_CHUNK:]
            out[:, full] = np.add.reduce(tail, axis=1)
        x = out
    return x[:, 0].copy()


def test_block_sums_keep_their_bits_on_every_length():
    """The short tails summed over 128 slots give the bits of 512 (signed zeros,
    subnormals and huge values included), for every block length up to 1,100."""
    rng = np.random.default_rng(0)
    for length in [*range(1, 1100), 1536, 5000]:
        runs = int(rng.integers(1, 5))
        size = runs * length
        for values in (rng.standard_normal(size) * 10.0 ** rng.integers(-300, 300, size),
                       rng.choice([0.0, -0.0, 1e-320, -1e-320, 1.0, -1.0, 1e308], size),
                       rng.random(size) > 0.5):
            with np.errstate(over="ignore", invalid="ignore"):  # 1e308 + 1e308 is inf
                expected = _padded_block_sum(values, runs)
                found = kernels.block_sum(values, runs)
            assert found.tobytes() == expected.tobytes(), length

"""PRIM against EMA Workbench, the reference implementation (the test extra installs it),
and against boxes planted in synthetic data."""
from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from model.errors import InputError
from model.exploration.prim import choose, get_quantile, prim

os.environ.setdefault("MPLBACKEND", "Agg")  # EMA Workbench imports matplotlib


def planted(seed: int, n: int = 600, noise: float = 0.05) -> tuple[pd.DataFrame, np.ndarray]:
    """Four uniform dimensions; of interest where a > 0.6 and c < 0.5, with `noise` of
    the labels flipped."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(n, 4)), columns=list("abcd"))
    y = ((x.a > 0.6) & (x.c < 0.5)).to_numpy()
    return x, y ^ (rng.uniform(size=n) < noise)


def ema_box(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim as ema_prim

        box = ema_prim.Prim(x, y, threshold=0.8, peel_alpha=0.05, paste_alpha=0.05,
                            mass_min=0.05).find_box()
    return box


@pytest.mark.parametrize("seed", range(4))
def test_trajectory_limits_and_quasi_p_values_match_ema_workbench(seed):
    x, y = planted(seed)
    theirs = ema_box(x, y)
    ours = prim(x, y)
    expected = theirs.peeling_trajectory
    got = ours.trajectory
    assert len(got) == len(expected) > 10
    for column in ("coverage", "density", "mass"):
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-12)
    np.testing.assert_array_equal(got["futures"], expected["n"])
    np.testing.assert_array_equal(got["restricted"], expected["res_dim"])
    for i, box in enumerate(ours.boxes):
        limits = theirs.box_lims[i][list(x.columns)].to_numpy(float)
        np.testing.assert_allclose(box.limits, limits, rtol=1e-12)
        assert set(box.qp) == set(theirs.qp[i])
        for name, (low, high) in box.qp.items():
            np.testing.assert_allclose((low, high), theirs.qp[i][name], rtol=1e-9)


def test_whole_number_dimensions_with_ties_match_ema_workbench():
    rng = np.random.default_rng(11)
    x = pd.DataFrame({"levels": rng.integers(0, 5, 500).astype(float),
                      "share": rng.uniform(size=500)})
    y = (x.levels >= 3).to_numpy() & (x.share > 0.3).to_numpy()
    theirs, ours = ema_box(x, y), prim(x, y)
    np.testing.assert_allclose(ours.trajectory["density"],
                               theirs.peeling_trajectory["density"], rtol=1e-12)
    np.testing.assert_allclose(ours.boxes[-1].limits,
                               theirs.box_lims[-1][list(x.columns)].to_numpy(float))


def test_the_boxes_recover_the_planted_box():
    x, y = planted(5, n=2000, noise=0.0)
    result = prim(x, y)
    box = result.box  # the widest box at least 80 % dense: it holds every case of interest
    assert box.density >= 0.8 and box.coverage == 1.0
    assert set(box.restricted) == {"a", "c"}
    rules = {r["dimension"]: r for r in result.restrictions()}
    assert 0.5 < rules["a"]["low"] <= 0.6 and rules["a"]["high"] is None
    assert 0.5 <= rules["c"]["high"] < 0.65 and rules["c"]["low"] is None
    assert all(r["significant"] for r in rules.values())
    last = {r["dimension"]: r for r in result.restrictions(len(result.boxes) - 1)}
    assert result.boxes[-1].density == 1.0  # the densest box lies inside the planted one
    assert last["a"]["low"] == pytest.approx(0.6, abs=0.03)
    assert last["c"]["high"] == pytest.approx(0.5, abs=0.03)
    text = result.rules("adverse", labels={"a": "Lock-in rate"})
    assert text.startswith("adverse when Lock-in rate > 0.58") and " and c < 0.6" in text
    assert "100% of adverse futures, 81% of the futures in the box" in text


def test_noise_dimensions_are_not_significant_and_uniform_labels_find_no_box():
    x, y = planted(2, n=1500, noise=0.0)
    result = prim(x, y)
    for r in result.restrictions(len(result.boxes) - 1):
        if r["dimension"] in ("b", "d"):
            assert not r["significant"]
    rng = np.random.default_rng(0)
    flat = prim(x, rng.uniform(size=len(x)) < 0.3)
    assert flat.box.density < 0.8  # nothing that dense exists: the densest box is shown


def test_every_future_of_interest_gives_the_whole_space():
    x, _ = planted(0, n=100)
    result = prim(x, np.ones(100, bool))
    assert len(result.boxes) == 1 and result.box.coverage == 1.0
    assert result.rules("adverse").startswith("adverse when in any future")


def test_choose_prefers_coverage_among_dense_boxes():
    from model.exploration.prim import Box

    def box(coverage, density):
        return Box(np.zeros((2, 1)), coverage, density, 1.0, 10, 5, ())
    boxes = [box(1.0, 0.3), box(0.9, 0.82), box(0.7, 0.95), box(0.4, 1.0)]
    assert choose(boxes, 0.8) == 1
    assert choose(boxes, 0.99) == 3
    assert choose(boxes[:1], 0.8) == 0


def test_bad_input_is_an_input_error():
    with pytest.raises(InputError):
        prim(pd.DataFrame({"a": [0.1, 0.2]}), [True])
    with pytest.raises(InputError):
        prim(pd.DataFrame(index=range(3)), [True, False, True])


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=60),
       st.floats(0.01, 0.99))
def test_quantile_lies_within_the_data(values, q):
    data = np.array(values)
    value = get_quantile(data, q)
    assert data.min() <= value <= data.max()


def test_warm_prim_loads_the_binomial_tail_in_a_thread():
    """An exploration starts this before its runs: scipy.special is loaded when PRIM
    needs it (checked in a fresh interpreter, where nothing has loaded it yet)."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; from model.exploration.prim import warm_prim; "
            "before = 'scipy.special._ufuncs' in sys.modules; t = warm_prim(); t.join(60); "
            "print(before, t.name, 'scipy.special._ufuncs' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True).stdout
    assert out.split() == ["False", "warm-prim", "True"]

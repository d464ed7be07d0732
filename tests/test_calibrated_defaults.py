"""The registry's defaults of the uncertain coefficients are one calibrated sample: the
medoid of the kept samples of resources/data/calibrated.json (issue 24 item 4;
docs/decisions.md, "Defaults are the calibrated medoid")."""
from __future__ import annotations

import json

import numpy as np
import pytest

from model.calibration import medoid, store
from model.errors import InputError
from model.parameters import PARAMETERS, UNCERTAIN


@pytest.fixture(scope="module")
def shipped():
    with open(store.DEFAULT_CALIBRATED, encoding="utf-8") as handle:
        return json.load(handle)


def test_every_uncertain_default_is_the_stored_sample():
    found = store.load()
    assert set(found.defaults) == set(UNCERTAIN)  # a new uncertain coefficient: recalibrate
    differ = {k: (PARAMETERS[k].default, v) for k, v in found.defaults.items()
              if PARAMETERS[k].default != v}
    assert not differ, f"registry defaults differ from the calibrated medoid: {differ}"


def test_the_stored_sample_is_a_kept_one_inside_the_calibrated_ranges(shipped):
    chosen = shipped["defaults"]
    row = shipped["samples"][chosen["row"]]
    columns = shipped["columns"]
    for key, value in chosen["values"].items():
        assert row[columns.index(key)] == value
        low, high = shipped["calibrated"][key]
        assert low <= value <= high
        plausible_low, plausible_high = shipped["plausible"][key]
        assert plausible_low <= value <= plausible_high
        if PARAMETERS[key].integer:
            assert value == int(value)
    assert row[columns.index("max_implausibility")] < shipped["cutoff"]


def test_the_rule_reproduces_the_stored_choice(shipped):
    row, values = medoid.medoid_of(shipped["columns"], shipped["samples"],
                                   shipped["plausible"])
    assert shipped["defaults"]["rule"] == medoid.RULE
    assert row == shipped["defaults"]["row"] and values == shipped["defaults"]["values"]


def test_the_medoid_is_the_least_summed_distance_ties_to_the_earlier_row():
    line = np.array([[0.0], [1.0], [2.0], [10.0]])  # sums 13, 11, 11, 25
    assert medoid.medoid_row(line, np.array([0.0]), np.array([10.0])) == 1
    # scaled by the plausible range: the second coefficient's unit does not count
    points = np.array([[0.0, 0.0], [0.5, 500.0], [1.0, 1000.0], [0.6, 0.0]])
    low, high = np.array([0.0, 0.0]), np.array([1.0, 1000.0])
    sums = [np.linalg.norm((points - p) / (high - low), axis=1).sum() for p in points]
    assert medoid.medoid_row(points, low, high) == int(np.argmin(sums)) == 1


def test_the_blocked_distances_equal_the_direct_ones(monkeypatch):
    rng = np.random.default_rng(7)
    points = rng.uniform(size=(23, 5))
    low, high = np.zeros(5), np.ones(5)
    direct = np.linalg.norm(points[:, None, :] - points[None, :, :], axis=2).sum(axis=1)
    monkeypatch.setattr(medoid, "CHUNK", 4)
    assert medoid.medoid_row(points, low, high) == int(np.argmin(direct))


def test_defaults_that_are_not_their_row_are_refused(shipped, tmp_path):
    tampered = json.loads(json.dumps(shipped))
    key = next(iter(tampered["defaults"]["values"]))
    tampered["defaults"]["values"][key] *= 1.01
    path = tmp_path / "c.json"
    path.write_text(json.dumps(tampered), encoding="utf-8")
    with pytest.raises(InputError, match="not the values of the kept sample"):
        store.load(str(path))
    tampered["defaults"] = {"rule": "x", "row": len(shipped["samples"]), "values": {}}
    path.write_text(json.dumps(tampered), encoding="utf-8")
    with pytest.raises(InputError, match="do not name a row"):
        store.load(str(path))


def test_the_matched_digest_ignores_the_sampled_coefficients_only():
    """The calibration sets every sampled coefficient itself, so the scenario's own values
    of those (the defaults) do not make it stale; any other parameter does."""
    from model.builtin import resolve_builtin
    from model.calibration.runs import matched_digest
    from model.engine import prepare

    found = store.load()
    prepared = prepare(resolve_builtin("history"))
    digest = matched_digest(prepared, found.digest_excludes)
    assert digest == found.scenario_digest  # the shipped calibration matches today's data
    moved = prepared.with_parameters({"lock_in_rate": 0.02})
    assert matched_digest(moved, found.digest_excludes) == digest
    assert moved.digest != prepared.digest  # the full digest does see it
    other = prepared.with_parameters({"data_ref": 50.0})  # not sampled
    assert "data_ref" not in found.digest_excludes
    assert matched_digest(other, found.digest_excludes) != digest

"""`calibrate` on the command line, the patterns file's checks, the calibrated futures as a
resource and `explore --ranges` (issue 24)."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from model.calibration import store
from model.calibration.patterns import load_patterns
from model.cli import main
from model.errors import InputError

SMALL = Path(__file__).parent / "data" / "patterns_small.csv"
QUICK = ["calibrate", "--scenario", "default", "--start", "2017Q4", "--waves", "2",
         "--runs-per-wave", "12", "--seeds", "2", "--quiet"]
HEADER = "id,metric,quarter,value,low,high,confidence,use,source,note\n"


def call(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """One small calibration, its resource, workbook and JSON."""
    folder = tmp_path_factory.mktemp("cal")
    patterns = folder / "patterns.csv"
    shutil.copy(SMALL, patterns)
    paths = {"patterns": patterns, "save": folder / "calibrated.json",
             "out": folder / "c.xlsx", "json": folder / "c.json"}
    code = main(QUICK + [
        "--patterns", str(patterns), "--save", str(paths["save"]), "--out",
        str(paths["out"]), "--json", str(paths["json"])])
    assert code == 0
    return paths


def bad_file(tmp_path, row: str) -> Path:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("row, words", [
    ("a,not_a_metric,2020Q4,1,,,high,fit,src,", "'not_a_metric' is not a metric"),
    ("a,hhi_mean,2020Q5,1,,,high,fit,src,", "quarter"),
    ("a,hhi_mean,2020Q4,5,1,2,high,fit,src,", "outside its range"),
    ("a,hhi_mean,2020Q4,,1,,high,fit,src,", "only one end"),
    ("a,hhi_mean,2020Q4,1,,,sure,fit,src,", "confidence 'sure'"),
    ("a,hhi_mean,2020Q4,1,,,high,both,src,", "neither fit nor holdout"),
    ("a,hhi_mean,2020Q4,1,,,high,fit,,", "source is empty"),
    ("a,hhi_mean,2020Q4,x,,,high,fit,src,", "not a finite number"),
])
def test_a_bad_pattern_row_is_refused_naming_file_and_line(tmp_path, row, words):
    path = bad_file(tmp_path, row)
    with pytest.raises(InputError) as caught:
        load_patterns(str(path))
    line = caught.value.line()
    assert words in line and "p.csv" in line and "line 2" in line


def test_patterns_are_read_with_their_tolerances():
    patterns = {p.id: p for p in load_patterns(str(SMALL))}
    assert set(patterns) == {"smes_2019", "hhi_2021", "cr4_2021", "acq_2022"}
    hhi = patterns["hhi_2021"]
    assert hhi.value == 2100 and hhi.tolerance_var == pytest.approx((0.15 * 2100) ** 2)
    assert hhi.observation_var == pytest.approx((1200 / 4) ** 2)
    assert patterns["cr4_2021"].use == "holdout" and patterns["smes_2019"].value is None


def test_calibrate_prints_waves_ranges_and_verdicts(calibrated, capsys):
    code, out, err = call(capsys, *QUICK, "--patterns", calibrated["patterns"], "--no-save")
    assert code == 0, err
    assert out.count("wave ") >= 2 and "of the plausible space" in out
    assert "Calibrated ranges" in out and "lock_in_rate" in out
    assert "Held out:" in out and "cr4_2021" in out
    assert "wrote" not in out  # --no-save


def test_the_resource_names_its_versions_and_keeps_the_samples(calibrated):
    data = json.loads(calibrated["save"].read_text(encoding="utf-8"))
    digest = hashlib.sha256(calibrated["patterns"].read_bytes()).hexdigest()
    assert data["data_version"]["patterns_sha256"] == digest
    assert data["data_version"]["scenario"] == "default"
    assert data["data_version"]["start"] == "2017Q4"
    assert data["tool_version"] and data["data_version"]["scenario_digest"]
    assert len(data["samples"]) >= 1 and data["columns"][0] == "wave"
    worst = [row[-1] for row in data["samples"]]
    assert max(worst) < data["cutoff"] and worst == sorted(worst)
    for key, (low, high) in data["calibrated"].items():
        plo, phi = data["plausible"][key]
        assert plo <= low <= high <= phi
    found = store.load(str(calibrated["save"]))
    assert found.ranges and found.samples == len(data["samples"])
    # the medoid the registry's defaults would become, by the stated rule, is written
    from model.calibration.medoid import medoid_of

    row, values = medoid_of(data["columns"], data["samples"], data["plausible"])
    assert data["defaults"]["row"] == row and data["defaults"]["values"] == values
    assert found.defaults == values and found.defaults_row == row
    assert data["data_version"]["digest_excludes"] == list(data["plausible"])


def test_the_workbook_has_a_calibration_sheet_row_per_pattern(calibrated):
    book = load_workbook(calibrated["out"], read_only=True)
    assert "Calibration" in book.sheetnames
    rows = list(book["Calibration"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Pattern")
    ids = [r[0] for r in rows[header + 1:header + 5]]
    assert ids == ["smes_2019", "hhi_2021", "cr4_2021", "acq_2022"]
    assert {r[8] for r in rows[header + 1:header + 5]} == {"fit", "holdout"}
    assert all(r[14] in ("in", "out", "missed by every sample (structural)")
               for r in rows[header + 1:header + 5])
    methodology = [c for r in book["Methodology"].iter_rows(values_only=True) for c in r if c]
    assert any("Vernon, Goldstein and Bower" in str(c) for c in methodology)


def test_the_json_lists_every_pattern_with_its_bands(calibrated):
    data = json.loads(calibrated["json"].read_text(encoding="utf-8"))
    assert [p["id"] for p in data["patterns"]] == ["smes_2019", "hhi_2021", "cr4_2021",
                                                   "acq_2022"]
    for p in data["patterns"]:
        assert p["before"][0] <= p["before"][1] and p["source"]


def test_ranges_choice_follows_the_resource_and_the_data(calibrated, tmp_path):
    save, patterns = str(calibrated["save"]), str(calibrated["patterns"])
    choice = store.choose_ranges(None, save, patterns)
    assert choice.name == "calibrated" and choice.ranges and "calibrated" in choice.note
    assert store.choose_ranges("plausible", save, patterns).ranges == {}
    missing = store.choose_ranges(None, str(tmp_path / "none.json"), patterns)
    assert missing.name == "plausible" and "no calibration found" in missing.note
    with pytest.raises(InputError, match="--ranges calibrated"):
        store.choose_ranges("calibrated", str(tmp_path / "none.json"), patterns)
    changed = tmp_path / "patterns.csv"
    changed.write_text(Path(patterns).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stale = store.choose_ranges(None, save, str(changed))
    assert stale.name == "plausible" and "changed since the calibration" in stale.note
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "data_version": {}, "calibrated": {"nope": [0, 1]}}')
    assert "no coefficient" in store.choose_ranges(None, str(broken), patterns).note


def test_explore_samples_the_calibrated_ranges_and_says_so(calibrated, capsys, monkeypatch,
                                                           tmp_path):
    monkeypatch.setattr(store, "DEFAULT_CALIBRATED", str(calibrated["save"]))
    monkeypatch.setattr(store, "DEFAULT_PATTERNS", str(calibrated["patterns"]))
    out_json = tmp_path / "e.json"
    code, out, err = call(capsys, "explore", "--steps", "2", "--futures", "8", "--method",
                          "none", "--quiet", "--json", out_json)
    assert code == 0, err
    assert "ranges: calibrated futures: drawn from the" in out
    data = json.loads(out_json.read_text(encoding="utf-8"))
    ranges = json.loads(calibrated["save"].read_text(encoding="utf-8"))["calibrated"]
    assert data["ranges"] == "calibrated"
    for key, (low, high) in data["uncertain"].items():
        assert [low, high] == pytest.approx(ranges[key])
    code, out, _ = call(capsys, "explore", "--steps", "2", "--futures", "8", "--method",
                        "none", "--quiet", "--ranges", "plausible",
                        "--uncertain", "lock_in_rate=0.05:0.1")
    assert code == 0 and "ranges: plausible ranges (as asked)" in out


def test_explore_without_a_calibration_notes_the_plausible_ranges(capsys, monkeypatch,
                                                                  tmp_path):
    monkeypatch.setattr(store, "DEFAULT_CALIBRATED", str(tmp_path / "none.json"))
    code, out, _ = call(capsys, "explore", "--steps", "2", "--futures", "6", "--method",
                        "none", "--quiet")
    assert code == 0 and "ranges: plausible ranges: no calibration found" in out
    code, _, err = call(capsys, "explore", "--steps", "2", "--futures", "6", "--method",
                        "none", "--quiet", "--ranges", "calibrated")
    assert code == 2 and "run `calibrate` first" in err


def test_calibrate_refusals_name_the_file_or_scenario(capsys, tmp_path, monkeypatch):
    code, _, err = call(capsys, *QUICK, "--patterns", tmp_path / "missing.csv", "--no-save")
    assert code == 2 and "missing.csv" in err and "no patterns file" in err
    code, _, err = call(capsys, *QUICK, "--patterns", SMALL, "--waves", "0", "--no-save")
    assert code == 2 and "--waves" in err
    early = bad_file(tmp_path, "a,hhi_mean,2016Q4,1,,,high,fit,src,")
    code, _, err = call(capsys, *QUICK, "--patterns", early, "--no-save")
    assert code == 2 and "before the start 2017Q4" in err
    import model.builtin as builtin

    monkeypatch.setattr(builtin, "resolve_builtin", lambda spec, seed=0: None)
    monkeypatch.chdir(tmp_path)
    code, _, err = call(capsys, "calibrate", "--patterns", SMALL, "--no-save", "--quiet")
    assert code == 2 and "'history'" in err and "--scenario default --start 2017Q4" in err


def test_the_defaults_are_compared_with_the_calibrated_ranges(calibrated, capsys):
    from model.calibration import defaults
    from model.parameters import PARAMETERS

    rows = defaults.comparison(str(calibrated["save"]))
    data = json.loads(calibrated["save"].read_text(encoding="utf-8"))
    assert {r["key"] for r in rows} == set(data["calibrated"])
    for r in rows:
        assert r["outside"] == (not r["low"] <= PARAMETERS[r["key"]].default <= r["high"])
        assert r["representative"] == pytest.approx(data["representative"][r["key"]])
        assert r["low"] <= r["representative"] <= r["high"]
    assert defaults.main([str(calibrated["save"])]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(rows)


def test_calibrated_futures_are_kept_samples_not_box_corners():
    """Each future takes its calibrated coefficients together from one kept sample; a
    coefficient the user gave a range keeps its own draw."""
    import numpy as np
    import pandas as pd

    from model.calibration.store import CALIBRATED, RangeChoice, draw_kept

    kept = {"lock_in_rate": np.array([0.03, 0.05, 0.07]),
            "exit_share": np.array([0.11, 0.22, 0.33])}
    choice = RangeChoice(CALIBRATED, {"lock_in_rate": (0.03, 0.07),
                                      "exit_share": (0.11, 0.33)}, "test", kept)
    grid = pd.DataFrame({"lock_in_rate": np.linspace(0.03, 0.07, 8),
                         "exit_share": np.linspace(0.11, 0.33, 8),
                         "acquisition_rate": np.linspace(0.02, 0.1, 8)})
    drawn = draw_kept(grid, choice, None, seed=1)
    pairs = {(round(a, 6), round(b, 6)) for a, b in zip(kept["lock_in_rate"], kept["exit_share"])}
    assert {(round(a, 6), round(b, 6)) for a, b in
            zip(drawn["lock_in_rate"], drawn["exit_share"])} <= pairs
    assert drawn["acquisition_rate"].equals(grid["acquisition_rate"])
    mine = draw_kept(grid, choice, {"exit_share": (0.1, 0.4)}, seed=1)
    assert mine["exit_share"].equals(grid["exit_share"])
    assert set(mine["lock_in_rate"].round(6)) <= set(kept["lock_in_rate"].round(6))


def test_explore_on_the_shipped_calibration_draws_kept_samples():
    from model.builtin import default_scenario
    from model.calibration.store import CALIBRATED, choose_ranges
    from model.exploration.experiment import explore

    choice = choose_ranges(None)
    assert choice.name == CALIBRATED, choice.note  # the resource matches the data shipped
    result = explore(default_scenario(), futures=12, method=None, steps=4, ranges=choice)
    keys = [k for k in result.futures.columns if k in choice.kept]
    assert len(keys) > 10
    kept_rows = {tuple(round(float(choice.kept[k][i]), 9) for k in keys)
                 for i in range(len(choice.kept[keys[0]]))}
    for _, row in result.futures.iterrows():
        assert tuple(round(float(row[k]), 9) for k in keys) in kept_rows

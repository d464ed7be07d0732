"""Paired end differences with their bands, the same numbers in the command line, the
Comparison sheet and the compare JSON (issue 23 item 3)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from openpyxl import load_workbook

from model.cli import main
from model.engine.metrics import METRIC_KEYS
from model.experiments import paired

HHI = METRIC_KEYS.index("hhi_mean")
VARIANTS = ["--variant", "now=antitrust_enforcement=0:0.8",
            "--variant", "wait=antitrust_enforcement=2:0.8"]


def comparison(effects: dict[str, list[float]]):
    """A stand-in comparison: each label's HHI at the end is 1000 + 100 r + effect[r]."""
    runs = len(next(iter(effects.values())))
    results = {}
    for label, effect in effects.items():
        arr = np.zeros((runs, 2, len(METRIC_KEYS)))
        arr[:, 1, HHI] = 1000 + 100 * np.arange(runs) + np.array(effect)
        results[label] = SimpleNamespace(runs=arr)
    return SimpleNamespace(labels=tuple(effects), results=results, reference=None)


def test_the_band_and_the_two_standard_errors():
    effect = [10.0 + r for r in range(10)]
    cmp = comparison({"ref": [0.0] * 10, "b": effect})
    b = paired.end_differences(cmp)["b"]["hhi_mean"]
    assert b["mean"] == pytest.approx(14.5)
    assert b["se"] == pytest.approx(np.std(effect, ddof=1) / np.sqrt(10))
    assert b["p5"] == pytest.approx(np.percentile(effect, 5))
    assert b["distinguishable"] and not b["band_includes_0"]
    noisy = comparison({"ref": [0.0] * 4, "b": [-5.0, 5.0, -4.0, 4.5]})
    n = paired.end_differences(noisy)["b"]["hhi_mean"]
    assert not n["distinguishable"] and n["band_includes_0"]


def test_the_reference_is_against_or_the_first():
    cmp = comparison({"a": [0.0] * 3, "b": [1.0] * 3, "c": [2.0] * 3})
    assert set(paired.end_differences(cmp)) == {"b", "c"}
    ends = paired.end_differences(cmp, "c")
    assert set(ends) == {"a", "b"} and ends["a"]["hhi_mean"]["mean"] == pytest.approx(-2)


def test_cli_workbook_and_json_write_the_same_numbers(capsys, tmp_path):
    book, data = tmp_path / "c.xlsx", tmp_path / "c.json"
    assert main(["compare", "default", *VARIANTS, "--runs", "4", "--steps", "4", "--quiet",
                 "--against", "now", "--out", str(book), "--json", str(data)]) == 0
    out = capsys.readouterr().out
    variants = {v["name"]: v for v in json.loads(data.read_text("utf-8"))["variants"]}
    assert "difference_to" not in variants["now"]
    wait = variants["wait"]
    assert wait["difference_to"] == "now"
    hhi = wait["end_difference"]["hhi_mean"]
    assert set(hhi) >= {"mean", "p5", "p95", "se"}
    ws = load_workbook(book)["Comparison"]
    table = ws.tables["Comparison_Paired"]
    first, last = table.ref.split(":")
    rows = [[c.value for c in r] for r in ws[f"{first}:{last}"]][1:]
    cell = next(r for r in rows if r[0] == "wait" and r[1] == "HHI (mean)")
    assert cell[2] == pytest.approx(hhi["mean"]) and cell[4] == pytest.approx(hhi["p95"])
    assert cell[5] == pytest.approx(hhi["se"])
    assert "wait - now, HHI (mean) at the end" in out

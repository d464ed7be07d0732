"""The command line shell: presets, validate, convert, and how wrong input is reported."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from model import __version__
from model.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run_main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_version_through_main_py():
    done = run_main("--version")
    assert done.returncode == 0 and done.stdout.strip().endswith(__version__)


def test_presets_lists_builtins_presets_and_levers(capsys):
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    for word in ("default", "synthetic:N", "benign", "adverse", "aml2022_pipl", "eu_parity",
                 "antitrust_enforcement", "compute_subsidy"):
        assert word in out
    assert "talent_half" not in out
    assert main(["presets", "--parameters"]) == 0
    out = capsys.readouterr().out
    assert "talent_half" in out
    assert "explored over 0.02 to 0.15: lock-in speed" in out


def test_convert_default_then_validate(tmp_path, capsys):
    target = tmp_path / "x.json"
    assert main(["convert", "default", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["format"]
    assert main(["validate", str(target)]) == 0
    assert "is valid" in capsys.readouterr().out


def test_convert_applies_preset_and_sets(tmp_path):
    from model.files import load_file

    target = tmp_path / "benign.json"
    code = main(["convert", "default", str(target), "--preset", "benign",
                 "--set", "compute_subsidy=0.25"])
    assert code == 0
    params = load_file(str(target)).current.parameters
    assert params["compute_subsidy"] == 0.25 and params["antitrust_enforcement"] == 0.8


def test_convert_synthetic_to_graphml_and_back(tmp_path, capsys):
    graphml = tmp_path / "s.graphml"
    assert main(["convert", "synthetic:50", str(graphml), "--seed", "3"]) == 0
    assert main(["validate", str(graphml)]) == 0
    assert "is valid" in capsys.readouterr().out
    from model.files import load_file

    assert len(load_file(str(graphml)).current.network.firms) == 50


def broken_file(tmp_path: Path) -> Path:
    from factories import small_records

    nodes, edges = small_records()
    nodes[0]["talent"] = -3
    edges.append({"source": "f-sme1", "target": "ghost", "type": "uses"})
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"format": "ai-ecosystem-scenario", "version": 1,
                                "title": "t", "nodes": nodes, "edges": edges}), encoding="utf-8")
    return path


def test_validate_lists_every_problem_and_exits_2(tmp_path, capsys):
    path = broken_file(tmp_path)
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "node 'z-hub': talent" in out and "ghost" in out and "2 problems" in out


@pytest.mark.parametrize("args, words", [
    (["validate", "missing.json"], ["missing.json"]),
    (["convert", "default", "out.docx"], ["out.docx", ".json"]),
    (["convert", "default", "x.json", "--set", "antitrust_enforcement=3"],
     ["antitrust_enforcement", "[0, 1]"]),
    (["convert", "default", "x.json", "--set", "nonsense=1"], ["nonsense"]),
    (["convert", "default", "x.json", "--set", "novalue"], ["KEY=VALUE"]),
    (["convert", "default", "x.json", "--preset", "utopia"], ["utopia", "benign"]),
    (["convert", "synthetic:abc", "x.json"], ["synthetic:abc"]),
    (["frobnicate"], ["frobnicate"]),
])
def test_wrong_input_exits_2_with_one_clear_line_and_writes_nothing(tmp_path, monkeypatch,
                                                                     args, words):
    monkeypatch.chdir(tmp_path)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_broken_file_is_not_replaced_by_a_failed_convert(tmp_path):
    good = tmp_path / "good.json"
    assert main(["convert", "default", str(good)]) == 0
    before = good.read_bytes()
    broken = broken_file(tmp_path)
    assert main(["convert", str(broken), str(good)]) == 2
    assert good.read_bytes() == before

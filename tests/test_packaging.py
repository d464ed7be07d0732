"""The packaged application: build it, run its command line offline, check its workbook.

Slow (a PyInstaller build takes minutes); `.ci/run` runs it with everything else.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from model import __version__

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform != "linux",
                                 reason="the bundle test builds the Linux bundle")]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    env = {**os.environ, "PYTHON": sys.executable, "DIST": str(dist)}
    done = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    executable = dist / "AIEcosystemPlanner" / "AIEcosystemPlanner"
    assert executable.is_file()
    return executable


def offline(command: list[str]) -> list[str]:
    """The command inside a network namespace with no network at all."""
    unshare = shutil.which("unshare")
    assert unshare, "unshare (util-linux) is needed to prove the bundle works offline"
    return [unshare, "--net", "--"] + command


def test_bundle_prints_its_version(bundle):
    done = subprocess.run([str(bundle), "--version"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"AIEcosystemPlanner {__version__}"


def test_bundle_runs_headless_offline_and_writes_a_workbook(bundle, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "brief.xlsx"
    probe = subprocess.run(offline(["true"]), capture_output=True, text=True)
    assert probe.returncode == 0, f"cannot make a network namespace: {probe.stderr}"
    done = subprocess.run(offline([str(bundle), "run", "--steps", "8", "--runs", "3",
                                   "--quiet", "--out", str(out)]),
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[0] == "Summary" and "TimeSeries" in wb.sheetnames
    rows = list(wb["TimeSeries"].iter_rows(values_only=True))
    assert rows[0][0] == "Step" and rows[1][0] == "step"  # labels, then keys
    assert len(rows) == 2 + 9  # steps 0..8
    assert "hhi_mean_mean" in rows[1]


def test_bundle_opens_the_application_offline(bundle, tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "AI_ECOSYSTEM_QUIT_AFTER_START": "1"}
    done = subprocess.run(offline([str(bundle)]), capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stderr


def test_bundle_carries_the_user_guide_with_its_pictures(bundle):
    """Help > User Guide reads docs/USER_GUIDE.md beside the bundle's code."""
    guide = next(bundle.parent.rglob("USER_GUIDE.md"))
    assert (guide.parent / "images" / "01-start-page.png").is_file()
    pictures = [line.split("](")[1].rstrip(")") for line in guide.read_text().splitlines()
                if line.startswith("![")]
    assert pictures and all((guide.parent / p).is_file() for p in pictures)


def test_bundle_explores_offline_with_its_own_salib(bundle, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "explore.xlsx"
    done = subprocess.run(offline([str(bundle), "explore", "--futures", "20", "--steps", "6",
                                   "--policies", "benign_policy,adverse_policy",
                                   "--method", "sobol",
                                   "--sensitivity-runs", "10", "--outcome", "benign",
                                   "--quiet", "--out", str(out)]),
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Robustness" in done.stdout and "Top sensitivities (total Sobol index" in done.stdout
    names = load_workbook(out, read_only=True).sheetnames
    assert {"Futures", "Discovery", "Sensitivity indices", "Robustness"} <= set(names)

"""The engine's commands: `run`, `compare` and `sweep` (INTERFACES.md), through
`model.cli.main`: summaries on stdout, exit 0; wrong input: one line on stderr, exit 2."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from model.cli import main
from model.cli.progress import Progress
from model.files import load_file

ROOT = Path(__file__).resolve().parents[1]

SHORT = ["--steps", "4", "--quiet"]


def call(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_single_run_prints_start_end_and_outcome(capsys):
    code, out, err = call(capsys, "run", *SHORT)
    assert code == 0 and err == ""
    assert "China national AI ecosystem" in out and "seed 0, 4 steps" in out
    lines = {line.split("  ")[0]: line for line in out.splitlines()}
    assert "HHI (mean)" in lines and "Talent Gini" in lines and "Brain drain" in lines
    from model.builtin import default_scenario
    from model.engine import METRIC_KEYS, prepare, run_metrics

    start = run_metrics(prepare(default_scenario()), 0, 0)[0, METRIC_KEYS.index("hhi_mean")]
    assert lines["HHI (mean)"].split()[-2] == f"{start:,.0f}"  # the default scenario's start
    assert "outcome: " in out and "not a forecast" in out


def test_monte_carlo_prints_bands_and_outcome_shares(capsys):
    code, out, _ = call(capsys, "run", "--runs", "3", "--preset", "adverse", *SHORT)
    assert code == 0
    assert "3 runs on seeds 0..2" in out and "2025Q1 mean" in out and "p5 .. p95" in out
    assert "outcomes: adverse" in out and "%" in out


def test_a_small_batch_memory_gives_the_same_monte_carlo(capsys):
    """--batch-memory bounds how many runs step together, not what they compute."""
    _, roomy, _ = call(capsys, "run", "--runs", "6", *SHORT)
    code, tight, _ = call(capsys, "run", "--runs", "6", "--batch-memory", "1", *SHORT)
    assert code == 0 and tight == roomy


def test_synthetic_scenario_and_sets(capsys):
    code, out, _ = call(capsys, "run", "synthetic:200", "--seed", "2",
                        "--set", "antitrust_enforcement=0.9", "--set", "noise_sigma=0", *SHORT)
    assert code == 0 and "Synthetic ecosystem of 200 firms" in out


@pytest.mark.parametrize("argv,message", [
    (["run", "--set", "no_such_key=1"], "unknown parameter"),
    (["run", "--set", "antitrust_enforcement=3"], "outside [0, 1]"),
    (["run", "--set", "antitrust_enforcement"], "is not KEY=VALUE"),
    (["run", "--preset", "utopia"], "unknown preset"),
    (["run", "--steps", "-1"], "--steps"),
    (["run", "--runs", "0"], "--runs"),
    (["run", "--runs", "5", "--batch-memory", "0"], "--batch-memory"),
    (["run", "synthetic:abc"], "not a whole number"),
    (["run", "no_such_file.json"], "no_such_file.json"),
    (["compare", "default", "default", "--presets", "benign"], "--presets"),
    (["compare", "default", "--presets", "benign,utopia"], "unknown preset"),
    (["sweep", "--param", "no_such_key", "--values", "1,2"], "unknown parameter"),
    (["sweep", "--param", "openness_floor", "--values", "0.1,7"], "outside"),
    (["sweep", "--param", "openness_floor", "--values", ","], "names nothing"),
])
def test_wrong_input_exits_2_with_one_line(capsys, argv, message):
    code, out, err = call(capsys, argv[0], *SHORT, *argv[1:])  # argv's own options win
    assert code == 2, err
    assert message in err and err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def sheet_names(path) -> list[str]:
    from openpyxl import load_workbook

    return load_workbook(path, read_only=True).sheetnames


def test_run_out_writes_the_briefing(capsys, tmp_path):
    target = tmp_path / "brief.xlsx"
    code, out, err = call(capsys, "run", "--runs", "3", "--out", str(target), *SHORT)
    assert code == 0, err
    assert f"wrote {target}" in out
    names = sheet_names(target)
    assert names[0] == "Summary" and names[-1] == "Methodology" and "TimeSeries" in names


def test_compare_and_sweep_out(capsys, tmp_path):
    compared = tmp_path / "cmp.xlsx"
    code, _, err = call(capsys, "compare", "default", "--presets", "benign,adverse",
                        "--runs", "2", "--out", str(compared), *SHORT)
    assert code == 0, err
    assert sheet_names(compared)[:2] == ["Summary", "Comparison"]
    swept = tmp_path / "sweep.xlsx"
    code, _, err = call(capsys, "sweep", "--param", "antitrust_enforcement", "--values",
                        "0,0.5,1", "--out", str(swept), *SHORT)
    assert code == 0, err
    assert "Sensitivity" in sheet_names(swept)


def test_a_workbook_is_a_scenario_too(capsys, tmp_path):
    first, again = tmp_path / "brief.xlsx", tmp_path / "again.xlsx"
    assert call(capsys, "run", "--set", "antitrust_enforcement=0.7", "--out", str(first),
                *SHORT)[0] == 0
    code, out, err = call(capsys, "run", str(first), "--out", str(again), *SHORT)
    assert code == 0, err
    from model.workbook.reader import read_workbook

    back = read_workbook(again).current
    assert back.parameters["antitrust_enforcement"] == 0.7
    assert len(back.network.nodes) == len(read_workbook(first).current.network.nodes)


@pytest.mark.parametrize("out, message", [("brief.txt", "not an .xlsx"),
                                          ("missing/brief.xlsx", "does not exist")])
def test_bad_out_is_refused_before_running(capsys, tmp_path, out, message):
    code, _, err = call(capsys, "run", "--out", str(tmp_path / out), *SHORT)
    assert code == 2 and message in err
    assert list(tmp_path.iterdir()) == []


def test_compare_presets_on_common_seeds(capsys):
    code, out, _ = call(capsys, "compare", "default", "--presets", "default,benign,adverse",
                        "--runs", "2", *SHORT)
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "default", "benign", "adverse"]
    assert "difference to 'default'" in out
    assert any(line.startswith("adverse") and line.count("%") == 3
               for line in out.splitlines())


def test_compare_two_scenarios(capsys):
    code, out, _ = call(capsys, "compare", "default", "synthetic:100", *SHORT)
    assert code == 0 and "synthetic:100" in out


def test_sweep_lists_each_value(capsys):
    code, out, _ = call(capsys, "sweep", "--param", "antitrust_enforcement",
                        "--values", "0,0.5,1", *SHORT)
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines() if line.strip()]
    assert {"0", "0.5", "1"} <= set(rows)
    assert "sweep of antitrust_enforcement" in out


def test_runs_on_a_dask_scheduler(capsys):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, host="127.0.0.1",
                                  protocol="tcp://", dashboard_address=None) as cluster:
        code, out, _ = call(capsys, "run", "--runs", "2", "--scheduler",
                            cluster.scheduler_address, *SHORT)
    assert code == 0 and "2 runs on seeds 0..1" in out


def test_progress_bar_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    with Progress(SimpleNamespace(quiet=False), "runs", stream=screen) as bar:
        bar.update(5, 10)
        bar.update(10, 10)
    assert "10/10 runs" in screen.getvalue() and screen.getvalue().endswith("\n")
    quiet = Terminal()
    with Progress(SimpleNamespace(quiet=True), "runs", stream=quiet) as bar:
        bar.update(1, 1)
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    with Progress(SimpleNamespace(quiet=False), "runs", stream=piped) as bar:
        bar.update(1, 1)
    assert piped.getvalue() == ""


def test_a_scheduled_run_matches_the_constant_run_until_its_change(capsys, tmp_path):
    """The issue's check, shortened: a workbook whose TimeSeries equals the run without the
    change up to the changing step, and differs from it on."""
    from openpyxl import load_workbook

    def series(*options):
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.xlsx"
        code, text, _ = call(capsys, "run", "--runs", "4", "--steps", "16", "--quiet",
                             "--out", str(out), *options)
        assert code == 0
        rows = list(load_workbook(out, read_only=True)["TimeSeries"].values)
        return text, rows[1], rows[2:]  # under the labels for people: the keys, the rows

    text, header, scheduled = series("--schedule", "antitrust_enforcement=0:0,10:1")
    _, _, constant = series("--set", "antitrust_enforcement=0")
    assert header[:3] == ("step", "quarter", "hhi_mean_mean")
    assert [r[1] for r in scheduled[:2]] == ["2024Q1", "2024Q2"]
    assert scheduled[:10] == constant[:10] and all(a != b for a, b in
                                                   zip(scheduled[10:], constant[10:]))
    assert "schedule: antitrust_enforcement 2024Q1:0,2026Q3:1" in text
    assert "2024Q1 to 2028Q1" in text


def test_start_moves_the_calendar_and_dated_presets(capsys):
    code, out, _ = call(capsys, "run", "--start", "2021Q1", "--preset", "aml2022_pipl", *SHORT)
    assert code == 0 and "2021Q1 to 2022Q1" in out
    assert "schedule: antitrust_enforcement 2022Q3:0.6" in out
    assert "schedule: data_protection 2021Q4:0.7" in out


def test_compare_schedules_of_one_scenario(capsys, tmp_path):
    code, out, _ = call(capsys, "compare", "default", "--variant",
                        "now=antitrust_enforcement=0:0.8", "--variant",
                        "wait=antitrust_enforcement=8:0.8;lock_in_rate=4:0.1", "--runs", "2",
                        *SHORT[:2], "--steps", "12", "--quiet")
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "base", "now", "wait"]
    assert "wait: schedule lock_in_rate 2025Q1:0.1" in out
    path = tmp_path / "two.json"
    assert call(capsys, "convert", "default", str(path), "--schedule",
                "antitrust_enforcement=2:0.9")[0] == 0
    from model.files import load_file, save_file
    from model.scenario import Project

    project = load_file(path)
    plain = project.current.renamed("plain").with_schedules()
    plain = type(plain)(plain.network, plain.parameters, "plain", plain.title)
    save_file(Project((project.current, plain)), path)
    code, out, _ = call(capsys, "compare", str(path), "--variants", "--runs", "2", *SHORT)
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert code == 0 and header.split() == ["metric", "main", "plain"]


@pytest.mark.parametrize("argv,message", [
    (["--schedule", "antitrust_enforcement=0-1"], "is not QUARTER:VALUE"),
    (["--schedule", "no_such=0:1"], "unknown parameter"),
    (["--schedule", "antitrust_enforcement=0:3"], "outside [0, 1]"),
    (["--schedule", "antitrust_enforcement=50:1"], "outside the run"),
    (["--schedule", "antitrust_enforcement=2020Q1:1"], "outside the run"),
    (["--schedule", "antitrust_enforcement=2:1", "--schedule", "antitrust_enforcement=3:0"],
     "twice"),
    (["--schedule", "market_size=2:10"], "cannot follow a schedule"),
    (["--start", "2024Q5"], "--start"),
])
def test_wrong_schedules_exit_2_with_one_line(capsys, argv, message):
    code, out, err = call(capsys, "run", *argv, "--steps", "40", "--quiet")
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("argv,message", [
    (["--variant", "x=antitrust_enforcement=1:0.5", "--presets", "benign"], "cannot be combined"),
    (["--variant", "nameonly"], "is not NAME=KEY"),
    (["--variant", "base=antitrust_enforcement=1:0.5"], "named 'base'"),
])
def test_wrong_variants_exit_2(capsys, argv, message):
    code, _, err = call(capsys, "compare", "default", *argv, *SHORT)
    assert code == 2 and message in err


@pytest.mark.parametrize("args", [["run", "synthetic:20", "--runs", "3"],
                                  ["explore", "synthetic:20", "--futures", "4",
                                   "--method", "none"]], ids=["run", "explore"])
def test_a_closed_stdout_ends_the_printing_not_the_work(tmp_path, args):
    """`... --out f.xlsx | head -1`: the reader has gone before the summary is printed
    (here, before the command starts); the --out file is still written, exit 0."""
    out = tmp_path / "f.xlsx"
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: every write to stdout fails with EPIPE
    try:
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--out", str(out)],
                              cwd=ROOT, stdout=write_end, stderr=subprocess.PIPE, text=True,
                              timeout=300)
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Broken pipe" not in done.stderr, done.stderr
    assert load_file(out).current.network.nodes.shape[0] > 0

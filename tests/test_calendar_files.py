"""Every file the tool writes, it reads back: quarters are made within the years the
readers accept (start plus steps, changes given as step numbers), and a scenario's start
and schedules survive every format."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from file_strategies import QUARTERS, dated_scenarios
from model.calendar import Quarter, run_end
from model.cli import main
from model.errors import InputError
from model.files import load_file, save_file
from model.schedules import parse_changes

FORMATS = (".json", ".graphml", ".xlsx")
# Excel keeps 16 significant digits (docs/scenario-format.md); JSON and GraphML keep all.
PRECISION = {".json": 0.0, ".graphml": 0.0, ".xlsx": 1e-15}


def same_values(read: list[float], written: list[float], rel: float) -> bool:
    return read == pytest.approx(written, rel=rel, abs=1e-300) if rel else read == written


@settings(max_examples=30)
@given(dated_scenarios(), st.sampled_from(FORMATS))
def test_a_written_scenario_reads_back_its_calendar(scenario, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"scenario{suffix}"
        save_file(scenario, path)
        loaded = load_file(path).current
    assert loaded.start == scenario.start
    assert list(loaded.schedules) == list(scenario.schedules)
    for key, schedule in scenario.schedules.items():
        read = loaded.schedules[key].changes
        assert [(c.quarter, c.ramp) for c in read] == \
            [(c.quarter, c.ramp) for c in schedule.changes]
        assert same_values([c.value for c in read], [c.value for c in schedule.changes],
                           PRECISION[suffix])
    assert loaded.network.equals(scenario.network) or suffix == ".xlsx"


@given(QUARTERS, st.integers(-4000, 4000) | st.integers(-10 ** 12, 10 ** 12))
def test_a_change_given_as_a_step_is_made_in_range_or_refused(start, step):
    try:
        schedule = parse_changes("antitrust_enforcement", f"{step}:0.5", start)
    except InputError as error:
        assert not (start + step).in_range
        assert "the last quarter this tool uses" in error.message or \
            "the first quarter this tool uses" in error.message
        return
    quarter = schedule.changes[0].quarter
    assert quarter == start + step and Quarter.parse(quarter.label) == quarter


@given(QUARTERS, st.integers(0, 1000))
def test_a_run_ends_within_the_calendar_or_is_refused(start, steps):
    try:
        end = run_end(start, steps)
    except InputError as error:
        assert not (start + steps).in_range and error.fix.startswith("give --steps")
        return
    assert Quarter.parse(end.label) == end


@pytest.mark.parametrize("argv, words", [
    (["convert", "synthetic:20", "{out}.json", "--schedule",
      "antitrust_enforcement=99999999999:0.5"],
     "--schedule antitrust_enforcement: step 99,999,999,999 from 2024Q1 is after 2999Q4"),
    (["convert", "synthetic:20", "{out}.json", "--start", "2999Q4", "--schedule",
      "antitrust_enforcement=10:0.5"], "step 10 from 2999Q4 is after 2999Q4"),
    (["convert", "synthetic:20", "{out}.graphml", "--start", "1900Q2", "--schedule",
      "antitrust_enforcement=-2:0.5"], "step -2 from 1900Q2 is before 1900Q1"),
    (["run", "synthetic:20", "--start", "2999Q3", "--steps", "8", "--out", "{out}.xlsx"],
     "--steps 8 from --start 2999Q3 ends in 3001Q3, after 2999Q4"),
    (["convert", "synthetic:20", "{out}.xlsx", "--start", "2999Q3", "--preset",
      "enforce_in_8q"], "preset enforce_in_8q: antitrust_enforcement: step 8 from 2999Q3"),
])
def test_a_quarter_past_the_calendar_is_refused_and_nothing_is_written(tmp_path, capsys,
                                                                       argv, words):
    out = tmp_path / "out"
    argv = [a.replace("{out}", str(out)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1, err
    assert list(tmp_path.iterdir()) == []

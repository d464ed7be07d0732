"""The calendar and lever schedules (MODEL.md section 8): quarters, schedule values at a
quarter (steps, ramps), their text form, presets with dates, and the engine's reading of
them at the start of every step."""
from __future__ import annotations

import numpy as np
import pytest

from model.builtin import default_scenario
from model.calendar import DEFAULT_START, Quarter, quarter_labels, step_or_quarter
from model.engine import prepare, run_metrics
from model.errors import InputError
from model.parameters import PRESETS
from model.schedules import (FIXED, SCHEDULABLE, Change, Schedule, Schedules, parse_assignment,
                             parse_changes)

Q = Quarter.parse


def test_quarters_parse_label_and_count():
    assert Q("2026Q3").label == "2026Q3" and Q("2026q3") == Q("2026-Q3") == Q(" 2026 Q3 ")
    assert Q("2026Q4") + 1 == Q("2027Q1") and Q("2027Q1") - Q("2024Q1") == 12
    assert DEFAULT_START == Q("2024Q1")
    assert quarter_labels(Q("2024Q3"), 3) == ["2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    assert step_or_quarter("8", DEFAULT_START) == 8
    assert step_or_quarter("2026Q3", DEFAULT_START) == 10
    for bad in ("2026Q5", "26Q1", "2026", "Q3", "", None, 2026, "3000Q1"):
        with pytest.raises(InputError):
            Q(bad)


def test_step_changes_and_ramps():
    s = Schedule.of("antitrust_enforcement", [(Q("2025Q1"), 0.2), (Q("2026Q1"), 0.6, True),
                                              (Q("2027Q1"), 0.1)])
    value = lambda label: s.value_at(Q(label), 0.9)  # noqa: E731
    assert value("2024Q4") == 0.9  # before the first change: the constant
    assert value("2025Q1") == 0.2 and value("2025Q3") == pytest.approx(0.4)
    assert value("2026Q1") == 0.6 and value("2026Q4") == 0.6 and value("2030Q1") == 0.1
    assert s.text() == "2025Q1:0.2,2026Q1~0.6,2027Q1:0.1"
    assert s.text(Q("2024Q1")) == "4:0.2,8~0.6,12:0.1"
    patience = Schedule.of("exit_patience", [(Q("2024Q1"), 2), (Q("2025Q1"), 8, True)])
    assert patience.value_at(Q("2024Q2"), 8) == 4.0  # whole numbers along a ramp


@pytest.mark.parametrize("changes,message", [
    ([], "has no change"),
    ([(Q("2025Q1"), 0.5, True)], "starts with a ramp"),
    ([(Q("2025Q1"), 0.5), (Q("2025Q1"), 0.6)], "changes twice at 2025Q1"),
    ([(Q("2025Q1"), 1.5)], "outside"),
])
def test_bad_schedules_are_refused(changes, message):
    with pytest.raises(InputError, match=message):
        Schedule.of("antitrust_enforcement", changes)


def test_what_cannot_be_scheduled():
    assert FIXED == {"market_size", "outcome_hhi_high", "outcome_sme_drop", "outcome_dependency",
                     "outcome_gini_rise_adverse", "outcome_hhi_low", "outcome_gini_rise_benign"}
    assert "antitrust_enforcement" in SCHEDULABLE and "market_growth" in SCHEDULABLE
    with pytest.raises(InputError, match="cannot follow a schedule"):
        Schedule.of("market_size", [(Q("2025Q1"), 30.0)])


def test_text_form_with_steps_and_quarters():
    s = parse_changes("openness_floor", "0:0.1, 2026Q1:0.4,12~0.6", DEFAULT_START)
    assert s.changes == (Change(Q("2024Q1"), 0.1), Change(Q("2026Q1"), 0.4),
                         Change(Q("2027Q1"), 0.6, True))
    assert parse_assignment("openness_floor=0:0.1", DEFAULT_START).key == "openness_floor"
    for bad in ("openness_floor", "=0:1", "openness_floor=", "openness_floor=0-1",
                "openness_floor=x:0.1", "openness_floor=1:nan", "no_such=1:0.1"):
        with pytest.raises(InputError):
            parse_assignment(bad, DEFAULT_START)
    with pytest.raises(InputError, match="outside the run"):
        parse_assignment("openness_floor=41:0.2", DEFAULT_START, last_step=40)
    with pytest.raises(InputError, match="outside the run"):
        parse_assignment("openness_floor=2023Q4:0.2", DEFAULT_START, last_step=40)


def test_schedules_are_an_immutable_mapping_that_pickles():
    import pickle

    one = parse_assignment("lock_in_rate=4:0.1", DEFAULT_START)
    two = parse_assignment("antitrust_enforcement=8:0.9", DEFAULT_START)
    table = Schedules([one, two])
    assert list(table) == ["antitrust_enforcement", "lock_in_rate"]
    assert pickle.loads(pickle.dumps(table)) == table
    assert table.replace(remove=["lock_in_rate"]) == Schedules([two])
    assert table.change_quarters() == (Q("2025Q1"), Q("2026Q1"))
    with pytest.raises(InputError, match="two schedules"):
        Schedules([one, one])


def test_dated_presets_apply_from_step_0_when_the_laws_are_older():
    """aml2022_pipl's laws came into force in 2021Q4 and 2022Q3: a scenario starting in 2024Q1
    has them from step 0 (the constant-valued preset of 0.2.0), one starting in 2021Q1 at
    steps 3 and 6."""
    base = default_scenario()
    dated = prepare(base.with_preset("aml2022_pipl"))
    constant = prepare(base.with_parameters(antitrust_enforcement=0.6, data_protection=0.7))
    assert np.array_equal(run_metrics(dated, 0, 16), run_metrics(constant, 0, 16))
    early = base.with_start(Q("2021Q1")).with_preset("aml2022_pipl")
    assert early.schedules["data_protection"].changes[0].quarter - early.start == 3
    assert early.schedules["antitrust_enforcement"].changes[0].quarter - early.start == 6
    for preset in PRESETS.values():  # every preset's schedule is valid
        base.with_preset(preset.key)


def test_act_now_or_in_two_years():
    base = default_scenario()
    now, later = base.with_preset("enforce_now"), base.with_preset("enforce_in_8q")
    assert later.schedules["antitrust_enforcement"].changes[0].quarter == Q("2026Q1")
    a, b = (run_metrics(prepare(s), 1, 20) for s in (now, later))
    plain = run_metrics(prepare(base), 1, 20)
    assert np.array_equal(b[:8], plain[:8]) and not np.array_equal(b[8:], plain[8:])
    assert not np.array_equal(a[1:], plain[1:])


def test_prepared_coefficients_follow_the_calendar():
    s = default_scenario().with_schedules(
        parse_assignment("antitrust_enforcement=4:0.1,8~0.9", DEFAULT_START))
    p = prepare(s)
    values = [p.coefficients_at(t).antitrust_enforcement for t in range(10)]
    assert values[:4] == [0.3] * 4 and values[4] == 0.1
    assert values[6] == pytest.approx(0.5) and values[8:] == [0.9, 0.9]
    assert p.coefficients_at(9) is p.coefficients_at(8)  # unchanged: the same object
    assert p.coefficients_at(2) is p.coefficients
    assert p.digest != prepare(default_scenario()).digest


def test_a_schedule_that_never_changes_a_value_is_the_constant_run():
    base = default_scenario()
    same = base.with_schedules(parse_assignment("antitrust_enforcement=3:0.3,12:0.3",
                                                base.start))
    assert np.array_equal(run_metrics(prepare(same), 2, 20), run_metrics(prepare(base), 2, 20))


def test_firm_tables_give_the_quarter_a_firm_left():
    from model.engine import run

    firms = run(default_scenario(), 20, 0).firms
    gone = firms[firms["left_step"] >= 0]
    assert len(gone) and all((DEFAULT_START + int(s)).label == q
                             for s, q in zip(gone["left_step"], gone["left_quarter"]))
    assert (firms.loc[firms["left_step"] < 0, "left_quarter"] == "").all()

"""One rounding rule for shares (issue 26): whole percents that sum to 100, the same figure
in the tables, the sentences, the CLI and the window."""
from __future__ import annotations

import numpy as np
from hypothesis import given, strategies as st

from model.engine.explanation import explain_rows
from model.engine.metrics import METRIC_INDEX, METRIC_KEYS
from model.engine.outcome import thresholds_of
from model.parameters import PARAMETERS
from model.shares import part_of, share_words, whole_percents


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8))
def test_a_row_of_counts_always_sums_to_100(counts):
    total = sum(counts)
    shares = {f"k{i}": c / total if total else 0.0 for i, c in enumerate(counts)}
    shown = whole_percents(shares)
    assert sum(shown.values()) == (100 if total else 0)
    for key, share in shares.items():
        if share > 0:
            assert shown[key] >= 1  # some runs never read as none
        if share < 1:
            assert shown[key] <= 99  # not all never reads as all
        assert abs(shown[key] - 100 * share) < len(counts) + 1


@given(st.integers(min_value=1, max_value=5_000), st.data())
def test_one_run_of_many_never_shows_100_beside_1(runs, data):
    odd = data.draw(st.integers(min_value=1, max_value=max(1, runs - 1)))
    if odd >= runs:
        return
    shown = whole_percents({"adverse": 0.0, "mixed": odd / runs, "benign": 1 - odd / runs})
    assert shown["benign"] + shown["mixed"] == 100
    assert shown["benign"] < 100 and shown["mixed"] >= 1


def test_199_of_200():
    assert whole_percents({"adverse": 0, "mixed": 1 / 200, "benign": 199 / 200}) == \
        {"adverse": 0, "mixed": 1, "benign": 99}
    assert part_of(199, 200) == (99, 1)
    assert share_words({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}) == {"a": "34%", "b": "33%",
                                                                 "c": "33%"}


def test_exact_percents_are_kept():
    assert whole_percents({"a": 0.29, "b": 0.71}) == {"a": 29, "b": 71}
    assert whole_percents({"a": 1.0, "b": 0.0}) == {"a": 100, "b": 0}


def test_the_sentence_uses_the_tables_figures():
    """199 benign runs and one mixed: the sentence says 99 % and 1 %, as the table."""
    t = thresholds_of({k: p.default for k, p in PARAMETERS.items()})
    first = np.zeros((200, len(METRIC_KEYS)))
    first[:, METRIC_INDEX["hhi_mean"]] = 1_000
    first[:, METRIC_INDEX["active_smes"]] = 100
    first[:, METRIC_INDEX["dependency_index"]] = 0.2
    first[:, METRIC_INDEX["talent_gini"]] = 0.3
    last = first.copy()
    last[:, METRIC_INDEX["active_smes"]] = 120
    last[0, METRIC_INDEX["hhi_mean"]] = 2_000  # one run between the lines: mixed
    sentence = explain_rows(first, last, t)
    assert sentence.startswith("benign in 99% of runs (mixed 1%)"), sentence
    assert "100%" not in sentence.split(";")[0]

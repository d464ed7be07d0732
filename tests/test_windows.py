"""Appearing and vanishing quarters of nodes and edges: checked as the readers check any
field, with the rules across rows (model/windows.py)."""
from __future__ import annotations

import pytest

from model.errors import ValidationError
from model.network import Network


def _records(**changes):
    nodes = [{"id": "z", "kind": "zone"}, {"id": "z2", "kind": "zone"},
             {"id": "op", "kind": "leader", "subfield": "a"},
             {"id": "p", "kind": "platform", "subfield": "a"}]
    edges = [{"source": "op", "target": "z", "type": "located_in"},
             {"source": "op", "target": "p", "type": "operates"},
             {"source": "z", "target": "z2", "type": "exchange", "weight": 0.5}]
    for key, fields in changes.items():
        table, index = key.split("_")
        (nodes if table == "n" else edges)[int(index)].update(fields)
    return nodes, edges


def _problems(**changes):
    with pytest.raises(ValidationError) as caught:
        Network.from_records(*_records(**changes))
    return [(p.rule, p.place, p.message) for p in caught.value.problems]


def test_a_quarter_that_is_not_one_is_refused_naming_the_node():
    rule, place, message = _problems(n_3={"appears": "2019Q5"})[0]
    assert rule == "field-type" and place == "node 'p'" and "appears" in message


def test_vanishing_must_come_after_appearing():
    problems = _problems(n_0={"appears": "2020Q1", "vanishes": "2020Q1"})
    assert problems[0][0] == "window-order" and "not after" in problems[0][2]


def test_an_edge_cannot_appear_before_its_ends_nor_outlive_them():
    early = _problems(n_0={"appears": "2019Q1"}, e_2={"appears": "2018Q4"})
    assert early[0][0] == "window-edge" and "before an end node" in early[0][2]
    late = _problems(n_1={"vanishes": "2021Q1"}, e_2={"vanishes": "2022Q1"})
    assert late[0][0] == "window-edge" and "after an end node" in late[0][2]


def test_a_platform_needs_its_operator_while_it_takes_part():
    problems = _problems(n_2={"appears": "2019Q1"}, n_3={"appears": "2018Q1"})
    assert problems[0][0] == "window-operator" and problems[0][1] == "node 'p'"
    # an operator present before its platform is fine
    Network.from_records(*_records(n_2={"appears": "2017Q1"}, n_3={"appears": "2018Q1"}))


def test_structural_edges_carry_no_window():
    """A firm's zone and a platform's operator last as long as their ends: a quarter given
    on such an edge is not kept."""
    network = Network.from_records(*_records(e_1={"appears": "2019Q1"}))
    assert network.edges["appears"].tolist() == ["", "", ""]

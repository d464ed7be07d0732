"""Every rule of a valid network has a case that breaks it, and the message names the culprit."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from factories import small_records
from model.errors import ValidationError
from model.network import Network
from model.validation import MAX_PER_RULE, check_network


def problems_of(nodes, edges, strict=True):
    return check_network(pd.DataFrame(nodes), pd.DataFrame(edges), strict=strict)[2]


def only_rule(nodes, edges, rule):
    problems = problems_of(nodes, edges)
    assert problems, "the broken network was accepted"
    assert {p.rule for p in problems} == {rule}, [str(p) for p in problems]
    return problems


def test_small_network_is_valid_and_normalised():
    nodes, edges = small_records()
    network = Network.from_records(nodes, edges)
    assert network.counts()["sme"] == 2
    platform = network.platforms.iloc[0]
    assert platform["openness"] == 0.7 and platform["compute"] == 10.0  # defaults filled
    assert math.isnan(network.nodes.set_index("id").loc["f-lead", "talent"])  # not a zone field
    uses = network.of_type("uses")
    assert list(uses["lock_in"]) == [0.0, 0.2]
    assert network.of_type("operates")["weight"].tolist() == [1.0]


def edit(records, node_id, **changes):
    for record in records:
        if record.get("id") == node_id:
            record.update(changes)
    return records


@pytest.mark.parametrize("field, value, rule", [
    ("talent", -5, "field-range"),
    ("talent", float("nan"), None),  # NaN means missing: the default applies
    ("talent", float("inf"), "field-range"),
    ("talent", "many", "field-type"),
    ("talent", True, "field-type"),
    ("amenity", 1.5, "field-range"),
    ("hub", "perhaps", "field-type"),
    ("confidence", "high", "confidence-unknown"),
])
def test_zone_field_values(field, value, rule):
    nodes, edges = small_records()
    edit(nodes, "z-small", **{field: value})
    if rule is None:
        assert problems_of(nodes, edges) == []
        return
    problems = only_rule(nodes, edges, rule)
    assert problems[0].place == "node 'z-small'"
    assert field in problems[0].message or rule == "confidence-unknown"


@pytest.mark.parametrize("node_id, field, value", [
    ("p-voice", "openness", -0.1), ("p-voice", "openness", 1.01),
    ("p-voice", "compute", -1), ("p-voice", "data", float("-inf")),
    ("f-sme1", "capability", -0.001), ("z-hub", "experience", 2), ("z-hub", "support", -1),
    ("f-sme1", "x", float("inf")),
])
def test_out_of_range_numbers_name_the_node(node_id, field, value):
    nodes, edges = small_records()
    edit(nodes, node_id, **{field: value})
    problem = only_rule(nodes, edges, "field-range")[0]
    assert problem.place == f"node {node_id!r}" and field in problem.message
    assert "[" in problem.fix  # the fix gives the range


def test_fields_of_other_kinds_are_ignored():
    nodes, edges = small_records()
    edit(nodes, "f-sme1", talent=-5, openness=7)  # not firm fields: dropped, not errors
    network = Network.from_records(nodes, edges)
    row = network.nodes.set_index("id").loc["f-sme1"]
    assert math.isnan(row["talent"]) and math.isnan(row["openness"])


def test_missing_and_duplicate_ids():
    nodes, edges = small_records()
    nodes.append({"id": "", "kind": "zone"})
    nodes.append({"id": "z-hub", "kind": "zone"})
    rules = {p.rule: p for p in problems_of(nodes, edges)}
    assert rules["id-missing"].place == "node at row 8"
    assert rules["id-duplicate"].place == "node 'z-hub'"


def test_unknown_kind():
    nodes, edges = small_records()
    nodes.append({"id": "x1", "kind": "university"})
    problem = only_rule(nodes, edges, "kind-unknown")[0]
    assert "x1" in problem.place and "university" in problem.place
    assert "platform" in problem.fix


def test_missing_required_column():
    nodes, edges = small_records()
    for node in nodes:
        del node["kind"]
    problems = problems_of(nodes, edges)
    assert problems[0].rule == "column-missing" and "kind" in problems[0].message


def test_unknown_edge_type():
    nodes, edges = small_records()
    edges.append({"source": "f-sme1", "target": "p-voice", "type": "owns"})
    problem = only_rule(nodes, edges, "edge-type-unknown")[0]
    assert "f-sme1 -> p-voice, owns" in problem.place


@pytest.mark.parametrize("end", ["source", "target"])
def test_dangling_edge(end):
    nodes, edges = small_records()
    edge = {"source": "f-sme1", "target": "z-hub", "type": "exchange", "weight": 0.2}
    edge[end] = "ghost"
    edges.append({**edge, "type": "collaborates" if end == "target" else "exchange"})
    problem = only_rule(nodes, edges, "edge-dangling")[0]
    assert "ghost" in problem.place and end in problem.message


def test_edge_between_wrong_kinds():
    nodes, edges = small_records()
    edges.append({"source": "p-voice", "target": "z-small", "type": "located_in"})
    problem = only_rule(nodes, edges, "edge-kinds")[0]
    assert "located_in" in problem.message and "p-voice" in problem.place


def test_self_loop():
    nodes, edges = small_records()
    edges.append({"source": "z-hub", "target": "z-hub", "type": "exchange"})
    assert only_rule(nodes, edges, "edge-self")[0].place.startswith("edge 11")


def test_duplicate_edges_directed_and_undirected():
    nodes, edges = small_records()
    edges.append({"source": "f-sme1", "target": "p-voice", "type": "uses", "weight": 0.1})
    edges.append({"source": "z-small", "target": "z-hub", "type": "exchange"})  # mirrored
    problems = only_rule(nodes, edges, "edge-duplicate")
    assert len(problems) == 2


def test_uses_reversed_is_not_a_duplicate_but_a_kind_error():
    nodes, edges = small_records()
    edges.append({"source": "p-voice", "target": "f-sme2", "type": "uses"})
    problem = only_rule(nodes, edges, "edge-kinds")[0]
    assert "p-voice -> f-sme2, uses" in problem.place


@pytest.mark.parametrize("field, value", [("weight", 0), ("weight", 1.2), ("weight", "x"),
                                          ("lock_in", -0.1), ("lock_in", 1.5),
                                          ("weight", float("nan"))])
def test_edge_weights(field, value):
    nodes, edges = small_records()
    edges[6][field] = value  # f-sme1 uses p-voice
    if field == "weight" and isinstance(value, float) and math.isnan(value):
        assert problems_of(nodes, edges) == []  # missing: the default weight
        return
    problem = only_rule(nodes, edges, "edge-weight")[0]
    assert "f-sme1 -> p-voice, uses" in problem.place and field in problem.message


def test_platform_without_operator():
    nodes, edges = small_records()
    del edges[0]
    problem = only_rule(nodes, edges, "platform-no-operator")[0]
    assert problem.place == "node 'p-voice'" and "operates" in problem.fix


def test_platform_with_two_operators():
    nodes, edges = small_records()
    nodes.append({"id": "f-lead2", "kind": "leader", "subfield": "voice"})
    edges.append({"source": "f-lead2", "target": "z-hub", "type": "located_in"})
    edges.append({"source": "f-lead2", "target": "p-voice", "type": "operates"})
    assert only_rule(nodes, edges, "platform-operators")[0].place == "node 'p-voice'"


def test_firm_in_no_zone_and_in_two_zones():
    nodes, edges = small_records()
    del edges[3]  # f-sme1 located_in
    assert only_rule(nodes, edges, "firm-no-zone")[0].place == "node 'f-sme1'"
    nodes, edges = small_records()
    edges.append({"source": "f-sme1", "target": "z-hub", "type": "located_in"})
    assert only_rule(nodes, edges, "firm-zones")[0].place == "node 'f-sme1'"


def test_platform_hosted_twice():
    nodes, edges = small_records()
    edges.append({"source": "z-small", "target": "p-voice", "type": "hosts"})
    assert only_rule(nodes, edges, "platform-hosts")[0].place == "node 'p-voice'"


def test_operator_in_another_subfield():
    nodes, edges = small_records()
    edit(nodes, "f-lead", subfield="vision")
    assert only_rule(nodes, edges, "operator-subfield")[0].place == "node 'p-voice'"


def test_missing_subfield():
    nodes, edges = small_records()
    edit(nodes, "f-sme2", subfield="")
    assert only_rule(nodes, edges, "subfield-missing")[0].place == "node 'f-sme2'"


def test_incomplete_network_passes_when_not_strict():
    nodes, edges = small_records()
    del edges[0]
    del edges[2]
    with pytest.raises(ValidationError) as caught:
        Network.from_records(nodes, edges)
    assert {p.rule for p in caught.value.problems} == {"platform-no-operator", "firm-no-zone"}
    assert Network.from_records(nodes, edges, strict=False).counts()["operates"] == 0


def test_many_problems_are_capped_and_counted():
    nodes, edges = small_records()
    nodes += [{"id": f"bad{i}", "kind": "zone", "talent": -1} for i in range(MAX_PER_RULE + 7)]
    problems = problems_of(nodes, edges)
    assert len(problems) == MAX_PER_RULE + 1
    assert problems[-1].place == "7 more nodes"


def test_validation_error_line_names_first_problem_and_counts_the_rest():
    nodes, edges = small_records()
    edit(nodes, "z-hub", talent=-3)
    edit(nodes, "z-small", talent=-4)
    with pytest.raises(ValidationError) as caught:
        Network.from_records(nodes, edges)
    line = caught.value.in_file("eco.json").line()
    assert line.startswith("eco.json: node 'z-hub': talent (-3 thousand AI workers) is out of")
    assert "and 1 more problems" in line


def test_extra_columns_are_kept():
    nodes, edges = small_records()
    nodes[0]["website"] = "example.org"
    edges[0]["note"] = "since 2019"
    network = Network.from_records(nodes, edges)
    assert network.extra_node_columns == ("website",)
    assert network.extra_edge_columns == ("note",)
    assert network.node_records()[0]["website"] == "example.org"

"""GraphML import and export: round trips, unsafe XML, files from other tools."""
from __future__ import annotations

import networkx as nx
import pytest
from factories import small_records
from file_strategies import scenarios
from hypothesis import given

from model.errors import InputError, ValidationError
from model.files import load_file, save_file
from model.files.graphml import load_graphml
from model.files.graphml_export import graphml_graph, save_graphml
from model.network import Network
from model.parameters import ParameterSet
from model.scenario import Project, Scenario

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
GRAPHML = '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'


def small_scenario(**changes) -> Scenario:
    nodes, edges = small_records()
    nodes[0].update(x=1.5, y=-2.0, region="north")
    nodes[2]["name"] = "语音平台 <Voice> & co"
    edges[7]["note"] = "pilot"
    fields = dict(name="base", title="Base case", author="Analyst", notes="one\ntwo",
                  parameters=ParameterSet({"data_protection": 0.7, "exit_patience": 12}))
    fields.update(changes)
    return Scenario(Network.from_records(nodes, edges), **fields)


def assert_same_scenario(a: Scenario, b: Scenario) -> None:
    assert a.network.equals(b.network)
    assert dict(a.parameters) == dict(b.parameters)
    assert (a.name, a.title, a.author, a.notes) == (b.name, b.title, b.author, b.notes)


def write(tmp_path, text: str, name: str = "in.graphml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def import_error(path: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        load_graphml(path, **kwargs)
    assert info.value.file == path
    return info.value


def test_round_trip(tmp_path):
    scenario = small_scenario()
    path = tmp_path / "s.graphml"
    assert save_file(scenario, path) == ()
    loaded = load_file(path)
    assert len(loaded.variants) == 1
    assert_same_scenario(scenario, loaded.current)
    zone = loaded.current.network.nodes.set_index("id").loc["z-hub"]
    assert (zone["x"], zone["y"], zone["region"]) == (1.5, -2.0, "north")


def test_default_scenario_round_trip(tmp_path):
    from model.builtin import default_scenario

    scenario = default_scenario()
    save_graphml(scenario, tmp_path / "default.graphml")
    assert_same_scenario(scenario, load_graphml(tmp_path / "default.graphml").current)


def test_graph_attributes():
    graph = graphml_graph(small_scenario())
    assert graph.graph["format"] == "ai-ecosystem-scenario" and graph.graph["version"] == 4
    assert graph.graph["param_data_protection"] == 0.7
    assert graph.graph["param_exit_patience"] == 12.0
    assert not any(k.startswith("param_") and k != "param_data_protection" and
                   k != "param_exit_patience" for k in graph.graph)
    assert graph.graph["extra_node_columns"] == '["region"]'


def test_written_file_reads_in_networkx(tmp_path):
    save_graphml(small_scenario(), tmp_path / "s.graphml")
    graph = nx.read_graphml(tmp_path / "s.graphml")
    assert graph.nodes["p-voice"]["kind"] == "platform"
    assert graph.graph["title"] == "Base case"


def test_only_the_active_variant_is_written(tmp_path):
    other = small_scenario(name="other", title="Other")
    project = Project((small_scenario(), other), active=1)
    notes = save_file(project, tmp_path / "p.graphml")
    assert len(notes) == 1 and "'other'" in notes[0] and ".json" in notes[0]
    assert_same_scenario(other, load_file(tmp_path / "p.graphml").current)


def test_save_keeps_backup(tmp_path):
    path = tmp_path / "s.graphml"
    save_graphml(small_scenario(title="first"), path)
    first = path.read_bytes()
    save_graphml(small_scenario(title="second"), path)
    assert (tmp_path / "s.graphml.bak").read_bytes() == first


def test_text_xml_cannot_hold_is_written_as_replacement_with_one_warning(tmp_path):
    nodes, edges = small_records()
    nodes[3]["name"] = "Lead\x01Co"
    nodes[4]["id"] = "f-sme\ufffe"  # an id: its edges must follow it
    for edge in edges:
        for end in ("source", "target"):
            edge[end] = "f-sme\ufffe" if edge[end] == "f-sme1" else edge[end]
    nodes[4]["note\x02"] = "\ud800 odd"
    scenario = Scenario(Network.from_records(nodes, edges), notes="bad \uffff")
    notes: list[str] = []
    save_graphml(scenario, tmp_path / "s.graphml", notes=notes)
    back = load_graphml(tmp_path / "s.graphml").current
    by_id = back.network.nodes.set_index("id")
    assert by_id.loc["f-lead", "name"] == "Lead\ufffdCo"
    assert by_id.loc["f-sme\ufffd", "note\ufffd"] == "\ufffd odd"
    assert back.notes == "bad \ufffd"
    assert len(back.network.edges) == len(edges)
    assert (back.network.edges[["source", "target"]] == "f-sme\ufffd").any(axis=None)
    assert len(notes) == 1 and "5 characters that GraphML cannot hold" in notes[0]
    assert "U+0001" in notes[0] and ".json" in notes[0]


def test_ids_that_the_gate_would_merge_are_refused(tmp_path):
    nodes, edges = small_records()
    nodes[4]["id"], nodes[5]["id"] = "f-sme\x01", "f-sme\x02"
    for edge in edges:
        for end in ("source", "target"):
            edge[end] = {"f-sme1": "f-sme\x01", "f-sme2": "f-sme\x02"}.get(edge[end],
                                                                          edge[end])
    scenario = Scenario(Network.from_records(nodes, edges))
    with pytest.raises(InputError, match="would both be written as 'f-sme\ufffd'"):
        save_graphml(scenario, tmp_path / "s.graphml")
    assert list(tmp_path.iterdir()) == []


@given(scenarios())
def test_round_trip_property(tmp_path_factory, scenario):
    path = tmp_path_factory.mktemp("prop") / "s.graphml"
    save_graphml(scenario, path)
    assert_same_scenario(scenario, load_graphml(path).current)


# --- unsafe XML ----------------------------------------------------------------------------

BILLION_LAUGHS = HEAD + """<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
""" + GRAPHML + '<graph><node id="&lol4;"/></graph></graphml>'

EXTERNAL = HEAD + """<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
""" + GRAPHML + '<graph><node id="a"><data key="d0">&secret;</data></node></graph></graphml>'


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL])
def test_entities_and_dtds_refused(tmp_path, text):
    error = import_error(write(tmp_path, text))
    assert "refused for safety" in error.message and "DOCTYPE" in error.fix


def test_broken_xml_names_line_and_column(tmp_path):
    path = tmp_path / "s.graphml"
    save_graphml(small_scenario(), path)
    text = path.read_text(encoding="utf-8")
    cut = write(tmp_path, text[: len(text) // 2], "cut.graphml")
    error = import_error(cut)
    assert "broken" in error.message and error.place.startswith("line ")


def test_not_graphml(tmp_path):
    error = import_error(write(tmp_path, HEAD + "<svg><graph/></svg>"))
    assert "not GraphML" in error.message


def test_huge_file_refused_before_reading(tmp_path):
    path = write(tmp_path, "<broken " * 500)
    assert "too large" in import_error(path, max_bytes=1000).message


# --- GraphML from other tools --------------------------------------------------------------

def test_file_without_kinds_refused_clearly(tmp_path):
    graph = nx.DiGraph()
    graph.add_edge("alpha", "beta", weight=0.5)
    path = str(tmp_path / "other.graphml")
    nx.write_graphml(graph, path)
    error = import_error(path)
    assert error.place == "node 'alpha'" and "has no kind (and 1 more nodes)" in error.message
    assert "'kind' attribute" in error.fix and "platform, zone" in error.fix


def test_edge_without_type_refused_clearly(tmp_path):
    graph = nx.DiGraph()
    graph.add_node("f", kind="sme", subfield="voice")
    graph.add_node("z", kind="zone")
    graph.add_edge("f", "z")
    path = str(tmp_path / "other.graphml")
    nx.write_graphml(graph, path)
    error = import_error(path)
    assert error.place == "edge 1 (f -> z)" and "has no type" in error.message
    assert "'type' attribute" in error.fix and "located_in" in error.fix


FOREIGN = HEAD + GRAPHML + """
  <key id="k" for="node" attr.name="kind" attr.type="string"><default>sme</default></key>
  <key id="t" for="node" attr.name="talent" attr.type="string"/>
  <key id="s" for="node" attr.name="subfield" attr.type="string"/>
  <key id="c" for="node" attr.name="colour" attr.type="string"/>
  <key id="e" for="edge" attr.name="type" attr.type="string"/>
  <key id="g" for="node" yfiles.type="nodegraphics"/>
  <graph edgedefault="undirected">
    <node id="city"><data key="k">zone</data><data key="t">12.5</data>
      <data key="g"><shape/></data></node>
    <node id="shop"><data key="s">voice</data><data key="c">red</data></node>
    <edge source="shop" target="city"><data key="e">located_in</data></edge>
  </graph>
</graphml>"""


def test_foreign_file_with_text_values_and_defaults(tmp_path):
    network = load_graphml(write(tmp_path, FOREIGN)).current.network
    nodes = network.nodes.set_index("id")
    assert nodes.loc["city", "talent"] == 12.5  # numeric text becomes a number
    assert nodes.loc["shop", "kind"] == "sme"  # the key's default
    assert nodes.loc["shop", "colour"] == "red"  # unknown attributes kept
    assert network.counts()["located_in"] == 1


@pytest.mark.parametrize("old, new, place, words", [
    ('<data key="t">12.5</data>', '<data key="zz">1</data>', "node 'city'", "undeclared key"),
    ('attr.name="talent" attr.type="string"', 'attr.name="talent" attr.type="double"',
     None, None),
    ('attr.name="talent" attr.type="string"', 'attr.name="talent" attr.type="matrix"',
     None, "unknown type"),
    ('<data key="t">12.5</data>', '<data key="t">lots</data>', "node 'city'", "not a number"),
    ("<graph ", '<graph><hyperedge/></graph><graph ', None, "hyperedge"),
    ('<node id="shop">', '<node>', None, "node 2 has no id"),
])
def test_foreign_file_errors(tmp_path, old, new, place, words):
    path = write(tmp_path, FOREIGN.replace(old, new))
    if words is None:  # a typed double reads fine
        assert load_graphml(path).current.network.nodes["talent"].iloc[0] == 12.5
        return
    with pytest.raises(InputError) as info:
        load_graphml(path)
    assert info.value.file == path and words in str(info.value)
    if place:
        assert info.value.place == place


def test_bad_typed_value_names_node_and_attribute(tmp_path):
    text = FOREIGN.replace('attr.name="talent" attr.type="string"',
                           'attr.name="talent" attr.type="double"')
    error = import_error(write(tmp_path, text.replace(">12.5<", ">many<")))
    assert error.place == "node 'city'" and "talent is the text 'many'" in error.message


def test_validation_errors_name_the_file(tmp_path):
    path = write(tmp_path, FOREIGN.replace(">12.5<", ">-4<"))
    with pytest.raises(ValidationError) as info:
        load_graphml(path)
    assert info.value.file == path and info.value.place == "node 'city'"


def test_parameters_and_version_from_graph_attributes(tmp_path):
    graph = graphml_graph(small_scenario())
    graph.graph["param_not_a_lever"] = 1.0
    path = str(tmp_path / "p.graphml")
    nx.write_graphml(graph, path)
    error = import_error(path)
    assert error.place == "graph attribute param_not_a_lever" and "unknown" in error.message
    graph = graphml_graph(small_scenario())
    graph.graph["version"] = 9
    nx.write_graphml(graph, path)
    error = import_error(path)
    assert "newer version" in error.message and error.fix == "update the tool"

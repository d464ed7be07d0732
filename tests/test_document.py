"""The editable document: edits, refusals, notifications and exact inverses for undo."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import small_records
from model import schema
from model.document import Document
from model.errors import InputError
from model.network import Network
from model.scenario import Project, Scenario


@pytest.fixture
def doc():
    nodes, edges = small_records()
    return Document(Scenario(Network.from_records(nodes, edges), title="Small"))


class Recorder:
    def __init__(self, doc):
        self.calls = []
        for name in ("node_added", "node_removed", "node_changed", "nodes_moved", "edge_added",
                     "edge_removed", "edge_changed", "parameters_changed", "meta_changed",
                     "reset"):
            getattr(doc, name).connect(lambda *args, n=name: self.calls.append((n, args)))

    def names(self):
        return [n for n, _ in self.calls]


def test_round_trip_through_scenario(doc):
    again = Document(doc.to_scenario())
    assert again.to_network().equals(doc.to_network())
    assert doc.meta["title"] == "Small"


def test_add_nodes_and_infer_edge_types(doc):
    events = Recorder(doc)
    sme = doc.add_node("sme", name="New SME", subfield="voice")
    zone_key = doc.add_edge("z-hub", sme)  # drawn from zone to firm: stored firm -> zone
    use_key = doc.add_edge("p-voice", sme)
    assert doc.edge(zone_key)["type"] == "located_in" and doc.edge(zone_key)["source"] == sme
    assert doc.edge(use_key)["type"] == "uses" and doc.edge(use_key)["weight"] == 0.5
    assert events.names() == ["node_added", "edge_added", "edge_added"]
    assert doc.problems() == []


@pytest.mark.parametrize("source, target, etype, message", [
    ("p-voice", "p-voice", None,
     "a platform cannot be linked to a platform; a platform links to a firm that uses or runs"),
    ("z-hub", "z-hub", None, "itself"),
    ("f-sme1", "p-voice", None, "already linked"),
    ("f-sme2", "p-voice", "operates", "already has an operator"),
    ("f-sme1", "z-hub", None, "already located"),
    ("z-small", "p-voice", None, "already has a host zone"),
    ("z-small", "z-hub", None, "already linked"),  # exchange is undirected
    ("f-sme1", "ghost", None, "no node"),
    ("z-hub", "f-sme1", "uses", "a pilot zone cannot use an SME: only a firm can use a platform"),
])
def test_impossible_links_are_refused_and_change_nothing(doc, source, target, etype, message):
    before = doc.to_network()
    revision = doc.revision
    with pytest.raises(InputError, match=message):
        doc.add_edge(source, target, etype)
    assert doc.revision == revision and doc.to_network().equals(before)


def test_operator_must_share_the_platform_subfield(doc):
    platform = doc.add_node("platform", subfield="vision")
    with pytest.raises(InputError, match="another subfield"):
        doc.add_edge("f-lead", platform, "operates")
    with pytest.raises(InputError, match="share one subfield"):
        doc.set_node("f-lead", subfield="vision")


def test_bad_values_are_refused(doc):
    with pytest.raises(InputError, match="talent"):
        doc.set_node("z-hub", talent=-1)
    with pytest.raises(InputError, match="kind is not known"):
        doc.add_node("castle")
    with pytest.raises(InputError, match="cannot become"):
        doc.set_node("z-hub", kind="sme")
    with pytest.raises(InputError, match="id cannot change"):
        doc.set_node("z-hub", id="z-new")
    with pytest.raises(InputError, match="outside"):
        doc.set_parameters(antitrust_enforcement=2)
    with pytest.raises(InputError, match="unknown parameter"):
        doc.set_parameters(antitrust=0.5)


def test_remove_node_with_edges_restores_exact_order(doc):
    before = doc.to_network()
    keys_before = doc.edge_keys()
    events = Recorder(doc)
    removed = doc.remove_node("f-sme1")
    assert not doc.has_node("f-sme1")
    assert events.names().count("edge_removed") == 3 and events.names()[-1] == "node_removed"
    doc.restore_node(removed)
    assert doc.edge_keys() == keys_before
    assert doc.to_network().equals(before)


def test_set_node_returns_old_values_for_undo(doc):
    old = doc.set_node("z-small", talent=7.5, name="Renamed")
    assert old == {"talent": 5.0, "name": "Small Town"}
    assert doc.node("z-small")["talent"] == 7.5
    doc.set_node("z-small", **old)
    assert doc.node("z-small")["name"] == "Small Town"


def test_firm_kind_may_change_among_firms(doc):
    doc.set_node("f-sme1", kind="foreign")
    assert doc.to_network().counts()["foreign"] == 2


def test_move_parameters_meta_and_events(doc):
    events = Recorder(doc)
    old = doc.move_nodes({"z-hub": (10, 20), "z-small": (30, 40)})
    assert doc.node("z-hub")["x"] == 10.0 and len(old) == 2
    doc.set_parameters(antitrust_enforcement=0.9)
    doc.set_meta(title="Renamed", notes="why")
    assert doc.parameters["antitrust_enforcement"] == 0.9
    assert events.calls[1] == ("parameters_changed", ({"antitrust_enforcement": 0.9},))
    assert events.names() == ["nodes_moved", "parameters_changed", "meta_changed"]
    scenario = doc.to_scenario()
    assert scenario.title == "Renamed" and scenario.parameters["antitrust_enforcement"] == 0.9


def test_incomplete_drawing_lists_problems_and_refuses_to_run():
    doc = Document()
    doc.add_node("platform", subfield="voice")
    assert [p.rule for p in doc.problems()] == ["platform-no-operator"]
    with pytest.raises(InputError, match="no operator"):
        doc.to_scenario()
    assert doc.to_project().current.network.counts()["platform"] == 1  # saving still works


def test_project_variants_survive_editing():
    nodes, edges = small_records()
    network = Network.from_records(nodes, edges)
    project = Project((Scenario(network, name="base"),
                       Scenario(network, name="strict").with_preset("benign")), active=1)
    doc = Document.from_project(project)
    doc.set_parameters(openness_floor=0.9)
    saved = doc.to_project()
    assert [v.name for v in saved.variants] == ["base", "strict"] and saved.active == 1
    assert saved.current.parameters["openness_floor"] == 0.9
    assert saved.variants[0].parameters["openness_floor"] != 0.9
    with pytest.raises(InputError, match="already named"):
        doc.set_meta(name="base")


operations = st.lists(st.tuples(st.sampled_from(["add", "remove", "link", "move"]),
                                st.integers(0, 50)), max_size=25)


@given(operations)
def test_any_sequence_of_edits_undoes_exactly(ops):
    """Applying edits and their inverses in reverse order gives back the same network."""
    nodes, edges = small_records()
    doc = Document(Scenario(Network.from_records(nodes, edges)))
    start = doc.to_network(strict=False)
    undo = []
    for op, n in ops:
        ids = doc.node_ids()
        if op == "add":
            new = doc.add_node(["sme", "zone", "foreign"][n % 3], subfield="voice")
            undo.append(lambda new=new: doc.remove_node(new))
        elif op == "remove" and ids:
            removed = doc.remove_node(ids[n % len(ids)])
            undo.append(lambda removed=removed: doc.restore_node(removed))
        elif op == "link" and len(ids) > 1:
            try:
                key = doc.add_edge(ids[n % len(ids)], ids[(n * 7 + 1) % len(ids)])
            except InputError:
                continue
            undo.append(lambda key=key: doc.take_edge(key))
        elif op == "move" and ids:
            old = doc.move_nodes({ids[n % len(ids)]: (n, -n)})
            undo.append(lambda old=old: doc.move_nodes(old))
    for inverse in reversed(undo):
        inverse()
    assert doc.to_network(strict=False).equals(start)


def test_operator_lookup_and_read_only_records(doc):
    key, firm = doc.operator_of("p-voice")
    assert firm == "f-lead" and doc.edge(key)["type"] == "operates"
    platform = doc.add_node("platform", subfield="voice")
    assert doc.operator_of(platform) is None
    records = doc.node_records()
    assert records["z-hub"]["name"] == "Hub City" and len(records) == len(doc)
    with pytest.raises(TypeError):
        records["new"] = {}  # type: ignore[index]


def test_events_connect_once_and_disconnect_safely(doc):
    calls = []
    callback = calls.append
    doc.node_added.connect(callback)
    doc.node_added.connect(callback)
    assert doc.node_added.is_connected(callback)
    doc.add_node("zone")
    doc.node_added.disconnect(callback)
    doc.node_added.disconnect(callback)
    doc.add_node("zone")
    assert calls == ["zone-8"]


def test_snapshot_is_reused_until_the_next_edit(doc):
    first = doc.to_scenario()
    assert doc.to_scenario() is first  # nothing changed: no second build
    node_id = doc.node_ids()[0]
    old = doc.set_node(node_id, name="Renamed")
    changed = doc.to_scenario()
    assert changed is not first
    assert changed.network.nodes.set_index("id").loc[node_id, "name"] == "Renamed"
    doc.set_node(node_id, **old)  # undo
    back = doc.to_scenario()
    assert back is not changed and back.network.nodes.equals(first.network.nodes)
    doc.set_parameters(antitrust_enforcement=0.9)
    assert doc.to_scenario().parameters["antitrust_enforcement"] == 0.9
    assert doc.to_scenario(strict=False) is not doc.to_scenario()


def test_the_plain_words_for_links_name_every_kind_a_kind_may_link_to():
    """LINK_PARTNERS is prose; it must agree with EDGE_TYPES."""
    words = {schema.PLATFORM: "platform", schema.ZONE: "zone"}
    for kind in schema.NODE_KINDS:
        partners = {k for e in schema.EDGE_TYPES.values()
                    for k in (e.targets if kind in e.sources else ()) +
                    (e.sources if kind in e.targets else ())}
        text = schema.LINK_PARTNERS[kind]
        for partner in partners:
            assert words.get(partner, "firm") in text, (kind, partner)

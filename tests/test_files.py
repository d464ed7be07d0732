"""Scenario files: JSON round trips, migrations, atomic saving, malformed input, networkx."""
from __future__ import annotations

import json
import math
import os

import networkx as nx
import pytest
from factories import small_records
from file_strategies import networks, scenarios
from hypothesis import given

from model.errors import InputError, ValidationError
from model.files import (load_file, save_file, from_networkx, to_networkx, write_atomic,
                         write_bytes_atomic)
from model.files import atomic, jsonfile, tables
from model.files.jsonfile import (MIGRATIONS, VERSION, dumps_project, load_project, migrate,
                                  migrate_v1_to_v2, project_from_dict, project_to_dict,
                                  save_project)
from model.network import Network
from model.parameters import ParameterSet
from model.scenario import Project, Scenario


def small_project() -> Project:
    nodes, edges = small_records()
    nodes[0].update(x=12.5, y=-3.25, region="north")  # a position and an extra column
    nodes[3]["name"] = "领先公司 “Lead”"
    edges[6]["note"] = "pilot"
    first = Scenario(Network.from_records(nodes, edges), name="base", title="Base case",
                     author="Analyst", notes="line one\nline two")
    second = Scenario(Network.from_records(nodes[:2], []), name="zones only",
                      parameters=ParameterSet({"antitrust_enforcement": 0.8,
                                               "rent_rate": 0.1 + 0.2}))
    return Project((first, second), active=1)


def assert_same_project(a: Project, b: Project) -> None:
    assert [v.name for v in a.variants] == [v.name for v in b.variants]
    assert a.active == b.active
    for x, y in zip(a.variants, b.variants):
        assert x.network.equals(y.network)
        assert dict(x.parameters) == dict(y.parameters)
        assert (x.title, x.author, x.notes) == (y.title, y.author, y.notes)


def write_json(path, data) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def saved_dict(tmp_path) -> dict:
    path = tmp_path / "s.json"
    save_project(small_project(), path)
    return json.loads(path.read_text(encoding="utf-8"))


def load_error(tmp_path, data, name="bad.json", **kwargs) -> InputError:
    path = write_json(tmp_path / name, data)
    with pytest.raises(InputError) as info:
        load_project(path, **kwargs)
    assert info.value.file == path
    return info.value


# --- round trips ---------------------------------------------------------------------------

def test_json_round_trip_of_two_variants(tmp_path):
    project = small_project()
    path = tmp_path / "project.json"
    assert save_file(project, path) == ()
    loaded = load_file(path)
    assert_same_project(project, loaded)
    zone = loaded.variants[0].network.nodes.set_index("id").loc["z-hub"]
    assert (zone["x"], zone["y"], zone["region"]) == (12.5, -3.25, "north")
    assert loaded.current.parameters["rent_rate"] == 0.1 + 0.2  # floats exactly


def test_default_scenario_round_trip(tmp_path):
    from model.builtin import default_scenario

    scenario = default_scenario()
    save_file(scenario, tmp_path / "default.json")
    loaded = load_file(tmp_path / "default.json").current
    assert loaded.network.equals(scenario.network)
    assert dict(loaded.parameters) == dict(scenario.parameters)
    assert (loaded.title, loaded.notes, loaded.name) == (scenario.title, scenario.notes,
                                                         scenario.name)


def test_file_layout(tmp_path):
    data = saved_dict(tmp_path)
    assert (data["format"], data["version"], data["active"]) == \
        ("ai-ecosystem-scenario", VERSION, "zones only")
    assert data["saved_by"].startswith("ai-ecosystem-planner ")
    assert data["variants"][0]["parameters"] == {}  # only values that differ from defaults
    assert data["variants"][1]["parameters"] == {"antitrust_enforcement": 0.8,
                                                 "rent_rate": 0.1 + 0.2}
    assert data["variants"][0]["extra_node_columns"] == ["region"]
    firm = next(n for n in data["variants"][0]["nodes"] if n["id"] == "f-lead")
    assert "talent" not in firm and "x" not in firm  # not applicable, not placed
    text = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert "领先公司" in text  # readable, not \u-escaped


@given(scenarios())
def test_json_round_trip_property(scenario):
    loaded = project_from_dict(json.loads(json.dumps(project_to_dict(scenario))))
    assert loaded.current.network.equals(scenario.network)
    assert dict(loaded.current.parameters) == dict(scenario.parameters)
    assert (loaded.current.name, loaded.current.notes) == (scenario.name, scenario.notes)


@given(networks())
def test_fast_records_match_network_records(network):
    assert tables.node_records(network) == [
        {k: v for k, v in r.items() if not (isinstance(v, float) and math.isnan(v))}
        for r in network.node_records()]
    assert tables.edge_records(network) == network.edge_records()


def test_saved_text_is_project_to_dict():
    project = small_project()
    assert json.loads(dumps_project(project)) == project_to_dict(project)


def test_infinite_extra_value_cannot_be_saved(tmp_path):
    nodes, edges = small_records()
    nodes[0]["score"] = 1.0
    nodes[1]["score"] = math.inf
    scenario = Scenario(Network.from_records(nodes, edges))
    with pytest.raises(InputError, match="'score' holds inf"):
        save_project(scenario, tmp_path / "s.json")
    assert list(tmp_path.iterdir()) == []


def test_lone_surrogate_saved_as_replacement_character_with_a_warning(tmp_path):
    nodes, edges = small_records()
    nodes[0]["name"] = "bad \ud800 half"
    nodes[1]["name"] = "kept \x01 \ufffe"  # JSON holds these (escaped or as UTF-8)
    scenario = Scenario(Network.from_records(nodes, edges))
    notes = save_file(scenario, tmp_path / "s.json")
    raw = (tmp_path / "s.json").read_bytes()
    assert "bad \ufffd half".encode() in raw and b"\\ud800" not in raw
    names = load_project(tmp_path / "s.json").current.network.nodes["name"].tolist()
    assert names[:2] == ["bad \ufffd half", "kept \x01 \ufffe"]
    assert len(notes) == 1 and "1 character that JSON cannot hold (U+D800)" in notes[0]


# --- migrations ----------------------------------------------------------------------------

V1 = {"format": "ai-ecosystem-scenario", "version": 1, "title": "Old", "author": "A",
      "notes": "n", "parameters": {"openness_floor": 0.4}}


def v1_data() -> dict:
    nodes, edges = small_records()
    return {**V1, "nodes": nodes, "edges": edges}


def test_migrate_v1_to_v2():
    data = v1_data()
    new = migrate_v1_to_v2(data)
    assert new == {"format": "ai-ecosystem-scenario", "version": 2, "active": "main",
                   "variants": [{"name": "main", "title": "Old", "author": "A", "notes": "n",
                                 "parameters": {"openness_floor": 0.4},
                                 "nodes": data["nodes"], "edges": data["edges"]}]}
    assert MIGRATIONS[1] is migrate_v1_to_v2


def test_migrate_v2_to_v3_and_a_v2_file_loads(tmp_path):
    """A version-2 variant has no calendar: it starts in the default quarter, and nothing
    changes during its runs."""
    from model.calendar import DEFAULT_START
    from model.files.jsonfile import migrate_v2_to_v3

    v2 = migrate_v1_to_v2(v1_data())
    assert migrate_v2_to_v3(v2) == {**v2, "version": 3} and MIGRATIONS[2] is migrate_v2_to_v3
    project = load_project(write_json(tmp_path / "v2.json", v2))
    assert project.current.start == DEFAULT_START and not project.current.schedules
    assert project.current.parameters["openness_floor"] == 0.4


def test_start_and_schedules_round_trip_and_are_checked_at_their_place(tmp_path):
    from model.calendar import Quarter
    from model.schedules import parse_assignment

    scenario = Scenario(Network.from_records(*small_records()), start=Quarter.parse("2021Q1"))
    scenario = scenario.with_schedules(
        parse_assignment("antitrust_enforcement=2022Q3:0.6,2024Q1~0.9", scenario.start),
        parse_assignment("exit_patience=4:3", scenario.start))
    path = tmp_path / "s.json"
    save_project(scenario, path)
    loaded = load_project(path).current
    assert loaded.start == scenario.start and loaded.schedules == scenario.schedules
    data = json.loads(path.read_text())
    assert data["variants"][0]["start"] == "2021Q1"
    assert data["variants"][0]["schedules"]["antitrust_enforcement"] == [
        {"quarter": "2022Q3", "value": 0.6}, {"quarter": "2024Q1", "value": 0.9, "ramp": True}]
    bad = [("start", "2021-13", "variants[0].start"),
           ("schedules", {"no_such": []}, "variants[0].schedules.no_such"),
           ("schedules", {"antitrust_enforcement": [{"quarter": "2022Q3", "value": 3}]},
            "variants[0].schedules.antitrust_enforcement"),
           ("schedules", {"antitrust_enforcement": [{"quarter": "22Q3", "value": 0.5}]},
            "variants[0].schedules.antitrust_enforcement[0].quarter"),
           ("schedules", {"antitrust_enforcement": [{"quarter": "2022Q3", "value": "0.5"}]},
            "variants[0].schedules.antitrust_enforcement[0].value"),
           ("schedules", {"market_size": [{"quarter": "2022Q3", "value": 30}]},
            "variants[0].schedules.market_size"),
           ("schedules", {"antitrust_enforcement": [{"quarter": "2022Q3", "value": 0.5,
                                                     "ramp": True}]},
            "variants[0].schedules.antitrust_enforcement")]
    for field, value, place in bad:
        broken = json.loads(path.read_text())
        broken["variants"][0][field] = value
        assert load_error(tmp_path, broken).place == place, (field, value)


def test_v1_file_loads(tmp_path):
    project = load_project(write_json(tmp_path / "old.json", v1_data()))
    assert [v.name for v in project.variants] == ["main"]
    scenario = project.current
    assert (scenario.title, scenario.author, scenario.notes) == ("Old", "A", "n")
    assert scenario.parameters["openness_floor"] == 0.4
    assert scenario.network.equals(Network.from_records(*small_records()))


def test_v1_errors_name_the_v1_place(tmp_path):
    data = v1_data()
    data["nodes"][2]["data"] = "lots"
    assert load_error(tmp_path, data).place == "nodes[2].data"


def test_migrations_apply_in_a_chain():
    steps = {1: lambda d: {**d, "version": 2, "trail": d["trail"] + [1]},
             2: lambda d: {**d, "version": 3, "trail": d["trail"] + [2]}}
    out = migrate({"version": 1, "trail": []}, migrations=steps, target=3)
    assert out == {"version": 3, "trail": [1, 2]}
    with pytest.raises(InputError, match="version 2"):
        migrate({"version": 2, "trail": []}, migrations={1: steps[1]}, target=3)


def test_newer_version_refused(tmp_path):
    error = load_error(tmp_path, {**saved_dict(tmp_path), "version": VERSION + 1})
    assert "newer version of the tool" in error.message and error.fix == "update the tool"


@pytest.mark.parametrize("name", ["other-tool", None])
def test_unknown_format_refused(tmp_path, name):
    data = {**saved_dict(tmp_path), "format": name}
    error = load_error(tmp_path, data)
    assert error.place == "format" and "not a scenario file of this tool" in error.message


@pytest.mark.parametrize("version", ["2", 2.0, True, 0, None])
def test_bad_version_refused(tmp_path, version):
    assert load_error(tmp_path, {**saved_dict(tmp_path), "version": version}).place == "version"


# --- atomic saving -------------------------------------------------------------------------

def folder_names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_successful_save_keeps_a_backup(tmp_path):
    path = tmp_path / "scenario.json"
    write_bytes_atomic(path, b"first")
    assert folder_names(tmp_path) == ["scenario.json"]
    write_bytes_atomic(path, b"second")
    write_bytes_atomic(path, b"third")
    assert path.read_bytes() == b"third"
    assert (tmp_path / "scenario.json.bak").read_bytes() == b"second"
    assert folder_names(tmp_path) == ["scenario.json", "scenario.json.bak"]


def test_failed_write_leaves_old_file_and_no_temp(tmp_path):
    path = tmp_path / "scenario.json"
    path.write_bytes(b"old content")

    def half_then_fail(handle):
        handle.write(b"new cont")
        raise RuntimeError("stopped half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        write_atomic(path, half_then_fail)
    assert path.read_bytes() == b"old content"
    assert folder_names(tmp_path) == ["scenario.json"]


def test_interrupted_project_save(tmp_path, monkeypatch):
    path = tmp_path / "scenario.json"
    save_project(small_project(), path)
    before = path.read_bytes()

    def disk_full(target, data):  # the real atomic writer, failing after half the bytes
        def write(handle):
            handle.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        return write_atomic(target, write)

    monkeypatch.setattr(jsonfile, "write_bytes_atomic", disk_full)
    with pytest.raises(InputError) as info:
        save_project(Scenario(Network.from_records(*small_records())), path)
    assert info.value.file == str(path) and "No space left" in info.value.message
    assert path.read_bytes() == before
    assert folder_names(tmp_path) == ["scenario.json"]


def test_write_atomic_to_a_path(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")
    seen = []

    def writer(temp: str):
        seen.append(temp)
        with open(temp, "wb") as handle:
            handle.write(b"new")

    assert write_atomic(path, writer, to="path") == path.resolve()
    assert seen[0].endswith(".xlsx") and os.path.dirname(seen[0]) == str(tmp_path.resolve())
    assert path.read_bytes() == b"new" and (tmp_path / "book.xlsx.bak").read_bytes() == b"old"


def test_atomic_refuses_missing_folder_and_directory(tmp_path):
    with pytest.raises(InputError, match="folder does not exist"):
        write_bytes_atomic(tmp_path / "nowhere" / "s.json", b"x")
    with pytest.raises(InputError, match="folder, not a file"):
        write_bytes_atomic(tmp_path, b"x")


def test_new_file_gets_usual_permissions(tmp_path):
    write_bytes_atomic(tmp_path / "s.json", b"x")
    mode = os.stat(tmp_path / "s.json").st_mode & 0o777
    assert mode == 0o666 & ~atomic._umask()


# --- malformed files -----------------------------------------------------------------------

def test_truncated_json(tmp_path):
    path = tmp_path / "cut.json"
    save_project(small_project(), path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(path)
    error = info.value
    lines = text[: len(text) // 2].count("\n") + 1
    assert error.file == str(path) and error.place.startswith(f"line {lines}, column ")
    assert "broken" in error.message


def test_truncated_json_points_to_backup(tmp_path):
    path = tmp_path / "cut.json"
    save_project(small_project(), path)
    save_project(small_project(), path)
    path.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(InputError, match="cut.json.bak"):
        load_project(path)


@pytest.mark.parametrize("change, place", [
    (lambda v: v.update(nodes={"a": 1}), "variants[0].nodes"),
    (lambda v: v.update(edges="none"), "variants[0].edges"),
    (lambda v: v["nodes"][3].update(talent="12"), "variants[0].nodes[3].talent"),
    (lambda v: v["nodes"][0].update(talent="12"), "variants[0].nodes[0].talent"),
    (lambda v: v["nodes"][0].update(hub="yes"), "variants[0].nodes[0].hub"),
    (lambda v: v["nodes"][2].update(name=5), "variants[0].nodes[2].name"),
    (lambda v: v["nodes"][2].update(region=[1, 2]), "variants[0].nodes[2].region"),
    (lambda v: v["nodes"].__setitem__(4, "f-sme1"), "variants[0].nodes[4]"),
    (lambda v: v["edges"][6].update(weight=True), "variants[0].edges[6].weight"),
    (lambda v: v.update(parameters={"rent_rate": "0.2"}), "variants[0].parameters.rent_rate"),
    (lambda v: v.update(parameters=[0.2]), "variants[0].parameters"),
    (lambda v: v.update(title=None), "variants[0].title"),
    (lambda v: v.update(colour="red"), "variants[0].colour"),
    (lambda v: v.update(extra_node_columns="region"), "variants[0].extra_node_columns"),
])
def test_wrong_types_name_the_place(tmp_path, change, place):
    data = saved_dict(tmp_path)
    change(data["variants"][0])
    error = load_error(tmp_path, data)
    assert error.place == place and error.fix


@pytest.mark.parametrize("data, place", [
    ([1, 2], None), ({"format": "ai-ecosystem-scenario", "version": 2, "variants": []},
                     "variants"),
    ({"format": "ai-ecosystem-scenario", "version": 2, "variants": [], "extra": 1}, "extra"),
])
def test_wrong_structure(tmp_path, data, place):
    assert load_error(tmp_path, data).place == place


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_refused(tmp_path, token):
    data = saved_dict(tmp_path)
    data["variants"][0]["nodes"][0]["talent"] = "__HERE__"
    path = tmp_path / "nan.json"
    path.write_text(json.dumps(data).replace('"__HERE__"', token), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(path)
    assert info.value.place == "variants[0].nodes[0].talent"
    assert info.value.file == str(path) and token in info.value.message


@pytest.mark.parametrize("text, words", [("[" * 100_000, "nested too deeply"),
                                         ("[" + "9" * 5000 + "]", "thousands of digits")])
def test_pathological_json(tmp_path, text, words):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="ascii")
    with pytest.raises(InputError, match=words):
        load_project(path)


def test_duplicate_keys_refused(tmp_path):
    path = tmp_path / "dup.json"
    text = json.dumps(saved_dict(tmp_path)).replace('"talent": 40.0', '"talent": 40.0, '
                                                    '"talent": 4.0')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(path)
    assert info.value.place == "variants[0].nodes[0]" and "'talent'" in info.value.message


def test_empty_and_non_utf8_files(tmp_path):
    (tmp_path / "empty.json").write_bytes(b"  \n")
    with pytest.raises(InputError, match="empty"):
        load_project(tmp_path / "empty.json")
    (tmp_path / "latin.json").write_bytes('{\n "title": "Zürich"}'.encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_project(tmp_path / "latin.json")
    assert info.value.place == "line 2, column 13" and "UTF-8" in info.value.message


def validation_error(tmp_path, change) -> ValidationError:
    data = saved_dict(tmp_path)
    data["variants"].pop(1)  # one variant: places name no variant
    data["active"] = "base"
    change(data["variants"][0])
    error = load_error(tmp_path, data)
    assert isinstance(error, ValidationError)
    return error


def test_negative_talent(tmp_path):
    error = validation_error(tmp_path, lambda v: v["nodes"][0].update(talent=-1.0))
    assert error.place == "node 'z-hub'" and "talent" in error.message and error.fix


def test_duplicate_ids(tmp_path):
    error = validation_error(tmp_path, lambda v: v["nodes"][5].update(id="f-sme1"))
    assert any(p.rule == "id-duplicate" and p.place == "node 'f-sme1'" for p in error.problems)


def test_unknown_node_kind(tmp_path):
    error = validation_error(tmp_path, lambda v: v["nodes"][4].update(kind="startup"))
    assert any(p.rule == "kind-unknown" and "f-sme1" in p.place for p in error.problems)


def test_dangling_edge(tmp_path):
    error = validation_error(tmp_path, lambda v: v["edges"][6].update(target="p-ghost"))
    assert any(p.rule == "edge-dangling" and "p-ghost" in p.place for p in error.problems)


def test_validation_names_the_variant_when_there_are_several(tmp_path):
    data = saved_dict(tmp_path)
    data["variants"][1]["nodes"][0]["talent"] = -5.0
    error = load_error(tmp_path, data)
    assert error.place == "variant 'zones only', node 'z-hub'"


def test_parameter_checks(tmp_path):
    data = saved_dict(tmp_path)
    data["variants"][1]["parameters"] = {"antitrust": 0.5}
    error = load_error(tmp_path, data)
    assert error.place == "variants[1].parameters.antitrust" and "unknown parameter" in \
        error.message
    data["variants"][1]["parameters"] = {"openness_floor": 1.5}
    error = load_error(tmp_path, data)
    assert error.place == "variants[1].parameters.openness_floor" and "outside" in error.message


def test_active_and_variant_names(tmp_path):
    data = saved_dict(tmp_path)
    assert load_error(tmp_path, {**data, "active": "nope"}).place == "active"
    data["variants"][1]["name"] = "base"
    assert "both named 'base'" in load_error(tmp_path, data).message


def test_huge_file_refused_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b"not json at all " * 200)  # would be a JSON error if it were read
    with pytest.raises(InputError, match="too large") as info:
        load_file(path, max_bytes=1000)
    assert info.value.file == str(path)


def test_strict_false_loads_an_incomplete_network(tmp_path):
    data = saved_dict(tmp_path)
    data["variants"][0]["edges"].pop(0)  # the platform's operates edge
    path = write_json(tmp_path / "draft.json", data)
    with pytest.raises(ValidationError, match="no operator"):
        load_file(path)
    assert len(load_file(path, strict=False).variants[0].network.edges) == 9


# --- dispatch ------------------------------------------------------------------------------

def test_load_file_refusals(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_file(tmp_path / "missing.json")
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(InputError, match="folder"):
        load_file(tmp_path / "folder.json")
    with pytest.raises(InputError, match="does not exist") as info:
        load_file(tmp_path / "book.xlsx")
    assert info.value.file == str(tmp_path / "book.xlsx")
    with pytest.raises(InputError) as info:
        load_file(tmp_path / "scenario.txt")
    assert ".json, .graphml, .xlsx, .csv" in info.value.fix
    with pytest.raises(InputError, match="format this tool knows") as info:
        save_file(small_project(), tmp_path / "nodes.csv")
    assert ".csv" not in info.value.fix
    assert not (tmp_path / "nodes.csv").exists()


def test_every_format_round_trips_through_the_dispatcher(tmp_path):
    project = small_project()
    for name in ("s.json", "s.graphml", "s.xlsx"):
        notes = save_file(project, tmp_path / name)
        back = load_file(tmp_path / name).current
        assert back.network.equals(project.current.network, rtol=1e-15), name
        expected = dict(project.current.parameters)  # a workbook keeps 16 digits
        assert dict(back.parameters) == pytest.approx(expected, rel=1e-15, abs=0), name
        assert bool(notes) == (name != "s.json" and len(project.variants) > 1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_special_file_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe.json")  # reading it would block forever
    with pytest.raises(InputError, match="not a regular file"):
        load_file(tmp_path / "pipe.json")


# --- networkx ------------------------------------------------------------------------------

def test_networkx_round_trip_of_default_scenario():
    from model.builtin import default_scenario

    network = default_scenario().network
    graph = to_networkx(network)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == len(network.nodes)
    assert graph.number_of_edges() == len(network.edges)
    assert from_networkx(graph).equals(network)


def test_networkx_attributes():
    graph = to_networkx(small_project().variants[0].network)
    assert graph.nodes["z-hub"] == {"kind": "zone", "name": "Hub City", "hub": True,
                                    "talent": 40.0, "amenity": 0.5, "support": 0.5,
                                    "experience": 0.2, "x": 12.5, "y": -3.25,
                                    "confidence": "user", "region": "north"}
    assert graph.edges["f-lead", "p-voice", 0] == {"type": "operates", "weight": 1.0}
    assert graph.edges["f-sme1", "p-voice", 6] == {"type": "uses", "weight": 0.6,
                                                   "lock_in": 0.0, "note": "pilot"}


def test_from_undirected_networkx_graph_orients_edges():
    nodes, edges = small_records()
    graph = nx.Graph()
    graph.add_nodes_from((n["id"], {k: v for k, v in n.items() if k != "id"}) for n in nodes)
    for e in edges:  # written backwards: platform -- firm, zone -- firm
        data = {k: v for k, v in e.items() if k not in ("source", "target")}
        graph.add_edge(e["target"], e["source"], **data)
    network = from_networkx(graph)
    uses = network.of_type("uses").set_index("source")
    assert uses.loc["f-sme1", "target"] == "p-voice"
    assert network.counts() == Network.from_records(nodes, edges).counts()


def test_from_networkx_refuses_bad_attributes():
    graph = nx.MultiDiGraph()
    graph.add_node("z", kind="zone", pos=(1.0, 2.0))
    with pytest.raises(InputError) as info:
        from_networkx(graph)
    assert info.value.place == "node 'z', attribute 'pos'"
    graph = nx.MultiDiGraph()
    graph.add_node("z")
    with pytest.raises(ValidationError, match="kind"):
        from_networkx(graph)


@given(networks())
def test_networkx_round_trip_property(network):
    assert from_networkx(to_networkx(network)).equals(network)

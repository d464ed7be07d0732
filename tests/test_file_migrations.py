"""Files of older versions keep their meaning: the migrations to formats 4, 5 and 6."""
from __future__ import annotations

from test_files import v1_data, write_json

from model.files.jsonfile import MIGRATIONS, load_project, migrate_v1_to_v2


def test_a_v3_file_keeps_its_meaning_without_the_interoperability_lever(tmp_path):
    """Version 3 knew no interoperability: its variants load with 0 (lock-in at its full
    rate, as when they were written), and a value a file does hold is kept."""
    from model.files.jsonfile import migrate_v2_to_v3, migrate_v3_to_v4

    v3 = migrate_v2_to_v3(migrate_v1_to_v2(v1_data()))
    v4 = migrate_v3_to_v4(v3)
    assert v4["version"] == 4 and MIGRATIONS[3] is migrate_v3_to_v4
    assert v4["variants"][0]["parameters"] == {"openness_floor": 0.4, "interoperability": 0.0}
    project = load_project(write_json(tmp_path / "v3.json", v3))
    assert project.current.parameters["interoperability"] == 0.0
    held = {**v3, "variants": [{**v3["variants"][0], "parameters": {"interoperability": 0.7}}]}
    assert load_project(write_json(tmp_path / "held.json", held)) \
        .current.parameters["interoperability"] == 0.7


def test_a_v4_file_loads_unchanged_and_its_elements_are_always_present(tmp_path):
    """Version 5 adds `appears`/`vanishes`; a version-4 file has none, so every node and
    edge takes part from the start to the end, and nothing else in it changes."""
    from model.files.jsonfile import VERSION, migrate_v2_to_v3, migrate_v3_to_v4, \
        migrate_v4_to_v5

    v4 = migrate_v3_to_v4(migrate_v2_to_v3(migrate_v1_to_v2(v1_data())))
    v5 = migrate_v4_to_v5(v4)
    assert VERSION >= 5 and MIGRATIONS[4] is migrate_v4_to_v5
    assert v5 == {**v4, "version": 5}
    network = load_project(write_json(tmp_path / "v4.json", v4)).current.network
    assert (network.nodes["appears"] == "").all() and (network.nodes["vanishes"] == "").all()
    assert (network.edges["appears"] == "").all()


def test_appearing_quarters_round_trip_through_every_format(tmp_path):
    """JSON, GraphML and the workbook keep each node's and edge's quarters."""
    from model.files import load_file, save_file
    from model.network import Network
    from model.scenario import Scenario

    network = Network.from_records(
        [{"id": "z", "kind": "zone", "appears": "2019q1"}, {"id": "z2", "kind": "zone"},
         {"id": "f", "kind": "leader", "subfield": "a"},
         {"id": "p", "kind": "platform", "subfield": "a", "appears": "2018Q1",
          "vanishes": "2022-Q3"}],
        [{"source": "f", "target": "z", "type": "located_in"},
         {"source": "f", "target": "p", "type": "operates"},
         {"source": "z", "target": "z2", "type": "exchange", "weight": 0.5,
          "appears": "2020Q1"}])
    assert network.nodes["appears"].tolist() == ["2019Q1", "", "", "2018Q1"]
    assert network.nodes["vanishes"].tolist()[3] == "2022Q3"
    for suffix in ("json", "graphml", "xlsx"):
        path = tmp_path / f"s.{suffix}"
        save_file(Scenario(network=network, name="main", title="t"), path)
        back = load_file(path).current.network
        assert back.equals(network), suffix
        assert back.edges["appears"].tolist() == ["", "", "2020Q1"]


def test_a_v5_file_keeps_the_hand_set_defaults_it_meant(tmp_path):
    """Version 6 made the uncertain coefficients' defaults the calibrated medoid; a version-5
    file left them out because they were the hand-set values, so it loads with those, and
    what the file does hold is kept. A new file means today's defaults."""
    from model.files.jsonfile import VERSION, migrate_v5_to_v6
    from model.files.legacy_defaults import HAND_SET_DEFAULTS
    from model.parameters import PARAMETERS

    assert VERSION == 6 and MIGRATIONS[5] is migrate_v5_to_v6
    v5 = {"format": "ai-ecosystem-scenario", "version": 5, "active": "main",
          "variants": [{**v1_data(), "name": "main", "start": "2024Q1",
                        "parameters": {"openness_floor": 0.4, "redecision_rate": 0.5}}]}
    v5["variants"][0].pop("format", None)
    v5["variants"][0].pop("version", None)
    params = load_project(write_json(tmp_path / "v5.json", v5)).current.parameters
    assert params["redecision_rate"] == 0.5 and params["openness_floor"] == 0.4
    changed = {k: v for k, v in HAND_SET_DEFAULTS.items() if k != "redecision_rate"}
    assert all(params[k] == v for k, v in changed.items())
    assert any(PARAMETERS[k].default != v for k, v in changed.items())  # it mattered
    assert set(HAND_SET_DEFAULTS) <= set(PARAMETERS)
    v6 = {**v5, "version": 6}
    today = load_project(write_json(tmp_path / "v6.json", v6)).current.parameters
    assert all(today[k] == PARAMETERS[k].default for k in changed)


def test_graphml_written_before_version_6_keeps_the_hand_set_defaults(tmp_path):
    from model.builtin import default_scenario
    from model.files import load_file, save_file
    from model.files.legacy_defaults import HAND_SET_DEFAULTS
    from model.parameters import PARAMETERS
    from model.scenario import Project

    path = tmp_path / "s.graphml"
    save_file(Project.single(default_scenario()), path)
    text = path.read_text("utf-8")
    assert ">6<" in text
    old = tmp_path / "old.graphml"
    old.write_text(text.replace(">6<", ">5<", 1), "utf-8")
    assert load_file(old).current.parameters["lock_in_rate"] == \
        HAND_SET_DEFAULTS["lock_in_rate"]
    assert load_file(path).current.parameters["lock_in_rate"] == \
        PARAMETERS["lock_in_rate"].default

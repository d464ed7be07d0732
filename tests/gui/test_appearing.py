"""Elements that appear at a quarter, in the window: the inspector sets the quarters, the
levers panel marks them along the run, the replay greys what is not yet present."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from conftest import small_project
from model.network import Network
from model.scenario import Project, Scenario
from run_helpers import finish, start


def _late_project(appears="2024Q3"):
    """The small project with its platform appearing two quarters after the start."""
    scenario = small_project().current
    nodes = scenario.network.nodes.copy()
    nodes.loc[nodes["id"] == "p-voice", "appears"] = appears
    network = Network.build(nodes, scenario.network.edges)
    return Project.single(Scenario(network, title="Late platform"))


def _type(qtbot, line: QLineEdit, text: str) -> None:
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def test_the_inspector_sets_when_a_node_and_a_link_appear(window, qtbot):
    window.editor.scene.select_nodes(["p-voice"])
    qtbot.waitUntil(lambda: window.inspector.target == ("node", "p-voice"))
    line = window.inspector.findChild(QLineEdit, "field_appears")
    _type(qtbot, line, "2025q2")
    assert window.doc.node("p-voice")["appears"] == "2025Q2"
    window.editor.stack.undo()
    assert window.doc.node("p-voice")["appears"] in ("", None)
    key = next(k for k in window.doc.edge_keys()
               if window.doc.edge(k)["type"] == "exchange")
    window.editor.scene.clearSelection()
    window.editor.scene.edges[key].setSelected(True)
    qtbot.waitUntil(lambda: window.inspector.target == ("edge", key))
    vanishes = window.inspector.findChild(QLineEdit, "field_vanishes")
    _type(qtbot, vanishes, "2030Q1")
    assert window.doc.edge(key)["vanishes"] == "2030Q1"


def test_the_levers_panel_marks_the_quarters_elements_appear(make_window, qtbot):
    window = make_window(_late_project())
    strip = window.levers.appearances
    assert strip.isVisible() and list(strip.marks) == [(2, "appears")]
    assert "2024Q3" in strip.toolTip() and "Voice OIP" in strip.toolTip()
    plain = make_window()
    assert not plain.levers.appearances.isVisible()


def test_replay_greys_a_platform_until_it_appears(make_window, qtbot):
    window = make_window(_late_project())
    assert start(window, 5)
    finish(window, qtbot)
    window.replay.toggle.trigger()
    assert window.replay.active()
    item = window.editor.scene.nodes["p-voice"]
    window.replay.set_step(1)
    assert item.replay_brush.color().name() == "#9e9e9e" and item.shape_opacity < 1.0
    window.replay.set_step(3)
    assert item.replay_brush is None or item.replay_brush.color().name() != "#9e9e9e"


def test_the_history_scenario_replays_platforms_and_zones_appearing(make_window, qtbot):
    from model.builtin import history_scenario

    window = make_window(Project.single(history_scenario()))
    assert start(window, 7)  # 2017Q4 .. 2019Q3
    finish(window, qtbot, timeout=60_000)
    window.replay.toggle.trigger()
    nodes = window.editor.scene.nodes
    grey = "#9e9e9e"

    def greyed(node_id):
        brush = nodes[node_id].replay_brush
        return brush is not None and brush.color().name() == grey

    window.replay.set_step(0)
    assert "2017Q4" in window.replay.step_label.text()
    assert not greyed("oip-baidu") and greyed("oip-sensetime") and greyed("oip-huawei")
    assert greyed("zone-beijing")
    window.replay.set_step(5)  # 2019Q1
    assert not greyed("oip-sensetime") and greyed("oip-huawei")
    assert not greyed("zone-beijing") and greyed("zone-shanghai")
    window.replay.set_step(7)  # 2019Q3
    assert not greyed("oip-huawei") and not greyed("zone-shanghai") and greyed("zone-wuhan")

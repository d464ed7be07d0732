"""A foreign firm may operate a platform; parity governs domestic firms' access to it
(docs/ODD.md 7.9), and the built-in what-if `foreign_oip` shows the lever's effect."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from factories import small_records
from model.builtin import BUILTIN_NAMES, resolve_builtin
from model.builtin.foreign_oip import PLATFORM, foreign_oip_scenario
from model.engine import METRIC_KEYS, Engine, prepare
from model.experiments import compare
from model.network import Network
from model.parameters import ParameterSet
from model.scenario import Scenario
from model.validation import check_network


def _foreign_operated():
    """The small network plus a platform its foreign firm runs, used by a domestic SME."""
    nodes, edges = small_records()
    nodes.append({"id": "p-for", "kind": "platform", "name": "Foreign OIP", "subfield": "voice"})
    edges += [{"source": "f-for", "target": "p-for", "type": "operates"},
              {"source": "z-hub", "target": "p-for", "type": "hosts"},
              {"source": "f-sme1", "target": "p-for", "type": "uses", "weight": 0.5}]
    return pd.DataFrame(nodes), pd.DataFrame(edges)


def test_a_foreign_operator_is_valid():
    _, _, problems = check_network(*_foreign_operated())
    assert problems == []


def test_parity_scales_domestic_access_to_a_foreign_operated_platform():
    network = Network.build(*_foreign_operated())
    for phi in (0.0, 0.4, 1.0):
        params = ParameterSet({"foreign_access_parity": phi, "noise_sigma": 0.0})
        engine = Engine(prepare(Scenario(network, params)))
        net, st = engine.net, engine.state
        sme = np.flatnonzero(net.firm_kind == 1)[0]
        on = (st.ef == sme)
        foreign_plat = net.firm_kind[net.plat_op[st.ep[on]]] == 2
        assert foreign_plat.any() and (~foreign_plat).any()
        assert np.allclose(st.epar[on][foreign_plat], phi)  # the foreign-operated platform
        assert np.allclose(st.epar[on][~foreign_plat], 1.0)  # a domestic one: full access


def test_the_what_if_is_built_in_and_labelled_hypothetical():
    assert "foreign_oip" in BUILTIN_NAMES and "HYPOTHETICAL" in BUILTIN_NAMES["foreign_oip"]
    scenario = resolve_builtin("foreign_oip")
    assert scenario is foreign_oip_scenario()
    nodes, edges = scenario.network.nodes, scenario.network.edges
    row = nodes.loc[nodes["id"] == PLATFORM].iloc[0]
    assert "HYPOTHETICAL" in row["source"] and row["confidence"] == "illustrative"
    operator = edges.loc[(edges["type"] == "operates") & (edges["target"] == PLATFORM),
                         "source"].iloc[0]
    assert nodes.loc[nodes["id"] == operator, "kind"].iloc[0] == "foreign"
    users = edges[(edges["type"] == "uses") & (edges["target"] == PLATFORM)]
    kinds = set(nodes.set_index("id").loc[users["source"], "kind"])
    assert kinds == {"sme", "foreign"}  # domestic SMEs and the other foreign firms
    assert "HYPOTHETICAL" in scenario.title.upper() and "HYPOTHETICAL" in scenario.notes


@pytest.mark.parametrize("key", ["foreign_share", "adoption_mean"])
def test_parity_acts_on_the_foreign_built_platform(key):
    """Paired over common seeds: full parity against none raises the foreign share and
    adoption; adoption by more than without the foreign-built platform (its domestic
    dependants build on it only with parity)."""
    from model.builtin import default_scenario

    effects = {}
    for name, scenario in (("what-if", foreign_oip_scenario()), ("default", default_scenario())):
        result = compare({"0": scenario.with_parameters(foreign_access_parity=0.0),
                          "1": scenario.with_parameters(foreign_access_parity=1.0)},
                         runs=16, steps=40)
        j = METRIC_KEYS.index(key)
        diff = result.results["1"].runs[:, -1, j] - result.results["0"].runs[:, -1, j]
        assert diff.mean() > 3 * diff.std(ddof=1) / np.sqrt(len(diff))
        effects[name] = diff.mean()
    if key == "adoption_mean":
        assert effects["what-if"] > effects["default"]

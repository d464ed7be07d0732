"""The built-in scenarios: `default` against DATA.md, `synthetic:N`, and name resolution."""
from __future__ import annotations

import shutil

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import schema
from model.builtin import BUILTIN_NAMES, default_scenario, resolve_builtin, synthetic_scenario
from model.builtin.default import apportion
from model.builtin.facts import DATA_DIR, load_facts
from model.builtin.layout import separate
from model.errors import InputError
from model.network import Network

# DATA.md, typed out again here so that the CSV files are checked against it.
VERIFIED = {
    "Baidu": ("autonomous driving", "Beijing"), "Alibaba Cloud": ("city brain", "Hangzhou"),
    "Tencent": ("medical imaging", "Shenzhen"), "iFlytek": ("intelligent voice", "Hefei"),
    "SenseTime": ("intelligent vision", "Shanghai"), "Yitu": ("visual computing", "Shanghai"),
    "Mininglamp": ("marketing intelligence", "Beijing"),
    "Huawei": ("basic software and hardware", "Shenzhen"),
    "Ping An": ("inclusive finance", "Shenzhen"), "Hikvision": ("video perception", "Hangzhou"),
    "JD.com": ("smart supply chain", "Beijing"), "Megvii": ("image perception", "Beijing"),
    "Qihoo 360": ("security brain", "Beijing"), "TAL Education": ("smart education", "Beijing"),
    "Xiaomi": ("smart home", "Beijing"),
}
WEAKER = {"HIT AI Research Institute": ("smart farm", "Harbin", "likely"),
          "Meituan": ("smart living", "Beijing", "likely"),
          "China Mobile": (None, None, "uncertain")}
ZONES = {
    "Beijing": "Beijing", "Shanghai": "Shanghai", "Tianjin": "Tianjin", "Shenzhen": "Guangdong",
    "Hefei": "Anhui", "Hangzhou": "Zhejiang", "Deqing County": "Zhejiang",
    "Chongqing": "Chongqing", "Chengdu": "Sichuan", "Xi'an": "Shaanxi", "Jinan": "Shandong",
    "Guangzhou": "Guangdong", "Wuhan": "Hubei", "Suzhou": "Jiangsu", "Changsha": "Hunan",
    "Harbin": "Heilongjiang", "Shenyang": "Liaoning", "Zhengzhou": "Henan",
}
HUBS = {"Beijing", "Shanghai", "Shenzhen", "Hangzhou"}
LIKELY_ZONES = {"Harbin", "Shenyang", "Zhengzhou"}


@pytest.fixture(scope="module")
def net() -> Network:
    return default_scenario().network


def _by_id(net: Network) -> pd.DataFrame:
    return net.nodes.set_index("id")


def _operators(net: Network) -> pd.DataFrame:
    """One row per platform: its subfield, confidence, operator name and operator's zone."""
    nodes = _by_id(net)
    ops = net.of_type("operates")
    zone_of = net.of_type("located_in").set_index("source")["target"]
    host_of = net.of_type("hosts").set_index("target")["source"]
    return pd.DataFrame({
        "operator": nodes.loc[ops["source"], "name"].to_numpy(),
        "subfield": nodes.loc[ops["target"], "subfield"].to_numpy(),
        "confidence": nodes.loc[ops["target"], "confidence"].to_numpy(),
        "operator_zone": nodes.loc[zone_of[ops["source"]], "name"].to_numpy(),
        "host_zone": nodes.loc[host_of[ops["target"]], "name"].to_numpy(),
    }, index=ops["target"].to_numpy())


def _sme_counts(net: Network) -> pd.Series:
    nodes = _by_id(net)
    located = net.of_type("located_in")
    kinds = nodes.loc[located["source"], "kind"].to_numpy()
    zones = nodes.loc[located["target"], "name"].to_numpy()
    counts = pd.Series(zones[kinds == schema.SME]).value_counts()
    return counts.reindex(list(ZONES), fill_value=0)


# --- default scenario -------------------------------------------------------------------------

def test_default_passes_full_validation(net):
    rebuilt = Network.build(net.nodes, net.edges)
    assert rebuilt.equals(net)
    assert default_scenario().title == "China national AI ecosystem (built-in)"


def test_default_is_cached_and_deterministic():
    assert default_scenario() is default_scenario()
    fresh = default_scenario.__wrapped__()
    assert fresh is not default_scenario()
    assert fresh.network.equals(default_scenario().network)


def test_the_fifteen_verified_oips(net):
    table = _operators(net)
    verified = table[table["confidence"] == "verified"]
    assert dict(zip(verified["operator"], zip(verified["subfield"], verified["operator_zone"]))) \
        == VERIFIED
    assert (verified["host_zone"] == verified["operator_zone"]).all()
    assert "oip-baidu" in verified.index


def test_the_weaker_oips_carry_their_confidence(net):
    table = _operators(net).set_index("operator")
    for operator, (subfield, zone, confidence) in WEAKER.items():
        assert table.loc[operator, "confidence"] == confidence
        if subfield is not None:
            assert table.loc[operator, ["subfield", "operator_zone"]].tolist() == [subfield, zone]
    placeholder = table.loc["China Mobile", "subfield"]
    assert "unknown" in placeholder and "placeholder" in placeholder
    assert len(table) == 18


def test_the_eighteen_pilot_zones(net):
    zones = net.zones
    assert dict(zip(zones["name"], zones["province"])) == ZONES
    assert set(zones.loc[zones["hub"], "name"]) == HUBS
    likely = set(zones.loc[zones["confidence"] == "likely", "name"])
    assert likely == LIKELY_ZONES
    assert set(zones.loc[zones["confidence"] == "verified", "name"]) == set(ZONES) - likely


def test_several_hundred_firms_with_honest_names(net):
    counts = net.counts()
    assert 300 <= counts["sme"] <= 1000 and 10 <= counts["foreign"] <= 30
    assert counts["leader"] == 18
    made_up = net.of_kind(schema.SME, schema.FOREIGN)
    assert (made_up["confidence"] == "synthetic").all()
    smes = net.of_kind(schema.SME)
    assert smes["name"].str.match(r"^SME .+-\d\d+$").all()
    assert net.of_kind(schema.FOREIGN)["name"].str.match(r"^Foreign firm \d\d \(.+\)$").all()
    assert "sme-hefei-01" in set(smes["id"]) and "SME Hefei-01" in set(smes["name"])


def test_every_node_has_source_and_confidence(net):
    assert (net.nodes["source"].str.len() > 10).all()
    assert net.nodes["confidence"].isin(schema.CONFIDENCE_LEVELS).all()
    assert not (net.nodes["confidence"] == "user").any()
    zones = net.zones
    assert zones["source"].str.contains("no public source for regional AI talent").all()
    platforms = net.platforms
    assert platforms["source"].str.contains("illustrative").all()


def test_smes_follow_the_firm_location_shares(net):
    counts = _sme_counts(net)
    assert counts.idxmax() == "Beijing"
    assert (counts >= 3).all()
    total = counts.sum()
    for zone, percent in (("Beijing", 29.7), ("Shanghai", 14.1), ("Shenzhen", 14.0),
                          ("Guangzhou", 8.1), ("Hangzhou", 7.6)):
        assert abs(counts[zone] / total - percent / 100) < 0.01, zone
    rest = counts.drop(["Beijing", "Shanghai", "Shenzhen", "Guangzhou", "Hangzhou"])
    assert rest.max() - rest.min() <= 1  # the unlisted zones split the remainder equally
    assert counts["Hangzhou"] > rest.max()


def test_talent_follows_the_firm_shares(net):
    zones = net.zones.set_index("name")
    share = zones["talent"] / zones["talent"].sum()
    assert share.idxmax() == "Beijing"
    assert share["Beijing"] == pytest.approx(0.297, abs=0.002)
    assert (share > 0).all()


def test_uses_edges_tie_firms_to_their_subfield(net):
    nodes = _by_id(net)
    uses = net.of_type("uses")
    assert ((uses["weight"] > 0) & (uses["weight"] <= 1)).all()
    assert ((uses["lock_in"] >= 0) & (uses["lock_in"] <= 0.1)).all()
    per_firm = uses.groupby("source").size()
    users = net.of_kind(schema.SME, schema.FOREIGN)["id"]
    assert per_firm.reindex(users, fill_value=0).between(1, 2).all()
    same = nodes.loc[uses["source"], "subfield"].to_numpy() == \
        nodes.loc[uses["target"], "subfield"].to_numpy()
    own = pd.Series(same).groupby(uses["source"].to_numpy()).any()
    assert own.all()  # every user has a platform of its own subfield
    assert set(net.platforms["id"]) <= set(uses["target"])  # every platform has users
    assert not set(net.of_kind(schema.LEADER)["id"]) & set(uses["source"])


def test_zones_exchange_and_firms_collaborate(net):
    exchange = net.of_type("exchange")
    graph = nx.Graph(list(zip(exchange["source"], exchange["target"])))
    assert set(graph.nodes) == set(net.zones["id"]) and nx.is_connected(graph)
    pairs = set(zip(exchange["source"], exchange["target"]))
    assert ("zone-beijing", "zone-tianjin") in pairs  # within a cluster
    assert 10 <= len(net.of_type("collaborates")) <= 100


def test_notes_name_sources_milestones_and_confidence():
    notes = default_scenario().notes
    for text in ("2017-07-08", "2021-11-01", "2022-08-01", "23", "incomplete", "confidence",
                 "synthetic"):
        assert text in notes


def test_layout_is_readable(net):
    nodes = net.nodes
    assert np.isfinite(nodes[["x", "y"]].to_numpy()).all()
    assert (nodes[["x", "y"]].to_numpy() >= 0).all()
    zones = net.zones[["x", "y"]].to_numpy()
    gaps = np.hypot(*(zones[:, None, :] - zones[None, :, :]).transpose(2, 0, 1))
    assert gaps[~np.eye(len(zones), dtype=bool)].min() > 300
    located = net.of_type("located_in")
    xy = nodes.set_index("id")[["x", "y"]]
    offset = xy.loc[located["source"]].to_numpy() - xy.loc[located["target"]].to_numpy()
    assert np.hypot(offset[:, 0], offset[:, 1]).max() < 400  # firms sit near their zone
    assert len({tuple(p) for p in nodes[["x", "y"]].to_numpy()}) == len(nodes)  # no overlap


def test_separate_pushes_discs_apart():
    xy = separate(np.zeros((3, 2)), np.array([10.0, 10.0, 10.0]))
    gaps = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert gaps[~np.eye(3, dtype=bool)].min() >= 80 - 1e-6  # 2 radii + margin 60


def test_apportion_keeps_total_and_minimum():
    shares = pd.Series({"a": 0.7, "b": 0.2, "c": 0.1})
    counts = apportion(shares, 20, minimum=3)
    assert counts.sum() == 20 and counts.min() >= 3 and counts.idxmax() == "a"
    assert apportion(shares, 10).tolist() == [7, 2, 1]
    held = apportion(pd.Series({"a": 0.9, "b": 0.05, "c": 0.05}), 20, minimum=3)
    assert held.tolist() == [14, 3, 3]


# --- fact files ---------------------------------------------------------------------------------

def test_fact_files_carry_source_and_confidence():
    facts = load_facts()
    for stem, table in facts.items():
        assert len(table), stem
        assert (table["source"].str.strip() != "").all(), stem
        assert table["confidence"].isin(schema.CONFIDENCE_LEVELS).all(), stem
    assert (facts["oips"]["confidence"] == "verified").sum() == 15
    assert len(facts["zones"]) == 18
    sources = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "23" in sources and "incomplete" in sources
    # the fact sheet's tables name no URL (none was invented); the dated history tables
    # (issue 24) cite the stored public pages their dates were checked against
    cited = ("history", "policy_calendar")
    assert "http" not in "".join(t.to_csv() for k, t in facts.items() if k not in cited)
    for stem in cited:
        for source in facts[stem]["source"]:
            for word in source.split():
                assert not word.startswith("http") or word.startswith(("http://", "https://")) \
                    and "." in word, (stem, word)


def test_a_damaged_fact_file_is_reported(tmp_path):
    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    zones = (tmp_path / "zones.csv").read_text(encoding="utf-8")
    (tmp_path / "zones.csv").write_text(zones.replace(",verified,", ",sure,", 1),
                                        encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_facts(tmp_path)
    assert "zones.csv" in str(caught.value) and "line 2" in str(caught.value)
    (tmp_path / "oips.csv").unlink()
    with pytest.raises(InputError, match="oips.csv"):
        load_facts(tmp_path)


# --- synthetic:N --------------------------------------------------------------------------------

def _check_synthetic(n: int, seed: int) -> Network:
    net = synthetic_scenario(n, seed).network
    rebuilt = Network.build(net.nodes, net.edges)  # the full validation
    assert rebuilt.equals(net)
    assert list(rebuilt.nodes.dtypes) == list(net.nodes.dtypes)
    assert list(rebuilt.edges.dtypes) == list(net.edges.dtypes)
    assert len(net.firms) == n
    # the edge rows the generator hands over are those a lookup by id finds, so the
    # digest and the engine's arrays are those of the same tables read from a file
    for given, looked_up in zip(net.edge_rows, rebuilt.edge_rows):
        assert np.array_equal(given, looked_up)
    assert net.digest == rebuilt.digest
    return net


@pytest.mark.parametrize("n", [10, 11, 57, 300, 2_000, 10_000])
def test_synthetic_is_valid_by_construction(n):
    net = _check_synthetic(n, 0)
    counts = net.counts()
    assert counts["foreign"] >= 1 and counts["leader"] == counts["platform"]
    assert counts["zone"] >= 3 and counts["hosts"] == counts["platform"]
    assert net.zones["hub"].any()
    nodes = _by_id(net)
    uses = net.of_type("uses")
    assert (nodes.loc[uses["source"], "subfield"].to_numpy() ==
            nodes.loc[uses["target"], "subfield"].to_numpy()).all()
    users = net.of_kind(schema.SME, schema.FOREIGN)["id"]
    assert uses.groupby("source").size().reindex(users, fill_value=0).between(1, 2).all()
    assert (net.nodes["confidence"] == "synthetic").all()
    assert np.isfinite(net.nodes[["x", "y"]].to_numpy()).all()


@given(n=st.integers(10, 400), seed=st.integers(0, 2**31))
def test_synthetic_any_small_size_validates(n, seed):
    _check_synthetic(n, seed)


def test_synthetic_scales_its_shape():
    small, large = synthetic_scenario(100).network, synthetic_scenario(10_000).network
    assert len(large.zones) > len(small.zones)
    assert large.platforms["subfield"].nunique() > small.platforms["subfield"].nunique()
    share = len(large.of_kind(schema.FOREIGN)) / len(large.firms)
    assert 0.01 <= share <= 0.05


def test_synthetic_is_deterministic_by_seed():
    a, b = synthetic_scenario(2_000, 7), synthetic_scenario(2_000, 7)
    assert a.network.equals(b.network)
    c = synthetic_scenario(2_000, 8)
    assert not c.network.equals(a.network)
    assert not np.allclose(c.network.firms["capability"], a.network.firms["capability"])


@pytest.mark.parametrize("bad", [9, 0, -5, 1_000_001, 10.5, "100", True, None])
def test_synthetic_rejects_bad_sizes(bad):
    with pytest.raises(InputError) as caught:
        synthetic_scenario(bad)
    assert "synthetic:N" in caught.value.fix


@pytest.mark.parametrize("bad", [-1, 1.5, "3"])
def test_synthetic_rejects_bad_seeds(bad):
    with pytest.raises(InputError, match="seed"):
        synthetic_scenario(100, bad)


# --- resolve_builtin ----------------------------------------------------------------------------

def test_resolve_builtin_names():
    assert resolve_builtin("default") is default_scenario()
    assert resolve_builtin(" Default ") is default_scenario()
    made = resolve_builtin("synthetic:1,000", seed=3)
    assert len(made.network.firms) == 1000
    assert made.network.equals(synthetic_scenario(1000, 3).network)
    assert resolve_builtin("scenario.json") is None
    assert resolve_builtin("default.json") is None
    assert set(BUILTIN_NAMES) == {"default", "foreign_oip", "history", "synthetic:N"}


@pytest.mark.parametrize("spec,words", [
    ("synthetic:abc", "not a whole number"), ("synthetic:5", "outside"),
    ("synthetic:", "how many"), ("synthetic", "how many"), ("synthetic:-3", "whole number"),
    ("synthetic:1e4", "whole number"), ("synthetic:\u00b2", "whole number"),
    ("synthetic:2000000", "outside"),
])
def test_resolve_builtin_errors(spec, words):
    with pytest.raises(InputError) as caught:
        resolve_builtin(spec)
    assert words in str(caught.value)
    assert "synthetic:N" in caught.value.fix

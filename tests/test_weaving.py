"""Introductions (network weaving): suggest_introductions."""

from __future__ import annotations

import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.privacy import is_private_element
from cop_toolkit.building.weaving import KINDS, suggest_introductions


@pytest.fixture(scope="module")
def owa() -> NetworkMap:
    return cop.datasets.load("owa-2017")


@pytest.fixture(scope="module")
def owa_all(owa: NetworkMap) -> pd.DataFrame:
    return suggest_introductions(owa, top=None)


def pair_set(table: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(p) for p in zip(table["ID_a"], table["ID_b"])}


def small_map(**extra_elements: list) -> NetworkMap:
    """a - hub - b open triangle; c far away; p an unconsented person tied to a and b."""
    elements = {
        "ID": ["a", "b", "hub", "c", "p"],
        "Label": ["Oak Club", "Elm Trust", "Borough Hub", "Far Group", "Pat Person"],
        "Type": ["Community group", "Community group", "CVS", "Community group", "Person"],
        "Consent": [None, None, None, None, "no"],
        "Latitude": [51.520, 51.525, 51.522, 51.40, 51.52],
        "Longitude": [-0.070, -0.060, -0.065, -0.30, -0.07],
        "Needs": ["meeting space", None, None, None, None],
        "Offers": [None, "Room hire", None, None, None],
    }
    elements.update(extra_elements)
    connections = pd.DataFrame(
        {"From": ["a", "b", "p", "p", "hub"], "To": ["hub", "hub", "a", "b", "c"]}
    )
    return NetworkMap(pd.DataFrame(elements), connections)


# ---------------------------------------------------------------- owa-2017 story
def test_known_open_triangle_in_owa_is_suggested_with_its_reasons(owa_all: pd.DataFrame) -> None:
    pair = {"stepney-youth-project", "limehouse-community-kitchen"}
    rows = owa_all[[{a, b} == pair for a, b in zip(owa_all["ID_a"], owa_all["ID_b"])]]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["kind"] == "open triangle"
    assert row["shared_contacts"] >= 2
    assert row["complementary"] >= 1
    assert 0 < row["distance_km"] < 3
    reason = row["reason"]
    assert reason.startswith("Both work with ")
    assert "East London Community Health Board" in reason
    assert "Limehouse Community Kitchen offers meeting space, which Stepney Youth Project needs" in reason
    assert "km apart" in reason


def test_focus_answers_who_should_we_meet(owa: NetworkMap) -> None:
    s = suggest_introductions(owa, element="Stepney Youth Project", top=5)
    assert len(s) == 5
    assert all("stepney-youth-project" in (a, b) for a, b in zip(s["ID_a"], s["ID_b"]))
    assert "limehouse-community-kitchen" in set(s["ID_a"]) | set(s["ID_b"])
    assert s["score"].is_monotonic_decreasing


def test_unconsented_or_private_elements_never_appear(owa: NetworkMap, owa_all: pd.DataFrame) -> None:
    hidden = is_private_element(owa)
    hidden_ids = set(hidden.index[hidden.to_numpy()])
    assert {"rosa-thakkar", "efua-haddad", "imran-albescu", "yusuf-demir"} <= hidden_ids
    hidden_labels = set(owa.elements.loc[owa.elements["ID"].isin(hidden_ids), "Label"])
    for table in (owa_all, suggest_introductions(owa, per_element=3)):
        assert not (set(table["ID_a"]) | set(table["ID_b"])) & hidden_ids
        for reason in table["reason"]:
            assert not any(label in reason for label in hidden_labels)


def test_a_hidden_person_cannot_be_the_focus(owa: NetworkMap) -> None:
    with pytest.raises(MapError, match="privacy"):
        suggest_introductions(owa, element="rosa-thakkar")


def test_never_suggests_an_existing_tie_or_an_element_to_itself(owa: NetworkMap, owa_all: pd.DataFrame) -> None:
    tied = {frozenset(p) for p in zip(owa.connections["From"], owa.connections["To"])}
    assert not pair_set(owa_all) & tied
    assert (owa_all["ID_a"] != owa_all["ID_b"]).all()
    assert len(pair_set(owa_all)) == len(owa_all)


def test_all_three_weaving_strategies_appear_on_owa(owa_all: pd.DataFrame) -> None:
    assert {"open triangle", "periphery to core", "bridge"} <= set(owa_all["kind"])
    assert set(owa_all["kind"]) <= set(KINDS)
    isolate = owa_all[(owa_all["ID_a"] == "thamesmead-kite-club") | (owa_all["ID_b"] == "thamesmead-kite-club")]
    assert len(isolate) and "Thamesmead Kite Club has no ties on the map yet" in isolate["reason"].iloc[0]


# ---------------------------------------------------------------- small maps
def test_private_connection_is_a_tie_but_never_a_shared_contact() -> None:
    m = small_map()
    m.connections["Visibility"] = ["public", "public", "public", "public", "private"]
    s = suggest_introductions(m, top=None)
    # hub-c is a private tie: never suggested, and c's only (private) contact is not named
    assert frozenset(("hub", "c")) not in pair_set(s)
    for reason in s["reason"]:
        assert "Pat Person" not in reason


def test_shared_contacts_and_complementarity_make_the_reason() -> None:
    s = suggest_introductions(small_map(), top=None)
    row = s[[{a, b} == {"a", "b"} for a, b in zip(s["ID_a"], s["ID_b"])]].iloc[0]
    assert row["kind"] == "open triangle"
    assert row["shared_contacts"] == 1  # the hub; the unconsented person is not counted
    assert row["complementary"] == 1
    assert "Both work with Borough Hub" in row["reason"]
    assert "Elm Trust offers meeting space, which Oak Club needs" in row["reason"]
    assert "0.9 km apart" in row["reason"]


def test_reach_gain_counts_elements_newly_within_two_steps() -> None:
    # chain x - y - z and separate pair u - v: introducing x to u brings u and v within two steps of x
    m = NetworkMap(
        pd.DataFrame({"ID": list("xyzuv"), "Label": list("XYZUV")}),
        pd.DataFrame({"From": ["x", "y", "u"], "To": ["y", "z", "v"]}),
    )
    s = suggest_introductions(m, element="x", top=None)
    row = s[[{a, b} == {"x", "u"} for a, b in zip(s["ID_a"], s["ID_b"])]].iloc[0]
    gains = dict(zip((row["ID_a"], row["ID_b"]), (row["reach_gain_a"], row["reach_gain_b"])))
    assert gains == {"x": 2, "u": 2}  # x gains u, v; u gains x, y
    assert row["reach_gain"] == 4


def test_weights_change_the_order() -> None:
    m = small_map()
    near_first = suggest_introductions(m, top=None, weights={"shared": 0, "needs_offers": 0, "bridging": 0,
                                                             "distance": 1})
    assert near_first["distance_km"].iloc[0] == near_first["distance_km"].min()
    assert near_first.attrs["weights"]["distance"] == 1


@pytest.mark.parametrize(
    "weights, message",
    [({"sharred": 1}, "did you mean 'shared'"), ({"shared": -1}, "0 or more"),
     ({"shared": 0, "needs_offers": 0, "bridging": 0, "distance": 0}, "all the weights are 0")],
)
def test_bad_weights_are_explained(weights: dict, message: str) -> None:
    with pytest.raises(MapError, match=message):
        suggest_introductions(small_map(), weights=weights)


def test_types_and_kinds_filter_the_suggestions(owa: NetworkMap) -> None:
    s = suggest_introductions(owa, types=["community group"], top=None)
    types = owa.elements.set_index("ID")["Type"]
    assert len(s) and set(types[s["ID_a"]]) | set(types[s["ID_b"]]) == {"Community group"}
    b = suggest_introductions(owa, kinds="bridge", top=None)
    assert len(b) and set(b["kind"]) == {"bridge"} and b["different_clusters"].all()
    with pytest.raises(MapError, match="Community group"):
        suggest_introductions(owa, types=["Comunity grop"])
    with pytest.raises(MapError, match="kind of introduction"):
        suggest_introductions(owa, kinds="friendship")


def test_per_element_gives_each_element_its_best_suggestions(owa: NetworkMap) -> None:
    s = suggest_introductions(owa, per_element=2)
    counts = pd.concat([s["ID_a"], s["ID_b"]]).value_counts()
    visible = (~is_private_element(owa)).sum()
    assert len(counts) > 0.8 * visible  # nearly everyone gets suggestions
    assert len(s) > 20


def test_scores_are_weighted_averages_between_zero_and_one(owa_all: pd.DataFrame) -> None:
    parts = owa_all[["shared_score", "needs_offers_score", "bridging_score", "distance_score"]]
    assert ((owa_all["score"] > 0) & (owa_all["score"] <= 1)).all()
    assert (parts.mean(axis=1) - owa_all["score"]).abs().max() < 0.002


# ---------------------------------------------------------------- London scale, in blocks
@pytest.fixture(scope="module")
def london_2000() -> NetworkMap:
    from benchmarks.london_map import london_map

    return london_map(2000)


def test_open_triangles_found_in_small_blocks_are_those_found_at_once(london_2000: NetworkMap, monkeypatch) -> None:
    import numpy as np

    from cop_toolkit.building.weaving import candidates
    from cop_toolkit.building.weaving.network import weave_network

    net = weave_network(london_2000)
    at_once = candidates.open_triangles(net, np.random.default_rng(candidates.SEED), 30)
    monkeypatch.setattr(candidates, "TRIANGLE_BLOCK", 5_000)  # dozens of blocks
    in_blocks = candidates.open_triangles(net, np.random.default_rng(candidates.SEED), 30)
    assert len(at_once[0]) > 10_000
    assert np.array_equal(at_once[0], in_blocks[0]) and np.array_equal(at_once[1], in_blocks[1])


def test_shared_contacts_agree_with_set_intersections(london_2000: NetworkMap, monkeypatch) -> None:
    import numpy as np

    from cop_toolkit.building.weaving import scoring
    from cop_toolkit.building.weaving.candidates import candidate_pairs
    from cop_toolkit.building.weaving.network import weave_network

    net = weave_network(london_2000)
    i, j, _ = candidate_pairs(london_2000, net)
    monkeypatch.setattr(scoring, "SHARED_BLOCK", 3_000)
    count, total = scoring.shared_contacts(net, i, j)
    common = [net.nbrs[a] & net.nbrs[b] for a, b in zip(i.tolist(), j.tolist())]
    assert (count > 0).sum() > 1_000
    assert count.tolist() == [len(c) for c in common]
    assert np.allclose(total, [sum(net.aa_weight[x] for x in c) for c in common], rtol=1e-12, atol=0)

"""Ego networks match networkx's ego_graph and accept labels."""

from __future__ import annotations

import networkx as nx
import pytest

from cop_toolkit.analysis.ego import ego_network, ego_summary, steps_from
from cop_toolkit.core.inputs import map_from_networkx
from cop_toolkit.core.errors import UnknownElementError


def karate():
    G = nx.karate_club_graph()
    nx.set_node_attributes(G, {n: f"Member {n}" for n in G}, "Label")
    return G, map_from_networkx(G, weight=None)


@pytest.mark.parametrize("steps", [1, 2])
def test_ego_network_matches_networkx_ego_graph(steps):
    G, m = karate()
    sub = ego_network(m, "5", steps=steps)
    ref = nx.ego_graph(G, 5, radius=steps)
    assert set(sub.elements["ID"]) == {str(n) for n in ref}
    assert len(sub.connections) == ref.number_of_edges()


def test_ego_network_accepts_a_label_and_records_steps():
    _, m = karate()
    sub = ego_network(m, "member 5", steps=2)
    assert sub.metadata["ego"] == "5"
    steps = sub.elements.set_index("ID")["steps"]
    assert steps["5"] == 0 and steps["0"] == 1 and steps.max() == 2
    assert steps_from(m, "5")["33"] == nx.shortest_path_length(nx.karate_club_graph(), 5, 33)


def test_unknown_centre_raises_with_suggestions():
    _, m = karate()
    with pytest.raises(UnknownElementError, match="Member 5"):
        ego_network(m, "Membr 5")


def test_ego_summary_counts_steps_and_dependents():
    G = nx.star_graph(3)
    G.add_edge(3, 4)
    s = ego_summary(G, "0", steps=2)["value"]
    assert s["elements at step 1"] == 3 and s["elements at step 2"] == 1
    assert s["effective size"] == pytest.approx(nx.effective_size(G)[0])
    assert s["constraint"] == pytest.approx(nx.constraint(G)[0])
    assert ego_summary(G, "0", steps=1)["value"]["contacts tied only through the centre"] == 3


def test_isolated_centre_has_an_ego_network_of_one():
    G = nx.empty_graph(2)
    assert len(ego_network(G, "0")) == 1
    assert ego_summary(G, "0")["value"]["elements"] == 1

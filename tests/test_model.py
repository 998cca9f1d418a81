"""The map model: tables, multi-values, names, graphs."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cop_toolkit import MapError, NetworkMap, UnknownElementError
from cop_toolkit.core.text import join_values, normalise_name, split_values


def tiny() -> NetworkMap:
    return NetworkMap(
        pd.DataFrame(
            {
                "ID": ["a", "b", "c"],
                "Label": ["Eastside Food Network", "Youth Club", "Oak Tree Club"],
                "Tags": ["food|youth", None, "  "],
                "Strength": ["x", "y", "z"],
            }
        ),
        pd.DataFrame(
            {
                "From": ["a", "b", "a", "c"],
                "To": ["b", "a", "a", "b"],
                "Type": ["Referral", "Funding", "Partnership", None],
                "Direction": ["directed", "mutual", "undirected", "directed"],
                "Strength": [2, 3, 1, None],
            }
        ),
        metadata={"name": "Tiny"},
    )


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="|", blacklist_categories=["Cs"]), min_size=1).map(str.strip).filter(bool)))
def test_join_then_split_returns_the_same_values(values):
    assert split_values(join_values(values)) == values


def test_blank_cells_are_missing_and_numbers_stay_numbers():
    m = tiny()
    assert pd.isna(m.elements.loc[2, "Tags"])
    assert m.connections["Strength"].dtype.kind == "f"


def test_connections_get_ids_when_the_file_has_none():
    assert tiny().connections["ID"].tolist() == ["c1", "c2", "c3", "c4"]


def test_parallel_connections_merge_into_one_weighted_edge_and_self_links_are_dropped():
    G = tiny().to_networkx()
    assert G.number_of_edges() == 2
    assert G["a"]["b"]["weight"] == 5.0
    assert G["a"]["b"]["Type"] == "Funding|Referral"
    assert G["a"]["b"]["distance"] == pytest.approx(0.2)
    assert not G.has_edge("a", "a")


def test_directed_graph_keeps_directed_ties_one_way_and_mutual_ties_both_ways():
    D = tiny().to_networkx(directed=True)
    assert D.has_edge("a", "b") and D.has_edge("b", "a")
    assert D.has_edge("c", "b") and not D.has_edge("b", "c")
    assert D["a"]["b"]["weight"] == 5.0  # the directed referral plus the mutual funding tie


def test_resolve_accepts_ids_labels_and_sloppy_spelling():
    m = tiny()
    assert m.resolve("b") == "b"
    assert m.resolve("Youth Club") == "b"
    assert m.resolve("  youth-club ") == "b"


def test_resolve_unknown_name_suggests_close_labels():
    with pytest.raises(UnknownElementError) as err:
        tiny().resolve("Eastsid Food Netwrk")
    assert "Eastside Food Network" in str(err.value)
    assert "\n" not in str(err.value)


def test_map_without_label_column_is_a_clear_error():
    with pytest.raises(MapError, match="no 'Label' column"):
        NetworkMap(pd.DataFrame({"Name": ["x"]}))


def test_without_removes_elements_and_their_connections():
    m = tiny().without(["a"])
    assert m.elements["ID"].tolist() == ["b", "c"]
    assert set(m.connections["From"]) | set(m.connections["To"]) <= {"b", "c"}


def test_multi_reads_pipe_separated_cells_as_lists():
    assert tiny().multi("Tags").to_dict() == {"a": ["food", "youth"], "b": [], "c": []}


def test_normalise_name_folds_case_and_punctuation():
    assert normalise_name("L.V.S.C.") == normalise_name("lvsc")

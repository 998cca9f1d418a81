"""Public maps hold nothing private."""

import pandas as pd

from cop_toolkit import NetworkMap
from cop_toolkit.core.anonymity import at_risk, reidentification_risk
from cop_toolkit.core.errors import MapWarning
from cop_toolkit.core.privacy import (
    hidden_ids,
    is_private_element,
    public_map,
    public_previous,
)


def mixed_map() -> NetworkMap:
    return NetworkMap(
        pd.DataFrame(
            {
                "ID": ["g", "s", "p1", "p2", "p3"],
                "Label": ["Open Group", "Safe House", "Ann Consent", "Bob Noconsent", "Cy Blank"],
                "Type": ["Community group", "Community group", "Person", "Person", "person"],
                "Visibility": ["public", "Private", None, None, None],
                "Consent": [None, None, "Yes", "no", None],
                "Phone": ["0207", "0208", "0209", "0210", "0211"],
                "Notes (private)": ["n1", "n2", "n3", "n4", "n5"],
            }
        ),
        pd.DataFrame(
            {
                "From": ["g", "g", "g", "p1"],
                "To": ["s", "p1", "p2", "g"],
                "Visibility": [None, None, None, "private"],
            }
        ),
        metadata={"private_fields": "Phone"},
        warnings=[MapWarning("isolated", "'Safe House' has no connections", element="s"),
                  MapWarning("duplicate-label", "'Open Group' looks like 'Bob Noconsent'", element="g")],
    )


def test_private_elements_and_unconsented_people_are_hidden():
    assert is_private_element(mixed_map()).to_dict() == {"g": False, "s": True, "p1": False, "p2": True, "p3": True}


def test_public_map_keeps_only_public_consented_elements():
    p = public_map(mixed_map())
    assert p.elements["Label"].tolist() == ["Open Group", "Ann Consent"]


def test_public_map_drops_private_fields_and_private_connections():
    p = public_map(mixed_map())
    assert "Phone" not in p.elements.columns and "Notes (private)" not in p.elements.columns
    assert p.connections[["From", "To"]].values.tolist() == [["g", "p1"]]


def test_public_map_drops_warnings_naming_hidden_elements():
    p = public_map(mixed_map())
    assert p.warnings == []


def test_no_private_value_survives_anywhere_in_the_public_tables():
    p = public_map(mixed_map())
    text = p.elements.to_csv() + p.connections.to_csv() + repr(p.metadata)
    for secret in ["Safe House", "Bob Noconsent", "Cy Blank", "0207", "n1"]:
        assert secret not in text


def one_element_map(**cells) -> NetworkMap:
    return NetworkMap(pd.DataFrame({"ID": ["x", "g"], "Label": ["X", "G"], **{k: [v, None] for k, v in cells.items()}}),
                      metadata=cells.pop("_meta", {}))


def test_unknown_visibility_words_are_private():
    for word in ["hidden", "Private (do not publish)", "internal", "PRIVATE"]:
        assert hidden_ids(one_element_map(Visibility=word)) == {"x"}, word
    assert hidden_ids(one_element_map(Visibility=" Public ")) == set()


def test_blank_visibility_is_public_unless_the_metadata_says_blank_means_private():
    m = one_element_map(Visibility=None)
    assert hidden_ids(m) == set()
    m.metadata["blank_visibility"] = "private"
    assert hidden_ids(m) == {"x", "g"}


def test_only_an_explicit_yes_is_consent():
    for consent in ["Yes, but only internally", "maybe", "no", None, "yes please"]:
        assert hidden_ids(one_element_map(Type="Person", Consent=consent)) == {"x"}, consent
    assert hidden_ids(one_element_map(Type="Person", Consent=" YES ")) == set()


def test_every_person_type_and_any_of_its_values_needs_consent():
    for kind in ["Individual", "Person|Volunteer", "Community group|Trustee", "staff", "Resident", "Member", "People"]:
        assert hidden_ids(one_element_map(Type=kind)) == {"x"}, kind
    m = one_element_map(Type="Steward")
    assert hidden_ids(m) == set()
    m.metadata["person_types"] = "Steward, Elder"
    assert hidden_ids(m) == {"x"}


def test_private_fields_written_with_commas_are_all_removed():
    m = NetworkMap(pd.DataFrame({"ID": ["a"], "Label": ["A"], "Email": ["e"], "Phone": ["p"]}),
                   metadata={"private_fields": "Email, Phone"})
    assert list(public_map(m).elements.columns) == ["ID", "Label"]


def test_blank_type_on_a_people_sheet_is_a_person(tmp_path):
    from openpyxl import Workbook

    from cop_toolkit import read_map

    wb = Workbook()
    ws = wb.active
    ws.title = "People"
    ws.append(["ID", "Label", "Type", "Consent"])
    ws.append(["p", "Pat", None, None])
    ws.append(["q", "Quin", "Organiser", "yes"])
    wb.save(tmp_path / "m.xlsx")
    assert hidden_ids(read_map(tmp_path / "m.xlsx")) == {"p"}


def test_private_and_unknown_connections_and_their_warnings_are_dropped():
    m = NetworkMap(
        pd.DataFrame({"ID": ["a", "b", "h"], "Label": ["Shared", "B", "Shared"], "Visibility": [None, None, "hidden"]}),
        pd.DataFrame({"ID": ["c1", "SECRETSELF", "c3"], "From": ["a", "a", "a"], "To": ["b", "a", "b"],
                      "Visibility": [None, "private", "draft-ish"]}),
        warnings=[MapWarning("self_link", "the connection SECRETSELF goes from 'Shared' to itself", element="a"),
                  MapWarning("same_label", "'Shared' appears under 2 IDs ('a', 'h')", element="a"),
                  MapWarning("isolated", "'B' is fine", element="b")],
    )
    p = public_map(m)
    assert p.connections["ID"].tolist() == ["c1"]
    assert [w.message for w in p.warnings] == ["'B' is fine"]
    assert p.metadata["left_out"] == [
        "1 entry left out because their Visibility 'hidden' is not a public value",
        "1 connection left out because their Visibility is 'private'",
        "1 connection left out because their Visibility an unknown value is not a public value",
    ]


def test_previous_snapshot_never_keeps_someone_hidden_now():
    old = NetworkMap(pd.DataFrame({"ID": ["a", "j"], "Label": ["A", "Jane"], "Type": ["CVS", "Person"],
                                   "Consent": [None, "yes"]}))
    new = NetworkMap(pd.DataFrame({"ID": ["a", "j2"], "Label": ["A", "Jane"], "Type": ["CVS", "Person"],
                                   "Consent": [None, "no"]}))
    assert public_previous(old, new).elements["Label"].tolist() == ["A"]


def test_a_person_unique_by_their_ties_is_at_risk_and_a_crowd_is_not():
    hub = {"ID": "h", "Label": "Hub", "Type": "CVS", "Consent": None}
    people = [{"ID": f"p{i}", "Label": f"P{i}", "Type": "Person", "Consent": "yes"} for i in range(4)]
    m = NetworkMap(pd.DataFrame([hub] + people),
                   pd.DataFrame({"From": ["p0", "p1", "p2", "p3", "p3", "p3"], "To": ["h", "h", "h", "h", "p0", "p1"]}))
    risk = reidentification_risk(m).set_index("ID")
    assert risk["degree"].to_dict() == {"p0": 2, "p1": 2, "p2": 1, "p3": 3}
    assert risk["k"].to_dict() == {"p0": 2, "p1": 2, "p2": 1, "p3": 1}
    assert at_risk(m)["ID"].tolist() == ["p0", "p1", "p2", "p3"]
    crowd = NetworkMap(m.elements, m.connections.iloc[:4])
    assert at_risk(crowd).empty

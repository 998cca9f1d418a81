"""Public maps hold nothing private."""

import pandas as pd

from cop_toolkit import NetworkMap
from cop_toolkit.core.privacy import is_private_element, public_map
from cop_toolkit.core.errors import MapWarning


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

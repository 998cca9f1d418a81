"""Labels are trimmed when read, with a warning that says where (issue 16: "Tower Hamlets CVS ,")."""

from __future__ import annotations

import pandas as pd

import cop_toolkit as cop


def test_spaces_around_a_label_are_removed_with_a_warning_naming_the_row(tmp_path):
    pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Tower Hamlets CVS ", "  Food Bank", "Hub"]}).to_csv(
        tmp_path / "m-elements.csv", index=False)
    pd.DataFrame({"From": ["a", "b"], "To": ["Hub", "Tower Hamlets CVS"]}).to_csv(
        tmp_path / "m-connections.csv", index=False)
    m = cop.read_map(tmp_path / "m-elements.csv")
    assert m.elements["Label"].tolist() == ["Tower Hamlets CVS", "Food Bank", "Hub"]
    trimmed = [w for w in m.warnings if w.kind == "trimmed_label"]
    assert [(w.element, w.row) for w in trimmed] == [("a", 2), ("b", 3)]
    assert "'Tower Hamlets CVS '" in trimmed[0].message
    assert len(m.connections) == 2  # the trimmed label still names its element


def test_labels_without_extra_spaces_give_no_warning(tmp_path):
    pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "B"]}).to_csv(tmp_path / "m-elements.csv", index=False)
    pd.DataFrame({"From": ["a"], "To": ["b"]}).to_csv(tmp_path / "m-connections.csv", index=False)
    assert not [w for w in cop.read_map(tmp_path / "m-elements.csv").warnings if w.kind == "trimmed_label"]

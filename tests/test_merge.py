"""Merging contributors' maps: the sample split three ways merges back to the original."""

from __future__ import annotations

import pandas as pd
import pytest

import cop_toolkit as cop
from cop_toolkit.building.merge import merge_maps, read_decisions
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io import datasets

MISSPELT = {  # original label -> how contributor B spells it (B also uses its own IDs for them)
    "Camden Community Network": "Camden Comunity Network",
    "Lambeth Community Voluntary Hub": "LAMBETH COMMUNITY-VOLUNTARY HUB",
    "Greater London Volunteering": "Greater London Volunteerng",
}


def _tie_set(m: NetworkMap) -> set[tuple[str, str, str]]:
    c = m.connections
    return {(min(a, b), max(a, b), str(t)) for a, b, t in zip(c["From"], c["To"], c["Type"])}


@pytest.fixture(scope="module")
def split() -> dict:
    """owa-2017 split into three overlapping contributor maps with the usual differences planted."""
    original = datasets.load("owa-2017")
    c = original.connections.reset_index(drop=True)
    e = original.elements
    parts = []
    for k in range(3):
        conns = c[c.index % 3 == k]
        ids = set(conns["From"]) | set(conns["To"])
        if k == 0:
            ids |= set(e["ID"]) - set(c["From"]) - set(c["To"])  # the untied elements too
        parts.append((ids, conns))
    # a tie reported by both sides: B also reports one of A's ties, the other way round and stronger
    shared = parts[0][1].iloc[0]
    a_ids, a_conns = parts[0]
    b_ids, b_conns = parts[1]
    echo = shared.copy()
    echo["From"], echo["To"], echo["Strength"], echo["ID"] = shared["To"], shared["From"], 5, "b-echo"
    b_conns = pd.concat([b_conns, echo.to_frame().T], ignore_index=True)
    b_ids |= {shared["From"], shared["To"]}
    maps = []
    for ids, conns, name in ((a_ids, a_conns, "Ana"), (b_ids, b_conns, "Ben"), (parts[2][0], parts[2][1], "Cy")):
        el = e[e["ID"].isin(ids)].reset_index(drop=True)
        maps.append(NetworkMap(el, conns.reset_index(drop=True), {"name": name, "date": "2017-07-01"}))
    ana, ben, cy = maps
    # Ben misspells three names and gives them his own IDs
    be, bc = ben.elements, ben.connections
    renamed = {}
    for right, wrong in MISSPELT.items():
        hit = be["Label"].eq(right)
        assert hit.any() and right in set(ana.elements["Label"]), right
        old = be.loc[hit, "ID"].iloc[0]
        renamed[old] = "ben-" + old
        be.loc[hit, ["ID", "Label"]] = ["ben-" + old, wrong]
    bc["From"] = bc["From"].replace(renamed)
    bc["To"] = bc["To"].replace(renamed)
    # Ben disagrees on two boroughs of elements Ana also has
    both = [i for i in be["ID"] if i in set(ana.elements["ID"]) and not i.startswith("ben-")]
    both = [i for i in both if pd.notna(ana.elements.set_index("ID").at[i, "Borough"])][:2]
    for i in both:
        be.loc[be["ID"].eq(i), "Borough"] = "E09000033" if ana.elements.set_index("ID").at[i, "Borough"] != "E09000033" else "E09000001"
    # Cy keeps a custom field
    cy.elements["Volunteers"] = [str(n % 7) for n in range(len(cy.elements))]
    return {"original": original, "maps": (ana, ben, cy), "conflict_ids": both, "renamed": renamed, "echo": shared}


@pytest.fixture(scope="module")
def merged(split):
    return merge_maps(*split["maps"])


def test_the_three_contributor_maps_merge_back_to_the_original_elements_and_ties(split, merged):
    m, _ = merged
    original = split["original"]
    assert set(m.elements["ID"]) == set(original.elements["ID"])
    assert len(m.elements) == len(original.elements)
    assert _tie_set(m) == _tie_set(original)
    assert len(m.connections) == len(original.connections)


def test_no_two_different_organisations_are_merged_and_every_misspelling_is_found(split, merged, capsys):
    _, report = merged
    matches = report.matches
    truth = {v: k for k, v in split["renamed"].items()}
    right = sum(truth.get(o, o) == i for o, i in zip(matches["ID_other"], matches["ID"]))
    # every element that two maps share is one true pair
    ana, ben, cy = split["maps"]
    ids = [set(x.elements["ID"].map(lambda i: truth.get(i, i))) for x in (ana, ben, cy)]
    true_pairs = len(ids[1] & ids[0]) + len(ids[2] & (ids[0] | ids[1]))
    precision, recall = right / len(matches), right / true_pairs
    with capsys.disabled():
        print(f"\nmerge of owa-2017 split three ways: {len(matches)} matches, precision {precision:.3f}, recall {recall:.3f}")
    assert precision == 1.0 and recall == 1.0
    by_label = matches[matches["matched_by"] == "label"]
    assert set(by_label["Label_other"]) == set(MISSPELT.values())


def test_every_planted_conflict_is_listed_and_the_base_value_kept(split, merged):
    m, report = merged
    borough = report.conflicts[report.conflicts["field"] == "Borough"]
    assert sorted(borough["ID"]) == sorted(split["conflict_ids"])
    assert set(report.conflicts["field"]) == {"Borough"}
    ana = split["maps"][0].elements.set_index("ID")
    kept = m.elements.set_index("ID")
    for i in split["conflict_ids"]:
        assert kept.at[i, "Borough"] == ana.at[i, "Borough"]


def test_custom_fields_are_kept_and_provenance_lists_every_source(split, merged):
    m, _ = merged
    cy = split["maps"][2].elements.set_index("ID")
    out = m.elements.set_index("ID")
    assert (out.loc[cy.index, "Volunteers"] == cy["Volunteers"]).all()
    shared = [i for i in cy.index if i in set(split["maps"][0].elements["ID"])]
    assert all("Ana" in out.at[i, "Reported By"] and "Cy" in out.at[i, "Reported By"] for i in shared)


def test_a_tie_reported_by_both_sides_is_one_tie_with_the_largest_strength_and_both_sources(split, merged):
    m, report = merged
    echo = split["echo"]
    c = m.connections
    pair = c[((c["From"] == echo["From"]) & (c["To"] == echo["To"])) | ((c["From"] == echo["To"]) & (c["To"] == echo["From"]))]
    assert len(pair) == 1
    assert pair["Strength"].iloc[0] == 5
    assert pair["Reported By"].iloc[0].split("|") == ["Ana", "Ben"]
    assert report.ties["shared"] == 1


def _two(label_a: str, label_b: str, place_a: dict | None = None, place_b: dict | None = None) -> tuple[NetworkMap, NetworkMap]:
    a = NetworkMap(pd.DataFrame([{"ID": "a1", "Label": label_a, **(place_a or {})}]), metadata={"name": "A"})
    b = NetworkMap(pd.DataFrame([{"ID": "b1", "Label": label_b, **(place_b or {})}]), metadata={"name": "B"})
    return a, b


def test_names_alike_but_a_whole_word_apart_are_left_for_a_decision_not_merged():
    a, b = _two("Oak Tenants Association", "Oak Parents Association")
    m, report = merge_maps(a, b)
    assert len(m.elements) == 2
    assert report.decisions[["ID_other", "ID"]].values.tolist() == [["b1", "a1"]]
    assert "whole word" in report.decisions["reason"].iloc[0]


def test_a_pair_in_the_same_postcode_with_similar_names_is_listed_with_the_place_as_reason():
    a, b = _two("Oak Tree Youth Club", "Oak Tree Youth Centre", {"Postcode": "N7 6PA"}, {"Postcode": "n76pa"})
    m, report = merge_maps(a, b)
    assert len(report.decisions) == 1
    assert report.decisions["reason"].iloc[0].startswith("same postcode N7 6PA and names ")
    assert len(m.elements) == 2
    far, _ = _two("Oak Tree Youth Club", "Oak Tree Youth Centre", {"Postcode": "N7 6PA"}, {"Postcode": "SE1 1AA"})
    assert len(merge_maps(far, _)[1].decisions) == 0


def test_decisions_from_the_sheet_merge_or_keep_apart_on_the_next_run(tmp_path):
    a, b = _two("Oak Tree Youth Club", "Oak Tree Youth Centre", {"Postcode": "N7 6PA"}, {"Postcode": "N7 6PA"})
    _, first = merge_maps(a, b)
    sheet = first.decisions.assign(decision="merge")
    sheet.to_csv(tmp_path / "decisions.csv", index=False)
    m, second = merge_maps(a, b, decisions=tmp_path / "decisions.csv")
    assert m.elements["ID"].tolist() == ["a1"] and second.matches["matched_by"].tolist() == ["decision"]
    m, third = merge_maps(a, b, decisions=first.decisions.assign(decision="keep apart"))
    assert m.elements["ID"].tolist() == ["a1", "b1"] and len(third.decisions) == 0


def test_an_unknown_decision_word_is_one_clear_error():
    with pytest.raises(MapError, match="'perhaps' is not understood"):
        read_decisions(pd.DataFrame({"source": ["B"], "ID_other": ["b1"], "ID": ["a1"], "decision": ["perhaps"]}))


def test_numbered_branches_are_never_merged():
    a, b = _two("Food Bank Unit 1", "Food Bank Unit 2")
    m, report = merge_maps(a, b)
    assert len(m.elements) == 2 and len(report.matches) == 0


def test_a_tie_naming_a_person_without_consent_is_marked_and_never_public():
    a = NetworkMap(pd.DataFrame({"ID": ["h"], "Label": ["Hub"]}), metadata={"name": "A"})
    b = NetworkMap(pd.DataFrame({"ID": ["h", "p"], "Label": ["Hub", "Jo Bloggs"], "Type": ["CVS", "Person"]}),
                   pd.DataFrame({"From": ["h"], "To": ["p"]}), metadata={"name": "B"})
    m, _ = merge_maps(a, b)
    assert m.connections["Consent Check"].tolist() == ["names a person without consent"]
    assert len(m.public().connections) == 0


def test_merge_maps_is_exported_at_the_top_level():
    assert cop.merge_maps is merge_maps


def test_cop_map_merge_writes_the_map_the_report_page_and_sheet_and_applies_decisions_next_run(tmp_path, capsys):
    from cop_toolkit.io import read_map, write_map
    from cop_toolkit.reports.mapcli import main

    a, b = _two("Oak Tree Youth Club", "Oak Tree Youth Centre <b>", {"Postcode": "N7 6PA"}, {"Postcode": "N7 6PA"})
    write_map(a, tmp_path / "a.xlsx")
    write_map(b, tmp_path / "b.xlsx")
    args = [str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"), "-o", str(tmp_path / "merged.xlsx"),
            "--report", str(tmp_path / "merge.html"), "--decisions", str(tmp_path / "decisions.csv")]
    assert main(["merge", *args]) == 0
    assert "1 pairs to decide" in capsys.readouterr().out
    assert len(read_map(tmp_path / "merged.xlsx").elements) == 2
    page = (tmp_path / "merge.html").read_text()
    assert "Oak Tree Youth Centre &lt;b&gt;" in page and "Centre <b>" not in page
    assert (tmp_path / "merge.xlsx").exists()
    sheet = pd.read_csv(tmp_path / "decisions.csv")
    sheet["decision"] = "merge"
    sheet.to_csv(tmp_path / "decisions.csv", index=False)
    assert main(["merge", *args]) == 0
    assert read_map(tmp_path / "merged.xlsx").elements["ID"].tolist() == ["a1"]
    assert len(pd.read_csv(tmp_path / "decisions.csv")) == 0


def test_cop_map_gives_one_clear_line_for_a_missing_map(tmp_path, capsys):
    from cop_toolkit.reports.mapcli import main

    assert main(["merge", str(tmp_path / "nope.xlsx"), str(tmp_path / "b.xlsx"), "-o", str(tmp_path / "m.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cop-map: ") and err.count("\n") == 1 and "Traceback" not in err

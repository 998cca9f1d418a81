"""The bundled sample data: loaders, contents, the LVSC story, data cards, determinism."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from cop_toolkit.io import datasets
from cop_toolkit.core.errors import MapError
from cop_toolkit.geo.boroughs import borough_at, boroughs, haversine_km, match_borough
from cop_toolkit.core.text import normalise_name, split_values

ELEMENT_TYPES = {"Pan-London body", "Borough network", "CVS", "Network of networks",
                 "Community group", "Social enterprise", "Funder", "Public body", "University",
                 "Person"}
CONNECTION_TYPES = {"Membership", "Funding", "Partnership", "Referral", "Information sharing",
                    "Shared premises"}
MAPS = ["owa-2017", "owa-2018", "unlocking-networks"]
REAL = {"LVSC", "Our Way Ahead", "Connecting Londoners", "Greater London Volunteering",
        "City Bridge Trust", "London Metropolitan University", "The Hub for London", "Locality",
        "Co-operatives UK", "Power to Change", "The Social Change Agency", "Shared Assets"}


@pytest.fixture(scope="module")
def owa17():
    return datasets.load("owa-2017")


@pytest.fixture(scope="module")
def owa18():
    return datasets.load("owa-2018")


def raw_csv(name: str, file: str) -> pd.DataFrame:
    return pd.read_csv(datasets.path(name) / file, dtype=str, keep_default_na=False)


def betweenness_ranks(G: nx.Graph, weight: str | None) -> pd.Series:
    bc = pd.Series(nx.betweenness_centrality(G, weight=weight))
    return bc.rank(ascending=False, method="min")


# ------------------------------------------------------------------ loaders

def test_names_lists_every_bundled_dataset():
    assert {"owa-2017", "owa-2018", "owa-survey-2017", "unlocking-networks",
            "london-boroughs"} <= set(datasets.names())


def test_unknown_dataset_name_raises_maperror_listing_the_names():
    with pytest.raises(MapError) as err:
        datasets.load("owa-2071")
    assert "owa-2017" in str(err.value) and "unlocking-networks" in str(err.value)
    with pytest.raises(MapError):
        datasets.path("../cop_toolkit")


def test_loading_a_survey_or_geography_as_a_map_explains_what_to_use():
    with pytest.raises(MapError, match="load_survey"):
        datasets.load("owa-survey-2017")
    with pytest.raises(MapError, match="geo.boroughs"):
        datasets.load("london-boroughs")
    with pytest.raises(MapError, match="not a survey"):
        datasets.load_survey("owa-2017")


def test_loader_functions_return_the_named_maps(owa17):
    assert len(datasets.owa_2017()) == len(owa17)
    assert owa17.metadata["date"] == "2017-07-31"
    assert datasets.owa_2018().metadata["date"] == "2018-07-31"
    assert len(datasets.unlocking_networks()) == len(raw_csv("unlocking-networks", "elements.csv"))


def test_load_reads_through_io_read_map(monkeypatch):
    import cop_toolkit.io as io

    seen = []
    real = io.read_map

    def spy(path, **kw):
        seen.append(Path(path).name)
        return real(path, **kw)

    monkeypatch.setattr(io, "read_map", spy)
    datasets.load("unlocking-networks")
    assert seen == ["unlocking-networks"]


@pytest.mark.parametrize("name", MAPS)
def test_map_files_follow_the_field_conventions(name):
    e = raw_csv(name, "elements.csv")
    c = raw_csv(name, "connections.csv")
    assert list(e.columns[:5]) == ["ID", "Label", "Type", "Description", "Tags"]
    assert e["ID"].is_unique and c["ID"].is_unique
    assert e["ID"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*").all()
    assert e["ID"].str.len().max() <= 40
    assert set(e["Type"]) <= ELEMENT_TYPES
    assert set(e["Level"]) <= {"grassroots", "borough", "pan-London"}
    assert set(e["Visibility"]) <= {"public", "private"}
    assert set(e.loc[e["Type"] == "Person", "Consent"]) <= {"yes", "no"}
    assert set(c["Type"]) <= CONNECTION_TYPES
    assert set(c["Direction"]) <= {"directed", "undirected", "mutual"}
    assert c["Strength"].astype(int).between(1, 5).all()
    assert set(c["From"]) | set(c["To"]) <= set(e["ID"])
    assert (c["From"] != c["To"]).all()
    assert e["Last Verified"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    meta = json.loads((datasets.path(name) / "map.json").read_text())
    assert meta["private_fields"] == ["Email", "Phone", "Notes"]
    assert {"name", "date", "description", "licence", "source"} <= set(meta)


@pytest.mark.parametrize("name", MAPS)
def test_every_borough_in_the_data_is_a_real_london_borough(name):
    e = raw_csv(name, "elements.csv")
    codes = set(boroughs().index)
    given = e.loc[e["Borough"] != "", "Borough"]
    assert given.map(match_borough).isin(codes).all(), given[given.map(match_borough).isna()]
    written = given[~given.str.fullmatch(r"E09\d{6}")]
    assert set(written.map(match_borough)) <= codes


@pytest.mark.parametrize("name", MAPS)
def test_coordinates_fall_inside_their_own_borough(name):
    e = raw_csv(name, "elements.csv")
    e = e[(e["Latitude"] != "") & (e["Borough"] != "")]
    assert len(e) > 10
    for row in e.itertuples():
        assert borough_at(float(row.Latitude), float(row.Longitude)) == match_borough(row.Borough)


@pytest.mark.parametrize("name", MAPS)
def test_only_the_agreed_real_organisations_are_named(name):
    e = raw_csv(name, "elements.csv")
    real_ids = {"lvsc", "our-way-ahead", "connecting-londoners", "greater-london-volunteering",
                "city-bridge-trust", "london-met", "hub-for-london", "locality",
                "co-operatives-uk", "power-to-change", "social-change-agency", "shared-assets"}
    present = e[e["ID"].isin(real_ids)]
    assert set(present["Label"]) <= REAL
    # fictional contact details only: example.org e-mails and Ofcom drama phone numbers
    assert e.loc[e["Email"] != "", "Email"].str.endswith(".example.org").all() or \
        e.loc[e["Email"] != "", "Email"].str.contains("example.org").all()
    assert e.loc[e["Phone"] != "", "Phone"].str.startswith("020 7946 0").all()
    assert (present["Email"] == "").all()


# ------------------------------------------------------------------ owa-2017

def test_owa_2017_has_the_promised_size_and_variety(owa17):
    e, c = owa17.elements, owa17.connections
    assert 150 <= len(e) <= 250
    assert 500 <= len(c) <= 1000
    assert set(e["Type"]) == ELEMENT_TYPES
    assert set(c["Type"]) == CONNECTION_TYPES
    assert e.set_index("ID").loc["lvsc", "Label"] == "LVSC"
    assert e.set_index("ID").loc["lvsc", "Type"] == "Pan-London body"
    deg = pd.Series(dict(owa17.to_networkx().degree()))
    assert deg.max() >= 5 * deg.median()  # heavy-tailed: a hub far above the typical element


def test_lvsc_is_the_top_broker_by_betweenness(owa17):
    G = owa17.to_networkx()
    for weight in ("distance", None):
        ranks = betweenness_ranks(G, weight)
        assert ranks.idxmin() == "lvsc"
    assert pd.Series(dict(G.degree())).idxmax() == "lvsc"


def test_removing_lvsc_cuts_off_its_only_members(owa17):
    G = owa17.to_networkx()
    big = max(nx.connected_components(G), key=len)
    H = G.copy()
    H.remove_node("lvsc")
    big_after = max(nx.connected_components(H), key=len)
    cut_off = big - big_after - {"lvsc"}
    assert len(cut_off) >= 8
    card = datasets.card("owa-2017")
    assert f"{len(cut_off)} groups and networks reach the rest of the map **only through LVSC**" in card


def test_removing_lvsc_brings_other_networks_to_the_fore(owa17):
    G = owa17.to_networkx()
    H = G.copy()
    H.remove_node("lvsc")
    for weight in ("distance", None):
        before = betweenness_ranks(G, weight).drop("lvsc")
        after = betweenness_ranks(H, weight)
        assert after["borough-networks-forum"] <= 2
        assert after["london-equalities-alliance"] <= 12
        assert before["london-equalities-alliance"] - after["london-equalities-alliance"] >= 8
        assert before["greater-london-volunteering"] - after["greater-london-volunteering"] >= 20
    before = betweenness_ranks(G, "distance").drop("lvsc")
    after = betweenness_ranks(H, "distance")
    assert before["borough-networks-forum"] - after["borough-networks-forum"] >= 20
    for weight in ("distance", None):  # the biggest rise in betweenness itself is the forum's
        bc0 = pd.Series(nx.betweenness_centrality(G, weight=weight)).drop("lvsc")
        bc1 = pd.Series(nx.betweenness_centrality(H, weight=weight))
        gain = (bc1 - bc0).sort_values(ascending=False)
        assert gain.index[0] == "borough-networks-forum"
        assert "london-equalities-alliance" in set(gain.index[:3])
        assert "greater-london-volunteering" in set(gain.index[:6])
    cvs = [i for i in owa17.elements.loc[owa17.elements["Type"] == "CVS", "ID"]]
    assert max(before[i] - after[i] for i in cvs) >= 10  # a borough CVS or two rise too


def test_owa_2017_has_the_deliberate_data_quality_issues(owa17):
    e = raw_csv("owa-2017", "elements.csv")
    G = owa17.to_networkx()
    assert 2 <= sum(1 for _, d in G.degree() if d == 0) <= 3
    assert 2 <= (e["Borough"] == "").sum() <= 3
    written = e[(e["Borough"] != "") & ~e["Borough"].str.fullmatch(r"E09\d{6}")]
    assert 8 <= len(written) <= 14
    assert {"LB Tower Hamlets", "towerhamlets"} <= set(written["Borough"])
    stale = pd.to_datetime(e["Last Verified"]) < pd.Timestamp("2016-07-31")
    assert 5 <= stale.sum() <= 40
    assert 1 <= (e["Visibility"] == "private").sum() <= 5
    assert ((e["Type"] == "Person") & (e["Consent"] == "no")).sum() >= 1
    labels = set(e["Label"])
    assert {"Eastside Food Network", "East Side Food Network"} <= labels
    assert e["Label"].is_unique
    assert e["Label"].map(normalise_name).duplicated().sum() == 1  # only that pair
    assert (e["Postcode"] != "").sum() >= 40 and (e["Latitude"] != "").sum() >= 40
    assert e["Postcode"].loc[e["Postcode"] != ""].str.fullmatch(
        r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}").all()


SYNONYMS = {"meeting space": "meeting room", "it support": "it skills",
            "mini-bus": "minibus", "interpreting": "translation"}


def _items(cell: str) -> set[str]:
    return {SYNONYMS.get(v.lower(), v.lower()) for v in split_values(cell)}


@pytest.mark.parametrize("needy, offerer", [
    ("stepney-youth-project", "limehouse-community-kitchen"),
    ("peckham-refugee-welcome", "nunhead-language-exchange"),
    ("tottenham-mens-shed", "wood-green-elders-lunch-club"),
    ("southall-homework-club", "southall-digital-inclusion-cic"),
])
def test_open_triangles_invite_an_introduction(owa17, needy, offerer):
    G = owa17.to_networkx()
    e = owa17.elements.set_index("ID")
    assert not G.has_edge(needy, offerer)
    shared = set(G[needy]) & set(G[offerer])
    assert any(e.loc[s, "Type"] in ("Borough network", "CVS") for s in shared)
    assert _items(e.loc[needy, "Needs"]) & _items(e.loc[offerer, "Offers"])
    km = haversine_km(e.loc[needy, "Latitude"], e.loc[needy, "Longitude"],
                      e.loc[offerer, "Latitude"], e.loc[offerer, "Longitude"])
    assert km < 6


# ------------------------------------------------------------------ owa-2018

def test_owa_2018_is_the_same_map_a_year_later(owa17, owa18):
    e17 = owa17.elements.set_index("ID")
    e18 = owa18.elements.set_index("ID")
    assert "lvsc" not in e18.index
    closed = set(e17.index) - set(e18.index) - {"lvsc"}
    new = set(e18.index) - set(e17.index)
    assert 5 <= len(closed) <= 15 and 8 <= len(new) <= 25
    both = e17.index.intersection(e18.index)
    renamed = both[e17.loc[both, "Label"] != e18.loc[both, "Label"]]
    assert 3 <= len(renamed) <= 8
    assert "tower-hamlets-third-sector-council" in renamed
    verified = pd.to_datetime(e18.loc[both, "Last Verified"]) > pd.Timestamp("2017-07-31")
    assert 0.5 <= verified.mean() <= 0.9
    # connection IDs are stable: an ID in both maps joins the same two elements
    c17 = owa17.connections.set_index("ID")
    c18 = owa18.connections.set_index("ID")
    common = c17.index.intersection(c18.index)
    assert len(common) > 400
    assert (c17.loc[common, ["From", "To"]] == c18.loc[common, ["From", "To"]]).all().all()
    assert len(c18.index.difference(c17.index)) >= 30


def test_some_groups_left_stranded_by_lvsc_found_new_networks(owa17, owa18):
    G17 = owa17.to_networkx()
    H = G17.copy()
    H.remove_node("lvsc")
    big = max(nx.connected_components(H), key=len)
    stranded = {n for n in H if n not in big and G17.degree(n) > 0}
    G18 = owa18.to_networkx()
    big18 = max(nx.connected_components(G18), key=len)
    rejoined = {n for n in stranded if n in big18}
    assert len(rejoined) >= 3


# ------------------------------------------------------------------ unlocking-networks

def test_unlocking_networks_has_13_peer_networks_and_their_support_providers():
    m = datasets.unlocking_networks()
    e = m.elements.set_index("ID")
    assert 60 <= len(e) <= 100
    networks = e[e["Label"].str.contains("Community Business|Community Enterprise")
                 & (e["Type"] == "Borough network")]
    assert len(networks) == 13
    providers = {"power-to-change", "locality", "co-operatives-uk", "social-change-agency",
                 "shared-assets", "hub-for-london"}
    assert providers <= set(e.index)
    c = m.connections
    funded = set(c.loc[(c["From"] == "power-to-change") & (c["Type"] == "Funding"), "To"])
    assert set(networks.index) <= funded
    members = c[c["Type"] == "Membership"]
    assert members["To"].isin(networks.index).all()
    assert members.groupby("To").size().min() >= 4


# ------------------------------------------------------------------ cards and determinism

@pytest.mark.parametrize("name", ["owa-2017", "owa-2018", "unlocking-networks",
                                  "owa-survey-2017", "london-boroughs"])
def test_every_dataset_has_a_data_card_that_says_where_it_comes_from(name):
    text = datasets.card(name)
    assert text.startswith(f"# {name}")
    assert "Provenance" in text and ("Licence" in text or "licence" in text)
    if name != "london-boroughs":
        assert "illustrative" in text.lower() and "fictional" in text.lower()


@pytest.mark.parametrize("name", MAPS)
def test_data_card_counts_match_the_files(name):
    text = datasets.card(name)
    e = raw_csv(name, "elements.csv")
    c = raw_csv(name, "connections.csv")
    assert f"**{len(e)} elements** and **{len(c)} connections**" in text
    for t, n in e["Type"].value_counts().items():
        assert f"| {t} | {n} |" in text
    for t, n in c["Type"].value_counts().items():
        assert f"| {t} | {n} |" in text


def test_survey_card_counts_match_the_files():
    text = datasets.card("owa-survey-2017")
    s = datasets.load_survey()
    key = raw_csv("owa-survey-2017", "answer_key.csv")
    assert f"`survey.csv` - {len(s)} responses" in text
    assert f"{len(key)} names in all" in text


def dataset_script(name):
    """Load a build script from datasets/scripts/ (not part of the installed package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "datasets" / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"datasets_script_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generate_rebuilds_the_committed_files_byte_for_byte(tmp_path):
    generate = dataset_script("generate")

    generate.main(tmp_path)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(made) == 3 * 4 + 3
    for rel in made:
        committed = datasets.path(rel.parts[0]) / rel.relative_to(rel.parts[0])
        assert (tmp_path / rel).read_bytes() == committed.read_bytes(), rel


def test_generate_is_deterministic_run_to_run():
    generate = dataset_script("generate")

    a = generate.build_owa_2017()
    b = generate.build_owa_2017()
    assert a.elements == b.elements and a.connections == b.connections
    assert generate.build_survey(a) == generate.build_survey(b)


def test_boroughs_csv_keeps_the_reference_columns_and_adds_inner():
    b = pd.read_csv(datasets.path("london-boroughs") / "boroughs.csv")
    assert list(b.columns) == ["code", "name", "abbreviation", "centroid_lat", "centroid_lon",
                               "grid_x", "grid_y", "inner"]
    assert b["inner"].sum() == 14
    assert re.search("Crown copyright", datasets.card("london-boroughs"))

"""Generate the coursework map ``coursework-2019``, deterministically.

Run ``python datasets/scripts/generate_coursework.py`` from the repository root; add
``--check`` to compare with the files on disk instead of writing (exit status 1
when they differ). Every random choice comes from ``random.Random(2019)`` and
every file is written with a fixed column order, fixed number formatting and
``\\n`` line endings, so running it twice gives byte-identical files.

The map is **fictional**: the *South London Food and Housing Alliance* in
autumn 2019 — six borough networks in south London, their food banks,
tenants' associations, community fridges and advice drop-ins, the funders,
councils and social enterprises around them, and a few individual connectors.
No organisation or person in it is real. It is a different place and story
from ``owa-2017`` so coursework answers cannot be copied from the lessons.

The story (what students should find)
-------------------------------------
* The Alliance (``slfha``) is the hub; it holds the six borough networks
  together. Greenwich's groups reach the rest only through the Alliance, and a
  handful of groups elsewhere are members of the Alliance alone.
* Lambeth and Southwark are knitted together by a shared funder, a housing
  law centre and cross-borough partnerships; Lewisham and Croydon less so.
* Some assets are held by one organisation only (single points of failure).
* Data-quality issues for the upkeep questions: stale ``Last Verified`` dates,
  boroughs written as names, two private elements, people without consent.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # the datasets/ folder
OUT = HERE / "coursework-2019"
SEED = 2019
MAP_DATE = "2019-10-31"

ELEMENT_FIELDS = ["ID", "Label", "Type", "Description", "Tags", "Level", "Borough", "Postcode",
                  "Latitude", "Longitude", "Assets", "Needs", "Offers", "Last Verified", "Visibility",
                  "Consent", "URL", "Email", "Phone", "Notes"]
CONNECTION_FIELDS = ["ID", "From", "To", "Type", "Direction", "Strength", "Description", "Since", "Visibility"]

# code, name, centroid (from the team's borough table), outward postcode districts, places
BOROUGHS = {
    "lambeth": ("E09000022", "Lambeth", 51.4533, -0.1182, ["SW9", "SE11", "SW2", "SE27"],
                ["Brixton", "Stockwell", "Kennington", "Norwood", "Vauxhall", "Streatham"]),
    "southwark": ("E09000028", "Southwark", 51.4732, -0.0746, ["SE15", "SE5", "SE16", "SE17"],
                  ["Peckham", "Camberwell", "Bermondsey", "Walworth", "Rotherhithe", "Dulwich"]),
    "lewisham": ("E09000023", "Lewisham", 51.4483, -0.0202, ["SE8", "SE6", "SE4", "SE26"],
                 ["Deptford", "Catford", "Brockley", "Sydenham", "Lee", "New Cross"]),
    "croydon": ("E09000008", "Croydon", 51.3554, -0.0871, ["CR0", "CR7", "SE25", "CR8"],
                ["Thornton Heath", "Norbury", "Addiscombe", "New Addington", "Selhurst", "Purley"]),
    "wandsworth": ("E09000032", "Wandsworth", 51.4515, -0.1868, ["SW11", "SW17", "SW12", "SW15"],
                   ["Battersea", "Tooting", "Balham", "Putney", "Roehampton", "Earlsfield"]),
    "greenwich": ("E09000011", "Greenwich", 51.4729, 0.0562, ["SE18", "SE9", "SE7", "SE28"],
                  ["Woolwich", "Eltham", "Charlton", "Plumstead", "Thamesmead", "Abbey Wood"]),
}
# ways people write the borough instead of the ONS code (for the upkeep questions)
BOROUGH_SPELLINGS = {"lambeth": "LB Lambeth", "southwark": "southwark", "lewisham": "London Borough of Lewisham",
                     "croydon": "Croydon Council", "wandsworth": "Wandsworth", "greenwich": "Royal Borough of Greenwich"}

NETWORKS = {
    "lambeth": ("lambeth-food-partnership", "Lambeth Food Partnership"),
    "southwark": ("southwark-housing-forum", "Southwark Housing Forum"),
    "lewisham": ("lewisham-food-action", "Lewisham Food Action"),
    "croydon": ("croydon-housing-network", "Croydon Housing Network"),
    "wandsworth": ("wandsworth-community-food-network", "Wandsworth Community Food Network"),
    "greenwich": ("greenwich-homes-and-food-forum", "Greenwich Homes and Food Forum"),
}

# kind -> (tags, assets, needs, offers) pools
GROUP_KINDS = {
    "Food Bank": ("food|poverty", ["warehouse space", "van", "cold storage"], ["volunteers", "van", "cold storage", "food surplus"], ["food parcels", "volunteers"]),
    "Tenants' Association": ("housing|tenants", ["meeting room", "hall"], ["legal advice", "translation", "funding bids"], ["meeting room", "volunteers"]),
    "Community Fridge": ("food|waste", ["cold storage"], ["food surplus", "volunteers", "cold storage"], ["food surplus"]),
    "Housing Advice Drop-in": ("housing|advice", ["meeting room"], ["translation", "IT support", "volunteers"], ["housing advice", "legal advice"]),
    "Lunch Club": ("food|older people", ["kitchen", "hall"], ["volunteers", "van", "food surplus"], ["hot meals", "kitchen"]),
    "Refugee Welcome": ("refugees|advice", ["meeting room"], ["housing advice", "legal advice", "meeting room"], ["translation", "volunteers"]),
    "Youth Kitchen": ("food|young people", ["kitchen"], ["funding bids", "food surplus", "volunteers"], ["hot meals", "training"]),
    "Mutual Aid": ("mutual aid|food", [], ["meeting room", "van", "IT support"], ["volunteers", "delivery"]),
    "Pantry": ("food|membership", ["cold storage", "warehouse space"], ["van", "volunteers"], ["food parcels", "food surplus"]),
    "Residents' Forum": ("housing|residents", ["hall", "garden"], ["funding bids", "legal advice", "translation"], ["meeting room", "volunteers"]),
}

PEOPLE = [
    ("funmi-adeyemi", "Funmi Adeyemi", "community organiser", "lambeth", "yes"),
    ("tom-okafor", "Tom Okafor", "food bank coordinator", "southwark", "yes"),
    ("priya-raman", "Priya Raman", "housing caseworker", "lewisham", "no"),
    ("jo-kowalski", "Jo Kowalski", "volunteer driver", "croydon", "yes"),
    ("sam-achterberg", "Sam Achterberg", "residents' champion", "wandsworth", "no"),
    ("grace-mensah", "Grace Mensah", "Alliance trustee", "greenwich", "yes"),
    ("dev-chauhan", "Dev Chauhan", "council community development officer", "lambeth", "yes"),
    ("rosa-alvarez", "Rosa Alvarez", "interpreter and befriender", "southwark", "no"),
    ("kwame-boateng", "Kwame Boateng", "youth worker", "croydon", "yes"),
    ("ellen-price", "Ellen Price", "retired housing officer", "lewisham", "yes"),
]


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.5f}"
    return str(value)


def _csv(rows: list[dict], fields: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for row in rows:
        w.writerow({k: _fmt(row.get(k)) for k in fields})
    return buf.getvalue()


def slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in text.replace("'", ""))
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def build() -> dict[str, str]:
    """Make the map; return {file name: text}."""
    rng = random.Random(SEED)
    elements: list[dict] = []
    connections: list[dict] = []
    home: dict[str, str] = {}  # element -> borough key

    def date(stale: bool = False) -> str:
        if stale:
            return f"201{rng.choice([5, 6, 7])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return f"2019-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.7 else \
            f"2018-{rng.randint(11, 12):02d}-{rng.randint(1, 28):02d}"

    def place(bkey: str) -> tuple[float, float]:
        _, _, lat, lon, _, _ = BOROUGHS[bkey]
        return round(lat + rng.uniform(-0.018, 0.018), 5), round(lon + rng.uniform(-0.03, 0.03), 5)

    def add(eid: str, label: str, etype: str, level: str, bkey: str | None, description: str, tags: str,
            assets=(), needs=(), offers=(), stale=False, visibility="public", consent="", located=True,
            notes="") -> None:
        lat = lon = None
        postcode = ""
        if bkey and located:
            lat, lon = place(bkey)
        if bkey and etype != "Person":
            districts = BOROUGHS[bkey][4]
            postcode = f"{rng.choice(districts)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        borough = BOROUGHS[bkey][0] if bkey else ""
        elements.append({
            "ID": eid, "Label": label, "Type": etype, "Description": description, "Tags": tags,
            "Level": level, "Borough": borough, "Postcode": postcode if etype != "Person" else "",
            "Latitude": lat, "Longitude": lon,
            "Assets": "|".join(assets), "Needs": "|".join(needs), "Offers": "|".join(offers),
            "Last Verified": date(stale), "Visibility": visibility, "Consent": consent,
            "URL": f"https://{eid}.example.org" if etype not in ("Person",) else "",
            "Email": f"hello@{eid}.example.org" if etype != "Person" else f"{eid}@example.org",
            "Phone": f"020 7946 0{rng.randint(100, 999)}", "Notes": notes,
        })
        if bkey:
            home[eid] = bkey

    def tie(a: str, b: str, ctype: str, strength: int, direction: str = "undirected",
            description: str = "", visibility: str = "public") -> None:
        connections.append({"From": a, "To": b, "Type": ctype, "Direction": direction, "Strength": strength,
                            "Description": description, "Since": str(rng.randint(2010, 2019)),
                            "Visibility": visibility})

    # --- the hub and the borough networks
    add("slfha", "South London Food and Housing Alliance", "Network of networks", "pan-London", "southwark",
        "Alliance of six south London borough networks working on food poverty and housing.",
        "food|housing|networks", assets=["meeting room", "training room"], offers=["training", "funding bids", "publicity"],
        notes="Chair changes in 2020.")
    for bkey, (nid, nlabel) in NETWORKS.items():
        name = BOROUGHS[bkey][1]
        add(nid, nlabel, "Borough network", "borough", bkey,
            f"Network of food and housing groups in {name}.", "networks|" + ("food" if "Food" in nlabel else "housing"),
            assets=["meeting room"], offers=["training", "publicity"], needs=["funding bids"] if bkey in ("croydon", "greenwich") else [])
        tie(nid, "slfha", "Membership", 3, "directed", "member network of the Alliance")

    # --- CVSs
    cvs = {"lambeth": ("lambeth-voluntary-action", "Lambeth Voluntary Action"),
           "lewisham": ("lewisham-community-action-centre", "Lewisham Community Action Centre"),
           "croydon": ("croydon-community-action", "Croydon Community Action"),
           "greenwich": ("greenwich-together", "Greenwich Together")}
    for bkey, (cid, clabel) in cvs.items():
        add(cid, clabel, "CVS", "borough", bkey, f"Council for voluntary service in {BOROUGHS[bkey][1]}.",
            "infrastructure|volunteering", assets=["meeting room"], offers=["volunteers", "IT support", "funding bids"])
        tie(cid, NETWORKS[bkey][0], "Partnership", 3)
    tie("lambeth-voluntary-action", "slfha", "Information sharing", 2)
    tie("croydon-community-action", "slfha", "Membership", 2, "directed")

    # --- community groups, ten per borough
    groups: dict[str, list[str]] = {}
    kinds = list(GROUP_KINDS)
    for bkey, (_, bname, *_rest) in BOROUGHS.items():
        places = BOROUGHS[bkey][5]
        chosen = rng.sample(kinds, 10)
        groups[bkey] = []
        for i, kind in enumerate(chosen):
            label = f"{places[i % len(places)]} {kind}"
            gid = slug(label)
            tags, assets, needs, offers = GROUP_KINDS[kind]
            a = rng.sample(assets, min(len(assets), rng.randint(0, 2)))
            n = rng.sample(needs, min(len(needs), rng.randint(1, 2)))
            o = rng.sample(offers, min(len(offers), rng.randint(1, 2)))
            add(gid, label, "Community group", "grassroots", bkey,
                f"{kind} serving {places[i % len(places)]} in {bname}.", tags,
                assets=a, needs=[x for x in n if x not in a], offers=o,
                stale=rng.random() < 0.15, located=rng.random() < 0.8)
            groups[bkey].append(gid)

    # --- social enterprises
    ses = [("brixton-surplus-kitchen", "Brixton Surplus Kitchen", "lambeth", ["kitchen", "van"], ["food surplus", "hot meals", "training"]),
           ("deptford-pantry-cic", "Deptford Pantry CIC", "lewisham", ["warehouse space", "minibus"], ["food surplus", "delivery"]),
           ("bermondsey-bike-couriers", "Bermondsey Bike Couriers", "southwark", [], ["delivery"]),
           ("norwood-repair-cafe", "Norwood Repair Cafe CIC", "lambeth", ["hall"], ["IT support", "training"]),
           ("thamesmead-community-grocer", "Thamesmead Community Grocer", "greenwich", ["cold storage"], ["food parcels"])]
    for sid, slabel, bkey, assets, offers in ses:
        add(sid, slabel, "Social enterprise", "grassroots", bkey, f"Social enterprise in {BOROUGHS[bkey][1]}.",
            "social enterprise|food", assets=assets, offers=offers, needs=["funding bids"] if sid.startswith("thames") else [])

    # --- funders, public bodies, a university, a law centre
    add("thameside-community-foundation", "Thameside Community Foundation", "Funder", "pan-London", "southwark",
        "Community foundation funding food and housing projects south of the river.", "funding",
        offers=["grants", "funding bids"])
    add("peckham-rye-charitable-fund", "Peckham Rye Charitable Fund", "Funder", "borough", "southwark",
        "Small grants for Lambeth and Southwark groups.", "funding", offers=["grants"])
    add("croydon-giving", "Croydon Giving", "Funder", "borough", "croydon", "Local giving scheme in Croydon.",
        "funding", offers=["grants"])
    add("south-bank-small-grants-trust", "South Bank Small Grants Trust", "Funder", "borough", "lambeth",
        "Grant maker for Lambeth and Wandsworth.", "funding", offers=["grants"], stale=True)
    add("lambeth-council-housing-options", "Lambeth Council Housing Options", "Public body", "borough", "lambeth",
        "Council housing options and homelessness team.", "housing|council", offers=["housing advice"])
    add("southwark-public-health-team", "Southwark Public Health Team", "Public body", "borough", "southwark",
        "Council public health team: food poverty lead.", "health|council", offers=["funding bids"])
    add("lewisham-homelessness-service", "Lewisham Homelessness Service", "Public body", "borough", "lewisham",
        "Council homelessness prevention service.", "housing|council", offers=["housing advice"])
    add("south-thames-university", "South Thames University", "University", "pan-London", "southwark",
        "University running a community food research project with the Alliance.", "research",
        assets=["meeting room"], offers=["research", "volunteers"])
    add("walworth-housing-law-centre", "Walworth Housing Law Centre", "Community group", "borough", "southwark",
        "Free housing law advice for Lambeth and Southwark tenants.", "housing|legal",
        offers=["legal advice", "housing advice"], needs=["translation", "funding bids"])
    add("safe-homes-womens-project", "Safe Homes Women's Project", "Community group", "grassroots", "lewisham",
        "Refuge and housing support for women (address withheld).", "housing|women",
        needs=["legal advice", "volunteers"], visibility="private", located=False)
    add("greenwich-night-shelter", "Greenwich Night Shelter", "Community group", "grassroots", "greenwich",
        "Winter night shelter (location shared with partners only).", "housing|homelessness",
        needs=["volunteers", "hot meals"], visibility="private", located=False)

    # --- people
    for pid, plabel, role, bkey, consent in PEOPLE:
        add(pid, plabel, "Person", "grassroots", bkey, f"{role.capitalize()}.", "connector",
            consent=consent, located=False)

    # ---- ties among groups
    alone = {}  # one group per borough (not Greenwich) belongs to the Alliance alone
    for bkey, gids in groups.items():
        net = NETWORKS[bkey][0]
        members = gids[:]
        if bkey != "greenwich":
            alone[bkey] = members.pop()  # last group: Alliance only
            tie(alone[bkey], "slfha", "Membership", 1, "directed")
        for gid in members:
            tie(gid, net, "Membership", rng.choice([2, 3]), "directed")
        # peer ties within the borough
        for gid in members:
            for other in rng.sample([g for g in members if g != gid], rng.choice([1, 1, 2])):
                kind = rng.choice(["Referral", "Information sharing", "Information sharing", "Partnership"])
                tie(gid, other, kind, rng.randint(1, 4))
    # borough-specific bridges (Greenwich has none but the Alliance)
    cvs_members = {"lambeth": 3, "lewisham": 3, "croydon": 4, "greenwich": 3}
    for bkey, k in cvs_members.items():
        cid = cvs[bkey][0]
        for gid in rng.sample(groups[bkey][:9], k):
            tie(cid, gid, "Information sharing", 2)
    # cross-borough ties: Lambeth and Southwark knitted, Lewisham–Southwark some, Wandsworth–Lambeth one
    tie(groups["lambeth"][0], groups["southwark"][1], "Partnership", 3)
    tie(groups["lambeth"][2], groups["southwark"][3], "Referral", 2)
    tie(groups["southwark"][4], groups["lewisham"][0], "Information sharing", 2)
    tie(groups["wandsworth"][0], groups["lambeth"][5], "Partnership", 2)
    tie(groups["croydon"][1], groups["lambeth"][6], "Information sharing", 1)
    # the law centre serves Lambeth and Southwark
    tie("walworth-housing-law-centre", NETWORKS["southwark"][0], "Membership", 3, "directed")
    for gid in groups["lambeth"][1:4] + groups["southwark"][2:5]:
        tie("walworth-housing-law-centre", gid, "Referral", 2, "directed")
    # funders
    for gid in rng.sample(groups["lambeth"][:9], 3) + rng.sample(groups["southwark"][:9], 3):
        tie("peckham-rye-charitable-fund", gid, "Funding", 3, "directed")
    for gid in [NETWORKS[b][0] for b in ("lambeth", "southwark", "lewisham", "wandsworth")] + ["slfha"]:
        tie("thameside-community-foundation", gid, "Funding", 4, "directed")
    for gid in rng.sample(groups["croydon"][:9], 3):
        tie("croydon-giving", gid, "Funding", 2, "directed")
    for gid in rng.sample(groups["lambeth"][:9], 2) + rng.sample(groups["wandsworth"][:9], 2):
        tie("south-bank-small-grants-trust", gid, "Funding", 2, "directed")
    # public bodies
    for bkey, pid in (("lambeth", "lambeth-council-housing-options"), ("southwark", "southwark-public-health-team"),
                      ("lewisham", "lewisham-homelessness-service")):
        tie(pid, NETWORKS[bkey][0], "Partnership", 3)
        for gid in rng.sample(groups[bkey][:9], 3):
            tie(pid, gid, "Referral", 2, "directed")
    # university and social enterprises
    tie("south-thames-university", "slfha", "Partnership", 3)
    for gid in (groups["southwark"][0], groups["lewisham"][2], groups["croydon"][3]):
        tie("south-thames-university", gid, "Partnership", 1)
    tie("brixton-surplus-kitchen", NETWORKS["lambeth"][0], "Membership", 3, "directed")
    tie("brixton-surplus-kitchen", groups["lambeth"][4], "Partnership", 2)
    tie("deptford-pantry-cic", NETWORKS["lewisham"][0], "Membership", 2, "directed")
    tie("deptford-pantry-cic", groups["lewisham"][3], "Shared premises", 3)
    tie("bermondsey-bike-couriers", groups["southwark"][6], "Partnership", 2)
    tie("bermondsey-bike-couriers", "deptford-pantry-cic", "Partnership", 1)
    tie("norwood-repair-cafe", groups["lambeth"][7], "Shared premises", 2)
    tie("thamesmead-community-grocer", NETWORKS["greenwich"][0], "Membership", 2, "directed")
    tie("thamesmead-community-grocer", groups["greenwich"][2], "Partnership", 2)
    # private elements
    tie("safe-homes-womens-project", NETWORKS["lewisham"][0], "Membership", 2, "directed", visibility="private")
    tie("safe-homes-womens-project", "lewisham-homelessness-service", "Referral", 3, "directed", visibility="private")
    tie("greenwich-night-shelter", NETWORKS["greenwich"][0], "Membership", 2, "directed")
    tie("greenwich-night-shelter", groups["greenwich"][0], "Referral", 2)
    # people
    person_links = {
        "funmi-adeyemi": [NETWORKS["lambeth"][0], groups["lambeth"][1], "slfha"],
        "tom-okafor": [groups["southwark"][0], NETWORKS["southwark"][0]],
        "priya-raman": ["lewisham-homelessness-service", groups["lewisham"][4]],
        "jo-kowalski": [groups["croydon"][0], "deptford-pantry-cic"],
        "sam-achterberg": [groups["wandsworth"][3], NETWORKS["wandsworth"][0]],
        "grace-mensah": ["slfha", NETWORKS["greenwich"][0]],
        "dev-chauhan": ["lambeth-council-housing-options", groups["lambeth"][2]],
        "rosa-alvarez": [groups["southwark"][5], "walworth-housing-law-centre"],
        "kwame-boateng": [groups["croydon"][2], groups["croydon"][5], "croydon-community-action"],
        "ellen-price": [groups["lewisham"][1], NETWORKS["lewisham"][0]],
    }
    for pid, orgs in person_links.items():
        for org in orgs:
            tie(pid, org, "Membership" if org in [n for n, _ in NETWORKS.values()] + ["slfha"] else "Partnership", 2,
                "directed" if org in [n for n, _ in NETWORKS.values()] + ["slfha"] else "undirected")

    # --- data-quality touches: boroughs written as names
    for e in elements:
        if e["Type"] == "Community group" and e["ID"] in {groups[b][8] for b in groups}:
            e["Borough"] = BOROUGH_SPELLINGS[home[e["ID"]]]

    # de-duplicate ties between the same pair with the same type (keep the first)
    seen: set[tuple] = set()
    unique = []
    for c in connections:
        key = (min(c["From"], c["To"]), max(c["From"], c["To"]), c["Type"])
        if key in seen or c["From"] == c["To"]:
            continue
        seen.add(key)
        unique.append(c)
    for i, c in enumerate(unique, start=1):
        c["ID"] = f"k{i:03d}"
    ids = [e["ID"] for e in elements]
    assert len(ids) == len(set(ids)), "duplicate element IDs"
    assert all(c["From"] in set(ids) and c["To"] in set(ids) for c in unique)

    meta = {
        "name": "South London Food and Housing Alliance, autumn 2019 (coursework, fictional)",
        "date": MAP_DATE,
        "description": "Fictional map of a south London food-and-housing alliance network, made for the assessed coursework.",
        "private_fields": ["Email", "Phone", "Notes"],
        "licence": "Creative Commons Attribution 4.0 (CC BY 4.0). Fictional data made for cop_toolkit coursework.",
        "source": "Generated by datasets/scripts/generate_coursework.py (seed 2019).",
    }
    return {
        "elements.csv": _csv(elements, ELEMENT_FIELDS),
        "connections.csv": _csv(unique, CONNECTION_FIELDS),
        "map.json": json.dumps(meta, indent=2, ensure_ascii=False) + "\n",
        "README.md": card(elements, unique),
    }


def card(elements: list[dict], connections: list[dict]) -> str:
    """The data card (README.md) with counts taken from the data itself."""
    from collections import Counter

    types = Counter(e["Type"] for e in elements)
    ctypes = Counter(c["Type"] for c in connections)
    stale = sum(1 for e in elements if e["Last Verified"] < "2018-10-31")
    named = sum(1 for e in elements if e["Borough"] and not e["Borough"].startswith("E09"))
    private = sum(1 for e in elements if e["Visibility"] == "private")
    no_consent = sum(1 for e in elements if e["Type"] == "Person" and e["Consent"] != "yes")
    coords = sum(1 for e in elements if e["Latitude"] is not None)
    lines = [
        "# coursework-2019: South London Food and Housing Alliance, autumn 2019 (fictional)",
        "",
        "The map for the **assessed coursework** (`notebooks/coursework/`). A fictional alliance of",
        "six south London borough networks working on food poverty and housing: food banks, tenants'",
        "associations, community fridges, advice drop-ins, funders, councils, social enterprises, a",
        "university and a few individual connectors.",
        "",
        "## Provenance",
        "- Generated by `datasets/scripts/generate_coursework.py` (seed 2019; rerunning it gives byte-identical",
        "  files; `--check` verifies).",
        "- **Everything is fictional**: every organisation and person, every tie. Place names are real",
        "  neighbourhoods; postcodes are made up from real district codes; emails use `example.org` and",
        "  phone numbers the Ofcom drama range (020 7946 0xxx).",
        "- Licence: CC BY 4.0. Borough centroids used for coordinates contain National Statistics data",
        "  © Crown copyright and database right (Open Government Licence v3.0).",
        "",
        "## Fields",
        "Same conventions as every cop_toolkit map (see CONTRIBUTING.md): elements have `ID`, `Label`,",
        "`Type`, `Description`, `Tags`, `Level`, `Borough` (ONS code, sometimes written as a name),",
        "`Postcode`, `Latitude`, `Longitude`, `Assets`, `Needs`, `Offers` (`|`-separated),",
        "`Last Verified`, `Visibility`, `Consent`, `URL`, `Email`, `Phone`, `Notes`; connections have",
        "`ID`, `From`, `To`, `Type`, `Direction`, `Strength` (1-5), `Description`, `Since`, `Visibility`.",
        "`Email`, `Phone` and `Notes` are private fields.",
        "",
        "## What is in it (for markers; students find it out)",
        "- The Alliance (`slfha`) is the hub. Greenwich's groups reach the rest only through it, and one",
        "  group in each of the other five boroughs is a member of the Alliance alone.",
        f"- {stale} elements were last verified more than a year before the map date ({MAP_DATE}).",
        f"- {named} elements give their borough as a name instead of an ONS code.",
        f"- {private} elements are private and {no_consent} people have not consented to be shown.",
        f"- {coords} elements have coordinates; the rest can be placed by postcode or borough.",
        "",
        "## Counts",
        f"- **{len(elements)} elements** and **{len(connections)} connections**.",
        "",
        "| Element type | Count |",
        "|---|---|",
        *[f"| {t} | {n} |" for t, n in sorted(types.items())],
        "",
        "| Connection type | Count |",
        "|---|---|",
        *[f"| {t} | {n} |" for t, n in sorted(ctypes.items())],
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    files = build()
    if "--check" in argv:
        bad = [n for n, text in files.items() if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != text]
        if bad:
            print("coursework-2019 differs from the generator: " + ", ".join(bad))
            return 1
        print("coursework-2019 is up to date")
        return 0
    OUT.mkdir(exist_ok=True)
    for name, text in files.items():
        (OUT / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

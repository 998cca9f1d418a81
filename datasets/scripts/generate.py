"""Generate the bundled sample datasets of cop_toolkit, deterministically.

Run ``python datasets/scripts/generate.py`` from the repository root. Every random
choice comes from a :class:`random.Random` with a fixed seed and every file is
written with fixed column order, fixed number formatting and ``\\n`` line
endings, so running the script twice gives byte-identical files.

It writes, next to this script:

* ``owa-2017/`` - an illustrative London civil-society map in the spirit of
  the Our Way Ahead survey map of July 2017 (LVSC as the pan-London hub);
* ``owa-2018/`` - the same map a year later (LVSC gone, groups closed,
  renamed and new);
* ``owa-survey-2017/`` - the raw online-survey export that "fed" owa-2017,
  with the spelling mess real survey answers have, plus an answer key;
* ``unlocking-networks/`` - community-business peer networks and their
  support providers.

``london-boroughs/`` is made by ``build_geography.py`` (it needs the
vega-datasets tarball and shapely); this script only reads its
``boroughs.csv``.

All organisations are fictional except a short list of real pan-London and
national bodies (see ``REAL_NAMES``); all ties are illustrative.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # the datasets/ folder

#: The only real organisations named in the sample data.
REAL_NAMES = [
    "LVSC",
    "Our Way Ahead",
    "Connecting Londoners",
    "Greater London Volunteering",
    "City Bridge Trust",
    "London Metropolitan University",
    "the Hub for London",
    "Locality",
    "Co-operatives UK",
    "Power to Change",
    "The Social Change Agency",
    "Shared Assets",
]

ELEMENT_FIELDS = [
    "ID", "Label", "Type", "Description", "Tags", "Level", "Borough", "Postcode",
    "Latitude", "Longitude", "Assets", "Needs", "Offers", "Last Verified", "Visibility",
    "Consent", "URL", "Email", "Phone", "Notes",
]
CONNECTION_FIELDS = [
    "ID", "From", "To", "Type", "Direction", "Strength", "Description", "Since", "Visibility",
]
PRIVATE_FIELDS = ["Email", "Phone", "Notes"]
LICENCE = (
    "Creative Commons Attribution 4.0 (CC BY 4.0). Illustrative sample data made for "
    "cop_toolkit; all organisations except the real bodies named in the data card are fictional."
)

# --------------------------------------------------------------------------- geography

REGIONS: dict[str, list[str]] = {
    "central": ["E09000001", "E09000033", "E09000007", "E09000019", "E09000020", "E09000022",
                "E09000028"],
    "east": ["E09000030", "E09000012", "E09000025", "E09000002", "E09000016", "E09000026",
             "E09000031"],
    "north": ["E09000003", "E09000010", "E09000014", "E09000015", "E09000005"],
    "south": ["E09000008", "E09000023", "E09000011", "E09000006", "E09000029", "E09000024",
              "E09000021", "E09000032", "E09000004"],
    "west": ["E09000009", "E09000018", "E09000017", "E09000013", "E09000027"],
}

#: Neighbourhood names used to make plausible (fictional) group names.
PLACES: dict[str, list[str]] = {
    "E09000001": ["Aldgate", "Barbican"],
    "E09000033": ["Pimlico", "Church Street", "Queen's Park"],
    "E09000007": ["Kentish Town", "Somers Town", "Gospel Oak"],
    "E09000019": ["Holloway", "Archway", "Canonbury"],
    "E09000020": ["North Kensington", "Golborne"],
    "E09000022": ["Brixton", "Stockwell", "Kennington"],
    "E09000028": ["Peckham", "Nunhead", "Bermondsey", "Walworth"],
    "E09000030": ["Stepney", "Limehouse", "Poplar", "Bow"],
    "E09000012": ["Dalston", "Homerton", "Clapton"],
    "E09000025": ["Forest Gate", "Canning Town", "East Ham"],
    "E09000002": ["Dagenham", "Barking Riverside"],
    "E09000016": ["Romford", "Harold Hill"],
    "E09000026": ["Ilford", "Seven Kings"],
    "E09000031": ["Walthamstow", "Leyton", "Chingford"],
    "E09000003": ["Burnt Oak", "Colindale", "Finchley"],
    "E09000010": ["Edmonton", "Ponders End", "Enfield Lock"],
    "E09000014": ["Tottenham", "Wood Green", "Northumberland Park"],
    "E09000015": ["Wealdstone", "South Harrow"],
    "E09000005": ["Harlesden", "Kilburn", "Wembley"],
    "E09000008": ["Thornton Heath", "New Addington", "Norbury"],
    "E09000023": ["Deptford", "Catford", "Sydenham"],
    "E09000011": ["Woolwich", "Thamesmead", "Eltham"],
    "E09000006": ["Penge", "Orpington"],
    "E09000029": ["Sutton", "Roundshaw"],
    "E09000024": ["Mitcham", "Morden"],
    "E09000021": ["Cambridge Road", "Norbiton"],
    "E09000032": ["Battersea", "Tooting", "Roehampton"],
    "E09000004": ["Erith", "Slade Green"],
    "E09000009": ["Southall", "Acton", "Northolt"],
    "E09000018": ["Feltham", "Hounslow West", "Brentford"],
    "E09000017": ["Hayes", "Uxbridge", "Yiewsley"],
    "E09000013": ["White City", "Fulham", "Shepherd's Bush"],
    "E09000027": ["Twickenham", "Ham", "Whitton"],
}

#: Postcode districts per borough (for plausible-looking postcodes).
DISTRICTS: dict[str, list[str]] = {
    "E09000001": ["EC2Y", "EC3N", "EC1A"], "E09000033": ["W2", "SW1V", "NW8", "W9"],
    "E09000007": ["NW5", "NW1", "NW3"], "E09000019": ["N7", "N19", "N1"],
    "E09000020": ["W10", "W11", "SW10"], "E09000022": ["SW9", "SW2", "SE11"],
    "E09000028": ["SE15", "SE16", "SE17"], "E09000030": ["E1", "E14", "E3"],
    "E09000012": ["E8", "E9", "E5"], "E09000025": ["E7", "E16", "E6"],
    "E09000002": ["RM10", "IG11", "RM9"], "E09000016": ["RM1", "RM3"],
    "E09000026": ["IG1", "IG3"], "E09000031": ["E17", "E10", "E4"],
    "E09000003": ["HA8", "NW9", "N3"], "E09000010": ["N9", "EN3", "N18"],
    "E09000014": ["N17", "N22", "N15"], "E09000015": ["HA3", "HA2"],
    "E09000005": ["NW10", "NW6", "HA9"], "E09000008": ["CR7", "CR0", "SW16"],
    "E09000023": ["SE8", "SE6", "SE26"], "E09000011": ["SE18", "SE28", "SE9"],
    "E09000006": ["SE20", "BR6"], "E09000029": ["SM1", "SM6"],
    "E09000024": ["CR4", "SM4"], "E09000021": ["KT1", "KT2"],
    "E09000032": ["SW11", "SW17", "SW15"], "E09000004": ["DA8", "DA7"],
    "E09000009": ["UB1", "W3", "UB5"], "E09000018": ["TW13", "TW4", "TW8"],
    "E09000017": ["UB3", "UB8", "UB7"], "E09000013": ["W12", "SW6"],
    "E09000027": ["TW1", "TW10", "TW2"],
}

#: Ways people write borough names in the wild (used for ~10 elements).
BOROUGH_SPELLINGS: dict[str, list[str]] = {
    "E09000030": ["LB Tower Hamlets", "towerhamlets"],
    "E09000020": ["Royal Borough of Kensington & Chelsea"],
    "E09000033": ["Westminster City Council"],
    "E09000012": ["London Borough of Hackney"],
    "E09000013": ["Hammersmith & Fulham"],
    "E09000002": ["Barking & Dagenham"],
    "E09000027": ["Richmond-upon-Thames"],
    "E09000025": ["LB of Newham"],
    "E09000028": ["southwark"],
    "E09000031": ["Waltham Forest Council"],
    "E09000014": ["Haringey "],
}


def read_boroughs() -> dict[str, dict[str, str]]:
    """Return the borough table (``london-boroughs/boroughs.csv``) keyed by ONS code."""
    with open(HERE / "london-boroughs" / "boroughs.csv", newline="", encoding="utf-8") as f:
        return {row["code"]: row for row in csv.DictReader(f)}


def borough_name(code: str) -> str:
    return read_boroughs()[code]["name"]


def point_in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray-casting point-in-polygon test (pure Python, no shapely needed)."""
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if x > lon:
                inside = not inside
    return inside


def read_polygons() -> dict[str, list[list[list[float]]]]:
    """Return outer rings per borough code from ``boroughs.geojson`` (empty if not built yet)."""
    path = HERE / "london-boroughs" / "boroughs.geojson"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[list[list[float]]]] = {}
    for feat in data["features"]:
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[feat["properties"]["code"]] = [p[0] for p in polys]
    return out


# --------------------------------------------------------------------------- helpers

def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", "and").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


class Builder:
    """Collects elements and connections for one map."""

    def __init__(self, seed: int, map_date: str) -> None:
        self.rng = random.Random(seed)
        self.map_date = dt.date.fromisoformat(map_date)
        self.elements: dict[str, dict[str, str]] = {}
        self.connections: list[dict[str, str]] = []
        self.pairs: set[frozenset[str]] = set()
        self.forbidden: set[frozenset[str]] = set()
        self.boroughs = read_boroughs()
        self.polygons = read_polygons()

    # ----------------------------------------------------------- elements
    def add(self, label: str, type_: str, *, eid: str | None = None, **fields: str) -> str:
        eid = eid or slugify(label)
        base, k = eid, 2
        while eid in self.elements:
            eid = f"{base}-{k}"
            k += 1
        row = {f: "" for f in ELEMENT_FIELDS}
        row.update({"ID": eid, "Label": label, "Type": type_})
        for key, value in fields.items():
            row[key.replace("_", " ")] = value
        self.elements[eid] = row
        return eid

    def postcode(self, code: str) -> str:
        district = self.rng.choice(DISTRICTS[code])
        return (f"{district} {self.rng.randint(1, 9)}"
                f"{self.rng.choice(POSTCODE_LETTERS)}{self.rng.choice(POSTCODE_LETTERS)}")

    def point(self, code: str) -> tuple[float, float]:
        b = self.boroughs[code]
        lat0, lon0 = float(b["centroid_lat"]), float(b["centroid_lon"])
        spread = 0.0025 if code == "E09000001" else 0.012
        rings = self.polygons.get(code)
        for _ in range(200):
            lat = lat0 + self.rng.uniform(-spread, spread)
            lon = lon0 + self.rng.uniform(-spread, spread) * 1.6
            if not rings or any(point_in_ring(lon, lat, r) for r in rings):
                return round(lat, 5), round(lon, 5)
        return round(lat0, 5), round(lon0, 5)

    def verified(self, stale: bool = False) -> str:
        if stale:
            days = self.rng.randint(400, 900)
        else:
            days = self.rng.randint(5, 330)
        return (self.map_date - dt.timedelta(days=days)).isoformat()

    # ----------------------------------------------------------- connections
    def tie(self, a: str, b: str, type_: str, strength: int, *, direction: str | None = None,
            description: str = "", since: str = "", visibility: str = "public",
            allow_repeat: bool = False) -> bool:
        if a == b or a not in self.elements or b not in self.elements:
            return False
        key = frozenset((a, b))
        if key in self.forbidden:
            return False
        if key in self.pairs and not allow_repeat:
            return False
        if direction is None:
            direction = {
                "Membership": "directed", "Funding": "directed", "Referral": "directed",
                "Partnership": "mutual", "Information sharing": "undirected",
                "Shared premises": "mutual",
            }[type_]
        self.pairs.add(key)
        self.connections.append({
            "ID": "", "From": a, "To": b, "Type": type_, "Direction": direction,
            "Strength": str(int(strength)), "Description": description,
            "Since": since or str(self.rng.randint(2008, self.map_date.year)),
            "Visibility": visibility,
        })
        return True

    def degree(self, eid: str) -> int:
        return sum(1 for p in self.pairs if eid in p)

    def number_connections(self) -> None:
        width = max(3, len(str(len(self.connections))))
        for i, c in enumerate(self.connections, start=1):
            c["ID"] = f"c{i:0{width}d}"


# --------------------------------------------------------------------------- writing

def _csv_text(rows: Iterable[dict[str, str]], fields: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({f: r.get(f, "") for f in fields})
    return buf.getvalue()


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def write_map_folder(name: str, b: Builder, meta: dict[str, object], card: str,
                     out: Path = HERE) -> Path:
    folder = out / name
    elements = list(b.elements.values())
    write_text(folder / "elements.csv", _csv_text(elements, ELEMENT_FIELDS))
    write_text(folder / "connections.csv", _csv_text(b.connections, CONNECTION_FIELDS))
    write_text(folder / "map.json", json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    write_text(folder / "README.md", card)
    return folder


def counts_table(b: Builder) -> str:
    """Markdown lines counting elements by type and connections by type."""
    lines = [f"- **{len(b.elements)} elements** and **{len(b.connections)} connections**.", ""]
    lines.append("| Element type | Count |")
    lines.append("|---|---|")
    by_type: dict[str, int] = {}
    for e in b.elements.values():
        by_type[e["Type"]] = by_type.get(e["Type"], 0) + 1
    for t in sorted(by_type):
        lines.append(f"| {t} | {by_type[t]} |")
    lines.append("")
    lines.append("| Connection type | Count |")
    lines.append("|---|---|")
    by_ctype: dict[str, int] = {}
    for c in b.connections:
        by_ctype[c["Type"]] = by_ctype.get(c["Type"], 0) + 1
    for t in sorted(by_ctype):
        lines.append(f"| {t} | {by_ctype[t]} |")
    return "\n".join(lines)


FIELDS_DOC = """\
## Fields

Elements (`elements.csv`): `ID` (short slug), `Label`, `Type` (Pan-London body, Borough network,
CVS, Network of networks, Community group, Social enterprise, Funder, Public body, University,
Person), `Description`, `Tags` (`|`-separated), `Level` (grassroots / borough / pan-London),
`Borough` (ONS code such as `E09000030`; a few are written as names, on purpose), `Postcode`,
`Latitude`, `Longitude`, `Assets`, `Needs`, `Offers` (`|`-separated), `Last Verified`
(`YYYY-MM-DD`), `Visibility` (public / private), `Consent` (people only: yes / no), `URL`, and
the private fields `Email`, `Phone`, `Notes`.

Connections (`connections.csv`): `ID`, `From`, `To` (element IDs), `Type` (Membership, Funding,
Partnership, Referral, Information sharing, Shared premises), `Direction` (directed / undirected /
mutual; a Membership tie points from the member to the network), `Strength` (1-5),
`Description`, `Since` (year), `Visibility`.

`map.json` holds the map's name, date, description, `private_fields` (never publish
`Email`, `Phone`, `Notes`), licence and source.
"""

# --------------------------------------------------------------------------- vocabulary

#: canonical item -> spelling variants seen in the wild (simple synonyms and case)
ITEMS: dict[str, list[str]] = {
    "meeting room": ["Meeting room", "Meeting space", "meeting space"],
    "kitchen": ["Kitchen", "community kitchen"],
    "minibus": ["Minibus", "mini-bus"],
    "volunteers": ["Volunteers"],
    "IT skills": ["IT support", "it skills"],
    "funding advice": ["Funding advice", "Fundraising advice"],
    "translation": ["Translation", "interpreting"],
    "legal advice": ["Legal advice"],
    "storage": ["Storage space"],
    "training": ["Training"],
    "food": ["Food", "surplus food"],
    "office space": ["Office space", "desk space"],
    "mentoring": ["Mentoring"],
    "safeguarding training": ["Safeguarding training"],
    "garden space": ["Garden", "growing space"],
    "publicity": ["Publicity", "social media help"],
    "DBS checks": ["DBS checks"],
    "data skills": ["Data skills", "data analysis"],
}
ITEM_KEYS = list(ITEMS)

THEMES = ["food", "youth", "older people", "refugees", "housing", "health", "arts",
          "environment", "employment", "advice", "disability", "women", "faith",
          "sport", "digital inclusion", "mental health", "carers", "equalities"]

GROUP_KINDS: list[tuple[str, list[str]]] = [
    ("Food Bank", ["food", "poverty"]),
    ("Youth Project", ["youth"]),
    ("Women's Group", ["women", "equalities"]),
    ("Tenants' Association", ["housing"]),
    ("Community Garden", ["environment", "food"]),
    ("Men's Shed", ["older people", "mental health"]),
    ("Refugee Welcome", ["refugees", "equalities"]),
    ("Elders' Lunch Club", ["older people", "food"]),
    ("Arts Collective", ["arts"]),
    ("Mutual Aid", ["poverty", "food"]),
    ("Carers' Circle", ["carers", "health"]),
    ("Community Football Club", ["sport", "youth"]),
    ("Homework Club", ["youth", "education"]),
    ("Deaf Club", ["disability", "equalities"]),
    ("Wellbeing Peer Support", ["mental health", "health"]),
    ("Repair Café", ["environment"]),
    ("Somali Parents' Group", ["equalities", "youth"]),
    ("Advice Drop-in", ["advice"]),
    ("Pensioners' Forum", ["older people"]),
    ("Faith Forum", ["faith"]),
    ("LGBTQ+ Social", ["equalities"]),
    ("Disabled People's Group", ["disability", "equalities"]),
]
SE_KINDS: list[tuple[str, list[str]]] = [
    ("Community Café", ["food"]),
    ("Bike Workshop CIC", ["environment", "employment"]),
    ("Print Co-op", ["arts", "employment"]),
    ("Community Energy", ["environment"]),
    ("Furniture Reuse", ["environment", "poverty"]),
    ("Catering CIC", ["food", "employment"]),
    ("Digital Inclusion CIC", ["digital inclusion"]),
    ("Laundry Co-op", ["employment"]),
]
FIRST = ["Amara", "Tom", "Priya", "Kwame", "Sofia", "Declan", "Fatima", "Grace", "Tunde",
         "Hannah", "Marek", "Yusuf", "Bethany", "Ravi", "Chloe", "Efua", "Liam", "Nadia",
         "Ade", "Rosa", "Imran", "Joy", "Callum", "Shanice", "Tariq", "Ewa"]
LAST = ["Okafor", "Keane", "Raman", "Mensah", "Albescu", "Whelan", "Hussain", "Achterberg",
        "Balogun", "Pryce", "Nowicki", "Demir", "Fairweather", "Thakkar", "Lindqvist",
        "Boateng", "Carrow", "Haddad", "Adeyemi", "Quayle", "Siddiqui", "Ferreira",
        "McAllister", "Osei", "Tarrant", "Zielinska"]
ROLES = ["community organiser", "network coordinator", "volunteer connector", "trustee",
         "outreach worker", "youth worker"]
NOTES = ["Coordinator changed in spring; check contact.", "Meets monthly, first Tuesday.",
         "Funding ends March; may close.", "Prefers phone to email.",
         "Asked not to be listed on public materials.", "Met at the Our Way Ahead event."]

# The LVSC story depends on a handful of named elements; they are hand-written below.


def _items(rng: random.Random, n: int, variant_p: float = 0.3,
           prefer: list[str] | None = None) -> list[str]:
    keys = list(prefer or []) + [k for k in ITEM_KEYS if k not in (prefer or [])]
    chosen: list[str] = []
    for k in keys:
        if len(chosen) >= n:
            break
        if k in (prefer or []) or rng.random() < 0.18:
            chosen.append(k)
    out = []
    for k in chosen:
        out.append(rng.choice(ITEMS[k]) if rng.random() < variant_p else k)
    return out


def _weighted_pick(rng: random.Random, pool: list[str], b: Builder, exclude: str) -> str | None:
    cands = [p for p in pool if p != exclude and frozenset((p, exclude)) not in b.pairs
             and frozenset((p, exclude)) not in b.forbidden]
    if not cands:
        return None
    weights = [(b.degree(c) + 1) ** 1.4 for c in cands]
    return rng.choices(cands, weights=weights, k=1)[0]


#: CVS and borough networks per region: (borough code, label, type)
REGION_HUBS: dict[str, list[tuple[str, str, str]]] = {
    "central": [("E09000033", "Westminster Third Sector Council", "CVS"),
                ("E09000022", "Lambeth Community Voluntary Hub", "CVS"),
                ("E09000007", "Camden Community Network", "Borough network"),
                ("E09000028", "Southwark Voluntary Sector Forum", "Borough network")],
    "east": [("E09000030", "Tower Hamlets Third Sector Council", "CVS"),
             ("E09000025", "Newham Community Voluntary Hub", "CVS"),
             ("E09000030", "Tower Hamlets Community Network", "Borough network"),
             ("E09000012", "Hackney Voluntary Sector Forum", "Borough network")],
    "north": [("E09000014", "Haringey Third Sector Council", "CVS"),
              ("E09000005", "Brent Community Voluntary Hub", "CVS"),
              ("E09000014", "Haringey Community Network", "Borough network"),
              ("E09000010", "Enfield Voluntary Sector Forum", "Borough network")],
    "south": [("E09000023", "Lewisham Third Sector Council", "CVS"),
              ("E09000008", "Croydon Community Voluntary Hub", "CVS"),
              ("E09000023", "Lewisham Community Network", "Borough network"),
              ("E09000032", "Wandsworth Voluntary Sector Forum", "Borough network")],
    "west": [("E09000009", "Ealing Third Sector Council", "CVS"),
             ("E09000018", "Hounslow Community Voluntary Hub", "CVS"),
             ("E09000009", "Ealing Community Network", "Borough network"),
             ("E09000013", "Hammersmith and Fulham Voluntary Sector Forum", "Borough network")],
}

#: Short IDs for elements whose label would make a long slug (IDs stay under 40 characters).
SHORT_IDS = {
    "Hammersmith and Fulham Voluntary Sector Forum": "hammersmith-fulham-forum",
    "Peckham and Bermondsey Community Enterprise Network": "peckham-bermondsey-network",
}

#: Groups whose only route to the rest of the map is LVSC: (label, type, borough, partner)
LVSC_ONLY: list[tuple[str, str, str, str | None]] = [
    ("London Kurdish Elders' Association", "Community group", "E09000019", None),
    ("Capital Deaf Arts", "Community group", "E09000012", None),
    ("Pan-London Hoarding Support Group", "Community group", "E09000022", None),
    ("London Care Leavers' Voice", "Network of networks", "E09000028", None),
    ("Roma Families Support Network", "Community group", "E09000025", None),
    ("London Chinese Women's Circle", "Community group", "E09000033", None),
    ("Capital Men's Health Forum", "Network of networks", "E09000007", None),
    ("London Bereavement Cafés Network", "Network of networks", "E09000023", None),
    ("London Traveller Voices", "Network of networks", "E09000031", "Traveller Youth Drama"),
    ("London Sight Loss Network", "Network of networks", "E09000032", "Blind Bowls Club of South London"),
    ("Capital Housing Co-ops Forum", "Network of networks", "E09000028", "Riverside Housing Co-op"),
]

#: Open triangles with a need/offer story: (borough, network label, needy, needs, offerer, offers)
TRIANGLES = [
    ("E09000030", "Tower Hamlets Community Network",
     ("Stepney Youth Project", "Youth Project", ["Meeting space", "funding advice"]),
     ("Limehouse Community Kitchen", "Community Café", ["Meeting room", "kitchen"])),
    ("E09000028", "Southwark Voluntary Sector Forum",
     ("Peckham Refugee Welcome", "Refugee Welcome", ["translation", "volunteers"]),
     ("Nunhead Language Exchange", "Arts Collective", ["Translation", "mentoring"])),
    ("E09000014", "Haringey Community Network",
     ("Tottenham Men's Shed", "Men's Shed", ["Minibus", "storage"]),
     ("Wood Green Elders' Lunch Club", "Elders' Lunch Club", ["minibus", "kitchen"])),
    ("E09000009", "Ealing Community Network",
     ("Southall Homework Club", "Homework Club", ["IT skills", "volunteers"]),
     ("Southall Digital Inclusion CIC", "Digital Inclusion CIC", ["IT support", "training"])),
]


def build_owa_2017() -> Builder:
    """Build the illustrative 2017 map (see the data card for the story)."""
    b = Builder(2017, "2017-07-31")
    rng = b.rng

    def contact(eid: str, org: bool = True) -> dict[str, str]:
        out = {"Email": f"hello@{eid}.example.org" if org else f"{eid}@example.org"}
        if rng.random() < 0.6:
            out["Phone"] = f"020 7946 0{rng.randint(0, 999):03d}"
        if rng.random() < 0.15:
            out["Notes"] = rng.choice(NOTES)
        return out

    def located(code: str, *, postcode_p: float = 0.6, point_p: float = 0.35) -> dict[str, str]:
        out = {"Borough": code}
        if rng.random() < postcode_p:
            out["Postcode"] = b.postcode(code)
        if rng.random() < point_p:
            lat, lon = b.point(code)
            out["Latitude"], out["Longitude"] = f"{lat:.5f}", f"{lon:.5f}"
        return out

    def org(label: str, type_: str, level: str, code: str, tags: list[str], description: str,
            *, assets: list[str] = (), needs: list[str] = (), offers: list[str] = (),
            eid: str | None = None, url: bool = True, stale: bool | None = None,
            postcode_p: float = 0.6, point_p: float = 0.35) -> str:
        eid = eid or slugify(label)
        if stale is None:
            stale = rng.random() < 0.12
        fields = located(code, postcode_p=postcode_p, point_p=point_p) if code else {}
        if url:  # fictional organisations get fictional contact details
            fields.update(contact(eid))
        return b.add(
            label, type_, eid=eid, Description=description, Tags="|".join(tags), Level=level,
            Assets="|".join(assets), Needs="|".join(needs), Offers="|".join(offers),
            Last_Verified=b.verified(stale), Visibility="public",
            URL=f"https://{eid}.example.org" if url else "", **fields)

    # ------------------------------------------------------------ pan-London bodies
    lvsc = org("LVSC", "Pan-London body", "pan-London", "E09000019",
               ["infrastructure", "policy", "networks"],
               "London Voluntary Service Council: pan-London support body linking borough CVSs, "
               "networks and thematic forums.", eid="lvsc", url=False, stale=False,
               assets=["meeting room", "training", "funding advice"],
               offers=["training", "funding advice", "meeting room", "publicity"],
               postcode_p=0, point_p=0)
    owa = org("Our Way Ahead", "Pan-London body", "pan-London", "E09000019",
              ["strategy", "networks"], "Partnership strategy for London's civil society; ran "
              "the 2017 network-mapping survey.", eid="our-way-ahead", url=False, stale=False,
              postcode_p=0, point_p=0)
    cl = org("Connecting Londoners", "Pan-London body", "pan-London", "E09000019", ["networks", "research"],
             "Pan-London initiative mapping and connecting civil-society networks.",
             eid="connecting-londoners", url=False, stale=False, postcode_p=0, point_p=0)
    glv = org("Greater London Volunteering", "Pan-London body", "pan-London", "E09000019",
              ["volunteering", "infrastructure"],
              "Pan-London body supporting volunteer centres and volunteering.",
              eid="greater-london-volunteering", url=False, stale=False,
              offers=["volunteers", "training", "DBS checks"], postcode_p=0, point_p=0)
    cbt = org("City Bridge Trust", "Funder", "pan-London", "E09000001", ["funding"],
              "Grant-making trust funding London charities.", eid="city-bridge-trust",
              url=False, stale=False, offers=["funding advice"], postcode_p=0, point_p=0)
    lmu = org("London Metropolitan University", "University", "pan-London", "E09000019",
              ["research", "education"],
              "University partner of the mapping; students research community networks.",
              eid="london-met", url=False, stale=False, assets=["meeting room"],
              offers=["data skills", "mentoring", "meeting room"], postcode_p=0, point_p=0)
    hub = org("The Hub for London", "Pan-London body", "pan-London", "E09000030", ["community business"],
              "Support hub for community businesses in London.", eid="hub-for-london",
              url=False, stale=False, postcode_p=0, point_p=0)
    loc = org("Locality", "Network of networks", "pan-London", "E09000019", ["community business", "networks"],
              "National network of community organisations.", eid="locality", url=False,
              stale=False, postcode_p=0, point_p=0)
    cuk = org("Co-operatives UK", "Network of networks", "pan-London", "E09000033", ["co-operatives"],
              "National network of co-operatives.", eid="co-operatives-uk", url=False,
              stale=False, postcode_p=0, point_p=0)
    ptc = org("Power to Change", "Funder", "pan-London", "E09000033", ["funding", "community business"],
              "Funder of community businesses.", eid="power-to-change", url=False, stale=False,
              postcode_p=0, point_p=0)
    sca = org("The Social Change Agency", "Social enterprise", "pan-London", "E09000030",
              ["networks", "training"], "Helps networks and movements organise.",
              eid="social-change-agency", url=False, stale=False, offers=["training"],
              postcode_p=0, point_p=0)
    sha = org("Shared Assets", "Social enterprise", "pan-London", "E09000022", ["environment", "land"],
              "Think-and-do tank for land and common assets.", eid="shared-assets", url=False,
              stale=False, offers=["garden space", "training"], postcode_p=0, point_p=0)

    bnf = org("Borough Networks Forum", "Network of networks", "pan-London", "E09000028",
              ["networks", "infrastructure"],
              "Informal forum where borough networks compare notes and campaign together.",
              eid="borough-networks-forum", stale=False, postcode_p=0, point_p=0)
    lea = org("London Equalities Alliance", "Network of networks", "pan-London", "E09000012",
              ["equalities", "networks"],
              "Network of equalities networks and user-led groups across London.",
              eid="london-equalities-alliance", stale=False, postcode_p=0, point_p=0)
    thematic = {
        "advice": org("London Advice Alliance", "Network of networks", "pan-London", "E09000033",
                      ["advice", "networks"], "Network of advice agencies.", stale=False,
                      offers=["legal advice", "training"]),
        "food": org("Capital Food Alliance", "Network of networks", "pan-London", "E09000022",
                    ["food", "poverty"], "Alliance of food banks, pantries and growers.",
                    stale=False, offers=["food"]),
        "youth": org("London Youth Voice Network", "Network of networks", "pan-London",
                     "E09000030", ["youth"], "Network of youth projects.", stale=False),
        "older people": org("London Older People's Forum", "Pan-London body", "pan-London",
                            "E09000007", ["older people"], "Forum of older people's groups.",
                            stale=False),
        "refugees": org("London Refugee Support Network", "Network of networks", "pan-London",
                        "E09000025", ["refugees"], "Network of refugee and migrant groups.",
                        stale=False, offers=["translation", "legal advice"]),
    }
    funders = {
        "ccf": org("Capital Community Fund", "Funder", "pan-London", "E09000001", ["funding"],
                   "Small-grants fund for London community groups.", stale=False),
        "rct": org("Riverside Charitable Trust", "Funder", "pan-London", "E09000032", ["funding"],
                   "Trust funding groups south of the river and in west London.", stale=False),
        "tlf": org("Thames Light Foundation", "Funder", "pan-London", "E09000030", ["funding"],
                   "Foundation funding east London community projects.", stale=False),
    }
    pan_public = org("London Community Safety Board", "Public body", "pan-London", "E09000033",
                     ["public sector", "safety"], "Pan-London public board on community safety.",
                     stale=False)

    # ------------------------------------------------------------ regions
    region_pool: dict[str, list[str]] = {}
    region_hubs: dict[str, dict[str, list[str]]] = {}
    hub_of_borough: dict[str, str] = {}
    groups_by_tag: dict[str, list[str]] = {}
    ses: list[str] = []
    used_labels: set[str] = set()
    triangle_ids: list[tuple[str, str, str]] = []

    for region, codes in REGIONS.items():
        pool: list[str] = []
        hubs = {"CVS": [], "Borough network": []}
        for code, label, type_ in REGION_HUBS[region]:
            kind = "council for voluntary service" if type_ == "CVS" else "borough network"
            eid = org(label, type_, "borough", code, ["infrastructure", "networks"],
                      f"The {kind} for {borough_name(code)}.", eid=SHORT_IDS.get(label),
                      assets=["meeting room"] + (["volunteers"] if type_ == "CVS" else []),
                      offers=_items(rng, 3, prefer=["funding advice", "training"] if type_ == "CVS"
                                    else ["publicity"]))
            hubs[type_].append(eid)
            if type_ == "Borough network":
                hub_of_borough.setdefault(code, eid)
            pool.append(eid)
        region_hubs[region] = hubs
        pub = org(f"{region.title()} London Community Health Board", "Public body", "borough",
                  codes[0], ["health", "public sector"],
                  f"Public health and care board working across {region} London.",
                  offers=["funding advice"])
        pool.append(pub)

        # hand-made open triangles first, so their names are taken
        for code, network_label, needy, offerer in TRIANGLES:
            if code not in codes:
                continue
            pair = []
            for (label, kind, items), is_needy in ((needy, True), (offerer, False)):
                type_ = "Social enterprise" if kind in dict(SE_KINDS) else "Community group"
                tags = dict(GROUP_KINDS + SE_KINDS)[kind]
                eid = org(label, type_, "grassroots", code, tags,
                          f"{kind} in {label.split()[0]}, {borough_name(code)}.",
                          needs=items if is_needy else [], offers=[] if is_needy else items,
                          assets=[] if is_needy else items[:1], stale=False,
                          postcode_p=1.0, point_p=1.0)
                used_labels.add(label)
                pair.append(eid)
                pool.append(eid)
                for t in tags:
                    groups_by_tag.setdefault(t, []).append(eid)
            b.forbidden.add(frozenset(pair))
            triangle_ids.append((slugify(network_label), pair[0], pair[1]))

        places = [(c, p) for c in codes for p in PLACES[c]]
        rng.shuffle(places)
        n_groups, n_ses = 17, 5
        made = 0
        i = 0
        while made < n_groups + n_ses:
            code, place = places[i % len(places)]
            i += 1
            is_se = made >= n_groups
            kind, tags = rng.choice(SE_KINDS if is_se else GROUP_KINDS)
            label = f"{place} {kind}"
            if label in used_labels:
                continue
            used_labels.add(label)
            eid = org(label, "Social enterprise" if is_se else "Community group", "grassroots",
                      code, tags, f"{kind} based in {place}, {borough_name(code)}.",
                      assets=_items(rng, rng.randint(0, 2)),
                      needs=[] if is_se else _items(rng, rng.randint(1, 3)),
                      offers=_items(rng, rng.randint(1, 3) if is_se else rng.randint(0, 2)))
            pool.append(eid)
            if is_se:
                ses.append(eid)
            for t in tags:
                groups_by_tag.setdefault(t, []).append(eid)
            made += 1

        if region == "east":
            for label, code in (("Eastside Food Network", "E09000030"),
                                ("East Side Food Network", "E09000025")):
                eid = org(label, "Community group", "grassroots", code, ["food", "poverty"],
                          "Food network of pantries and food banks in east London.",
                          offers=["food"], needs=["storage", "volunteers"], postcode_p=1.0)
                pool.append(eid)
                groups_by_tag.setdefault("food", []).append(eid)

        # people who connect things
        for _ in range(2):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            while slugify(name) in b.elements:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            code = rng.choice(codes)
            eid = b.add(name, "Person", Description=f"Independent {rng.choice(ROLES)} in "
                        f"{borough_name(code)}.", Tags="connector", Level="grassroots",
                        Borough=code, Last_Verified=b.verified(rng.random() < 0.15),
                        Visibility="public", Consent="yes" if rng.random() < 0.7 else "no",
                        **contact(slugify(name), org=False))
            pool.append(eid)
        region_pool[region] = pool

    # ------------------------------------------------------------ ties within regions
    for region, pool in region_pool.items():
        hubs = region_hubs[region]
        nets = hubs["Borough network"]
        cvss = hubs["CVS"]
        for a in cvss:
            for n in nets:
                b.tie(a, n, "Information sharing", 3)
        pub = [e for e in pool if b.elements[e]["Type"] == "Public body"][0]
        for h in cvss + nets:
            b.tie(h, pub, "Partnership", rng.randint(2, 3))
        b.tie(cvss[0], cvss[1], "Partnership", 3)
        for net_id, x, y in triangle_ids:
            if net_id in nets:
                b.tie(x, net_id, "Membership", 3)
                b.tie(y, net_id, "Membership", 3)
        for e in pool:
            t = b.elements[e]["Type"]
            if t not in ("Community group", "Social enterprise"):
                continue
            code = b.elements[e]["Borough"]
            net = hub_of_borough.get(code)
            if net not in nets:
                net = rng.choice(nets)
            if rng.random() < 0.85:
                b.tie(e, net, "Membership", rng.randint(2, 4))
            if rng.random() < 0.45:
                b.tie(e, rng.choice(cvss), "Membership", rng.randint(2, 3))
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
                other = _weighted_pick(rng, pool, b, e)
                if other is None:
                    continue
                ctype = rng.choices(["Partnership", "Referral", "Information sharing",
                                     "Shared premises"], weights=[4, 3, 3, 1])[0]
                b.tie(e, other, ctype, rng.randint(1, 4))
        for e in pool:
            if b.elements[e]["Type"] != "Person":
                continue
            for _ in range(rng.randint(5, 8)):
                other = _weighted_pick(rng, pool, b, e)
                if other:
                    b.tie(e, other, rng.choice(["Information sharing", "Partnership"]),
                          rng.randint(2, 4))

    # ------------------------------------------------------------ LVSC, the hub
    all_hubs = [h for r in region_hubs.values() for k in ("CVS", "Borough network") for h in r[k]]
    for h in all_hubs:
        b.tie(h, lvsc, "Membership", 5 if b.elements[h]["Type"] == "CVS" else 4)
    for region, pool in region_pool.items():
        grassroots = [e for e in pool if b.elements[e]["Type"] == "Community group"]
        for e in rng.sample(grassroots, 2):
            b.tie(e, lvsc, "Membership", 3)
        pub = [e for e in pool if b.elements[e]["Type"] == "Public body"][0]
        b.tie(pub, lvsc, "Information sharing", 3)
    b.tie(lvsc, owa, "Partnership", 5, description="LVSC hosted the Our Way Ahead partnership")
    b.tie(lvsc, cl, "Partnership", 4)
    b.tie(lvsc, glv, "Information sharing", 3)
    b.tie(cbt, lvsc, "Funding", 4, description="Core grant")
    b.tie(lvsc, lmu, "Partnership", 4, description="Mapping survey and student placements")
    b.tie(lvsc, hub, "Information sharing", 2)
    b.tie(lvsc, pan_public, "Information sharing", 3)
    for net in thematic.values():
        b.tie(net, lvsc, "Membership", 4)
    # groups and networks whose only way in is LVSC
    lvsc_only: list[str] = []
    for label, type_, code, partner in LVSC_ONLY:
        level = "pan-London" if type_ == "Network of networks" else "grassroots"
        tags = ["equalities"] if rng.random() < 0.5 else ["health"]
        eid = org(label, type_, level, code, tags, f"{type_} working across London.",
                  needs=_items(rng, 2), postcode_p=0.5, point_p=0.3)
        b.tie(eid, lvsc, "Membership", rng.randint(3, 5))
        lvsc_only.append(eid)
        if partner:
            pid = org(partner, "Community group", "grassroots", code, tags,
                      f"Community group linked to {label}.", needs=_items(rng, 1))
            b.tie(pid, eid, "Membership", 4)
            lvsc_only.append(pid)

    # ------------------------------------------------------------ the networks that step up
    for region in REGIONS:
        for n in region_hubs[region]["Borough network"]:
            b.tie(n, bnf, "Membership", 2)
    b.tie(bnf, glv, "Information sharing", 2)
    b.tie(bnf, owa, "Partnership", 2)
    b.tie(sca, bnf, "Partnership", 2, description="Facilitates forum meetings")
    b.tie(lea, owa, "Partnership", 2)
    b.tie(lea, bnf, "Information sharing", 1)
    eq = sorted(set(groups_by_tag.get("equalities", []) + groups_by_tag.get("disability", [])))
    for e in rng.sample(eq, min(12, len(eq))):
        b.tie(e, lea, "Membership", 2)
    for region in ("east", "south"):
        b.tie(region_hubs[region]["CVS"][0], lea, "Membership", 2)
    for region in REGIONS:
        b.tie(region_hubs[region]["CVS"][0], glv, "Membership", 2)
    # thematic networks draw members across regions
    for theme, net in thematic.items():
        members = sorted(set(groups_by_tag.get(theme, [])))
        for e in rng.sample(members, min(len(members), rng.randint(5, 8))):
            b.tie(e, net, "Membership", 2)
    # a couple of CVSs with ties across sub-regions
    rh = region_hubs
    b.tie(rh["east"]["CVS"][0], rh["central"]["CVS"][0], "Partnership", 2)
    b.tie(rh["east"]["CVS"][0], rh["north"]["Borough network"][0], "Information sharing", 2)
    b.tie(rh["south"]["CVS"][0], rh["central"]["Borough network"][1], "Partnership", 2)
    b.tie(rh["west"]["CVS"][0], rh["north"]["CVS"][1], "Partnership", 2)

    # ------------------------------------------------------------ funders and the rest
    grassroots_all = [e for p in region_pool.values() for e in p
                      if b.elements[e]["Type"] in ("Community group", "Social enterprise")]
    for e in rng.sample(grassroots_all, 12):
        b.tie(cbt, e, "Funding", 2)
    for e in rng.sample(grassroots_all, 10):
        b.tie(funders["ccf"], e, "Funding", 2)
    south_west = [e for r in ("south", "west") for e in region_pool[r]
                  if b.elements[e]["Type"] in ("Community group", "Social enterprise")]
    for e in rng.sample(south_west, 6):
        b.tie(funders["rct"], e, "Funding", 2)
    east = [e for e in region_pool["east"]
            if b.elements[e]["Type"] in ("Community group", "Social enterprise")]
    for e in rng.sample(east, 6):
        b.tie(funders["tlf"], e, "Funding", 2)
    for e in rng.sample(ses, 4):
        b.tie(ptc, e, "Funding", 3)
    b.tie(ptc, loc, "Funding", 3)
    b.tie(ptc, hub, "Funding", 3)
    b.tie(hub, loc, "Partnership", 2)
    b.tie(cuk, loc, "Information sharing", 2)
    for e in rng.sample(ses, 3):
        b.tie(e, loc, "Membership", 2)
    coops = [e for e in ses if "Co-op" in b.elements[e]["Label"]] or ses[:2]
    for e in coops[:3]:
        b.tie(e, cuk, "Membership", 2)
    gardens = [e for e in grassroots_all if "Garden" in b.elements[e]["Label"]]
    for e in gardens[:2]:
        b.tie(sha, e, "Partnership", 2)
    b.tie(owa, cl, "Partnership", 4)
    b.tie(lmu, cl, "Partnership", 3, description="Research partner")
    # the university's students are placed with borough networks and CVSs across London
    for region, k in (("east", "Borough network"), ("south", "CVS"), ("central", "Borough network"),
                      ("north", "CVS")):
        b.tie(lmu, rh[region][k][0], "Partnership", 1, description="Student placements")
    b.tie(cl, bnf, "Information sharing", 1)
    b.tie(cl, lea, "Information sharing", 1)
    b.tie(cbt, owa, "Funding", 3)
    b.tie(glv, pan_public, "Information sharing", 1)

    # ------------------------------------------------------------ isolates and quality issues
    for label, code in (("Harrow Weald Allotment Society", "E09000015"),
                        ("Thamesmead Kite Club", "E09000011"),
                        ("Kenley Bell Ringers", "")):
        org(label, "Community group", "grassroots", code, ["leisure"],
            "Appeared in the survey but named no ties.", stale=True)

    # some borough names written in words, as people do
    done: set[str] = set()
    for e in list(b.elements.values()):
        code = e["Borough"]
        if e["Type"] in ("Community group", "Social enterprise") and code in BOROUGH_SPELLINGS:
            spellings = BOROUGH_SPELLINGS[code]
            for s in spellings:
                if s not in done:
                    e["Borough"] = s
                    done.add(s)
                    break
    # missing borough for a couple more
    cands = [e for e in b.elements.values()
             if e["Type"] == "Community group" and e["Borough"].startswith("E09")
             and e["ID"] not in {x for t in triangle_ids for x in t}]
    for e in rng.sample(cands, 2):
        e["Borough"], e["Postcode"], e["Latitude"], e["Longitude"] = "", "", "", ""
    # a few private elements
    for e in rng.sample([e for e in b.elements.values() if e["Type"] == "Community group"
                         and "Women" in e["Label"]] or cands[:1], 1):
        e["Visibility"] = "private"
        e["Notes"] = "Refuge address must stay confidential."
    peer = [e for e in b.elements.values() if "Peer Support" in e["Label"]]
    if peer:
        peer[0]["Visibility"] = "private"
    people = [e for e in b.elements.values() if e["Type"] == "Person"]
    people[0]["Visibility"] = "private"
    b.number_connections()
    b.lvsc_only = lvsc_only  # type: ignore[attr-defined]
    b.triangles = triangle_ids  # type: ignore[attr-defined]
    return b



# --------------------------------------------------------------------------- owa-2018

#: Renamed a year later: ID -> new label (same ID, so the maps can be compared)
RENAMES_2018 = {
    "capital-food-alliance": "London Food Justice Alliance",
    "london-youth-voice-network": "London Young People's Network",
    "limehouse-community-kitchen": "Limehouse Kitchen Collective",
    "tower-hamlets-third-sector-council": "Tower Hamlets Third Sector Partnership",
}


def build_owa_2018(b17: Builder) -> Builder:
    """The 2017 map a year on: LVSC closed, some groups closed or renamed, new ties and members."""
    b = Builder(2018, "2018-07-31")
    rng = b.rng
    b.elements = {k: dict(v) for k, v in b17.elements.items()}
    b.connections = [dict(c) for c in b17.connections]
    b.forbidden = set(b17.forbidden)
    b.lvsc_only = list(b17.lvsc_only)  # type: ignore[attr-defined]
    next_id = [len(b17.connections)]

    def drop(ids: set[str]) -> None:
        for i in ids:
            b.elements.pop(i, None)
        b.connections = [c for c in b.connections if c["From"] not in ids and c["To"] not in ids]

    # LVSC went into liquidation in 2018
    drop({"lvsc"})
    gone = rng.sample(sorted(b17.lvsc_only), 3)
    grassroots = sorted(e for e, r in b.elements.items()
                        if r["Type"] in ("Community group", "Social enterprise")
                        and e not in b17.lvsc_only
                        and e not in {x for t in b17.triangles for x in t}
                        and "food-network" not in e)
    gone += rng.sample(grassroots, 7)
    closed = sorted(gone)
    drop(set(closed))
    b.closed = closed  # type: ignore[attr-defined]

    # some ties ended, some got stronger or weaker
    ended = set(rng.sample(range(len(b.connections)), 35))
    b.connections = [c for i, c in enumerate(b.connections) if i not in ended]
    for c in rng.sample(b.connections, 25):
        c["Strength"] = str(max(1, min(5, int(c["Strength"]) + rng.choice([-1, 1, 1]))))
    b.pairs = {frozenset((c["From"], c["To"])) for c in b.connections}

    for eid, label in RENAMES_2018.items():
        b.elements[eid]["Label"] = label
        b.elements[eid]["Notes"] = f"Renamed in 2018 (was {b17.elements[eid]['Label']})."
    cio = rng.sample([g for g in grassroots if g not in closed], 2)
    for eid in cio:
        b.elements[eid]["Label"] += " CIO"
    b.renamed = sorted(list(RENAMES_2018) + cio)  # type: ignore[attr-defined]

    def tie(a: str, c: str, type_: str, strength: int, description: str = "") -> None:
        if b.tie(a, c, type_, strength, description=description, since="2018"):
            next_id[0] += 1
            b.connections[-1]["ID"] = f"c{next_id[0]:03d}"

    # groups that had only LVSC find new homes in the networks that stepped up
    homes = ["borough-networks-forum", "london-equalities-alliance", "greater-london-volunteering"]
    survivors = [e for e in b17.lvsc_only if e in b.elements]
    rehomed = []
    for e in survivors:
        if rng.random() < 0.6 and b.degree(e) <= 1 and b.elements[e]["Type"] != "Community group" \
                or (b.elements[e]["Type"] == "Community group" and rng.random() < 0.4
                    and b.degree(e) == 0):
            tie(e, rng.choice(homes), "Membership", 3, "Joined after LVSC closed")
            rehomed.append(e)
    b.rehomed = rehomed  # type: ignore[attr-defined]

    # two introductions happened
    for net, x, y in b17.triangles[:2]:
        b.forbidden.discard(frozenset((x, y)))
        tie(x, y, "Shared premises" if "kitchen" in y else "Partnership", 3,
            "Introduced through their borough network")

    # new members
    regions = {r: [e for e, row in b.elements.items()
                   if row["Borough"] in codes and row["Type"] != "Person"]
               for r, codes in REGIONS.items()}
    hubs = {r: [e for e in pool if b.elements[e]["Type"] in ("CVS", "Borough network")]
            for r, pool in regions.items()}
    new_ids = []
    new_net = b.add("London Networks Collaborative", "Network of networks",
                    Description="Collaboration of pan-London and borough networks set up after "
                    "LVSC closed.", Tags="networks|infrastructure", Level="pan-London",
                    Borough="E09000019", Last_Verified=b.verified(), Visibility="public",
                    URL="https://london-networks-collaborative.example.org",
                    Email="hello@london-networks-collaborative.example.org")
    new_ids.append(new_net)
    for h in ("borough-networks-forum", "london-equalities-alliance",
              "greater-london-volunteering", "our-way-ahead", "london-advice-alliance"):
        tie(h, new_net, "Membership", 3)
    for region, codes in REGIONS.items():
        places = [(c, p) for c in codes for p in PLACES[c]]
        for _ in range(3):
            code, place = rng.choice(places)
            kind, tags = rng.choice(GROUP_KINDS)
            label = f"{place} {kind}"
            if slugify(label) in b.elements or slugify(label) in b17.elements:
                continue
            lat, lon = b.point(code)
            eid = b.add(label, "Community group", Description=f"{kind} set up in {place} in 2018.",
                        Tags="|".join(tags), Level="grassroots", Borough=code,
                        Postcode=b.postcode(code), Latitude=f"{lat:.5f}", Longitude=f"{lon:.5f}",
                        Needs="|".join(_items(rng, 2)), Last_Verified=b.verified(),
                        Visibility="public", URL=f"https://{slugify(label)}.example.org",
                        Email=f"hello@{slugify(label)}.example.org")
            new_ids.append(eid)
            tie(eid, rng.choice(hubs[region]), "Membership", 3)
            for _ in range(rng.randint(1, 3)):
                other = _weighted_pick(rng, regions[region], b, eid)
                if other:
                    tie(eid, other, rng.choice(["Partnership", "Referral", "Information sharing"]),
                        rng.randint(1, 3))
            regions[region].append(eid)
    b.new = new_ids  # type: ignore[attr-defined]

    # new ties among existing members
    for region, pool in regions.items():
        for _ in range(10):
            a = rng.choice(pool)
            other = _weighted_pick(rng, pool, b, a)
            if other:
                tie(a, other, rng.choice(["Partnership", "Referral", "Information sharing",
                                          "Shared premises"]), rng.randint(1, 4))
        for h in hubs[region]:
            if b.elements[h]["Type"] == "CVS":
                tie(h, "greater-london-volunteering", "Membership", 3)
    # re-verification in the 2018 survey round
    for e in b.elements.values():
        if e["ID"] in new_ids:
            continue
        if rng.random() < 0.7:
            e["Last Verified"] = b.verified()
    return b


# --------------------------------------------------------------------------- unlocking-networks

UNLOCKING_NETWORKS = [
    ("Camden Community Business Network", "E09000007"),
    ("Hackney Community Business Network", "E09000012"),
    ("Tower Hamlets Community Business Network", "E09000030"),
    ("Brixton Community Business Network", "E09000022"),
    ("Peckham and Bermondsey Community Enterprise Network", "E09000028"),
    ("Deptford Community Business Collective", "E09000023"),
    ("Croydon Community Business Network", "E09000008"),
    ("Brent Community Business Network", "E09000005"),
    ("Tottenham Community Business Network", "E09000014"),
    ("Walthamstow Community Business Network", "E09000031"),
    ("Newham Community Business Network", "E09000025"),
    ("Southall Community Business Network", "E09000009"),
    ("Woolwich Community Business Network", "E09000011"),
]
COMMUNITY_BUSINESSES = [
    "Community Pub", "Community Shop", "Bakery Co-op", "Community Energy", "Makerspace",
    "Community Hall", "Urban Farm", "Bike Kitchen", "Community Cinema", "Repair Shop",
    "Community Café", "Food Co-op", "Print Studio", "Community Laundrette",
]
#: Borough of each support provider's London base (as in owa-2017)
PROVIDER_BOROUGH = {
    "power-to-change": "E09000033", "locality": "E09000019", "co-operatives-uk": "E09000033",
    "social-change-agency": "E09000030", "shared-assets": "E09000022", "hub-for-london": "E09000030",
}
SUPPORT_PROVIDERS = [
    ("power-to-change", "Power to Change", "Funder", "Funds community businesses and the "
     "Unlocking Networks programme."),
    ("locality", "Locality", "Network of networks", "National network of community "
     "organisations; peer-learning support."),
    ("co-operatives-uk", "Co-operatives UK", "Network of networks", "Network of co-operatives; "
     "governance and ownership advice."),
    ("social-change-agency", "The Social Change Agency", "Social enterprise",
     "Network facilitation and training for the peer networks."),
    ("shared-assets", "Shared Assets", "Social enterprise", "Advice on land, buildings and "
     "common assets."),
    ("hub-for-london", "The Hub for London", "Pan-London body", "London support hub for community "
     "businesses."),
]


def build_unlocking_networks() -> Builder:
    """Thirteen community-business peer networks, their members and support providers."""
    b = Builder(1313, "2019-03-31")
    rng = b.rng
    for eid, label, type_, desc in SUPPORT_PROVIDERS:
        b.add(label, type_, eid=eid, Description=desc, Tags="community business|support",
              Level="pan-London", Borough=PROVIDER_BOROUGH[eid], Last_Verified=b.verified(),
              Visibility="public")
    networks = []
    members_of: dict[str, list[str]] = {}
    for label, code in UNLOCKING_NETWORKS:
        eid = b.add(label, "Borough network", eid=SHORT_IDS.get(label),
                    Description="Peer network of community "
                    f"businesses in {borough_name(code)}.", Tags="community business|peer network",
                    Level="borough", Borough=code, Last_Verified=b.verified(), Visibility="public",
                    URL=f"https://{slugify(label)}.example.org",
                    Email=f"hello@{slugify(label)}.example.org")
        networks.append(eid)
        members_of[eid] = []
        b.tie("power-to-change", eid, "Funding", 4, description="Unlocking Networks grant")
        for prov in rng.sample(["locality", "co-operatives-uk", "social-change-agency",
                                "shared-assets", "hub-for-london"], rng.randint(1, 2)):
            b.tie(prov, eid, "Partnership", rng.randint(2, 4), description="Programme support")
        places = PLACES[code]
        for kind in rng.sample(COMMUNITY_BUSINESSES, rng.randint(4, 6)):
            place = rng.choice(places)
            mlabel = f"{place} {kind}"
            if slugify(mlabel) in b.elements:
                continue
            lat, lon = b.point(code)
            mid = b.add(mlabel, "Social enterprise", Description=f"{kind} run by and for people "
                        f"in {place}.", Tags="community business", Level="grassroots",
                        Borough=code, Postcode=b.postcode(code), Latitude=f"{lat:.5f}",
                        Longitude=f"{lon:.5f}", Assets="|".join(_items(rng, 2)),
                        Needs="|".join(_items(rng, 2)), Offers="|".join(_items(rng, 2)),
                        Last_Verified=b.verified(rng.random() < 0.1), Visibility="public",
                        Email=f"hello@{slugify(mlabel)}.example.org")
            b.tie(mid, eid, "Membership", rng.randint(3, 5))
            members_of[eid].append(mid)
        for a in members_of[eid]:
            other = rng.choice(members_of[eid])
            b.tie(a, other, rng.choice(["Partnership", "Shared premises", "Referral"]),
                  rng.randint(2, 4))
    for _ in range(14):
        a, c = rng.sample(networks, 2)
        b.tie(a, c, "Information sharing", rng.randint(1, 3), description="Peer exchange visit")
    all_members = [m for ms in members_of.values() for m in ms]
    for m in rng.sample(all_members, 6):
        b.tie(m, rng.choice(networks), "Membership", 2)
    for m in rng.sample(all_members, 5):
        b.tie("power-to-change", m, "Funding", 3, description="Community business grant")
    b.tie("power-to-change", "locality", "Funding", 4)
    b.tie("locality", "co-operatives-uk", "Information sharing", 3)
    b.tie("hub-for-london", "locality", "Partnership", 3)
    b.tie("social-change-agency", "power-to-change", "Partnership", 3)
    b.number_connections()
    return b



# --------------------------------------------------------------------------- owa-survey-2017

SURVEY_COLUMNS = [
    "Timestamp",
    "Email address",
    "Name of your organisation or group",
    "Which borough are you based in?",
    "Your role",
    "What type of organisation are you?",
    "Which networks are you a member of?",
    "Which organisations do you work with most?",
    "What does your organisation need?",
    "What could you offer other groups?",
    "I agree that my organisation's name and answers can appear on the network map",
    "Anything else you would like to tell us?",
]
SURVEY_TYPES = {
    "Community group": "Community / voluntary group", "Social enterprise": "Social enterprise",
    "CVS": "CVS / infrastructure", "Pan-London body": "Pan-London organisation",
    "Borough network": "Network or forum", "Network of networks": "Network or forum",
    "Funder": "Funder", "Public body": "Public sector", "University": "University / research",
}
#: How people really write some names (hand-collected kinds of variation).
KNOWN_VARIANTS = {
    "lvsc": ["LVSC", "L.V.S.C", "lvsc", "London Voluntary Service Council",
             "Londons Voluntary Service Council", "LVSC (London Voluntary Service Council)",
             "London Voluntary Services Council"],
    "greater-london-volunteering": ["GLV", "Greater London Volunteering", "Greater London Volunteers",
                                    "greater london volunteering"],
    "borough-networks-forum": ["Borough Networks Forum", "BNF", "Borough Network Forum",
                               "the borough networks forum"],
    "city-bridge-trust": ["City Bridge Trust", "City Bridge", "CBT", "Citybridge Trust"],
    "london-met": ["London Metropolitan University", "London Met", "London Metropolitan Uni",
                   "LMU"],
    "our-way-ahead": ["Our Way Ahead", "OWA", "our way ahead"],
    "london-equalities-alliance": ["London Equalities Alliance", "London Equality Alliance",
                                   "Ldn Equalities Alliance"],
}
ABBREVIATE = [("Third Sector Council", "TSC"), ("Voluntary Sector Forum", "VSF"),
              ("Community Voluntary Hub", "CVH"), ("Association", "Assoc."),
              (" and ", " & "), ("Community", "Comm."), ("London", "Ldn")]


def variant(rng: random.Random, eid: str, label: str) -> str:
    """Write a label the way a survey respondent might."""
    if eid in KNOWN_VARIANTS and rng.random() < 0.75:
        return rng.choice(KNOWN_VARIANTS[eid])
    r = rng.random()
    if r < 0.45:
        return label
    if r < 0.57:
        return label.lower()
    if r < 0.62:
        return "  " + label.replace(" ", "  ", 1) + " "
    if r < 0.77:  # a typo: drop or swap a letter inside a longer word
        words = label.split(" ")
        long = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
        if long:
            i = rng.choice(long)
            w = words[i]
            j = rng.randint(1, len(w) - 3)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:] if rng.random() < 0.5 else w[:j] + w[j + 1:]
            return " ".join(words)
        return label
    if r < 0.9:
        for long, short in ABBREVIATE:
            if long in label:
                return label.replace(long, short, 1)
        return label.replace("'", "")
    if label.startswith("The "):
        return label[4:]
    return label.replace("'", "").replace("-", " ")


def build_survey(b17: Builder) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Return (survey rows, answer key rows) for the 2017 survey behind owa-2017."""
    rng = random.Random(20170614)
    elements = b17.elements
    member_of: dict[str, list[str]] = {e: [] for e in elements}
    works_with: dict[str, list[str]] = {e: [] for e in elements}
    for c in b17.connections:
        a, t = c["From"], c["To"]
        if c["Type"] == "Membership":
            member_of[a].append(t)
        elif c["Type"] in ("Partnership", "Referral", "Information sharing", "Shared premises"):
            works_with[a].append(t)
            works_with[t].append(a)
    respondents = [e for e, r in elements.items()
                   if r["Type"] not in ("Person",) and (member_of[e] or works_with[e]
                                                        or not any(e in p for p in b17.pairs))]
    respondents = [e for e in respondents if rng.random() < 0.85 or not member_of[e]]
    rng.shuffle(respondents)
    twice = rng.sample(respondents, 8)
    order = respondents + twice
    rng.shuffle(order)
    start = dt.datetime(2017, 5, 15, 9, 0, 0)
    stamps = sorted(start + dt.timedelta(seconds=rng.randint(0, 45 * 24 * 3600)) for _ in order)
    rows, key = [], []
    seen: set[str] = set()
    for n, (eid, when) in enumerate(zip(order, stamps), start=2):
        e = elements[eid]
        again = eid in seen
        seen.add(eid)
        org_name = variant(rng, eid, e["Label"]) if not again else e["Label"].lower()
        key.append({"row": str(n), "question": "organisation", "raw": org_name, "ID": eid})
        nets = [t for t in member_of[eid]]
        net_text = []
        for t in nets:
            raw = variant(rng, t, elements[t]["Label"])
            net_text.append(raw)
            key.append({"row": str(n), "question": "networks", "raw": raw, "ID": t})
        partners = sorted(set(works_with[eid]))
        rng.shuffle(partners)
        partners = partners[: rng.randint(1, 4)] if partners else []
        partner_raw = []
        for t in partners:
            raw = variant(rng, t, elements[t]["Label"])
            partner_raw.append(raw)
            key.append({"row": str(n), "question": "work_with", "raw": raw.strip(), "ID": t})
        if len(partner_raw) > 1:
            sep = rng.choice([", ", ", ", "; ", "\n"])
            text = sep.join(partner_raw[:-1]) + rng.choice([" and ", ", ", " & "]) + partner_raw[-1]
        else:
            text = "".join(partner_raw)
        code = e["Borough"]
        if re.fullmatch(r"E09\d{6}", code or ""):
            bname = borough_name(code)
            borough = rng.choice([bname, bname, bname.lower(), f"LB {bname}",
                                  f"London Borough of {bname}", bname.replace(" and ", " & ")])
        else:
            borough = code or rng.choice(["", "Pan-London", "All of London"])
        rows.append({
            "Timestamp": when.strftime("%d/%m/%Y %H:%M:%S"),
            "Email address": f"{rng.choice(['info', 'hello', 'admin', 'coordinator'])}@{eid}.example.org",
            "Name of your organisation or group": org_name,
            "Which borough are you based in?": borough,
            "Your role": rng.choice(["Coordinator", "Chair", "Volunteer", "Manager", "Trustee",
                                     "Development worker", "CEO", "coordinator"]),
            "What type of organisation are you?": SURVEY_TYPES.get(e["Type"], "Other"),
            "Which networks are you a member of?": "; ".join(net_text),
            "Which organisations do you work with most?": text,
            "What does your organisation need?": ", ".join(split_cell(e["Needs"])),
            "What could you offer other groups?": ", ".join(split_cell(e["Offers"])),
            "I agree that my organisation's name and answers can appear on the network map":
                "Yes" if rng.random() < 0.93 else "",
            "Anything else you would like to tell us?":
                ("Sorry, filled this in twice - this one is up to date." if again else
                 rng.choice(["", "", "", "", "Please keep us posted about the map.",
                             "We lost our LVSC contact, who should we talk to?",
                             "Thanks for doing this!"])),
        })
    return rows, key


def split_cell(cell: str) -> list[str]:
    return [v for v in cell.split("|") if v]


# --------------------------------------------------------------------------- data cards

def _stale(b: Builder) -> int:
    cutoff = (b.map_date - dt.timedelta(days=365)).isoformat()
    return sum(1 for e in b.elements.values() if e["Last Verified"] and e["Last Verified"] < cutoff)


def _quality_lines(b: Builder) -> list[str]:
    elements = list(b.elements.values())
    named = [e for e in elements if e["Borough"] and not re.fullmatch(r"E09\d{6}", e["Borough"])]
    return [
        f"- {_stale(b)} elements were last verified more than a year before the map date.",
        f"- {sum(1 for e in elements if not e['Borough'])} elements have no borough; "
        f"{len(named)} give their borough as a name in one of the spellings people use "
        f"(for example {', '.join(repr(e['Borough']) for e in named[:3])}) instead of an ONS code.",
        f"- {sum(1 for e in elements if e['Visibility'] == 'private')} elements are private and "
        f"{sum(1 for e in elements if e['Type'] == 'Person' and e['Consent'] == 'no')} people "
        "have not consented to be shown: a public report leaves them out.",
        f"- {sum(1 for e in elements if e['Postcode'])} elements have a postcode and "
        f"{sum(1 for e in elements if e['Latitude'])} have coordinates (postcodes are "
        "plausible-looking but made up).",
    ]


SOURCE_2017 = ("Illustrative data generated by datasets/scripts/generate.py for cop_toolkit, in the spirit "
               "of the Our Way Ahead network-mapping survey map of July 2017.")


def card_owa_2017(b: Builder) -> str:
    isolates = [e["Label"] for e in b.elements.values() if b.degree(e["ID"]) == 0]
    story = lvsc_story(b)
    fore = "; ".join(f"*{label}* {r0} → {r1}" for label, r0, r1 in story["fore"])
    return f"""# owa-2017: London civil-society networks, July 2017 (illustrative)

An **illustrative** network map in the spirit of the map that came out of the *Our Way Ahead*
network-mapping survey of July 2017: pan-London infrastructure bodies, borough networks and
councils for voluntary service (CVS), networks of networks, community groups, social
enterprises, funders, public bodies, a university and some individual connectors.

## Provenance, and what is illustrative
- Generated by `datasets/scripts/generate.py` (fixed seed; rerunning it gives byte-identical files).
- **All ties are illustrative.** They are not a record of who really worked with whom.
- Real names are used only for these bodies: {", ".join(REAL_NAMES)}. Every other organisation
  and every person is **fictional**; any likeness to a real group or person is a coincidence.
  People's names are invented; emails use `example.org` and phone numbers the
  Ofcom drama range (020 7946 0xxx).
- Sub-regional clusters (central, east, north, south, west London) are joined mainly through
  LVSC, plus pan-London thematic networks, funders and a few cross-borough partnerships.

## The story in the data
- **LVSC** (`lvsc`) is the pan-London hub: it has the most connections and the highest
  betweenness.
- {len(story["cut_off"])} groups and networks reach the rest of the map **only through LVSC**;
  remove LVSC (as happened when it closed in 2018) and they are cut off.
- Without LVSC, other networks **come to the fore** (betweenness rank with distance = 1/strength,
  before → after removing LVSC): {fore}. The *Borough Networks Forum* becomes the map's main
  broker and the *London Equalities Alliance* (an equalities network of networks) moves up.
- Open triangles with a story for introductions: pairs of groups in the same borough network,
  near each other, where one offers what the other needs (for example *Stepney Youth Project*
  needs a meeting space, *Limehouse Community Kitchen* offers a meeting room).
- Deliberate data-quality issues, for the upkeep lessons:
{chr(10).join("  " + line for line in _quality_lines(b))}
  - A suspected duplicate pair with near-identical labels: *Eastside Food Network* and *East
    Side Food Network*.
  - {len(isolates)} isolates (elements with no connections): {", ".join(isolates)}.

## Counts
{counts_table(b)}

{FIELDS_DOC}
## Licence
{LICENCE} Borough codes are ONS codes (Open Government Licence v3.0).
"""


def meta(name: str, date: str, description: str, source: str) -> dict[str, object]:
    return {
        "name": name,
        "date": date,
        "description": description,
        "private_fields": PRIVATE_FIELDS,
        "licence": LICENCE,
        "source": source,
    }


def _graph(b: Builder):
    """Undirected graph as NetworkMap.to_networkx builds it (summed strength, distance = 1/weight)."""
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(b.elements)
    for c in b.connections:
        a, t = c["From"], c["To"]
        if a == t:
            continue
        w = float(c["Strength"] or 1)
        if G.has_edge(a, t):
            G[a][t]["weight"] += w
        else:
            G.add_edge(a, t, weight=w)
    for _, _, d in G.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    return G


def lvsc_story(b: Builder) -> dict[str, object]:
    """Measure the LVSC story: top broker, who is cut off, who comes to the fore."""
    import networkx as nx

    G = _graph(b)
    before = nx.betweenness_centrality(G, weight="distance")
    H = G.copy()
    H.remove_node("lvsc")
    after = nx.betweenness_centrality(H, weight="distance")

    def ranks(bc: dict[str, float]) -> dict[str, int]:
        order = sorted(bc, key=lambda k: (-bc[k], k))
        return {k: i + 1 for i, k in enumerate(order)}

    rb, ra = ranks(before), ranks(after)
    big = max(nx.connected_components(G), key=len)
    big_after = max(nx.connected_components(H), key=len)
    cut = sorted(big - big_after - {"lvsc"})
    networks = [e for e, r in b.elements.items() if e != "lvsc" and r["Type"] in
                ("Network of networks", "Borough network", "CVS", "Pan-London body")]
    fore = sorted(networks, key=lambda e: (-(rb[e] - ra[e]) if ra[e] <= 25 else 0, e))[:5]
    return {"top": max(before, key=lambda k: (before[k], k)), "cut_off": cut,
            "fore": [(b.elements[e]["Label"], rb[e], ra[e]) for e in fore]}


def card_owa_2018(b: Builder, b17: Builder) -> str:
    closed = ", ".join(b17.elements[e]["Label"] for e in b.closed)
    renamed = "; ".join(f"{b17.elements[e]['Label']} → {b.elements[e]['Label']}" for e in b.renamed)
    new_ties = sum(1 for c in b.connections if c["Since"] == "2018")
    return f"""# owa-2018: the same London map a year later, July 2018 (illustrative)

The `owa-2017` map one year on, for lessons on comparing snapshots. Element IDs are kept, so
`compare_maps(owa_2017(), owa_2018())` can tell renamed elements from new ones.

## Provenance, and what is illustrative
- Generated by `datasets/scripts/generate.py` from `owa-2017` (fixed seed; byte-identical on rerun).
- **All ties are illustrative**; real names only for: {", ".join(REAL_NAMES)}. Everyone else is
  fictional. LVSC really did close (it went into liquidation in 2018); the rest of what follows is
  invented for teaching.

## What changed since 2017
- **LVSC is gone**, with all its connections.
- {len(b.closed)} groups closed: {closed}.
- {len(b.renamed)} elements were renamed (same ID, new label): {renamed}.
- {len(b.new)} new elements, including the *London Networks Collaborative* (a network of
  networks set up after LVSC closed) and new community groups.
- {len(b.rehomed)} groups that used to reach the map only through LVSC joined the networks that
  stepped up (Borough Networks Forum, London Equalities Alliance, Greater London Volunteering);
  two introductions suggested by the 2017 map happened; some ties ended, {new_ties} ties are new
  (`Since` 2018) and some changed strength.
- About 70% of elements were re-verified in the 2018 round (`Last Verified` after July 2017); the others
  keep their old dates and are getting stale.

## Counts
{counts_table(b)}

{FIELDS_DOC}
## Licence
{LICENCE} Borough codes are ONS codes (Open Government Licence v3.0).
"""


def card_survey(rows: list[dict[str, str]], key: list[dict[str, str]]) -> str:
    orgs = {k["ID"] for k in key if k["question"] == "organisation"}
    mentions = [k for k in key if k["question"] != "organisation"]
    lvsc = sorted({k["raw"].strip() for k in key if k["ID"] == "lvsc"})
    return f"""# owa-survey-2017: the raw survey export behind owa-2017 (illustrative)

What an online form tool hands you after a network-mapping survey: one row per response, the
questions as column headings, answers exactly as typed. It "fed" the `owa-2017` map, and it is
here so learners can practise turning a survey into a map (`cop_toolkit.building.survey.survey_to_map`)
and reconciling the many ways people write the same organisation
(`cop_toolkit.building.survey.reconcile_names`).

## Provenance, and what is illustrative
- Generated by `datasets/scripts/generate.py` from the `owa-2017` ties (fixed seed). **Illustrative**:
  no real person answered it. Organisations are the fictional ones of `owa-2017` plus the few
  real bodies named there. Emails use `example.org`.

## Files
- `survey.csv` - {len(rows)} responses from {len(orgs)} organisations ({len(rows) - len(orgs)}
  organisations answered twice; keep the latest). Columns:
{chr(10).join("  - `" + c + "`" for c in SURVEY_COLUMNS)}
  "Which networks are you a member of?" is a multi-select with "Other" typing allowed, values
  separated by `; `. "Which organisations do you work with most?" is free text: names separated
  by commas, semicolons, new lines, "and" or "&".
- `answer_key.csv` - for checking a reconciliation: `row` (spreadsheet row of the response; the
  header is row 1), `question` (`organisation`, `networks`, `work_with`), `raw` (the name as
  typed) and `ID` (the `owa-2017` element it means). {len(mentions)} mentions of networks and
  partners, {len(key)} names in all.

## The mess, on purpose
- Case and spacing (`lvsc`, double spaces, trailing spaces), typos (a dropped or swapped letter),
  abbreviations (`TSC` for Third Sector Council, `VSF`, `CVH`, `Assoc.`, `&` for "and",
  `Ldn`), acronyms (`GLV`, `BNF`, `CBT`, `LMU`, `OWA`) and longer forms. LVSC alone is written
  {len(lvsc)} ways: {", ".join("`" + v + "`" for v in lvsc)}.
- Boroughs written as names in several styles ("LB Hackney", "London Borough of Lewisham",
  "Hammersmith & Fulham", lower case).
- A consent column: a blank means the organisation did not agree to appear on the public map.
- Private data: the `Email address` column must never be published.

## Licence
{LICENCE}
"""


def card_unlocking(b: Builder) -> str:
    return f"""# unlocking-networks: community-business peer networks (illustrative)

Thirteen peer networks of community businesses in London, the businesses in them and the
organisations that supported them, in the spirit of the *Unlocking Networks* programme. Useful for
lessons on networks of networks (membership ties point from a business to its network) and on
support providers' reach.

## Provenance, and what is illustrative
- Generated by `datasets/scripts/generate.py` (fixed seed; byte-identical on rerun).
- Real names only for the support providers: Power to Change, Locality, Co-operatives UK, The
  Social Change Agency, Shared Assets and the Hub for London. **The 13 networks and every
  business are fictional** (for example *Camden Community Business Network*), and **all ties
  are illustrative**, not a record of who supported whom.

## Counts
{counts_table(b)}

{FIELDS_DOC}
## Licence
{LICENCE} Borough codes are ONS codes (Open Government Licence v3.0).
"""


def main(out: Path = HERE) -> None:
    """Write every generated dataset into ``out`` (default: next to this script)."""
    b17 = build_owa_2017()
    write_map_folder("owa-2017", b17, meta(
        "Our Way Ahead network map, July 2017 (illustrative)", "2017-07-31",
        "Illustrative map of London civil-society networks with LVSC as the pan-London hub.",
        SOURCE_2017), card_owa_2017(b17), out)
    b18 = build_owa_2018(b17)
    write_map_folder("owa-2018", b18, meta(
        "Our Way Ahead network map, July 2018 (illustrative)", "2018-07-31",
        "The owa-2017 map a year later: LVSC closed, some groups closed or renamed, new ties.",
        "Illustrative data generated by datasets/scripts/generate.py for cop_toolkit from owa-2017."),
        card_owa_2018(b18, b17), out)
    rows, key = build_survey(b17)
    folder = out / "owa-survey-2017"
    write_text(folder / "survey.csv", _csv_text(rows, SURVEY_COLUMNS))
    write_text(folder / "answer_key.csv", _csv_text(key, ["row", "question", "raw", "ID"]))
    write_text(folder / "README.md", card_survey(rows, key))
    bu = build_unlocking_networks()
    write_map_folder("unlocking-networks", bu, meta(
        "Unlocking Networks: community-business peer networks (illustrative)", "2019-03-31",
        "Thirteen fictional community-business peer networks, their members and real support "
        "providers; ties are illustrative.",
        "Illustrative data generated by datasets/scripts/generate.py for cop_toolkit."),
        card_unlocking(bu), out)


if __name__ == "__main__":
    main()

"""Rebuild the cop-grade test submissions from the coursework notebook.

Run ``python tests/grading_submissions/make_fixtures.py`` after changing
``notebooks/coursework/coursework_2019.ipynb``. Each fixture is the real
coursework notebook with the answer cells filled in as a student might:

* ``good_student.ipynb``   - every answer right, computed from the data;
* ``partly_wrong.ipynb``   - some answers wrong, one cell fails with an error;
* ``broken.ipynb``         - the map is loaded with a misspelt name, so nothing runs;
* ``endless_loop.ipynb``   - answers 1-3, then a cell that never ends;
* ``not_a_notebook.ipynb`` - a file that is not a notebook at all.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE.parents[1] / "notebooks" / "coursework" / "coursework_2019.ipynb"

GOOD = {
    "q1_elements = ____": "q1_elements = len(m.elements)\nq1_connections = len(m.connections)",
    "q2_hub = ____": (
        "import networkx as nx\n\nG = m.to_networkx()\n"
        "bc = nx.betweenness_centrality(G, weight=\"distance\")\nq2_hub = max(bc, key=bc.get)"
    ),
    "q3_cut_off = ____": (
        "main = max(nx.connected_components(G), key=len)\nH = G.copy()\nH.remove_node(q2_hub)\n"
        "still = max(nx.connected_components(H), key=len)\nq3_cut_off = sorted(main - still - {q2_hub})"
    ),
    "q4_busiest_borough = ____": (
        "from cop_toolkit.geo.boroughs import match_borough\n\n"
        "codes = m.elements[\"Borough\"].map(match_borough)\nq4_busiest_borough = codes.value_counts().idxmax()"
    ),
    "q5_sole_assets = ____": (
        "holders = {}\nfor element, items in m.multi(\"Assets\").items():\n"
        "    for item in items:\n        holders.setdefault(item, set()).add(element)\n"
        "q5_sole_assets = [item for item, who in holders.items() if len(who) == 1]"
    ),
    "q6_stale = ____": (
        "import pandas as pd\n\nmap_date = pd.Timestamp(m.metadata[\"date\"])\n"
        "age = (map_date - pd.to_datetime(m.elements[\"Last Verified\"])).dt.days\n"
        "q6_stale = list(m.elements.loc[age > 365, \"ID\"])"
    ),
    "def reach_within_two(m, name):": (
        "def reach_within_two(m, name):\n    G = m.to_networkx()\n    node = m.resolve(name)\n"
        "    near = set(G[node])\n    for other in list(near):\n        near |= set(G[other])\n"
        "    near.discard(node)\n    return len(near)\n\n\nreach_within_two(m, m.elements[\"ID\"].iloc[0])"
    ),
    "q8_public_elements = ____": "q8_public_elements = len(m.public().elements)",
    "interpretation_1 =": 'interpretation_1 = """\n' + ("If the Alliance closed, Greenwich would be cut off. " * 12) + '\n"""',
    "interpretation_2 =": 'interpretation_2 = """\n' + ("I would introduce the Greenwich forum to Lewisham Food Action first. " * 10) + '\n"""',
    "interpretation_3 =": 'interpretation_3 = """\n' + ("Check the six stale entries and remove private contact details. " * 10) + '\n"""',
}

PARTLY_WRONG = dict(GOOD)
PARTLY_WRONG.update({
    # highest degree instead of betweenness: a different element
    "q2_hub = ____": (
        "import networkx as nx\n\nG = m.to_networkx()\nq2_hub = \"lewisham-food-action\""
    ),
    # only the Greenwich groups, plus one wrong guess (the hub is slfha whatever q2 says)
    "q3_cut_off = ____": (
        "H = G.copy()\nH.remove_node(\"slfha\")\n"
        "q3_cut_off = [v for v in H if \"greenwich\" in v or \"woolwich\" in v] + [\"brixton-surplus-kitchen\"]"
    ),
    # a typo: this cell fails, so q5 is not answered
    "q5_sole_assets = ____": "q5_sole_assets = [item for item in holder if item]",
    # counts the element itself
    "def reach_within_two(m, name):": (
        "def reach_within_two(m, name):\n    G = m.to_networkx()\n    node = m.resolve(name)\n"
        "    near = set(G[node]) | {node}\n    for other in list(near):\n        near |= set(G[other])\n"
        "    return len(near)"
    ),
    "interpretation_3 =": 'interpretation_3 = """\nToo short.\n"""',
})

BROKEN = {"m = cop.open_map(map_path)": "m = cop.datasets.load(\"coursework-2091\")"}
BROKEN.update({k: v for k, v in GOOD.items()})

ENDLESS = {k: GOOD[k] for k in ("q1_elements = ____", "q2_hub = ____", "q3_cut_off = ____")}
ENDLESS["q4_busiest_borough = ____"] = "while True:\n    pass"


def fill(answers: dict[str, str], map_path: str | None = None) -> nbformat.NotebookNode:
    """The coursework notebook with ``answers`` (cell start -> code) filled in, naming ``map_path`` if given."""
    nb = nbformat.read(str(TEMPLATE), as_version=4)
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "parameters" in cell.metadata.get("tags", []):
            if map_path is not None:
                cell.source = cell.source.replace('map_path = "coursework-2019"', f"map_path = {map_path!r}")
            continue
        for start, code in answers.items():
            if start in cell.source:
                if start.startswith("m = cop"):
                    cell.source = cell.source.replace(start, code)
                else:
                    cell.source = code
                break
    return nb


def main() -> None:
    for name, answers in (("good_student", GOOD), ("partly_wrong", PARTLY_WRONG), ("broken", BROKEN),
                          ("endless_loop", ENDLESS)):
        nbformat.write(fill(answers), str(HERE / f"{name}.ipynb"))
    (HERE / "not_a_notebook.ipynb").write_text("This is my essay, not a notebook. Sorry!\n", encoding="utf-8")


if __name__ == "__main__":
    main()

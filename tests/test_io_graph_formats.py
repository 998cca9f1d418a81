"""What the GEXF, GraphML and Kumu JSON readers and writers understand, one behaviour at a time."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.figures.layout import layout_positions
from cop_toolkit.io import read_map, write_map

REAL = Path(__file__).parent / "real_files"

GEXF_BODY = ('<graph defaultedgetype="directed"><nodes><node id="a" label="A"><viz:position x="1.5" y="-2"/>'
             '<viz:color r="255" g="0" b="16"/><viz:size value="4.0"/></node><node id="b" label="B"/></nodes>'
             '<edges><edge id="e1" source="a" target="b"/><edge id="e2" source="b" target="a" type="undirected"/>'
             '</edges></graph>')


@pytest.mark.parametrize("ns", ["http://www.gephi.org/gexf", "http://www.gexf.net/1.1draft", "http://gexf.net/1.1draft",
                                "http://www.gexf.net/1.2draft", "http://gexf.net/1.2draft", "http://www.gexf.net/1.3",
                                "http://gexf.net/1.3", None])
def test_gexf_of_every_namespace_is_read_with_viz_and_direction(tmp_path: Path, ns: str | None) -> None:
    head = f'<gexf xmlns="{ns}" xmlns:viz="{ns}/viz">' if ns else '<gexf xmlns:viz="http://gexf.net/1.3/viz">'
    (tmp_path / "g.gexf").write_text(head + GEXF_BODY + "</gexf>")
    m = read_map(tmp_path / "g.gexf")
    a = m.elements.set_index("ID").loc["a"]
    assert (a["X"], a["Y"], a["Color"], a["Size"]) == (1.5, -2.0, "#ff0010", "4.0")
    assert m.connections["Direction"].tolist() == ["directed", "undirected"]
    assert layout_positions(m).loc["a"].tolist() == [1.5, -2.0]


def test_gexf_defaults_lists_padded_booleans_and_meta_are_read(tmp_path: Path) -> None:
    (tmp_path / "g.gexf").write_text(
        '<gexf xmlns="http://www.gexf.net/1.3"><meta><title>Food web</title><creator>Gephi</creator></meta>'
        '<graph><attributes class="node"><attribute id="0" title="open" type="boolean"><default>true</default>'
        '</attribute><attribute id="1" title="needs" type="liststring"/><attribute id="2" title="ok" type="listboolean"/>'
        '</attributes><nodes><node id="a" label="A"><attvalues><attvalue for="0" value="  FALSE   "/>'
        '<attvalue for="1" value="[food, \'housing\']"/><attvalue for="2" value="[ true, false]"/></attvalues></node>'
        '<node id="b" label="B"/></nodes><edges/></graph></gexf>')
    m = read_map(tmp_path / "g.gexf")
    assert m.elements["open"].tolist() == ["false", "true"]
    assert m.elements.loc[0, "needs"] == "food|housing" and m.elements.loc[0, "ok"] == "true|false"
    assert m.metadata["name"] == "Food web" and m.metadata["creator"] == "Gephi"


def test_nested_gexf_edges_are_all_read() -> None:
    m = read_map(REAL / "gexf_hierarchy2.gexf")
    assert len(m.connections) == 4 and "pid" in m.elements.columns
    assert any(w.kind == "nested" for w in m.warnings)


def undirected_map() -> NetworkMap:
    return NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["A", "B", "C"], "Members": ["12", "7", None],
                                    "Score": ["1.5", "2", None], "Code": ["007", "1", "2"], "X": [0.5, 1.0, None],
                                    "Y": [2.0, 3.0, 4.0], "Color": ["#aa0000", None, "red"]}),
                      pd.DataFrame({"ID": ["c1", "c2"], "From": ["a", "b"], "To": ["b", "c"], "Strength": [2.0, 3.5],
                                    "Direction": ["undirected", None]}))


def test_written_gexf_is_undirected_for_an_undirected_map_with_viz_and_number_types(tmp_path: Path) -> None:
    out = write_map(undirected_map(), tmp_path / "m.gexf")
    text = out.read_text(encoding="utf-8")
    assert 'xmlns="http://gexf.net/1.3"' in text and 'defaultedgetype="undirected"' in text
    assert 'title="Members" type="integer"' in text and 'title="Score" type="double"' in text
    assert 'title="Code" type="string"' in text
    G = nx.read_gexf(out)
    assert not G.is_directed()
    assert G.nodes["a"]["viz"]["position"]["x"] == 0.5 and G.nodes["a"]["Members"] == 12
    assert G.nodes["a"]["viz"]["color"]["r"] == 170
    assert read_map(out).elements["Color"].tolist() == ["#aa0000", None, "red"] or \
        read_map(out).elements["Color"].fillna("-").tolist() == ["#aa0000", "-", "red"]


def test_written_graphml_types_numbers_writes_weight_and_no_internal_keys(tmp_path: Path) -> None:
    m = undirected_map()
    m.connections.loc[0, "Direction"] = "directed"
    out = write_map(m, tmp_path / "m.graphml")
    text = out.read_text(encoding="utf-8")
    assert 'edgedefault="directed"' in text and 'attr.name="weight" attr.type="double"' in text
    assert 'attr.name="Members" attr.type="int"' in text and "networkx_key" not in text
    G = nx.read_graphml(out)
    assert G.is_directed() and G["a"]["b"]["weight"] == 2.0
    assert read_map(out).connections["Strength"].tolist() == [2.0, 3.5]


def test_graphml_key_defaults_direction_and_undeclared_endpoints(tmp_path: Path) -> None:
    (tmp_path / "g.graphml").write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><key id="d0" for="node" attr.name="colour">'
        '<default>yellow</default></key><graph edgedefault="undirected"><node id="n0"/><edge source="n0" '
        'target="n9" directed="true"/><edge source="n0" target="n9"/></graph></graphml>')
    m = read_map(tmp_path / "g.graphml")
    assert m.elements["colour"].tolist() == ["yellow", None] or m.elements["colour"].iloc[0] == "yellow"
    assert m.connections["Direction"].tolist() == ["directed", "undirected"]
    assert any(w.kind == "undeclared_element" and "n9" in w.message for w in m.warnings)


def test_yed_labels_and_geometry_are_read(tmp_path: Path) -> None:
    (tmp_path / "y.graphml").write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">'
        '<key id="d6" for="node" yfiles.type="nodegraphics"/><key id="d10" for="edge" yfiles.type="edgegraphics"/>'
        '<graph edgedefault="directed"><node id="n0"><data key="d6"><y:ShapeNode><y:Geometry x="10.5" y="20" '
        'width="30" height="30"/><y:Fill color="#FFCC00"/><y:NodeLabel>Food Bank</y:NodeLabel></y:ShapeNode></data>'
        '</node><node id="n1"/><edge id="e0" source="n0" target="n1"><data key="d10"><y:PolyLineEdge>'
        '<y:EdgeLabel>funds</y:EdgeLabel></y:PolyLineEdge></data></edge></graph></graphml>')
    m = read_map(tmp_path / "y.graphml")
    assert m.elements["Label"].tolist() == ["Food Bank", "n1"]
    assert (m.elements.loc[0, "X"], m.elements.loc[0, "Y"], m.elements.loc[0, "Color"]) == (10.5, 20.0, "#ffcc00")
    assert m.connections.loc[0, "Label"] == "funds"


def test_graphml_hyperedges_and_nested_graphs_are_flattened_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "h.graphml").write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="undirected"><node id="a">'
        '<graph edgedefault="undirected"><node id="a1"/></graph></node><node id="b"/><node id="c"/>'
        '<hyperedge id="h"><endpoint node="a"/><endpoint node="b"/><endpoint node="c"/></hyperedge></graph></graphml>')
    m = read_map(tmp_path / "h.graphml")
    assert len(m.elements) == 4 and len(m.connections) == 3
    assert {w.kind for w in m.warnings} >= {"nested", "hyperedge"}


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json"])
def test_a_direction_field_holding_other_values_is_kept_as_a_custom_field(tmp_path: Path, fmt: str) -> None:
    if fmt == "gexf":
        text = ('<gexf xmlns="http://www.gexf.net/1.3"><graph defaultedgetype="directed"><attributes class="edge">'
                '<attribute id="0" title="direction" type="string"/></attributes><attributes class="node">'
                '<attribute id="0" title="direction" type="string"/></attributes><nodes><node id="a"><attvalues>'
                '<attvalue for="0" value="Exp"/></attvalues></node><node id="b"/></nodes><edges><edge source="a" '
                'target="b"><attvalues><attvalue for="0" value="Exp"/></attvalues></edge></edges></graph></gexf>')
    elif fmt == "graphml":
        text = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><key id="k" for="all" attr.name="direction"/>'
                '<graph edgedefault="directed"><node id="a"><data key="k">Exp</data></node><node id="b"/>'
                '<edge source="a" target="b"><data key="k">Exp</data></edge></graph></graphml>')
    else:
        text = json.dumps({"elements": [{"label": "a", "direction": "Exp"}, {"label": "b"}],
                           "connections": [{"from": "a", "to": "b", "direction": "Exp"}]})
    (tmp_path / f"d.{fmt}").write_text(text)
    m = read_map(tmp_path / f"d.{fmt}")
    assert m.elements.loc[0, "direction"] == "Exp"
    custom = [c for c in m.connections.columns if c.lower() == "direction (custom)"]
    assert [m.connections.loc[0, c] for c in custom] == ["Exp"]
    assert any(w.kind == "custom_field" for w in m.warnings)


def test_kumu_project_export_with_ids_attributes_and_positions_is_read(tmp_path: Path) -> None:
    doc = {"elements": [{"_id": "elem-1", "attributes": {"label": "Youth Club", "element type": "Community group"}},
                        {"_id": "elem-2", "attributes": {"label": "Youth Club", "tags": ["sport", "music"]}}],
           "connections": [{"_id": "conn-1", "from": "elem-1", "to": "elem-2", "direction": "undirected",
                            "attributes": {"connection type": "Referral"}}],
           "maps": [{"_id": "map-1", "name": "South London", "elements": [
               {"_id": "m1", "element": "elem-2", "position": {"x": -12.5, "y": 40}}]}]}
    (tmp_path / "k.json").write_text(json.dumps(doc))
    m = read_map(tmp_path / "k.json")
    assert m.elements["ID"].tolist() == ["elem-1", "elem-2"] and m.elements.loc[1, "Tags"] == "sport|music"
    assert m.elements.loc[1, "X"] == -12.5 and m.metadata["name"] == "South London"
    assert m.connections[["ID", "From", "To", "Direction", "Type"]].values.tolist() == [
        ["conn-1", "elem-1", "elem-2", "undirected", "Referral"]]


def test_kumu_json_is_written_as_a_blueprint_with_tags_as_a_list(tmp_path: Path) -> None:
    m = NetworkMap(pd.DataFrame({"ID": ["a", "b"], "Label": ["A", "A"], "Tags": ["x|y", None], "label": ["l", None]}),
                   pd.DataFrame({"ID": ["c1"], "From": ["a"], "To": ["b"], "Direction": ["mutual"]}))
    out = write_map(m, tmp_path / "m.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["elements"][0] == {"id": "a", "Label": "A", "tags": ["x", "y"], "label": "l"}
    assert doc["connections"][0] == {"id": "c1", "from": "a", "to": "b", "direction": "mutual"}
    back = read_map(out)
    assert back.elements.fillna("-").values.tolist() == m.elements.fillna("-").values.tolist()


@pytest.mark.parametrize("name, text, words", [
    ("v.gexf", '<gexf><graph><nodes><node id="a"><color r="x" g="1" b="2"/></node></nodes></graph></gexf>',
     ["cannot read", "Gephi"]),
    ("w.gexf", '<graphml><graph/></graphml>', ["GraphML file, not GEXF", "rename it to end in .graphml"]),
    ("n.gexf", '<gexf><meta/></gexf>', ["no <graph>", "Gephi"]),
    ("e.graphml", '<graphml><graph edgedefault="directed"/></graphml>', ["no nodes and no edges"]),
])
def test_a_file_a_parser_cannot_use_gives_one_line_with_a_fix(tmp_path: Path, name: str, text: str, words) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(MapError) as info:
        read_map(tmp_path / name)
    message = str(info.value)
    assert name in message and "How to fix:" in message and "\n" not in message
    for w in words:
        assert w in message

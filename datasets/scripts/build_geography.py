"""Build the London borough geography bundled with cop_toolkit (run once, at build time).

Usage (from the repository root)::

    npm pack vega-datasets@3.2.1            # gives vega-datasets-3.2.1.tgz (do not commit it)
    python datasets/scripts/build_geography.py vega-datasets-3.2.1.tgz [--boroughs-csv london_boroughs.csv]

It reads ``data/londonBoroughs.json`` (TopoJSON, simplified from the London
Datastore "London_Borough_Excluding_MHW" boundaries, Open Government Licence)
straight from the npm tarball and writes, into ``datasets/london-boroughs/``:

* ``boroughs.geojson`` - one feature per borough (properties ``code``,
  ``name``), lon/lat, the two invalid polygons (Richmond upon Thames, Newham)
  repaired with shapely's ``make_valid``, lightly simplified, coordinates
  rounded to 5 decimals (about a metre);
* ``adjacency.csv`` - pairs of boroughs whose polygons touch (within a few
  metres), both orders;
* ``boroughs.csv`` - only with ``--boroughs-csv``: the borough table (ONS code,
  name, abbreviation, centroid, tile-grid position) plus an ``inner`` column
  (Inner London as ONS defines it for statistics).

shapely is needed here only; the toolkit reads the results with plain ``json``
and ``csv``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # the datasets/ folder
OUT = HERE / "london-boroughs"
MEMBER = "package/data/londonBoroughs.json"

#: Inner London, as ONS defines it for statistics (14 authorities).
INNER_LONDON = {
    "E09000001", "E09000007", "E09000012", "E09000013", "E09000014", "E09000019", "E09000020",
    "E09000022", "E09000023", "E09000025", "E09000028", "E09000030", "E09000032", "E09000033",
}
#: Simplification tolerance in degrees (about 7 m): "lightly".
SIMPLIFY_DEG = 0.0001
#: Polygons closer than this (metres) count as neighbours.
ADJACENT_WITHIN_M = 5.0


def read_topojson(tarball: Path) -> dict:
    """Read londonBoroughs.json from the vega-datasets npm tarball."""
    with tarfile.open(tarball, "r:gz") as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{tarball} has no {MEMBER}")
        return json.load(member)


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Decode quantised, delta-encoded TopoJSON arcs into lon/lat points."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from(arc_ids: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in arc_ids:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(pts if not ring else pts[1:])
    return ring


def to_shapes(topo: dict):
    """Return {borough name: shapely geometry} from the TopoJSON object."""
    from shapely.geometry import MultiPolygon, Polygon

    arcs = decode_arcs(topo)
    shapes = {}
    for g in topo["objects"]["boroughs"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        made = []
        for poly in polys:
            rings = [ring_from(r, arcs) for r in poly]
            made.append(Polygon(rings[0], rings[1:]))
        shapes[g["id"]] = made[0] if len(made) == 1 else MultiPolygon(made)
    return shapes


def only_polygons(geom):
    """Keep the polygonal part of a geometry (make_valid may return a collection)."""
    from shapely.geometry import MultiPolygon, Polygon

    if isinstance(geom, Polygon):
        return geom
    if isinstance(geom, MultiPolygon):
        return geom
    parts = []
    for g in getattr(geom, "geoms", []):
        g = only_polygons(g)
        if g is None:
            continue
        parts.extend(g.geoms if isinstance(g, MultiPolygon) else [g])
    parts = [p for p in parts if p.area > 0]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def repair(geom):
    """Make a geometry valid, simplify it lightly and round it to 5 decimals."""
    from shapely import make_valid, set_precision

    g = only_polygons(make_valid(geom)) if not geom.is_valid else geom
    g = g.simplify(SIMPLIFY_DEG, preserve_topology=True)
    g = set_precision(g, 1e-5)
    if not g.is_valid:
        g = only_polygons(make_valid(g))
    return only_polygons(g)


def geojson_geometry(geom) -> dict:
    from shapely.geometry import Polygon, mapping
    from shapely.geometry.polygon import orient

    if isinstance(geom, Polygon):
        geom = orient(geom, 1.0)
    else:
        from shapely.geometry import MultiPolygon

        geom = MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    m = mapping(geom)

    def rnd(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], 5), round(c[1], 5)]
        return [rnd(x) for x in c]

    return {"type": m["type"], "coordinates": rnd(m["coordinates"])}


def to_metres(geom):
    """Project lon/lat to local metres (equirectangular around London), for buffering."""
    import shapely

    k = math.cos(math.radians(51.5))
    return shapely.transform(geom, lambda xy: xy * [111_320 * k, 110_574])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tarball", type=Path, help="vega-datasets-3.2.1.tgz from `npm pack`")
    ap.add_argument("--boroughs-csv", type=Path, help="source borough table to copy (adds 'inner')")
    args = ap.parse_args(argv)

    OUT.mkdir(exist_ok=True)
    if args.boroughs_csv:
        with open(args.boroughs_csv, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(list(rows[0]) + ["inner"])
        for r in rows:
            w.writerow(list(r.values()) + ["true" if r["code"] in INNER_LONDON else "false"])
        (OUT / "boroughs.csv").write_text(buf.getvalue(), encoding="utf-8")

    with open(OUT / "boroughs.csv", newline="", encoding="utf-8") as f:
        code_of = {r["name"]: r["code"] for r in csv.DictReader(f)}

    shapes = to_shapes(read_topojson(args.tarball))
    missing = sorted(set(code_of) - set(shapes))
    extra = sorted(set(shapes) - set(code_of))
    if missing or extra:
        raise SystemExit(f"names do not match: missing {missing}, unexpected {extra}")
    invalid = sorted(n for n, g in shapes.items() if not g.is_valid)
    print("invalid as shipped:", ", ".join(invalid) or "none")

    repaired = {code_of[n]: repair(g) for n, g in shapes.items()}
    features = []
    for code in sorted(repaired):
        name = next(n for n, c in code_of.items() if c == code)
        geom = geojson_geometry(repaired[code])
        features.append({"type": "Feature", "properties": {"code": code, "name": name},
                         "geometry": geom})
    collection = {
        "type": "FeatureCollection",
        "name": "london_boroughs",
        "attribution": ATTRIBUTION,
        "features": features,
    }
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    # one feature per line keeps diffs readable
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    (OUT / "boroughs.geojson").write_text(text + "\n", encoding="utf-8")

    # adjacency from the final (rounded) polygons, so it matches what users get
    from shapely.geometry import shape

    final = {f["properties"]["code"]: to_metres(shape(f["geometry"])) for f in features}
    codes = sorted(final)
    pairs = []
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            if final[a].distance(final[b]) <= ADJACENT_WITHIN_M:
                pairs += [(a, b), (b, a)]
    pairs.sort()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code_a", "code_b"])
    w.writerows(pairs)
    (OUT / "adjacency.csv").write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {len(features)} boroughs, {len(pairs) // 2} neighbouring pairs")


ATTRIBUTION = (
    "Borough boundaries: simplified from the London Datastore 'London_Borough_Excluding_MHW' "
    "boundaries as shipped in the vega-datasets package (data/londonBoroughs.json); contains "
    "National Statistics data © Crown copyright and database right 2015 and Ordnance Survey "
    "data © Crown copyright and database right 2015 (Open Government Licence v3.0). Borough "
    "centroids contain National Statistics data © Crown copyright and database right (Open "
    "Government Licence v3.0). Tile-grid layout: 'London Squared' by After the Flood."
)

if __name__ == "__main__":
    main()

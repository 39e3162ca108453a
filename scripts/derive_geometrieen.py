"""Derive data/reference/geometrieen.csv: the outline and a representative point of every Flemish place.

Why a script: the outlines come from outside the repository (a public TopoJSON file, copied
unchanged to ``data/reference/belgium-2019.topojson`` with its CC0 licence). The build and the
pages only read the committed CSV, so a maintainer runs this once after either input changes and
commits the result; ``tests/test_geometrieen.py`` reruns it and checks the bytes are the same.

Usage::

    .venv/bin/python scripts/derive_geometrieen.py [--out data/reference/geometrieen.csv]

What it does, in order:

1. decodes the TopoJSON arcs (quantised, delta-encoded) to longitude/latitude (CRS84), rounded to
   5 decimals (about 1 m; finer than the file's quantisation step, so no two points merge);
2. simplifies **each arc once** with Douglas-Peucker, tolerance ``TOLERANCE_M`` metres measured in
   an equirectangular projection at 51° N, keeping the arc's end points. A border between two
   municipalities is one arc in TopoJSON, so both neighbours get the very same simplified border:
   no gaps, no overlaps (topology-aware simplification). A polygon that would become invalid
   keeps its arcs unsimplified (and so do its neighbours along those arcs);
3. keeps the 300 Flemish municipalities of 2019-2024 (by NIS code in ``gemeenten.csv``; the
   region, province and arrondissement columns of the polygon file are never read: Mesen 33016
   is filed under Hainaut there);
4. dissolves the mergers of 1 January 2025 (``vervangen_door``): a municipality code valid today
   gets the union of itself (if it is in the file) and every code it replaced;
5. derives each arrondissement, province and the Flemish Region as the union of the municipalities
   valid today (so arrondissements follow the 2025 borders, as their codes do);
6. writes one row per place: ``soort,code,wkt,punt`` (WKT in CRS84 longitude/latitude order, the
   point from GEOS ``point_on_surface``: always inside the outline, unlike a centroid).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parent.parent
TOPOJSON = ROOT / "data" / "reference" / "belgium-2019.topojson"
GEMEENTEN = ROOT / "data" / "reference" / "gemeenten.csv"
OUT = ROOT / "data" / "reference" / "geometrieen.csv"

#: Douglas-Peucker tolerance in metres (the source's own quantisation step is about 25 m).
TOLERANCE_M = 40.0
#: Decimals kept of a longitude or latitude (1e-5 degree is about 1 m).
DECIMALS = 5
#: The Flemish Region: its REFNIS code and the ``gewest`` id of its IRI.
REGION = ("gewest", "vlaanderen")
_M_PER_DEG_LAT = 110_540.0
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(51.0))

Point = tuple[float, float]


class DerivationError(Exception):
    """An input does not say what this script expects; the message names the file."""


def decode_arcs(topology: dict[str, object]) -> list[list[Point]]:
    """The arcs of a quantised TopoJSON topology as lists of rounded (lon, lat).

    >>> decode_arcs({"transform": {"scale": [0.5, 0.25], "translate": [3, 50]}, "arcs": [[[0, 0], [2, 4], [-1, 0]]]})
    [[(3.0, 50.0), (4.0, 51.0), (3.5, 51.0)]]
    """
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points: list[Point] = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, DECIMALS), round(y * sy + ty, DECIMALS)))
        arcs.append(points)
    return arcs


def _distance_m(p: Point, a: Point, b: Point) -> float:
    """Distance in metres from ``p`` to the segment ``a``-``b`` (equirectangular at 51° N)."""
    px, py = p[0] * _M_PER_DEG_LON, p[1] * _M_PER_DEG_LAT
    ax, ay = a[0] * _M_PER_DEG_LON, a[1] * _M_PER_DEG_LAT
    bx, by = b[0] * _M_PER_DEG_LON, b[1] * _M_PER_DEG_LAT
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker keeping both end points; a closed arc is split at its farthest point.

    >>> douglas_peucker([(0.0, 0.0), (0.5, 0.000001), (1.0, 0.0)], 1.0)
    [(0.0, 0.0), (1.0, 0.0)]
    """
    if len(points) < 3:
        return list(points)
    if points[0] == points[-1]:
        far = max(range(1, len(points) - 1), key=lambda i: _distance_m(points[i], points[0], points[0]))
        ring = douglas_peucker(points[: far + 1], tolerance)[:-1] + douglas_peucker(points[far:], tolerance)
        return ring if len(ring) >= 4 else list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance_m(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(arc_ids: Iterable[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """A ring from TopoJSON arc references (``~i`` is arc ``i`` reversed)."""
    ring: list[Point] = []
    for ref in arc_ids:
        points = list(arcs[ref]) if ref >= 0 else list(reversed(arcs[~ref]))
        ring.extend(points if not ring else points[1:])
    return ring


def _polygons(geometry: dict[str, object], arcs: Sequence[Sequence[Point]]) -> Polygon | MultiPolygon:
    parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    polygons = [Polygon(_ring(rings[0], arcs), [_ring(r, arcs) for r in rings[1:]]) for rings in parts]  # type: ignore[union-attr]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _arc_ids(geometry: dict[str, object]) -> set[int]:
    parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return {ref if ref >= 0 else ~ref for rings in parts for ring in rings for ref in ring}  # type: ignore[union-attr]


def simplified_outlines(topology: dict[str, object], codes: set[str]) -> dict[str, Polygon | MultiPolygon]:
    """The outline of each municipality in ``codes``, its arcs simplified once and shared."""
    arcs = decode_arcs(topology)
    objects = topology["objects"]
    assert isinstance(objects, dict)
    geometries = {g["properties"]["nis"]: g for g in objects["municipalities"]["geometries"]}
    missing = sorted(codes - set(geometries))
    if missing:
        raise DerivationError(f"{TOPOJSON.name} has no municipality with NIS code(s) {missing}.")
    frozen: set[int] = set()  # arcs kept unsimplified because simplifying them broke a polygon
    while True:
        simple = [a if i in frozen else douglas_peucker(a, TOLERANCE_M) for i, a in enumerate(arcs)]
        outlines = {nis: _polygons(geometries[nis], simple) for nis in sorted(codes)}
        broken = [nis for nis, shape in outlines.items() if not shape.is_valid]
        if not broken:
            return outlines
        for nis in broken:
            frozen |= _arc_ids(geometries[nis])


def _union(shapes: Sequence[Polygon | MultiPolygon]) -> Polygon | MultiPolygon:
    merged = shapely.union_all(list(shapes)) if len(shapes) > 1 else shapes[0]
    if not isinstance(merged, (Polygon, MultiPolygon)):
        raise DerivationError(f"A dissolve gave a {merged.geom_type}, not a polygon.")
    return merged


def _canonical(shape: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    """One spelling per shape: GEOS normal form, then every exterior ring counter-clockwise
    (the orientation GeoJSON asks for), so reruns and other GEOS versions write the same bytes."""
    normal = shapely.normalize(shape)
    if isinstance(normal, Polygon):
        return orient(normal, 1.0)
    return MultiPolygon([orient(p, 1.0) for p in normal.geoms])


def _coords(ring: Iterable[tuple[float, ...]]) -> str:
    return "(" + ", ".join(f"{x:.{DECIMALS}f} {y:.{DECIMALS}f}" for x, y, *_ in ring) + ")"


def _polygon_text(polygon: Polygon) -> str:
    return "(" + ", ".join(_coords(r.coords) for r in [polygon.exterior, *polygon.interiors]) + ")"


def wkt(shape: Polygon | MultiPolygon) -> str:
    """WKT with a fixed number of decimals (shapely's writer trims them, GEOS versions differ).

    >>> wkt(Polygon([(0, 0), (1, 0), (0, 1)]))
    'POLYGON ((0.00000 0.00000, 1.00000 0.00000, 0.00000 1.00000, 0.00000 0.00000))'
    """
    if isinstance(shape, Polygon):
        return "POLYGON " + _polygon_text(shape)
    return "MULTIPOLYGON (" + ", ".join(_polygon_text(p) for p in shape.geoms) + ")"


def derive(topology: dict[str, object], rows: Sequence[dict[str, str]]) -> list[tuple[str, str, Polygon | MultiPolygon]]:
    """(kind, code, outline) of every municipality, arrondissement, province and the region."""
    old = {r["nis"] for r in rows if not r["geldig_van"]}
    outlines = simplified_outlines(topology, old)
    members: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["vervangen_door"]:
            members[r["vervangen_door"]].append(r["nis"])
    places: list[tuple[str, str, Polygon | MultiPolygon]] = []
    current: dict[str, Polygon | MultiPolygon] = {}
    for r in rows:
        parts = ([r["nis"]] if r["nis"] in outlines else []) + sorted(members.get(r["nis"], ()))
        if not parts:
            raise DerivationError(f"{GEMEENTEN.name}: {r['nis']} is neither in {TOPOJSON.name} nor replaces a code that is.")
        shape = _union([outlines[p] for p in parts])
        places.append(("gemeente", r["nis"], shape))
        if not r["geldig_tot"]:
            current[r["nis"]] = shape
    for kind, column in (("arrondissement", "arrondissement_code"), ("provincie", "provincie_code")):
        groups: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            if r["nis"] in current:
                groups[r[column]].append(r["nis"])
        places.extend((kind, code, _union([current[n] for n in groups[code]])) for code in sorted(groups))
    places.append((*REGION, _union([current[n] for n in sorted(current)])))
    return places


def write(places: Sequence[tuple[str, str, Polygon | MultiPolygon]], out: Path) -> None:
    """Write the CSV (UTF-8, LF line ends, fixed decimals) so that reruns give identical bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["soort", "code", "wkt", "punt"])
        for kind, code, shape in places:
            canonical = _canonical(shape)
            point = canonical.point_on_surface()
            writer.writerow([kind, code, wkt(canonical), f"POINT ({point.x:.{DECIMALS}f} {point.y:.{DECIMALS}f})"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output CSV (default: data/reference/geometrieen.csv)")
    args = parser.parse_args(argv)
    try:
        topology = json.loads(TOPOJSON.read_text(encoding="utf-8"))
        with GEMEENTEN.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        places = derive(topology, rows)
    except (OSError, ValueError, KeyError, DerivationError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    write(places, args.out)
    print(f"Wrote {len(places)} places to {args.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

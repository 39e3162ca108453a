"""GeoJSON (RFC 7946) from the graph's ``geo:wktLiteral``s, without a geometry library.

Why our own few lines: every WKT in the graph is written by ``scripts/derive_geometrieen.py`` in
one spelling (CRS84 IRI, then POINT/POLYGON/MULTIPOLYGON, longitude latitude, exterior rings
counter-clockwise as RFC 7946 asks), so turning it into GeoJSON is a change of brackets. A WKT
in any other shape is refused with a clear error rather than guessed at. Used by the web tier
(documents as ``application/geo+json``, lists as FeatureCollections) and the OGC API.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["GeoJSONError", "feature", "feature_collection", "geometry"]

_PAIR = re.compile(r"(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)")
_TYPES = {"POINT": "Point", "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon"}
_SHAPE = re.compile(r"^(?:<[^>]*>\s*)?(POINT|POLYGON|MULTIPOLYGON)\s*(\(.*\))\s*$", re.S)


class GeoJSONError(ValueError):
    """A WKT literal this module does not read (another geometry type or syntax)."""


def geometry(wkt: str) -> dict[str, Any]:
    """The GeoJSON geometry of a WKT POINT, POLYGON or MULTIPOLYGON (CRS IRI in front allowed).

    >>> geometry("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT (4.70090 50.87890)")
    {'type': 'Point', 'coordinates': [4.7009, 50.8789]}
    >>> geometry("POLYGON ((4 50, 5 50, 4 51, 4 50))")["coordinates"]
    [[[4, 50], [5, 50], [4, 51], [4, 50]]]
    >>> geometry("LINESTRING (1 2, 3 4)")
    Traceback (most recent call last):
    ...
    kg.geojson.GeoJSONError: Not a WKT POINT, POLYGON or MULTIPOLYGON: 'LINESTRING (1 2, 3 4)'
    """
    match = _SHAPE.match(wkt)
    if match is None:
        raise GeoJSONError(f"Not a WKT POINT, POLYGON or MULTIPOLYGON: {wkt[:60]!r}")
    kind, body = match.groups()
    text = _PAIR.sub(r"[\1,\2]", body).replace("(", "[").replace(")", "]")
    try:
        coordinates = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoJSONError(f"The WKT {kind} does not read as coordinates: {wkt[:60]!r}") from exc
    if kind == "POINT":
        coordinates = coordinates[0]
    return {"type": _TYPES[kind], "coordinates": coordinates}


def feature(iri: str, wkt: str | None, properties: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON Feature whose ``id`` is the thing's IRI (null geometry when it has none)."""
    return {"type": "Feature", "id": iri, "geometry": geometry(wkt) if wkt else None, "properties": properties}


def feature_collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A GeoJSON FeatureCollection, with any foreign members (``links``, ``numberMatched``…) after."""
    return {"type": "FeatureCollection", "features": features, **members}

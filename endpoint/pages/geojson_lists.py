"""The browse lists as GeoJSON FeatureCollections, for developers and web maps.

``/gemeenten?format=geojson``: every municipality, those
that ended in 2025 too, with its outline; ``/praktijken?format=geojson`` (with the same filters):
every practice that matches, located through the municipalities it names (a MultiPoint of their
representative points; ``null`` geometry when it names none). Each Feature's ``id`` is the IRI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request

from endpoint.pages.build_indexes import Site
from endpoint.pages.facets import Practice
from endpoint.pages.geojson_answers import geojson_bytes
from endpoint.pages.view_models import Lang
from kg.geojson import feature, feature_collection, geometry
from kg.media import GEOJSON

__all__ = ["municipality_collection", "practice_collection", "wants_geojson"]


def wants_geojson(request: Request) -> bool:
    """``?format=geojson``. Only the parameter, not ``Accept``: the HTML of these lists varies by
    language only, so a shared cache must be able to tell the two apart by the URL."""
    name = request.query_params.get("format") or ""
    return name.strip().lower() in ("geojson", GEOJSON.media_type)


def municipality_collection(site: Site, lang: Lang) -> bytes:
    features: list[dict[str, Any]] = []
    for place in site.places.of_kind("gemeente"):
        features.append(feature(place.iri, place.wkt, {
            "naam": lang.label(place.iri), "code": place.iri.rsplit("/", 1)[-1], "huidig": not place.ended,
            "binnen": list(place.within), "praktijken": len(site.practices.under(place.iri)),
            "document": lang.href(place.iri),
        }))
    return geojson_bytes(feature_collection(features))


def practice_collection(site: Site, lang: Lang, results: Sequence[Practice]) -> bytes:
    features: list[dict[str, Any]] = []
    for p in results:
        points = [site.places.places[m].point for m in sorted(p.direct_municipalities) if m in site.places.places]
        coordinates = [geometry(pt)["coordinates"] for pt in points if pt]
        item = feature(p.iri, None, {
            "titel": lang.label(p.iri), "gemeenten": sorted(p.direct_municipalities), "start": p.start, "einde": p.end,
            "document": lang.href(p.iri),
        })
        item["geometry"] = {"type": "MultiPoint", "coordinates": coordinates} if coordinates else None
        features.append(item)
    return geojson_bytes(feature_collection(features))

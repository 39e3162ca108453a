"""GeoJSON answers of the pages: a place's or a practice's document as a Feature.

A place's geometry comes from the document's own triples (``…#geometrie``, ``geo:asWKT``), so the
Feature says exactly what the RDF says; its ``id`` is the thing's IRI, and the properties carry
the names, the code, the validity and the representative point, with links back to the RDF.

A practice has no outline of its own: it is located through the municipalities it names, as in
``/praktijken?format=geojson`` and the OGC collection ``praktijken`` (a MultiPoint of their
representative points), so one practice reads the same in all three. A thing with neither is
refused (406) with the formats it does have.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from endpoint.errors import HTTPProblem
from endpoint.pages.build_indexes import Site
from endpoint.pages.documents import Description
from kg.geojson import feature, geometry
from kg.media import HTML, TURTLE
from kg.namespaces import DCT, GEO, SCHEMA, SKOS

__all__ = ["document_feature", "geojson_bytes", "practice_feature"]


def geojson_bytes(value: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, keys in the order written (deterministic, so the ETag is fair)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _value(triples: list[ox.Triple], subject: str, predicate: ox.NamedNode) -> str | None:
    return next((t.object.value for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == subject
                 and t.predicate == predicate and isinstance(t.object, (ox.NamedNode, ox.Literal))), None)


def _no_geometry(iri: str) -> HTTPProblem:
    return HTTPProblem(406, f"{iri} has no geometry, so there is no GeoJSON of it; "
                            "ask for text/turtle, application/ld+json, application/n-triples, application/rdf+xml or text/html.")


def _links(iri: str, doc_path: str) -> list[dict[str, str]]:
    return [{"rel": "canonical", "href": iri},
            {"rel": "alternate", "type": HTML.media_type, "href": f"{doc_path}.html"},
            {"rel": "alternate", "type": TURTLE.media_type, "href": f"{doc_path}.ttl"}]


def document_feature(site: Site, desc: Description, kind: str, doc_path: str) -> bytes:
    """The Feature of a place's or a practice's document; 406 for a thing without a geometry."""
    if kind == "praktijk":
        return practice_feature(site, desc, doc_path)
    e = desc.entity.value
    wkt = _value(desc.own, f"{e}#geometrie", GEO.asWKT)
    if wkt is None:
        raise _no_geometry(e)
    names = {t.object.language or "": t.object.value for t in desc.own
             if t.subject == desc.entity and t.predicate == SKOS.prefLabel and isinstance(t.object, ox.Literal)}
    point = _value(desc.own, f"{e}#punt", GEO.asWKT)
    properties: dict[str, Any] = {
        "soort": kind,
        "naam": names.get("nl") or next(iter(names.values()), None),
        "namen": dict(sorted(names.items())),
        "code": _value(desc.own, e, SKOS.notation),
        "geldigVan": _value(desc.own, e, SCHEMA.validFrom),
        "geldigTot": _value(desc.own, e, SCHEMA.validThrough),
        "representatiefPunt": geometry(point) if point else None,
        "links": _links(e, doc_path),
    }
    return geojson_bytes(feature(e, wkt, properties))


def practice_feature(site: Site, desc: Description, doc_path: str) -> bytes:
    """A practice as a Feature: the representative points of the municipalities it names (MultiPoint)."""
    e = desc.entity.value
    practice = site.practices.practices.get(e)
    municipalities = sorted(m for m in (practice.direct_municipalities if practice else ()) if m in site.places.places)
    coordinates = [geometry(point)["coordinates"] for m in municipalities if (point := site.places.places[m].point)]
    if not coordinates:
        raise _no_geometry(e)
    titles = {t.object.language or "": t.object.value for t in desc.own
              if t.subject == desc.entity and t.predicate == DCT.title and isinstance(t.object, ox.Literal)}
    properties: dict[str, Any] = {
        "soort": "praktijk",
        "titel": titles.get("nl") or next(iter(titles.values()), None),
        "titels": dict(sorted(titles.items())),
        "gemeenten": municipalities,
        "start": practice.start if practice else None,
        "einde": practice.end if practice else None,
        "links": _links(e, doc_path),
    }
    out = feature(e, None, properties)
    out["geometry"] = {"type": "MultiPoint", "coordinates": coordinates}
    return geojson_bytes(out)

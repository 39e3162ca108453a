"""GeoJSON answers of the pages: a place's document as a Feature.

The geometry comes from the document's own triples (``…#geometrie``, ``geo:asWKT``), so the
Feature says exactly what the RDF says; its ``id`` is the thing's IRI, and the properties carry
the names, the code, the validity and the representative point, with links back to the RDF.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from endpoint.errors import HTTPProblem
from endpoint.pages.documents import Description
from kg.geojson import feature, geometry
from kg.namespaces import GEO, SCHEMA, SKOS

__all__ = ["document_feature", "geojson_bytes"]


def geojson_bytes(value: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, keys in the order written (deterministic, so the ETag is fair)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _value(triples: list[ox.Triple], subject: str, predicate: ox.NamedNode) -> str | None:
    return next((t.object.value for t in triples if isinstance(t.subject, ox.NamedNode) and t.subject.value == subject
                 and t.predicate == predicate and isinstance(t.object, (ox.NamedNode, ox.Literal))), None)


def document_feature(desc: Description, kind: str, doc_path: str) -> bytes:
    """The Feature of a place's document; 406 for a thing without a geometry."""
    e = desc.entity.value
    wkt = _value(desc.own, f"{e}#geometrie", GEO.asWKT)
    if wkt is None:
        raise HTTPProblem(406, f"{e} has no geometry, so there is no GeoJSON of it; "
                               "ask for text/turtle, application/ld+json, application/n-triples, application/rdf+xml or text/html.")
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
        "links": [
            {"rel": "canonical", "href": e},
            {"rel": "alternate", "type": "text/html", "href": f"{doc_path}.html"},
            {"rel": "alternate", "type": "text/turtle", "href": f"{doc_path}.ttl"},
        ],
    }
    return geojson_bytes(feature(e, wkt, properties))

"""``/kwaliteit``: the data quality of the live build, and its trend across the releases.

The build measures (:mod:`kg.artefacts.quality`) and writes the DQV document; this surface
serves it as it is to code (Turtle, JSON-LD, RDF/XML, N-Triples by ``Accept`` or
``?format=``) and shows people a view made from the document's own triples, one language per
page: every metric with its definition and dimension, its value now and in each release
(the release's frozen ``quality.ttl``), and the SHACL counts per kind of record and per shape.
The build's SHACL report is at ``/kwaliteit/validatierapport.ttl``. Metric and measurement
IRIs (``/id/kwaliteitsmetriek/…``, ``/id/kwaliteitsmeting/…``) answer ``303`` to the page.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from endpoint.harvest.answers import SHORT, artefacts_of, serve_file, shelf_of
from endpoint.harvest.dataset_documents import Described, rdf_document
from endpoint.harvest.router import router
from kg.artefacts.layout import QUALITY, Names
from kg.artefacts.quality_metrics import DQV, METRICS
from kg.namespaces import RDF, RDFS, SH, SKOS


@router.api_route("/kwaliteit", methods=["GET", "HEAD"], summary="Data quality (W3C DQV)")
def quality(request: Request) -> Response:
    """The quality measurements of the live build (Turtle, JSON-LD, RDF/XML, N-Triples, HTML)."""
    releases = [(m.version, shelf_of(request).quality_triples(m.version)) for m in shelf_of(request).versions()]
    return rdf_document(request, QUALITY, "/kwaliteit", None, "quality.html", lambda doc, names: quality_view(doc, names, releases))


@router.api_route("/kwaliteit.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
def quality_suffix(request: Request, suffix: str) -> Response:
    return rdf_document(request, QUALITY, "/kwaliteit", suffix, "quality.html", lambda doc, names: quality_view(doc, names, []))


@router.api_route("/kwaliteit/validatierapport.ttl", methods=["GET", "HEAD"], summary="SHACL report of the live build")
def validation_report(request: Request) -> Response:
    """The SHACL validation report of the live build, as the gate wrote it."""
    return serve_file(request, artefacts_of(request).validation_report(), "text/turtle", SHORT,
                      {"Content-Disposition": 'inline; filename="validatierapport.ttl"'})


@router.api_route("/id/kwaliteitsmetriek/{key}", methods=["GET", "HEAD"], include_in_schema=False)
def metric_iri(key: str) -> Response:
    """A metric is defined in the quality document: ``303 See Other`` to its row."""
    return RedirectResponse(f"/kwaliteit#{key}", status_code=303, headers={"Vary": "Accept"})


@router.api_route("/id/kwaliteitsmeting/{rest:path}", methods=["GET", "HEAD"], include_in_schema=False)
def measurement_iri(rest: str) -> Response:
    return RedirectResponse("/kwaliteit", status_code=303, headers={"Vary": "Accept"})


def _values(triples: list[ox.Triple], names: Names) -> dict[str, str]:
    """Metric key → value of its measurement on the whole dataset, in one quality document."""
    doc = Described(triples)
    on_dataset = {t.subject.value for t in triples if t.predicate == DQV.computedOn and t.object == names.dataset
                  and isinstance(t.subject, ox.NamedNode)}
    shaped = {t.subject.value for t in triples if t.predicate == SH.sourceShape and isinstance(t.subject, ox.NamedNode)}
    out = {}
    for measurement in sorted(on_dataset - shaped):
        metric, value = doc.first(measurement, DQV.isMeasurementOf), doc.first(measurement, DQV.value)
        if metric is not None and value is not None:
            out[metric.value.rsplit("/", 1)[-1]] = value.value
    return out


def quality_view(doc: Described, names: Names, releases: list[tuple[str, list[ox.Triple]]]) -> dict[str, Any]:
    """Every metric (in the order of its definition) with its value now and in each release,
    and the SHACL counts per kind and per shape, all read from the documents."""
    triples = doc.triples
    now = _values(triples, names)
    trend = [(version, _values(frozen, names)) for version, frozen in releases]
    metrics = []
    for key in METRICS:
        node = f"{names.base}/id/kwaliteitsmetriek/{key}"
        if doc.first(node, SKOS.prefLabel) is None:
            continue
        measured = [m for m in doc.subjects(DQV.isMeasurementOf, node)
                    if doc.first(m, DQV.computedOn) == names.dataset and doc.first(m, SH.sourceShape) is None]
        comment = {lang: doc.text(measured[0], RDFS.comment, lang) for lang in ("nl", "en")} if measured else {}
        metrics.append({
            "key": key, "label_nl": doc.text(node, SKOS.prefLabel, "nl"), "label_en": doc.text(node, SKOS.prefLabel, "en"),
            "definition_nl": doc.text(node, SKOS.definition, "nl"), "definition_en": doc.text(node, SKOS.definition, "en"),
            "dimension": (doc.first(node, DQV.inDimension) or ox.NamedNode("#")).value.rsplit("#", 1)[-1],
            "value": now.get(key), "counts_nl": comment.get("nl", ""), "counts_en": comment.get("en", ""),
            "trend": [values.get(key) for _version, values in trend],
        })
    return {"metrics": metrics, "versions": [version for version, _ in trend],
            "per_kind": _breakdown(doc, names, triples, by_shape=False), "per_shape": _breakdown(doc, names, triples, by_shape=True)}


def _breakdown(doc: Described, names: Names, triples: list[ox.Triple], by_shape: bool) -> list[dict[str, Any]]:
    """SHACL counts (violations, warnings) per kind of record (the measurement IRI's last
    segment) or per shape (its ``sh:sourceShape``)."""
    rows: dict[str, dict[str, Any]] = {}
    for t in triples:
        if t.predicate != RDF.type or t.object != DQV.QualityMeasurement or not isinstance(t.subject, ox.NamedNode):
            continue
        iri = t.subject.value
        metric = doc.first(iri, DQV.isMeasurementOf)
        shape = doc.first(iri, SH.sourceShape)
        if metric is None or metric.value.rsplit("/", 1)[-1] not in ("shacl-schendingen", "shacl-waarschuwingen"):
            continue
        if by_shape != (shape is not None) or (not by_shape and "/soort/" not in iri):
            continue
        name = shape.value.rsplit("#", 1)[-1] if shape is not None else iri.rsplit("/", 1)[-1]
        row = rows.setdefault(name, {"name": name, "shacl-schendingen": "0", "shacl-waarschuwingen": "0"})
        value = doc.first(iri, DQV.value)
        row[metric.value.rsplit("/", 1)[-1]] = value.value if value is not None else "0"
    return [rows[k] for k in sorted(rows)]

"""The data quality in the catalogue: the measurements on the dataset and the SHACL report.

A portal that harvests ``/catalog`` sees the quality figures beside the dataset, without a
second request: the dataset ``dqv:hasQualityMeasurement`` each measurement computed on it
(the totals and shares of :mod:`kg.artefacts.quality`), with each measurement's metric,
value and time, and every ``dqv:Metric`` with its label, definition and dimension. The
measurements per kind of record and per shape stay in the quality document (``/kwaliteit``).
The build's SHACL report is a distribution of its own, ``/kwaliteit/validatierapport.ttl``,
with size and checksum like every file distribution.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.catalog_distributions import DCATAP, FILE_TYPE, IANA, LICENCE, STABLE
from kg.artefacts.layout import QUALITY, VALIDATION_REPORT, Names, sha256_of
from kg.artefacts.quality_metrics import DQV
from kg.namespaces import DCAT, DCT, RDF, SH, SPDX, XSD

__all__ = ["QUALITY_PAGE", "REPORT_URL_PATH", "quality_catalog_triples"]

#: Where people and code find the quality of the live build, and its SHACL report.
QUALITY_PAGE = "kwaliteit"
REPORT_URL_PATH = ("kwaliteit", "validatierapport.ttl")
SHACL_STANDARD = ox.NamedNode("https://www.w3.org/TR/shacl/")


def quality_catalog_triples(names: Names, artefacts: Path) -> Iterator[ox.Triple]:
    """What the catalogue says about the quality of the live build (nothing when it has none)."""
    try:
        quads = list(ox.parse(path=str(artefacts / f"{QUALITY}.ttl"), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError):
        quads = []
    on_dataset = {q.subject for q in quads if q.predicate == DQV.computedOn and q.object == names.dataset}
    on_dataset -= {q.subject for q in quads if q.predicate == SH.sourceShape}
    metrics = {q.subject for q in quads if q.predicate == RDF.type and q.object == DQV.Metric}
    for q in quads:
        if q.subject in on_dataset or q.subject in metrics:
            yield ox.Triple(q.subject, q.predicate, q.object)
        elif q.subject == names.dataset and q.object in on_dataset:
            yield ox.Triple(q.subject, q.predicate, q.object)
    report = artefacts / VALIDATION_REPORT
    if report.is_file():
        yield from _report_distribution(names, report)


def _report_distribution(names: Names, report: Path) -> Iterator[ox.Triple]:
    dist = names.distribution("lokaalcirculair-validatierapport")
    url = ox.NamedNode(names.url(*REPORT_URL_PATH))
    checksum = ox.NamedNode(dist.value + "#sha256")
    yield from (
        ox.Triple(names.dataset, DCAT.distribution, dist),
        ox.Triple(dist, RDF.type, DCAT.Distribution),
        ox.Triple(dist, DCT.identifier, ox.Literal("lokaalcirculair-validatierapport")),
        ox.Triple(dist, DCT.title, ox.Literal("SHACL-validatierapport van de huidige build", language="nl")),
        ox.Triple(dist, DCT.title, ox.Literal("SHACL validation report of the current build", language="en")),
        ox.Triple(dist, DCT.description, ox.Literal(
            "Alle resultaten van de SHACL-controle van de gepubliceerde data (schendingen houden een build tegen, "
            "waarschuwingen niet), met record, bestand en regel; de kwaliteitsmetingen staan op /kwaliteit.", language="nl")),
        ox.Triple(dist, DCT.description, ox.Literal(
            "Every result of the SHACL check of the published data (violations stop a build, warnings do not), with "
            "record, file and line; the quality measurements are at /kwaliteit.", language="en")),
        ox.Triple(dist, DCAT.downloadURL, url),
        ox.Triple(dist, DCAT.accessURL, url),
        ox.Triple(dist, DCAT.mediaType, ox.NamedNode(IANA + "text/turtle")),
        ox.Triple(dist, DCT["format"], ox.NamedNode(FILE_TYPE + "RDF_TURTLE")),
        ox.Triple(dist, DCT.conformsTo, SHACL_STANDARD),
        ox.Triple(SHACL_STANDARD, RDF.type, DCT.Standard),
        ox.Triple(dist, DCAT.byteSize, ox.Literal(str(report.stat().st_size), datatype=XSD.nonNegativeInteger)),
        ox.Triple(dist, SPDX.checksum, checksum),
        ox.Triple(checksum, RDF.type, SPDX.Checksum),
        ox.Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        ox.Triple(checksum, SPDX.checksumValue, ox.Literal(sha256_of(report), datatype=XSD.hexBinary)),
        ox.Triple(dist, DCT.license, LICENCE),
        ox.Triple(dist, DCATAP.availability, STABLE),
    )

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

from kg.artefacts.catalog_distributions import file_distribution
from kg.artefacts.layout import QUALITY, VALIDATION_REPORT, Names, sha256_of
from kg.artefacts.quality_metrics import DQV
from kg.namespaces import DCT, RDF, SH

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
    yield from file_distribution(
        names.dataset, dist, "lokaalcirculair-validatierapport", names.url(*REPORT_URL_PATH),
        titles=("SHACL-validatierapport van de huidige build", "SHACL validation report of the current build"),
        descriptions=(
            "Alle resultaten van de SHACL-controle van de gepubliceerde data (schendingen houden een build tegen, "
            "waarschuwingen niet), met record, bestand en regel; de kwaliteitsmetingen staan op /kwaliteit.",
            "Every result of the SHACL check of the published data (violations stop a build, warnings do not), with "
            "record, file and line; the quality measurements are at /kwaliteit."),
        media="text/turtle", file_type="RDF_TURTLE", standard=SHACL_STANDARD.value,
        size=report.stat().st_size, sha256=sha256_of(report),
    )
    yield ox.Triple(SHACL_STANDARD, RDF.type, DCT.Standard)

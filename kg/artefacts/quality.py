"""The data quality of each build, measured by the build and published as data (W3C DQV).

Every build runs the metrics of :mod:`kg.artefacts.quality_metrics` on its new store and its
SHACL report and writes ``artefacts/quality.{ttl,jsonld,rdf,nt}``: the ``dqv:Metric``
definitions (label, definition in nl and en, dimension) and one ``dqv:QualityMeasurement``
per value, IRI ``{base}/id/kwaliteitsmeting/{build-id}/{key}[/…]`` (a measurement is a fact of
one build, never rewritten). The catalogue links the dataset to the measurements computed on
it (``dqv:hasQualityMeasurement``); ``/kwaliteit`` shows them to people and serves the
document to code. Measurements say what they were computed on:

* the dataset (``dqv:computedOn`` the dataset): the totals and shares;
* one kind of record: its VoID class partition (the SHACL counts per kind, every kind
  with records, zeros included);
* one shape: the dataset, with ``sh:sourceShape`` the shape (only shapes with results).

A share is ``k/n`` rounded to four decimals, with ``k`` and ``n`` in an ``rdfs:comment``; a
share of nothing (``n = 0``) is not measured rather than invented.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pyoxigraph as ox

from kg.artefacts.layout import QUALITY, Names, Queryable, write_rdf
from kg.artefacts.quality_metrics import DQV, METRICS, Metric
from kg.artefacts.quality_store import StoreAnswers, ask_store
from kg.artefacts.step import ArtefactInputs, ArtefactStep, Need
from kg.artefacts.void import class_partition
from kg.namespaces import PREFIXES, PROV, RDF, RDFS, SH, SKOS, XSD
from kg.records.format import RECORD_KINDS
from kg.shacl.report import ValidationReport

__all__ = ["PREFIXES_QUALITY", "QUALITY_STEP", "Measurement", "measure", "quality_triples", "write_quality"]

PREFIXES_QUALITY: dict[str, str] = {
    **{k: PREFIXES[k] for k in ("dct", "prov", "rdf", "rdfs", "sh", "skos", "xsd", "void")},
    "dqv": DQV.prefix, "ldqd": "http://www.w3.org/2016/05/ldqd#",
}


class Measurement:
    """One value of one metric, and what it was computed on."""

    def __init__(self, key: str, value: int | float, on: ox.NamedNode, suffix: str = "",
                 shape: str | None = None, counts: tuple[int, int] | None = None) -> None:
        self.metric: Metric = METRICS[key]
        self.value = value
        self.on = on
        self.suffix = suffix
        self.shape = shape
        self.counts = counts

    def literal(self) -> ox.Literal:
        if self.metric.datatype == XSD.integer:
            return ox.Literal(str(int(self.value)), datatype=XSD.integer)
        return ox.Literal(f"{self.value:.4f}", datatype=XSD.decimal)


def write_quality(inputs: ArtefactInputs) -> dict[str, int]:
    """The quality document of this build (Turtle, JSON-LD, RDF/XML, N-Triples)."""
    names = Names.of(inputs.settings)
    found = measure(names, inputs.slot, inputs.report, inputs.build_id, inputs.quality_answers)
    write_rdf(inputs.slot.artefacts_dir, QUALITY, quality_triples(names, found, inputs.build_id), PREFIXES_QUALITY,
              first=names.base + "/id/")
    return {"measurements": len(found)}


#: Runs on the new store past the gate; the catalogue (after it) links the measurements.
QUALITY_STEP = ArtefactStep(
    "quality", "Data-quality measurements (DQV)", write_quality,
    needs=frozenset({Need.STORE}), makes=frozenset({Need.QUALITY}),
)


def measure(names: Names, store: Queryable, report: ValidationReport | None, build_id: str,
            answers: StoreAnswers | None = None) -> list[Measurement]:
    """Every measurement of one build, in the order of :data:`METRICS` (``answers``: the
    store's answers when they were asked ahead, else ``store`` is asked now)."""
    answers = answers or ask_store(store, names.uri_space)
    out = list(_shacl(names, report or ValidationReport()))
    for key, (n, k) in answers.ratios.items():
        if n:
            out.append(Measurement(key, k / n, names.dataset, counts=(k, n)))
    n, k = answers.translations
    if n:
        out.append(Measurement("vertaalde-teksten", k / n, names.dataset, counts=(k, n)))
    if answers.modified is not None:
        built = date(int(build_id[:4]), int(build_id[4:6]), int(build_id[6:8]))
        oldest, newest = answers.modified
        for key, value in (("dagen-sinds-nieuwste-wijziging", newest), ("dagen-sinds-oudste-wijziging", oldest)):
            out.append(Measurement(key, (built - date.fromisoformat(value[:10])).days, names.dataset))
    return out


def _shacl(names: Names, report: ValidationReport) -> Iterator[Measurement]:
    for key, severity in (("shacl-schendingen", "Violation"), ("shacl-waarschuwingen", "Warning")):
        results = [r for r in report.results if r.severity == severity]
        yield Measurement(key, len(results), names.dataset)
        per_kind = Counter(r.kind for r in results)
        for kind in sorted(k for k, spec in RECORD_KINDS.items() if spec.folder is not None and spec.classes):
            yield Measurement(key, per_kind.get(kind, 0), class_partition(names, RECORD_KINDS[kind].classes[0]), f"/soort/{kind}")
        per_shape = Counter(r.shape for r in results if r.shape)
        for shape, count in sorted(per_shape.items()):
            yield Measurement(key, count, names.dataset, f"/shape/{shape.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}", shape=shape)


def measurement_iri(names: Names, build_id: str, measurement: Measurement) -> ox.NamedNode:
    return ox.NamedNode(f"{names.base}/id/kwaliteitsmeting/{build_id}/{measurement.metric.key}{measurement.suffix}")


def metric_iri(names: Names, metric: Metric) -> ox.NamedNode:
    return ox.NamedNode(f"{names.base}/id/kwaliteitsmetriek/{metric.key}")


def quality_triples(names: Names, found: list[Measurement], build_id: str) -> Iterator[ox.Triple]:
    """The metric definitions and the measurements of one build."""
    for metric in METRICS.values():
        node = metric_iri(names, metric)
        yield from (
            ox.Triple(node, RDF.type, DQV.Metric),
            ox.Triple(node, SKOS.prefLabel, ox.Literal(metric.label_nl, language="nl")),
            ox.Triple(node, SKOS.prefLabel, ox.Literal(metric.label_en, language="en")),
            ox.Triple(node, SKOS.definition, ox.Literal(metric.definition_nl, language="nl")),
            ox.Triple(node, SKOS.definition, ox.Literal(metric.definition_en, language="en")),
            ox.Triple(node, DQV.inDimension, metric.dimension),
            ox.Triple(node, DQV.expectedDataType, metric.datatype),
        )
    generated = ox.Literal(f"{build_id[:4]}-{build_id[4:6]}-{build_id[6:8]}T{build_id[9:11]}:{build_id[11:13]}:{build_id[13:15]}Z",
                           datatype=XSD.dateTime)
    for m in found:
        node = measurement_iri(names, build_id, m)
        yield from (
            ox.Triple(m.on, DQV.hasQualityMeasurement, node),
            ox.Triple(node, RDF.type, DQV.QualityMeasurement),
            ox.Triple(node, DQV.isMeasurementOf, metric_iri(names, m.metric)),
            ox.Triple(node, DQV.computedOn, m.on),
            ox.Triple(node, DQV.value, m.literal()),
            ox.Triple(node, PROV.generatedAtTime, generated),
        )
        if m.shape:
            yield ox.Triple(node, SH.sourceShape, ox.NamedNode(m.shape))
        if m.counts:
            k, n = m.counts
            yield ox.Triple(node, RDFS.comment, ox.Literal(f"{k} van {n}", language="nl"))
            yield ox.Triple(node, RDFS.comment, ox.Literal(f"{k} of {n}", language="en"))

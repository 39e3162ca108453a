"""Arrondissements and provinces: places of their own, derived from the municipality rows.

Why a module: the municipality CSV (``data/reference/gemeenten.csv``, Statbel REFNIS facts) has
one row per municipality, and each row names its arrondissement and province; the two levels
above become graphs of their own (``{base}/graph/arrondissement/{code}``), with the names the
rows give (Dutch, and French where the reference data gives it) and the same source as the rows.
Kept apart from :mod:`kg.rdf.mapping`, which maps records one by one.

    >>> [kind for kind, *_ in LEVELS]
    ['arrondissement', 'provincie']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.namespaces import CIRC, DCT, PROV, RDF, RDFS, SCHEMA, SKOS
from kg.rdf.geometry import geometry_quads
from kg.rdf.iris import Iris
from kg.rdf.literals import date_literal
from kg.rdf.record_graph import RecordGraph
from kg.records.geometries import Geometry
from kg.records.record import Record

__all__ = ["LEVELS", "STATBEL_SOURCE", "place_graphs"]

#: Where municipality, arrondissement and province facts come from (a ``bron`` record).
STATBEL_SOURCE = "statbel-refnis"

#: Each level above the municipality: (kind, its class, the row's code column, its name column
#: per language).
LEVELS: tuple[tuple[str, NamedNode, str, tuple[tuple[str, str], ...]], ...] = (
    ("arrondissement", CIRC.Arrondissement, "arrondissement_code", (("nl", "arrondissement"), ("fr", "arrondissement_fr"))),
    ("provincie", CIRC.Provincie, "provincie_code", (("nl", "provincie"), ("fr", "provincie_fr"))),
)


def place_graphs(municipalities: Sequence[Record], iris: Iris, geometries: Mapping[tuple[str, str], Geometry]) -> list[RecordGraph]:
    """Arrondissements and provinces, from the columns of the municipality rows.

    A place takes its name in each language from the first row (in NIS order) that names it in
    that language, and its ``dct:modified`` from the latest row about it, so the result is
    deterministic.
    """
    graphs: list[RecordGraph] = []
    for kind, cls, code_key, names in LEVELS:
        rows: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for record in municipalities:
            if record.data.get(code_key):
                rows[str(record.data[code_key])].append(record.data)
        for code in sorted(rows):
            graphs.append(_place(kind, cls, code, names, rows[code], iris, geometries))
    return graphs


def _place(
    kind: str, cls: NamedNode, code: str, names: tuple[tuple[str, str], ...], rows: Sequence[Mapping[str, Any]],
    iris: Iris, geometries: Mapping[tuple[str, str], Geometry],
) -> RecordGraph:
    """The graph of one arrondissement or province, from the rows of its municipalities."""
    subject, name = iris.entity(kind, code), iris.graph(kind, code)
    quads: list[Quad] = []

    def add(predicate: NamedNode, obj: NamedNode | Literal) -> None:
        quads.append(Quad(subject, predicate, obj, name))

    add(RDF.type, cls)
    for language, column in names:
        label = next((row[column] for row in rows if row.get(column)), None)
        if label:
            add(SKOS.prefLabel, Literal(str(label), language=language))
            add(RDFS.label, Literal(str(label), language=language))
    add(SKOS.notation, Literal(code))
    if kind == "arrondissement":
        for province in sorted({str(row["provincie_code"]) for row in rows if row.get("provincie_code")}):
            add(SCHEMA.containedInPlace, iris.entity("provincie", province))
    add(PROV.wasDerivedFrom, iris.entity("bron", STATBEL_SOURCE))
    modified = max((str(row["gewijzigd"]) for row in rows if row.get("gewijzigd")), default=None)
    if modified:
        add(DCT.modified, date_literal(modified))
    if (kind, code) in geometries:
        quads += geometry_quads(subject, name, geometries[(kind, code)])
    return RecordGraph(kind, code, name, subject, tuple(quads), None)

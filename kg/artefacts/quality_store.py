"""What the data-quality metrics ask of the store (:mod:`kg.artefacts.quality`), as plain values.

Why apart from the measurements: at 100 000 practices these queries cost ~28 CPU-seconds on
the new on-disk store, after the gate, on the build's critical path. The SHACL child holds
the merged graph (the union of the new store's graphs, which is what these queries read) in
memory and asks them there beside the dumps (:mod:`kg.build.shacl_child`); the answers cross
the process boundary pickled, and :func:`kg.artefacts.quality.measure` makes the same
measurements of them as of the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.artefacts.layout import Queryable, select
from kg.artefacts.quality_metrics import METRICS
from kg.namespaces import PREFIXES, RDFS

__all__ = ["StoreAnswers", "ask_store"]


@dataclass(frozen=True)
class StoreAnswers:
    """The answers of one store (or merged graph) to the metrics' queries."""

    #: Per metric with a query: (n, k).
    ratios: dict[str, tuple[int, int]]
    #: Texts with a Dutch value, and how many of them also have an English one: (n, k).
    translations: tuple[int, int]
    #: The oldest and newest ``dct:modified`` of the things in the URI space, when any.
    modified: tuple[str, str] | None


def ask_store(store: Queryable, uri_space: str) -> StoreAnswers:
    """Ask the metrics' queries of ``store`` (whose default graph is the merged graph)."""
    ratios: dict[str, tuple[int, int]] = {}
    for metric in METRICS.values():
        if metric.query:
            rows = select(store, metric.query)
            n, k = (int(rows[0][v].value) for v in ("n", "k")) if rows else (0, 0)
            ratios[metric.key] = (n, k)
    return StoreAnswers(ratios, _translations(store, uri_space), _modified(store, uri_space))


def _translations(store: Queryable, uri_space: str) -> tuple[int, int]:
    query = f"""PREFIX rdfs: <{RDFS.prefix}>
SELECT (COUNT(*) AS ?n) (SUM(IF(?en, 1, 0)) AS ?k) WHERE {{
  {{ SELECT DISTINCT ?s ?p WHERE {{
      ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{uri_space}") && ?p != rdfs:label && LANG(?o) = "nl") }} }}
  BIND(EXISTS {{ ?s ?p ?e FILTER(LANG(?e) = "en") }} AS ?en)
}}"""
    rows = select(store, query)
    n = int(rows[0]["n"].value) if rows and "n" in rows[0] else 0
    k = int(rows[0]["k"].value) if rows and "k" in rows[0] else 0
    return n, k


def _modified(store: Queryable, uri_space: str) -> tuple[str, str] | None:
    query = f"""PREFIX dct: <{PREFIXES['dct']}>
SELECT (MIN(STR(?d)) AS ?oldest) (MAX(STR(?d)) AS ?newest) WHERE {{
  ?r dct:modified ?d FILTER(isIRI(?r) && STRSTARTS(STR(?r), "{uri_space}")) }}"""
    rows = select(store, query)
    if not rows or "newest" not in rows[0]:
        return None
    return rows[0]["oldest"].value, rows[0]["newest"].value

"""kg.artefacts.quality_store: the SHACL child's answers to the quality metrics are the store's.

A full build asks the metrics' queries of the child's in-memory merged graph (every graph's
triples in the default graph) instead of the new on-disk store (named graphs, queried as their
union). Both are real Oxigraph stores here, loaded with the same mapped graphs of the real data;
the answers must be equal, and not trivially (every ratio and the dates are measured).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.artefacts.quality_metrics import METRICS
from kg.artefacts.quality_store import ask_store
from kg.rdf.mapping import map_corpus
from kg.records.corpus import load_corpus
from kg.settings import PROJECT_ROOT

BASE = "https://data.lokaalcirculair.be"


class _Union:
    """The on-disk store as the build's slot queries it: the union of its named graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(self, sparql: str, /) -> object:
        return self.store.query(sparql, use_default_graph_as_union=True)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[ox.Store, ox.Store]:
    corpus = load_corpus(PROJECT_ROOT / "data", PROJECT_ROOT / "ontology" / "vocabularies")
    graphs = map_corpus(corpus, BASE, PROJECT_ROOT / "ontology" / "circulair.ttl")
    on_disk = ox.Store(str(tmp_path_factory.mktemp("quality") / "store"))
    on_disk.bulk_extend(q for g in graphs for q in g.quads)
    merged = ox.Store()
    merged.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for g in graphs for q in g.quads)
    return on_disk, merged


def test_the_merged_graph_answers_as_the_union_of_the_named_graphs(stores: tuple[ox.Store, ox.Store]) -> None:
    on_disk, merged = stores
    uri_space = BASE + "/id/"
    from_store = ask_store(_Union(on_disk), uri_space)
    from_child = ask_store(merged, uri_space)
    assert from_child == from_store
    assert set(from_store.ratios) == {m.key for m in METRICS.values() if m.query}
    assert all(n > 0 for n, _ in from_store.ratios.values())
    assert from_store.translations[0] > 0
    assert from_store.modified is not None and from_store.modified[0] <= from_store.modified[1]


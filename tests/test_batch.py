"""kg.build.parallel: parallel reading and mapping gives the very graphs of load_corpus + map_corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import parallel as batch
from kg.errors import SourceError
from kg.rdf.mapping import map_corpus
from kg.records.corpus import load_corpus
from kg.settings import PROJECT_ROOT
from kg.store.synthetic_marker import SYNTHETIC_BASE_IRI
from kg.synth.generator import synthesize

VOCAB = PROJECT_ROOT / "ontology" / "vocabularies"
ONTOLOGY = PROJECT_ROOT / "ontology" / "circulair.ttl"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "data"
    synthesize(out, 120, source_data=PROJECT_ROOT / "data", vocab_dir=VOCAB, seed=3)
    return out


@pytest.mark.parametrize("processes", [1, 2])
def test_same_graphs_in_the_same_order_as_map_corpus(data: Path, tmp_path: Path, processes: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "PARALLEL_FROM", 10)
    monkeypatch.setattr(batch, "CHUNK_FILES", 40)  # several chunks, so order across chunks is tested
    expected = map_corpus(load_corpus(data, VOCAB), SYNTHETIC_BASE_IRI, ONTOLOGY)
    got = batch.read_and_map(data, VOCAB, SYNTHETIC_BASE_IRI, ONTOLOGY, tmp_path, processes=processes)
    assert len(got.nquads) > 2
    assert [(g.kind, g.id, g.graph, g.subject) for g in got.graphs] == [(g.kind, g.id, g.graph, g.subject) for g in expected]
    assert [g.quads for g in got.graphs] == [g.quads for g in expected]
    assert got.quads == sum(len(g.quads) for g in expected)
    practice = next(g for g in got.graphs if g.kind == "praktijk")
    assert practice.record is not None and practice.record.line("titel") == 3


def test_problems_are_reported_like_load_corpus(data: Path, tmp_path: Path) -> None:
    broken = tmp_path / "data"
    import shutil

    shutil.copytree(data, broken)
    practice = broken / "praktijken" / "synth-praktijk-1.yaml"
    practice.write_text(practice.read_text(encoding="utf-8").replace("type:", "typo:", 1), encoding="utf-8")
    (broken / "praktijken" / "notes.txt").write_text("x")
    with pytest.raises(SourceError) as expected:
        load_corpus(broken, VOCAB)
    with pytest.raises(SourceError) as got:
        batch.read_and_map(broken, VOCAB, SYNTHETIC_BASE_IRI, ONTOLOGY, tmp_path / "work")
    assert [str(p) for p in got.value.problems] == [str(p) for p in expected.value.problems]


def test_the_build_with_workers_and_the_shacl_child(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a 100 000-practice build does, on 120: workers, the gate and triple dumps in a child."""
    import gzip

    import pyoxigraph as ox

    from kg.artefacts.layout import VOID_GRAPH
    from kg.build.pipeline import build
    from kg.errors import ValidationFailed
    from kg.settings import Settings

    monkeypatch.setattr(batch, "PARALLEL_FROM", 10)
    monkeypatch.setattr(batch, "CHUNK_FILES", 40)
    monkeypatch.setattr(batch, "CHILD_FROM", 0)
    settings = Settings(store=str(tmp_path / "store"), data_dir=data, base_iri=SYNTHETIC_BASE_IRI,
                        ontology_dir=PROJECT_ROOT / "ontology", shapes_dir=PROJECT_ROOT / "shapes")
    result = build(settings)
    assert any(name.startswith("child: ") for name in result.timings)
    dumps = result.folder / "artefacts" / "dumps"
    with gzip.open(dumps / "lokaalcirculair.nq.gz") as handle:
        quads = set(ox.parse(handle.read(), format=ox.RdfFormat.N_QUADS))
    store = ox.Store.read_only(str(result.folder / "oxigraph"))
    # The store is the dump plus the VoID graph, which describes the dumps (issue #11).
    void_graph = ox.NamedNode(SYNTHETIC_BASE_IRI + VOID_GRAPH)
    described = set(store.quads_for_pattern(None, None, None, void_graph))
    assert described and quads == set(store) - described and len(quads) + len(described) == result.triples
    with gzip.open(dumps / "lokaalcirculair.nt.gz") as handle:
        triples = {q.triple for q in ox.parse(handle.read(), format=ox.RdfFormat.N_TRIPLES)}
    assert triples == {q.triple for q in quads}
    assert not list((tmp_path / "store" / "builds").glob(".tmp-*"))

    # A Violation found in the child stops the build; a broken shapes file is a clear SourceError.
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "strict.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/s> sh:targetClass <https://data.lokaalcirculair.be/ns/circulair#Praktijk> ;\n"
        "  sh:property [ sh:path <https://example.org/nooit> ; sh:minCount 1 ] .\n"
    )
    with pytest.raises(ValidationFailed):
        build(settings.replace(shapes_dir=shapes))
    (shapes / "strict.ttl").write_text("this is not turtle")
    with pytest.raises(SourceError, match="strict.ttl"):
        build(settings.replace(shapes_dir=shapes))
    assert (tmp_path / "store" / "current").resolve() == result.folder

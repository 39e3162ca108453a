"""The fast SHACL engine (kg.shacl.compiled) against the reference (pyshacl).

Both must report exactly the same results, compared as a multiset of (focus node,
path, constraint component, severity, value): on the sample records and the real
data with the repository shapes, on synthetic practices with planted defects, on
records broken at the RDF level, and on a shapes file that uses every SHACL Core
component the compiler handles.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from sample_data import BASE, sample_corpus

from kg.namespaces import DCT, RDF, RDFS, SH
from kg.rdf.mapping import RecordGraph, map_corpus
from kg.records.corpus import load_corpus
from kg.settings import PROJECT_ROOT
from kg.shacl import compiled as shaclsparql
from kg.shacl.gate import ValidationReport, validate
from kg.shacl.results import path_text
from kg.store.synthetic_marker import SYNTHETIC_BASE_IRI
from kg.synth.defects import DEFECTS, Defect
from kg.synth.generator import synthesize

SHAPES = PROJECT_ROOT / "shapes"
ONTOLOGY = PROJECT_ROOT / "ontology"
FIXTURES = Path(__file__).parent / "fixtures" / "shacl"

# rdflib warns when pyshacl compares literals of different types (sh:lessThan on the fixtures).
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

Key = tuple[str, str | None, str, str, str | None]


def keys(report: ValidationReport) -> Counter[Key]:
    return Counter((r.focus_node, r.path, r.component, r.severity, r.value) for r in report.results)


def assert_same(graphs: list[RecordGraph], shapes: Path = SHAPES) -> ValidationReport:
    fast = validate(graphs, shapes, engine="sparql")
    reference = validate(graphs, shapes, engine="pyshacl")
    assert keys(fast) == keys(reference)
    assert [(r.file, r.line, r.message_nl, r.message_en) for r in fast.results] == [
        (r.file, r.line, r.message_nl, r.message_en) for r in reference.results
    ]
    return fast


def test_sample_records(tmp_path: Path) -> None:
    graphs = map_corpus(sample_corpus(tmp_path), BASE, ONTOLOGY / "circulair.ttl")
    assert_same(graphs)


def test_real_data() -> None:
    corpus = load_corpus(PROJECT_ROOT / "data", ONTOLOGY / "vocabularies")
    report = assert_same(map_corpus(corpus, BASE, ONTOLOGY / "circulair.ttl"))
    assert report.conforms


def test_periods_and_lists_inside_items_broken_at_the_rdf_level() -> None:
    """The shapes of issue 17's per-source periods and nested list items, on the real data with
    defects the record checks would have stopped: both engines must find the same."""
    corpus = load_corpus(PROJECT_ROOT / "data", ONTOLOGY / "vocabularies")
    dcat = "http://www.w3.org/ns/dcat#"
    schema = "http://schema.org/"
    out = []
    for graph in map_corpus(corpus, BASE, ONTOLOGY / "circulair.ttl"):
        quads, g = list(graph.quads), graph.graph
        if graph.id == "aal-circulair":  # a period with no date, and one with two starts, one not a date
            period = ox.NamedNode(graph.subject.value + "#periode-1")
            quads = [q for q in quads if not (q.subject == period and q.predicate.value.startswith(dcat))]
            second = ox.NamedNode(graph.subject.value + "#periode-2")
            quads += [ox.Quad(graph.subject, DCT.temporal, second, g), ox.Quad(second, RDF.type, DCT.PeriodOfTime, g),
                      ox.Quad(second, ox.NamedNode(dcat + "startDate"), ox.Literal("2017"), g),
                      ox.Quad(second, ox.NamedNode(dcat + "startDate"), ox.Literal("2018", datatype=ox.NamedNode(
                          "http://www.w3.org/2001/XMLSchema#gYear")), g)]
        elif graph.id == "doe-netwerk-lokaal-circulair":  # an item of an item that is no item, at a wrong IRI
            item = ox.NamedNode(graph.subject.value + "#opsomming-klimaatplan-1")
            quads.append(ox.Quad(item, ox.NamedNode(schema + "itemListElement"), ox.NamedNode(graph.subject.value + "#x"), g))
        out.append(RecordGraph(graph.kind, graph.id, graph.graph, graph.subject, tuple(quads), graph.record))
    report = assert_same(out)
    components = {r.component.rsplit("#", 1)[-1] for r in report.violations}
    assert {"OrConstraintComponent", "MaxCountConstraintComponent", "ClassConstraintComponent", "PatternConstraintComponent"} <= components
    assert {r.focus_node.rsplit("#", 1)[-1] for r in report.violations} >= {"periode-1", "periode-2", "opsomming-klimaatplan-1"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[RecordGraph], dict[str, str]]:
    """150 synthetic practices, one in ten with a defect the SHACL shapes (not the record checks) catch."""
    out = tmp_path_factory.mktemp("synth") / "data"
    summary = synthesize(
        out, 150, source_data=PROJECT_ROOT / "data", vocab_dir=ONTOLOGY / "vocabularies", seed=7, broken_share=0.1,
        defects=[d.name for d in shaclsparql_defects()],
    )
    corpus = load_corpus(out, ONTOLOGY / "vocabularies")
    return map_corpus(corpus, SYNTHETIC_BASE_IRI, ONTOLOGY / "circulair.ttl"), summary.broken


def shaclsparql_defects() -> list[Defect]:
    return [d for d in DEFECTS if d.stage == "shacl"]


def test_synthetic_practices_with_planted_defects(synthetic: tuple[list[RecordGraph], dict[str, str]]) -> None:
    graphs, broken = synthetic
    report = assert_same(graphs)
    flagged = {r.record_id for r in report.results}
    assert len(broken) == 15
    for practice, defect in broken.items():
        # a grant defect shows on the practice's grant record
        expected = practice.replace("praktijk", "financiering") if defect == "subsidie-zonder-bedrag" else practice
        assert expected in flagged, f"{defect} in {practice} was not reported"


def _break(graphs: list[RecordGraph]) -> list[RecordGraph]:
    """Planted RDF-level defects on a few practices: what a faulty mapping could write."""
    out: list[RecordGraph] = []
    damaged = 0
    for graph in graphs:
        if graph.kind != "praktijk" or damaged >= 6:
            out.append(graph)
            continue
        quads = list(graph.quads)
        s, g = graph.subject, graph.graph
        if damaged == 0:  # no title, no label
            quads = [q for q in quads if q.predicate not in (DCT.title, RDFS.label)]
        elif damaged == 1:  # a second modification date, and one that is not a date
            quads.append(ox.Quad(s, DCT.modified, ox.Literal("gisteren"), g))
        elif damaged == 2:  # a title in French only and twice in Dutch
            quads = [q for q in quads if q.predicate != DCT.title]
            quads += [ox.Quad(s, DCT.title, ox.Literal(t, language=lang), g) for t, lang in (("Titre", "fr"), ("Een", "nl"), ("Twee", "nl"))]
        elif damaged == 3:  # a theme that is a practice, and a literal as municipality
            quads.append(ox.Quad(s, ox.NamedNode("https://data.lokaalcirculair.be/ns/circulair#thema"), s, g))
            quads.append(ox.Quad(s, DCT.spatial, ox.Literal("Leuven"), g))
        elif damaged == 4:  # an actor without a role or agent, and an untyped extra type
            quads = [q for q in quads if "#rol-1" not in q.subject.value]
            quads.append(ox.Quad(s, RDF.type, ox.NamedNode("https://example.org/Onbekend"), g))
        else:  # a source that is a literal
            quads.append(ox.Quad(s, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), ox.Literal("bron"), g))
        damaged += 1
        out.append(RecordGraph(graph.kind, graph.id, graph.graph, graph.subject, tuple(quads), graph.record))
    return out


def test_rdf_level_defects(synthetic: tuple[list[RecordGraph], dict[str, str]]) -> None:
    report = assert_same(_break(synthetic[0]))
    assert len(report.violations) >= 6


@pytest.mark.parametrize("closure", [False, True], ids=["subclass-path", "subclass-closure"])
def test_every_core_component_on_its_own_shapes(closure: bool) -> None:
    """Both forms of class membership: the ``rdf:type/rdfs:subClassOf*`` path (checks
    compiled without the data) and the subclass closure read from the store first."""
    data = list(ox.parse(path=FIXTURES / "components-data.ttl", format=ox.RdfFormat.TURTLE))
    store = ox.Store()
    store.bulk_extend(data)
    shapes = shaclsparql.Shapes.load(FIXTURES, "https://example.org")
    checks = shaclsparql.compile_shapes(shapes, store if closure else None)
    fast = Counter(
        (r.focus.value, r.path, r.component, r.severity, None if r.value is None else r.value.value)
        for r in shaclsparql.run_checks(store, checks)
    )
    _, results, _ = pyshacl_validate(
        Graph().parse(FIXTURES / "components-data.ttl"),
        shacl_graph=Graph().parse(FIXTURES / "components-shapes.ttl"),
        inference="none", allow_warnings=True, allow_infos=True,
    )
    sh = SH.prefix

    reference: Counter[tuple[str, str | None, str, str, str | None]] = Counter()
    for node in results.objects(None, URIRef(sh + "result")):  # not the sh:detail results
        path = results.value(node, URIRef(sh + "resultPath"))
        value = results.value(node, URIRef(sh + "value"))
        reference[(
            str(results.value(node, URIRef(sh + "focusNode"))),
            None if path is None else (str(path) if isinstance(path, URIRef) else path_text(results, path)),
            str(results.value(node, URIRef(sh + "sourceConstraintComponent"))),
            str(results.value(node, URIRef(sh + "resultSeverity"))),
            None if value is None else str(value),
        )] += 1
    assert fast == reference
    components = {key[2].rpartition("#")[2] for key in fast}
    assert len(components) >= 25, sorted(components)


def test_a_scheme_with_a_second_name_is_found_by_both_engines() -> None:
    """A concept scheme names itself with dct:title only (docs/model.md, "Labels"): a skos:prefLabel
    planted beside it is a violation of circsh:ConceptschemaLabel (sh:maxCount 0) for both engines."""
    corpus = load_corpus(PROJECT_ROOT / "data", ONTOLOGY / "vocabularies")
    out, planted = [], 0
    for graph in map_corpus(corpus, BASE, ONTOLOGY / "circulair.ttl"):
        if graph.subject.value == f"{BASE}/id/conceptscheme/thema":
            label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
            quads = (*graph.quads, ox.Quad(graph.subject, label, ox.Literal("Thema's", language="nl"), graph.graph))
            graph = RecordGraph(graph.kind, graph.id, graph.graph, graph.subject, quads, graph.record)
            planted += 1
        out.append(graph)
    assert planted == 1
    report = assert_same(out)
    assert [r.message_en for r in report.violations] == ["A concept scheme has no skos:prefLabel: its name is its title (dct:title)."]

"""kg.records.format: the one declaration of the record format, and what follows from it.

(a) Every declared key is *checked* (the record checks know its type and report a wrong
    value, or its absence when required), *mapped* (the key table writes its predicates,
    the mapping's structures write what the declaration says and nothing else) and
    *locatable* (a SHACL result about any triple the mapping writes leads back to the key
    that wrote it), on the sample records and the real data.
(b) The declaration and ``shapes/`` agree: every property a shape of a record kind (or of
    a record's hash nodes) constrains is produced by a declared key or by a documented
    derived triple, and every predicate a key declares is constrained by a shape of its
    kind, or is listed below as intentionally unconstrained, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from sample_data import BASE, sample_corpus

from kg.errors import Problem
from kg.namespaces import CIRC, DCT, FOAF, GEO, PROV, RDF, RDFS, SH, SKOS
from kg.rdf.iris import DEFAULT_BASE_IRI
from kg.rdf.key_paths import key_path
from kg.rdf.keys import ACTOR_KEYS, FIGURE_KEYS, SIMPLE_KEYS, TEXT_LISTS
from kg.rdf.mapping import RecordGraph, map_corpus
from kg.records.checks import convert
from kg.records.corpus import load_corpus
from kg.records.format import (
    ACTOR,
    FIGURE,
    GEMEENTE,
    KINDS,
    MUNICIPALITY_COLUMNS,
    PATTERNS,
    RECORD_KINDS,
    TRANSLATION,
    Field,
    RecordKind,
)
from kg.records.record import KeyPath
from kg.records.yaml_lines import load as load_yaml
from kg.settings import PROJECT_ROOT
from kg.terms import term_value

ONTOLOGY = PROJECT_ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY / "circulair.ttl"
SHAPES = PROJECT_ROOT / "shapes"

#: The value types the record checks handle (those with a pattern are strings of a fixed form).
TYPES = {"string", "text", "decimal", "bool", "struct", *PATTERNS}

#: Classes the shapes target that are no record and no hash node of one, and why.
NOT_RECORDS = {
    SKOS.Concept: "the concepts of ontology/vocabularies/, loaded as they are",
    SKOS.ConceptScheme: "the concept schemes of ontology/vocabularies/",
    CIRC.Arrondissement: "a place derived from the municipality rows (kg.rdf.places)",
    CIRC.Provincie: "a place derived from the municipality rows (kg.rdf.places)",
    GEO.Geometry: "an outline or point of data/reference/geometrieen.csv (kg.rdf.geometry), a hash node of a place",
    CIRC.Vertaling: "a text's 'vertaald' mark, on any text of any key (kg.rdf.annotations); tested below",
}

#: What the outline and point nodes of a municipality say (kg.rdf.geometry), beside the keys.
GEOMETRY_NODE_PREDICATES = {RDF.type, GEO.asWKT, PROV.wasDerivedFrom, DCT.license}

#: Keys whose value is published only on a condition of the record.
PUBLISHED_IF: dict[tuple[str, str], Callable[[Mapping[str, Any]], bool]] = {
    ("persoon", "email"): lambda data: data.get("email_publiceren") is True,  # privacy by default
}

#: Declared (kind, key path) → predicate that no shape of that kind constrains, and why.
UNCONSTRAINED: dict[tuple[str, str], str] = {}


def all_fields(fields: Mapping[str, Field], prefix: str = "") -> Iterator[tuple[str, Field]]:
    for key, spec in fields.items():
        yield prefix + key, spec
        if spec.fields is not None:
            yield from all_fields(spec.fields, f"{prefix}{key}.")


# --------------------------------------------------------------------------- (a) checked


def test_every_field_is_well_declared() -> None:
    for kind in RECORD_KINDS.values():
        for name, spec in all_fields(kind.fields):
            where = f"{kind.name}.{name}"
            assert spec.type in TYPES, where
            assert (spec.scheme is not None) == (spec.type == "code"), where
            assert spec.type != "ref" or spec.target in RECORD_KINDS, where
            assert (spec.fields is not None) == (spec.type == "struct"), where
            mapped = bool(spec.predicates or spec.written or spec.node)
            assert mapped != bool(spec.unmapped), f"{where}: mapped by the table or by code, or says why not"
            assert not spec.classes_of_code or (spec.type == "code" and RDF.type in spec.written), where


def test_kinds_folders_and_the_municipality_header() -> None:
    assert KINDS == tuple(RECORD_KINDS)
    assert [kind.name for kind in RECORD_KINDS.values() if kind.folder is None] == [GEMEENTE.name]
    assert MUNICIPALITY_COLUMNS[0] == GEMEENTE.id_key == "nis"
    assert sorted(MUNICIPALITY_COLUMNS) == sorted(GEMEENTE.fields)


def wrong_value(spec: Field) -> str:
    """YAML for a value the field must refuse."""
    if spec.many:
        return "not-a-list"
    if spec.type in ("text", "struct"):
        return '"plain text"'
    if spec.type in ("decimal", "bool"):
        return "veel"
    return "{a: 1}"


def problems_of(text: str, fields: Mapping[str, Field]) -> list[Problem]:
    problems: list[Problem] = []
    lines: dict[KeyPath, int] = {}
    convert(load_yaml(text), fields, (), Path("x.yaml"), lines, problems)
    return problems


@pytest.mark.parametrize("kind", [k for k in RECORD_KINDS.values() if k.folder is not None], ids=lambda k: k.name)
def test_every_key_is_checked(kind: RecordKind) -> None:
    for key, spec in kind.fields.items():
        found = problems_of(f"{key}: {wrong_value(spec)}\n", kind.fields)
        assert any(p.message.startswith(f"'{key}'") for p in found), (key, found)
        if spec.fields is not None:  # each key of a struct item too
            for sub, sub_spec in spec.fields.items():
                found = problems_of(f"{key}:\n  - {sub}: {wrong_value(sub_spec)}\n", kind.fields)
                assert any(p.message.startswith(f"'{key}.0.{sub}'") for p in found), (key, sub, found)
    missing = {p.message for p in problems_of("{}\n", kind.fields)}
    assert missing == {f"The required key '{key}' is missing." for key, spec in kind.fields.items() if spec.required}


# --------------------------------------------------------------------------- (a) mapped


def test_the_key_table_is_the_declaration() -> None:
    for name, kind in RECORD_KINDS.items():
        assert [(k.key, k.predicates) for k in SIMPLE_KEYS[name]] == [
            (key, spec.predicates) for key, spec in kind.written() if spec.predicates
        ]
    assert [k.key for k in FIGURE_KEYS] == [key for key, spec in FIGURE.items() if spec.predicates]
    assert [k.key for k in ACTOR_KEYS] == [key for key, spec in ACTOR.items() if spec.predicates]
    texts = RECORD_KINDS["praktijk"].fields
    assert list(TEXT_LISTS) == [key for key, spec in texts.items() if spec.type == "text" and spec.many]


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> list[RecordGraph]:
    """The sample records and the real data: together they use every key but two simple ones."""
    sample = map_corpus(sample_corpus(tmp_path_factory.mktemp("format")), BASE, ONTOLOGY_FILE)
    real = map_corpus(load_corpus(PROJECT_ROOT / "data", ONTOLOGY / "vocabularies"), BASE, ONTOLOGY_FILE)
    return [g for g in sample + real if g.record is not None]


def classes_of(kind: RecordKind) -> set[ox.NamedNode]:
    """Every class a record of the kind may have."""
    return {*kind.classes, *(c for spec in kind.fields.values() for cs in spec.classes_of_code.values() for c in cs)}


def subject_predicates(spec: Field) -> set[ox.NamedNode]:
    """What a key writes on the record's subject: by the key table, or by the mapping's code."""
    return {*spec.predicates, *spec.written}


def node_predicates(spec: Field) -> set[ox.NamedNode]:
    """What the mapping writes on the hash node of each value of a key."""
    assert spec.node is not None
    inner = {p for sub in (spec.fields or {}).values() for p in sub.predicates}
    return {RDF.type, *spec.node.predicates, *inner}


def test_every_key_with_a_value_writes_its_triples(graphs: list[RecordGraph]) -> None:
    written: set[tuple[str, str]] = set()
    for graph in graphs:
        assert graph.record is not None
        kind = RECORD_KINDS[graph.kind]
        on_subject = {q.predicate for q in graph.quads if q.subject == graph.subject}
        node_classes = {q.object for q in graph.quads if q.subject != graph.subject and q.predicate == RDF.type}
        for key, value in graph.record.data.items():
            spec = kind.fields[key]
            if spec.unmapped or value in ([], {}):
                continue
            condition = PUBLISHED_IF.get((graph.kind, key))
            if condition is not None and not condition(graph.record.data):
                continue
            assert set(spec.predicates) <= on_subject, (graph.kind, graph.id, key)
            # The code writes some predicates only on a condition (org:unitOf: a city service).
            assert subject_predicates(spec) & on_subject or not subject_predicates(spec), (graph.kind, graph.id, key)
            if spec.node is not None:
                assert spec.node.cls in node_classes, (graph.kind, graph.id, key)
            written.add((graph.kind, key))
    mapped = {(name, key) for name, kind in RECORD_KINDS.items() for key, spec in kind.fields.items() if not spec.unmapped}
    # A key no record uses yet (today praktijk.waardeketens, programma.website) must be one of
    # the key table, which writes every key alike; what the mapping's code writes is seen here.
    for name, key in mapped - written:
        spec = RECORD_KINDS[name].fields[key]
        assert spec.predicates and not spec.written and spec.node is None, (name, key)
    assert len(written) > 0.9 * len(mapped)


def test_every_triple_is_declared_and_leads_back_to_a_key_that_writes_it(graphs: list[RecordGraph]) -> None:
    for graph in graphs:
        record = graph.record
        assert record is not None
        kind = RECORD_KINDS[graph.kind]
        subject = graph.subject.value
        pages = {q.object for q in graph.quads if q.predicate == FOAF.page}
        for quad in graph.quads:
            s, p, o = term_value(quad.subject), quad.predicate, quad.object
            value = o.value if isinstance(o, (ox.NamedNode, ox.Literal)) else None
            if s == subject:
                if p == RDF.type:
                    assert o in classes_of(kind), (graph.id, o)
                elif p not in kind.derived:
                    path = key_path(record, s, p.value, value)
                    assert path, (graph.kind, graph.id, p)
                    assert p in subject_predicates(kind.fields[str(path[0])]), (graph.kind, graph.id, p, path)
            elif s in (subject + "#geometrie", subject + "#punt"):  # from the geometry CSV, not a key (kg.rdf.geometry)
                assert graph.kind == "gemeente" and p in GEOMETRY_NODE_PREDICATES, (graph.id, s, p)
            elif s.startswith(subject + "#" + TRANSLATION.stem + "-"):  # a text's 'vertaald' mark
                assert p in {RDF.type, *TRANSLATION.predicates} and (p != RDF.type or o == TRANSLATION.cls), (graph.kind, s, p)
            elif s.startswith(subject + "#"):
                path = key_path(record, s, p.value, value)
                assert path and str(path[0]) in record.data, (graph.kind, s, p, path)
                spec = kind.fields[str(path[0])]
                item = record.data[str(path[0])][int(path[1])] if len(path) > 2 else {}
                if len(path) >= 4 and spec.fields is not None:  # an item of an item: an enumeration's items
                    spec, item = spec.fields[str(path[2])], item[str(path[2])][int(path[3])]
                    path = (path[0], path[1], *path[4:])
                assert spec.node is not None and p in node_predicates(spec), (graph.kind, s, p, path)
                assert p != RDF.type or o == spec.node.cls
                if len(path) == 3:  # a key of a struct item: the item has it
                    assert path[2] in item, (graph.kind, s, p, path)
            else:  # a link's title is said of the page itself
                assert quad.subject in pages and p == DCT.title, (graph.kind, graph.id, quad)


# --------------------------------------------------------------------------- (b) the shapes


@pytest.fixture(scope="module")
def shapes() -> ox.Store:
    store = ox.Store()
    for path in sorted(SHAPES.glob("*.ttl")):
        store.load(path=path, format=ox.RdfFormat.TURTLE, base_iri=DEFAULT_BASE_IRI + "/")
    return store


def objects(store: ox.Store, subject: object, predicate: ox.NamedNode) -> list[object]:
    return [q.object for q in store.quads_for_pattern(subject, predicate, None)]  # type: ignore[arg-type]  # any term


def rdf_list(store: ox.Store, head: object) -> list[object]:
    items = []
    while head != RDF.nil and objects(store, head, RDF.first):
        items.append(objects(store, head, RDF.first)[0])
        head = objects(store, head, RDF.rest)[0]
    return items


def path_iris(store: ox.Store, path: object) -> set[ox.NamedNode]:
    """Every IRI in a SHACL path."""
    if isinstance(path, ox.NamedNode):
        return {path} - {RDF.nil}
    return {iri for quad in store.quads_for_pattern(path, None, None) for iri in path_iris(store, quad.object)}  # type: ignore[arg-type]  # any term


def first_steps(store: ox.Store, path: object, backwards: bool = False) -> list[tuple[ox.NamedNode, bool]]:
    """The predicates a SHACL path starts with from its focus node, each with whether it is
    walked backwards (``^p``: the focus node is the object; its parent wrote ``p``)."""
    if isinstance(path, ox.NamedNode):
        return [(path, backwards)]
    steps: list[tuple[ox.NamedNode, bool]] = []
    for inner in objects(store, path, SH.inversePath):
        steps += first_steps(store, inner, not backwards)
    for alternatives in objects(store, path, SH.alternativePath):
        for member in rdf_list(store, alternatives):
            steps += first_steps(store, member, backwards)
    for repeat in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        for inner in objects(store, path, repeat):
            steps += first_steps(store, inner, backwards)
    sequence = rdf_list(store, path)
    if sequence:
        steps += first_steps(store, sequence[0], backwards)
    return steps


@cache
def subclasses(cls: ox.NamedNode) -> set[ox.NamedNode]:
    """The class and its subclasses in the ontology (a shape of a class reaches them all)."""
    store = ox.Store()
    store.load(path=ONTOLOGY_FILE, format=ox.RdfFormat.TURTLE, base_iri=DEFAULT_BASE_IRI + "/")
    found = store.query(f"SELECT ?c WHERE {{ ?c <{RDFS.subClassOf.value}>+ <{cls.value}> }}")
    assert isinstance(found, ox.QuerySolutions)
    return {cls} | {row["c"] for row in found if isinstance(row["c"], ox.NamedNode)}


def produced_by_class() -> dict[ox.NamedNode, set[ox.NamedNode]]:
    """Class of a record or of a record's hash nodes → the predicates the declaration says
    the mapping writes on its instances (keys, documented derived triples, the class itself)."""
    produced: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for kind in RECORD_KINDS.values():
        on_record = {RDF.type, *kind.derived, *(p for spec in kind.fields.values() for p in subject_predicates(spec))}
        for cls in classes_of(kind):
            produced.setdefault(cls, set()).update(on_record)
        for _, spec in all_fields(kind.fields):
            if spec.node is not None:
                produced.setdefault(spec.node.cls, set()).update(node_predicates(spec))
    return produced


def targeted(store: ox.Store, produced: Mapping[ox.NamedNode, set[ox.NamedNode]]) -> Iterator[tuple[object, set[ox.NamedNode]]]:
    """(shape, the declared classes its targets reach) for every shape with a target."""
    for quad in store.quads_for_pattern(None, SH.targetClass, None):
        cls = quad.object
        assert isinstance(cls, ox.NamedNode)
        if cls in NOT_RECORDS:
            continue
        reached = {c for c in subclasses(cls) if c in produced}
        assert reached, f"the shapes target {cls.value}, which no declared record or hash node has"
        yield quad.subject, reached
    for quad in store.quads_for_pattern(None, SH.targetSubjectsOf, None):
        reached = {c for c, predicates in produced.items() if quad.object in predicates}
        assert reached, f"the shapes target subjects of {quad.object}, which no declared key writes"
        yield quad.subject, reached
    for predicate in (SH.targetNode, SH.targetObjectsOf):
        assert not list(store.quads_for_pattern(None, predicate, None)), "extend this test for this kind of target"


def test_every_constrained_property_is_produced_by_a_declared_key(shapes: ox.Store) -> None:
    produced = produced_by_class()
    everything = {p for predicates in produced.values() for p in predicates}
    for shape, classes in targeted(shapes, produced):
        on_focus = {p for cls in classes for p in produced[cls]}
        for prop in objects(shapes, shape, SH.property):
            for path in objects(shapes, prop, SH.path):
                for predicate, backwards in first_steps(shapes, path):
                    if backwards:  # ^p: the focus node's parent writes p
                        assert predicate in everything, (shape, predicate)
                    else:
                        assert predicate in on_focus, f"{shape} constrains {predicate.value}, which no declared key of {classes} writes"


def test_every_declared_predicate_is_constrained_by_a_shape_of_its_kind(shapes: ox.Store) -> None:
    constrained: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for shape, classes in targeted(shapes, produced_by_class()):
        for prop in objects(shapes, shape, SH.property):
            for path in objects(shapes, prop, SH.path):
                for cls in classes:
                    constrained.setdefault(cls, set()).update(path_iris(shapes, path))
    unconstrained: set[tuple[str, str]] = set()
    for name, kind in RECORD_KINDS.items():
        on_record = {p for cls in classes_of(kind) for p in constrained.get(cls, set())}
        for key, spec in kind.fields.items():
            if subject_predicates(spec) - {RDF.type} - on_record:  # a class is what shapes target, not a path
                unconstrained.add((name, key))
            if spec.node is not None:
                on_node = constrained.get(spec.node.cls, set())
                for sub, sub_spec in (spec.fields or {}).items():
                    if set(sub_spec.predicates) - on_node:
                        unconstrained.add((name, f"{key}.{sub}"))
                if set(spec.node.predicates) - on_node:
                    unconstrained.add((name, f"{key}#"))
    assert unconstrained == set(UNCONSTRAINED), sorted(unconstrained ^ set(UNCONSTRAINED))

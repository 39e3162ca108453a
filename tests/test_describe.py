"""Every format of a document parses and holds exactly the store's description.

The expected triples are recomputed here with the test's own, deliberately naive queries
on the built store (full scans, no shortcuts), independently of :mod:`endpoint.pages.documents`:

- the thing's triples and those of its hash sub-resources;
- the triples pointing at it, with the triples of a hash subject and its parent's link;
- labels and types of every other resource in those triples (and of hash parents);

plus the document's own metadata, which the store does not hold.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from conftest import Server
from rdflib.term import Node

from endpoint.pages.jsonld import IMPLIED
from kg.settings import Settings
from kg.store.open_store import open_store

BASE = "https://data.lokaalcirculair.be"
LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
          "http://purl.org/dc/terms/title", "http://xmlns.com/foaf/0.1/name", "http://schema.org/name")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

ENTITIES = [
    "praktijk/leuven-strategie-circulaire-stad", "praktijk/aal-circulair", "organisatie/stad-leuven", "organisatie/vvsg",
    "persoon/jessie-van-couwenberghe", "gemeente/24062", "gemeente/46013", "concept/thema/materialen",
    "concept/actiedomein/bebouwde-omgeving", "conceptscheme/thema", "programma/pop-machina",
    "financiering/aal-circulair-subsidie", "bron/leuven-praktijkfiche-strategie-circulaire-stad", "provincie/20001",
]
FORMATS = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}


@pytest.fixture(scope="module")
def store(built_store: Settings) -> ox.Store:
    """Every quad the served store holds (read through kg.store.embedded, so on either backend),
    in a pyoxigraph store of the test's own."""
    served = open_store(built_store)
    try:
        rows = served.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    finally:
        served.close()
    copy = ox.Store()
    copy.bulk_extend(ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows)  # type: ignore[arg-type]
    return copy


def _rdflib(term: object) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    assert isinstance(term, ox.Literal), term
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(term.value)  # what every parser makes of a plain literal
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def expected(store: ox.Store, key: str) -> set[tuple[rdflib.term.Node, ...]]:
    e = f"{BASE}/id/{key}"
    triples: set[tuple[object, object, object]] = set()
    for q in store.quads_for_pattern(None, None, None, None):
        s = q.subject.value
        if s == e or s.startswith(e + "#"):
            triples.add((q.subject, q.predicate, q.object))
    own_subjects = {t[0] for t in triples}
    incoming: set[tuple[object, object, object]] = set()
    for q in store.quads_for_pattern(None, None, ox.NamedNode(e), None):
        if q.subject not in own_subjects:
            incoming.add((q.subject, q.predicate, q.object))
    parents: set[str] = set()
    for s, _, _ in list(incoming):
        if "#" in s.value:
            parent = s.value.split("#", 1)[0]
            parents.add(parent)
            for q in store.quads_for_pattern(s, None, None, None):
                incoming.add((q.subject, q.predicate, q.object))
            for q in store.quads_for_pattern(ox.NamedNode(parent), None, s, None):
                incoming.add((q.subject, q.predicate, q.object))
    triples |= incoming
    linked = {t.value for triple in triples for t in (triple[0], triple[2]) if isinstance(t, ox.NamedNode)} | parents
    linked = {iri for iri in linked if iri != e and not iri.startswith(e + "#")}
    for iri in linked:
        for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
            if (q.predicate.value in LABELS and isinstance(q.object, ox.Literal)) or (
                    q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode)):
                triples.add((q.subject, q.predicate, q.object))
    return {(_rdflib(s), _rdflib(p), _rdflib(o)) for s, p, o in triples}


def _implied(triples: set[tuple[Node, Node, Node]]) -> set[tuple[Node, Node, Node]]:
    """The broader triples the narrower ones imply (``rdfs:subPropertyOf``, the pairs of :data:`IMPLIED`)."""
    return {(s, rdflib.URIRef(broad), o) for s, p, o in triples for narrow, broad in IMPLIED if str(p) == narrow}


@pytest.mark.parametrize("key", ENTITIES)
def test_every_format_holds_exactly_the_store_description(store: ox.Store, server: Server, key: str) -> None:
    want = expected(store, key)
    assert len(want) > 3
    doc = rdflib.URIRef(f"{BASE}/doc/{key}")
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for suffix, parser in FORMATS.items():
            body = client.get(f"/doc/{key}.{suffix}").text
            graph = rdflib.Graph().parse(data=body, format=parser, publicID=f"{BASE}/doc/{key}")
            got = set(graph)
            data = {t for t in got if t[0] != doc}
            meta = {t for t in got if t[0] == doc}
            missing, extra = want - data, data - want
            if suffix == "jsonld":  # one key per fact: what it leaves out is what the narrower triples imply
                missing -= _implied(data)
            assert not missing and not extra, f"{key}.{suffix}: missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}"
            assert (doc, rdflib.FOAF.primaryTopic, rdflib.URIRef(f"{BASE}/id/{key}")) in meta
            assert (doc, rdflib.DCTERMS.license, rdflib.URIRef("http://creativecommons.org/licenses/by/4.0/")) in meta
            assert any(p == rdflib.DCTERMS.modified for _, p, _ in meta)
            sources = {o for s, p, o in want if s == rdflib.URIRef(f"{BASE}/id/{key}") and p == rdflib.PROV.wasDerivedFrom}
            assert {o for _, p, o in meta if p == rdflib.DCTERMS.source} == sources


def test_the_persons_private_email_is_in_no_format(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for suffix in (*FORMATS, "html"):
            for key in ("persoon/jessie-van-couwenberghe", "praktijk/leuven-strategie-circulaire-stad", "organisatie/stad-leuven"):
                body = client.get(f"/doc/{key}.{suffix}").text
                assert "jessie.vancouwenberghe@leuven.be" not in body
                assert "Jessie Van Couwenberghe" in body or key == "organisatie/stad-leuven"

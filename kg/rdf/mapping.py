"""From records to RDF: one named graph of pyoxigraph quads per source record.

The mapping contract is declared with the record format in :mod:`kg.records.format`
(classes, the predicates of each simple key as the table of :mod:`kg.rdf.keys`, the hash
nodes of list items). Here is the rest, one small function per record kind: the structures
(roles, lessons, figures, amounts, links, municipality history) and the conditional triples;
readings and translations are written by :mod:`kg.rdf.annotations`. The reverse question
(which YAML line a SHACL result points at) is answered by :mod:`kg.rdf.key_paths`.

Guarantees, because the build depends on them:

- canonical IRIs only (``kg.rdf.iris``); sub-resources get hash IRIs from their parent and
  position or id (``…/id/praktijk/x#rol-1``), vocabulary blank nodes are skolemised:
  the graph has no blank nodes;
- deterministic: the same corpus gives the same quads in the same order (records in kind
  then id order, keys in table order, lists in file order);
- fast: pyoxigraph terms throughout, cached IRIs, no rdflib (100 000 practices are a
  benchmark, not a wish).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.namespaces import ADMS, BESLUIT, CIRC, DCT, EU_LANGUAGE, FOAF, ORG, OSLO_GEMEENTE, OWL, PROV, RDF, SCHEMA, SKOS, XSD
from kg.rdf.annotations import reading_quads, translation_quads
from kg.rdf.geometry import REGION, geometry_quads, region_quads
from kg.rdf.iris import Iris
from kg.rdf.keys import (
    ACTOR_KEYS,
    ENUMERATION_KEYS,
    FIGURE_KEYS,
    LIST_ITEM_KEYS,
    PERIOD_KEYS,
    SIMPLE_KEYS,
    SOURCE_PERIOD_KEYS,
    SUB_ITEM_KEYS,
    TEXT_LISTS,
    Key,
    Term,
)
from kg.rdf.literals import decimal_literal, text_literals
from kg.rdf.places import STATBEL_SOURCE, place_graphs
from kg.rdf.record_graph import RecordGraph
from kg.rdf.turtle_documents import map_ontology, map_vocabulary
from kg.records.format import (
    ENUMERATION,
    FINANCIERING,
    GEMEENTE,
    INDICATOR,
    KINDS,
    LIST_ITEM,
    PRAKTIJK,
    RECORD_KINDS,
    Field,
    ItemNode,
)
from kg.records.geometries import Geometry
from kg.records.record import Corpus, Record, Text

__all__ = [
    "RecordGraph",
    "map_corpus",
    "map_ontology",
    "map_record",
    "map_vocabulary",
]

_LANGUAGES = {"nl": "NLD", "en": "ENG", "fr": "FRA", "de": "DEU"}
_EUR = Literal("EUR")


def _node(kind_fields: Mapping[str, Field], key: str) -> ItemNode:
    """The declared hash node of a key's values."""
    node = kind_fields[key].node
    assert node is not None, f"the format declares no hash node for {key!r}"
    return node


_ACTOR_NODE = _node(PRAKTIJK.fields, "actoren")
_FIGURE_NODE = _node(PRAKTIJK.fields, "kerncijfers")
_OBSERVATION_NODE = _node(INDICATOR.fields, "observaties")
_INVESTMENT_NODE = _node(PRAKTIJK.fields, "investeringsbedrag")
_GRANT_NODE = _node(FINANCIERING.fields, "bedrag")
_PERIOD_NODE = _node(RECORD_KINDS["organisatie"].fields, "werkingsgebieden")
_SOURCE_PERIOD_NODE = _node(PRAKTIJK.fields, "periodes")
_LIST_NODE = _node(PRAKTIJK.fields, "opsommingen")
_ITEM_NODE = _node(ENUMERATION, "items")
_SUB_ITEM_NODE = _node(LIST_ITEM, "items")
_NIS_NODE = _node(GEMEENTE.fields, "nis")
_TEXT_NODES = {key: _node(PRAKTIJK.fields, key) for key in TEXT_LISTS}
#: The classes every record of a kind has.
_CLASSES = {name: kind.classes for name, kind in RECORD_KINDS.items()}
#: Per kind, the keys whose code adds classes: (key, code → classes).
_CLASSES_OF_CODE = {
    name: [(key, spec.classes_of_code) for key, spec in kind.fields.items() if spec.classes_of_code]
    for name, kind in RECORD_KINDS.items()
}


# --------------------------------------------------------------------------- writing


class _Graph:
    """Collects the quads of one named graph; ``add`` is the hot path of the build."""

    __slots__ = ("iris", "name", "quads", "root", "translations")

    def __init__(self, iris: Iris, name: NamedNode, root: NamedNode | None = None) -> None:
        self.iris = iris
        self.name = name
        self.quads: list[Quad] = []
        self.root = root
        self.translations = 0

    def add(self, subject: NamedNode, predicate: NamedNode, obj: Term) -> None:
        self.quads.append(Quad(subject, predicate, obj, self.name))

    def translated(self, subject: NamedNode, predicate: NamedNode, value: Any, obj: Term) -> None:
        """Mark ``obj`` a curator's translation when its text's ``vertaald`` names its language."""
        if isinstance(value, Text) and isinstance(obj, Literal) and obj.language in value.translated and self.root is not None:
            self.translations += 1
            self.quads.extend(translation_quads(self.root, self.translations, subject, predicate, obj, self.name))

    def keys(self, subject: NamedNode, data: Mapping[str, Any], keys: Sequence[Key]) -> None:
        """Write every simple key present in ``data`` (absent or empty values write nothing)."""
        append = self.quads.append
        name = self.name
        iris = self.iris
        for key in keys:
            value = data.get(key.key)
            if value is None:
                continue
            convert = key.convert
            predicates = key.predicates
            for item in value if isinstance(value, list) else (value,):
                for obj in convert(iris, item):
                    for predicate in predicates:
                        append(Quad(subject, predicate, obj, name))
                        if isinstance(item, Text) and item.translated:
                            self.translated(subject, predicate, item, obj)

    def links(self, subject: NamedNode, links: Sequence[Mapping[str, Any]]) -> None:
        """``links`` → ``foaf:page <url>``; a link's title is said of the page itself."""
        for link in links:
            page = NamedNode(str(link["url"]))
            self.add(subject, FOAF.page, page)
            if link.get("titel"):
                for title in text_literals(link["titel"]):
                    self.add(page, DCT.title, title)
                    self.translated(page, DCT.title, link["titel"], title)

    def amount(self, subject: NamedNode, predicate: NamedNode, node: ItemNode, value: Any) -> None:
        """A sum of money in euro as a ``schema:MonetaryAmount`` hash node."""
        iri = _hash(subject, node.local())
        self.add(subject, predicate, iri)
        self.add(iri, RDF.type, node.cls)
        self.add(iri, SCHEMA.value, decimal_literal(value))
        self.add(iri, SCHEMA.currency, _EUR)

    def enumerations(self, subject: NamedNode, lists: Sequence[Mapping[str, Any]]) -> None:
        """A source's enumerations: ``#opsomming-{id}``, its items ``#opsomming-{id}-{n}`` in order."""
        for enumeration in lists:
            node = _hash(subject, _LIST_NODE.local(id=str(enumeration["id"])))
            self.add(subject, CIRC.opsomming, node)
            self.add(node, RDF.type, _LIST_NODE.cls)
            self.keys(node, enumeration, ENUMERATION_KEYS)
            for index, item in enumerate(enumeration.get("items") or (), start=1):
                item_node = _hash(subject, _ITEM_NODE.local(position=index, id=str(enumeration["id"])))
                self.add(node, SCHEMA.itemListElement, item_node)
                self.add(item_node, RDF.type, _ITEM_NODE.cls)
                self.add(item_node, SCHEMA.position, _position(index))
                self.keys(item_node, item, LIST_ITEM_KEYS)
                for sub_index, sub in enumerate(item.get("items") or (), start=1):  # a list inside the item
                    sub_node = _hash(subject, _SUB_ITEM_NODE.local(position=sub_index, id=f"{enumeration['id']}-{index}"))
                    self.add(item_node, SCHEMA.itemListElement, sub_node)
                    self.add(sub_node, RDF.type, _SUB_ITEM_NODE.cls)
                    self.add(sub_node, SCHEMA.position, _position(sub_index))
                    self.keys(sub_node, sub, SUB_ITEM_KEYS)

    def figures(self, subject: NamedNode, predicate: NamedNode, node: ItemNode, figures: Sequence[Mapping[str, Any]]) -> None:
        """Key figures or indicator observations: value (or range), unit, date, area."""
        for figure in figures:
            iri = _hash(subject, node.local(id=str(figure["id"])))
            self.add(subject, predicate, iri)
            self.add(iri, RDF.type, node.cls)
            self.keys(iri, figure, FIGURE_KEYS)


_POSITIONS: dict[int, Literal] = {}


def _position(index: int) -> Literal:
    """``schema:position`` as xsd:integer; the same few literals serve every record."""
    literal = _POSITIONS.get(index)
    if literal is None:
        literal = _POSITIONS[index] = Literal(str(index), datatype=XSD.integer)
    return literal


def _hash(subject: NamedNode, local: str) -> NamedNode:
    return NamedNode(f"{subject.value}#{local}")


def _praktijk(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.keys(s, data, SIMPLE_KEYS["praktijk"])
    for index, actor in enumerate(data.get("actoren") or (), start=1):
        node = _hash(s, _ACTOR_NODE.local(position=index))
        g.add(s, PROV.qualifiedAssociation, node)
        g.add(node, RDF.type, _ACTOR_NODE.cls)
        g.keys(node, actor, ACTOR_KEYS)
        agent = actor.get("organisatie")
        g.add(s, PROV.wasAssociatedWith, g.iris.entity("organisatie", agent) if agent else g.iris.entity("persoon", actor["persoon"]))
    for key, (predicate, cls, _) in TEXT_LISTS.items():
        text_node = _TEXT_NODES[key]
        for index, text in enumerate(data.get(key) or (), start=1):
            node = _hash(s, text_node.local(position=index))
            g.add(s, predicate, node)
            g.add(node, RDF.type, cls)
            for literal in text_literals(text):
                g.add(node, RDF.value, literal)
                g.translated(node, RDF.value, text, literal)
            g.add(node, SCHEMA.position, _position(index))
    for index, period in enumerate(data.get("periodes") or (), start=1):  # each source's own period
        node = _hash(s, _SOURCE_PERIOD_NODE.local(position=index))
        g.add(s, DCT.temporal, node)
        g.add(node, RDF.type, _SOURCE_PERIOD_NODE.cls)
        g.keys(node, period, SOURCE_PERIOD_KEYS)
    g.figures(s, CIRC.kerncijfer, _FIGURE_NODE, data.get("kerncijfers") or ())
    g.enumerations(s, data.get("opsommingen") or ())
    g.links(s, data.get("links") or ())
    if data.get("investeringsbedrag") is not None:
        g.amount(s, CIRC.investeringsbedrag, _INVESTMENT_NODE, data["investeringsbedrag"])


def _organisatie(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.keys(s, data, SIMPLE_KEYS["organisatie"])
    g.links(s, data.get("links") or ())
    for index, period in enumerate(data.get("werkingsgebieden") or (), start=1):
        node = _hash(s, _PERIOD_NODE.local(position=index))
        g.add(s, BESLUIT.werkingsgebied, g.iris.entity("gemeente", str(period["nis"])))
        g.add(s, CIRC.werkingsgebiedPeriode, node)
        g.add(node, RDF.type, _PERIOD_NODE.cls)
        g.keys(node, period, PERIOD_KEYS)
    if data.get("type") == "stadsdienst" and data.get("onderdeel_van"):
        g.add(s, ORG.unitOf, g.iris.entity("organisatie", data["onderdeel_van"]))


def _persoon(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.keys(s, data, SIMPLE_KEYS["persoon"])
    # Privacy by default (GDPR): a personal address is published only on explicit consent.
    if data.get("email") and data.get("email_publiceren") is True:
        g.add(s, SCHEMA.email, Literal(str(data["email"])))


def _programma(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.keys(s, data, SIMPLE_KEYS["programma"])


def _financiering(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.keys(s, data, SIMPLE_KEYS["financiering"])
    if data.get("bedrag") is not None:
        g.amount(s, SCHEMA.amount, _GRANT_NODE, data["bedrag"])


def _publicatie(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.keys(s, data, SIMPLE_KEYS["publicatie"])
    g.links(s, data.get("links") or ())


def _indicator(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.keys(s, data, SIMPLE_KEYS["indicator"])
    g.figures(s, CIRC.observatie, _OBSERVATION_NODE, data.get("observaties") or ())


def _bron(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.keys(s, data, SIMPLE_KEYS["bron"])
    for predicate, lang in ((DCT.language, data.get("taal")), *((CIRC.ookInTaal, other) for other in data.get("ook_in") or ())):
        if lang:
            g.add(s, predicate, EU_LANGUAGE[_LANGUAGES.get(str(lang), str(lang).upper())])
    g.links(s, data.get("links") or ())


def _gemeente(g: _Graph, s: NamedNode, data: Mapping[str, Any], predecessors: Sequence[str]) -> None:
    nis = str(data["nis"])
    g.keys(s, data, SIMPLE_KEYS["gemeente"])
    for old in predecessors:
        g.add(s, DCT.replaces, g.iris.entity("gemeente", old))
    identifier = _hash(s, _NIS_NODE.local())
    g.add(s, ADMS.identifier, identifier)
    g.add(identifier, RDF.type, _NIS_NODE.cls)
    g.add(identifier, SKOS.notation, Literal(nis))
    g.add(identifier, ADMS.schemaAgency, Literal("Statbel"))
    g.add(s, OWL.sameAs, OSLO_GEMEENTE[nis])
    g.add(s, PROV.wasDerivedFrom, g.iris.entity("bron", STATBEL_SOURCE))


_KIND_FUNCTIONS: dict[str, Callable[[_Graph, NamedNode, Mapping[str, Any]], None]] = {
    "praktijk": _praktijk,
    "organisatie": _organisatie,
    "persoon": _persoon,
    "programma": _programma,
    "financiering": _financiering,
    "publicatie": _publicatie,
    "indicator": _indicator,
    "bron": _bron,
}


def map_record(record: Record, iris: Iris, predecessors: Sequence[str] = (), geometry: Geometry | None = None) -> RecordGraph:
    """The named graph of one record. ``predecessors`` (NIS codes) and ``geometry`` only matter
    for a municipality: the ones it replaced (``dct:replaces`` sits in its own graph), its outline."""
    subject = iris.entity(record.kind, record.id)
    g = _Graph(iris, iris.graph(record.kind, record.id), subject)
    for cls in _CLASSES[record.kind]:
        g.add(subject, RDF.type, cls)
    for key, classes in _CLASSES_OF_CODE[record.kind]:
        for cls in classes.get(str(record.data.get(key)), ()):
            g.add(subject, RDF.type, cls)
    if record.kind == "gemeente":
        _gemeente(g, subject, record.data, predecessors)
        g.quads += geometry_quads(subject, g.name, geometry, typed=False) if geometry else ()
    else:
        _KIND_FUNCTIONS[record.kind](g, subject, record.data)
        g.quads.extend(reading_quads(iris, record.kind, subject, record.data.get("lezingen") or (), g.name))
    return RecordGraph(record.kind, record.id, g.name, subject, tuple(g.quads), record)


# --------------------------------------------------------------------------- derived


def map_corpus(corpus: Corpus, base_iri: str | Iris, ontology: Path | None = None) -> list[RecordGraph]:
    """Every named graph of the knowledge graph, in a fixed order: the records (by kind,
    then id), arrondissements, provinces, concept schemes (by file name), the ontology,
    e.g. ``map_corpus(load_corpus(data, vocab), "https://data.lokaalcirculair.be")``."""
    iris = base_iri if isinstance(base_iri, Iris) else Iris(base_iri)
    # Millions of small objects are created and all kept: the cyclic garbage collector
    # would walk the growing heap again and again (a third of the time) and find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _map_corpus(corpus, iris, ontology)
    finally:
        if collecting:
            gc.enable()


def _map_corpus(corpus: Corpus, iris: Iris, ontology: Path | None) -> list[RecordGraph]:
    municipalities = corpus.of_kind("gemeente")
    predecessors: dict[str, list[str]] = defaultdict(list)
    for record in municipalities:
        successor = record.data.get("vervangen_door")
        if successor:
            predecessors[str(successor)].append(record.id)
    graphs: list[RecordGraph] = []
    for kind in KINDS:
        for record in corpus.of_kind(kind):
            before = sorted(predecessors.get(record.id, ())) if kind == "gemeente" else ()
            graphs.append(map_record(record, iris, before, corpus.geometries.get((kind, record.id))))
    graphs.extend(place_graphs(municipalities, iris, corpus.geometries))
    if REGION in corpus.geometries:  # the region is only a place of its own once it has an outline
        subject, name, quads = region_quads(iris, corpus.geometries[REGION])
        graphs.append(RecordGraph(REGION[0], REGION[1], name, subject, tuple(quads), None))
    for path in sorted(corpus.vocabulary_files, key=lambda p: p.name):
        graphs.append(map_vocabulary(path, iris))
    if ontology is not None:
        graphs.append(map_ontology(ontology, iris))
    return graphs


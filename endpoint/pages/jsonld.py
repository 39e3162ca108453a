"""JSON-LD that a developer can read as plain JSON, with a published ``@context``.

The context (``endpoint/static/context.jsonld``, served at ``/ns/context.jsonld``) gives
every property we use a short Dutch key, the same words as the record format
(``titel``, ``beschrijving``, ``thema``, ``start``…). Texts are language maps
(``"titel": {"nl": "…", "en": "…"}``), links are plain IRI strings, amounts plain
strings of an ``xsd:decimal``.

The compaction here is deliberately simple and *correct by construction*: the table of
terms is read from the context file itself, and a value that does not fit its term's
definition (an untagged text under a language map, a literal under an IRI-typed term)
is written under the compact IRI (``dct:title``) in expanded form instead. So the
document always expands to exactly the triples it was made from; the tests parse it
with rdflib and compare.

Shapes that do not change with the data, so a ``jq`` script written against one record works on
the next: a key whose term is a set in the context (``"@container": "@set"``: themes, places,
roles, sources…) is always an array, even of one; ``type`` is always an array; a single-valued
key (``agent``, ``rol``, ``bedrag``…) is a scalar; a language map has one string per language,
except ``andereNaam`` (alternative names), whose languages always hold arrays. The JSON Schema of
each kind of document is in ``docs/schemas/``.

Framed per thing: what points at the thing is listed on the thing itself, under ``@reverse`` and
the key of the link (a municipality's ``"@reverse": {"gebied": [practice, …]}``, each with its
title and type), so a developer reads a municipality's practices from its own node; a practice
lists its actors by role under ``actoren`` (``agent``, ``rol``). Links from hash sub-resources
of other things (another practice's ``#rol-1``) stay as nodes of their own in ``@graph``.

Shape: ``{"@context": URL, "@graph": [thing, …what did not fit on it…, document]}``. The thing's
hash sub-resources (roles, lessons, figures, amounts) and the labels of what it links
to are embedded where they are referenced, so ``doc["@graph"][0]["thema"][0]["naam"]["nl"]``
is the Dutch name of its first theme.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import pyoxigraph as ox

from endpoint.pages.labels import LABEL_PROPERTIES
from kg.namespaces import CIRC, DCT, FOAF, GEO, ORG, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.terms import term_value

CONTEXT_FILE = Path(__file__).parent.parent / "static" / "context.jsonld"
#: Language maps whose values are lists in every language (a thing has several other names).
_LISTS_PER_LANGUAGE = frozenset({"andereNaam"})
_LABEL_OR_TYPE = {p.value for p in LABEL_PROPERTIES} | {RDF.type.value}

#: (narrower property, broader property) pairs the graph states both of, for other vocabularies'
#: readers: ``skos:prefLabel`` and ``rdfs:label`` (SKOS S11: prefLabel is a sub-property of
#: rdfs:label), ``skos:topConceptOf`` and ``skos:inScheme`` (SKOS S8), ``foaf:name`` and
#: ``rdfs:label`` (the FOAF vocabulary says the same), ``org:unitOf`` and ``org:subOrganizationOf``
#: (W3C ORG), ``geo:hasDefaultGeometry`` and ``geo:hasGeometry`` (GeoSPARQL 1.1), and our own
#: ``circ:arrondissement``/``circ:provincie`` under ``schema:containedInPlace`` and
#: ``circ:thema``/``actiedomein``/``beleidsinstrument``/``waardeketen`` under ``dct:subject`` (``ontology/``).
#: Where a subject has both with the same object, the JSON-LD keeps one key per fact: the narrower
#: one. The broader triple follows from it by the vocabularies' ``rdfs:subPropertyOf`` (RDFS rule
#: rdfs7), so the document still means exactly the Turtle document; Turtle, N-Triples and RDF/XML
#: keep both triples, and so does the store.
IMPLIED: frozenset[tuple[str, str]] = frozenset({
    (SKOS.prefLabel.value, RDFS.label.value),
    (SKOS.topConceptOf.value, SKOS.inScheme.value),
    (FOAF.name.value, RDFS.label.value),
    (ORG.unitOf.value, ORG.subOrganizationOf.value),
    (CIRC.thema.value, DCT.subject.value),
    (CIRC.actiedomein.value, DCT.subject.value),
    (CIRC.beleidsinstrument.value, DCT.subject.value),
    (CIRC.waardeketen.value, DCT.subject.value),
    (GEO.hasDefaultGeometry.value, GEO.hasGeometry.value),
    (CIRC.arrondissement.value, SCHEMA.containedInPlace.value),
    (CIRC.provincie.value, SCHEMA.containedInPlace.value),
})
_BROADER: dict[str, list[str]] = defaultdict(list)
for _narrow, _broad in IMPLIED:
    _BROADER[_broad].append(_narrow)


def without_implied(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples less those that a narrower triple of the same subject and object implies (:data:`IMPLIED`).

    >>> leuven, name = ox.NamedNode("https://example.org/leuven"), ox.Literal("Leuven", language="nl")
    >>> kept = without_implied([ox.Triple(leuven, RDFS.label, name), ox.Triple(leuven, SKOS.prefLabel, name)])
    >>> [t.predicate.value for t in kept]
    ['http://www.w3.org/2004/02/skos/core#prefLabel']
    """
    triples = list(triples)
    present = {(t.subject, t.predicate.value, t.object) for t in triples}
    return [t for t in triples
            if not any((t.subject, narrow, t.object) in present for narrow in _BROADER.get(t.predicate.value, ()))]


@dataclass(frozen=True)
class _Term:
    name: str
    iri: str
    coerce: str | None  # "@id", a datatype IRI, or None
    language_map: bool
    many: bool = False  # "@container": "@set": always an array


class Context:
    """The published context, read once: terms by property IRI, class names, prefixes.

    A property may have several terms, one per datatype (``start`` for an ``xsd:date``,
    ``startMaand`` for an ``xsd:gYearMonth``, ``startJaar`` for an ``xsd:gYear``): JSON-LD's own
    term selection, which lets every date be a plain string and still expand to its typed literal.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        ctx: dict[str, Any] = document["@context"]
        self.prefixes: dict[str, str] = {}
        for name, value in ctx.items():
            if isinstance(value, str) and value.endswith(("/", "#")) and not value.startswith("@"):
                self.prefixes[name] = value
        self.properties: dict[str, _Term] = {}
        self.typed: dict[tuple[str, str], _Term] = {}
        self.classes: dict[str, str] = {}
        for name, value in ctx.items():
            if name in self.prefixes or (isinstance(value, str) and value.startswith("@")):
                continue
            if isinstance(value, str):
                iri = self.expand(value)
                if name[0].isupper():  # a class name (Praktijk, Gemeente…): the context's convention
                    self.classes.setdefault(iri, name)
                else:
                    self.properties.setdefault(iri, _Term(name, iri, None, False))
            else:
                iri = self.expand(value["@id"])
                coerce = value.get("@type")
                container = value.get("@container")
                term = _Term(name, iri, self.expand(coerce) if coerce and coerce != "@id" else coerce,
                             container == "@language", container == "@set" or name in _LISTS_PER_LANGUAGE)
                self.properties.setdefault(iri, term)
                if term.coerce and term.coerce != "@id":
                    self.typed.setdefault((iri, term.coerce), term)

    def terms(self) -> list[_Term]:
        """Every term of a property, each once (the typed variants included)."""
        found = {t.name: t for t in self.properties.values()}
        found.update({t.name: t for t in self.typed.values()})
        return [found[name] for name in sorted(found)]

    def term_for(self, predicate: str, obj: Any) -> _Term | None:
        """The term whose definition fits this value, or None (it is written under a compact IRI).

        >>> date = ox.Literal("2022-11", datatype=XSD.gYearMonth)
        >>> context().term_for("http://schema.org/startDate", date).name
        'startMaand'
        """
        term = self.properties.get(predicate)
        if term is None:
            return None
        if term.language_map:
            return term if isinstance(obj, ox.Literal) and obj.language else None
        if term.coerce == "@id":
            return term if isinstance(obj, ox.NamedNode) else None
        if term.coerce:
            if isinstance(obj, ox.Literal) and not obj.language:
                return self.typed.get((predicate, obj.datatype.value))
            return None
        return term

    def expand(self, value: str) -> str:
        prefix, colon, local = value.partition(":")
        if colon and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        return value

    def compact(self, iri: str) -> str:
        """``dct:title`` for a full IRI under a declared prefix, else the IRI itself."""
        best = ""
        for name, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(self.prefixes.get(best, "")):
                local = iri[len(ns):]
                if local and all(c.isalnum() or c in "-_." for c in local):
                    best = name
        return f"{best}:{iri[len(self.prefixes[best]):]}" if best else iri

    def class_name(self, iri: str) -> str:
        return self.classes.get(iri) or self.compact(iri)


@lru_cache(maxsize=1)
def context() -> Context:
    return Context(json.loads(CONTEXT_FILE.read_text(encoding="utf-8")))


def context_bytes() -> bytes:
    """The context document as served."""
    return CONTEXT_FILE.read_bytes()


def _native(text: str) -> Any:
    """An ``xsd:integer`` as a JSON number when that reads back as the same literal.

    >>> _native("3"), _native("007")
    (3, '007')
    """
    number = int(text)
    return number if str(number) == text else text


def _literal(lit: ox.Literal, ctx: Context) -> Any:
    if lit.language:
        return {"@value": lit.value, "@language": lit.language}
    if lit.datatype.value == XSD.string.value:
        return lit.value
    return {"@value": lit.value, "@type": ctx.compact(lit.datatype.value)}


class _Builder:
    def __init__(self, triples: Iterable[ox.Triple], entity: str) -> None:
        self.ctx = context()
        self.entity = entity
        self.by_subject: dict[str, list[ox.Triple]] = defaultdict(list)
        for t in triples:
            self.by_subject[term_value(t.subject)].append(t)
        self.emitted: set[ox.Triple] = set()

    def embeddable(self, iri: str) -> bool:
        """Hash sub-resources of the thing, and resources we only know the label/type of."""
        if iri not in self.by_subject:
            return False
        if iri.startswith(self.entity + "#"):
            return True
        return all(t.predicate.value in _LABEL_OR_TYPE for t in self.by_subject[iri])

    def node(self, iri: str, path: tuple[str, ...] = (), skip: frozenset[ox.Triple] = frozenset()) -> dict[str, Any]:
        out: dict[str, Any] = {"id": iri}
        grouped: dict[str, list[ox.Triple]] = defaultdict(list)
        for t in self.by_subject.get(iri, ()):
            if t not in skip:
                grouped[t.predicate.value].append(t)
        for predicate, triples in grouped.items():
            self.emitted.update(triples)
            if predicate == RDF.type.value and all(isinstance(t.object, ox.NamedNode) for t in triples):
                out["type"] = sorted(self.ctx.class_name(term_value(t.object)) for t in triples)
                continue
            self._values(out, predicate, [t.object for t in triples], path + (iri,))
        return out

    def reverse(self) -> dict[str, list[dict[str, Any]]]:
        """What points at the thing, by the key of the link: ``{"gebied": [{"id": practice, "titel": …}]}``.

        Only links from other documents' own subjects (no hash sub-resources) under a term that
        links to IRIs; each pointing thing is shown with its labels and types, without the link itself.
        """
        found: dict[str, list[dict[str, Any]]] = defaultdict(list)
        entity = ox.NamedNode(self.entity)
        for subject, triples in self.by_subject.items():
            if subject == self.entity or "#" in subject:
                continue
            for t in triples:
                term = self.ctx.properties.get(t.predicate.value)
                if t.object != entity or term is None or term.coerce != "@id":
                    continue
                self.emitted.add(t)
                found[term.name].append(self.node(subject, (self.entity,), frozenset({t})))
        return {name: sorted(nodes, key=lambda n: n["id"]) for name, nodes in sorted(found.items())}

    def _values(self, out: dict[str, Any], predicate: str, objects: list[Any], path: tuple[str, ...]) -> None:
        fitting: dict[_Term, list[Any]] = {}
        rest: list[Any] = []
        for obj in objects:
            term = self.ctx.term_for(predicate, obj)
            if term is None:
                rest.append(obj)
            else:
                fitting.setdefault(term, []).append(obj)
        for term, objs in fitting.items():
            if term.language_map:
                langmap: dict[str, Any] = {}
                for lit in sorted(objs, key=lambda x: (x.language, x.value)):
                    prev = langmap.get(lit.language)
                    if term.many:
                        langmap.setdefault(lit.language, []).append(lit.value)
                    else:
                        langmap[lit.language] = lit.value if prev is None else (prev if isinstance(prev, list) else [prev]) + [lit.value]
                out[term.name] = langmap
            else:
                values = [self._value(o, term.coerce, path) for o in objs]
                out[term.name] = values if term.many or len(values) > 1 else values[0]
        if rest:
            values = [self._value(o, None, path) for o in rest]
            out[self.ctx.compact(predicate)] = values[0] if len(values) == 1 else values

    def _value(self, obj: Any, coerce: str | None, path: tuple[str, ...]) -> Any:
        if isinstance(obj, ox.NamedNode):
            if self.embeddable(obj.value) and obj.value not in path and len(path) < 4:
                return self.node(obj.value, path)
            return obj.value if coerce == "@id" else {"id": obj.value}
        if isinstance(obj, ox.Literal):
            if coerce and coerce != "@id" and not obj.language and obj.datatype.value == coerce:
                if coerce == XSD.integer.value:
                    return _native(obj.value)
                if coerce == XSD.boolean.value and obj.value in ("true", "false"):
                    return obj.value == "true"  # a JSON boolean expands to the same xsd:boolean literal
                return obj.value
            return _literal(obj, self.ctx)
        return {"id": str(obj)}  # blank nodes never occur in our data

    def document(self, order: list[str], context_url: str) -> dict[str, Any]:
        graph: list[dict[str, Any]] = []
        # First the thing and every subject that is not embedded elsewhere (incoming
        # links, the document), then whatever embedding did not reach.
        thing = self.node(self.entity)
        reverse = self.reverse()
        if reverse:
            thing["@reverse"] = reverse
        graph.append(thing)
        for subject in order:
            if subject == self.entity:
                continue
            if any(t not in self.emitted for t in self.by_subject[subject]) and not self.embeddable(subject):
                graph.append(self.node(subject))
        for subject in order:
            if subject != self.entity and any(t not in self.emitted for t in self.by_subject[subject]):
                graph.append(self.node(subject))
        return {"@context": context_url, "@graph": graph}


def to_jsonld(triples: list[ox.Triple], entity: str, context_url: str) -> dict[str, Any]:
    """The compacted JSON-LD document of a description, the thing first."""
    triples = without_implied(triples)
    builder = _Builder(triples, entity)
    order = [entity]
    seen = {entity}
    for t in triples:
        s = term_value(t.subject)
        if s not in seen:
            seen.add(s)
            order.append(s)
    return builder.document(order, context_url)


def serialize(triples: list[ox.Triple], entity: str, context_url: str) -> bytes:
    return json.dumps(to_jsonld(triples, entity, context_url), ensure_ascii=False, indent=1).encode("utf-8")

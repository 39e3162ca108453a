"""The ``circ:`` ontology as a documentation page, made from the ontology graph itself.

pyLODE would do this too, but pulls in a dozen packages for one page; the graph is
small and the page simple: the ontology's own metadata, then every class and property
with its labels, comment, super-class or super-property, domain and range, each under
an anchor named after the term, so ``/ns/circulair#Praktijk`` opens at the right place
(the IRI ``…/ns/circulair#Praktijk`` and the page are the same document).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from endpoint import i18n
from endpoint.pages.build_indexes import Site
from endpoint.pages.view_models import Lang, Link, compact
from kg.namespaces import DCT, OWL, RDF, RDFS, SKOS
from kg.rdf.iris import ONTOLOGY_IRI
from kg.terms import term_value

_CLASS_TYPES = {OWL.Class.value, RDFS.Class.value}
_PROPERTY_TYPES = {OWL.ObjectProperty.value, OWL.DatatypeProperty.value, RDF.Property.value, OWL.AnnotationProperty.value}


def triples(site: Site) -> list[ox.Triple]:
    """Every triple of the ontology graph (cached for the build)."""
    cached = site.ontology_triples
    if cached is None:
        graph = f"{site.uris.base}/graph/ontology"
        cached = site.store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        cached.sort(key=lambda t: (term_value(t.subject), t.predicate.value, str(t.object)))
        site.ontology_triples = cached
    return cached


@dataclass
class Term:
    anchor: str
    iri: str
    label: str
    labels: dict[str, str]
    comment: str
    kind: str
    parents: list[Link] = field(default_factory=list)
    domain: list[Link] = field(default_factory=list)
    range: list[Link] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)


def document(site: Site, graph: list[ox.Triple], lang: Lang) -> dict[str, Any]:
    """What the ontology template shows: metadata, classes, properties, concept schemes."""
    by_subject: dict[str, dict[str, list[Any]]] = {}
    for t in graph:
        by_subject.setdefault(term_value(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)

    def text(props: dict[str, list[Any]], *preds: str) -> str:
        for pred in preds:
            lits = [v for v in props.get(pred, []) if isinstance(v, ox.Literal)]
            if lits:
                return lang.text(lits)
        return ""

    def links(props: dict[str, list[Any]], pred: str) -> list[Link]:
        out = []
        for v in props.get(pred, []):
            if isinstance(v, ox.NamedNode):
                if v.value.startswith(ONTOLOGY_IRI + "#"):
                    out.append(Link("#" + v.value.split("#", 1)[1], lang.label(v.value), v.value))
                else:
                    out.append(Link(v.value, compact(v.value), v.value, external=True))
        return out

    classes: list[Term] = []
    properties: list[Term] = []
    for iri, props in by_subject.items():
        if not iri.startswith(ONTOLOGY_IRI + "#"):
            continue
        types = {v.value for v in props.get(RDF.type.value, []) if isinstance(v, ox.NamedNode)}
        anchor = iri.split("#", 1)[1]
        labels = {(v.language or ""): v.value for v in props.get(RDFS.label.value, []) if isinstance(v, ox.Literal)}
        term = Term(anchor, iri, text(props, SKOS.prefLabel.value, RDFS.label.value) or anchor, labels,
                    text(props, RDFS.comment.value, SKOS.definition.value, DCT.description.value), "")
        if types & _CLASS_TYPES:
            term.kind = "class"
            term.parents = links(props, RDFS.subClassOf.value)
            classes.append(term)
        elif types & _PROPERTY_TYPES:
            term.kind = "property"
            term.parents = links(props, RDFS.subPropertyOf.value)
            term.domain = links(props, RDFS.domain.value)
            term.range = links(props, RDFS.range.value)
            properties.append(term)
    head = by_subject.get(ONTOLOGY_IRI, {}) or by_subject.get(ONTOLOGY_IRI + "#", {})
    schemes = site.store.select(
        f"SELECT DISTINCT ?s WHERE {{ ?s a <{SKOS.ConceptScheme.value}> FILTER(STRSTARTS(STR(?s), \"{site.uris.base}/id/\")) }}"
    )
    return {
        "iri": ONTOLOGY_IRI,
        "title": text(head, DCT.title.value, RDFS.label.value) or "Lokaal Circulair",
        "description": text(head, DCT.description.value, RDFS.comment.value),
        "version": text(head, OWL.versionInfo.value),
        "classes": sorted(classes, key=lambda t: i18n.sort_key(t.label)),
        "properties": sorted(properties, key=lambda t: i18n.sort_key(t.label)),
        "schemes": sorted((lang.link(r["s"].value) for r in schemes), key=lambda link: i18n.sort_key(link.label)),
    }

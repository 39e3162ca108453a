"""The RDF of a ``/doc/`` document, put in order and written: one definition for the web and the build.

A document is made in two places that must agree byte for byte: the web tier describes a thing
with a few SPARQL queries when it is asked (:mod:`endpoint.pages.documents`, on every backend),
and the build writes every document once, from the N-Quads dump, into the table the web tier
answers first visits from (:mod:`kg.artefacts.document_pages`). Both gather the same four parts
(own triples, labels and types of what is linked, incoming links, metadata) and hand them to
the functions here, which order, deduplicate and serialize them; so the bytes, and with them
the ETag, are the same whichever way a document was made.

>>> e = ox.NamedNode("https://x.invalid/id/praktijk/a")
>>> own = [ox.Triple(ox.NamedNode(e.value + "#r"), RDF.type, FOAF.Document), ox.Triple(e, RDF.type, FOAF.Document)]
>>> [term_value(t.subject)[-3:] for t in order_own(e.value, own)]
['k/a', 'a#r']
>>> sorted(used_prefixes({"foaf": FOAF.prefix, "dct": DCT.prefix}, own))
['foaf']
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from kg.namespaces import DCT, FOAF, LABEL_PREDICATES, PREFIXES, PROV, RDF, XSD
from kg.terms import term_value

__all__ = [
    "HYDRA", "HYDRA_NEXT", "HYDRA_PREVIOUS", "LABEL_PROPERTIES", "LICENSE", "PAGE_SIZE", "document_prefixes",
    "document_triples", "finish_incoming", "incoming_query", "finish_linked", "linked_iris", "metadata", "modified_of", "order_own",
    "rdf_bytes", "safe_iri", "sort_key", "used_prefixes",
]

#: Incoming triples per document page.
PAGE_SIZE = 500
#: Label properties in order of preference (the pages pick by this order; a document carries them all).
LABEL_PROPERTIES = LABEL_PREDICATES
LICENSE = ox.NamedNode("http://creativecommons.org/licenses/by/4.0/")
HYDRA = "http://www.w3.org/ns/hydra/core#"
HYDRA_NEXT = ox.NamedNode(HYDRA + "next")
HYDRA_PREVIOUS = ox.NamedNode(HYDRA + "previous")


def sort_key(t: ox.Triple) -> tuple[str, str, str]:
    """The stable order of a document's triples: subject, predicate, object as N-Triples."""
    return (term_value(t.subject), t.predicate.value, str(t.object))


def order_own(e: str, own: list[ox.Triple]) -> list[ox.Triple]:
    """The thing's own triples without duplicates: its own first, then its hash parts, each sorted."""
    unique = list(dict.fromkeys(own))
    unique.sort(key=lambda t: (term_value(t.subject) != e, *sort_key(t)))
    return unique


def incoming_query(e: str, page: int, page_size: int = PAGE_SIZE) -> str:
    """The links into ``e`` on one page, one more row than a page (is there a next?).

    No ORDER BY: Oxigraph sorts 10 000 rows in ~0.8 s, while its index order is already stable
    for a build (terms are keyed by their hash), so OFFSET pages are disjoint and reproducible."""
    return (f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{e}> FILTER(isIRI(?s) && ?s != <{e}> && !STRSTARTS(STR(?s), \"{e}#\")) }} "
            f"LIMIT {page_size + 1} OFFSET {(page - 1) * page_size}")


def finish_incoming(incoming: list[ox.Triple]) -> list[ox.Triple]:
    """The links into the thing (with what hash subjects among them say) without duplicates, sorted."""
    return sorted(dict.fromkeys(incoming), key=sort_key)


def linked_iris(e: str, own: list[ox.Triple], incoming: list[ox.Triple]) -> list[str]:
    """Everything a document links to and names: objects, classes, incoming subjects and the
    parents of incoming hash subjects; sorted, and only IRIs that can go back into a query."""
    found: set[str] = set()
    for t in own + incoming:
        for term in (t.subject, t.object):
            if isinstance(term, ox.NamedNode) and term.value != e and not term.value.startswith(e + "#"):
                found.add(term.value)
    for t in incoming:
        if "#" in term_value(t.subject):
            found.add(term_value(t.subject).split("#", 1)[0])
    found.discard(e)
    return sorted(iri for iri in found if safe_iri(iri))


def finish_linked(linked: list[ox.Triple], own: list[ox.Triple], incoming: list[ox.Triple]) -> list[ox.Triple]:
    """The labels and types of what is linked, less what the document says anyway, sorted."""
    own_set = set(own) | set(incoming)
    return sorted((t for t in dict.fromkeys(linked) if t not in own_set), key=sort_key)


def safe_iri(iri: str) -> bool:
    """IRIs from the store go back into a query: refuse anything that could break out of <…>."""
    return not any(c in iri for c in '<>"{}|^`\\ \n')


def modified_of(entity: ox.NamedNode, own: list[ox.Triple], build_date: str | None) -> str | None:
    """The document's date: the thing's latest ``dct:modified``, else the build's date."""
    return max((term_value(t.object) for t in own if t.subject == entity and t.predicate == DCT.modified
                and isinstance(t.object, ox.Literal)), default=None) or build_date


def metadata(doc_iri: str, entity: ox.NamedNode, own: list[ox.Triple], page: int, has_next: bool,
             modified: str | None) -> tuple[ox.NamedNode, list[ox.Triple]]:
    """The document's IRI and what it says about itself: topic, licence, date, sources, paging."""
    doc = ox.NamedNode(doc_iri if page == 1 else f"{doc_iri}?pagina={page}")
    meta = [
        ox.Triple(doc, RDF.type, FOAF.Document),
        ox.Triple(doc, FOAF.primaryTopic, entity),
        ox.Triple(doc, DCT.license, LICENSE),
    ]
    if modified:
        meta.append(ox.Triple(doc, DCT.modified, ox.Literal(modified[:10], datatype=XSD.date)))
    for t in own:
        if t.subject == entity and t.predicate == PROV.wasDerivedFrom:
            meta.append(ox.Triple(doc, DCT.source, t.object))
    if page > 1:
        meta.append(ox.Triple(doc, DCT.isPartOf, ox.NamedNode(doc_iri)))
        previous = doc_iri if page == 2 else f"{doc_iri}?pagina={page - 1}"
        meta.append(ox.Triple(doc, HYDRA_PREVIOUS, ox.NamedNode(previous)))
    if has_next:
        meta.append(ox.Triple(doc, HYDRA_NEXT, ox.NamedNode(f"{doc_iri}?pagina={page + 1}")))
    return doc, meta


def document_triples(own: list[ox.Triple], linked: list[ox.Triple], incoming: list[ox.Triple],
                     meta: list[ox.Triple]) -> list[ox.Triple]:
    """Every triple of a document in the order it is written: own, linked, incoming, metadata."""
    return list(dict.fromkeys(own + linked + incoming + meta))


def rdf_bytes(triples: list[ox.Triple], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples in an RDF format; Turtle and RDF/XML declare only the prefixes they use."""
    if fmt == ox.RdfFormat.N_TRIPLES or prefixes is None:
        body = ox.serialize(triples, format=fmt)
    else:
        body = ox.serialize(triples, format=fmt, prefixes=used_prefixes(prefixes, triples))
    assert body is not None  # serialize returns bytes when given no output
    return body


def document_prefixes(base: str) -> dict[str, str]:
    """Prefixes for readable Turtle and RDF/XML: the standard ones plus our own spaces."""
    ours = {kind: f"{base}/id/{kind}/" for kind in ("praktijk", "organisatie", "persoon", "gemeente", "programma",
                                                    "financiering", "publicatie", "indicator", "bron", "conceptscheme")}
    return {**PREFIXES, "hydra": HYDRA, **ours}


@lru_cache(maxsize=65536)
def _namespace(iri: str) -> str:
    """The namespace an IRI would be written with: up to its last ``#``, else its last ``/``."""
    return iri.rsplit("#", 1)[0] + "#" if "#" in iri else iri.rsplit("/", 1)[0] + "/"


def used_prefixes(prefixes: dict[str, str], triples: list[ox.Triple]) -> dict[str, str]:
    """Only the prefixes the triples use, so a small document starts with a short header."""
    terms: set[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = set()
    for t in triples:
        terms.add(t.subject)
        terms.add(t.predicate)
        terms.add(t.object)
    namespaces = set()
    for term in terms:
        if isinstance(term, ox.NamedNode):
            namespaces.add(_namespace(term.value))
        elif isinstance(term, ox.Literal):
            namespaces.add(term.datatype.value.rsplit("#", 1)[0] + "#")
    return {name: ns for name, ns in prefixes.items() if ns in namespaces}

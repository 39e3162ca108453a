"""The RDF of a document: enough to use the thing without a second request.

For a thing ``E`` (``{base}/id/{concept}/{ref}``) the document ``D`` (``{base}/doc/…``) holds:

1. **own**: every triple about ``E`` and about its hash sub-resources (``E#rol-1``,
   ``E#bedrag``…), which the Flemish URI standard describes inside the parent's
   document because a fragment never reaches the server;
2. **linked**: the labels and types of every resource ``E`` links to (and of the
   classes it belongs to), so a client can show names without dereferencing each;
3. **incoming**: the triples that point at ``E`` from elsewhere (a theme's practices,
   a municipality's organisations), paged in the store's index order (stable for a build): ``page_size`` per document,
   the next page at ``D?pagina=2`` and announced with ``hydra:next``. A hash subject
   that points at ``E`` (``P#rol-3 prov:agent E``) comes with its own triples and its
   parent's link and label, so the role and the practice it belongs to are known;
4. **metadata** (not in the store): ``D foaf:primaryTopic E``, the licence (CC BY 4.0),
   ``dct:modified`` (the thing's, else the build date) and ``dct:source`` (its sources).

Parts 1–3 are what "the store's description" means; the tests recompute them with
their own queries and compare them with every serialization.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from endpoint.pages import jsonld
from kg.artefacts.document_rdf import (
    LABEL_PROPERTIES,
    PAGE_SIZE,
    document_prefixes,
    document_triples,
    finish_incoming,
    finish_linked,
    incoming_query,
    linked_iris,
    metadata,
    modified_of,
    order_own,
    rdf_bytes,
)
from kg.media import Format
from kg.namespaces import CIRC, SCHEMA
from kg.rdf.iris import Target
from kg.store.graph_store import GraphStore

# Made in kg.artefacts.document_rdf (the build writes the same documents); importable here as before.
__all__ = ["PAGE_SIZE", "Description", "describe", "document_prefixes", "rdf_bytes"]

_LABELS = " ".join(f"<{p.value}>" for p in LABEL_PROPERTIES)


@dataclass
class Description:
    """What one document says (see the module docstring for the four parts)."""

    entity: ox.NamedNode
    document: ox.NamedNode
    own: list[ox.Triple]
    linked: list[ox.Triple]
    incoming: list[ox.Triple]
    meta: list[ox.Triple]
    page: int
    has_next: bool
    modified: str | None
    _bodies: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def store_triples(self) -> list[ox.Triple]:
        """Parts 1–3, without duplicates, in a stable order."""
        return list(dict.fromkeys(self.own + self.linked + self.incoming))

    @property
    def triples(self) -> list[ox.Triple]:
        return document_triples(self.own, self.linked, self.incoming, self.meta)

    def serialize(self, fmt: Format, prefixes: dict[str, str], context_url: str) -> bytes:
        """The body in one RDF format; deterministic, so its hash is a fair ETag."""
        if fmt.suffix == "jsonld":
            return jsonld.serialize(self.triples, self.entity.value, context_url)
        assert fmt.rdf is not None
        return rdf_bytes(self.triples, fmt.rdf, prefixes)


def _construct(store: GraphStore, query: str) -> list[ox.Triple]:
    return store.construct(query)


def describe(store: GraphStore, target: Target, page: int = 1, build_date: str | None = None,
             page_size: int = PAGE_SIZE) -> Description | None:
    """The description of one thing, or None when the store knows nothing about it.

    A thing the data only point at (``gewest/vlaanderen`` as the area of a figure) still has
    a document: its incoming links and the metadata.
    """
    e = target.iri
    entity = ox.NamedNode(e)
    own = order_own(e, _own(store, e))
    found = _incoming(store, entity, page, page_size)
    if not own and found is None:
        return None  # neither described nor pointed at: not ours to speak of
    incoming, has_next = found or ([], False)
    linked = _linked(store, e, own, incoming)
    modified = modified_of(entity, own, build_date)
    doc, meta = metadata(target.doc_iri, entity, own, page, has_next, modified)
    return Description(entity, doc, own, linked, incoming, meta, page, has_next, modified)


def _incoming(store: GraphStore, entity: ox.NamedNode, page: int, page_size: int) -> tuple[list[ox.Triple], bool] | None:
    """One page of the links into ``entity`` (and whether there is a next), or None when nothing points at it.

    The query (:func:`~kg.artefacts.document_rdf.incoming_query`) asks one more row than a page:
    is there a next page?
    """
    e = entity.value
    rows = store.select(incoming_query(e, page, page_size))
    if not rows:
        return None
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    incoming = [ox.Triple(s, p, entity) for r in rows
                if isinstance(s := r["s"], ox.NamedNode) and isinstance(p := r["p"], ox.NamedNode)]
    hash_subjects = sorted({r["s"].value for r in rows if "#" in r["s"].value})
    if hash_subjects:
        values = " ".join(f"(<{s}> <{s.split('#', 1)[0]}>)" for s in hash_subjects)
        incoming += _construct(
            store, f"CONSTRUCT {{ ?S ?p ?o . ?P ?q ?S }} WHERE {{ VALUES (?S ?P) {{ {values} }} {{ ?S ?p ?o }} UNION {{ ?P ?q ?S }} }}"
        )
    return finish_incoming(incoming), has_next


def _linked(store: GraphStore, e: str, own: list[ox.Triple], incoming: list[ox.Triple]) -> list[ox.Triple]:
    """Labels and types of everything linked: objects, classes, incoming subjects, their parents."""
    linked: list[ox.Triple] = []
    ordered = linked_iris(e, own, incoming)
    for start in range(0, len(ordered), 400):
        chunk = " ".join(f"<{iri}>" for iri in ordered[start:start + 400])
        linked += _construct(
            store,
            f"CONSTRUCT {{ ?r ?lp ?l . ?r a ?t }} WHERE {{ VALUES ?r {{ {chunk} }} "
            f"{{ VALUES ?lp {{ {_LABELS} }} ?r ?lp ?l FILTER(isLiteral(?l)) }} UNION {{ ?r a ?t }} }}",
        )
    return finish_linked(linked, own, incoming)


#: The one path of hash nodes three levels deep: an enumeration, its item, the list inside the item.
_OPSOMMING, _ITEM = CIRC.opsomming.value, SCHEMA.itemListElement.value


def _own(store: GraphStore, e: str) -> list[ox.Triple]:
    """Triples about ``e`` and its hash sub-resources (reached from ``e``, two levels deep, and a
    third only along an enumeration's items: the list inside an item, ``#opsomming-x-2.1``).

    Every lookup has a bound subject, so the cost does not grow with the store.
    """
    sub = f'isIRI(?{{v}}) && STRSTARTS(STR(?{{v}}), "{e}#")'
    return list(dict.fromkeys(_construct(
        store,
        f"CONSTRUCT {{ <{e}> ?p ?o . ?a ?ap ?ao . ?b ?bp ?bo . ?c ?cp ?co }} WHERE {{ {{ <{e}> ?p ?o }} "
        f"UNION {{ <{e}> ?x ?a FILTER({sub.format(v='a')}) ?a ?ap ?ao }} "
        f"UNION {{ <{e}> ?x ?m FILTER({sub.format(v='m')}) ?m ?y ?b FILTER({sub.format(v='b')}) ?b ?bp ?bo }} "
        f"UNION {{ <{e}> <{_OPSOMMING}> ?m . ?m <{_ITEM}> ?n . ?n <{_ITEM}> ?c FILTER({sub.format(v='c')}) ?c ?cp ?co }} }}",
    )))

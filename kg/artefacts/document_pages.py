"""Every ``/doc/`` document written at build time, from the N-Quads dump, into the document table.

The web tier describes a thing with five bounded SPARQL queries and serializes the answer:
about 2 ms, against 0.15 ms for ``oxigraph serve``'s ``DESCRIBE``, so a crawler's first walk
over every page was 15× slower than the store under it. This step makes the same documents
for the whole graph in one pass: it reads the build's N-Quads dump (and the VoID graph the
build adds to the store) once as text (no store
lookups, no quad objects), keeps each subject's predicate–object pairs and each object's
incoming links, and then gathers per thing exactly what :mod:`endpoint.pages.documents` asks
the store for — own triples (with hash parts, two levels and the enumeration path), page 1
of the incoming links (with the triples of incoming hash subjects and their parents' links),
labels and types of everything linked — and writes it with the same functions
(:mod:`kg.artefacts.document_rdf`), so each body is byte for byte what the web tier would
make. ``tests/test_document_table.py`` compares every document of the test build in every
format with the web tier's own answer, headers included.

The first page of a thing with more incoming links than a page is the store's (its index order
decides which links are on it): for those few things (municipalities, themes) the step asks the
new store the web tier's own query. What is left to the web tier: any document touching a blank
node, pages after the first, the formats the table does not hold.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from kg.artefacts.document_carry import carry_documents
from kg.artefacts.document_rdf import (
    LABEL_PROPERTIES,
    PAGE_SIZE,
    document_prefixes,
    incoming_query,
    metadata,
    modified_of,
    rdf_bytes,
    safe_iri,
)
from kg.artefacts.document_table import FORMATS, TABLE_FILE, table_writer
from kg.artefacts.dumps import NQUADS_DUMP
from kg.artefacts.layout import DUMPS, VOID_GRAPH
from kg.artefacts.step import ArtefactInputs, ArtefactStep, Need
from kg.media import DOCUMENT_FORMATS
from kg.namespaces import CIRC, RDF, SCHEMA
from kg.rdf.iris import Iris, Target
from kg.store.build_slot import BuildSlot

__all__ = ["DOCUMENTS_STEP", "Graph", "write_documents"]

_FORMATS = {f.suffix: f.rdf for f in DOCUMENT_FORMATS if f.suffix in FORMATS and f.rdf is not None}
_LABELS = frozenset(f"<{p.value}>" for p in LABEL_PROPERTIES)
_TYPE = f"<{RDF.type.value}>"
_OPSOMMING, _ITEM = f"<{CIRC.opsomming.value}>", f"<{SCHEMA.itemListElement.value}>"

Pairs = list[tuple[str, str]]


class Graph:
    """The merged graph as N-Triples terms: each subject's (predicate, object) pairs and, for
    each IRI object, its (subject, predicate) pairs. Terms repeated across the graph (predicates,
    IRIs) are kept once."""

    def __init__(self) -> None:
        self.about: dict[str, Pairs] = {}
        self.into: dict[str, Pairs] = {}
        #: Whether any term is a blank node (the documents that touch one are left to the web tier).
        self.blank = False
        self._names: dict[str, list[Line]] = {}
        self._safe: dict[str, bool] = {}

    @classmethod
    def read(cls, lines: Iterable[str]) -> Graph:
        """From N-Quads lines (every quad in a named graph, as a build writes them)."""
        graph = cls()
        about, into = graph.about, graph.into
        shared: dict[str, str] = {}
        for line in lines:
            s, p, rest = line.rstrip("\n")[:-2].split(" ", 2)
            if rest[0] == '"':
                end = rest.rfind('"')
                cut = rest.find(" <", end)
                o = rest if cut < 0 else rest[:cut]
            else:
                o = rest.split(" ", 1)[0]
                if o[0] == "<":
                    o = shared.setdefault(o, o)
                    s = shared.setdefault(s, s)
                    into.setdefault(o, []).append((s, shared.setdefault(p, p)))
            about.setdefault(s, []).append((shared.setdefault(p, p), o))
            graph.blank = graph.blank or s[0] == "_" or o[0] == "_"
        return graph

    def pairs(self, subject: str) -> Pairs:
        return self.about.get(subject, [])

    def names(self, iri: str) -> list[Line]:
        """The labels and types of ``iri`` (what a document says of what it links to), in
        document order; kept, as the same themes and places are linked from thousands."""
        found = self._names.get(iri)
        if found is None:
            tok = f"<{iri}>"
            found = self._names[iri] = sorted(dict.fromkeys(
                (tok, p, o) for p, o in self.pairs(tok) if (p in _LABELS and o[0] == '"') or p == _TYPE), key=_key)
        return found

    def safe(self, iri: str) -> bool:
        found = self._safe.get(iri)
        if found is None:
            found = self._safe[iri] = safe_iri(iri)
        return found


Line = tuple[str, str, str]


class Document(NamedTuple):
    """One document as the table keeps it."""

    target: Target
    triples: list[ox.Triple]
    modified: str | None
    has_next: bool


def _own(graph: Graph, e: str) -> list[Line]:
    """The thing's triples and its hash parts' (the same three patterns as the web tier's query)."""
    tok, part = f"<{e}>", f"<{e}#"
    mine = graph.pairs(tok)
    lines = [(tok, p, o) for p, o in mine]
    first = {o for _, o in mine if o.startswith(part)}
    second = {b for m in first for _, b in graph.pairs(m) if b.startswith(part)}
    third = {c for p, m in mine if p == _OPSOMMING for q, n in graph.pairs(m) if q == _ITEM
             for r, c in graph.pairs(n) if r == _ITEM and c.startswith(part)}
    for node in sorted(first | second | third):
        lines += [(node, p, o) for p, o in graph.pairs(node)]
    return lines


FirstPage = Callable[[str], Pairs]


def _incoming(graph: Graph, e: str, first_page: FirstPage) -> tuple[list[Line], bool]:
    """Page 1 of the links into ``e`` with what incoming hash subjects say, and whether there is
    a next page. Beyond a page the rows are the store's (its index order decides the page)."""
    tok, part = f"<{e}>", f"<{e}#"
    rows = list(dict.fromkeys((s, p) for s, p in graph.into.get(tok, ()) if s[0] == "<" and s != tok and not s.startswith(part)))
    if len(rows) > PAGE_SIZE:
        rows = first_page(e)
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    lines = [(s, p, tok) for s, p in rows]
    for hashed in sorted({s for s, _ in rows if "#" in s}):
        lines += [(hashed, p, o) for p, o in graph.pairs(hashed)]
        parent = hashed.split("#", 1)[0] + ">"
        lines += [(parent, p, hashed) for p, o in graph.pairs(parent) if o == hashed]
    return lines, has_next


def _key(line: Line) -> tuple[str, str, str]:
    """:func:`~kg.artefacts.document_rdf.sort_key` on N-Triples terms (a subject and predicate
    without their brackets, the object as written)."""
    return (line[0][1:-1], line[1][1:-1], line[2])


def _linked_iris(graph: Graph, e: str, lines: list[Line], incoming: list[Line]) -> list[str]:
    """:func:`~kg.artefacts.document_rdf.linked_iris` on N-Triples terms."""
    found = {term[1:-1] for s, _, o in lines for term in (s, o) if term[0] == "<"}
    found |= {s[1:].split("#", 1)[0] for s, _, _ in incoming if "#" in s}
    return sorted(iri for iri in found if iri != e and not iri.startswith(e + "#") and graph.safe(iri))


def _linked(graph: Graph, iris: list[str], known: set[Line]) -> list[Line]:
    """Labels and types of the linked IRIs less what the document says anyway: already in
    order, as the IRIs are sorted and each one's lines too."""
    return [line for iri in iris for line in graph.names(iri) if line not in known]


def _document(graph: Graph, e: str, first_page: FirstPage) -> tuple[list[Line], bool] | None:
    """The store's part of a document (own, linked, incoming) in the web tier's order and whether
    its incoming links go on on a next page; None when the table leaves it to the web tier."""
    own, (incoming, has_next) = _own(graph, e), _incoming(graph, e, first_page)
    if not (own or incoming):
        return None
    if graph.blank and any(term[0] == "_" for line in own + incoming for term in line):
        return None  # blank nodes: their labels are the store's, left to the web tier
    tok = f"<{e}>"
    own = sorted(dict.fromkeys(own), key=lambda line: (line[0] != tok, *_key(line)))
    incoming = sorted(dict.fromkeys(incoming), key=_key)
    linked = _linked(graph, _linked_iris(graph, e, own + incoming, incoming), set(own) | set(incoming))
    return list(dict.fromkeys(own + linked + incoming)), has_next


def documents(graph: Graph, uris: Iris, build_date: str, first_page: FirstPage) -> Iterator[Document]:
    """Every document the table holds: the thing, its triples in order, its date, whether it has a next page."""
    ours = f"<{uris.base}/id/"
    things = sorted({t[1:-1] for t in (*graph.about, *graph.into) if t.startswith(ours) and "#" not in t})
    for e in things:
        target = uris.target(e)
        if target is None or target.iri != e:
            continue
        found = _document(graph, e, first_page)
        if found is None:
            continue
        lines, has_next = found
        entity = ox.NamedNode(e)
        text = "".join(f"{s} {p} {o} .\n" for s, p, o in lines)
        triples = list(ox.parse(input=text.encode(), format=ox.RdfFormat.N_TRIPLES))
        # Only the thing's own triples have it as subject: both read just those.
        modified = modified_of(entity, triples, build_date)
        _, meta = metadata(target.doc_iri, entity, triples, 1, has_next, modified)
        # The store's lines are distinct already; a metadata triple is left out if the store says it too.
        said = set(lines)
        triples += [m for m in meta if (str(m.subject), str(m.predicate), str(m.object)) not in said]
        yield Document(target, triples, modified, has_next)


def _first_page(slot: BuildSlot) -> FirstPage:
    """The first page of links into a thing as the store orders them (the web tier's own query)."""
    def rows(e: str) -> Pairs:
        found = slot.query(incoming_query(e, 1))
        assert isinstance(found, ox.QuerySolutions)
        return [(str(row["s"]), str(row["p"])) for row in found]
    return rows


def write_documents(inputs: ArtefactInputs) -> dict[str, int] | None:
    """The document table of this build, from its N-Quads dump (none with ``KG_DOCUMENTS_AHEAD=false``);
    an incremental build carries the previous one's over (:mod:`kg.artefacts.document_carry`)."""
    if not inputs.settings.documents_ahead:
        return None
    change = inputs.change
    if change is not None:
        carried = carry_documents(inputs, change)
        if carried is not None or not change.dumps_current:
            return carried  # none: the web tier makes every document until a build writes them
    uris = Iris(inputs.settings.base_iri)
    prefixes = document_prefixes(uris.base)
    build_date = time.strftime("%Y-%m-%d", time.gmtime())
    # The dump holds every record's graph; the VoID graph goes into the store after it (it names
    # the dataset and points at example things), so its few quads are read from the store.
    void = ox.serialize(inputs.slot.store.quads_for_pattern(None, None, None, ox.NamedNode(uris.base + VOID_GRAPH)),
                        format=ox.RdfFormat.N_QUADS)
    assert void is not None
    lines = chain(_dump_lines(inputs.slot.artefacts_dir / DUMPS / NQUADS_DUMP.file), void.decode().splitlines(keepends=True))
    graph = Graph.read(lines)
    count = 0
    with table_writer(inputs.slot.artefacts_dir / TABLE_FILE, build_date) as put:
        for doc in documents(graph, uris, build_date, _first_page(inputs.slot)):
            for suffix, fmt in _FORMATS.items():
                put(doc.target.key, suffix, rdf_bytes(doc.triples, fmt, prefixes), doc.modified, doc.has_next)
            count += 1
    return {"documents": count}


def _dump_lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        yield from lines


DOCUMENTS_STEP = ArtefactStep(
    "documents", "Documents written ahead (Turtle)", write_documents,
    needs=frozenset({Need.STORE, Need.DUMPS}),  # after the VoID step, which adds its graph to the store
)

"""The documents written ahead, carried from the previous build into an incremental one.

Writing the table anew reads the whole N-Quads dump: 8.6 CPU-s at 10 000 practices, 100 at
100 000, far more than the change it would follow. An incremental build instead links the
previous build's table (it is never written again) and lists beside it
(:data:`~kg.artefacts.document_table.STALE_FILE`) every document the change may have
altered; the web tier makes those as it did before there was a table, and the next full build
writes them all again.

A document holds a thing's own triples and its hash parts', page 1 of the links into it, and
the labels and types of everything linked (:mod:`kg.artefacts.document_pages`). So a change
to the records whose subjects are S, pointing at O, alters exactly:

- the documents of S and O (own triples, links into them);
- the documents of whatever links to an S (the label or type of an S may have changed);

except the document of an O with more links than a page, whose page 1 (the store's index
order) the change left as it was and which names no S: a hub such as a theme or a role, whose
document the web tier makes slowest, keeps its row (checked against the new store's page 1);

and the VoID graph, which every build writes again, alters the documents of its subjects and
of what it points at, but not of what points at them: the names of the dataset and its
partitions (what other documents show of them) come from the settings, whose change makes a
full build. Each IRI counts for its document (``…#part`` for ``…``).

>>> from kg.rdf.iris import Iris
>>> sorted(document_keys(Iris("https://example.org"),
...        ["https://example.org/id/praktijk/a#periode", "https://example.org/id/organisatie/b",
...         "http://www.w3.org/2004/02/skos/core#Concept"]))
['organisatie/b', 'praktijk/a']
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.artefacts.document_rdf import PAGE_SIZE, incoming_query
from kg.artefacts.document_table import STALE_FILE, TABLE_FILE, DocumentTable, write_stale
from kg.artefacts.layout import VOID_GRAPH
from kg.artefacts.step import ArtefactInputs, BuildChange
from kg.rdf.iris import Iris
from kg.store.build_slot import BuildSlot
from kg.store.folders import ARTEFACTS, link_or_copy

__all__ = ["carry_documents", "document_keys"]

#: IRIs per VALUES block when asking for the things that link to the changed subjects.
_CHUNK = 2000


def carry_documents(inputs: ArtefactInputs, change: BuildChange) -> dict[str, int] | None:
    """Link the previous build's table into this build and list what the change made stale;
    None when there is nothing to carry (no previous table, or a change too large to list)."""
    previous = inputs.slot.previous_folder()
    if previous is None or change.touched is None:
        return None
    source = previous / ARTEFACTS / TABLE_FILE
    table = DocumentTable.open(source)
    if table is None:
        return None
    uris = Iris(inputs.settings.base_iri)
    reached = (document_keys(uris, change.subjects) | document_keys(uris, _void_terms(inputs.slot, uris))
               | document_keys(uris, _referrers(inputs.slot, list(change.subjects))))
    pointed_at = document_keys(uris, change.touched) - reached
    changed = {iri.split("#", 1)[0] for iri in change.subjects}
    kept = {key for key in pointed_at if _first_page_unchanged(inputs.slot, table, uris, key, changed)}
    stale = table.stale | reached | (pointed_at - kept)
    target = inputs.slot.artefacts_dir / TABLE_FILE
    link_or_copy(source, target)
    write_stale(target.with_name(STALE_FILE), stale)
    return {"stale": len(stale), "kept_long_lists": len(kept)}


def _first_page_unchanged(slot: BuildSlot, table: DocumentTable, uris: Iris, key: str, changed: set[str]) -> bool:
    """Whether the document of a thing that the change only links to is still the table's:
    true for a thing with more links than a page (a theme, a municipality, a role) when the
    links on its page 1, and whether there is a next page, are the same in the new store and
    none of the things it names changed. Such hubs are the documents that cost the web tier
    most to make (hundreds of ms), and most changes leave their first page alone."""
    row = table.get(key, "ttl")
    if row is None or not row.paged:
        return False  # every link into it is in its document: a link the change made is there
    target = uris.target(f"{uris.base}/id/{key}")
    assert target is not None
    e = ox.NamedNode(target.iri)
    old = list(ox.parse(input=row.body, format=ox.RdfFormat.TURTLE))
    if any(isinstance(t, ox.NamedNode) and t.value.split("#", 1)[0] in changed for q in old for t in (q.subject, q.object)):
        return False
    before = {(q.subject.value, q.predicate.value) for q in old
              if q.object == e and isinstance(q.subject, ox.NamedNode) and q.subject.value != target.doc_iri
              and not q.subject.value.startswith(target.iri + "#")}
    found = slot.query(incoming_query(target.iri, 1))
    assert isinstance(found, ox.QuerySolutions)
    rows = [(row_["s"].value, row_["p"].value) for row_ in found]
    return len(rows) > PAGE_SIZE and set(rows[:PAGE_SIZE]) == before


def document_keys(uris: Iris, iris: Iterable[str]) -> set[str]:
    """The keys of the documents these IRIs belong to (IRIs outside ``/id/`` have none)."""
    keys = set()
    for iri in iris:
        thing = iri.split("#", 1)[0]
        target = uris.target(thing)
        if target is not None and target.iri == thing:
            keys.add(target.key)
    return keys


def _void_terms(slot: BuildSlot, uris: Iris) -> set[str]:
    """The subjects of the VoID graph and the IRIs it points at."""
    found: set[str] = set()
    for quad in slot.store.quads_for_pattern(None, None, None, ox.NamedNode(uris.base + VOID_GRAPH)):
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    return found


def _referrers(slot: BuildSlot, subjects: list[str]) -> set[str]:
    """The IRIs of the things whose triples point at one of ``subjects`` in the new store."""
    found: set[str] = set()
    for start in range(0, len(subjects), _CHUNK):
        values = " ".join(f"<{iri}>" for iri in subjects[start:start + _CHUNK])
        answer = slot.query(f"SELECT DISTINCT ?s WHERE {{ VALUES ?o {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
        assert isinstance(answer, ox.QuerySolutions)
        found.update(row["s"].value for row in answer if isinstance(row["s"], ox.NamedNode))
    return found


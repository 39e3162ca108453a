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

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.document_table import STALE_FILE, TABLE_FILE, read_stale, write_stale
from kg.artefacts.layout import VOID_GRAPH
from kg.artefacts.step import ArtefactInputs, BuildChange
from kg.rdf.iris import Iris
from kg.store.build_slot import BuildSlot
from kg.store.folders import ARTEFACTS

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
    if not source.is_file():
        return None
    uris = Iris(inputs.settings.base_iri)
    void = _void_terms(inputs.slot, uris)
    iris = {*change.subjects, *change.touched, *void}
    iris |= _referrers(inputs.slot, list(change.subjects))
    stale = read_stale(source.with_name(STALE_FILE)) | document_keys(uris, iris)
    target = inputs.slot.artefacts_dir / TABLE_FILE
    _link(source, target)
    write_stale(target.with_name(STALE_FILE), stale)
    return {"stale": len(stale)}


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


def _link(source: Path, target: Path) -> None:
    """A hard link where the file system allows one (no copy of ~0.3 GB at 100 000 practices)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)

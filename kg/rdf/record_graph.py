"""One named graph of the knowledge graph: its quads and what it describes.

Why a module of its own: every later stage (the SHACL gate, the artefacts, the build) holds
these, while only :mod:`kg.rdf.mapping` and :mod:`kg.rdf.turtle_documents` make them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode, Quad

from kg.records.record import Record

__all__ = ["RecordGraph"]


@dataclass(frozen=True)
class RecordGraph:
    """The quads of one named graph: a source record, or a derived/loaded document
    (arrondissement, province, concept scheme, ontology) with ``record`` None."""

    kind: str
    id: str
    graph: NamedNode
    subject: NamedNode
    quads: tuple[Quad, ...]
    record: Record | None

    @property
    def subject_iri(self) -> str:
        """The IRI of ``subject`` (a graph kept on disk gives it without making the term:
        the SHACL report indexes every graph by it)."""
        return self.subject.value

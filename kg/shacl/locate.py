"""Where a SHACL result stands in the sources: which record, which file, which line.

Why: a result names a focus node (``…/id/praktijk/x#rol-2``), a path and maybe a value;
a curator needs ``data/praktijken/x.yaml:17``. The focus node leads to its record's graph
(the subject itself, the subject before ``#``, or, rarely, any graph that describes it);
the record key the path and value are about comes from :func:`kg.rdf.key_paths.key_path`,
and the record knows the line of every key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.key_paths import key_path
from kg.rdf.mapping import RecordGraph

__all__ = ["Location", "Locator"]


@dataclass(frozen=True)
class Location:
    """A result's record (kind and id) and the file and line of the key it is about; all
    None when the focus node belongs to no graph, file and line None when not to a record."""

    kind: str | None = None
    record_id: str | None = None
    file: Path | None = None
    line: int | None = None


class Locator:
    """Finds the graph, record and line a focus node belongs to."""

    def __init__(self, graphs: Sequence[RecordGraph]) -> None:
        self.graphs = graphs
        self.by_subject = {g.subject_iri: g for g in graphs}
        self._by_any_subject: dict[str, RecordGraph] | None = None

    def graph_of(self, focus: str) -> RecordGraph | None:
        """The graph of the record (or document) the focus node belongs to."""
        found = self.by_subject.get(focus) or self.by_subject.get(focus.partition("#")[0])
        if found is not None:
            return found
        if self._by_any_subject is None:  # rare (a link page, a concept): index once
            self._by_any_subject = {}
            for graph in self.graphs:
                for quad in graph.quads:
                    if isinstance(quad.subject, ox.NamedNode):
                        self._by_any_subject.setdefault(quad.subject.value, graph)
        return self._by_any_subject.get(focus)

    def locate(self, focus: str, path: str | None, value: str | None) -> Location:
        """The location of a result about ``focus`` (``path``: a predicate IRI, or None for
        a complex path or none; ``value``: the offending value, if any)."""
        graph = self.graph_of(focus)
        if graph is None:
            return Location()
        record = graph.record
        if record is None:
            return Location(graph.kind, graph.id)
        keys = key_path(record, focus, path, value)
        line = record.line(*keys) if keys else record.line("id")
        return Location(graph.kind, graph.id, record.path, line)

"""Which focus nodes a change can affect: what an incremental build validates again.

A record's graph holds its entity and its sub-resources (``…/id/praktijk/x#rol-2``). SHACL
results about a node depend on the triples its shapes' paths reach: its own graph, and across
records the nodes it links to and the nodes that link to it (counts over inverse paths such as
"a role belongs to exactly one practice", ``sh:class`` of a referenced organisation, the
mutual broader/narrower links). So the focus nodes validated again are, at the granularity of
whole graphs:

* every subject of the old and the new version of each changed, added or removed record;
* every subject of each graph with a triple *pointing at* one of those subjects (incoming);
* every subject of each graph that *describes* an IRI the old or new version points at (outgoing).

Graphs outside the gate's data are never expanded: the ontology's (the gate sees only its
``rdfs:subClassOf`` triples) and the VoID description's, which names every class a record points
at (``void:class``) and would make each of its ~700 partitions a focus node of every change
(3.9 → ~0.3 CPU-s for one practice of 10 000).

The paths of ``shapes/`` go at most one step beyond a record's own graph (a sequence path's
first step stays inside it), which is what this covers; the differential test
(``tests/test_incremental.py``) compares every result with a full validation.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

__all__ = ["Footprint", "affected_focus", "footprint"]


@dataclass
class Footprint:
    """The subjects and the IRIs pointed at of some graphs (one version of them)."""

    subjects: set[ox.NamedNode] = field(default_factory=set)
    objects: set[ox.NamedNode] = field(default_factory=set)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        for quad in quads:
            if isinstance(quad.subject, ox.NamedNode):
                self.subjects.add(quad.subject)
            if isinstance(quad.object, ox.NamedNode):
                self.objects.add(quad.object)


def footprint(store: ox.Store, graphs: Iterable[ox.NamedNode]) -> Footprint:
    """The footprint of named graphs as ``store`` holds them (the old versions, read before
    they are removed)."""
    found = Footprint()
    for graph in graphs:
        found.add(store.quads_for_pattern(None, None, None, graph))
    return found


def affected_focus(store: ox.Store, old: Footprint, new: Footprint, outside: Collection[ox.NamedNode]) -> set[ox.NamedNode]:
    """The focus nodes to validate again in the new ``store`` (see the module docstring).

    ``outside`` are the graphs that are not the gate's data (the ontology's: the gate sees only
    its ``rdfs:subClassOf`` triples, :mod:`kg.shacl.data_graph`; the VoID description's), whose
    subjects are never focus nodes of their own."""
    core = old.subjects | new.subjects
    neighbours: set[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = set()
    for node in core:
        neighbours.update(q.graph_name for q in store.quads_for_pattern(None, None, node, None))
    for node in old.objects | new.objects:
        neighbours.update(q.graph_name for q in store.quads_for_pattern(node, None, None, None))
    focus = set(core)
    for graph in neighbours:
        if isinstance(graph, ox.NamedNode) and graph not in outside:
            focus.update(q.subject for q in store.quads_for_pattern(None, None, None, graph) if isinstance(q.subject, ox.NamedNode))
    return focus

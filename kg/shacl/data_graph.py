"""What the SHACL gate validates: the union of the record graphs and concept schemes, and of
the ontology only its ``rdfs:subClassOf`` triples.

Why so little of the ontology: SHACL needs the class hierarchy (``sh:targetClass circ:Les``
also finds ``circ:Valkuil`` nodes) and nothing else of it, and what goes into pyshacl costs
~40 µs per triple. Both engines validate exactly these quads; no inference.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg.namespaces import RDFS
from kg.rdf.iris import DEFAULT_BASE_IRI
from kg.rdf.mapping import RecordGraph

__all__ = ["base_of", "validation_quads"]


def validation_quads(graphs: Sequence[RecordGraph], ontology: bool = False) -> Iterable[ox.Quad]:
    """The quads of the data graph both engines validate: every record and concept-scheme
    graph, and of the ontology only its ``rdfs:subClassOf`` triples (``ontology=False``) or
    only the rest of it (``ontology=True``: what a build loads after the gate)."""
    for graph in graphs:
        if graph.kind == "ontology":
            yield from (quad for quad in graph.quads if (quad.predicate == RDFS.subClassOf) != ontology)
        elif not ontology:
            yield from graph.quads


def base_of(graphs: Sequence[RecordGraph]) -> str:
    """The base IRI the graphs were mapped under (their graph names say it), against which
    relative IRIs in the shapes resolve; the default base when no graph says."""
    for graph in graphs:
        base, marker, _ = graph.graph.value.partition("/graph/")
        if marker:
            return base
    return DEFAULT_BASE_IRI

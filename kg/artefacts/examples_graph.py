"""The example queries as one named graph of the build, ``{base}/graph/sparql/examples``.

Apart from :mod:`kg.artefacts.examples` (what the web also reads) because a graph of the build
is a :class:`~kg.rdf.mapping.RecordGraph`, which the web tier must not import.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.examples import EXAMPLES_GRAPH, EXAMPLES_PATH, example_triples, read_examples
from kg.rdf.mapping import RecordGraph

__all__ = ["examples_graph"]


def examples_graph(folder: Path, base: str) -> RecordGraph:
    """The examples as one named graph of the build (``{base}/graph/sparql/examples``)."""
    graph = ox.NamedNode(base + EXAMPLES_GRAPH)
    quads = tuple(ox.Quad(t.subject, t.predicate, t.object, graph)
                  for t in example_triples(base, base + "/sparql", read_examples(folder)))
    return RecordGraph("examples", "sparql", graph, ox.NamedNode(base + EXAMPLES_PATH), quads, None)

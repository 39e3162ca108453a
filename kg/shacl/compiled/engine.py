"""The fast SHACL engine: shapes compiled to SPARQL, run on Oxigraph, results located like pyshacl's.

Why the results go through a pyshacl-form results graph: the report, its Turtle and the
differential test then treat both engines' results alike (:mod:`kg.shacl.results`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, URIRef

from kg.rdf.mapping import RecordGraph
from kg.shacl.compiled.checks import RawResult, default_messages
from kg.shacl.compiled.compiler import compile_shapes
from kg.shacl.compiled.runner import run_checks
from kg.shacl.compiled.shapes import Node, Shapes
from kg.shacl.data_graph import validation_quads
from kg.shacl.rdflib_terms import SHACL, TermConverter
from kg.shacl.report import ValidationReport
from kg.shacl.results import report_of

__all__ = ["CompiledEngine", "report_from_raw"]


class CompiledEngine:
    """SHACL Core compiled to SPARQL on Oxigraph (an :class:`~kg.shacl.engine.Engine`)."""

    def validate(self, graphs: Sequence[RecordGraph], shapes_dir: Path, base: str, store: ox.Store | None = None) -> ValidationReport:
        """The checks run on ``store`` (which must already hold the validation quads of
        ``graphs``), or on an in-memory store made from ``graphs``."""
        shapes = Shapes.load(shapes_dir, base)
        if store is None:
            store = ox.Store()
            store.bulk_extend(validation_quads(graphs))
        checks = compile_shapes(shapes, store)
        return report_from_raw(run_checks(store, checks), shapes, graphs)


def report_from_raw(raw: Sequence[RawResult], shapes: Shapes, graphs: Sequence[RecordGraph]) -> ValidationReport:
    """The report of the fast engine's raw results, located in the records like pyshacl's,
    with a results graph in pyshacl's form (the parallel build runs the checks in a child
    process and makes the report here, in the parent, which has the records)."""
    results_graph = Graph()
    converter = TermConverter()
    nodes = []
    for index, item in enumerate(raw, start=1):
        node = BNode(f"r{index}")
        nodes.append(node)
        results_graph.add((node, RDF.type, SHACL.ValidationResult))
        results_graph.add((node, SHACL.focusNode, converter.term(item.focus)))
        results_graph.add((node, SHACL.resultSeverity, URIRef(item.severity)))
        results_graph.add((node, SHACL.sourceConstraintComponent, URIRef(item.component)))
        results_graph.add((node, SHACL.sourceShape, converter.term(item.shape)))
        if item.value is not None:
            results_graph.add((node, SHACL.value, converter.term(item.value)))
        if item.path_node is not None:
            results_graph.add((node, SHACL.resultPath, converter.term(item.path_node)))
            _copy_path(shapes, item.path_node, results_graph, converter)
        for message in item.messages or default_messages(item):
            results_graph.add((node, SHACL.resultMessage, converter.term(message)))
    return report_of(results_graph, nodes, graphs)


def _copy_path(shapes: Shapes, node: Node, target: Graph, converter: TermConverter) -> None:
    """Copy a SHACL path's blank-node structure from the shapes into the results graph."""
    todo = [node]
    while todo:
        subject = todo.pop()
        if not isinstance(subject, ox.BlankNode):
            continue
        for predicate, objects in shapes.index.get(subject, {}).items():
            for obj in objects:
                target.add((converter.term(subject), URIRef(predicate), converter.term(obj)))
                todo.append(obj)

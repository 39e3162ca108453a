"""The reference SHACL engine: pyshacl on rdflib graphs.

Why keep a slow engine: pyshacl is the reference implementation of SHACL Core; the
differential test holds the fast engine (:mod:`kg.shacl.compiled`) to it, and
``KG_VALIDATOR=pyshacl`` runs a build with it when the fast one is in doubt. What goes in
is kept small, because it costs ~40 µs per triple (:mod:`kg.shacl.data_graph`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.rdf.mapping import RecordGraph
from kg.shacl.data_graph import validation_quads
from kg.shacl.rdflib_terms import SHACL, TermConverter
from kg.shacl.report import ValidationReport
from kg.shacl.results import report_of
from kg.shacl.shapes_files import read_shapes

__all__ = ["PyshaclEngine"]


class PyshaclEngine:
    """pyshacl, no inference, warnings and notes allowed (an :class:`~kg.shacl.engine.Engine`)."""

    def validate(self, graphs: Sequence[RecordGraph], shapes_dir: Path, base: str, store: ox.Store | None = None) -> ValidationReport:
        """The report of pyshacl on the graphs (``store`` is not used: pyshacl reads rdflib graphs)."""
        shapes = Graph()
        converter = TermConverter()
        for quads in read_shapes(shapes_dir, base):
            converter.add(quads, shapes)
        data = Graph()
        TermConverter().add(validation_quads(graphs), data)
        # Imported here: pyshacl (and rdflib's SPARQL parser it loads) cost every `kg build` 0.15 CPU-s
        # of imports, and only KG_VALIDATOR=pyshacl and the differential tests use it.
        from pyshacl import validate as pyshacl_validate

        _, results_graph, _ = pyshacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,
            inplace=True,
            allow_warnings=True,
            allow_infos=True,
        )
        assert isinstance(results_graph, Graph)
        # Only the report's own results: the nested ones pyshacl attaches with sh:detail (why an
        # sh:node value failed) explain a result, they are not results of the data graph.
        return report_of(results_graph, results_graph.objects(None, SHACL.result), graphs)

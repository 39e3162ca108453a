"""The SHACL gate: nothing is published unless the mapped records satisfy ``shapes/``.

This is the stage's entry point: :func:`validate` runs one of two engines
(``KG_VALIDATOR``) behind one interface (:class:`~kg.shacl.engine.Engine`): ``sparql``,
the default (:mod:`kg.shacl.compiled`: the shapes compiled into SPARQL queries run on
Oxigraph, 20-40x faster) and ``pyshacl``, the reference implementation
(:mod:`kg.shacl.pyshacl_engine`) that ``tests/test_shacl_differential.py`` holds the fast
one to. Either gives a :class:`~kg.shacl.report.ValidationReport` whose results a curator
can act on: severity, the record, the YAML file and line of the offending key
(:mod:`kg.shacl.locate`), the SHACL path, and the shape's own message in Dutch and English.

The parallel build splits the fast engine across processes: it loads
:func:`validation_quads` into a store, runs the compiled checks in a child process and
turns their raw results into the report here (:func:`report_from_raw`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.mapping import RecordGraph
from kg.shacl.compiled.engine import CompiledEngine, report_from_raw
from kg.shacl.data_graph import base_of, validation_quads
from kg.shacl.engine import Engine
from kg.shacl.pyshacl_engine import PyshaclEngine
from kg.shacl.report import ValidationReport, ValidationResult

__all__ = [
    "ENGINES",
    "ValidationReport",
    "ValidationResult",
    "report_from_raw",
    "validate",
    "validation_quads",
]

#: The validation engines by name (``KG_VALIDATOR``); the first is the default.
ENGINES: Mapping[str, Engine] = {"sparql": CompiledEngine(), "pyshacl": PyshaclEngine()}


def validate(
    graphs: Sequence[RecordGraph],
    shapes_dir: Path,
    extra: Sequence[RecordGraph] = (),
    base_iri: str | None = None,
    engine: str = "sparql",
    store: ox.Store | None = None,
) -> ValidationReport:
    """Validate the union of ``graphs`` (and ``extra``) against every ``shapes_dir/*.ttl``.

    Relative IRIs in the shapes resolve against ``{base}/``, the base taken from the
    graphs themselves unless given. ``store``, when given, already holds
    :func:`validation_quads` of the graphs (the fast engine then queries it). Raises
    :class:`~kg.errors.SourceError` when a shapes file does not parse or there are no
    shapes at all (a gate without shapes would pass anything).
    """
    everything = [*graphs, *extra]
    base = base_iri or base_of(everything)
    chosen = ENGINES.get(engine)
    if chosen is None:
        raise ValueError(f"Unknown validation engine {engine!r}; use one of {', '.join(ENGINES)}.")
    return chosen.validate(everything, shapes_dir, base, store)

"""SHACL Core compiled to SPARQL and run on Oxigraph: the fast engine of the SHACL gate.

Why: pyshacl (the reference, :mod:`kg.shacl.pyshacl_engine`) walks the data graph in
Python at ~40 µs per triple; 100 000 practices take minutes and gigabytes. SHACL Core
says the same things as SPARQL filters, and Oxigraph evaluates those in Rust on its
indexes. So every (shape, constraint component) of ``shapes/*.ttl`` becomes one SELECT
query that returns exactly the failing focus nodes and value nodes; the queries run on
any pyoxigraph store whose union default graph is the data graph, in threads.

The modules, in the order a validation uses them:

- :mod:`~kg.shacl.compiled.shapes` — the shapes graph as an index; terms and paths in SPARQL syntax;
- :mod:`~kg.shacl.compiled.expressions` — each constraint as a "violates"/"conforms" expression of one node;
- :mod:`~kg.shacl.compiled.compiler` — the top-level queries (:func:`compile_shapes`);
- :mod:`~kg.shacl.compiled.checks` — what the compiler makes (:class:`Check`) and the runner finds (:class:`RawResult`);
- :mod:`~kg.shacl.compiled.runner` — the queries run on a store (:func:`run_checks`);
- :mod:`~kg.shacl.compiled.engine` — the engine of the gate, and the located report of raw results.

Not supported (a clear error, never silently ignored): SHACL-SPARQL constraints,
recursive shapes. Literals are not checked for ill-formedness beyond their datatype IRI
(the mapping writes only well-formed literals). ``tests/test_shacl_differential.py`` holds
this engine to pyshacl: the same (focus node, path, constraint component, severity,
value) on the fixtures and on synthetic data with planted defects.

This package's own names are the ones the build uses on their own (the parallel build
runs the checks in a child process on a store of its own).
"""

from kg.shacl.compiled.checks import Check, RawResult, default_messages
from kg.shacl.compiled.compiler import compile_shapes
from kg.shacl.compiled.runner import run_checks
from kg.shacl.compiled.shapes import Shapes

__all__ = ["Check", "RawResult", "Shapes", "compile_shapes", "default_messages", "run_checks"]

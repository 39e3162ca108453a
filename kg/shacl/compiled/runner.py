"""Running compiled SHACL checks on an Oxigraph store: rows in, raw results out.

Why apart from the compiler: the parallel build runs the checks in a child process on a
store of its own (the default graph, ``union=False``) while the parent loads the new
store; the in-process gate runs them on the union of a store's named graphs. The queries
run in threads (Oxigraph releases the GIL while it queries).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox

from kg.shacl.compiled.checks import Check, RawResult
from kg.shacl.compiled.shapes import Node, unsupported

__all__ = ["run_checks"]


def _fails(row: ox.QuerySolution, index: int, test: str, bound: int) -> bool:
    """Whether part ``index`` of a combined check fails on this row (see :attr:`Check.parts`)."""
    if test == "none":
        return row["value"] is None
    if test in ("flag", "lang"):
        flag = row[f"f{index}"]
        return isinstance(flag, ox.Literal) and flag.value == "true"
    count = int(row["n"].value)
    return count < bound if test == "<" else count > bound


def run_checks(store: ox.Store, checks: Sequence[Check], threads: int = 2, union: bool = True) -> list[RawResult]:
    """Run the checks on ``store``: the data graph is the union of its named graphs, or
    (``union=False``) its default graph."""

    def run(check: Check) -> list[RawResult]:
        try:
            solutions = store.query(check.sparql, use_default_graph_as_union=union)
        except SyntaxError as exc:  # a bug of the compiler, not of the data: say which shape
            raise unsupported(f"shape {check.shape} compiled to a query that does not parse ({exc})") from exc
        assert isinstance(solutions, ox.QuerySolutions)
        names = {v.value for v in solutions.variables}
        out: list[RawResult] = []
        if check.parts:
            out = []
            langs: set[tuple[Node, str]] = set()  # uniqueLang: one result per focus node and language
            for row in solutions:
                for i, (component, parameter, test, bound) in enumerate(check.parts):
                    if not _fails(row, i, test, bound):
                        continue
                    if test == "lang":
                        value = row["value"]
                        key = (row["this"], value.language.lower() if isinstance(value, ox.Literal) and value.language else "")
                        if key in langs:
                            continue
                        langs.add(key)
                    out.append(RawResult(row["this"], check.path, row["value"] if test == "flag" else None, component,
                                         check.severity, check.messages, check.shape, parameter, check.path_node))
            return out
        for row in solutions:
            value = row["value"] if "value" in names else None
            path, path_node = check.path, check.path_node
            if "path" in names and row["path"] is not None:
                path, path_node = row["path"].value, row["path"]
            out.append(RawResult(row["this"], path, value, check.component, check.severity, check.messages, check.shape,
                                 check.parameter, path_node))
        return out

    if threads <= 1 or len(checks) < 2:
        return [r for check in checks for r in run(check)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return [r for part in pool.map(run, checks) for r in part]


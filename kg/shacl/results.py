"""A results graph in pyshacl's form → the report's :class:`~kg.shacl.report.ValidationResult` objects.

Why one reader for both engines: pyshacl writes its results as an rdflib graph, and the
fast engine writes its own in the same form (:func:`kg.shacl.compiled.engine.report_from_raw`),
so one function reads severity, messages, path and value from either, locates each result
in the records (:mod:`kg.shacl.locate`) and orders them the same way: the differential test
compares the two reports line by line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.mapping import RecordGraph
from kg.shacl.locate import Locator
from kg.shacl.rdflib_terms import SHACL
from kg.shacl.report import SEVERITIES, ValidationReport, ValidationResult

__all__ = ["path_text", "report_of"]


def report_of(results: Graph, nodes: Iterable[Node], graphs: Sequence[RecordGraph]) -> ValidationReport:
    """The report of the result ``nodes`` of a results graph, located in ``graphs``, in
    report order (severity, file, line, focus node, path, component, message)."""
    locator = Locator(graphs)
    found = sorted((_result(results, node, locator) for node in nodes), key=_order)
    return ValidationReport(tuple(found), results)


def _result(results: Graph, node: Node, locator: Locator) -> ValidationResult:
    focus = results.value(node, SHACL.focusNode)
    path = results.value(node, SHACL.resultPath)
    value = results.value(node, SHACL.value)
    severity = results.value(node, SHACL.resultSeverity)
    component = results.value(node, SHACL.sourceConstraintComponent)
    shape = results.value(node, SHACL.sourceShape)
    messages = {m.language: str(m) for m in results.objects(node, SHACL.resultMessage) if isinstance(m, Literal)}
    fallback = messages.get(None) or next(iter(messages.values()), "")
    message_nl = messages.get("nl") or fallback or messages.get("en", "")
    message_en = messages.get("en") or fallback or message_nl
    focus_text = str(focus) if focus is not None else ""
    path_iri = str(path) if isinstance(path, URIRef) else None
    value_text = str(value) if value is not None and not isinstance(value, BNode) else None
    where = locator.locate(focus_text, path_iri, value_text)
    return ValidationResult(
        severity=str(severity).rpartition("#")[2] if severity is not None else "Violation",
        focus_node=focus_text,
        path=path_iri if path_iri is not None else (path_text(results, path) if path is not None else None),
        component=str(component) if component is not None else "",
        message_nl=message_nl,
        message_en=message_en,
        value=value_text,
        kind=where.kind,
        record_id=where.record_id,
        file=where.file,
        line=where.line,
        shape=str(shape) if isinstance(shape, URIRef) else None,
        node=node,
    )


def path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path that is not a single IRI, in SPARQL-like notation."""
    inverse = graph.value(path, SHACL.inversePath)
    if inverse is not None:
        return "^" + path_text(graph, inverse)
    if isinstance(path, URIRef):
        return str(path)
    items = list(graph.items(path))
    if items:
        return "/".join(path_text(graph, item) for item in items)
    for predicate, mark in ((SHACL.zeroOrMorePath, "*"), (SHACL.oneOrMorePath, "+"), (SHACL.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"({path_text(graph, inner)}){mark}"
    alternatives = graph.value(path, SHACL.alternativePath)
    if alternatives is not None:
        return "|".join(path_text(graph, item) for item in graph.items(alternatives))
    return "(path)"


def _order(result: ValidationResult) -> tuple[Any, ...]:
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else len(SEVERITIES)
    return (rank, str(result.file or ""), result.line or 0, result.focus_node, result.path or "", result.component, result.message_nl)

"""The SHACL gate's report: results a curator can act on, as a terminal table and as Turtle.

Why its own module: both engines (:mod:`kg.shacl.pyshacl_engine`, :mod:`kg.shacl.compiled`)
produce this one model, and everything after the gate (the CLI, the build's artefacts,
:class:`kg.errors.ValidationFailed`, which takes any object with ``violations`` and
``table``) reads only it. A result carries its severity, the record (kind and id), the
YAML file and line of the offending key, the SHACL path, and the shape's own message in
Dutch and English.

The Turtle report (:meth:`ValidationReport.to_turtle`) is pyshacl's ``sh:ValidationReport``
with our annotations on each ``sh:ValidationResult``:

- ``rdfs:comment "data/praktijken/x.yaml:12"`` — the file (relative to the data folder's
  parent, so the report is the same wherever the build ran) and line;
- ``rdfs:seeAlso <{base}/id/praktijk/x>`` — the record the result is about.

Both are standard RDFS annotation properties, so the report needs no terms of our own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.namespaces import PREFIXES
from kg.shacl.rdflib_terms import SHACL

__all__ = ["SEVERITIES", "ValidationReport", "ValidationResult"]

#: Severity names, most serious first (the order of the report).
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, located in the sources as precisely as we can."""

    severity: str
    focus_node: str
    path: str | None
    component: str
    message_nl: str
    message_en: str
    value: str | None
    kind: str | None
    record_id: str | None
    file: Path | None
    line: int | None
    shape: str | None = None
    #: The result's node in :attr:`ValidationReport.graph` (its full SHACL description).
    node: Node | None = field(default=None, repr=False, compare=False)

    @property
    def where(self) -> str:
        """``file:line`` relative to the working folder when possible, for terminals."""
        if self.file is None:
            return "-"
        return f"{_relative(self.file)}:{self.line or 1}"

    @property
    def record(self) -> str:
        """``kind/id`` of the record, or ``-`` when the focus node is not a record."""
        return f"{self.kind}/{self.record_id}" if self.kind and self.record_id else "-"


@dataclass(frozen=True)
class ValidationReport:
    """All results of one validation; ``conforms`` when no result is a Violation.

    >>> ValidationReport().conforms, ValidationReport().table()
    (True, 'SHACL: no violations, warnings or notes.')
    """

    results: tuple[ValidationResult, ...] = ()
    #: The results graph in pyshacl's form, holding each result's :attr:`ValidationResult.node`.
    graph: Graph = field(default_factory=Graph, repr=False, compare=False)

    @property
    def conforms(self) -> bool:
        """Whether nothing is a Violation (warnings and notes do not block)."""
        return not self.violations

    @property
    def violations(self) -> list[ValidationResult]:
        """The results that stop the build."""
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        """The results a curator should look at."""
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def infos(self) -> list[ValidationResult]:
        """The notes."""
        return [r for r in self.results if r.severity == "Info"]

    def restricted_to(self, files: Iterable[Path]) -> ValidationReport:
        """Only the results located in ``files`` (``kg validate FILE``)."""
        wanted = {Path(f).resolve() for f in files}
        kept = tuple(r for r in self.results if r.file is not None and r.file.resolve() in wanted)
        return ValidationReport(kept, self.graph)

    def to_turtle(self) -> str:
        """The report as a ``sh:ValidationReport`` in Turtle (see the module docstring)."""
        out = Graph(bind_namespaces="none")
        for prefix, iri in PREFIXES.items():
            out.bind(prefix, Namespace(iri), override=True)
        report = BNode("report")
        out.add((report, RDF.type, SHACL.ValidationReport))
        out.add((report, SHACL.conforms, Literal(self.conforms)))
        names: dict[Node, BNode] = {}  # pyshacl's random blank nodes → stable ones
        for index, result in enumerate(self.results, start=1):
            node = BNode(f"result{index}")
            out.add((report, SHACL.result, node))
            if result.node is not None:
                names[result.node] = node
                _copy_description(self.graph, out, result.node, names)
            else:  # a result that did not come from a results graph: write what we know
                out.add((node, RDF.type, SHACL.ValidationResult))
                out.add((node, SHACL.focusNode, URIRef(result.focus_node)))
                out.add((node, SHACL.resultSeverity, SHACL[result.severity]))
                out.add((node, SHACL.sourceConstraintComponent, URIRef(result.component)))
                out.add((node, SHACL.resultMessage, Literal(result.message_nl, lang="nl")))
                out.add((node, SHACL.resultMessage, Literal(result.message_en, lang="en")))
            if result.file is not None:
                out.add((node, RDFS.comment, Literal(f"{_data_relative(result.file)}:{result.line or 1}")))
            if result.record_id is not None:
                focus = result.focus_node.partition("#")[0]
                out.add((node, RDFS.seeAlso, URIRef(focus)))
        return out.serialize(format="turtle")

    def table(self) -> str:
        """A plain-text table for the terminal: severity, record, file:line, path, then
        the message in Dutch and English on their own lines."""
        if not self.results:
            return "SHACL: no violations, warnings or notes."
        rows = [(r.severity, r.record, r.where, _compact(r.path) if r.path else "-") for r in self.results]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines: list[str] = []
        for result, row in zip(self.results, rows, strict=True):
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            lines.append(f"    nl: {result.message_nl}")
            if result.message_en != result.message_nl:
                lines.append(f"    en: {result.message_en}")
        counts = {s: sum(1 for r in self.results if r.severity == s) for s in SEVERITIES}
        lines.append(
            f"{counts['Violation']} violation(s), {counts['Warning']} warning(s), {counts['Info']} note(s)."
        )
        return "\n".join(lines)


def _copy_description(source: Graph, target: Graph, node: Node, names: dict[Node, BNode]) -> None:
    """Copy a result and the blank nodes it points at (shapes, paths, lists) into
    ``target``, renaming blank nodes in a fixed order so the same report gives the
    same Turtle on every run."""

    def rename(term: Node) -> Node:
        if not isinstance(term, BNode):
            return term
        if term not in names:
            names[term] = BNode(f"b{len(names) + 1}")
            todo.append(term)
        return names[term]

    todo = [node]
    done: set[Node] = set()
    while todo:
        subject = todo.pop(0)
        if subject in done:
            continue
        done.add(subject)
        pairs = sorted(source.predicate_objects(subject), key=lambda po: (str(po[0]), isinstance(po[1], BNode), str(po[1])))
        for predicate, obj in pairs:
            target.add((rename(subject), predicate, rename(obj)))


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _relative(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _data_relative(path: Path) -> str:
    """``data/praktijken/x.yaml``: the path from the data folder's parent, the same on
    every machine (records sit two levels under the data folder, CSVs too)."""
    parts = path.parts
    return "/".join(parts[-3:]) if len(parts) >= 3 else path.name

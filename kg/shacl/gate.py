"""The SHACL gate: nothing is published unless the mapped records satisfy ``shapes/``.

Two engines sit behind the same ``validate`` function (``KG_VALIDATOR``): ``sparql``
(the default: :mod:`kg.shacl.compiled` compiles the SHACL Core shapes into SPARQL queries
run on Oxigraph, 20-40x faster) and ``pyshacl``, the reference implementation that
``tests/test_shacl_differential.py`` holds the fast one to. Its results are turned into :class:`ValidationResult`
objects that a curator can act on: severity, the record (kind and id), the YAML file and
line of the offending key, the SHACL path, and the shape's own message in Dutch and
English.

What goes into pyshacl is kept small, because it costs ~40 µs per triple: the union of
the record graphs and concept schemes; of the ontology only its ``rdfs:subClassOf``
triples (so ``sh:targetClass circ:Les`` also finds ``circ:Valkuil`` nodes, as SHACL
prescribes); no inference.

The Turtle report (:meth:`ValidationReport.to_turtle`) is pyshacl's ``sh:ValidationReport``
with our annotations on each ``sh:ValidationResult``:

- ``rdfs:comment "data/praktijken/x.yaml:12"`` — the file (relative to the data folder's
  parent, so the report is the same wherever the build ran) and line;
- ``rdfs:seeAlso <{base}/id/praktijk/x>`` — the record the result is about.

Both are standard RDFS annotation properties, so the report needs no terms of our own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.errors import Problem, SourceError
from kg.namespaces import PREFIXES
from kg.namespaces import RDFS as OX_RDFS
from kg.rdf.iris import DEFAULT_BASE_IRI
from kg.rdf.key_paths import key_path
from kg.rdf.mapping import RecordGraph

__all__ = ["ENGINES", "SEVERITIES", "ValidationReport", "ValidationResult", "validate", "validation_quads"]

#: The validation engines (``KG_VALIDATOR``).
ENGINES = ("sparql", "pyshacl")

SH = Namespace("http://www.w3.org/ns/shacl#")

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
    """All results of one validation; ``conforms`` when no result is a Violation."""

    results: tuple[ValidationResult, ...] = ()
    graph: Graph = field(default_factory=Graph, repr=False, compare=False)

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def infos(self) -> list[ValidationResult]:
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
        out.add((report, RDF.type, SH.ValidationReport))
        out.add((report, SH.conforms, Literal(self.conforms)))
        names: dict[Node, BNode] = {}  # pyshacl's random blank nodes → stable ones
        for index, result in enumerate(self.results, start=1):
            node = BNode(f"result{index}")
            out.add((report, SH.result, node))
            if result.node is not None:
                names[result.node] = node
                _copy_description(self.graph, out, result.node, names)
            else:  # a result that did not come from pyshacl: write what we know
                out.add((node, RDF.type, SH.ValidationResult))
                out.add((node, SH.focusNode, URIRef(result.focus_node)))
                out.add((node, SH.resultSeverity, SH[result.severity]))
                out.add((node, SH.sourceConstraintComponent, URIRef(result.component)))
                out.add((node, SH.resultMessage, Literal(result.message_nl, lang="nl")))
                out.add((node, SH.resultMessage, Literal(result.message_en, lang="en")))
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
    graphs themselves unless given. Raises :class:`SourceError` when a shapes file does
    not parse or there are no shapes at all (a gate without shapes would pass anything).
    """
    everything = [*graphs, *extra]
    base = base_iri or _base_of(everything)
    if engine == "sparql":
        return _validate_sparql(everything, shapes_dir, base, store)
    if engine != "pyshacl":
        raise ValueError(f"Unknown validation engine {engine!r}; use one of {', '.join(ENGINES)}.")
    shapes = _load_shapes(shapes_dir, base)
    data = _data_graph(everything)
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
    locator = _Locator(everything)
    # Only the report's own results: the nested ones pyshacl attaches with sh:detail (why an
    # sh:node value failed) explain a result, they are not results of the data graph.
    results = [_result(results_graph, node, locator) for node in results_graph.objects(None, SH.result)]
    results.sort(key=_order)
    return ValidationReport(tuple(results), results_graph)


def validation_quads(graphs: Sequence[RecordGraph], ontology: bool = False) -> Iterable[ox.Quad]:
    """The quads of the data graph both engines validate: every record and concept-scheme
    graph, and of the ontology only its ``rdfs:subClassOf`` triples (``ontology=False``) or
    only the rest of it (``ontology=True``: what a build loads after the gate)."""
    for graph in graphs:
        if graph.kind == "ontology":
            yield from (quad for quad in graph.quads if (quad.predicate == OX_RDFS.subClassOf) != ontology)
        elif not ontology:
            yield from graph.quads


def _validate_sparql(graphs: Sequence[RecordGraph], shapes_dir: Path, base: str, store: ox.Store | None) -> ValidationReport:
    """The fast engine: compiled SPARQL on ``store`` (which must already hold
    :func:`validation_quads`), or on an in-memory store made from ``graphs``."""
    from kg.shacl import compiled as shaclsparql

    shapes = shaclsparql.Shapes.load(shapes_dir, base)
    if store is None:
        store = ox.Store()
        store.bulk_extend(validation_quads(graphs))
    checks = shaclsparql.compile_shapes(shapes, store)
    return report_from_raw(shaclsparql.run_checks(store, checks), shapes, graphs)


def report_from_raw(raw: Sequence[Any], shapes: Any, graphs: Sequence[RecordGraph]) -> ValidationReport:
    """The report of the fast engine's raw results (:class:`kg.shacl.compiled.RawResult`),
    located in the records like pyshacl's, with a results graph in pyshacl's form."""
    from kg.shacl import compiled as shaclsparql

    results_graph = Graph()
    converter = _Converter()
    nodes = []
    for index, item in enumerate(raw, start=1):
        node = BNode(f"r{index}")
        nodes.append(node)
        results_graph.add((node, RDF.type, SH.ValidationResult))
        results_graph.add((node, SH.focusNode, converter.term(item.focus)))
        results_graph.add((node, SH.resultSeverity, URIRef(item.severity)))
        results_graph.add((node, SH.sourceConstraintComponent, URIRef(item.component)))
        results_graph.add((node, SH.sourceShape, converter.term(item.shape)))
        if item.value is not None:
            results_graph.add((node, SH.value, converter.term(item.value)))
        if item.path_node is not None:
            results_graph.add((node, SH.resultPath, converter.term(item.path_node)))
            _copy_path(shapes, item.path_node, results_graph, converter)
        for message in item.messages or shaclsparql.default_messages(item):
            results_graph.add((node, SH.resultMessage, converter.term(message)))
    locator = _Locator(graphs)
    results = [_result(results_graph, node, locator) for node in nodes]
    results.sort(key=_order)
    return ValidationReport(tuple(results), results_graph)


def _copy_path(shapes: Any, node: Any, target: Graph, converter: "_Converter") -> None:
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


# --------------------------------------------------------------------------- input


def _base_of(graphs: Sequence[RecordGraph]) -> str:
    for graph in graphs:
        base, marker, _ = graph.graph.value.partition("/graph/")
        if marker:
            return base
    return DEFAULT_BASE_IRI


class _Converter:
    """pyoxigraph terms → rdflib terms, each distinct term converted once.

    Twice as fast as an N-Triples round trip (rdflib's parser is the slow part), and the
    shared IRIs and literals of many records become shared rdflib objects.
    """

    def __init__(self) -> None:
        self.cache: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Node] = {}

    def term(self, term: Any) -> Node:
        converted = self.cache.get(term)
        if converted is None:
            if isinstance(term, ox.NamedNode):
                converted = URIRef(term.value)
            elif isinstance(term, ox.BlankNode):
                converted = BNode(term.value)
            elif isinstance(term, ox.Literal):
                if term.language:
                    converted = Literal(term.value, lang=term.language)
                else:
                    converted = Literal(term.value, datatype=URIRef(term.datatype.value))
            else:  # pragma: no cover - RDF-star is not used in this graph
                raise TypeError(f"Unsupported RDF term {term!r}.")
            self.cache[term] = converted
        return converted

    def add(self, triples: Iterable[ox.Triple | ox.Quad], graph: Graph) -> None:
        convert = self.term
        graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in triples)


def _data_graph(graphs: Sequence[RecordGraph]) -> Graph:
    def quads() -> Iterable[ox.Quad]:
        for graph in graphs:
            if graph.kind == "ontology":
                yield from (quad for quad in graph.quads if quad.predicate == OX_RDFS.subClassOf)
            else:
                yield from graph.quads

    data = Graph()
    _Converter().add(quads(), data)
    return data


def _load_shapes(shapes_dir: Path, base: str) -> Graph:
    files = sorted(shapes_dir.glob("*.ttl")) if shapes_dir.is_dir() else []
    if not files:
        raise SourceError([Problem(shapes_dir, 1, "There are no SHACL shapes (*.ttl) in this folder, so nothing can be validated.")])
    shapes = Graph()
    converter = _Converter()
    problems: list[Problem] = []
    for path in files:
        try:
            quads = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=base + "/", rename_blank_nodes=True))
        except SyntaxError as exc:
            problems.append(Problem(path, exc.lineno or 1, f"This shapes file is not valid Turtle: {exc.msg}", exc.offset))
            continue
        converter.add(quads, shapes)
    if problems:
        raise SourceError(problems)
    return shapes


# --------------------------------------------------------------------------- results


class _Locator:
    """Finds the graph, record and line a focus node belongs to."""

    def __init__(self, graphs: Sequence[RecordGraph]) -> None:
        self.graphs = graphs
        self.by_subject = {g.subject.value: g for g in graphs}
        self._by_any_subject: dict[str, RecordGraph] | None = None

    def graph_of(self, focus: str) -> RecordGraph | None:
        found = self.by_subject.get(focus) or self.by_subject.get(focus.partition("#")[0])
        if found is not None:
            return found
        if self._by_any_subject is None:  # rare (a link page, a concept): index once
            self._by_any_subject = {}
            for graph in self.graphs:
                for quad in graph.quads:
                    if isinstance(quad.subject, ox.NamedNode):
                        self._by_any_subject.setdefault(quad.subject.value, graph)
        return self._by_any_subject.get(focus)


def _result(results: Graph, node: Node, locator: _Locator) -> ValidationResult:
    focus = results.value(node, SH.focusNode)
    path = results.value(node, SH.resultPath)
    value = results.value(node, SH.value)
    severity = results.value(node, SH.resultSeverity)
    component = results.value(node, SH.sourceConstraintComponent)
    shape = results.value(node, SH.sourceShape)
    messages = {m.language: str(m) for m in results.objects(node, SH.resultMessage) if isinstance(m, Literal)}
    fallback = messages.get(None) or next(iter(messages.values()), "")
    message_nl = messages.get("nl") or fallback or messages.get("en", "")
    message_en = messages.get("en") or fallback or message_nl
    focus_text = str(focus) if focus is not None else ""
    path_text = str(path) if isinstance(path, URIRef) else (_path_text(results, path) if path is not None else None)
    value_text = str(value) if value is not None and not isinstance(value, BNode) else None
    graph = locator.graph_of(focus_text)
    record = graph.record if graph is not None else None
    file: Path | None = None
    line: int | None = None
    if record is not None:
        keys = key_path(record, focus_text, str(path) if isinstance(path, URIRef) else None, value_text)
        file = record.path
        line = record.line(*keys) if keys else record.line("id")
    return ValidationResult(
        severity=str(severity).rpartition("#")[2] if severity is not None else "Violation",
        focus_node=focus_text,
        path=path_text,
        component=str(component) if component is not None else "",
        message_nl=message_nl,
        message_en=message_en,
        value=value_text,
        kind=graph.kind if graph is not None else None,
        record_id=graph.id if graph is not None else None,
        file=file,
        line=line,
        shape=str(shape) if isinstance(shape, URIRef) else None,
        node=node,
    )


def _path_text(graph: Graph, path: Node) -> str:
    """A SHACL property path that is not a single IRI, in SPARQL-like notation."""
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_text(graph, inverse)
    if isinstance(path, URIRef):
        return str(path)
    items = list(graph.items(path))
    if items:
        return "/".join(_path_text(graph, item) for item in items)
    for predicate, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"({_path_text(graph, inner)}){mark}"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_text(graph, item) for item in graph.items(alternatives))
    return "(path)"


def _order(result: ValidationResult) -> tuple[Any, ...]:
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else len(SEVERITIES)
    return (rank, str(result.file or ""), result.line or 0, result.focus_node, result.path or "", result.component, result.message_nl)


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


# --------------------------------------------------------------------------- display


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


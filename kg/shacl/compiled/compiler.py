"""SHACL Core shapes → the SELECT queries of the fast engine, one per (shape, constraint), or fewer.

Why so: pyshacl walks the data graph in Python at ~40 µs per triple; Oxigraph evaluates a
SPARQL filter in Rust on its indexes. Every (shape, constraint component) of the shapes
becomes a query that returns exactly the failing focus nodes and value nodes:

- a shape's *targets* become a pattern binding ``?this`` (``sh:targetClass`` →
  ``?this rdf:type/rdfs:subClassOf* C``, and so on); compiled against the store, class
  membership uses the subclass closure read from the data graph once instead
  (``VALUES ?c { C … } ?this rdf:type ?c``, or ``?this rdf:type C``);
- a SHACL path becomes the same SPARQL property path;
- value-type constraints become filters over the "violates" expressions of
  :mod:`kg.shacl.compiled.expressions`;
- count constraints (min/maxCount, qualified counts) are GROUP BY queries per focus node;
- at top level the constraints of one shape that look at each value (value types,
  uniqueLang, and minCount 1 as an OPTIONAL) share one query with a flag per
  constraint, and min/maxCount one GROUP BY: at 100 000 practices the cost of a query
  is mostly walking ~100 000 focus nodes and their path, once per query.

Only results of shapes with targets (and of their ``sh:property`` shapes) are reported,
as SHACL prescribes; nested shapes only decide conformance.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.shacl.compiled.checks import Check, component_iri
from kg.shacl.compiled.expressions import ExpressionCompiler
from kg.shacl.compiled.shapes import OWL_CLASS, RDF_TYPE, RDFS_CLASS, Node, Path_, Shapes, term

__all__ = ["compile_shapes"]

#: A constraint checked on each value: (component local name, violates-expression, parameter, test of Check.parts).
_Value = tuple[str, str, Node | None, str]
#: A count constraint: (component local name, parameter, "<" or ">", bound).
_Count = tuple[str, Node, str, int]


@dataclass
class _PropertyChecks:
    """The checks of one property shape being compiled, and what they all share."""

    prop: Node
    path: Path_
    path_node: Node | None
    severity: str
    messages: tuple[ox.Literal, ...]
    focus: str
    checks: list[Check] = field(default_factory=list)

    def add(self, local: str, sparql: str, param: Node | None = None) -> None:
        """A check of one constraint."""
        self.checks.append(Check(self.prop, component_iri(local), self.severity, self.path.text, self.messages, sparql,
                                 param, self.path_node))


class CheckCompiler(ExpressionCompiler):
    """Compiles every shape that has targets into checks (see the module docstring)."""

    def targets(self, shape: Node) -> str | None:
        """A pattern binding ``?this`` to every focus node of ``shape``, or None."""
        s = self.shapes
        branches: list[str] = []
        classes = list(s.objects(shape, "targetClass"))
        types = {t.value for t in s.objects(shape, RDF_TYPE) if isinstance(t, ox.NamedNode)}
        if isinstance(shape, ox.NamedNode) and types & {RDFS_CLASS, OWL_CLASS}:
            classes.append(shape)  # implicit class target
        branches += [self.typed("?this", c) for c in classes]
        nodes = s.objects(shape, "targetNode")
        if nodes:
            branches.append("VALUES ?this { " + " ".join(term(n) for n in nodes) + " }")
        branches += [f"?this {term(p)} [] ." for p in s.objects(shape, "targetSubjectsOf")]
        branches += [f"[] {term(p)} ?this ." for p in s.objects(shape, "targetObjectsOf")]
        if not branches:
            return None
        return branches[0] if len(branches) == 1 else " UNION ".join("{ " + b + " }" for b in branches)

    def top_level(self) -> list[Check]:
        """Every check of every shape that has targets."""
        checks: list[Check] = []
        for shape in list(self.shapes.index):
            focus = self.targets(shape)
            if focus is None or self.deactivated(shape):
                continue
            self.check_supported(shape)
            if self.shapes.value(shape, "path") is not None:
                checks += self.property_checks(shape, focus, None)
            else:
                checks += self.node_shape_checks(shape, focus)
        return checks

    def node_shape_checks(self, shape: Node, focus: str) -> list[Check]:
        """The checks of a node shape with targets: of the focus nodes themselves, then of
        its property shapes."""
        checks: list[Check] = []
        severity = self.severity(shape)
        messages = self.messages(shape)
        self.stack.append(shape)
        try:
            values = list(self.value_violations(shape, "?this"))
            if len(values) > 1:
                checks.append(self.walk_check(shape, severity, None, messages, None, focus, "BIND(?this AS ?value)",
                                              [(local, expr, param, "flag") for local, expr, param in values]))
                values = []
            for local, expr, param in itertools.chain(values, self.closed_or_value(shape)):
                if local == "closed":
                    p = "?path"
                    sparql = f"SELECT DISTINCT ?this ?path ?value WHERE {{ {focus} ?this ?path ?value . FILTER({self.not_allowed(shape, p)}) }}"
                elif local == "hasValue":  # about the focus node itself: no value node (as pyshacl)
                    sparql = f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({expr}) }}"
                else:
                    sparql = f"SELECT DISTINCT ?this ?value WHERE {{ {focus} BIND(?this AS ?value) FILTER({expr}) }}"
                checks.append(Check(shape, component_iri(local), severity, None, messages, sparql, param))
            for prop in self.shapes.objects(shape, "property"):
                if not self.deactivated(prop):
                    checks += self.property_checks(prop, focus, shape)
        finally:
            self.stack.pop()
        return checks

    def closed_or_value(self, shape: Node) -> Iterator[tuple[str, str, Node | None]]:
        """The constraints of a node shape about the focus node as a whole (hasValue, closed)."""
        for v in self.shapes.objects(shape, "hasValue"):
            yield "hasValue", f"!sameTerm(?this, {term(v)})", v
        if self.shapes.flag(shape, "closed"):
            yield "closed", "", None

    def property_checks(self, prop: Node, focus: str, parent: Node | None) -> list[Check]:
        """The checks of a property shape on the focus nodes bound by ``focus``."""
        s = self.shapes
        self.check_supported(prop)
        path = self.path_of(prop)
        t = _PropertyChecks(prop, path, s.value(prop, "path"), self.severity(prop), self.messages(prop), focus)
        self.stack.append(prop)
        try:
            self._count_checks(t, self._value_checks(t))
            self._pair_checks(t)
            self._qualified_checks(t, parent)
            for nested in s.objects(prop, "property"):  # a property shape's own sh:property: of its value nodes
                if not self.deactivated(nested):
                    inner = f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {focus.replace('?this', '?f')} }} }} ?f {path.sparql} ?this }} }}"
                    t.checks += self.property_checks(nested, inner, prop)
        finally:
            self.stack.pop()
        return t.checks

    def _value_checks(self, t: _PropertyChecks) -> list[_Count]:
        """The constraints about each value (value types, uniqueLang) and minCount 1 (a
        focus node without a value) in one query: the focus nodes and the path are walked
        once for all of them. One constraint alone keeps its own query. Returns the count
        constraints still to check."""
        s, prop, path, focus = self.shapes, t.prop, t.path, t.focus
        values: list[_Value] = [(local, expr, param, "flag") for local, expr, param in self.value_violations(prop, "?value")]
        if s.flag(prop, "uniqueLang"):
            b = self.var("u")
            values.append(("uniqueLang", f"EXISTS {{ ?this {path.sparql} {b} FILTER(!sameTerm(?value, {b}) && isLiteral(?value) && "
                                         f"lang(?value) != \"\" && LCASE(lang(?value)) = LCASE(lang({b}))) }}", None, "lang"))
        counts: list[_Count] = [(local, n, test, int(n.value)) for local, test in (("minCount", "<"), ("maxCount", ">"))
                                for n in s.objects(prop, local) if local == "maxCount" or int(n.value) > 0]
        min_one = [c for c in counts if c[2:] == ("<", 1)]
        if values and (len(values) > 1 or len(min_one) == 1):
            if len(min_one) == 1:
                counts.remove(min_one[0])
                values.append(("minCount", "", min_one[0][1], "none"))
            t.checks.append(self.walk_check(prop, t.severity, path.text, t.messages, t.path_node, focus,
                                            f"?this {path.sparql} ?value .", values, optional=len(min_one) == 1))
            values = []
        for local, expr, param, test in values:
            if test == "lang":
                t.add(local, f"SELECT DISTINCT ?this ?lang WHERE {{ {focus} ?this {path.sparql} ?a . ?this {path.sparql} ?b . "
                             "FILTER(!sameTerm(?a, ?b) && isLiteral(?a) && lang(?a) != \"\" && LCASE(lang(?a)) = LCASE(lang(?b))) "
                             "BIND(LCASE(lang(?a)) AS ?lang) }")
            else:
                t.add(local, f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path.sparql} ?value . FILTER({expr}) }}", param)
        return counts

    def _count_checks(self, t: _PropertyChecks, counts: list[_Count]) -> None:
        """Count constraints. GROUP BY over the focus pattern itself, not over a DISTINCT
        subquery of it: COUNT(DISTINCT) does not mind repeated focus rows, and Oxigraph
        then walks the path from the focus nodes instead of hash-joining every triple of
        the path (0.1 s per check on a class of a few nodes at 100 000 practices)."""
        path, focus = t.path, t.focus
        if len(counts) == 1 and counts[0][2:] == ("<", 1):  # no value at all: no GROUP BY needed
            t.add("minCount", f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path.sparql} ?v }} }}", counts[0][1])
        elif counts:  # min and max in one query: the values of each focus node counted once
            having = " || ".join(f"COUNT(DISTINCT ?v) {test} {bound}" for _, _, test, bound in counts)
            walk = f"OPTIONAL {{ ?this {path.sparql} ?v }}" if any(test == "<" for _, _, test, _ in counts) else f"?this {path.sparql} ?v ."
            if len(counts) == 1:
                t.add(counts[0][0], f"SELECT ?this WHERE {{ {focus} {walk} }} GROUP BY ?this HAVING ({having})", counts[0][1])
            else:
                parts = tuple((component_iri(local), n, test, bound) for local, n, test, bound in counts)
                t.checks.append(Check(t.prop, parts[0][0], t.severity, path.text, t.messages,
                                      f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} {walk} }} GROUP BY ?this HAVING ({having})",
                                      parts[0][1], t.path_node, parts))

    def _pair_checks(self, t: _PropertyChecks) -> None:
        """hasValue, and the constraints that compare the values with another property's."""
        s, prop, path, focus = self.shapes, t.prop, t.path, t.focus
        for value in s.objects(prop, "hasValue"):
            t.add("hasValue", f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path.sparql} {term(value)} }} }}", value)
        for p in s.objects(prop, "equals"):
            # Each UNION branch starts from the focus nodes (a UNION joined with the focus
            # afterwards would walk the whole graph).
            # MINUS, not FILTER NOT EXISTS: Oxigraph evaluates MINUS once and anti-joins on
            # (?this, ?value); NOT EXISTS probed per row from the (shared) value: 20x slower
            # at 100 000 practices.
            t.add("equals", f"SELECT DISTINCT ?this ?value WHERE {{ {{ {focus} ?this {path.sparql} ?value MINUS {{ ?this {term(p)} ?value }} }} "
                            f"UNION {{ {focus} ?this {term(p)} ?value MINUS {{ ?this {path.sparql} ?value }} }} }}", p)
        for p in s.objects(prop, "disjoint"):
            t.add("disjoint", f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path.sparql} ?value . ?this {term(p)} ?value }}", p)
        for local, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for p in s.objects(prop, local):
                t.add(local, f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus} ?this {path.sparql} ?value . ?this {term(p)} ?other . "
                             f"FILTER(!COALESCE(?value {op} ?other, false)) }}", p)

    def _qualified_checks(self, t: _PropertyChecks, parent: Node | None) -> None:
        """qualifiedMinCount and qualifiedMaxCount: counts of the values that conform to a shape."""
        s, prop, path, focus = self.shapes, t.prop, t.path, t.focus
        for q in s.objects(prop, "qualifiedValueShape"):
            cond = self.qualified_condition(prop, q, parent)
            v = "?v"
            for n in s.objects(prop, "qualifiedMinCount"):
                if int(n.value) == 1:  # fewer than one conforming value: none exists (no GROUP BY)
                    t.add("qualifiedMinCount", f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path.sparql} {v} FILTER({cond(v)}) }} }}", n)
                else:
                    t.add("qualifiedMinCount", f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path.sparql} {v} FILTER({cond(v)}) }} }} "
                                               f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) < {int(n.value)})", n)
            for n in s.objects(prop, "qualifiedMaxCount"):
                t.add("qualifiedMaxCount", f"SELECT ?this WHERE {{ {focus} ?this {path.sparql} {v} FILTER({cond(v)}) }} "
                                           f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) > {int(n.value)})", n)

    def walk_check(self, shape: Node, severity: str, path: str | None, messages: tuple[ox.Literal, ...],
                   path_node: Node | None, focus: str, step: str, parts: list[_Value],
                   optional: bool = False) -> Check:
        """One query for several constraints of a shape: ``focus`` and ``step`` bind
        ``?this`` and ``?value`` once, each constraint's "violates" expression becomes a
        flag ``?f{i}`` (see :attr:`Check.parts`). COALESCE(…, false) is what FILTER does
        with an error, so each flag is true exactly where that constraint's own query
        returned the row. With ``optional``, a focus node without any value gives one row
        with ``?value`` unbound (the ``"none"`` part: minCount 1), and no flag is set there."""
        guard = "BOUND(?value) && " if optional else ""
        binds = " ".join(f"BIND({guard}COALESCE({expr}, false) AS ?f{i})" for i, (_, expr, _, test) in enumerate(parts) if test != "none")
        flags = " ".join(f"?f{i}" for i, part in enumerate(parts) if part[3] != "none")
        any_ = " || ".join(["!BOUND(?value)"] * optional + [f"?f{i}" for i, part in enumerate(parts) if part[3] != "none"])
        walk = f"{focus} OPTIONAL {{ {step} }}" if optional else f"{focus} {step}"
        sparql = f"SELECT DISTINCT ?this ?value {flags} WHERE {{ {walk} {binds} FILTER({any_}) }}"
        compiled = tuple((component_iri(local), param, test, 0) for local, _, param, test in parts)
        return Check(shape, compiled[0][0], severity, path, messages, sparql, compiled[0][1], path_node, compiled)


def compile_shapes(shapes: Shapes, store: ox.Store | None = None, union: bool = True) -> list[Check]:
    """Every check of the shapes graph, in a stable order (shapes file order).

    With ``store`` (the data graph the checks will run on, as
    :func:`~kg.shacl.compiled.runner.run_checks` sees it with the same ``union``), class
    targets and ``sh:class`` use the subclass closure read from it now: the same results,
    without a zero-or-more path per row. The checks are then valid for that data graph only
    (its ``rdfs:subClassOf`` triples must not change)."""
    return CheckCompiler(shapes, store, union).top_level()

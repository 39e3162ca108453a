"""SHACL Core compiled to SPARQL and run on Oxigraph: the fast path of the SHACL gate.

Why: pyshacl (the reference, kept in :mod:`kg.shacl.gate`) walks the data graph in
Python at ~40 µs per triple; 100 000 practices take minutes and gigabytes. SHACL
Core says the same things as SPARQL filters, and Oxigraph evaluates those in Rust
on its indexes. So every (shape, constraint component) of ``shapes/*.ttl`` becomes
one SELECT query that returns exactly the failing focus nodes and value nodes;
the queries run on any pyoxigraph store whose union default graph is the data
graph, in threads (Oxigraph releases the GIL while it queries).

How the compilation works:

- a shape's *targets* become a pattern binding ``?this`` (``sh:targetClass`` →
  ``?this rdf:type/rdfs:subClassOf* C``, and so on); compiled against the store, class
  membership uses the subclass closure read from the data graph once instead
  (``VALUES ?c { C … } ?this rdf:type ?c``, or ``?this rdf:type C``);
- a SHACL path becomes the same SPARQL property path;
- each *value-type* constraint (class, datatype, nodeKind, ranges, lengths,
  pattern, languageIn, in, hasValue on node shapes, node, not, and, or, xone,
  closed) becomes a boolean "violates" expression of one value node;
- nested shapes (``sh:node``, ``sh:or``, ``sh:qualifiedValueShape``, …) become a
  "conforms" expression: the conjunction of ``!violates`` over their own
  constraints, recursively, with their property shapes as ``EXISTS`` patterns;
- count constraints (min/maxCount, qualified counts, uniqueLang, pair
  constraints) are per focus node: GROUP BY at top level, pairwise-distinct
  ``EXISTS`` patterns inside nested shapes;
- at top level the constraints of one shape that look at each value (value types,
  uniqueLang, and minCount 1 as an OPTIONAL) share one query with a flag per
  constraint, and min/maxCount one GROUP BY: at 100 000 practices the cost of a query
  is mostly walking ~100 000 focus nodes and their path, once per query.

Only results of shapes with targets (and of their ``sh:property`` shapes) are
reported, as SHACL prescribes; nested shapes only decide conformance. Not
supported (a clear error, never silently ignored): SHACL-SPARQL constraints,
recursive shapes. Literals are not checked for ill-formedness beyond their
datatype IRI (the mapping writes only well-formed literals).

``tests/test_shacl_differential.py`` holds this engine to pyshacl: the same
(focus node, path, constraint component, severity, value) on the fixtures and on
synthetic data with planted defects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.shacl.shapes import (
    OWL_CLASS,
    RDF_TYPE,
    RDFS_CLASS,
    RDFS_SUBCLASSOF,
    SH,
    TYPE_PATH,
    Node,
    Shapes,
    compile_path,
    string_literal,
    term,
    unsupported,
)

__all__ = ["Check", "RawResult", "Shapes", "compile_shapes", "run_checks"]


#: Parameters that make a node a shape's constraint (SHACL Core components).
VALUE_COMPONENTS = (
    "class", "datatype", "nodeKind", "minExclusive", "minInclusive", "maxExclusive", "maxInclusive",
    "minLength", "maxLength", "pattern", "languageIn", "in", "node", "not", "and", "or", "xone",
)
_COMPONENT = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "minExclusive": "MinExclusiveConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent", "maxExclusive": "MaxExclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent", "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent", "pattern": "PatternConstraintComponent",
    "languageIn": "LanguageInConstraintComponent", "in": "InConstraintComponent", "node": "NodeConstraintComponent",
    "not": "NotConstraintComponent", "and": "AndConstraintComponent", "or": "OrConstraintComponent",
    "xone": "XoneConstraintComponent", "hasValue": "HasValueConstraintComponent",
    "minCount": "MinCountConstraintComponent", "maxCount": "MaxCountConstraintComponent",
    "uniqueLang": "UniqueLangConstraintComponent", "closed": "ClosedConstraintComponent",
    "equals": "EqualsConstraintComponent", "disjoint": "DisjointConstraintComponent",
    "lessThan": "LessThanConstraintComponent", "lessThanOrEquals": "LessThanOrEqualsConstraintComponent",
    "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
    "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
}
_UNSUPPORTED = ("sparql", "expression", "rule", "js")
_NODE_KINDS = {
    "IRI": "isIRI({x})", "BlankNode": "isBlank({x})", "Literal": "isLiteral({x})",
    "BlankNodeOrIRI": "!isLiteral({x})", "BlankNodeOrLiteral": "!isIRI({x})", "IRIOrLiteral": "!isBlank({x})",
}


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    """One compiled (shape, constraint component): a SELECT with ``?this`` and maybe ``?value``/``?path``."""

    shape: Node
    component: str
    severity: str
    path: str | None
    messages: tuple[ox.Literal, ...]
    sparql: str
    parameter: Node | None = None
    path_node: Node | None = None
    #: Several constraints of one shape checked in one query (the focus nodes and the path
    #: walked once, not once per constraint): ``(component, parameter, test, bound)`` per
    #: constraint. Test ``"flag"``: the query binds ``?f{i}`` true when constraint ``i``
    #: fails for (``?this``, ``?value``); ``"lang"``: the same for uniqueLang, reported once
    #: per focus node and language, without a value; ``"none"``: minCount 1, failed by a row
    #: whose ``?value`` is unbound. Tests ``"<"``/``">"``: the query binds ``?n``, the
    #: number of distinct values, and the constraint fails when ``?n < bound``/``?n > bound``.
    #: Empty for a check of one constraint (``component``, ``parameter``).
    parts: tuple[tuple[str, Node | None, str, int], ...] = ()


@dataclass(frozen=True)
class RawResult:
    """One validation result as the engine found it (not yet located in the records)."""

    focus: Node
    path: str | None
    value: Node | None
    component: str
    severity: str
    messages: tuple[ox.Literal, ...]
    shape: Node
    parameter: Node | None = None
    path_node: Node | None = None


_DEFAULT_MESSAGES = {
    "MinCount": "Less than the minimum number of values on {path}",
    "MaxCount": "More than the maximum number of values on {path}",
    "Class": "Value {value} does not have the required class",
    "Datatype": "Value {value} does not have the required datatype",
}


def default_messages(result: RawResult) -> tuple[ox.Literal, ...]:
    """One plain message for a result of a shape without ``sh:message`` (as pyshacl
    gives one, in English: the shapes' own nl/en messages are what curators see)."""
    name = result.component.rpartition("#")[2].removesuffix("ConstraintComponent")
    text = _DEFAULT_MESSAGES.get(name, f"Constraint {name} is not satisfied on {{path}}")
    value = result.value.value if result.value is not None and not isinstance(result.value, ox.BlankNode) else "?"
    return (ox.Literal(text.format(path=result.path or "the focus node", value=value)),)


@dataclass
class _Compiler:
    shapes: Shapes
    #: The data graph, when known at compile time: class membership is then matched on the
    #: subclass closure read from it once, instead of ``rdf:type/rdfs:subClassOf*`` per row.
    store: ox.Store | None = None
    union: bool = True
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    stack: list[Node] = field(default_factory=list)
    closures: dict[Node, list[ox.NamedNode] | None] = field(default_factory=dict)

    def var(self, stem: str = "v") -> str:
        return f"?{stem}{next(self.counter)}"

    def subclasses(self, c: Node) -> list[ox.NamedNode] | None:
        """Every ``?s`` with ``?s rdfs:subClassOf* c`` in the data graph (``c`` itself first),
        or None when the data graph is not known here or the closure holds a blank node."""
        if self.store is None or not isinstance(c, ox.NamedNode):
            return None
        if c not in self.closures:
            found = self.store.query(f"SELECT DISTINCT ?s WHERE {{ ?s <{RDFS_SUBCLASSOF}>* {term(c)} }}",
                                     use_default_graph_as_union=self.union)
            assert isinstance(found, ox.QuerySolutions)
            members = [row["s"] for row in found]
            closure = [c] + [m for m in members if m != c]
            self.closures[c] = closure if all(isinstance(m, ox.NamedNode) for m in closure) else None
        return self.closures[c]

    def typed(self, x: str, c: Node) -> str:
        """A pattern that matches when the node bound to ``x`` is a SHACL instance of ``c``:
        the same solutions as ``x rdf:type/rdfs:subClassOf* c``, with the closure resolved
        once (Oxigraph evaluates the zero-or-more path again for every row otherwise)."""
        closure = self.subclasses(c)
        if closure is None:
            return f"{x} {TYPE_PATH} {term(c)} ."
        if len(closure) == 1:
            return f"{x} <{RDF_TYPE}> {term(c)} ."
        v = self.var("c")
        return f"VALUES {v} {{ {' '.join(term(m) for m in closure)} }} {x} <{RDF_TYPE}> {v} ."

    # ---- shape kinds -------------------------------------------------------

    def deactivated(self, shape: Node) -> bool:
        return self.shapes.flag(shape, "deactivated")

    def severity(self, shape: Node) -> str:
        value = self.shapes.value(shape, "severity")
        return value.value if isinstance(value, ox.NamedNode) else SH + "Violation"

    def check_supported(self, shape: Node) -> None:
        for local in _UNSUPPORTED:
            if self.shapes.objects(shape, local):
                raise unsupported(f"sh:{local} in shape {shape} (SHACL-SPARQL/advanced features)")

    # ---- "violates" expressions of one value node ----------------------------

    def value_violations(self, shape: Node, x: str) -> Iterator[tuple[str, str, Node | None]]:
        """(component local name, violates-expression, parameter) for each value-type constraint."""
        s = self.shapes
        for c in s.objects(shape, "class"):
            yield "class", f"NOT EXISTS {{ {self.typed(x, c)} }}", c
        for d in s.objects(shape, "datatype"):
            yield "datatype", f"!COALESCE(isLiteral({x}) && sameTerm(datatype({x}), {term(d)}), false)", d
        for k in s.objects(shape, "nodeKind"):
            local = k.value.rpartition("#")[2]
            yield "nodeKind", f"!({_NODE_KINDS[local].format(x=x)})", k
        for local, op in (("minExclusive", ">"), ("minInclusive", ">="), ("maxExclusive", "<"), ("maxInclusive", "<=")):
            for bound in s.objects(shape, local):
                yield local, f"!COALESCE({x} {op} {term(bound)}, false)", bound
        for local, op in (("minLength", ">="), ("maxLength", "<=")):
            for n in s.objects(shape, local):
                yield local, f"!COALESCE(!isBlank({x}) && STRLEN(STR({x})) {op} {int(n.value)}, false)", n
        for p in s.objects(shape, "pattern"):
            flags = s.value(shape, "flags")
            flag_arg = f", {string_literal(flags.value)}" if flags is not None else ""
            yield "pattern", f"!COALESCE(!isBlank({x}) && REGEX(STR({x}), {string_literal(p.value)}{flag_arg}), false)", p
        for lst in s.objects(shape, "languageIn"):
            langs = [item.value for item in s.items(lst)]
            alternatives = " || ".join(f"langMatches(lang({x}), {string_literal(lang)})" for lang in langs) or "false"
            yield "languageIn", f"!COALESCE(isLiteral({x}) && ({alternatives}), false)", lst
        for lst in s.objects(shape, "in"):
            members = " || ".join(f"sameTerm({x}, {term(m)})" for m in s.items(lst)) or "false"
            yield "in", f"!({members})", lst
        for other in s.objects(shape, "node"):
            yield "node", f"!({self.conforms(other, x)})", other
        for other in s.objects(shape, "not"):
            yield "not", self.conforms(other, x), other
        for lst in s.objects(shape, "and"):
            parts = [self.conforms(m, x) for m in s.items(lst)]
            yield "and", "!(" + (" && ".join(parts) or "true") + ")", lst
        for lst in s.objects(shape, "or"):
            parts = [self.conforms(m, x) for m in s.items(lst)]
            yield "or", "!(" + (" || ".join(parts) or "false") + ")", lst
        for lst in s.objects(shape, "xone"):
            parts = [f"IF({self.conforms(m, x)}, 1, 0)" for m in s.items(lst)]
            yield "xone", "((" + (" + ".join(parts) or "0") + ") != 1)", lst

    def node_only_violations(self, shape: Node, x: str) -> Iterator[tuple[str, str, Node | None]]:
        """Constraints that act on the focus of a *node* shape only (hasValue, closed)."""
        for v in self.shapes.objects(shape, "hasValue"):
            yield "hasValue", f"!sameTerm({x}, {term(v)})", v
        if self.shapes.flag(shape, "closed"):
            p, o = self.var("p"), self.var("o")
            yield "closed", f"EXISTS {{ {x} {p} {o} FILTER({self.not_allowed(shape, p)}) }}", None

    def not_allowed(self, shape: Node, p: str) -> str:
        allowed = [compile_path(self.shapes, path).sparql for prop in self.shapes.objects(shape, "property")
                   for path in self.shapes.objects(prop, "path") if isinstance(path, ox.NamedNode)]
        for lst in self.shapes.objects(shape, "ignoredProperties"):
            allowed += [term(m) for m in self.shapes.items(lst)]
        return f"{p} NOT IN ({', '.join(allowed)})" if allowed else "true"

    def conforms(self, shape: Node, x: str) -> str:
        """A SPARQL expression: true when the node bound to ``x`` conforms to ``shape``."""
        if self.deactivated(shape):
            return "true"
        if shape in self.stack:
            raise unsupported(f"the shape {shape} refers to itself (recursive shapes are undefined in SHACL)")
        self.check_supported(shape)
        self.stack.append(shape)
        try:
            path_node = self.shapes.value(shape, "path")
            if path_node is not None:  # a property shape used as a node shape: its checks with x as focus
                parts = [v for v in self.property_violations_nested(shape, x)]
            else:
                parts = [expr for _, expr, _ in self.value_violations(shape, x)]
                parts += [expr for _, expr, _ in self.node_only_violations(shape, x)]
                for prop in self.shapes.objects(shape, "property"):
                    if not self.deactivated(prop):
                        parts += self.property_violations_nested(prop, x, parent=shape)
        finally:
            self.stack.pop()
        return "!(" + " || ".join(parts) + ")" if parts else "true"

    def property_violations_nested(self, prop: Node, x: str, parent: Node | None = None) -> list[str]:
        """Each constraint of a property shape as one expression about the focus ``x``."""
        self.stack.append(prop)
        try:
            s = self.shapes
            path = compile_path(s, s.value(prop, "path"))  # type: ignore[arg-type]
            out: list[str] = []
            v = self.var()
            for _, expr, _ in self.value_violations(prop, v):
                out.append(f"EXISTS {{ {x} {path.sparql} {v} FILTER({expr}) }}")
            for n in s.objects(prop, "minCount"):
                out.append(f"!({self.at_least(x, path.sparql, int(n.value))})")
            for n in s.objects(prop, "maxCount"):
                out.append(self.at_least(x, path.sparql, int(n.value) + 1))
            for value in s.objects(prop, "hasValue"):
                out.append(f"NOT EXISTS {{ {x} {path.sparql} {term(value)} }}")
            if s.flag(prop, "uniqueLang"):
                a, b = self.var(), self.var()
                out.append(f"EXISTS {{ {x} {path.sparql} {a} . {x} {path.sparql} {b} . "
                           f"FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && lang({a}) != \"\" && LCASE(lang({a})) = LCASE(lang({b}))) }}")
            for _local, expr in self.pair_violations(prop, x, path.sparql):
                out.append(expr)
            for q in s.objects(prop, "qualifiedValueShape"):
                cond = self.qualified_condition(prop, q, parent)
                for n in s.objects(prop, "qualifiedMinCount"):
                    out.append(f"!({self.at_least(x, path.sparql, int(n.value), cond)})")
                for n in s.objects(prop, "qualifiedMaxCount"):
                    out.append(self.at_least(x, path.sparql, int(n.value) + 1, cond))
            return out
        finally:
            self.stack.pop()

    def at_least(self, x: str, path: str, n: int, condition: Any = None) -> str:
        """EXISTS n pairwise-distinct values (each satisfying ``condition(var)``)."""
        if n <= 0:
            return "true"
        vs = [self.var() for _ in range(n)]
        patterns = " . ".join(f"{x} {path} {v}" for v in vs)
        filters = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)]
        if condition is not None:
            filters += [condition(v) for v in vs]
        where = f" FILTER({' && '.join(filters)})" if filters else ""
        return f"EXISTS {{ {patterns}{where} }}"

    def qualified_condition(self, prop: Node, q: Node, parent: Node | None) -> Any:
        siblings: list[Node] = []
        if parent is not None and self.shapes.flag(prop, "qualifiedValueShapesDisjoint"):
            for other in self.shapes.objects(parent, "property"):
                if other != prop:
                    siblings += self.shapes.objects(other, "qualifiedValueShape")

        def condition(v: str) -> str:
            parts = [self.conforms(q, v)] + [f"!({self.conforms(sib, v)})" for sib in siblings if sib != q]
            return " && ".join(parts)
        return condition

    def pair_violations(self, prop: Node, x: str, path: str) -> Iterator[tuple[str, str]]:
        s = self.shapes
        for p in s.objects(prop, "equals"):
            v = self.var()
            yield "equals", (f"(EXISTS {{ {x} {path} {v} FILTER NOT EXISTS {{ {x} {term(p)} {v} }} }} || "
                             f"EXISTS {{ {x} {term(p)} {v} FILTER NOT EXISTS {{ {x} {path} {v} }} }})")
        for p in s.objects(prop, "disjoint"):
            v = self.var()
            yield "disjoint", f"EXISTS {{ {x} {path} {v} . {x} {term(p)} {v} }}"
        for local, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for p in s.objects(prop, local):
                v, w = self.var(), self.var()
                yield local, f"EXISTS {{ {x} {path} {v} . {x} {term(p)} {w} FILTER(!COALESCE({v} {op} {w}, false)) }}"

    # ---- top level -----------------------------------------------------------

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
                continue
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
                    checks.append(Check(shape, SH + _COMPONENT[local], severity, None, messages, sparql, param))
                for prop in self.shapes.objects(shape, "property"):
                    if not self.deactivated(prop):
                        checks += self.property_checks(prop, focus, shape)
            finally:
                self.stack.pop()
        return checks

    def closed_or_value(self, shape: Node) -> Iterator[tuple[str, str, Node | None]]:
        for v in self.shapes.objects(shape, "hasValue"):
            yield "hasValue", f"!sameTerm(?this, {term(v)})", v
        if self.shapes.flag(shape, "closed"):
            yield "closed", "", None

    def property_checks(self, prop: Node, focus: str, parent: Node | None) -> list[Check]:
        s = self.shapes
        self.check_supported(prop)
        path = compile_path(s, s.value(prop, "path"))  # type: ignore[arg-type]
        severity = self.severity(prop)
        messages = self.messages(prop)
        checks: list[Check] = []

        path_node = s.value(prop, "path")

        def add(local: str, sparql: str, param: Node | None = None) -> None:
            checks.append(Check(prop, SH + _COMPONENT[local], severity, path.text, messages, sparql, param, path_node))

        self.stack.append(prop)
        try:
            # The constraints about each value (value types, uniqueLang) and minCount 1 (a
            # focus node without a value) in one query: the focus nodes and the path are walked
            # once for all of them. One constraint alone keeps its own query.
            values = [(local, expr, param, "flag") for local, expr, param in self.value_violations(prop, "?value")]
            if s.flag(prop, "uniqueLang"):
                b = self.var("u")
                values.append(("uniqueLang", f"EXISTS {{ ?this {path.sparql} {b} FILTER(!sameTerm(?value, {b}) && isLiteral(?value) && "
                                             f"lang(?value) != \"\" && LCASE(lang(?value)) = LCASE(lang({b}))) }}", None, "lang"))
            counts = [(local, n, test, int(n.value)) for local, test in (("minCount", "<"), ("maxCount", ">"))
                      for n in s.objects(prop, local) if local == "maxCount" or int(n.value) > 0]
            min_one = [c for c in counts if c[2:] == ("<", 1)]
            if values and (len(values) > 1 or len(min_one) == 1):
                if len(min_one) == 1:
                    counts.remove(min_one[0])
                    values.append(("minCount", "", min_one[0][1], "none"))
                checks.append(self.walk_check(prop, severity, path.text, messages, path_node, focus,
                                              f"?this {path.sparql} ?value .", values, optional=len(min_one) == 1))
                values = []
            for local, expr, param, test in values:
                if test == "lang":
                    add(local, f"SELECT DISTINCT ?this ?lang WHERE {{ {focus} ?this {path.sparql} ?a . ?this {path.sparql} ?b . "
                               "FILTER(!sameTerm(?a, ?b) && isLiteral(?a) && lang(?a) != \"\" && LCASE(lang(?a)) = LCASE(lang(?b))) "
                               "BIND(LCASE(lang(?a)) AS ?lang) }")
                else:
                    add(local, f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path.sparql} ?value . FILTER({expr}) }}", param)
            # Count constraints. GROUP BY over the focus pattern itself, not over a DISTINCT
            # subquery of it: COUNT(DISTINCT) does not mind repeated focus rows, and Oxigraph
            # then walks the path from the focus nodes instead of hash-joining every triple of
            # the path (0.1 s per check on a class of a few nodes at 100 000 practices).
            if len(counts) == 1 and counts[0][2:] == ("<", 1):  # no value at all: no GROUP BY needed
                add("minCount", f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path.sparql} ?v }} }}", counts[0][1])
            elif counts:  # min and max in one query: the values of each focus node counted once
                having = " || ".join(f"COUNT(DISTINCT ?v) {test} {bound}" for _, _, test, bound in counts)
                walk = f"OPTIONAL {{ ?this {path.sparql} ?v }}" if any(test == "<" for _, _, test, _ in counts) else f"?this {path.sparql} ?v ."
                if len(counts) == 1:
                    add(counts[0][0], f"SELECT ?this WHERE {{ {focus} {walk} }} GROUP BY ?this HAVING ({having})", counts[0][1])
                else:
                    parts = tuple((SH + _COMPONENT[local], n, test, bound) for local, n, test, bound in counts)
                    checks.append(Check(prop, parts[0][0], severity, path.text, messages,
                                        f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} {walk} }} GROUP BY ?this HAVING ({having})",
                                        parts[0][1], path_node, parts))
            for value in s.objects(prop, "hasValue"):
                add("hasValue", f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path.sparql} {term(value)} }} }}", value)
            for p in s.objects(prop, "equals"):
                # Each UNION branch starts from the focus nodes (a UNION joined with the focus
                # afterwards would walk the whole graph).
                # MINUS, not FILTER NOT EXISTS: Oxigraph evaluates MINUS once and anti-joins on
                # (?this, ?value); NOT EXISTS probed per row from the (shared) value: 20x slower
                # at 100 000 practices.
                add("equals", f"SELECT DISTINCT ?this ?value WHERE {{ {{ {focus} ?this {path.sparql} ?value MINUS {{ ?this {term(p)} ?value }} }} "
                              f"UNION {{ {focus} ?this {term(p)} ?value MINUS {{ ?this {path.sparql} ?value }} }} }}", p)
            for p in s.objects(prop, "disjoint"):
                add("disjoint", f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path.sparql} ?value . ?this {term(p)} ?value }}", p)
            for local, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
                for p in s.objects(prop, local):
                    add(local, f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus} ?this {path.sparql} ?value . ?this {term(p)} ?other . "
                               f"FILTER(!COALESCE(?value {op} ?other, false)) }}", p)
            for q in s.objects(prop, "qualifiedValueShape"):
                cond = self.qualified_condition(prop, q, parent)
                v = "?v"
                for n in s.objects(prop, "qualifiedMinCount"):
                    if int(n.value) == 1:  # fewer than one conforming value: none exists (no GROUP BY)
                        add("qualifiedMinCount", f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path.sparql} {v} FILTER({cond(v)}) }} }}", n)
                    else:
                        add("qualifiedMinCount", f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path.sparql} {v} FILTER({cond(v)}) }} }} "
                                                 f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) < {int(n.value)})", n)
                for n in s.objects(prop, "qualifiedMaxCount"):
                    add("qualifiedMaxCount", f"SELECT ?this WHERE {{ {focus} ?this {path.sparql} {v} FILTER({cond(v)}) }} "
                                             f"GROUP BY ?this HAVING (COUNT(DISTINCT {v}) > {int(n.value)})", n)
            for nested in s.objects(prop, "property"):  # a property shape's own sh:property: of its value nodes
                if not self.deactivated(nested):
                    inner = f"{{ SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT ?f WHERE {{ {focus.replace('?this', '?f')} }} }} ?f {path.sparql} ?this }} }}"
                    checks += self.property_checks(nested, inner, prop)
        finally:
            self.stack.pop()
        return checks

    def walk_check(self, shape: Node, severity: str, path: str | None, messages: tuple[ox.Literal, ...],
                   path_node: Node | None, focus: str, step: str, parts: list[tuple[str, str, Node | None, str]],
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
        compiled = tuple((SH + _COMPONENT[local], param, test, 0) for local, _, param, test in parts)
        return Check(shape, compiled[0][0], severity, path, messages, sparql, compiled[0][1], path_node, compiled)

    def messages(self, shape: Node) -> tuple[ox.Literal, ...]:
        return tuple(m for m in self.shapes.objects(shape, "message") if isinstance(m, ox.Literal))


def compile_shapes(shapes: Shapes, store: ox.Store | None = None, union: bool = True) -> list[Check]:
    """Every check of the shapes graph, in a stable order (shapes file order).

    With ``store`` (the data graph the checks will run on, as :func:`run_checks` sees it
    with the same ``union``), class targets and ``sh:class`` use the subclass closure read
    from it now: the same results, without a zero-or-more path per row. The checks are
    then valid for that data graph only (its ``rdfs:subClassOf`` triples must not change)."""
    return _Compiler(shapes, store, union).top_level()


# --------------------------------------------------------------------------- running


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

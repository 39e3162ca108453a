"""SHACL Core constraints as SPARQL expressions about one node: "violates" and "conforms".

Why: every value-type constraint (class, datatype, nodeKind, ranges, lengths, pattern,
languageIn, in, hasValue on node shapes, node, not, and, or, xone, closed) says of one
value node what a SPARQL filter can say, and a nested shape (``sh:node``, ``sh:or``,
``sh:qualifiedValueShape`` …) conforms when none of its own constraints is violated: the
conjunction of ``!violates``, recursively, with its property shapes as ``EXISTS``
patterns and its count constraints as pairwise-distinct ``EXISTS`` patterns. The
top-level queries (:mod:`kg.shacl.compiled.compiler`) are built from these expressions.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.namespaces import SH
from kg.shacl.compiled.checks import UNSUPPORTED
from kg.shacl.compiled.shapes import (
    RDF_TYPE,
    RDFS_SUBCLASSOF,
    TYPE_PATH,
    Node,
    Path_,
    Shapes,
    compile_path,
    string_literal,
    term,
    unsupported,
)

__all__ = ["ExpressionCompiler"]

_NODE_KINDS = {
    "IRI": "isIRI({x})", "BlankNode": "isBlank({x})", "Literal": "isLiteral({x})",
    "BlankNodeOrIRI": "!isLiteral({x})", "BlankNodeOrLiteral": "!isIRI({x})", "IRIOrLiteral": "!isBlank({x})",
}

#: A condition on a SPARQL variable (the variable's name in, an expression out).
Condition = Callable[[str], str]


@dataclass
class ExpressionCompiler:
    """Compiles the constraints of a shapes graph into SPARQL expressions (one compilation:
    fresh variable names, the shapes being compiled, the class closures read so far)."""

    shapes: Shapes
    #: The data graph, when known at compile time: class membership is then matched on the
    #: subclass closure read from it once, instead of ``rdf:type/rdfs:subClassOf*`` per row.
    store: ox.Store | None = None
    union: bool = True
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    stack: list[Node] = field(default_factory=list)
    closures: dict[Node, list[ox.NamedNode] | None] = field(default_factory=dict)

    def var(self, stem: str = "v") -> str:
        """A fresh SPARQL variable."""
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

    def path_of(self, prop: Node) -> Path_:
        """The compiled ``sh:path`` of a property shape."""
        node = self.shapes.value(prop, "path")
        if node is None:
            raise unsupported("a sh:path that is not a SHACL path")
        return compile_path(self.shapes, node)

    def deactivated(self, shape: Node) -> bool:
        return self.shapes.flag(shape, "deactivated")

    def severity(self, shape: Node) -> str:
        value = self.shapes.value(shape, "severity")
        return value.value if isinstance(value, ox.NamedNode) else SH.Violation.value

    def check_supported(self, shape: Node) -> None:
        for local in UNSUPPORTED:
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
            path = self.path_of(prop)
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

    def at_least(self, x: str, path: str, n: int, condition: Condition | None = None) -> str:
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

    def qualified_condition(self, prop: Node, q: Node, parent: Node | None) -> Condition:
        """The condition a value of ``prop`` must meet to count for ``sh:qualifiedValueShape q``
        (conforming to ``q``, and with ``sh:qualifiedValueShapesDisjoint`` to no sibling's)."""
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

    def messages(self, shape: Node) -> tuple[ox.Literal, ...]:
        """The shape's own ``sh:message`` texts."""
        return tuple(m for m in self.shapes.objects(shape, "message") if isinstance(m, ox.Literal))

"""The SHACL shapes graph as the SPARQL compiler reads it: an index, terms and paths.

Why a module of its own: :mod:`kg.shacl.compiled.compiler` turns shapes into queries; what a
shape *says* (its parameters, RDF lists, SHACL paths) and how a term is written
in SPARQL syntax are the vocabulary that compiler is written in, and are easier
to check on their own. Every unsupported construct becomes a
:class:`~kg.errors.SourceError` that names it and the way out (the pyshacl
reference validator), never a silently skipped constraint::

    >>> term(ox.Literal("stad", language="nl")), compile_path(Shapes([]), RDF.type).sparql
    ('"stad"@nl', '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import Problem, SourceError
from kg.namespaces import OWL, RDF, RDFS, SH
from kg.shacl.shapes_files import read_shapes

__all__ = ["Node", "Path_", "Shapes", "compile_path", "string_literal", "term", "unsupported"]

RDF_TYPE = RDF.type.value
RDF_FIRST = RDF.first.value
RDF_REST = RDF.rest.value
RDF_NIL = RDF.nil.value
RDFS_CLASS = RDFS.Class.value
OWL_CLASS = OWL.Class.value
RDFS_SUBCLASSOF = RDFS.subClassOf.value
#: SHACL class membership as a SPARQL path: an instance of the class or of a subclass.
TYPE_PATH = f"<{RDF_TYPE}>/<{RDFS_SUBCLASSOF}>*"

Node = ox.NamedNode | ox.BlankNode | ox.Literal


# --------------------------------------------------------------------------- shapes graph


class Shapes:
    """The shapes graph as an index: subject → predicate IRI → objects (file order)."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.index: dict[Node, dict[str, list[Node]]] = {}
        for t in triples:
            # The stubs allow quoted triples as subjects and objects; Turtle shapes have none.
            self.index.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)  # type: ignore[arg-type]  # see the line above

    @classmethod
    def load(cls, shapes_dir: Path, base: str) -> Shapes:
        """Parse ``shapes_dir/*.ttl`` with relative IRIs resolved against ``{base}/``."""
        return cls(q.triple for quads in read_shapes(shapes_dir, base) for q in quads)

    def objects(self, subject: Node, local: str) -> list[Node]:
        """Objects of ``subject sh:{local}`` (or of a full IRI when ``local`` has a colon)."""
        return self.index.get(subject, {}).get(local if ":" in local else SH.prefix + local, [])

    def value(self, subject: Node, local: str) -> Node | None:
        found = self.objects(subject, local)
        return found[0] if found else None

    def items(self, head: Node) -> list[Node]:
        """The members of an RDF list."""
        out: list[Node] = []
        seen: set[Node] = set()
        while not (isinstance(head, ox.NamedNode) and head.value == RDF_NIL):
            if head in seen:
                raise unsupported("an RDF list in the shapes is cyclic")
            seen.add(head)
            first = self.objects(head, RDF_FIRST)
            rest = self.objects(head, RDF_REST)
            if not first or not rest:
                raise unsupported("an RDF list in the shapes is malformed")
            out.append(first[0])
            head = rest[0]
        return out

    def flag(self, subject: Node, local: str) -> bool:
        value = self.value(subject, local)
        return isinstance(value, ox.Literal) and value.value in ("true", "1")


def unsupported(what: str) -> SourceError:
    return SourceError([Problem(Path("shapes"), 1, f"The fast SHACL validator cannot handle this: {what}. Run with KG_VALIDATOR=pyshacl.")])


# --------------------------------------------------------------------------- terms


def term(node: Node) -> str:
    """A term in SPARQL syntax."""
    if isinstance(node, ox.NamedNode):
        return f"<{node.value}>"
    if isinstance(node, ox.Literal):
        text = node.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        return f'"{text}"^^<{node.datatype.value}>'
    raise unsupported("a blank node used as a constraint value")


def string_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@dataclass(frozen=True)
class Path_:
    """A SHACL path: its SPARQL form and the text form the report uses."""

    sparql: str
    text: str


def compile_path(shapes: Shapes, node: Node) -> Path_:
    """SHACL path → SPARQL property path (and ``^p``, ``a/b``, ``a|b``, ``(p)*`` text)."""
    if isinstance(node, ox.NamedNode):
        return Path_(f"<{node.value}>", node.value)
    inverse = shapes.value(node, "inversePath")
    if inverse is not None:
        inner = compile_path(shapes, inverse)
        return Path_(f"^({inner.sparql})", "^" + inner.text)
    for local, mark in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner_node = shapes.value(node, local)
        if inner_node is not None:
            inner = compile_path(shapes, inner_node)
            return Path_(f"({inner.sparql}){mark}", f"({inner.text}){mark}")
    alternatives = shapes.value(node, "alternativePath")
    if alternatives is not None:
        parts = [compile_path(shapes, item) for item in shapes.items(alternatives)]
        return Path_("(" + "|".join(p.sparql for p in parts) + ")", "|".join(p.text for p in parts))
    if RDF_FIRST in shapes.index.get(node, {}):
        parts = [compile_path(shapes, item) for item in shapes.items(node)]
        return Path_("(" + "/".join(p.sparql for p in parts) + ")", "/".join(p.text for p in parts))
    raise unsupported("a sh:path that is not a SHACL path")

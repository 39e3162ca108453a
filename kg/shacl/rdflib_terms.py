"""pyoxigraph terms as rdflib terms, for the two places rdflib is needed: pyshacl and the report.

Why: pyshacl (the reference engine) validates rdflib graphs, and the Turtle report keeps
pyshacl's ``sh:ValidationReport`` form, so the fast engine's results are written as an
rdflib graph too. The mapping and the fast engine work in pyoxigraph terms; this converts.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.namespaces import SH

__all__ = ["SHACL", "TermConverter"]

#: The SHACL vocabulary (:data:`kg.namespaces.SH`) as rdflib terms.
SHACL = Namespace(SH.prefix)


class TermConverter:
    """pyoxigraph terms → rdflib terms, each distinct term converted once.

    Twice as fast as an N-Triples round trip (rdflib's parser is the slow part), and the
    shared IRIs and literals of many records become shared rdflib objects.

    >>> TermConverter().term(ox.Literal("2020", language="nl"))
    rdflib.term.Literal('2020', lang='nl')
    """

    def __init__(self) -> None:
        self.cache: dict[object, Node] = {}

    def term(self, term: object) -> Node:
        """The rdflib term of a pyoxigraph IRI, blank node or literal."""
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
        """Add the triples (of quads: their triples) to an rdflib graph."""
        convert = self.term
        graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in triples)

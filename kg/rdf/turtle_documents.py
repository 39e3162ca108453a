"""Turtle documents as named graphs: the concept schemes and the ontology, loaded as they are.

Why apart from the mapping of records: these are hand-written RDF, not records; they only
need their relative IRIs resolved against ``{base}/`` and their blank nodes made IRIs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse

from kg.errors import Problem, SourceError
from kg.namespaces import CIRC
from kg.rdf.iris import Iris
from kg.rdf.record_graph import RecordGraph

__all__ = ["map_ontology", "map_vocabulary"]


def _turtle(path: Path, kind: str, ref: str, graph: NamedNode, subject: NamedNode, iris: Iris) -> RecordGraph:
    """A Turtle document (vocabulary, ontology) as one named graph, relative IRIs
    resolved against ``{base}/``. Blank nodes (e.g. OWL lists) become deterministic
    skolem IRIs under ``{base}/.well-known/genid/``, so the graph has none."""
    skolems: dict[str, NamedNode] = {}

    def named(term: Any) -> Any:
        if isinstance(term, BlankNode):
            node = skolems.get(term.value)
            if node is None:
                node = skolems[term.value] = NamedNode(
                    f"{iris.base}/.well-known/genid/{kind}-{ref}-{len(skolems) + 1}"
                )
            return node
        return term

    try:
        parsed = list(parse(path=path, format=RdfFormat.TURTLE, base_iri=iris.relative_base))
    except SyntaxError as exc:
        raise SourceError([Problem(path, exc.lineno or 1, f"The Turtle is not valid: {exc.msg}", exc.offset)]) from exc
    except OSError as exc:
        raise SourceError([Problem(path, 1, f"The file cannot be read: {exc.strerror or exc}.")]) from exc
    quads = tuple(Quad(named(q.subject), q.predicate, named(q.object), graph) for q in parsed)
    return RecordGraph(kind, ref, graph, subject, quads, None)


def map_vocabulary(path: Path, iris: Iris) -> RecordGraph:
    """One concept scheme file ``{scheme}.ttl`` → graph ``{base}/graph/conceptscheme/{scheme}``."""
    scheme = path.stem
    return _turtle(path, "conceptscheme", scheme, iris.graph("conceptscheme", scheme), iris.scheme(scheme), iris)


def map_ontology(path: Path, iris: Iris) -> RecordGraph:
    """The ontology document → graph ``{base}/graph/ontology``, subject the ontology IRI."""
    return _turtle(path, "ontology", path.stem, iris.ontology_graph(), NamedNode(CIRC.prefix.rstrip("#/")), iris)

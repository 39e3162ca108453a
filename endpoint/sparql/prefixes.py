"""The project prefixes, declared by the endpoint for every query that uses them without declaring them.

A query copied from the query page must run unchanged from curl, SPARQLWrapper, R
or Comunica, as on the Wikidata Query Service: so the endpoint itself, not the
page, declares the documented prefix set (:data:`kg.namespaces.PREFIXES`). Only
the prefixes a query *uses* and does not declare are added, on one line before
the query; a query that declares a prefix keeps its own declaration (the guard's
lexer tells which names a query declares and uses, see
:func:`endpoint.sparql.query_guard.inspect`). The Service Description lists the
set (``sh:declare``).

The added line shifts the query by one line; the parse errors are told in the
query's own lines again (:mod:`endpoint.sparql.parse_errors`).

>>> from endpoint.sparql.query_guard import inspect
>>> q = "SELECT * WHERE { ?p a circ:Praktijk }"
>>> declare(q, inspect(q))
('PREFIX circ: <https://data.lokaalcirculair.be/ns/circulair#>\\nSELECT * WHERE { ?p a circ:Praktijk }', 1)
>>> own = "PREFIX circ: <urn:mine#> SELECT * WHERE { ?p a circ:Praktijk }"
>>> declare(own, inspect(own))[1]
0
"""

from __future__ import annotations

from endpoint.sparql.query_guard import QueryShape
from kg.namespaces import PREFIXES

__all__ = ["DECLARED", "declare"]

#: The prefixes the endpoint declares: the project's documented set.
DECLARED: dict[str, str] = dict(PREFIXES)


def declare(query: str, shape: QueryShape) -> tuple[str, int]:
    """(query with the missing project prefixes declared on one line before it, lines added: 0 or 1)."""
    missing = sorted((shape.prefixes_used - shape.prefixes_declared) & DECLARED.keys())
    if not missing:
        return query, 0
    return " ".join(f"PREFIX {name}: <{DECLARED[name]}>" for name in missing) + "\n" + query, 1

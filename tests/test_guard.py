"""The query guard on its own: SERVICE and UPDATE found by the lexer, nothing else.

Cross-checked against rdflib's full SPARQL parser: for every query below that
rdflib can parse, the guard refuses it exactly when rdflib's algebra contains
a ServiceGraphPattern.
"""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql.parser import parseQuery

from endpoint.sparql.query_guard import inspect
from kg.errors import QueryRefused

SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?q ?r } }",
    "PREFIX ex: <http://ex/> SELECT * WHERE { OPTIONAL { SERVICE ex:endpoint { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }",
    "ASK { SERVICE <http://x/> { } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }",
    "SELECT * WHERE {SERVICE<http://x/>{?s ?p ?o}}",
    "SELECT * WHERE { ?s ?p ?o }\nSERVICE",  # not valid SPARQL, still refused: conservative
]

HARMLESS_QUERIES = [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
    "SELECT * WHERE { ?s ?p '''multi\nline SERVICE <http://x/> {} ''' }",
    'SELECT * WHERE { ?s ?p """SERVICE""" }',
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT $service WHERE { $service ?p ?o }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o . ?s ex:SERVICE ?x }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
    'SELECT * WHERE { ?s ?p "x"@service }',
    "SELECT * WHERE { _:service ?p ?o }",
    'SELECT * WHERE { ?s ?p "it\'s a \\"SERVICE\\"" }',
]


@pytest.mark.parametrize("query", SERVICE_QUERIES)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        inspect(query)


@pytest.mark.parametrize("query", HARMLESS_QUERIES)
def test_service_in_strings_iris_names_and_comments_passes(query: str) -> None:
    assert inspect(query).form == "SELECT"


def _rdflib_has_service(query: str) -> bool | None:
    try:
        parsed = parseQuery(query)
    except Exception:
        return None
    return "ServiceGraphPattern" in repr(parsed)


@pytest.mark.parametrize("query", SERVICE_QUERIES + HARMLESS_QUERIES)
def test_agrees_with_rdflibs_parser(query: str) -> None:
    expected = _rdflib_has_service(query)
    if expected is None:
        pytest.skip("rdflib cannot parse this one")
    try:
        inspect(query)
        refused = False
    except QueryRefused:
        refused = True
    assert refused == expected


@pytest.mark.parametrize(
    "query",
    ["INSERT DATA { <a:b> <a:b> <a:b> }", "DELETE WHERE { ?s ?p ?o }", "PREFIX ex: <http://ex/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
     "LOAD <http://example.org/x>", "CLEAR ALL", "DROP GRAPH <a:b>", "CREATE GRAPH <a:b>", "ADD <a:b> TO <a:c>", "MOVE DEFAULT TO <a:b>", "COPY <a:b> TO <a:c>"],
)
def test_updates_are_refused_as_read_only(query: str) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        inspect(query)


def test_form_dataset_and_determinism() -> None:
    shape = inspect("BASE <http://b/> PREFIX ex: <http://ex/> CONSTRUCT WHERE { ?s ?p ?o } ")
    assert (shape.form, shape.default_graphs, shape.named_graphs) == ("CONSTRUCT", (), ())
    shape = inspect("BASE <http://b/> PREFIX ex: <http://ex/> SELECT * FROM ex:g FROM NAMED <n> FROM <http://abs/> WHERE { ?s ?p ?o }")
    assert shape.default_graphs == ("http://ex/g", "http://abs/")
    assert shape.named_graphs == ("http://b/n",)
    assert inspect("SELECT * WHERE { ?s ?p ?o }").deterministic
    for call in ("RAND()", "NOW()", "UUID()", "STRUUID()", "rand()"):
        assert not inspect(f"SELECT ({call} AS ?x) WHERE {{}}").deterministic
    assert inspect('SELECT * WHERE { ?s ?p "RAND()" }').deterministic
    assert inspect("DESCRIBE <http://x/>").form == "DESCRIBE"
    assert inspect("this is not sparql").form == ""

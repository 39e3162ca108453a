"""What a researcher's own tools get from ``/sparql`` over real HTTP (a running ``kg serve``):
the project prefixes declared by the server, short parse errors, the Service Description's
prefix list.
"""

from __future__ import annotations

import httpx
import pytest
import rdflib
from conftest import Server

SRJ = "application/sparql-results+json"
CIRC = "https://data.lokaalcirculair.be/ns/circulair#"
UNDECLARED = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a circ:Praktijk ; dct:title ?t }"


def test_a_query_using_project_prefixes_without_declaring_them_works_from_sparqlwrapper(server: Server) -> None:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(UNDECLARED)
    client.setReturnFormat(JSON)
    by_get = int(client.query().convert()["results"]["bindings"][0]["n"]["value"])  # type: ignore[index,call-overload]
    client.setMethod(POST)
    by_post = int(client.query().convert()["results"]["bindings"][0]["n"]["value"])  # type: ignore[index,call-overload]
    assert by_get == by_post > 20


def test_the_same_query_with_and_without_declarations_answers_alike(http: httpx.Client) -> None:
    declared = f"PREFIX circ: <{CIRC}>\nPREFIX dct: <http://purl.org/dc/terms/>\n" + UNDECLARED
    answers = [http.post("/sparql", content=q, headers={"Content-Type": "application/sparql-query", "Accept": SRJ}).json()
               for q in (UNDECLARED, declared)]
    assert answers[0]["results"] == answers[1]["results"]


def test_a_query_that_declares_a_project_prefix_otherwise_keeps_its_own(http: httpx.Client) -> None:
    q = "PREFIX circ: <urn:mine#> SELECT ?x WHERE { BIND(circ:Praktijk AS ?x) }"
    r = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ})
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "urn:mine#Praktijk"


def test_from_with_a_project_prefix_names_the_graph(http: httpx.Client) -> None:
    q = "SELECT (COUNT(*) AS ?n) FROM circ:nothing-here WHERE { ?s ?p ?o }"
    r = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"


@pytest.mark.parametrize(("query", "line", "column", "found"), [
    ("SELECT ?x WHERE { ?x ?y }", 1, 26, "?x ?y }"),
    ("SELECT * WHERE {\n  ?s a nope:Thing\n}", 2, 18, "nope:Thing"),
    ("SELECT * WHERE {\n  ?s a circ:Praktijk\n} LIMT 5", 3, 9, "} LIMT 5"),
    ("SELEC * {}", 1, 10, "SELEC"),
])
def test_parse_errors_are_short_and_name_line_column_and_text(http: httpx.Client, query: str, line: int, column: int, found: str) -> None:
    for accept in (SRJ, "application/sparql-results+xml", "text/csv", "*/*"):
        r = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert r.status_code == 400
        detail = r.json()["detail"] if r.headers["content-type"].startswith("application/problem+json") else r.text
        message = detail.strip().splitlines()[-1] if "\n" in detail.strip() else detail.strip()
        assert len(message) < 300, message
        assert f"line {line}, column {column}" in message, message
        assert found in message, message
        assert "\\u{" not in message and "..=" not in message


def test_an_undeclared_unknown_prefix_is_named(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s a nope:Thing }"}, headers={"Accept": SRJ})
    assert "prefix 'nope:' is not declared" in r.json()["detail"]


def test_the_service_description_lists_the_declared_prefixes(http: httpx.Client) -> None:
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    rows = graph.query("""PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
        SELECT ?prefix ?ns WHERE { ?service a sd:Service ; sh:declare [ sh:prefix ?prefix ; sh:namespace ?ns ] }""")
    declared = {str(p): str(ns) for p, ns in rows}
    assert declared["circ"] == CIRC
    assert declared["dct"] == "http://purl.org/dc/terms/"

"""What a researcher's own tools get from ``/sparql`` over real HTTP (a running ``kg serve``):
the project prefixes declared by the server, short parse errors, the Service Description's
prefix list, the query page's short links, and the example queries as data (in the store and at
``/.well-known/sparql-examples``).
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import rdflib
from conftest import Server

SRJ = "application/sparql-results+json"
CIRC = "https://data.lokaalcirculair.be/ns/circulair#"
QUERIES = Path(__file__).parent.parent / "queries"
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


def test_a_short_link_opens_the_same_query(http: httpx.Client) -> None:
    query = "# a long query\n" + UNDECLARED + "\n" + "# padding\n" * 50
    made = http.post("/sparql/links", data={"query": query})
    assert made.status_code == 201
    link = made.json()
    assert re.fullmatch(r"[a-z2-7]{12}", link["id"]) and link["url"].endswith("/s/" + link["id"])
    again = http.post("/sparql/links", content=query, headers={"Content-Type": "application/sparql-query"})
    assert again.json()["id"] == link["id"]  # the id comes from the text: the same query, the same link
    opened = http.get(f"/s/{link['id']}", params={"view": "bar"})
    assert opened.status_code == 303
    page = http.get(opened.headers["location"], headers={"Accept": "text/html"})
    assert page.status_code == 200 and "# padding" in page.text
    assert http.get("/s/aaaaaaaaaaaa").status_code == 404
    assert http.post("/sparql/links", data={"query": "DELETE WHERE { ?s ?p ?o }"}).status_code == 403


# --- the examples as data ----------------------------------------------------------------------------

EXAMPLES_QUERY = """SELECT ?ex ?query ?nl ?en WHERE {
  ?ex a sh:SPARQLExecutable ; sh:select ?query ; schema:target ?target ;
      rdfs:comment ?nl , ?en ; schema:keywords ?keyword .
  FILTER(LANG(?nl) = "nl" && LANG(?en) = "en")
}"""


def test_the_examples_are_queryable_as_sparql_executables(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": EXAMPLES_QUERY}, headers={"Accept": SRJ})
    rows = r.json()["results"]["bindings"]
    names = {row["ex"]["value"].rsplit("#", 1)[1] for row in rows}
    files = {p.stem for p in QUERIES.glob("*.rq")}
    selects = {name for name in files if "SELECT" in (QUERIES / f"{name}.rq").read_text(encoding="utf-8").upper()}
    assert names == selects and len(names) >= 12
    for row in rows:  # the query itself, without its title and description lines, and it runs
        assert not row["query"]["value"].startswith("# title")
        assert row["nl"]["value"] != row["en"]["value"]
    one = rows[0]["query"]["value"]
    assert http.post("/sparql", data={"query": one}, headers={"Accept": SRJ}).status_code == 200
    # Their prefixes, declared the SHACL way, as SPARQL editors read them from the endpoint.
    q = "SELECT ?prefix ?ns WHERE { ?ex a sh:SPARQLExecutable ; sh:prefixes/sh:declare [ sh:prefix ?prefix ; sh:namespace ?ns ] }"
    declared = {(b["prefix"]["value"], b["ns"]["value"]) for b in http.get("/sparql", params={"query": q}, headers={"Accept": SRJ}).json()["results"]["bindings"]}
    assert ("circ", CIRC) in declared


def test_the_examples_are_listed_at_the_well_known_address(http: httpx.Client) -> None:
    turtle = http.get("/.well-known/sparql-examples", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    executables = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#SPARQLExecutable")))
    assert len(executables) == len(list(QUERIES.glob("*.rq")))
    assert len(list(graph.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#declare")))) >= 20
    jsonld = http.get("/.well-known/sparql-examples", params={"format": "jsonld"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    html = http.get("/.well-known/sparql-examples", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert html.status_code == 200 and "Practices per theme" in html.text and "Praktijken per thema" not in html.text
    assert http.get("/.well-known/sparql-examples", params={"lang": "nl"}, headers={"Accept": "text/html"}).text.count("<li id=") == len(executables)

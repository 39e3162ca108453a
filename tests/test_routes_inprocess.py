"""Route-level tests in this process: ``create_app(settings, store)`` on the small store.

Every route of the service answers here once, through the ``client`` fixture (the app and
its lifespan in this process, over httpx's ASGI transport), in milliseconds per test. The
HTTP suites (test_sparql, test_deref, …) test the same routes in depth against a real
``kg serve`` on the real data, on both store backends; these are the quick tour, and the
place to start when adding a route.
"""

from __future__ import annotations

import json

import httpx
import pyoxigraph as ox
import pytest

BASE = "https://data.lokaalcirculair.be"
PRACTICE = "praktijk/leuven-strategie"
SRJ = "application/sparql-results+json"
PRACTICES = f"SELECT ?p WHERE {{ ?p a <{BASE}/ns/circulair#Praktijk> }} ORDER BY ?p"


def parse(response: httpx.Response, fmt: ox.RdfFormat) -> set[ox.Triple]:
    """The triples of an RDF answer, relative IRIs resolved against the request's URL."""
    return {quad.triple for quad in ox.parse(response.content, fmt, base_iri=str(response.url))}


def test_health_names_the_build(client: httpx.Client) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["build"]


def test_sparql_get_select_as_json(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": PRACTICES}, headers={"Accept": SRJ})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(SRJ)
    rows = r.json()["results"]["bindings"]
    assert [row["p"]["value"] for row in rows] == [f"{BASE}/id/praktijk/leuven-pilot", f"{BASE}/id/{PRACTICE}"]


def test_sparql_post_form_gives_the_same_answer_as_get(client: httpx.Client) -> None:
    got = client.get("/sparql", params={"query": PRACTICES}, headers={"Accept": SRJ})
    posted = client.post("/sparql", data={"query": PRACTICES}, headers={"Accept": SRJ})
    direct = client.post("/sparql", content=PRACTICES.encode(), headers={"Content-Type": "application/sparql-query", "Accept": SRJ})
    assert posted.status_code == direct.status_code == 200
    assert posted.json() == direct.json() == got.json()


def test_sparql_construct_as_turtle(client: httpx.Client) -> None:
    query = f"CONSTRUCT {{ <{BASE}/id/{PRACTICE}> ?p ?o }} WHERE {{ <{BASE}/id/{PRACTICE}> ?p ?o }}"
    r = client.post("/sparql", data={"query": query}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    titles = {t.object for t in parse(r, ox.RdfFormat.TURTLE) if t.predicate.value == "http://purl.org/dc/terms/title"}
    assert ox.Literal("Circulaire strategie Leuven", language="nl") in titles


def test_sparql_syntax_error_is_a_400_problem(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELEC * {}"}, headers={"Accept": SRJ})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == 400
    assert "1:1" in problem["detail"] or "does not parse" in problem["detail"]


@pytest.mark.parametrize("send", ["query", "update"])
def test_sparql_update_is_refused_with_403(client: httpx.Client, send: str) -> None:
    r = client.post("/sparql", data={send: f"INSERT DATA {{ <{BASE}/id/x> <{BASE}/id/y> 1 }}"})
    assert r.status_code == 403
    assert "read-only" in r.text
    again = client.get("/sparql", params={"query": f"ASK {{ <{BASE}/id/x> ?p ?o }}"}, headers={"Accept": SRJ})
    assert again.json()["boolean"] is False


def test_thing_iri_answers_303_to_its_document(client: httpx.Client) -> None:
    r = client.get(f"/id/{PRACTICE}")
    assert r.status_code == 303
    assert r.headers["location"] == f"/doc/{PRACTICE}"
    assert "Accept" in r.headers["vary"]


def test_document_as_turtle(client: httpx.Client) -> None:
    r = client.get(f"/doc/{PRACTICE}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    subjects = {t.subject for t in parse(r, ox.RdfFormat.TURTLE)}
    assert ox.NamedNode(f"{BASE}/id/{PRACTICE}") in subjects


def test_document_as_json_ld(client: httpx.Client) -> None:
    r = client.get(f"/doc/{PRACTICE}", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    ids = {node.get("id") or node.get("@id") for node in json.loads(r.text)["@graph"]}
    assert f"{BASE}/id/{PRACTICE}" in ids


def test_document_as_html(client: httpx.Client) -> None:
    r = client.get(f"/doc/{PRACTICE}", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Circulaire strategie Leuven" in r.text
    assert "Accept" in r.headers["vary"]


def test_unknown_thing_is_a_404_problem(client: httpx.Client) -> None:
    r = client.get("/doc/praktijk/bestaat-niet", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 404
    assert "bestaat-niet" in r.json()["detail"]


def test_catalog_is_dcat(client: httpx.Client) -> None:
    r = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    types = {t.object.value for t in parse(r, ox.RdfFormat.TURTLE) if t.predicate.value.endswith("#type")}
    assert "http://www.w3.org/ns/dcat#Catalog" in types


def test_void_describes_the_dataset(client: httpx.Client) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    types = {t.object.value for t in parse(r, ox.RdfFormat.TURTLE) if t.predicate.value.endswith("#type")}
    assert "http://rdfs.org/ns/void#Dataset" in types


def test_ldes_is_an_event_stream(client: httpx.Client) -> None:
    r = client.get("/ldes")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/trig")
    quads = ox.parse(r.content, ox.RdfFormat.TRIG, base_iri=str(r.url))
    types = {q.object.value for q in quads if q.predicate.value.endswith("#type")}
    assert "https://w3id.org/ldes#EventStream" in types


def test_a_negotiated_answer_varies_by_accept_even_after_the_same_bytes_were_asked_by_suffix(client: httpx.Client) -> None:
    """The per-build cache keeps headers with each body: the suffix's answer (no Vary: Accept) must
    not be replayed for a request that negotiated, or a shared cache would serve Turtle to a browser."""
    path = "/doc/organisatie/vlaanderen-circulair"
    by_suffix = client.get(path + ".ttl")
    negotiated = client.get(path, headers={"Accept": "text/turtle"})
    assert by_suffix.status_code == negotiated.status_code == 200
    assert by_suffix.content == negotiated.content
    # Tokens, not substrings: the compression layer adds "Accept-Encoding" to both.
    assert "Accept" not in [v.strip() for v in by_suffix.headers.get("vary", "").split(",")]
    assert "Accept" in [v.strip() for v in negotiated.headers["vary"].split(",")]

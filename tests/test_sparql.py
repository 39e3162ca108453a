"""The SPARQL 1.1 Protocol over real HTTP against a running ``kg serve`` on the real data.

Every rule of ``endpoint/sparql.py`` and its error answers; real clients
(SPARQLWrapper, rdflib's SPARQLStore); the Service Description; SERVICE
refused before execution (a local listener must see no connection).
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import threading
import xml.etree.ElementTree as ET
from typing import Any, Iterator

import httpx
import pytest
import rdflib
from conftest import Server, free_port

from kg.settings import Settings

CIRC = "https://data.lokaalcirculair.be/ns/circulair#"
COUNT_PRACTICES = f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{CIRC}Praktijk> }}"
ONE_ROW = f"SELECT ?p WHERE {{ ?p a <{CIRC}Praktijk> }} ORDER BY ?p LIMIT 1"
CONSTRUCT = "CONSTRUCT { ?s <http://purl.org/dc/terms/title> ?t } WHERE { ?s <http://purl.org/dc/terms/title> ?t } LIMIT 5"
SRJ = "application/sparql-results+json"


def practices(http: httpx.Client) -> int:
    r = http.get("/sparql", params={"query": COUNT_PRACTICES}, headers={"Accept": SRJ})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


# --- the three ways to send a query ------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(http: httpx.Client) -> None:
    get = http.get("/sparql", params={"query": COUNT_PRACTICES}, headers={"Accept": SRJ})
    form = http.post("/sparql", data={"query": COUNT_PRACTICES}, headers={"Accept": SRJ})
    direct = http.post("/sparql", content=COUNT_PRACTICES.encode(), headers={"Content-Type": "application/sparql-query", "Accept": SRJ})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert get.json() == form.json() == direct.json()
    assert practices(http) > 20  # the curated practices of the five sources
    assert get.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert get.headers["x-kg-build"]
    assert get.headers["access-control-allow-origin"] == "*"


def test_post_direct_with_charset_utf8_and_unicode(http: httpx.Client) -> None:
    query = 'SELECT ?x WHERE { BIND("Möbius – €" AS ?x) }'
    r = http.post("/sparql", content=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query; charset=UTF-8", "Accept": SRJ})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "Möbius – €"


# --- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (SRJ, "application/sparql-results+json; charset=utf-8"),
        ("application/json", "application/sparql-results+json; charset=utf-8"),
        ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("*/*", "application/sparql-results+json; charset=utf-8"),
        ("application/*", "application/sparql-results+json; charset=utf-8"),
        ("text/csv;q=0.5, text/tab-separated-values;q=0.9", "text/tab-separated-values; charset=utf-8"),
        ("application/sparql-results+json;q=0.1, application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
        (None, "application/sparql-results+json; charset=utf-8"),
    ],
)
def test_select_formats_by_accept(http: httpx.Client, accept: str | None, content_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = http.get("/sparql", params={"query": ONE_ROW}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == content_type
    assert r.headers["vary"] == "Accept, Accept-Encoding"  # since #19 answers may be compressed


def test_select_bodies_parse_in_each_format(http: httpx.Client) -> None:
    first = http.get("/sparql", params={"query": ONE_ROW, "format": "json"}).json()["results"]["bindings"][0]["p"]["value"]
    xml = ET.fromstring(http.get("/sparql", params={"query": ONE_ROW, "format": "xml"}).content)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert xml.find(".//r:uri", ns).text == first  # type: ignore[union-attr]
    rows = list(csv.reader(io.StringIO(http.get("/sparql", params={"query": ONE_ROW, "format": "csv"}).text)))
    assert rows == [["p"], [first]]
    tsv = http.get("/sparql", params={"query": ONE_ROW, "format": "tsv"}).text.splitlines()
    assert tsv == ["?p", f"<{first}>"]


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("ttl", "text/turtle; charset=utf-8"),
        ("nt", "application/n-triples; charset=utf-8"),
        ("jsonld", "application/ld+json; charset=utf-8"),
        ("rdf", "application/rdf+xml; charset=utf-8"),
        ("nq", "application/n-quads; charset=utf-8"),
        ("trig", "application/trig; charset=utf-8"),
    ],
)
def test_construct_formats_by_format_parameter(http: httpx.Client, fmt: str, content_type: str) -> None:
    r = http.get("/sparql", params={"query": CONSTRUCT, "format": fmt})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == content_type
    rdflib_format = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml", "nq": "nquads", "trig": "trig"}[fmt]
    graph = rdflib.Dataset()
    graph.parse(data=r.content, format=rdflib_format)
    assert len(graph) == 5 or sum(len(g) for g in graph.graphs()) == 5


def test_construct_by_accept_and_describe(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/n-triples"})
    assert r.headers["content-type"] == "application/n-triples; charset=utf-8"
    assert len(r.text.strip().splitlines()) == 5
    default = http.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert default.headers["content-type"] == "text/turtle; charset=utf-8"
    iri = http.get("/sparql", params={"query": ONE_ROW, "format": "json"}).json()["results"]["bindings"][0]["p"]["value"]
    describe = http.get("/sparql", params={"query": f"DESCRIBE <{iri}>"}, headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=describe.text, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.RDF.type, rdflib.URIRef(CIRC + "Praktijk")) in graph


def test_ask_in_every_result_format(http: httpx.Client) -> None:
    ask = f"ASK {{ ?p a <{CIRC}Praktijk> }}"
    assert http.get("/sparql", params={"query": ask, "format": "json"}).json() == {"head": {}, "boolean": True}
    assert b"<boolean>true</boolean>" in http.get("/sparql", params={"query": ask, "format": "xml"}).content
    assert http.get("/sparql", params={"query": ask, "format": "csv"}).text.strip() == "true"


def test_unacceptable_accept_is_406_listing_the_offers(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": ONE_ROW}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text


def test_unknown_format_parameter_is_400(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": ONE_ROW, "format": "ttl"})  # Turtle cannot carry SELECT rows
    assert r.status_code == 400
    assert "format" in r.text


# --- the dataset ---------------------------------------------------------------------------


def graph_of_first_practice(http: httpx.Client) -> tuple[str, str]:
    row = http.get(
        "/sparql",
        params={"query": f"SELECT ?g ?p WHERE {{ GRAPH ?g {{ ?p a <{CIRC}Praktijk> }} }} ORDER BY ?p LIMIT 1", "format": "json"},
    ).json()["results"]["bindings"][0]
    return row["g"]["value"], row["p"]["value"]


def test_default_graph_is_the_union_of_all_graphs(http: httpx.Client) -> None:
    union = practices(http)
    in_graphs = http.get(
        "/sparql", params={"query": f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ GRAPH ?g {{ ?p a <{CIRC}Praktijk> }} }}", "format": "json"}
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert union == int(in_graphs)


def test_default_graph_uri_restricts_the_default_graph(http: httpx.Client) -> None:
    graph, practice = graph_of_first_practice(http)
    q = f"SELECT DISTINCT ?p WHERE {{ ?p a <{CIRC}Praktijk> }}"
    r = http.get("/sparql", params={"query": q, "default-graph-uri": graph, "format": "json"})
    assert [b["p"]["value"] for b in r.json()["results"]["bindings"]] == [practice]


def test_protocol_dataset_overrides_from(http: httpx.Client) -> None:
    graph, practice = graph_of_first_practice(http)
    q = f"SELECT DISTINCT ?p FROM <urn:nothing-here> WHERE {{ ?p a <{CIRC}Praktijk> }}"
    assert http.get("/sparql", params={"query": q, "format": "json"}).json()["results"]["bindings"] == []
    r = http.get("/sparql", params={"query": q, "default-graph-uri": graph, "format": "json"})
    assert [b["p"]["value"] for b in r.json()["results"]["bindings"]] == [practice]


def test_from_and_from_named_are_honoured(http: httpx.Client) -> None:
    graph, practice = graph_of_first_practice(http)
    q = f"SELECT DISTINCT ?p FROM <{graph}> WHERE {{ ?p a <{CIRC}Praktijk> }}"
    assert [b["p"]["value"] for b in http.get("/sparql", params={"query": q, "format": "json"}).json()["results"]["bindings"]] == [practice]
    named = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?p a <{CIRC}Praktijk> }} }}"
    r = http.get("/sparql", params={"query": named, "named-graph-uri": graph, "format": "json"})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [graph]
    q2 = f"SELECT ?g FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?p a <{CIRC}Praktijk> }} }}"
    assert [b["g"]["value"] for b in http.get("/sparql", params={"query": q2, "format": "json"}).json()["results"]["bindings"]] == [graph]


# --- errors --------------------------------------------------------------------------------


def test_syntax_error_is_400_with_line_and_column(http: httpx.Client) -> None:
    r = http.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    assert re.search(r"line 3, column \d+", r.text), r.text  # line 3, column (short: see test_sparql_prefixes)
    assert "does not parse" in r.text
    problem = http.get("/sparql", params={"query": "SELEC * {}"}, headers={"Accept": SRJ})
    assert problem.status_code == 400
    assert problem.headers["content-type"].startswith("application/problem+json")
    assert "line 1, column 1" in problem.json()["detail"]


def test_two_query_parameters_are_400(http: httpx.Client) -> None:
    r = http.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400
    assert "exactly one" in r.text
    both = http.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"})
    assert both.status_code == 400
    assert "exactly one" in both.text or "also has a query" in both.text
    direct = http.post("/sparql?query=ASK%7B%7D", content=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert direct.status_code == 400


def test_empty_query_is_400(http: httpx.Client) -> None:
    assert http.get("/sparql", params={"query": " "}).status_code == 400
    r = http.post("/sparql", content=b"", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400
    assert http.post("/sparql", data={"format": "json"}).status_code == 400


def test_wrong_media_type_is_415(http: httpx.Client) -> None:
    r = http.post("/sparql", content=b'{"query": "ASK {}"}', headers={"Content-Type": "application/json"})
    assert r.status_code == 415
    assert "application/sparql-query" in r.text
    latin = http.post("/sparql", content="ASK {}".encode("latin-1"), headers={"Content-Type": "application/sparql-query; charset=ISO-8859-1"})
    assert latin.status_code == 415
    assert "UTF-8" in latin.text


def test_non_utf8_body_is_400(http: httpx.Client) -> None:
    r = http.post("/sparql", content='SELECT * WHERE { ?s ?p "café" }'.encode("latin-1"), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400
    assert "UTF-8" in r.text
    form = http.post("/sparql", content=b"query=ASK%20%7B%20%3Fs%20%3Fp%20%22caf%E9%22%20%7D", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400
    assert "UTF-8" in form.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(http: httpx.Client, method: str) -> None:
    r = http.request(method, "/sparql", params={"query": "ASK {}"})
    assert r.status_code == 405
    assert "GET" in r.headers["allow"] and "POST" in r.headers["allow"]
    assert "GET and POST" in r.text


def test_head_gives_headers_only(http: httpx.Client) -> None:
    r = http.head("/sparql", params={"query": ONE_ROW})
    assert r.status_code == 200
    assert r.content == b""
    assert int(r.headers["content-length"]) > 0


def test_body_over_the_cap_is_413(http: httpx.Client, server: Server) -> None:
    big = "ASK {} #" + "x" * (server.settings.max_body_bytes + 10)
    r = http.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert "KG_MAX_BODY_BYTES" in r.text


def test_cors_preflight(http: httpx.Client) -> None:
    r = http.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] in ("*", "https://example.org")


# --- read-only and SERVICE -------------------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX ex: <urn:x:> DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "DROP ALL",
        "CLEAR DEFAULT",
    ],
)
def test_updates_are_refused_with_403(http: httpx.Client, update: str) -> None:
    before = practices(http)
    for r in (
        http.get("/sparql", params={"query": update}),
        http.post("/sparql", data={"query": update}),
        http.post("/sparql", data={"update": update}),
        http.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"}),
    ):
        assert r.status_code == 403, r.text
        assert "read-only" in r.text
    assert practices(http) == before


@pytest.fixture()
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP listener on a free local port that records every connection it gets."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn.recv(1024))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", seen
    stop.set()
    thread.join()
    sock.close()


def test_service_is_refused_before_execution(http: httpx.Client, listener: tuple[str, list[bytes]]) -> None:
    url, seen = listener
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE<{url}>{{ ?s ?p ?o }} }}",
        f"PREFIX : <{url}#> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
        f"PREFIX service: <{url}#> SELECT * WHERE {{ service:x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER(?a<?b)SERVICE<{url}>{{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        for r in (http.get("/sparql", params={"query": query}), http.post("/sparql", data={"query": query})):
            assert r.status_code == 400, (query, r.text)
            assert "SERVICE" in r.text
    # A \\u escape is no way around it: the engine does not read it as the keyword either.
    escaped = http.get("/sparql", params={"query": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}"})
    assert escaped.status_code == 400
    assert seen == []


def test_service_inside_literals_iris_and_comments_is_not_a_keyword(http: httpx.Client, listener: tuple[str, list[bytes]]) -> None:
    url, seen = listener
    query = (
        "# SERVICE <" + url + "> { }\n"
        'SELECT ?service WHERE { BIND("SERVICE <' + url + '> { }" AS ?service) '
        "FILTER(?service != <http://example.org/SERVICE>) }"
    )
    r = http.get("/sparql", params={"query": query, "format": "json"})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")
    assert seen == []


# --- caps -------------------------------------------------------------------------------------


def test_row_cap_is_announced(built_store: Settings) -> None:


    srv = Server(built_store, free_port(), {"KG_MAX_RESULT_ROWS": "3"})
    try:
        with httpx.Client(base_url=srv.url, timeout=30) as client:
            q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
            r = client.get("/sparql", params={"query": q, "format": "json"})
            assert r.headers["x-kg-truncated"] == "rows; limit=3"
            data = r.json()
            assert len(data["results"]["bindings"]) == 3
            assert data["head"]["link"][0].endswith("/sparql#limits")
            xml = client.get("/sparql", params={"query": q, "format": "xml"})
            assert b"<link href=" in xml.content and len(ET.fromstring(xml.content).findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 3
            csv_rows = client.get("/sparql", params={"query": q, "format": "csv"})
            assert csv_rows.headers["x-kg-truncated"] == "rows; limit=3"
            assert len(list(csv.reader(io.StringIO(csv_rows.text)))) == 4
            ttl = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 10", "format": "ttl"})
            assert ttl.text.startswith("# Answer truncated at the rows limit of 3")
            assert len(rdflib.Graph().parse(data=ttl.text, format="turtle")) == 3
            small = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2", "format": "json"})
            assert "x-kg-truncated" not in small.headers
            # Asked again (proven-cheap queries then run inline in the web process): still cut, alike.
            for _ in range(3):
                again = client.get("/sparql", params={"query": q, "format": "json"})
                assert again.headers["x-kg-truncated"] == "rows; limit=3" and again.headers["x-kg-rows"] == "3"
                assert again.content == r.content
    finally:
        srv.stop()


# --- Service Description -------------------------------------------------------------------


def test_service_description(http: httpx.Client, server: Server) -> None:
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    services = list(g.subjects(rdflib.RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    assert g.value(service, SD.endpoint) == rdflib.URIRef(server.url + "/sparql")
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    formats = set(g.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert rdflib.URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    dataset = g.value(service, SD.defaultDataset)
    assert g.value(dataset, rdflib.RDFS.seeAlso) == rdflib.URIRef(server.url + "/.well-known/void")
    triples = int(g.value(g.value(dataset, SD.defaultGraph), VOID.triples))  # type: ignore[arg-type]
    assert triples > 1000
    jsonld = http.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"] == "application/ld+json; charset=utf-8"
    assert json.loads(jsonld.text)
    assert http.get("/sparql", headers={"Accept": "*/*"}).headers["content-type"] == "text/turtle; charset=utf-8"


def test_service_description_uses_the_public_url(built_store: Settings) -> None:


    srv = Server(built_store, free_port(), {"KG_PUBLIC_URL": "https://data.lokaalcirculair.be"})
    try:
        r = httpx.get(srv.url + "/sparql", headers={"Accept": "text/turtle"})
        assert "<https://data.lokaalcirculair.be/sparql>" in r.text
    finally:
        srv.stop()


# --- the page ------------------------------------------------------------------------------


def test_browser_gets_the_query_page(http: httpx.Client) -> None:
    r = http.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert 'id="examples"' in r.text and "/static/vendor/editor.js" in r.text
    assert "PREFIX circ: &lt;https://data.lokaalcirculair.be/ns/circulair#&gt;" in r.text
    assert http.get("/static/sparql.js").status_code == 200
    assert http.get("/static/../kg/settings.py").status_code == 404


def test_query_link_opened_in_a_browser_shows_the_page_with_the_query(http: httpx.Client) -> None:
    q = 'SELECT * WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    r = http.get("/sparql", params={"query": q}, headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


# --- real clients --------------------------------------------------------------------------


def test_sparqlwrapper(server: Server) -> None:
    from SPARQLWrapper import JSON, POST, XML, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(COUNT_PRACTICES)
    client.setReturnFormat(JSON)
    n = int(client.query().convert()["results"]["bindings"][0]["n"]["value"])  # type: ignore[index,call-overload]
    assert n > 20
    client.setMethod(POST)
    client.setReturnFormat(XML)
    doc = client.query().convert()
    assert doc.getElementsByTagName("literal")[0].firstChild.data == str(n)  # type: ignore[union-attr]
    client.setQuery(CONSTRUCT)
    client.setReturnFormat("turtle")
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) == 5


def _sparqlwrapper_answer(server: Server, query: str, fmt: str, method: str) -> Any:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(query)
    client.setMethod(method)
    client.setReturnFormat(fmt)
    return client.query().convert()


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_every_results_format(server: Server, fmt: str, method: str) -> None:
    """SPARQLWrapper sends ``format=`` words and media types as it pleases, checks the Content-Type
    it gets back (a mismatch is a warning, an error here) and converts the answer."""
    answer = _sparqlwrapper_answer(server, COUNT_PRACTICES, fmt, method)
    if fmt == "json":
        n = answer["results"]["bindings"][0]["n"]["value"]
    elif fmt == "xml":
        n = answer.getElementsByTagName("literal")[0].firstChild.data
    else:
        n = answer.decode().splitlines()[-1].split("^^")[0].strip('"')
    assert int(n) > 20


# SPARQLWrapper 2.0 converts RDF/XML and JSON-LD answers with rdflib's ConjunctiveGraph, which rdflib 7 deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["turtle", "n3", "xml", "rdf+xml", "json-ld", "rdf"])
def test_sparqlwrapper_every_graph_format(server: Server, fmt: str, method: str) -> None:
    if fmt == "rdf":  # SPARQLWrapper itself warns that it sends Accept: */* for "rdf"; format=rdf still names RDF/XML
        with pytest.warns(RuntimeWarning, match="Accept header"):
            answer = _sparqlwrapper_answer(server, CONSTRUCT, fmt, method)
    else:
        answer = _sparqlwrapper_answer(server, CONSTRUCT, fmt, method)
    graph = answer if isinstance(answer, rdflib.Graph) else rdflib.Graph().parse(data=answer, format="turtle")
    assert len(graph) == 5


def test_n3_is_answered_as_turtle(http: httpx.Client) -> None:
    for params, headers in (({"query": CONSTRUCT}, {"Accept": "text/n3"}), ({"query": CONSTRUCT, "format": "n3"}, {})):
        r = http.get("/sparql", params=params, headers=headers)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
        assert len(rdflib.Graph().parse(data=r.text, format="turtle")) == 5


def test_rdflib_sparqlstore(server: Server) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(COUNT_PRACTICES))
    assert int(rows[0][0]) > 20
    ask = graph.query(f"ASK {{ ?p a <{CIRC}Praktijk> }}")
    assert ask.askAnswer is True
    xml_store = SPARQLStore(server.url + "/sparql", returnFormat="xml", method="POST")
    assert int(list(rdflib.Graph(store=xml_store).query(COUNT_PRACTICES))[0][0]) == int(rows[0][0])

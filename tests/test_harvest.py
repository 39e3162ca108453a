"""The harvesting routes over HTTP: dumps, their headers, ranges and safety; sitemap, robots, VoID.

All against the session's real server (``server``/``http`` fixtures) on the real data.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import re
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import rdflib
import rdflib.compare
import rdflib.util
from conftest import live_build
from rdflib.namespace import DCAT, RDF

from kg.media import DUMP_FORMATS
from kg.settings import Settings

BASE = "https://data.lokaalcirculair.be"
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
VOID_EXT = rdflib.Namespace("http://ldf.fi/void-ext#")


def _dumps_dir(settings: Settings) -> Path:
    return live_build(settings) / "artefacts" / "dumps"


# --- dumps ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DUMP_FORMATS))
def test_dump_headers(http: httpx.Client, built_store: Settings, name: str) -> None:
    path = _dumps_dir(built_store) / name
    response = http.get(f"/dumps/{name}")
    assert response.status_code == 200
    expected = "application/gzip" if name.endswith(".gz") else DUMP_FORMATS[name].format.media_type
    assert response.headers["content-type"].split(";")[0] == expected
    assert int(response.headers["content-length"]) == path.stat().st_size == len(response.content)
    sha = hashlib.sha256(response.content).hexdigest()
    assert response.headers["etag"] == f'"{sha}"'
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["last-modified"] == formatdate(path.stat().st_mtime, usegmt=True)
    checksum = http.get(f"/dumps/{name}.sha256")
    assert checksum.status_code == 200 and checksum.headers["content-type"].startswith("text/plain")
    assert checksum.text == f"{sha}  {name}\n"


def test_conditional_get(http: httpx.Client) -> None:
    first = http.get("/dumps/lokaalcirculair.ttl")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = http.get("/dumps/lokaalcirculair.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert http.get("/dumps/lokaalcirculair.ttl", headers={"If-None-Match": f'W/{etag}'}).status_code == 304
    assert http.get("/dumps/lokaalcirculair.ttl", headers={"If-Modified-Since": modified}).status_code == 304
    assert http.get("/dumps/lokaalcirculair.ttl", headers={"If-None-Match": '"other"'}).status_code == 200
    old = formatdate(0, usegmt=True)
    assert http.get("/dumps/lokaalcirculair.ttl", headers={"If-Modified-Since": old}).status_code == 200


def test_byte_ranges(http: httpx.Client) -> None:
    full = http.get("/dumps/lokaalcirculair.nq.gz").content
    part = http.get("/dumps/lokaalcirculair.nq.gz", headers={"Range": "bytes=10-99"})
    assert part.status_code == 206
    assert part.content == full[10:100]
    assert part.headers["content-range"] == f"bytes 10-99/{len(full)}"
    assert part.headers["content-length"] == "90"
    tail = http.get("/dumps/lokaalcirculair.nq.gz", headers={"Range": "bytes=-20"})
    assert tail.status_code == 206 and tail.content == full[-20:]
    beyond = http.get("/dumps/lokaalcirculair.nq.gz", headers={"Range": f"bytes={len(full) + 10}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(full)}"
    # A range that no longer matches the ETag the client holds: the whole (new) file.
    stale = http.get("/dumps/lokaalcirculair.nq.gz", headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert stale.status_code == 200 and stale.content == full
    resumed = http.get("/dumps/lokaalcirculair.nq.gz", headers={"Range": "bytes=0-9", "If-Range": part.headers["etag"]})
    assert resumed.status_code == 206 and resumed.content == full[:10]


def test_head_sends_headers_only(http: httpx.Client, built_store: Settings) -> None:
    response = http.head("/dumps/lokaalcirculair.nt.gz")
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) == (_dumps_dir(built_store) / "lokaalcirculair.nt.gz").stat().st_size


def _raw_get(url: str, path: str) -> tuple[int, bytes]:
    """Send ``path`` exactly as given (httpx would normalise dot segments away)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", [
    "/dumps/../BUILD.json",
    "/dumps/..%2FBUILD.json",
    "/dumps/..%2fBUILD.json",
    "/dumps/%2e%2e/BUILD.json",
    "/dumps/%2e%2e%2fBUILD.json",
    "/dumps/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/dumps/..%252fBUILD.json",
    "/dumps/....//BUILD.json",
    "/dumps/..\\BUILD.json",
    "/dumps/..%5cBUILD.json",
    "/dumps/%00lokaalcirculair.ttl",
    "/dumps/lokaalcirculair.ttl%00.sha256",
    "/dumps//etc/passwd",
    "/dumps/..%2F..%2F..%2Fvalidation-report.ttl",
    "/dumps/../../../../../../etc/passwd",
])
def test_nothing_outside_the_dumps_folder(server: object, built_store: Settings, path: str) -> None:
    status, body = _raw_get(server.url, path)  # type: ignore[attr-defined]
    assert status in (400, 404), (path, status)
    build_json = (live_build(built_store) / "BUILD.json").read_bytes()
    assert build_json not in body and b"root:" not in body and b"sh:conforms" not in body


def test_dump_index_lists_exactly_what_the_catalogue_lists(http: httpx.Client) -> None:
    catalog = rdflib.Graph().parse(data=http.get("/catalog", headers={"Accept": "text/turtle"}).text, format="turtle")
    listed = {
        str(url).removeprefix(f"{BASE}/dumps/")
        for dist in catalog.subjects(RDF.type, DCAT.Distribution)
        for url in catalog.objects(dist, DCAT.downloadURL)
        if str(url) != f"{BASE}/kwaliteit/validatierapport.ttl"  # the SHACL report, a file but not a dump
    }
    index = http.get("/dumps/", headers={"Accept": "application/json"}).json()["dumps"]
    assert {d["name"] for d in index} == listed == set(DUMP_FORMATS)
    for entry in index:  # every file the index names is there, with its checksum file
        assert http.head(entry["href"]).status_code == 200
        assert http.get(entry["sha256_href"]).text.split()[0] == entry["sha256"]
    page = http.get("/dumps/", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert set(re.findall(r'href="/dumps/(\w[^"/?]*)"', page.text)) == listed | {f"{n}.sha256" for n in listed}
    assert http.get("/dumps").status_code == 308


def test_unknown_dump_is_404(http: httpx.Client) -> None:
    response = http.get("/dumps/lokaalcirculair.xml", headers={"Accept": "application/json"})
    assert response.status_code == 404 and "/dumps/" in response.json()["detail"]


# --- VoID ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dump_triples(built_store: Settings) -> set[tuple[str, str, str]]:
    data = gzip.decompress((_dumps_dir(built_store) / "lokaalcirculair.nt.gz").read_bytes()).decode("utf-8")
    graph = rdflib.Graph().parse(data=data, format="nt")
    return {(str(s), str(p), o.n3()) for s, p, o in graph}


@pytest.fixture(scope="module")
def void(server: object) -> rdflib.Graph:
    response = httpx.get(f"{server.url}/.well-known/void", timeout=30)  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.text, format="turtle")


def _int(graph: rdflib.Graph, subject: rdflib.term.Node, predicate: rdflib.URIRef) -> int:
    return int(graph.value(subject, predicate))


def test_void_statistics_match_the_dump(void: rdflib.Graph, dump_triples: set[tuple[str, str, str]]) -> None:
    ds = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    assert (ds, RDF.type, VOID.Dataset) in void
    assert _int(void, ds, VOID.triples) == len(dump_triples)
    subjects = {s for s, _, _ in dump_triples}
    assert _int(void, ds, VOID.distinctSubjects) == len(subjects)
    assert _int(void, ds, VOID.distinctObjects) == len({o for _, _, o in dump_triples})
    assert _int(void, ds, VOID.entities) == len({s for s in subjects if s.startswith(f"{BASE}/id/")})
    assert str(void.value(ds, VOID.uriSpace)) == f"{BASE}/id/"
    assert str(void.value(ds, VOID.sparqlEndpoint)) == f"{BASE}/sparql"
    assert {str(u) for u in void.objects(ds, VOID.dataDump)} == {f"{BASE}/dumps/{n}" for n in DUMP_FORMATS}
    for example in void.objects(ds, VOID.exampleResource):
        assert str(example) in subjects


def test_void_partitions_match_the_dump(void: rdflib.Graph, dump_triples: set[tuple[str, str, str]]) -> None:
    ds = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    rdf_type = str(RDF.type)
    for partition in void.objects(ds, VOID.classPartition):
        cls = void.value(partition, VOID["class"]).n3()
        expected = len({s for s, p, o in dump_triples if p == rdf_type and o == cls})
        assert _int(void, partition, VOID.entities) == expected, cls
    properties = {}
    for partition in void.objects(ds, VOID.propertyPartition):
        properties[str(void.value(partition, VOID.property))] = _int(void, partition, VOID.triples)
    assert sum(properties.values()) == len(dump_triples)
    assert properties == {p: sum(1 for _, q, _ in dump_triples if q == p) for p in {p for _, p, _ in dump_triples}}
    vocabularies = {str(v) for v in void.objects(ds, VOID.vocabulary)}
    assert {"http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#", "http://schema.org/"} <= vocabularies
    assert _int(void, ds, VOID.classes) == len(list(void.objects(ds, VOID.classPartition)))


def test_void_linkset_counts_the_links_to_data_vlaanderen(void: rdflib.Graph, dump_triples: set[tuple[str, str, str]]) -> None:
    [linkset] = list(void.subjects(RDF.type, VOID.Linkset))
    assert void.value(linkset, VOID.linkPredicate) == rdflib.OWL.sameAs
    assert void.value(linkset, VOID.subjectsTarget) == rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    target = void.value(linkset, VOID.objectsTarget)
    assert str(void.value(target, VOID.uriSpace)) == "https://data.vlaanderen.be/id/gemeente/"
    links = {(s, o) for s, p, o in dump_triples if p == str(rdflib.OWL.sameAs) and o.startswith("<https://data.vlaanderen.be/id/gemeente/")}
    assert _int(void, linkset, VOID.triples) == len(links) > 300


def test_void_class_partitions_hold_the_properties_of_their_instances(void: rdflib.Graph, dump_triples: set[tuple[str, str, str]]) -> None:
    """Inside each class partition: a property partition per property of its instances, with its
    triples, and the classes and datatypes of the objects (what the SIB SPARQL editor reads)."""
    ds = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    rdf_type = str(RDF.type)
    classes_of: dict[str, set[str]] = {}
    for s, p, o in dump_triples:
        if p == rdf_type:
            classes_of.setdefault(s, set()).add(o)
    expected: dict[tuple[str, str], int] = {}
    ranges: set[tuple[str, str, str]] = set()
    for s, p, o in dump_triples:
        for cls in classes_of.get(s, ()):
            expected[(cls, p)] = expected.get((cls, p), 0) + 1
            if o.startswith("<"):
                ranges.update((cls, p, c) for c in classes_of.get(o[1:-1], ()))
            else:
                literal = rdflib.util.from_n3(o)
                assert isinstance(literal, rdflib.Literal)
                datatype = literal.datatype or (RDF.langString if literal.language else rdflib.XSD.string)
                ranges.add((cls, p, f"<{datatype}>"))
    found: dict[tuple[str, str], int] = {}
    found_ranges: set[tuple[str, str, str]] = set()
    for partition in void.objects(ds, VOID.classPartition):
        cls = void.value(partition, VOID["class"]).n3()
        for inner in void.objects(partition, VOID.propertyPartition):
            prop = str(void.value(inner, VOID.property))
            found[(cls, prop)] = _int(void, inner, VOID.triples)
            for objects in void.objects(inner, VOID.classPartition):
                found_ranges.add((cls, prop, void.value(objects, VOID["class"]).n3()))
            for literals in void.objects(inner, VOID_EXT.datatypePartition):
                found_ranges.add((cls, prop, void.value(literals, VOID_EXT.datatype).n3()))
    assert found == expected
    assert found_ranges == ranges
    circ = "https://data.lokaalcirculair.be/ns/circulair#"
    assert (f"<{circ}Praktijk>", "http://purl.org/dc/terms/spatial", f"<{circ}Gemeente>") in found_ranges


def test_void_partitions_are_queryable_at_the_endpoint(http: httpx.Client, void: rdflib.Graph) -> None:
    """The VoID graph of the store answers the query a VoID-aware editor sends (the SIB SPARQL
    editor's shape: class, property, object class or datatype), with no configuration, and
    the Service Description names the graph."""
    query = """SELECT DISTINCT ?subjectClass ?prop ?objectClass ?objectDatatype WHERE {
      ?cp void:class ?subjectClass ; void:propertyPartition ?pp . ?pp void:property ?prop .
      OPTIONAL { { ?pp void:classPartition [ void:class ?objectClass ] }
                 UNION { ?pp void-ext:datatypePartition [ void-ext:datatype ?objectDatatype ] } } }"""
    response = http.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    rows = {tuple(b.get(v, {}).get("value") for v in ("subjectClass", "prop", "objectClass", "objectDatatype"))
            for b in response.json()["results"]["bindings"]}
    circ = "https://data.lokaalcirculair.be/ns/circulair#"
    assert (f"{circ}Praktijk", "http://purl.org/dc/terms/spatial", f"{circ}Gemeente", None) in rows
    assert (f"{circ}Praktijk", "http://purl.org/dc/terms/title", None, str(RDF.langString)) in rows
    # The same partitions as the VoID document, from the named graph of the build.
    counts = http.post("/sparql", data={"query": f"SELECT ?c ?n WHERE {{ GRAPH <{BASE}/graph/void> {{ "
                                                 f"<{BASE}/id/dataset/lokaalcirculair> void:classPartition [ void:class ?c ; void:entities ?n ] }} }}"},
                       headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    ds = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    expected = {str(void.value(p, VOID["class"])): _int(void, p, VOID.entities) for p in void.objects(ds, VOID.classPartition)}
    assert {row["c"]["value"]: int(row["n"]["value"]) for row in counts} == expected
    sd = rdflib.Graph().parse(data=http.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    names = {str(o) for o in sd.objects(None, rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name"))}
    assert {f"{BASE}/graph/void", f"{BASE}/graph/sparql/examples"} <= names


def test_void_in_other_formats_and_html(http: httpx.Client, void: rdflib.Graph) -> None:
    other = rdflib.Graph().parse(data=http.get("/.well-known/void", headers={"Accept": "application/ld+json"}).content, format="json-ld")
    assert rdflib.compare.isomorphic(other, void)
    page = http.get("/.well-known/void", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "void:triples" in page.text


# --- sitemap and robots -----------------------------------------------------------------------


def test_sitemap_lists_every_doc_page(http: httpx.Client, dump_triples: set[tuple[str, str, str]]) -> None:
    response = http.get("/sitemap.xml")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    locs = re.findall(r"<url><loc>([^<]+)</loc><lastmod>(\d{4}-\d{2}-\d{2})</lastmod></url>", response.text)
    urls = {loc for loc, _ in locs}
    expected = {f"{BASE}/doc/{s.removeprefix(BASE + '/id/')}" for s, _, _ in dump_triples
                if s.startswith(f"{BASE}/id/") and "#" not in s}
    assert urls == expected
    assert len(locs) == len(urls)


def test_robots_points_to_the_sitemap(http: httpx.Client) -> None:
    response = http.get("/robots.txt")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    assert f"Sitemap: {BASE}/sitemap.xml" in response.text.splitlines()



# --- discovery ------------------------------------------------------------------------------


def test_home_page_links_the_harvesting_surfaces(http: httpx.Client) -> None:
    page = http.get("/", headers={"Accept": "text/html"}).text
    for href in ("/catalog", "/.well-known/void", "/ldes", "/dumps/"):
        assert f'href="{href}"' in page, href


def test_service_description_links_catalogue_void_and_ldes(http: httpx.Client) -> None:
    response = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    sd = rdflib.Graph().parse(data=response.text, format="turtle")
    paths = {urlsplit(str(o)).path for o in sd.objects(None, rdflib.RDFS.seeAlso)}
    assert {"/.well-known/void", "/catalog", "/ldes"} <= paths


@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void", "/dumps/", "/ldes"])
def test_harvesting_pages_share_the_site_layout_and_its_language_switch(http: httpx.Client, path: str) -> None:
    """A reader who lands on a harvesting page can navigate the site, in Dutch or English."""
    nl = http.get(path, headers={"Accept": "text/html", "Accept-Language": "nl"})
    assert nl.status_code == 200
    assert "Accept-Language" in nl.headers["vary"]
    assert '<html lang="nl">' in nl.text and 'href="/praktijken"' in nl.text and 'action="/zoeken"' in nl.text
    assert f'href="{path}?lang=en" hreflang="en"' in nl.text
    en = http.get(path, params={"lang": "en"}, headers={"Accept": "text/html"})
    assert '<html lang="en">' in en.text and 'href="/praktijken?lang=en">Practices</a>' in en.text
    # One language per page (issue #12): no bilingual block any more, the page's own text is the reader's.
    assert '<div lang="nl">' not in en.text and '<div lang="nl">' not in nl.text
    assert nl.headers["etag"] != en.headers["etag"]


@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void", "/ldes"])
def test_plain_json_clients_get_json_ld(http: httpx.Client, path: str) -> None:
    """``Accept: application/json`` (what a JSON library sends) gets the JSON-LD of every RDF resource."""
    r = http.get(path, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    assert len(rdflib.Dataset().parse(data=r.text, format="json-ld", publicID=str(r.url))) > 0

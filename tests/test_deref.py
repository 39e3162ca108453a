"""Dereferencing over HTTP: 303/301/410/404, content negotiation, headers, ETags, paging.

Real data through the shared server (``http``), made-up data where the real data has no
example (a duplicate, a withdrawn IRI, a theme with more incoming links than a page).
"""

from __future__ import annotations

import time
from typing import Iterator

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from conftest import Server, commit_slot, free_port
from pages_support import BASE, fixture_server, fixture_store  # noqa: F401  (fixture)

from kg.settings import Settings
from kg.store.build_slot import BuildSlot
from kg.store.folders import build_root

LEUVEN = "praktijk/leuven-strategie-circulaire-stad"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture()
def fx(fixture_server: Server) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=fixture_server.url, follow_redirects=False, timeout=30) as client:
        yield client


# --- /id → /doc -------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_thing_iri_answers_303_to_its_document(http: httpx.Client, method: str) -> None:
    r = http.request(method, f"/id/{LEUVEN}")
    assert r.status_code == 303
    assert r.headers["location"] == f"/doc/{LEUVEN}"
    assert "Accept" in r.headers["vary"]


def test_concept_iris_with_a_scheme_segment_dereference(http: httpx.Client) -> None:
    r = http.get("/id/concept/thema/materialen")
    assert (r.status_code, r.headers["location"]) == (303, "/doc/concept/thema/materialen")
    assert http.get("/id/conceptscheme/thema").headers["location"] == "/doc/conceptscheme/thema"
    assert http.get("/id/gemeente/24062").headers["location"] == "/doc/gemeente/24062"


def test_303_keeps_only_known_language_and_format_parameters(http: httpx.Client) -> None:
    r = http.get(f"/id/{LEUVEN}", params={"lang": "en", "format": "ttl", "next": "https://evil.example/"})
    assert r.headers["location"] == f"/doc/{LEUVEN}?lang=en&format=ttl"


def test_unknown_thing_is_404_html_for_browsers_and_a_problem_for_code(http: httpx.Client) -> None:
    browser = http.get("/id/praktijk/bestaat-niet", headers={"Accept": BROWSER})
    assert browser.status_code == 404
    assert browser.headers["content-type"].startswith("text/html")
    assert "404" in browser.text and "bestaat-niet" in browser.text
    code = http.get("/id/praktijk/bestaat-niet", headers={"Accept": "application/json"})
    assert code.status_code == 404
    assert code.headers["content-type"].startswith("application/problem+json")
    assert code.json()["status"] == 404
    assert http.get("/doc/praktijk/bestaat-niet", headers={"Accept": "text/turtle"}).status_code == 404
    assert http.head("/id/praktijk/bestaat-niet").status_code == 404


@pytest.mark.parametrize("path", [
    "/id/praktijk/..%2F..%2Fetc%2Fpasswd", "/doc/praktijk/../../etc/passwd", "/id/onbekend/x", "/doc/praktijk/x.exe",
    "/doc/praktijk/%2Fetc%2Fpasswd", "/static/..%2Fpages.py", "/static/../pages.py", "/doc/concept/a/b/c",
    "/id/praktijk/a b", "/doc/praktijk/<script>",
])
def test_path_parameters_cannot_leave_their_folder(http: httpx.Client, path: str) -> None:
    r = http.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code in (404, 400)
    assert "import " not in r.text and "root:" not in r.text


def test_a_duplicate_answers_301_to_the_one_kept(fx: httpx.Client) -> None:
    r = fx.get("/id/organisatie/proefbureau-dubbel")  # owl:sameAs, no description of its own
    assert (r.status_code, r.headers["location"]) == (301, "/id/organisatie/proefbureau")
    r = fx.get("/doc/organisatie/proefbureau-dubbel.ttl")
    assert (r.status_code, r.headers["location"]) == (301, "/doc/organisatie/proefbureau.ttl")
    r = fx.head("/id/organisatie/oud-bureau")  # from data/reference/redirects.csv
    assert (r.status_code, r.headers["location"]) == (301, "/id/organisatie/proefbureau")


def test_a_withdrawn_iri_is_410(fx: httpx.Client) -> None:
    for path in ("/id/praktijk/ingetrokken", "/doc/praktijk/ingetrokken", "/doc/praktijk/ingetrokken.ttl"):
        r = fx.get(path, headers={"Accept": BROWSER})
        assert r.status_code == 410
        assert "vergissing" in r.text


def test_no_redirect_ever_leaves_the_host(fx: httpx.Client) -> None:
    r = fx.get("/id/praktijk/naar-elders")  # its table row points elsewhere and is refused
    assert r.status_code == 404 and "location" not in r.headers
    for path in ("/id/praktijk/proef?lang=//evil.example", "/id/praktijk/proef?format=//evil.example"):
        location = fx.get(path).headers["location"]
        assert location.startswith("/doc/") and "evil" not in location


def test_a_municipality_that_ended_keeps_its_page_and_names_its_successor(http: httpx.Client) -> None:
    assert http.get("/id/gemeente/46013").status_code == 303  # Kruibeke: history, not a duplicate
    r = http.get("/doc/gemeente/46013", headers={"Accept": BROWSER, "Accept-Language": "nl"})
    assert r.status_code == 200
    assert "Kruibeke" in r.text
    assert "bestaat niet meer sinds 1 januari 2025" in r.text and "31 december 2024" in r.text
    assert 'href="/doc/gemeente/46030"' in r.text and "Beveren-Kruibeke-Zwijndrecht" in r.text
    g = rdflib.Graph().parse(data=http.get("/doc/gemeente/46013.ttl").text, format="turtle")
    assert (rdflib.URIRef(f"{BASE}/id/gemeente/46013"), rdflib.DCTERMS.isReplacedBy, rdflib.URIRef(f"{BASE}/id/gemeente/46030")) in g


# --- /doc content negotiation ---------------------------------------------------------


@pytest.mark.parametrize("accept, media", [
    ("text/turtle, application/rdf+xml;q=0.9, text/html;q=0.5", "text/turtle"),
    (BROWSER, "text/html"),
    ("application/ld+json", "application/ld+json"),
    ("application/json", "application/json"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("*/*", "text/turtle"),
])
def test_accept_header_chooses_the_format(http: httpx.Client, accept: str, media: str) -> None:
    r = http.get(f"/doc/{LEUVEN}", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert "Accept" in r.headers["vary"]


@pytest.mark.parametrize("suffix, media", [
    ("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
    ("rdf", "application/rdf+xml"), ("html", "text/html"),
])
def test_suffix_and_format_parameter_override_accept(http: httpx.Client, suffix: str, media: str) -> None:
    by_suffix = http.get(f"/doc/{LEUVEN}.{suffix}", headers={"Accept": BROWSER if suffix != "html" else "text/turtle"})
    by_param = http.get(f"/doc/{LEUVEN}", params={"format": suffix}, headers={"Accept": "text/turtle" if suffix == "html" else BROWSER})
    for r in (by_suffix, by_param):
        assert r.status_code == 200
        assert r.headers["content-type"].split(";")[0] == media
        assert r.headers["content-location"] == f"/doc/{LEUVEN}.{suffix}"
    assert by_suffix.content == by_param.content


def test_unknown_format_is_400_and_nothing_acceptable_is_406(http: httpx.Client) -> None:
    assert http.get(f"/doc/{LEUVEN}", params={"format": "docx"}).status_code == 400
    r = http.get(f"/doc/{LEUVEN}", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/turtle" in r.text


def test_document_headers(http: httpx.Client) -> None:
    r = http.get(f"/doc/{LEUVEN}", headers={"Accept": "text/turtle", "Origin": "https://example.org"})
    assert r.headers["content-location"] == f"/doc/{LEUVEN}.ttl"
    links = r.headers["link"]
    for suffix, media in (("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
                          ("rdf", "application/rdf+xml"), ("html", "text/html")):
        assert f'</doc/{LEUVEN}.{suffix}>; rel="alternate"; type="{media}"' in links
    assert 'type="text/turtle"' not in links
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["etag"].startswith('"') and r.headers["last-modified"].endswith("GMT")
    assert "ETag" in r.headers["access-control-expose-headers"]


def test_head_answers_like_get_without_a_body(http: httpx.Client) -> None:
    get = http.get(f"/doc/{LEUVEN}.ttl")
    head = http.head(f"/doc/{LEUVEN}.ttl")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == get.headers["content-type"]


# --- validators ---------------------------------------------------------------------


def test_if_none_match_gets_304(http: httpx.Client) -> None:
    first = http.get(f"/doc/{LEUVEN}", headers={"Accept": "text/turtle"})
    tag = first.headers["etag"]
    assert http.get(f"/doc/{LEUVEN}", headers={"Accept": "text/turtle"}).headers["etag"] == tag
    again = http.get(f"/doc/{LEUVEN}", headers={"Accept": "text/turtle", "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag and "Accept" in again.headers["vary"]
    other = http.get(f"/doc/{LEUVEN}", headers={"Accept": "text/turtle", "If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert http.get(f"/doc/{LEUVEN}", headers={"Accept": "text/turtle", "If-None-Match": f'"x", {tag}'}).status_code == 304
    html_tag = http.get(f"/doc/{LEUVEN}.html").headers["etag"]
    assert html_tag != tag
    modified = http.get(f"/doc/{LEUVEN}.ttl", headers={"If-Modified-Since": first.headers["last-modified"]})
    assert modified.status_code == 304


def test_etag_changes_only_with_the_entitys_description(tmp_path_factory: pytest.TempPathFactory) -> None:
    with fixture_store(tmp_path_factory.mktemp("etag")) as settings:
        _etags_follow_the_description(settings)


def _etags_follow_the_description(settings: Settings) -> None:
    server = Server(settings, free_port())
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            before = {p: client.get(p).headers["etag"] for p in ("/doc/praktijk/tweede.ttl", "/doc/organisatie/proefbureau.ttl",
                                                                 "/doc/praktijk/tweede.html")}
            build = client.get("/health").json()["build"]
            # A new build that changes only the title of practice "tweede".
            slot = BuildSlot(build_root(settings), "20261126T000000000000Z")
            slot.load_file(__import__("pages_support").FIXTURE, ox.RdfFormat.TRIG)
            tweede = ox.NamedNode(f"{BASE}/id/praktijk/tweede")
            graph = ox.NamedNode(f"{BASE}/graph/praktijk/tweede")
            title = ox.NamedNode("http://purl.org/dc/terms/title")
            slot.store.remove(ox.Quad(tweede, title, ox.Literal("Tweede proef", language="nl"), graph))
            slot.load([ox.Quad(tweede, title, ox.Literal("Tweede proef, herzien", language="nl"), graph)])
            commit_slot(settings, slot, {"finished": "2026-11-26T00:00:00Z", "triples": 0, "graphs": 0})
            deadline = time.monotonic() + 30
            while client.get("/health").json()["build"] == build and time.monotonic() < deadline:
                time.sleep(0.2)
            after = {p: client.get(p).headers["etag"] for p in before}
            assert after["/doc/praktijk/tweede.ttl"] != before["/doc/praktijk/tweede.ttl"]
            assert after["/doc/praktijk/tweede.html"] != before["/doc/praktijk/tweede.html"]
            assert after["/doc/organisatie/proefbureau.ttl"] == before["/doc/organisatie/proefbureau.ttl"]
            assert "herzien" in client.get("/doc/praktijk/tweede.ttl").text
    finally:
        server.stop()


# --- incoming links and hash sub-resources ---------------------------------------------


def test_many_incoming_links_are_paged_with_next_links(fx: httpx.Client) -> None:
    first = fx.get("/doc/concept/thema/water.ttl")
    assert first.status_code == 200
    assert '</doc/concept/thema/water.ttl?pagina=2>; rel="next"' in first.headers["link"]
    g1 = rdflib.Graph().parse(data=first.text, format="turtle")
    water = rdflib.URIRef(f"{BASE}/id/concept/thema/water")
    hydra_next = rdflib.URIRef("http://www.w3.org/ns/hydra/core#next")
    assert (rdflib.URIRef(f"{BASE}/doc/concept/thema/water"), hydra_next, rdflib.URIRef(f"{BASE}/doc/concept/thema/water?pagina=2")) in g1
    def incoming(g: rdflib.Graph) -> set[tuple[object, object]]:
        return {(s, p) for s, p, o in g if o == water and not str(s).startswith(f"{BASE}/doc/")}

    incoming1 = incoming(g1)
    assert len(incoming1) == 500  # dct:subject and circ:thema of each practice: 1242 in all
    second = fx.get("/doc/concept/thema/water.ttl", params={"pagina": 2})
    incoming2 = incoming(rdflib.Graph().parse(data=second.text, format="turtle"))
    assert incoming1.isdisjoint(incoming2) and len(incoming2) == 500
    third = rdflib.Graph().parse(data=fx.get("/doc/concept/thema/water.ttl", params={"pagina": 3}).text, format="turtle")
    assert len(incoming(third)) == 2 * 621 + 1 - 1000  # 620 made up + "tweede", and the scheme's hasTopConcept
    assert 'rel="next"' not in fx.get("/doc/concept/thema/water.ttl", params={"pagina": 3}).headers["link"]
    assert fx.get("/doc/concept/thema/water.ttl", params={"pagina": 4}).status_code == 404
    assert fx.get("/doc/concept/thema/water.ttl", params={"pagina": "0"}).status_code == 400
    assert fx.get("/doc/concept/thema/water.ttl", params={"pagina": "x"}).status_code == 400


def test_hash_sub_resources_are_described_in_their_parent_document(http: httpx.Client) -> None:
    g = rdflib.Graph().parse(data=http.get(f"/doc/{LEUVEN}.ttl").text, format="turtle")
    role = rdflib.URIRef(f"{BASE}/id/{LEUVEN}#rol-1")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    assert (rdflib.URIRef(f"{BASE}/id/{LEUVEN}"), prov.qualifiedAssociation, role) in g
    assert (role, prov.agent, rdflib.URIRef(f"{BASE}/id/organisatie/stad-leuven")) in g
    assert (role, prov.hadRole, rdflib.URIRef(f"{BASE}/id/concept/rol/trekker")) in g
    assert http.get(f"/id/{LEUVEN}%23rol-1").status_code == 404  # a fragment is never a path


def test_the_json_ld_context_is_published(http: httpx.Client, server: Server) -> None:
    r = http.get("/ns/context.jsonld")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    ctx = r.json()["@context"]
    assert ctx["titel"] == {"@id": "dct:title", "@container": "@language"}
    doc = http.get(f"/doc/{LEUVEN}.jsonld").json()
    assert doc["@context"] == f"{server.url}/ns/context.jsonld"  # the server's own copy of the published context
    thing = doc["@graph"][0]
    assert thing["id"] == f"{BASE}/id/{LEUVEN}"
    assert thing["titel"]["nl"] == "Strategie circulaire stad"
    assert {t["naam"]["nl"] for t in thing["thema"]} >= {"Materialen", "Energie", "Beleid", "Voedsel", "Water"}


def test_the_fast_path_answers_exactly_like_the_application(fx: httpx.Client) -> None:
    """A cached document is answered before routing; the answer must not differ from the routed one."""

    def headers(r: httpx.Response) -> dict[str, str]:
        return {k: v for k, v in r.headers.items() if k not in ("date", "server")}

    for extra in ({}, {"Origin": "https://example.org"}):
        for path, accept in (("/doc/gemeente/46025.nt", "*/*"), ("/doc/provincie/40000", "text/turtle"),
                             ("/doc/provincie/40000", "text/html")):
            h = {"Accept": accept, **extra}
            first = fx.get(path, headers=h)  # routed (fills the cache, or already cached)
            fast = fx.get(path, headers=h)  # answered by the fast path
            routed = fx.get(path, params={"routed": "1"}, headers=h)  # an unknown parameter: routed again
            assert first.status_code == fast.status_code == routed.status_code == 200
            assert first.content == fast.content == routed.content
            assert headers(fast) == headers(routed) == headers(first)
            tag = fast.headers["etag"]
            fast304 = fx.get(path, headers={**h, "If-None-Match": tag})
            routed304 = fx.get(path, params={"routed": "1"}, headers={**h, "If-None-Match": tag})
            assert fast304.status_code == routed304.status_code == 304
            assert headers(fast304) == headers(routed304)
            assert fast304.headers["last-modified"] == fast.headers["last-modified"]


def test_the_published_redirect_table_is_valid() -> None:
    """data/reference/redirects.csv parses; the one withdrawn record is the programme a curator had
    inferred for #AAL Circulair (issue 17), answered 410 with its reason."""
    from conftest import REPO

    from endpoint.pages.redirects import TABLE, _read_table
    from kg.rdf.iris import Iris as Uris

    path = REPO / "data" / TABLE
    assert path.is_file()
    table = _read_table(path, Uris(BASE))
    assert set(table) == {"programma/vlaanderen-circulair-projectoproep"}
    withdrawn = table["programma/vlaanderen-circulair-projectoproep"]
    assert withdrawn.status == 410 and withdrawn.target is None and "noemt geen oproep" in withdrawn.reason


def test_a_thing_the_data_only_point_at_still_has_a_document(fx: httpx.Client) -> None:
    assert fx.get("/id/gewest/vlaanderen").status_code == 303
    g = rdflib.Graph().parse(data=fx.get("/doc/gewest/vlaanderen.ttl").text, format="turtle")
    figure = rdflib.URIRef(f"{BASE}/id/praktijk/proef#cijfer-bereik")
    assert (figure, rdflib.DCTERMS.spatial, rdflib.URIRef(f"{BASE}/id/gewest/vlaanderen")) in g
    assert (rdflib.URIRef(f"{BASE}/id/praktijk/proef"), rdflib.URIRef("https://data.lokaalcirculair.be/ns/circulair#kerncijfer"), figure) in g
    assert fx.get("/doc/gewest/vlaanderen", headers={"Accept": "text/html"}).status_code == 200

"""OGC API – Features Part 1 (Core) at /ogc on the real build: the conformance classes it claims
(core, geojson, oas30) checked as the standard's abstract tests ask, over real HTTP."""

from __future__ import annotations

import csv
import re

import httpx
import pytest
from geojson_pydantic import Feature, FeatureCollection

from kg.settings import PROJECT_ROOT

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"


def _rows() -> list[dict[str, str]]:
    with (PROJECT_ROOT / "data" / "reference" / "gemeenten.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def get(http: httpx.Client, url: str, **params: str) -> httpx.Response:
    r = http.get(url, params=params)
    assert r.status_code == 200, (url, r.text)
    return r


def test_landing_page_links_the_api_definition_conformance_and_data(http: httpx.Client) -> None:
    links = {link["rel"]: link["href"] for link in get(http, "/ogc").json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(links)
    conformance = get(http, "/ogc/conformance").json()["conformsTo"]
    assert CORE in conformance and any(c.endswith("/conf/geojson") for c in conformance) and any(c.endswith("/conf/html") for c in conformance)
    openapi = get(http, "/api/openapi.json").json()  # oas30: the definition describes the API
    assert openapi["openapi"].startswith("3.") and "/ogc/collections/{cid}/items" in openapi["paths"]
    items = openapi["paths"]["/ogc/collections/{cid}/items"]["get"]
    assert {"bbox", "limit", "offset", "datetime", "f"} <= {p["name"] for p in items["parameters"]}
    assert {"application/geo+json", "text/html"} <= set(items["responses"]["200"]["content"])


def test_collections_describe_themselves_with_an_extent_and_items_link(http: httpx.Client) -> None:
    body = get(http, "/ogc/collections").json()
    ids = {c["id"] for c in body["collections"]}
    assert ids == {"gemeenten", "gemeenten-historisch", "arrondissementen", "provincies", "praktijken"}
    for c in body["collections"]:
        assert any(link["rel"] == "items" for link in c["links"])
        assert get(http, f"/ogc/collections/{c['id']}").json()["id"] == c["id"]
    minx, miny, maxx, maxy = next(c for c in body["collections"] if c["id"] == "gemeenten")["extent"]["spatial"]["bbox"][0]
    assert 2.5 < minx < maxx < 6.0 and 50.6 < miny < maxy < 51.6


def test_items_are_paged_by_limit_with_next_links_until_every_feature_was_seen(http: httpx.Client) -> None:
    today = sum(1 for r in _rows() if not r["geldig_tot"])
    url, seen = "/ogc/collections/gemeenten/items?limit=100", []
    while url:
        r = http.get(url)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
        page = FeatureCollection.model_validate_json(r.content)
        body = r.json()
        assert body["numberMatched"] == today and body["numberReturned"] == len(page.features) <= 100
        seen += [f.id for f in page.features]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), "")
    assert len(seen) == len(set(seen)) == today
    assert len(get(http, "/ogc/collections/gemeenten/items").json()["features"]) == 10  # the default limit


def test_bbox_and_datetime_filter_the_items(http: httpx.Client) -> None:
    around_leuven = get(http, "/ogc/collections/gemeenten/items", bbox="4.69,50.87,4.71,50.89", limit="50").json()
    ids = {f["id"] for f in around_leuven["features"]}
    assert "24062" in ids and "11002" not in ids
    ceased = sum(1 for r in _rows() if r["geldig_tot"])
    assert get(http, "/ogc/collections/gemeenten-historisch/items", datetime="2024-06-01T00:00:00Z", limit="100").json()["numberMatched"] == ceased
    assert get(http, "/ogc/collections/gemeenten-historisch/items", datetime="2025-06-01T00:00:00Z").json()["numberMatched"] == 0
    assert http.get("/ogc/collections/gemeenten/items", params={"bbox": "5,51,4"}).status_code == 400
    assert http.get("/ogc/collections/gemeenten/items", params={"datetime": "gisteren"}).status_code == 400


def test_a_single_feature_links_its_iri_and_unknown_ones_are_404(http: httpx.Client) -> None:
    r = get(http, "/ogc/collections/gemeenten/items/24062")
    leuven = Feature.model_validate_json(r.content)
    assert leuven.id == "24062" and leuven.geometry is not None
    links = {link["rel"]: link["href"] for link in r.json()["links"]}
    assert links["canonical"] == "https://data.lokaalcirculair.be/id/gemeente/24062"
    practice = get(http, "/ogc/collections/praktijken/items/leuven-strategie-circulaire-stad").json()
    assert practice["geometry"]["type"] == "MultiPoint"
    assert http.get("/ogc/collections/gemeenten/items/99999").status_code == 404
    assert http.get("/ogc/collections/rivieren").status_code == 404


@pytest.mark.parametrize("limit", ["0", "5000"])
def test_out_of_range_limits_are_clamped(http: httpx.Client, limit: str) -> None:
    body = get(http, "/ogc/collections/gemeenten/items", limit=limit).json()
    assert 1 <= body["numberReturned"] <= 1000


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept-Language": "nl-BE,nl;q=0.9"}
RESOURCES = ["/ogc", "/ogc/conformance", "/ogc/collections", "/ogc/collections/gemeenten",
             "/ogc/collections/gemeenten/items", "/ogc/collections/gemeenten/items/24062"]


@pytest.mark.parametrize("path", RESOURCES)
def test_every_resource_is_html_for_a_browser_and_json_for_a_program(http: httpx.Client, path: str) -> None:
    """As pygeoapi: HTML when a browser asks (or ?f=html), JSON otherwise (or ?f=json); the answer varies by Accept."""
    page = http.get(path, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in page.text and "Accept" in page.headers["vary"]
    for program in ({}, {"Accept": "application/json"}, {"Accept": "application/geo+json"}):
        assert http.get(path, headers=program).headers["content-type"].startswith(("application/json", "application/geo+json"))
    assert http.get(path, params={"f": "json"}, headers=BROWSER).headers["content-type"].startswith(("application/json", "application/geo+json"))
    assert http.get(path, params={"f": "html"}).headers["content-type"].startswith("text/html")
    body = http.get(path).json()
    alternates = [link for link in body.get("links", []) if link["rel"] == "alternate"] if path != "/ogc/conformance" else []
    for link in alternates:  # the JSON names its HTML twin, which is this very page
        assert link["type"] == "text/html"
        assert http.get(link["href"]).headers["content-type"].startswith("text/html")
    assert http.get(path, params={"f": "xml"}).status_code == 400


def test_the_html_pages_are_in_one_language_each(http: httpx.Client) -> None:
    nl = http.get("/ogc/collections", headers=BROWSER).text
    en = http.get("/ogc/collections", params={"lang": "en"}, headers=BROWSER).text
    assert "Gemeenten tot 2024" in nl and "Municipalities until 2024" not in nl
    assert "Municipalities until 2024" in en and "Gemeenten tot 2024" not in en
    english_json = http.get("/ogc/collections", headers={"Accept-Language": "en"}).json()
    assert {c["id"]: c["title"] for c in english_json["collections"]}["gemeenten-historisch"] == "Municipalities until 2024"


def test_the_items_page_lists_and_maps_the_same_features_as_the_geojson_and_pages_on(http: httpx.Client) -> None:
    geojson = get(http, "/ogc/collections/gemeenten/items", limit="7", offset="7").json()
    page = http.get("/ogc/collections/gemeenten/items", params={"limit": "7", "offset": "7"}, headers=BROWSER).text
    rows = re.findall(r'<a href="(/ogc/collections/gemeenten/items/(\d+))">', page)
    assert [fid for _, fid in rows] == [f["id"] for f in geojson["features"]]
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    for feature in geojson["features"]:  # every feature of the page is a shape on the map, a link to its page
        assert f'href="/doc/gemeente/{feature["id"]}"' in svg
    following = re.search(r'<a rel="next" href="([^"]+)"', page)
    assert following and "offset=14" in following.group(1)
    assert '<a rel="prev"' in page
    item = http.get(rows[0][0], headers=BROWSER).text
    assert f'href="/doc/gemeente/{rows[0][1]}"' in item and "<svg" in item

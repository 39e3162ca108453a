"""OGC API – Features, Part 1: Core, over the places and practices of the live build (``/ogc``).

Why a thin layer of our own and not pygeoapi: the features are already in memory per build
(:class:`endpoint.pages.places.PlaceIndex`, the practice index), so each request is a filter
over a few hundred objects; pygeoapi would add a second web framework, its own configuration
file and a provider that asks the store again, for the same five collections. The layer claims
the conformance classes it implements and its tests check (``tests/test_ogc_features.py``):
Core, GeoJSON, HTML and OpenAPI 3.0 (FastAPI publishes the OpenAPI description at
``/api/openapi.json``). Every resource also comes as HTML in the site's layout for a browser, or
with ``?f=html`` (:mod:`endpoint.pages.ogc_pages`); JSON stays the answer for every other client.
Titles and descriptions are in the reader's language (``?lang=``, ``Accept-Language``), in the
JSON as on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from endpoint.errors import HTTPProblem
from endpoint.maps import rings
from endpoint.pages.build_indexes import Site
from endpoint.pages.geojson_answers import geojson_bytes
from endpoint.pages.ogc_pages import page, wants_html
from endpoint.pages.page_answers import language, site_of
from kg.geojson import feature, geometry
from kg.media import GEOJSON, HTML, JSON

router = APIRouter()

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT, MAX_LIMIT = 10, 1000


@dataclass(frozen=True)
class Item:
    """One feature of a collection: its id, IRI, GeoJSON geometry, bbox, validity and properties."""

    id: str
    iri: str
    geometry: dict[str, Any] | None
    bbox: tuple[float, float, float, float] | None
    start: str | None
    end: str | None
    properties: dict[str, Any]


def _bbox(wkt: str) -> tuple[float, float, float, float]:
    points = [p for ring in rings(wkt) for p in ring]
    return min(x for x, _ in points), min(y for _, y in points), max(x for x, _ in points), max(y for _, y in points)


def _places(site: Site, kind: str, ended: bool | None) -> list[Item]:
    return [
        Item(p.iri.rsplit("/", 1)[-1], p.iri, geometry(p.wkt), _bbox(p.wkt), p.valid_from, p.valid_through,
             {"naam": site.labels.label(p.iri, "nl"), "geldigVan": p.valid_from, "geldigTot": p.valid_through})
        for p in site.places.of_kind(kind) if ended is None or p.ended == ended
    ]


def _practices(site: Site) -> list[Item]:
    items = []
    for p in sorted(site.practices.practices.values(), key=lambda p: p.iri):
        points = [site.places.places[m].point for m in sorted(p.direct_municipalities) if m in site.places.places]
        coords = [geometry(pt)["coordinates"] for pt in points if pt]
        box = (min(c[0] for c in coords), min(c[1] for c in coords), max(c[0] for c in coords), max(c[1] for c in coords)) if coords else None
        items.append(Item(p.iri.rsplit("/", 1)[-1], p.iri, {"type": "MultiPoint", "coordinates": coords} if coords else None, box,
                          f"{p.start}-01-01" if p.start else None, f"{p.end}-12-31" if p.end else None,
                          {"titel": site.labels.label(p.iri, "nl"), "gemeenten": sorted(p.direct_municipalities)}))
    return items


#: Collection id → its items; titles and descriptions are ``ogc_c_<id>``/``ogc_d_<id>`` in the message catalogue.
COLLECTIONS: dict[str, Callable[[Site], list[Item]]] = {
    "gemeenten": lambda s: _places(s, "gemeente", False),
    "gemeenten-historisch": lambda s: _places(s, "gemeente", True),
    "arrondissementen": lambda s: _places(s, "arrondissement", None),
    "provincies": lambda s: _places(s, "provincie", None),
    "praktijken": _practices,
}
def _openapi(media: str, *names: str) -> dict[str, Any]:
    """What the OpenAPI description says of a route beyond its path: the query parameters it reads
    itself (so FastAPI cannot see them) and the representations of its 200 answer."""
    params: dict[str, dict[str, Any]] = {
        "f": {"description": "The representation: html for people, json (GeoJSON for features) for programs; "
                             "without it, Accept decides.", "schema": {"type": "string", "enum": ["html", "json"]}},
        "lang": {"description": "Language of titles and pages (nl, en); else Accept-Language.",
                 "schema": {"type": "string", "enum": ["nl", "en"]}},
        "limit": {"description": f"Features per page (1 to {MAX_LIMIT}; values outside are clamped).",
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
        "offset": {"description": "How many matching features to skip (the next and prev links carry it).",
                   "schema": {"type": "integer", "minimum": 0, "default": 0}},
        "bbox": {"description": "minlon,minlat,maxlon,maxlat in CRS84: features whose extent meets it.",
                 "style": "form", "explode": False,
                 "schema": {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}}},
        "datetime": {"description": "An RFC 3339 instant or interval a/b (.. open): features valid then.",
                     "schema": {"type": "string"}},
    }
    return {"parameters": [{"name": n, "in": "query", "required": False, **params[n]} for n in ("f", "lang", *names)],
            "responses": {"200": {"description": "The resource", "content": {
                media: {"schema": {"type": "object"}}, HTML.media_type: {"schema": {"type": "string"}}}}}}


#: Every answer depends on Accept (HTML or JSON) and on the reader's language.
_VARY = {"Vary": "Accept, Accept-Language"}


def _json(body: dict[str, Any], media: str = JSON.media_type) -> Response:
    return Response(geojson_bytes(body), media_type=media, headers=_VARY)


async def _answer(request: Request, view: str, body: dict[str, Any], cid: str = "", media: str = JSON.media_type) -> Response:
    """The document as JSON, or as HTML when a browser asks (or ``?f=html``)."""
    if wants_html(request):
        site = await site_of(request)
        html = page(request, site, language(request, site), view, body, cid)
        return Response(html, media_type=HTML.content_type, headers=_VARY)
    return _json(body, media)


def _alternate(request: Request, media: str) -> dict[str, str]:
    """The link to this resource's other representation (OGC API Features, requirement /req/core/...-links)."""
    other = HTML.media_type if media != HTML.media_type else JSON.media_type
    query = [(k, v) for k, v in request.query_params.items() if k != "f"] + [("f", "html" if other == HTML.media_type else "json")]
    return {"rel": "alternate", "type": other, "href": f"{str(request.url).split('?', 1)[0]}?{urlencode(query)}"}


def _root(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _collection(site: Site, cid: str, root: str, t: dict[str, str]) -> dict[str, Any]:
    title, description, items = t[f"ogc_c_{cid}"], t[f"ogc_d_{cid}"], COLLECTIONS[cid]
    boxes = [i.bbox for i in items(site) if i.bbox]
    extent = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)] if boxes else None
    return {"id": cid, "title": title, "description": description, "itemType": "feature", "crs": [CRS84],
            "extent": {"spatial": {"bbox": [extent] if extent else [], "crs": CRS84}},
            "links": [{"rel": "self", "type": JSON.media_type, "href": f"{root}/collections/{cid}"},
                      {"rel": "alternate", "type": HTML.media_type, "href": f"{root}/collections/{cid}?f=html"},
                      {"rel": "items", "type": GEOJSON.media_type, "href": f"{root}/collections/{cid}/items"},
                      {"rel": "items", "type": HTML.media_type, "href": f"{root}/collections/{cid}/items?f=html"}]}


@router.get("/ogc", tags=["OGC API Features"], openapi_extra=_openapi(JSON.media_type))
async def landing(request: Request) -> Response:
    """Landing page: links to the API definition, the conformance declaration and the collections."""
    root = _root(request)
    site = await site_of(request)
    t = language(request, site).t
    return await _answer(request, "landing", {
        "title": t["ogc_title"], "description": t["ogc_intro"],
        "links": [{"rel": "self", "type": JSON.media_type, "href": root}, _alternate(request, JSON.media_type),
                  {"rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0",
                   "href": str(request.base_url).rstrip("/") + "/api/openapi.json"},
                  {"rel": "service-doc", "type": HTML.media_type, "href": str(request.base_url).rstrip("/") + "/api/docs"},
                  {"rel": "conformance", "type": JSON.media_type, "href": f"{root}/conformance"},
                  {"rel": "data", "type": JSON.media_type, "href": f"{root}/collections"}]})


@router.get("/ogc/conformance", tags=["OGC API Features"], openapi_extra=_openapi(JSON.media_type))
async def conformance(request: Request) -> Response:
    """The conformance classes this API implements."""
    return await _answer(request, "conformance", {"conformsTo": CONFORMANCE})


@router.get("/ogc/collections", tags=["OGC API Features"], openapi_extra=_openapi(JSON.media_type))
async def collections(request: Request) -> Response:
    site, root = await site_of(request), _root(request)
    t = language(request, site).t
    return await _answer(request, "collections", {
        "links": [{"rel": "self", "type": JSON.media_type, "href": f"{root}/collections"}, _alternate(request, JSON.media_type)],
        "collections": [_collection(site, cid, root, t) for cid in COLLECTIONS]})


@router.get("/ogc/collections/{cid}", tags=["OGC API Features"], openapi_extra=_openapi(JSON.media_type))
async def collection(request: Request, cid: str) -> Response:
    if cid not in COLLECTIONS:
        raise HTTPProblem(404, f"There is no collection {cid[:40]!r}; see /ogc/collections.")
    site = await site_of(request)
    return await _answer(request, "collection", _collection(site, cid, _root(request), language(request, site).t), cid)


def _number(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise HTTPProblem(400, f"The parameter {name} must be a whole number, not {raw[:20]!r}.")
    return max(low, min(high, int(raw)))


def _bbox_param(raw: str | None) -> tuple[float, float, float, float] | None:
    if raw is None:
        return None
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or values[0] > values[2] or values[1] > values[3]:
        raise HTTPProblem(400, f"bbox must be four numbers minlon,minlat,maxlon,maxlat (CRS84), not {raw[:60]!r}.")
    return values[0], values[1], values[2], values[3]


def _interval(raw: str | None) -> tuple[str, str] | None:
    """``datetime``: an instant or ``start/end`` with ``..`` open; compared as dates."""
    if raw is None:
        return None
    parts = raw.split("/")
    if len(parts) > 2 or any(p not in ("", "..") and not _is_time(p) for p in parts):
        raise HTTPProblem(400, f"datetime must be an RFC 3339 date-time or an interval a/b (.. for open), not {raw[:60]!r}.")
    start, end = (parts[0], parts[-1])
    return (start[:10] if start not in ("", "..") else "0000-01-01", end[:10] if end not in ("", "..") else "9999-12-31")


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@router.get("/ogc/collections/{cid}/items", tags=["OGC API Features"], openapi_extra=_openapi(GEOJSON.media_type, "limit", "offset", "bbox", "datetime"))
async def items(request: Request, cid: str) -> Response:
    """Features of a collection, filtered by ``bbox`` and ``datetime``, paged by ``limit`` and ``offset``."""
    if cid not in COLLECTIONS:
        raise HTTPProblem(404, f"There is no collection {cid[:40]!r}; see /ogc/collections.")
    limit = _number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _number(request, "offset", 0, 0, 10**9)
    box, when = _bbox_param(request.query_params.get("bbox")), _interval(request.query_params.get("datetime"))
    site, root = await site_of(request), _root(request)
    found = [i for i in COLLECTIONS[cid](site)
             if (box is None or (i.bbox is not None and i.bbox[0] <= box[2] and i.bbox[2] >= box[0] and i.bbox[1] <= box[3] and i.bbox[3] >= box[1]))
             and (when is None or ((i.start or "0000-01-01") <= when[1] and (i.end or "9999-12-31") >= when[0]))]
    page = found[offset:offset + limit]
    base = f"{root}/collections/{cid}/items"
    kept = [(k, v) for k, v in request.query_params.items() if k not in ("offset", "limit", "f")]
    query = urlencode(kept)

    def link(rel: str, start: int) -> dict[str, str]:
        return {"rel": rel, "type": GEOJSON.media_type, "href": f"{base}?{query + '&' if query else ''}limit={limit}&offset={start}"}

    links = [link("self", offset), _alternate(request, GEOJSON.media_type),
             {"rel": "collection", "type": JSON.media_type, "href": f"{root}/collections/{cid}"}]
    if offset + limit < len(found):
        links.append(link("next", offset + limit))
    if offset > 0:
        links.append(link("prev", max(0, offset - limit)))
    features = [_feature(i, root, cid) for i in page]
    return await _answer(request, "items", {
        "type": "FeatureCollection", "features": features, "links": links, "numberMatched": len(found),
        "numberReturned": len(features), "timeStamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")},
        cid, GEOJSON.media_type)


def _feature(item: Item, root: str, cid: str) -> dict[str, Any]:
    out = feature(item.iri, None, item.properties)
    out["id"], out["geometry"] = item.id, item.geometry
    out["links"] = [{"rel": "self", "type": GEOJSON.media_type, "href": f"{root}/collections/{cid}/items/{item.id}"},
                    {"rel": "collection", "type": JSON.media_type, "href": f"{root}/collections/{cid}"},
                    {"rel": "canonical", "href": item.iri}]
    return out


@router.get("/ogc/collections/{cid}/items/{fid}", tags=["OGC API Features"], openapi_extra=_openapi(GEOJSON.media_type))
async def item(request: Request, cid: str, fid: str) -> Response:
    """One feature, with a link to its IRI (``/id/…``)."""
    if cid not in COLLECTIONS:
        raise HTTPProblem(404, f"There is no collection {cid[:40]!r}; see /ogc/collections.")
    found = next((i for i in COLLECTIONS[cid](await site_of(request)) if i.id == fid), None)
    if found is None:
        raise HTTPProblem(404, f"There is no feature {fid[:40]!r} in {cid}.")
    body = _feature(found, _root(request), cid)
    body["links"].insert(1, _alternate(request, GEOJSON.media_type))
    return await _answer(request, "item", body, cid, GEOJSON.media_type)

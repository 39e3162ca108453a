"""The HTML of OGC API – Features (``/ogc``): the same documents as the JSON, for people.

As pygeoapi does, every resource of the API has a representation for programs (JSON, GeoJSON for
features) and one for browsers (HTML in the site's layout), chosen by ``?f=html`` / ``?f=json``
and otherwise by ``Accept`` (a browser names ``text/html``; ``*/*`` and ``application/json`` get
JSON, so GIS clients and portals see nothing change). The HTML is rendered from the very dict the
JSON is written from, so the two cannot tell different stories; titles and descriptions come from
the message catalogue (``ogc_c_<id>``, ``ogc_d_<id>``), one language per page like every page.
Features are drawn on an SVG map from the build's outlines (:class:`endpoint.pages.places.PlaceIndex`),
with the provinces as the base map, and listed beside it as its text alternative.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from markupsafe import Markup

from endpoint import conneg
from endpoint.errors import HTTPProblem
from endpoint.pages.build_indexes import Site
from endpoint.pages.page_answers import render
from endpoint.pages.view_models import Lang
from kg.media import GEOJSON, HTML, JSON

__all__ = ["page", "wants_html"]

#: What /ogc offers, programs first: a client that accepts anything gets JSON.
OFFERS = (JSON, GEOJSON, HTML)
_F_JSON = ("json", "geojson", JSON.media_type, GEOJSON.media_type)


def wants_html(request: Request) -> bool:
    """``?f=html`` or ``?f=json`` decide; else the ``Accept`` header (HTML only when named).

    Anything else in ``f`` is refused with the names that work, as every format parameter here.
    """
    name = request.query_params.get("f")
    if name is not None:
        name = name.strip().lower()
        if name in ("html", HTML.media_type):
            return True
        if name in _F_JSON:
            return False
        raise HTTPProblem(400, f"Unknown format f={name[:20]!r}: use f=html or f=json.",
                          key="error_format", params={"value": name[:20], "formats": "html, json"})
    return conneg.negotiate(request.headers.get("accept"), OFFERS) is HTML


def _local(href: str) -> str:
    """An API link as a path on this site (the JSON's links are absolute, the page's are local)."""
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _without_format(path: str, lang: Lang) -> str:
    """A local link of the JSON without its ``f=`` and with the reader's ``?lang=``."""
    head, _, query = path.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not p.startswith(("f=", "lang=")))
    return lang.url(head + (f"?{kept}" if kept else ""))


def _map(site: Site, lang: Lang, places: list[str], title: str) -> Markup:
    """The features' places highlighted on the provinces of Flanders (nothing when no outline)."""
    here = [iri for iri in places if iri in site.places.places]
    if not here:
        return Markup("")
    base = [(p.iri, "") for p in site.places.of_kind("provincie") if p.iri not in here]
    return site.places.draw([*base, *[(iri, "here") for iri in here]], lang.label, lang.href, title, css="map locator")


def _feature_view(site: Site, lang: Lang, feature: dict[str, Any]) -> dict[str, Any]:
    """One feature as a row or a page shows it: its name links to its page in the graph."""
    props = feature.get("properties") or {}
    iri = next((link["href"] for link in feature.get("links", []) if link["rel"] == "canonical"), "")
    self_link = next((link["href"] for link in feature.get("links", []) if link["rel"] == "self"), "")
    return {"id": feature["id"], "href": _without_format(_local(self_link), lang), "document": lang.link(iri),
            "from": props.get("geldigVan"), "through": props.get("geldigTot"),
            "municipalities": [lang.link(m) for m in props.get("gemeenten", [])],
            "geometry": (feature.get("geometry") or {}).get("type", ""),
            "places": props.get("gemeenten") or [iri]}


def page(request: Request, site: Site, lang: Lang, view: str, body: dict[str, Any], cid: str = "") -> bytes:
    """The HTML of one API document (``view``: landing, conformance, collections, collection, items, item)."""
    path = request.url.path
    query = {k: v for k, v in request.query_params.items() if k not in ("f", "lang")}
    json_href = lang.url(path, **{**query, "f": "json"})
    context: dict[str, Any] = {"view": view, "body": body, "cid": cid, "json_href": json_href, "query": query}
    if view in ("items", "item"):
        features = body["features"] if view == "items" else [body]
        rows = [_feature_view(site, lang, f) for f in features]
        title = lang.t["ogc_map"] if view == "items" else lang.t["ogc_map_one"].format(name=rows[0]["document"].label)
        links = {link["rel"]: _without_format(_local(link["href"]), lang) for link in body.get("links", [])}
        context |= {"rows": rows, "map": _map(site, lang, [p for r in rows for p in r["places"]], title), "links": links,
                    "first": int(query.get("offset", "0") or 0) + 1 if rows else 0}
        return render("ogc-items.html", lang, site, path, **context)
    collections = body.get("collections", [body] if view == "collection" else [])
    context["collections"] = [{"id": c["id"], "href": lang.url(f"/ogc/collections/{c['id']}"),
                               "items": lang.url(f"/ogc/collections/{c['id']}/items"),
                               "bbox": c["extent"]["spatial"]["bbox"]} for c in collections]
    return render("ogc-api.html", lang, site, path, **context)

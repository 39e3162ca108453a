"""How every page answers: the reader's language, the format, the page number, and cached bodies.

Shared by the documents (:mod:`endpoint.pages.routes`, and its fast path
:mod:`endpoint.pages.fast_path`) and the ways in (:mod:`endpoint.pages.browse`), so that
they all answer the same way: the reader's language from ``?lang=`` or
``Accept-Language``, a format by suffix, ``?format=`` or ``Accept``, ETags that are the
hash of the body, 304s from a per-build table (:mod:`endpoint.answer_headers` makes the
validators; :mod:`endpoint.pages.build_indexes` keeps them).
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from endpoint import conneg
from endpoint.answer_headers import etag_matches, etag_of, not_modified
from endpoint.errors import HTTPProblem
from endpoint.layout import reader_language
from endpoint.layout import render as render_layout
from endpoint.pages.build_indexes import Cached, Site, current_site, ready_site
from endpoint.pages.view_models import Lang
from kg.media import DOCUMENT_FORMATS, GEOJSON, JSON_AS_JSONLD, JSONLD, Format

#: What a document offers, RDF first: a client that rates everything alike (``*/*``) gets Turtle;
#: browsers ask for text/html by name.
#: GeoJSON last: offered to a client that names it, never chosen for ``*/*``; a document
#: without a geometry refuses it (406) when it is asked for.
OFFERS: tuple[Format, ...] = (*DOCUMENT_FORMATS, JSON_AS_JSONLD, GEOJSON)
BY_SUFFIX: dict[str, Format] = {f.suffix: f for f in (*DOCUMENT_FORMATS, GEOJSON)} | {"json": JSONLD}
MAX_PAGE = 100_000
CACHE_CONTROL = "public, max-age=300"


async def site_of(request: Request) -> Site:
    """The site of the live build; made in a worker thread when a new build appeared."""
    site = ready_site(request.app)
    if site is None:
        site = await run_in_threadpool(current_site, request.app)
    return site


def language(request: Request, site: Site) -> Lang:
    """The reader's language, with this build's labels and paths."""
    code, explicit = reader_language(request)
    return Lang(code, explicit, site.labels, site.uris)


def number_from(raw: str) -> int:
    """The ``pagina`` parameter as a page number (400 unless 1 … MAX_PAGE)."""
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise HTTPProblem(400, f"'pagina' must be a whole number from 1 to {MAX_PAGE}, not {raw[:20]!r}.",
                          key="error_page_number", params={"max": MAX_PAGE, "value": raw[:20]})
    return int(raw)


def page_number(request: Request) -> int:
    return number_from(request.query_params.get("pagina", "1"))


def format_from(suffix: str | None, name: str | None, accept: str | None) -> tuple[Format, bool]:
    """(format, negotiated): a suffix or ?format= is an explicit choice; else the Accept header decides."""
    if suffix:
        return BY_SUFFIX[suffix], False
    if name:
        fmt = JSONLD if name.strip().lower() == "json" else conneg.by_name(name, (*DOCUMENT_FORMATS, GEOJSON))
        if fmt is None:
            raise HTTPProblem(400, f"Unknown format {name[:40]!r}: use one of ttl, jsonld, nt, rdf, html (geojson for a place).",
                              key="error_format", params={"value": name[:40], "formats": "ttl, jsonld, json, nt, rdf, html, geojson"})
        return fmt, False
    fmt = conneg.negotiate(accept, OFFERS)
    if fmt is None:
        offered = ", ".join(f.media_type for f in DOCUMENT_FORMATS)
        raise HTTPProblem(406, f"None of the formats you accept is available here; this document comes as {offered}.")
    return fmt, True


def choose_format(request: Request, suffix: str | None) -> tuple[Format, bool]:
    return format_from(suffix, request.query_params.get("format"), request.headers.get("accept"))


def render(name: str, lang: Lang, site: Site, switch_path: str, **context: Any) -> bytes:
    """A page of this build in the site's layout (the home page shows the build's counts)."""
    return render_layout(name, lang, switch_path, counts=site.counts, **context)


def sparql_url(query: str, lang: Lang) -> str:
    """The query page with ``query`` filled in, in the reader's language when they chose one."""
    return "/sparql?query=" + quote(query, safe="") + (f"&lang={lang.code}" if lang.explicit else "")


def from_cache(site: Site, key: tuple[Any, ...], if_none_match: str | None, if_modified_since: str | None) -> Response | None:
    """The answer kept for ``key`` in this build, or None: a 304 from the table of validators
    (which outlives the bodies) when the client's copy is current, else the kept body.

    The routed answer (:func:`respond`) and the fast path both start here, so a cached
    answer is the same bytes and headers whichever path sends it; it never leaves the event loop.
    """
    validator = site.etags.get(key)
    if validator is not None and if_none_match is not None and etag_matches(if_none_match, validator.etag):
        return Response(status_code=304, headers=validator.headers)
    cached = site.responses.get(key)
    if cached is None:
        return None
    return cached_response(cached, if_none_match, if_modified_since)


def cached_response(cached: Cached, if_none_match: str | None, if_modified_since: str | None) -> Response:
    """The answer for a cached body: 304 when the client's copy is current, else the body."""
    if not_modified(if_none_match, if_modified_since, cached.etag, cached.last_modified):
        return Response(status_code=304, headers=cached.headers)
    return Response(cached.body, media_type=cached.media_type, headers=cached.headers)


Produce = Callable[[], "tuple[bytes, str | None, dict[str, str]]"]


async def respond(request: Request, site: Site, key: tuple[Any, ...], media_type: str,
                  produce: Produce, headers: dict[str, str] | None = None) -> Response:
    """A cached, validated answer: 304 when the client's copy is current, else the body.

    ``produce`` makes (body, Last-Modified, more headers) and runs only on a cache miss, in
    a worker thread (it queries the store). The ETag is the hash of the body; the headers
    of an answer depend only on its key, so they are kept with it.
    """
    inm, ims = request.headers.get("if-none-match"), request.headers.get("if-modified-since")
    kept = from_cache(site, key, inm, ims)
    if kept is not None:
        return kept
    body, modified, extra = await run_in_threadpool(produce)
    cached = keep(site, key, media_type, body, modified, {**(headers or {})}, extra)
    return cached_response(cached, inm, ims)


def keep(site: Site, key: tuple[Any, ...], media_type: str, body: bytes, modified: str | None,
          headers: dict[str, str], extra: dict[str, str]) -> Cached:
    """Put a fresh body in the build's caches with every header it is answered with."""
    tag = etag_of(body)
    final = {"Cache-Control": CACHE_CONTROL, **headers}
    for name, value in extra.items():
        final[name] = f"{final[name]}, {value}" if name in final else value
    final["ETag"] = tag
    if modified:
        final["Last-Modified"] = modified
    cached = Cached(body, tag, media_type, modified, final)
    site.responses.put(key, cached, len(body) + 200)
    site.etags.put(key, cached.validator)
    return cached

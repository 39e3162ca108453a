"""How every page answers: templates, languages, formats, validators and caching.

Shared by :mod:`endpoint.pages.routes` (documents) and :mod:`endpoint.pages.browse` (home, lists,
search), so that both answer the same way: Jinja2 with autoescape on (a ``<script>``
in the data shows as text), the reader's language from ``?lang=`` or
``Accept-Language``, ETags that are the hash of the body, 304s from a per-build table.
"""

from __future__ import annotations

import email.utils
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from endpoint import conneg, i18n
from endpoint.conneg import negotiate
from endpoint.errors import HTTPProblem
from endpoint.pages.build_indexes import Cached, Site, current_site, ready_site
from endpoint.pages.documents import etag as body_etag
from endpoint.pages.view_models import Lang
from kg.media import DOCUMENT_FORMATS, JSONLD, Format

TEMPLATES_DIR = Path(__file__).parent / "templates"

templates = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

#: ``application/json`` gets the JSON-LD (it is plain JSON with a context), labelled as asked.
JSON_AS_JSONLD = Format("application/json", "jsonld", "JSON", rdf=ox.RdfFormat.JSON_LD)
#: What a document offers, RDF first: a client that rates everything alike (``*/*``) gets Turtle;
#: browsers ask for text/html by name.
OFFERS: tuple[Format, ...] = (*DOCUMENT_FORMATS, JSON_AS_JSONLD)
BY_SUFFIX: dict[str, Format] = {f.suffix: f for f in DOCUMENT_FORMATS}
MAX_PAGE = 100_000
CACHE_CONTROL = "public, max-age=300"


async def site_of(request: Request) -> Site:
    """The site of the live build; made in a worker thread when a new build appeared."""
    site = ready_site(request.app)
    if site is None:
        site = await run_in_threadpool(current_site, request.app)
    return site


def reader_language(request: Request) -> tuple[str, bool]:
    """(language code, explicit) the reader asked for: ``?lang=`` else ``Accept-Language``."""
    return i18n.choose(request.query_params.get("lang"), request.headers.get("accept-language"))


def language(request: Request, site: Site) -> Lang:
    code, explicit = reader_language(request)
    return Lang(code, explicit, site.labels, site.uris)


def number_from(raw: str) -> int:
    """The ``pagina`` parameter as a page number (400 unless 1 … MAX_PAGE)."""
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise HTTPProblem(400, f"'pagina' must be a whole number from 1 to {MAX_PAGE}, not {raw[:20]!r}.")
    return int(raw)


def page_number(request: Request) -> int:
    return number_from(request.query_params.get("pagina", "1"))


def format_from(suffix: str | None, name: str | None, accept: str | None) -> tuple[Format, bool]:
    """(format, negotiated): a suffix or ?format= is an explicit choice; else the Accept header decides."""
    if suffix:
        return BY_SUFFIX[suffix], False
    if name:
        fmt = JSONLD if name.strip().lower() == "json" else conneg.by_name(name, DOCUMENT_FORMATS)
        if fmt is None:
            raise HTTPProblem(400, f"Unknown format {name[:40]!r}: use one of ttl, jsonld, nt, rdf, html.")
        return fmt, False
    fmt = negotiate(accept, OFFERS)
    if fmt is None:
        offered = ", ".join(f.media_type for f in DOCUMENT_FORMATS)
        raise HTTPProblem(406, f"None of the formats you accept is available here; this document comes as {offered}.")
    return fmt, True


def choose_format(request: Request, suffix: str | None) -> tuple[Format, bool]:
    return format_from(suffix, request.query_params.get("format"), request.headers.get("accept"))


def http_date(day: str | None) -> str | None:
    if not day:
        return None
    try:
        moment = datetime.strptime(day[:10], "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return email.utils.format_datetime(moment, usegmt=True)


def etag_matches(if_none_match: str, tag: str) -> bool:
    candidates = [c.strip() for c in if_none_match.split(",")]
    return "*" in candidates or tag in candidates or f"W/{tag}" in candidates


def not_modified(if_none_match: str | None, if_modified_since: str | None, tag: str, last_modified: str | None) -> bool:
    """Is the client's copy current? ``If-None-Match`` decides when sent, else ``If-Modified-Since``."""
    if if_none_match is not None:
        return etag_matches(if_none_match, tag)
    if if_modified_since and last_modified:
        try:
            return email.utils.parsedate_to_datetime(if_modified_since) >= email.utils.parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            return False
    return False


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
    a worker thread (it queries the store); a hit never leaves the event loop. The ETag is
    the hash of the body; the headers of an answer depend only on its key, so they are
    kept with it, and a 304 is answered from the per-build table of validators (which
    outlives the bodies) by one lookup.
    """
    inm, ims = request.headers.get("if-none-match"), request.headers.get("if-modified-since")
    validator = site.etags.get(key)
    if validator is not None and inm is not None and etag_matches(inm, validator.etag):
        return Response(status_code=304, headers=validator.headers)
    cached = site.responses.get(key)
    if cached is None:
        body, modified, extra = await run_in_threadpool(produce)
        tag = body_etag(body)
        final = {"Cache-Control": CACHE_CONTROL, **(headers or {})}
        for name, value in extra.items():
            final[name] = f"{final[name]}, {value}" if name in final else value
        final["ETag"] = tag
        if modified:
            final["Last-Modified"] = modified
        cached = Cached(body, tag, media_type, modified, final)
        site.responses.put(key, cached, len(body) + 200)
        site.etags.put(key, cached.validator)
    return cached_response(cached, inm, ims)


def render(name: str, lang: Lang, site: Site, switch_path: str, **context: Any) -> bytes:
    """A page from a template, with what every page needs (language, texts, switch links)."""
    other = "en" if lang.code == "nl" else "nl"
    query = {k: v for k, v in context.pop("query", {}).items() if v not in (None, "", [])}
    switch = switch_path + "?" + urlencode([*_flatten(query), ("lang", other)])
    html = templates.get_template(name).render(
        lang=lang, t=lang.t, site=site, counts=site.counts, switch_url=switch, other_lang=other, **context
    )
    return html.encode("utf-8")


def _flatten(query: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k, v in query.items():
        for item in (v if isinstance(v, list) else [v]):
            out.append((k, str(item)))
    return out


def sparql_url(query: str) -> str:
    return "/sparql?query=" + quote(query, safe="")


def error_page(request: Request, status: int, title: str, detail: str) -> bytes | None:
    """The HTML error page in the site's layout and the reader's language; None when no
    build is being served yet (the error handler then answers with its plain page)."""
    app = request.scope.get("app")
    site = ready_site(app) if app is not None else None
    if site is None:
        return None
    lang = language(request, site)
    heading = lang.t.get(f"error_{status}", lang.t["error_other"] if status >= 500 else title)
    return render("error.html", lang, site, "/", status=status, title=title, heading=heading, detail=detail)

"""Linked-data pages: every IRI dereferences, for people and for code.

Routes (all answer GET and HEAD)::

    /id/{concept}/{ref}        303 → /doc/…; 301 for a merged duplicate; 410 for a withdrawn IRI; 404
    /doc/{concept}/{ref}[.ext] the document: HTML, Turtle, JSON-LD, N-Triples, RDF/XML
                               by Accept (q-values), by suffix or by ?format=; ?pagina=N for incoming links
    /ns/circulair[.ext]        the ontology: documentation page or RDF
    /ns/context.jsonld         the published JSON-LD context
    /                          home: counts and the ways in
    /praktijken /organisaties /gemeenten /themas /financiering /zoeken   browse lists and search
    (/static/… with the style sheet is served by endpoint.assets)

Every answer of a document carries ``Vary``, ``Content-Location``, ``Link: rel=alternate``
for the other formats, an ``ETag`` (hash of the body) and ``Last-Modified`` (the thing's
``dct:modified``, else the build date), and a matching ``If-None-Match`` gets a 304 from
the per-build ETag table without any query (:mod:`endpoint.pages.build_indexes`).

Redirects only ever go to paths built from a validated ``concept/ref`` (:mod:`endpoint.pages.uris`),
so no parameter can send a reader to another host.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from endpoint import conneg, i18n
from endpoint.errors import HTTPProblem
from endpoint.headers import CORS, raw_headers
from endpoint.pages.build_indexes import Site, ready_site
from endpoint.pages.documents import etag as body_etag
from endpoint.pages.documents import rdf_bytes
from endpoint.pages.page_kinds import build_page, schema_json
from endpoint.pages.uris import Target
from endpoint.pages.view_models import Lang
from endpoint.responses import (
    BY_SUFFIX,
    CACHE_CONTROL,
    cached_response,
    choose_format,
    etag_matches,
    format_from,
    http_date,
    language,
    number_from,
    render,
    respond,
    site_of,
    sparql_url,
)
from kg.media import DOCUMENT_FORMATS, HTML, Format

router = APIRouter()

STATIC_DIR = Path(__file__).parent.parent / "static"



def _target(site: Site, concept: str, ref: str, allow_suffix: bool) -> Target:
    target = site.uris.parse(concept, ref, allow_suffix=allow_suffix)
    if target is None:
        raise HTTPProblem(404, f"There is no /{'doc' if allow_suffix else 'id'}/{concept}/{ref} here: "
                               "not a kind of thing this graph publishes, or not a valid reference.")
    return target


def _gone_or_moved(site: Site, target: Target, space: str) -> Response | None:
    redirect = site.redirects.get(target.key)
    if redirect is None:
        return None
    if redirect.status == 410:
        raise HTTPProblem(410, redirect.reason or f"{target.id_path} was withdrawn and no longer describes anything.")
    assert redirect.target is not None
    location = f"/{space}/{redirect.target}" + (f".{target.suffix}" if target.suffix else "")
    return Response(status_code=301, headers={"Location": location, "Cache-Control": CACHE_CONTROL})


@functools.lru_cache(maxsize=4)
def _static_file(name: str) -> tuple[bytes, str]:
    """A file of ``endpoint/static`` and its ETag, read once per process (only fixed names are asked)."""
    body = (STATIC_DIR / name).read_bytes()
    return body, body_etag(body)


# --- routes ---------------------------------------------------------------------


@router.api_route("/ns/context.jsonld", methods=["GET", "HEAD"], tags=["linked data"])
async def context_document(request: Request) -> Response:
    """The published JSON-LD ``@context`` of every document (short Dutch keys)."""
    body, tag = _static_file("context.jsonld")
    headers = {"ETag": tag, "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") and etag_matches(request.headers["if-none-match"], tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/ld+json", headers=headers)


@router.api_route("/ns/circulair{suffix:path}", methods=["GET", "HEAD"], tags=["linked data"])
async def ontology(request: Request, suffix: str = "") -> Response:
    """The ontology: an HTML documentation page for people, RDF for code."""
    from endpoint.pages import ontology as onto

    if suffix and (not suffix.startswith(".") or suffix[1:] not in BY_SUFFIX):
        raise HTTPProblem(404, f"There is no /ns/circulair{suffix[:40]} here.")
    site = await site_of(request)
    fmt, negotiated = choose_format(request, suffix[1:] if suffix else None)
    lang = language(request, site)
    triples = onto.triples(site)
    if not triples:
        raise HTTPProblem(404, "The ontology is not in this build.")
    key = ("ns", fmt.media_type, lang.code if fmt is HTML else "", lang.explicit if fmt is HTML else False)

    def produce() -> tuple[bytes, str | None, dict[str, str]]:
        if fmt is HTML:
            return render("ontology.html", lang, site, "/ns/circulair", doc=onto.document(site, triples, lang),
                          formats=_format_links("/ns/circulair"),
                          sparql=sparql_url(f"SELECT ?term ?label WHERE {{ GRAPH <{site.uris.base}/graph/ontology> "
                                            f"{{ ?term <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}")), None, {}
        assert fmt.rdf is not None
        return rdf_bytes(triples, fmt.rdf, site.prefixes), None, {}

    return await respond(request, site, key, fmt.content_type, produce, _document_headers("/ns/circulair", fmt, negotiated, ""))


def _format_links(path: str) -> list[tuple[str, str, str]]:
    return [(f.label, f"{path}.{f.suffix}", f.media_type) for f in DOCUMENT_FORMATS if f is not HTML]


def _document_headers(path: str, fmt: Format, negotiated: bool, query: str) -> dict[str, str]:
    suffix = "html" if fmt is HTML else fmt.suffix
    links = [f'<{path}.{f.suffix}{query}>; rel="alternate"; type="{f.media_type}"' for f in DOCUMENT_FORMATS
             if f.media_type != fmt.media_type]
    headers = {"Content-Location": f"{path}.{suffix}{query}", "Link": ", ".join(links)}
    if negotiated:
        headers["Vary"] = "Accept, Accept-Language"
    elif fmt is HTML:
        headers["Vary"] = "Accept-Language"
    return headers


@router.api_route("/id/{concept}/{ref:path}", methods=["GET", "HEAD"], tags=["linked data"], status_code=303)
async def thing(request: Request, concept: str, ref: str) -> Response:
    """A thing's IRI: 303 See Other to the document about it (or 301/410/404)."""
    site = await site_of(request)
    target = _target(site, concept, ref, allow_suffix=False)
    moved = _gone_or_moved(site, target, "id")
    if moved is not None:
        return moved
    known = site.known(target)
    if known is None:
        known = await run_in_threadpool(site.exists, target)
    if not known:
        raise HTTPProblem(404, f"The graph knows nothing about {target.iri}.")
    params = []
    lang_param = request.query_params.get("lang")
    if lang_param in i18n.LANGUAGES:
        params.append(("lang", lang_param))
    fmt_param = request.query_params.get("format")
    if fmt_param and (fmt_param == "json" or conneg.by_name(fmt_param, DOCUMENT_FORMATS)):
        params.append(("format", fmt_param))
    location = target.doc_path + ("?" + urlencode(params) if params else "")
    return Response(status_code=303, headers={"Location": location, "Vary": "Accept", "Cache-Control": CACHE_CONTROL})


@dataclass(frozen=True)
class DocRequest:
    """What a request for a document asks: the same for the routed and the fast path."""

    target: Target
    fmt: Format
    negotiated: bool
    number: int
    lang_code: str
    lang_explicit: bool
    public_root: str

    @property
    def is_html(self) -> bool:
        return self.fmt.media_type == HTML.media_type

    @property
    def key(self) -> tuple[Any, ...]:
        """The cache key: everything the bytes of the answer depend on."""
        return ("doc", self.target.key, self.number, self.fmt.media_type, self.lang_code if self.is_html else "",
                self.lang_explicit if self.is_html else False, self.public_root if self.fmt.suffix == "jsonld" else "")


def doc_request(site: Site, target: Target, params: Mapping[str, str], headers: Mapping[str, str], base_url: Callable[[], str]) -> DocRequest:
    """Read format, page and language of a document request (raises HTTPProblem)."""
    fmt, negotiated = format_from(target.suffix, params.get("format"), headers.get("accept"))
    number = number_from(params.get("pagina", "1"))
    code, explicit = i18n.choose(params.get("lang"), headers.get("accept-language"))
    public_root = site.settings.public_url or (base_url() if fmt.suffix == "jsonld" else "")
    return DocRequest(target, fmt, negotiated, number, code, explicit, public_root.rstrip("/"))


@router.api_route("/doc/{concept}/{ref:path}", methods=["GET", "HEAD"], tags=["linked data"])
async def document(request: Request, concept: str, ref: str) -> Response:
    """The document about a thing, in the format asked for."""
    site = await site_of(request)
    target = _target(site, concept, ref, allow_suffix=True)
    moved = _gone_or_moved(site, target, "doc")
    if moved is not None:
        return moved
    ask = doc_request(site, target, request.query_params, request.headers, lambda: str(request.base_url))
    fmt, number = ask.fmt, ask.number
    lang = Lang(ask.lang_code, ask.lang_explicit, site.labels, site.uris)
    query = f"?pagina={number}" if number > 1 else ""
    headers = _document_headers(target.doc_path, fmt, ask.negotiated, query)

    def produce() -> tuple[bytes, str | None, dict[str, str]]:
        desc = site.description(target, number)
        if desc is None or (number > 1 and not desc.incoming):
            raise HTTPProblem(404, f"The graph knows nothing about {target.iri}" + (f" on page {number}." if number > 1 else "."))
        modified = http_date(desc.modified)
        extra = {}
        if desc.has_next:
            extra["Link"] = f'<{target.doc_path}.{"html" if ask.is_html else fmt.suffix}?pagina={number + 1}>; rel="next"'
        if ask.is_html:
            page = build_page(site, desc, target.concept, lang, number)
            return render(
                page.template, lang, site, target.doc_path, page=page, d=page.data, main=page.main,
                formats=_format_links(target.doc_path), schema=schema_json(page.schema), sparql=sparql_url(page.sparql),
                iri=target.iri, doc_path=target.doc_path, number=number, query={"pagina": number if number > 1 else None},
            ), modified, extra
        return desc.serialize(fmt, site.prefixes, f"{ask.public_root}/ns/context.jsonld"), modified, extra

    return await respond(request, site, ask.key, fmt.content_type, produce, headers)


# --- the fast path ------------------------------------------------------------------------

_DOC_PARAMS = frozenset({"format", "pagina", "lang"})
#: What the application's CORS middleware adds (endpoint/app.py); the fast path must answer alike.
_CORS_SIMPLE = raw_headers(CORS)


class PagesFastPath:
    """Pure ASGI: answers a ``GET``/``HEAD`` of a document that is already in the cache.

    Routing a request through FastAPI's router costs more than the answer itself (dozens
    of route patterns, dependency solving); for a cached document everything needed is a
    few dictionary lookups. Anything else — a miss, a redirect, an error, parameters this
    path does not know — goes on to the application untouched, which then fills the
    cache. Both paths compute the key with :func:`doc_request` and send the headers kept
    with the cached answer, plus what the CORS middleware would add; a test compares them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and scope["path"].startswith("/doc/"):
            hit = self._hit(scope)
            if hit is not None:
                response, origin = hit
                await response(scope, receive, _with_cors(send, origin))
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _hit(scope: Scope) -> tuple[Response, bool] | None:
        app = scope.get("app")
        site = ready_site(app) if app is not None else None
        if site is None:
            return None
        concept, _, ref = scope["path"][len("/doc/"):].partition("/")
        target = site.uris.parse(concept, ref)
        if target is None or site.redirects.get(target.key) is not None:
            return None
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        params = dict(pairs)
        if len(params) != len(pairs) or not params.keys() <= _DOC_PARAMS:
            return None
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.decode("latin-1"), value.decode("latin-1"))
        try:
            ask = doc_request(site, target, params, headers, lambda: str(Request(scope).base_url))
        except HTTPProblem:
            return None
        inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
        validator = site.etags.get(ask.key)
        if validator is not None and inm is not None and etag_matches(inm, validator.etag):
            return Response(status_code=304, headers=validator.headers), "origin" in headers
        cached = site.responses.get(ask.key)
        if cached is None:
            return None
        return cached_response(cached, inm, ims), "origin" in headers


def _with_cors(send: Send, origin: bool) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if origin:
                headers = [h for h in headers if h[0] not in (b"access-control-allow-origin", b"access-control-expose-headers")]
                headers += _CORS_SIMPLE
            vary = [v for k, v in headers if k == b"vary"]
            headers = [h for h in headers if h[0] != b"vary"] + [(b"vary", b", ".join([*vary, b"Origin"]))]
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


#: Registered by :mod:`endpoint.app` in front of everything (see ``_ROUTER_MODULES``).
middleware = PagesFastPath

"""Linked-data pages: every IRI dereferences, for people and for code.

Routes (all answer GET and HEAD)::

    /id/{concept}/{ref}        303 → /doc/…; 301 for a merged duplicate; 410 for a withdrawn IRI; 404
    /doc/{concept}/{ref}[.ext] the document: HTML, Turtle, JSON-LD, N-Triples, RDF/XML (and GeoJSON
                               for a place) by Accept (q-values), by suffix or by ?format=; ?pagina=N for incoming links
    /ns/circulair[.ext]        the ontology: documentation page or RDF
    /ns/context.jsonld         the published JSON-LD context
    (the home page, browse lists and search are :mod:`endpoint.pages.browse`;
    /static/… with the style sheet is served by :mod:`endpoint.assets`)

Every answer of a document carries ``Vary``, ``Content-Location``, ``Link: rel=alternate``
for the other formats, an ``ETag`` (hash of the body) and ``Last-Modified`` (the thing's
``dct:modified``, else the build date), and a matching ``If-None-Match`` gets a 304 from
the per-build ETag table without any query (:mod:`endpoint.pages.build_indexes`). A
document already in the cache is answered by :mod:`endpoint.pages.fast_path` before the
router, through the same functions.

Redirects only ever go to paths built from a validated ``concept/ref`` (:meth:`kg.rdf.iris.Iris.parse`),
so no parameter can send a reader to another host.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from endpoint import conneg, i18n
from endpoint.answer_headers import etag_matches, etag_of, http_date
from endpoint.caching import LRU
from endpoint.errors import HTTPProblem
from endpoint.pages import ontology as onto
from endpoint.pages.document_requests import (
    doc_request,
    document_headers,
    format_links,
    gone_or_moved,
    target_of,
    without_trailing_slash,
)
from endpoint.pages.documents import rdf_bytes
from endpoint.pages.fast_path import PagesFastPath
from endpoint.pages.geojson_answers import document_feature
from endpoint.pages.page_answers import (
    BY_SUFFIX,
    CACHE_CONTROL,
    choose_format,
    language,
    render,
    respond,
    site_of,
    sparql_url,
)
from endpoint.pages.page_kinds import build_page, schema_json
from endpoint.pages.page_model import best_label, query_comment
from endpoint.pages.view_models import Lang
from kg.media import DOCUMENT_FORMATS, GEOJSON, HTML
from kg.namespaces import RDFS

router = APIRouter()

STATIC_DIR = Path(__file__).parent.parent / "static"

#: Files of ``endpoint/static`` served here with their ETag, read once per process (only fixed names are asked).
_STATIC: LRU[str, tuple[bytes, str]] = LRU(4)


def _static_file(name: str) -> tuple[bytes, str]:
    def read() -> tuple[bytes, str]:
        body = (STATIC_DIR / name).read_bytes()
        return body, etag_of(body)

    return _STATIC.get_or_make(name, read)


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
            query = (query_comment(lang, "q_ontology") + "SELECT ?term (MIN(?termLabel) AS ?label) WHERE {\n"
                     f"  GRAPH <{site.uris.ontology_graph().value}> {{ ?term a ?kind .\n"
                     + best_label("termLabel", "?term", f"<{RDFS.label.value}>", lang.code) + "  }\n} GROUP BY ?term ORDER BY ?label")
            return render("ontology.html", lang, site, "/ns/circulair", doc=onto.document(site, triples, lang),
                          formats=format_links("/ns/circulair"), sparql=sparql_url(query, lang)), None, {}
        assert fmt.rdf is not None
        return rdf_bytes(triples, fmt.rdf, site.prefixes), None, {}

    return await respond(request, site, key, fmt.content_type, produce, document_headers("/ns/circulair", fmt, negotiated, ""))


@router.api_route("/id/{concept}/{ref:path}", methods=["GET", "HEAD"], tags=["linked data"], status_code=303)
async def thing(request: Request, concept: str, ref: str) -> Response:
    """A thing's IRI: 303 See Other to the document about it (or 301/410/404)."""
    slash = without_trailing_slash(request.url.path, request.url.query)
    if slash is not None:
        return slash
    site = await site_of(request)
    target = target_of(site, concept, ref, allow_suffix=False)
    moved = gone_or_moved(site, target, "id")
    if moved is not None:
        return moved
    known = site.known(target)
    if known is None:
        known = await run_in_threadpool(site.exists, target)
    if not known:
        raise HTTPProblem(404, f"The graph knows nothing about {target.iri}.", key="error_unknown_thing",
                          params={"iri": target.iri})
    params = []
    lang_param = request.query_params.get("lang")
    if lang_param in i18n.LANGUAGES:
        params.append(("lang", lang_param))
    fmt_param = request.query_params.get("format")
    if fmt_param and (fmt_param == "json" or conneg.by_name(fmt_param, (*DOCUMENT_FORMATS, GEOJSON))):
        params.append(("format", fmt_param))
    location = target.doc_path + ("?" + urlencode(params) if params else "")
    return Response(status_code=303, headers={"Location": location, "Vary": "Accept", "Cache-Control": CACHE_CONTROL})


@router.api_route("/doc/{concept}/{ref:path}", methods=["GET", "HEAD"], tags=["linked data"])
async def document(request: Request, concept: str, ref: str) -> Response:
    """The document about a thing, in the format asked for."""
    slash = without_trailing_slash(request.url.path, request.url.query)
    if slash is not None:
        return slash
    site = await site_of(request)
    target = target_of(site, concept, ref, allow_suffix=True)
    moved = gone_or_moved(site, target, "doc")
    if moved is not None:
        return moved
    ask = doc_request(site, target, request.query_params, request.headers, lambda: str(request.base_url))
    fmt, number = ask.fmt, ask.number
    lang = Lang(ask.lang_code, ask.lang_explicit, site.labels, site.uris)
    query = f"?pagina={number}" if number > 1 else ""
    headers = document_headers(target.doc_path, fmt, ask.negotiated, query)

    def produce() -> tuple[bytes, str | None, dict[str, str]]:
        desc = site.description(target, number)
        if desc is None or (number > 1 and not desc.incoming):
            raise HTTPProblem(404, f"The graph knows nothing about {target.iri}" + (f" on page {number}." if number > 1 else "."),
                              key="error_unknown_thing" if number == 1 else "error_unknown_page",
                              params={"iri": target.iri, "page": number})
        modified = http_date(desc.modified)
        extra = {}
        if desc.has_next:
            extra["Link"] = f'<{target.doc_path}.{"html" if ask.is_html else fmt.suffix}?pagina={number + 1}>; rel="next"'
        if ask.is_html:
            page = build_page(site, desc, target.concept, lang, number)
            return render(
                page.template, lang, site, target.doc_path, page=page, d=page.data, main=page.main,
                formats=format_links(target.doc_path), schema=schema_json(page.schema), sparql=sparql_url(page.sparql, lang),
                iri=target.iri, doc_path=target.doc_path, number=number, query={"pagina": number if number > 1 else None},
            ), modified, extra
        if fmt is GEOJSON:
            return document_feature(site, desc, target.concept, target.doc_path), modified, extra
        return desc.serialize(fmt, site.prefixes, f"{ask.public_root}/ns/context.jsonld"), modified, extra

    return await respond(request, site, ask.key, fmt.content_type, produce, headers)


#: Registered by :mod:`endpoint.app` in front of everything (see ``_ROUTER_MODULES``).
middleware = PagesFastPath

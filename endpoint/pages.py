"""Linked-data pages: every IRI dereferences, for people and for code.

Routes (all answer GET and HEAD)::

    /id/{concept}/{ref}        303 → /doc/…; 301 for a merged duplicate; 410 for a withdrawn IRI; 404
    /doc/{concept}/{ref}[.ext] the document: HTML, Turtle, JSON-LD, N-Triples, RDF/XML
                               by Accept (q-values), by suffix or by ?format=; ?pagina=N for incoming links
    /ns/circulair[.ext]        the ontology: documentation page or RDF
    /ns/context.jsonld         the published JSON-LD context
    /                          home: counts and the ways in
    /praktijken /organisaties /gemeenten /themas /financiering /zoeken   browse lists and search
    /static/{name}             the style sheet (a fixed list of files, nothing else)

Every answer of a document carries ``Vary``, ``Content-Location``, ``Link: rel=alternate``
for the other formats, an ``ETag`` (hash of the body) and ``Last-Modified`` (the thing's
``dct:modified``, else the build date), and a matching ``If-None-Match`` gets a 304 from
the per-build ETag table without any query (:mod:`endpoint.site`).

Redirects only ever go to paths built from a validated ``concept/ref`` (:mod:`endpoint.uris`),
so no parameter can send a reader to another host.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from endpoint import conneg, i18n, jsonld
from endpoint.conneg import DOCUMENT_FORMATS, HTML, Format
from endpoint.describe import etag as body_etag
from endpoint.describe import rdf_bytes
from endpoint.errors import HTTPProblem
from endpoint.kinds import build_page, schema_json
from endpoint.responses import (
    BY_SUFFIX,
    CACHE_CONTROL,
    choose_format,
    etag_matches,
    http_date,
    language,
    page_number,
    render,
    respond,
    site_of,
    sparql_url,
)
from endpoint.site import Site
from endpoint.uris import Target

router = APIRouter()

STATIC_DIR = Path(__file__).parent / "static"

#: Static files served, by name; nothing else under /static can be reached.
STATIC_FILES: dict[str, str] = {"site.css": "text/css; charset=utf-8", "context.jsonld": "application/ld+json"}


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


# --- routes ---------------------------------------------------------------------


@router.api_route("/static/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def static(request: Request, name: str) -> Response:
    """The style sheet and the JSON-LD context: a fixed list of files, nothing else."""
    media = STATIC_FILES.get(name)
    if media is None:
        raise HTTPProblem(404, f"There is no static file {name[:60]!r}.")
    body = (STATIC_DIR / name).read_bytes()
    tag = body_etag(body)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") and etag_matches(request.headers["if-none-match"], tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


@router.api_route("/ns/context.jsonld", methods=["GET", "HEAD"], tags=["linked data"])
def context_document(request: Request) -> Response:
    """The published JSON-LD ``@context`` of every document (short Dutch keys)."""
    body = jsonld.context_bytes()
    tag = body_etag(body)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=86400"}
    if request.headers.get("if-none-match") and etag_matches(request.headers["if-none-match"], tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/ld+json", headers=headers)


@router.api_route("/ns/circulair{suffix:path}", methods=["GET", "HEAD"], tags=["linked data"])
def ontology(request: Request, suffix: str = "") -> Response:
    """The ontology: an HTML documentation page for people, RDF for code."""
    from endpoint import ontology as onto

    if suffix and (not suffix.startswith(".") or suffix[1:] not in BY_SUFFIX):
        raise HTTPProblem(404, f"There is no /ns/circulair{suffix[:40]} here.")
    site = site_of(request)
    fmt, negotiated = choose_format(request, suffix[1:] if suffix else None)
    lang = language(request, site)
    triples = onto.triples(site)
    if not triples:
        raise HTTPProblem(404, "The ontology is not in this build.")
    key = ("ns", fmt.media_type, lang.code if fmt is HTML else "", lang.explicit if fmt is HTML else False)

    def produce() -> tuple[bytes, str | None]:
        if fmt is HTML:
            return render("ontology.html", lang, site, "/ns/circulair", doc=onto.document(site, triples, lang),
                          formats=_format_links("/ns/circulair"),
                          sparql=sparql_url(f"SELECT ?term ?label WHERE {{ GRAPH <{site.uris.base}/graph/ontology> "
                                            f"{{ ?term <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}")), None
        assert fmt.rdf is not None
        return rdf_bytes(triples, fmt.rdf, site.prefixes), None

    return respond(request, site, key, fmt.content_type, produce, _document_headers("/ns/circulair", fmt, negotiated, ""))


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
def thing(request: Request, concept: str, ref: str) -> Response:
    """A thing's IRI: 303 See Other to the document about it (or 301/410/404)."""
    site = site_of(request)
    target = _target(site, concept, ref, allow_suffix=False)
    moved = _gone_or_moved(site, target, "id")
    if moved is not None:
        return moved
    if not site.exists(target):
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


@router.api_route("/doc/{concept}/{ref:path}", methods=["GET", "HEAD"], tags=["linked data"])
def document(request: Request, concept: str, ref: str) -> Response:
    """The document about a thing, in the format asked for."""
    site = site_of(request)
    target = _target(site, concept, ref, allow_suffix=True)
    moved = _gone_or_moved(site, target, "doc")
    if moved is not None:
        return moved
    fmt, negotiated = choose_format(request, target.suffix)
    number = page_number(request)
    lang = language(request, site)
    is_html = fmt.media_type == HTML.media_type
    public_root = site.settings.public_url or str(request.base_url).rstrip("/")
    key = ("doc", target.key, number, fmt.media_type, lang.code if is_html else "", lang.explicit if is_html else False,
           public_root if fmt.suffix == "jsonld" else "")
    query = f"?pagina={number}" if number > 1 else ""
    headers = _document_headers(target.doc_path, fmt, negotiated, query)

    def produce() -> tuple[bytes, str | None]:
        desc = site.description(target, number)
        if desc is None or (number > 1 and not desc.incoming):
            raise HTTPProblem(404, f"The graph knows nothing about {target.iri}" + (f" on page {number}." if number > 1 else "."))
        modified = http_date(desc.modified)
        if is_html:
            page = build_page(site, desc, target.concept, lang, number)
            return render(
                page.template, lang, site, target.doc_path, page=page, d=page.data, main=page.main,
                formats=_format_links(target.doc_path), schema=schema_json(page.schema), sparql=sparql_url(page.sparql),
                iri=target.iri, doc_path=target.doc_path, number=number, query={"pagina": number if number > 1 else None},
            ), modified
        return desc.serialize(fmt, site.prefixes, f"{public_root}/ns/context.jsonld"), modified

    response = respond(request, site, key, fmt.content_type, produce, headers)
    desc = site.descriptions.get((target.key, number))
    if desc is not None and desc.has_next:
        next_path = f"{target.doc_path}.{'html' if is_html else fmt.suffix}?pagina={number + 1}"
        response.headers["Link"] = response.headers["Link"] + f', <{next_path}>; rel="next"'
    return response

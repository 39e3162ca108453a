"""Harvesting surfaces: ``/catalog``, ``/.well-known/void``, ``/dumps/``, ``/ldes``, ``/sitemap.xml``.

Every answer here is a file the build wrote into the live build's ``artefacts/`` folder
(``kg.artefacts.layout`` has the layout); this router only picks the file, negotiates the
representation and speaks HTTP properly:

* strong ``ETag``s from the content's SHA-256 (the dumps' own ``.sha256`` files), so an
  unchanged rebuild keeps every ETag; ``Last-Modified``; conditional GET answers ``304``;
* byte ranges (``206``/``416``, Starlette's ``FileResponse``), ``Content-Length``, and files
  streamed from disk in chunks, so memory stays flat whatever the size of a dump;
* file names are looked up in a fixed list (the dumps the build writes), never joined onto a
  folder from the request, so no path can leave the dumps folder;
* LDES pages that are closed are immutable (``Cache-Control: public, max-age=31536000,
  immutable``); the latest page and the stream document are short-lived.

The artefacts carry canonical URLs (``KG_PUBLIC_URL`` or the base IRI). The HTML views map
those onto this server's own paths so that browsing a local copy stays local.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from endpoint.conneg import by_name, negotiate
from endpoint.errors import HTTPProblem
from endpoint.pages.build_indexes import current_site
from endpoint.responses import language, reader_language, render
from endpoint.state import state_of
from kg.artefacts.layout import CATALOG, DUMPS, SITEMAP, VOID, Names, public_base, serialize
from kg.artefacts.reader import LDES_PAGES as PAGES
from kg.artefacts.reader import ArtefactReader, parse_ldes_document
from kg.media import GRAPH_DUMPS, HTML, JSONLD, NQUADS, NTRIPLES, RDFXML, TRIG, TURTLE, Format, with_charset
from kg.settings import Settings
from kg.store.graph_store import GraphStore
from kg.terms import term_value

router = APIRouter(tags=["harvesting"])

#: Representations of the catalogue and the VoID description; RDF first for ``*/*``.
DOCUMENT_OFFERS: tuple[Format, ...] = (TURTLE, JSONLD, RDFXML, NTRIPLES, HTML)
_SUFFIX_OF = {TURTLE: "ttl", JSONLD: "jsonld", RDFXML: "rdf", NTRIPLES: "nt"}
#: Representations of LDES documents: quad formats only (members are named graphs).
LDES_OFFERS: tuple[Format, ...] = (TRIG, NQUADS, JSONLD, HTML)

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"
DUMP_CACHE = "public, max-age=300"

#: Every file that may be served from ``dumps/``: the dumps and their checksums.
DUMP_FILES: dict[str, str] = {
    **{d.file: d.file_media_type for d in GRAPH_DUMPS}, **{f"{d.file}.sha256": "text/plain" for d in GRAPH_DUMPS},
}

# --- helpers ------------------------------------------------------------------------------


def _settings(request: Request) -> Settings:
    settings: Settings = state_of(request.app).settings
    return settings


def _artefacts(request: Request) -> ArtefactReader:
    store: GraphStore = state_of(request.app).store
    return ArtefactReader(store.artefacts_dir)


@lru_cache(maxsize=4096)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    """SHA-256 of a file, cached by (path, mtime, size): artefacts never change in place."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _etag_of(path: Path, stat: os.stat_result) -> str:
    sha_file = path.with_name(path.name + ".sha256")
    if path.parent.name == DUMPS and sha_file.is_file():
        text = sha_file.read_text(encoding="ascii").split()
        if text:
            return f'"{text[0]}"'
    return f'"{_digest(str(path), stat.st_mtime_ns, stat.st_size)}"'


def _not_modified(request: Request, etag: str, mtime: float) -> bool:
    """RFC 9110 §13.1: If-None-Match wins over If-Modified-Since."""
    inm = request.headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            return int(mtime) <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def serve_file(
    request: Request,
    path: Path,
    media_type: str,
    cache_control: str,
    headers: dict[str, str] | None = None,
    etag_suffix: str = "",
) -> Response:
    """A file from disk with ETag, Last-Modified, 304, ranges and streaming."""
    try:
        stat = path.stat()
    except OSError:
        raise HTTPProblem(404, f"There is nothing at {request.url.path} in the current build.") from None
    etag = _etag_of(path, stat)
    if etag_suffix:
        etag = etag[:-1] + f"-{etag_suffix}" + '"'
    common = {
        "ETag": etag,
        "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
        "Cache-Control": cache_control,
        **(headers or {}),
    }
    if _not_modified(request, etag, stat.st_mtime):
        return Response(status_code=304, headers=common)
    return FileResponse(path, media_type=with_charset(media_type), headers=common, stat_result=stat)


def _bytes_response(request: Request, body: bytes, media_type: str, etag: str, cache_control: str,
                    headers: dict[str, str] | None = None) -> Response:
    common = {"ETag": etag, "Cache-Control": cache_control, **(headers or {})}
    if _not_modified(request, etag, 0):
        return Response(status_code=304, headers=common)
    return Response(body, media_type=with_charset(media_type), headers=common)


def _choose(request: Request, offers: Sequence[Format], explicit: str | None = None) -> Format:
    chosen = by_name(explicit or request.query_params.get("format"), offers)
    if chosen is None and (explicit or request.query_params.get("format")):
        raise HTTPProblem(406, "Unknown format; choose one of: " + ", ".join(f.suffix for f in offers) + ".")
    if chosen is None:
        chosen = negotiate(request.headers.get("accept"), offers)
    if chosen is None:
        raise HTTPProblem(406, "None of the formats you accept is available here; this resource comes as "
                          + ", ".join(f.media_type for f in offers) + ".")
    return chosen


def _alternates(path: str, offers: Iterable[Format]) -> str:
    return ", ".join(f'<{path}?format={f.suffix}>; rel="alternate"; type="{f.media_type}"' for f in offers)


def _local(url: str, public: str) -> str:
    """A canonical URL of this service as a path on this server (for links in HTML)."""
    if url.startswith(public + "/"):
        return url[len(public):]
    return url


def _render(request: Request, template: str, switch_path: str, **context: Any) -> bytes:
    """A harvesting page in the site's layout and the reader's language (``harvest/{template}``)."""
    site = current_site(request.app)  # handlers here are sync: FastAPI runs them in a thread
    return render(f"harvest/{template}", language(request, site), site, switch_path, **context)


def _html(request: Request, body: bytes, cache_control: str = SHORT) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest() + '-html"'
    return _bytes_response(request, body, "text/html", etag, cache_control, {"Vary": "Accept, Accept-Language"})


# --- catalogue and VoID ---------------------------------------------------------------------


def _rdf_document(request: Request, stem: str, path: str, fmt_name: str | None, view: str) -> Response:
    chosen = _choose(request, DOCUMENT_OFFERS, fmt_name)
    artefacts = _artefacts(request)
    headers = {"Vary": "Accept", "Link": _alternates(path, DOCUMENT_OFFERS)}
    if chosen is HTML:
        triples = _read_triples(artefacts, stem)
        settings = _settings(request)
        body = _render(request, view, path, **_view_model(stem, triples, Names.of(settings)))
        response = _html(request, body)
        response.headers["Link"] = headers["Link"]
        return response
    return serve_file(request, artefacts.rdf_document(stem, _SUFFIX_OF[chosen]), chosen.media_type, SHORT, headers)


@router.api_route("/catalog", methods=["GET", "HEAD"], summary="DCAT-AP 3 catalogue")
def catalog(request: Request) -> Response:
    """The DCAT-AP 3 catalogue of the knowledge graph (Turtle, JSON-LD, RDF/XML, N-Triples, HTML)."""
    return _rdf_document(request, CATALOG, "/catalog", None, "catalog.html")


@router.api_route("/catalog.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
def catalog_suffix(request: Request, suffix: str) -> Response:
    return _rdf_document(request, CATALOG, "/catalog", suffix, "catalog.html")


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], summary="VoID description")
def void(request: Request) -> Response:
    """The VoID description with statistics of the live build."""
    return _rdf_document(request, VOID, "/.well-known/void", None, "void.html")


@router.api_route("/.well-known/void.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
def void_suffix(request: Request, suffix: str) -> Response:
    return _rdf_document(request, VOID, "/.well-known/void", suffix, "void.html")


def _to_catalog() -> Response:
    """The catalogue's own things (catalogue, dataset, distributions, data services) are
    described by the catalogue document: ``303 See Other`` to it (Flemish URI standard)."""
    return RedirectResponse("/catalog", status_code=303, headers={"Vary": "Accept"})


# Exact paths for the two things whose concept the pages also serve (/id/dataset/… could be
# another dataset there); the distributions and data services are only ever ours.
for _path in ("/id/catalogus/lokaalcirculair", "/id/dataset/lokaalcirculair", "/id/distributie/{ref}", "/id/dataservice/{ref}"):
    router.add_api_route(_path, _to_catalog, methods=["GET", "HEAD"], include_in_schema=False)


def _read_triples(artefacts: ArtefactReader, stem: str) -> list[ox.Triple]:
    triples = artefacts.rdf_document_triples(stem)
    if triples is None:
        raise HTTPProblem(404, "The current build has no such document.")
    return triples


def _text(values: list[Any], lang: str) -> str:
    for value in values:
        if isinstance(value, ox.Literal) and value.language == lang:
            return value.value
    for value in values:
        if isinstance(value, ox.Literal):
            return value.value
    return ""


def _view_model(stem: str, triples: list[ox.Triple], names: Names) -> dict[str, Any]:
    """What the HTML views show, taken from the document's own triples."""
    props: dict[str, dict[str, list[Any]]] = {}
    for t in triples:
        props.setdefault(term_value(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)

    def get(subject: str, predicate: str) -> list[Any]:
        return props.get(subject, {}).get(predicate, [])

    dct, dcat, spdx, void_ns = "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#", "http://spdx.org/rdf/terms#", "http://rdfs.org/ns/void#"
    ds = names.dataset.value
    model: dict[str, Any] = {
        "public": names.public,
        "title_nl": _text(get(ds, dct + "title"), "nl"),
        "title_en": _text(get(ds, dct + "title"), "en"),
        "description_nl": _text(get(ds, dct + "description"), "nl"),
        "description_en": _text(get(ds, dct + "description"), "en"),
        "dataset": ds,
    }
    if stem == CATALOG:
        dists = []
        for dist in sorted(v.value for v in get(ds, dcat + "distribution")):
            url = (get(dist, dcat + "downloadURL") or get(dist, dcat + "accessURL") or [None])[0]
            checksum = (get(dist, spdx + "checksum") or [None])[0]
            sha = _text(get(checksum.value, spdx + "checksumValue"), "") if checksum is not None else ""
            size = _text(get(dist, dcat + "byteSize"), "")
            media = (get(dist, dcat + "mediaType") or [None])[0]
            dists.append({
                "title_nl": _text(get(dist, dct + "title"), "nl"), "title_en": _text(get(dist, dct + "title"), "en"),
                "href": _local(url.value, names.public) if url is not None else "",
                "media": media.value.rsplit("media-types/", 1)[-1] if media is not None else "",
                "size": int(size) if size else None, "sha256": sha,
            })
        services = []
        for service in sorted(v.value for v in get(names.catalog.value, dcat + "service")):
            endpoint = (get(service, dcat + "endpointURL") or [None])[0]
            services.append({
                "title_nl": _text(get(service, dct + "title"), "nl"), "title_en": _text(get(service, dct + "title"), "en"),
                "href": _local(endpoint.value, names.public) if endpoint is not None else "",
                "standards": [v.value for v in get(service, dct + "conformsTo")],
            })
        keywords = sorted(_literal(v) for v in get(ds, dcat + "keyword"))
        model.update(distributions=dists, services=services, keywords=keywords,
                     modified=_text(get(ds, dct + "modified"), ""), issued=_text(get(ds, dct + "issued"), ""))
    else:
        stats = {p: _text(get(ds, void_ns + p), "") for p in ("triples", "entities", "distinctSubjects", "distinctObjects", "classes", "properties")}
        classes = []
        for node in get(ds, void_ns + "classPartition"):
            cls = (get(node.value, void_ns + "class") or [None])[0]
            classes.append((cls.value if cls is not None else "", int(_text(get(node.value, void_ns + "entities"), "") or 0)))
        properties = []
        for node in get(ds, void_ns + "propertyPartition"):
            prop = (get(node.value, void_ns + "property") or [None])[0]
            properties.append((prop.value if prop is not None else "", int(_text(get(node.value, void_ns + "triples"), "") or 0)))
        model.update(stats=stats, classes=sorted(classes, key=lambda x: -x[1]), properties=sorted(properties, key=lambda x: -x[1]),
                     vocabularies=sorted(v.value for v in get(ds, void_ns + "vocabulary")),
                     examples=[_local(v.value.replace("/id/", "/doc/", 1), names.base) for v in get(ds, void_ns + "exampleResource")])
    return model


def _literal(value: Any) -> str:
    return value.value if isinstance(value, ox.Literal) else str(value)


# --- dumps ------------------------------------------------------------------------------


@router.api_route("/dumps", methods=["GET", "HEAD"], include_in_schema=False)
def dumps_no_slash() -> Response:
    return RedirectResponse("/dumps/", status_code=308)


@router.api_route("/dumps/", methods=["GET", "HEAD"], summary="Index of the dumps")
def dumps_index(request: Request) -> Response:
    """The dumps of the live build with size and SHA-256 (HTML, or JSON when asked for)."""
    files = []
    for dump in _artefacts(request).dumps():
        name = dump.name
        files.append({"name": name, "href": f"/dumps/{name}", "sha256_href": f"/dumps/{name}.sha256",
                      "media_type": DUMP_FILES[name], "rdf_media_type": dump.dump.format.media_type,
                      "size": dump.size, "sha256": dump.sha256})
    accept = request.headers.get("accept", "")
    wants_json = request.query_params.get("format") == "json" or (
        "application/json" in accept and "text/html" not in accept)
    if wants_json:
        body = json.dumps({"dumps": files}, indent=2).encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest() + '-json"'
        return _bytes_response(request, body, "application/json", etag, DUMP_CACHE, {"Vary": "Accept"})
    return _html(request, _render(request, "dumps.html", "/dumps/", files=files), DUMP_CACHE)


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"], summary="One dump file")
def dump_file(request: Request, name: str) -> Response:
    """A dump or its ``.sha256``; ranges, conditional GET, streamed from disk."""
    media = DUMP_FILES.get(name)
    if media is None:
        raise HTTPProblem(404, f"There is no dump called {name!r}; see /dumps/ for the list.")
    path = _artefacts(request).dump_file(name)
    if path is None:  # a symlink pointing elsewhere: never follow it out
        raise HTTPProblem(404, f"There is no dump called {name!r}; see /dumps/ for the list.")
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return serve_file(request, path, media, DUMP_CACHE, headers)


# --- LDES -------------------------------------------------------------------------------


def _request_url(request: Request, path: str) -> str:
    """The URL a relative IRI in an LDES file resolves against: the public URL when one is
    configured, else this request's own origin (so a local copy stays navigable)."""
    public = _settings(request).public_url
    origin = public.rstrip("/") if public else str(request.base_url).rstrip("/")
    return origin + path


def _ldes_document(request: Request, path: Path, url_path: str, cache_control: str) -> Response:
    chosen = _choose(request, LDES_OFFERS)
    headers = {"Vary": "Accept", "Link": _alternates(url_path, LDES_OFFERS)}
    if chosen is TRIG:
        return serve_file(request, path, TRIG.media_type, cache_control, headers)
    if not path.is_file():
        raise HTTPProblem(404, f"There is nothing at {url_path} in the current build.")
    stat = path.stat()
    variant = chosen.suffix
    if chosen is HTML:  # the page's layout follows the reader's language
        variant += "-" + reader_language(request)[0]
        headers["Vary"] = "Accept, Accept-Language"
    etag = _etag_of(path, stat)[:-1] + f"-{variant}" + '"'
    if _not_modified(request, etag, stat.st_mtime):
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": cache_control, **headers})
    quads = parse_ldes_document(path, _request_url(request, url_path))
    if chosen is HTML:
        body = _render(request, "ldes.html", url_path, **_ldes_view(quads, url_path, _settings(request)))
        return _bytes_response(request, body, "text/html", etag, cache_control, headers)
    assert chosen.rdf is not None
    body = serialize(quads, chosen.rdf)
    return _bytes_response(request, body, chosen.media_type, etag, cache_control, headers)


@router.api_route("/ldes", methods=["GET", "HEAD"], summary="Linked Data Event Stream")
def ldes_stream(request: Request) -> Response:
    """The ``ldes:EventStream`` and the root of its time-based view."""
    return _ldes_document(request, _artefacts(request).ldes_stream(), "/ldes", SHORT)


@router.api_route("/ldes/shape", methods=["GET", "HEAD"], summary="SHACL shape of the LDES members")
def ldes_shape(request: Request) -> Response:
    return serve_file(request, _artefacts(request).ldes_shape(), "text/turtle", SHORT)


@router.api_route("/ldes/" + PAGES + "/{number}", methods=["GET", "HEAD"], summary="One page of the LDES")
def ldes_page(request: Request, number: str) -> Response:
    """Page ``number`` (from 1); closed pages are immutable, the latest one short-lived."""
    if not re.fullmatch(r"[1-9][0-9]{0,8}", number):
        raise HTTPProblem(404, f"There is no LDES page {number!r}; pages are numbered 1, 2, 3, …")
    artefacts = _artefacts(request)
    n = int(number)
    path = artefacts.ldes_page(n)
    if not path.is_file():
        raise HTTPProblem(404, f"There is no LDES page {n} yet; start at /ldes.")
    closed = artefacts.ldes_page_closed(n)
    return _ldes_document(request, path, f"/ldes/{PAGES}/{n}", IMMUTABLE if closed else SHORT)


_MEMBER_PATH = re.compile(r"^[A-Za-z0-9_-]{1,100}(/[A-Za-z0-9_-]{1,200}){1,3}/[0-9]{8}T[0-9]{12}Z$")


@router.api_route("/ldes/versie/{path:path}", methods=["GET", "HEAD"], summary="One LDES member")
def ldes_member(request: Request, path: str) -> Response:
    """A member (one version of a record): its envelope and content, immutable."""
    if not _MEMBER_PATH.match(path):
        raise HTTPProblem(404, "That is not the IRI of an LDES member.")
    artefacts = _artefacts(request)
    history = artefacts.ldes_history()
    iri = f"{_settings(request).base_iri}/ldes/versie/{path}"
    if history is None:
        raise HTTPProblem(404, "This build has no LDES.")
    found = artefacts.ldes_member(history, iri, lambda number: _request_url(request, f"/ldes/{PAGES}/{number}"))
    if not found:
        raise HTTPProblem(404, f"There is no LDES member {iri}.")
    chosen = _choose(request, (TRIG, NQUADS, JSONLD))
    assert chosen.rdf is not None
    body = serialize(found, chosen.rdf)
    etag = '"' + hashlib.sha256(body).hexdigest() + '"'
    return _bytes_response(request, body, chosen.media_type, etag, IMMUTABLE, {"Vary": "Accept"})


def _ldes_view(quads: list[ox.Quad], url_path: str, settings: Settings) -> dict[str, Any]:
    tree, dct, prov = "https://w3id.org/tree#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#"
    members: dict[str, dict[str, Any]] = {}
    relations: list[dict[str, str]] = []
    relation_nodes: dict[str, dict[str, str]] = {}
    view = ""
    for q in quads:
        p = q.predicate.value
        if p == tree + "member":
            members.setdefault(term_value(q.object), {"iri": term_value(q.object), "triples": 0})
        elif p == tree + "view":
            view = term_value(q.object)
        elif p in (tree + "node", tree + "value") and isinstance(q.subject, ox.BlankNode | ox.NamedNode):
            relation_nodes.setdefault(str(q.subject), {})[p.rsplit("#", 1)[-1]] = term_value(q.object)
    for q in quads:
        if term_value(q.subject) in members and isinstance(q.graph_name, ox.DefaultGraph):
            entry = members[term_value(q.subject)]
            if q.predicate.value == dct + "isVersionOf":
                entry["entity"] = term_value(q.object)
            elif q.predicate.value == prov + "generatedAtTime":
                entry["time"] = term_value(q.object)
            elif q.predicate.value.endswith("22-rdf-syntax-ns#type"):
                entry["kind"] = term_value(q.object).rsplit("#", 1)[-1]
        elif not isinstance(q.graph_name, ox.DefaultGraph) and term_value(q.graph_name) in members:
            members[term_value(q.graph_name)]["triples"] += 1
    for rel in relation_nodes.values():
        if "node" in rel:
            relations.append({"href": _path_of(rel["node"]), "value": rel.get("value", "")})
    base = settings.base_iri
    rows = []
    for m in members.values():
        entity = m.get("entity", "")
        rows.append({**m, "entity_href": entity.replace(base + "/id/", "/doc/", 1) if entity.startswith(base + "/id/") else entity,
                     "member_href": m["iri"].replace(base, "", 1) if m["iri"].startswith(base + "/") else m["iri"]})
    return {"path": url_path, "members": rows, "relations": relations, "view": _path_of(view) if view else ""}


def _path_of(url: str) -> str:
    match = re.match(r"^[a-z]+://[^/]+(/.*)$", url)
    return match.group(1) if match else url


# --- sitemap and robots ---------------------------------------------------------------------


@router.api_route("/sitemap.xml", methods=["GET", "HEAD"], include_in_schema=False)
def sitemap(request: Request) -> Response:
    return serve_file(request, _artefacts(request).sitemap(), "application/xml", SHORT)


@router.api_route("/sitemap-{number}.xml", methods=["GET", "HEAD"], include_in_schema=False)
def sitemap_part(request: Request, number: str) -> Response:
    if not re.fullmatch(r"[1-9][0-9]{0,5}", number):
        raise HTTPProblem(404, "There is no such sitemap.")
    return serve_file(request, _artefacts(request).sitemap(int(number)), "application/xml", SHORT)


@router.api_route("/robots.txt", methods=["GET", "HEAD"], include_in_schema=False)
def robots(request: Request) -> Response:
    """Crawlers welcome on the pages; the sitemap lists them. Queries are for people and programs."""
    public = public_base(_settings(request))
    body = (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /sparql\n"
        "Disallow: /api/\n"
        f"Sitemap: {public}/{SITEMAP}\n"
    ).encode("ascii")
    etag = '"' + hashlib.sha256(body).hexdigest() + '"'
    return _bytes_response(request, body, "text/plain", etag, "public, max-age=86400")

"""``/ldes``: the Linked Data Event Stream — every version of every record, in order of time.

The stream document, its pages and its members are files of the build (TriG), served as
they are or converted to N-Quads, JSON-LD, Turtle or an HTML view. Turtle has no named
graphs, so there a member's triples are said of its version IRI, the way TREE's member
extraction reads them (:func:`as_version_triples`): many LDES consumers ask for Turtle. Pages that are closed (a later
one exists) never change: ``Cache-Control: public, max-age=31536000, immutable``; the
latest page and the stream document are short-lived. A member (one version of a record)
is looked up in the page the history says holds it, and is immutable too.

The LDES files carry relative IRIs: they resolve against the public URL when one is
configured, else against this request's own origin, so a local copy stays navigable.

The HTML views are for people: each member with the title of its record (in the reader's
language, another language marked), its time and kind; the stream with its member count and
the list of its pages; a member (``/ldes/versie/…``) as a page of its own rather than a file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from endpoint import i18n
from endpoint.answer_headers import etag_of, file_date
from endpoint.errors import HTTPProblem
from endpoint.harvest.answers import (
    IMMUTABLE,
    SHORT,
    artefacts_of,
    bytes_response,
    choose,
    file_etag,
    format_alternates,
    is_current,
    render_view,
    serve_file,
    settings_of,
)
from endpoint.harvest.router import router
from endpoint.layout import reader_language
from kg.artefacts.layout import serialize
from kg.artefacts.reader import LDES_PAGES as PAGES
from kg.artefacts.reader import parse_ldes_document
from kg.media import HTML, JSONLD, NQUADS, TRIG, TURTLE, Format
from kg.namespaces import DCT, FOAF, PROV, RDF, RDFS, SCHEMA, SKOS, TREE
from kg.terms import term_value

#: Representations of LDES documents and members: the quad formats (members are named graphs),
#: Turtle with each member's triples said of its version IRI (see :func:`as_version_triples`),
#: and an HTML view.
LDES_OFFERS: tuple[Format, ...] = (TRIG, NQUADS, JSONLD, TURTLE, HTML)
#: Properties that name a member's record, best first (as the pages' labels).
_TITLES = (SKOS.prefLabel, DCT.title, RDFS.label, FOAF.name, SCHEMA.name)

_MEMBER_PATH = re.compile(r"^[A-Za-z0-9_-]{1,100}(/[A-Za-z0-9_-]{1,200}){1,3}/[0-9]{8}T[0-9]{12}Z$")


def _request_url(request: Request, path: str) -> str:
    """The URL a relative IRI in an LDES file resolves against: the public URL when one is
    configured, else this request's own origin (so a local copy stays navigable)."""
    public = settings_of(request).public_url
    origin = public.rstrip("/") if public else str(request.base_url).rstrip("/")
    return origin + path


def _ldes_document(request: Request, path: Path, url_path: str, cache_control: str,
                   summary: dict[str, Any] | None = None) -> Response:
    chosen = choose(request, LDES_OFFERS)
    headers = {"Vary": "Accept", "Link": format_alternates(url_path, LDES_OFFERS)}
    if chosen is TRIG:
        return serve_file(request, path, TRIG.media_type, cache_control, headers)
    if not path.is_file():
        raise HTTPProblem(404, f"There is nothing at {url_path} in the current build.", key="error_nothing_at",
                          params={"path": url_path})
    stat = path.stat()
    variant = chosen.suffix
    if chosen is HTML:  # the page's layout follows the reader's language (its links keep a chosen one)
        code, explicit = reader_language(request)
        variant += "-" + code + ("-chosen" if explicit else "")
        headers["Vary"] = "Accept, Accept-Language"
    etag, modified = file_etag(path, stat, variant), file_date(stat.st_mtime)
    if is_current(request, etag, modified):
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": cache_control, **headers})
    quads = parse_ldes_document(path, _request_url(request, url_path))
    if chosen is HTML:
        view = ldes_view(quads, url_path, settings_of(request).base_iri, reader_language(request)[0])
        body = render_view(request, "ldes.html", url_path, **view, summary=summary)
        return bytes_response(request, body, "text/html", etag, cache_control, headers)
    return bytes_response(request, _rdf(quads, chosen), chosen.media_type, etag, cache_control, headers)


@router.api_route("/ldes", methods=["GET", "HEAD"], summary="Linked Data Event Stream")
def ldes_stream(request: Request) -> Response:
    """The ``ldes:EventStream`` and the root of its time-based view."""
    artefacts = artefacts_of(request)
    return _ldes_document(request, artefacts.ldes_stream(), "/ldes", SHORT, _summary(request))


def _summary(request: Request) -> dict[str, Any] | None:
    """What the stream's HTML view tells a person: how many members, over which time, on which pages."""
    if "html" not in request.headers.get("accept", "") and request.query_params.get("format") != "html":
        return None
    history = artefacts_of(request).ldes_history()
    if history is None:
        return None
    pages = [{"number": n, "href": f"/ldes/{PAGES}/{n}"} for n in range(1, history.pages + 1)]
    return {"members": history.members, "first": history.first_time, "last": history.last_time, "pages": pages}


@router.api_route("/ldes/shape", methods=["GET", "HEAD"], summary="SHACL shape of the LDES members")
def ldes_shape(request: Request) -> Response:
    return serve_file(request, artefacts_of(request).ldes_shape(), "text/turtle", SHORT)


@router.api_route("/ldes/" + PAGES + "/{number}", methods=["GET", "HEAD"], summary="One page of the LDES")
def ldes_page(request: Request, number: str) -> Response:
    """Page ``number`` (from 1); closed pages are immutable, the latest one short-lived."""
    if not re.fullmatch(r"[1-9][0-9]{0,8}", number):
        raise HTTPProblem(404, f"There is no LDES page {number!r}; pages are numbered 1, 2, 3, …")
    artefacts = artefacts_of(request)
    n = int(number)
    path = artefacts.ldes_page(n)
    if not path.is_file():
        raise HTTPProblem(404, f"There is no LDES page {n} yet; start at /ldes.")
    closed = artefacts.ldes_page_closed(n)
    return _ldes_document(request, path, f"/ldes/{PAGES}/{n}", IMMUTABLE if closed else SHORT)


@router.api_route("/ldes/versie/{path:path}", methods=["GET", "HEAD"], summary="One LDES member")
def ldes_member(request: Request, path: str) -> Response:
    """A member (one version of a record): its envelope and content, immutable."""
    if not _MEMBER_PATH.match(path):
        raise HTTPProblem(404, "That is not the IRI of an LDES member.")
    artefacts = artefacts_of(request)
    history = artefacts.ldes_history()
    iri = f"{settings_of(request).base_iri}/ldes/versie/{path}"
    if history is None:
        raise HTTPProblem(404, "This build has no LDES.")
    found = artefacts.ldes_member(history, iri, lambda number: _request_url(request, f"/ldes/{PAGES}/{number}"))
    if not found:
        raise HTTPProblem(404, f"There is no LDES member {iri}.")
    chosen = choose(request, LDES_OFFERS)
    url_path = f"/ldes/versie/{path}"
    if chosen is HTML:
        view = ldes_view(found, url_path, settings_of(request).base_iri, reader_language(request)[0])
        body = render_view(request, "ldes.html", url_path, **view, summary=None, member_page=True)
        return bytes_response(request, body, "text/html", etag_of(body, "html"), IMMUTABLE,
                              {"Vary": "Accept, Accept-Language", "Link": format_alternates(url_path, LDES_OFFERS)})
    body = _rdf(found, chosen)
    return bytes_response(request, body, chosen.media_type, etag_of(body), IMMUTABLE,
                          {"Vary": "Accept", "Link": format_alternates(url_path, LDES_OFFERS)})


def _rdf(quads: list[ox.Quad], chosen: Format) -> bytes:
    assert chosen.rdf is not None
    if chosen is TURTLE:
        return serialize(as_version_triples(quads), chosen.rdf)
    return serialize(quads, chosen.rdf)


def as_version_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """An LDES document without named graphs: what TREE's member extraction would give.

    The envelope (default graph) stays as it is; in each member's graph, named after the
    member's version IRI, the record's IRI (``dct:isVersionOf`` of the version) is replaced
    by the version IRI, so the member's triples start from the member. Sub-resources keep
    their IRIs and are reached from it.

    >>> v, e = ox.NamedNode("https://x/ldes/versie/p/1"), ox.NamedNode("https://x/id/p")
    >>> title = ox.NamedNode("http://purl.org/dc/terms/title")
    >>> quads = [ox.Quad(v, DCT.isVersionOf, e), ox.Quad(e, title, ox.Literal("P"), v)]
    >>> [str(t) for t in as_version_triples(quads)]
    ['<https://x/ldes/versie/p/1> <http://purl.org/dc/terms/isVersionOf> <https://x/id/p>', '<https://x/ldes/versie/p/1> <http://purl.org/dc/terms/title> "P"']
    """
    record_of = {q.subject: q.object for q in quads if q.predicate == DCT.isVersionOf and isinstance(q.graph_name, ox.DefaultGraph)}
    triples = []
    for q in quads:
        version = q.graph_name
        record = record_of.get(version) if isinstance(version, ox.NamedNode) else None
        if record is None or not isinstance(version, ox.NamedNode):
            triples.append(q.triple)
            continue
        subject = version if q.subject == record else q.subject
        obj = version if q.object == record else q.object
        triples.append(ox.Triple(subject, q.predicate, obj))
    return triples


def ldes_view(quads: list[ox.Quad], url_path: str, base: str, lang: str = i18n.DEFAULT) -> dict[str, Any]:
    """What the HTML view of a stream page shows: its members, the relations to the next pages, the view."""
    members: dict[str, dict[str, Any]] = {}
    relation_nodes: dict[str, dict[str, str]] = {}
    view = ""
    for q in quads:
        p = q.predicate
        if p == TREE.member:
            members.setdefault(term_value(q.object), {"iri": term_value(q.object), "triples": 0})
        elif p == TREE.view:
            view = term_value(q.object)
        elif p in (TREE.node, TREE.value) and isinstance(q.subject, ox.BlankNode | ox.NamedNode):
            relation_nodes.setdefault(str(q.subject), {})[p.value.rsplit("#", 1)[-1]] = term_value(q.object)
    titles: dict[str, dict[str, tuple[int, str]]] = {}
    for q in quads:
        _count_member_quad(members, q)
        if q.predicate in _TITLES and isinstance(q.object, ox.Literal) and not isinstance(q.graph_name, ox.DefaultGraph):
            langs = titles.setdefault(f"{term_value(q.graph_name)} {term_value(q.subject)}", {})
            code, candidate = q.object.language or "", (_TITLES.index(q.predicate), q.object.value)
            if code not in langs or candidate < langs[code]:
                langs[code] = candidate
    for m in members.values():
        m["title"] = _title(titles.get(f"{m['iri']} {m.get('entity', '')}", {}), lang)
    relations = [{"href": _path_of(rel["node"]), "value": rel.get("value", "")} for rel in relation_nodes.values() if "node" in rel]
    rows = []
    for m in members.values():
        entity = m.get("entity", "")
        rows.append({**m, "entity_href": entity.replace(base + "/id/", "/doc/", 1) if entity.startswith(base + "/id/") else entity,
                     "member_href": m["iri"].replace(base, "", 1) if m["iri"].startswith(base + "/") else m["iri"]})
    return {"path": url_path, "members": rows, "relations": relations, "view": _path_of(view) if view else ""}


def _title(by_lang: dict[str, tuple[int, str]], lang: str) -> str:
    """The record's name in the reader's language, else Dutch, else any (marked when not the reader's)."""
    for code in (lang, "nl", "", *sorted(by_lang)):
        if code in by_lang:
            return i18n.shown(by_lang[code][1], code, lang)
    return ""


def _count_member_quad(members: dict[str, dict[str, Any]], q: ox.Quad) -> None:
    """A member's envelope (entity, time, kind) from the default graph; its content counted by graph."""
    if term_value(q.subject) in members and isinstance(q.graph_name, ox.DefaultGraph):
        entry = members[term_value(q.subject)]
        if q.predicate == DCT.isVersionOf:
            entry["entity"] = term_value(q.object)
        elif q.predicate == PROV.generatedAtTime:
            entry["time"] = term_value(q.object)
        elif q.predicate == RDF.type:
            entry["kind"] = term_value(q.object).rsplit("#", 1)[-1]
    elif not isinstance(q.graph_name, ox.DefaultGraph) and term_value(q.graph_name) in members:
        members[term_value(q.graph_name)]["triples"] += 1


def _path_of(url: str) -> str:
    match = re.match(r"^[a-z]+://[^/]+(/.*)$", url)
    return match.group(1) if match else url

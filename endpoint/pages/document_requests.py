"""What a request for a document asks, read the same way by the router and the fast path.

A document request names a thing (``/doc/{concept}/{ref}[.suffix]``), a format (suffix,
``?format=`` or ``Accept``), a page of incoming links (``?pagina=``) and a language
(``?lang=`` or ``Accept-Language``). :func:`doc_request` reads all of it into a
:class:`DocRequest` whose :attr:`~DocRequest.key` is everything the bytes of the answer
depend on: the key of the per-build answer cache. The headers that describe a document
(``Content-Location``, ``Link`` to the other formats, ``Vary``) are made here too, so
every answer of a document — routed, fast-path, 304 — carries the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping

from fastapi.responses import Response

from endpoint import i18n
from endpoint.answer_headers import alternates, http_date
from endpoint.errors import HTTPProblem
from endpoint.pages.build_indexes import Site
from endpoint.pages.page_answers import CACHE_CONTROL, cached_response, format_from, keep, number_from
from kg.media import DOCUMENT_FORMATS, HTML, Format
from kg.rdf.iris import Target


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
        """The cache key: everything the bytes of the answer depend on, and whether it was negotiated
        (a negotiated answer varies by ``Accept``, a suffix's does not: the kept headers differ)."""
        return ("doc", self.target.key, self.number, self.fmt.media_type, self.negotiated, self.lang_code if self.is_html else "",
                self.lang_explicit if self.is_html else False, self.public_root if self.fmt.suffix == "jsonld" else "")


def doc_request(site: Site, target: Target, params: Mapping[str, str], headers: Mapping[str, str], base_url: Callable[[], str]) -> DocRequest:
    """Read format, page and language of a document request (raises HTTPProblem)."""
    fmt, negotiated = format_from(target.suffix, params.get("format"), headers.get("accept"))
    number = number_from(params.get("pagina", "1"))
    code, explicit = i18n.choose(params.get("lang"), headers.get("accept-language"))
    public_root = site.settings.public_url or (base_url() if fmt.suffix == "jsonld" else "")
    return DocRequest(target, fmt, negotiated, number, code, explicit, public_root.rstrip("/"))


#: A build has few distinct dates, and parsing one costs more than the rest of a lookup.
_http_date = lru_cache(maxsize=4096)(http_date)


def written_ahead(site: Site, ask: DocRequest, if_none_match: str | None, if_modified_since: str | None) -> Response | None:
    """The answer from the documents the build wrote ahead (:mod:`kg.artefacts.document_table`),
    kept in the cache as the router would keep it; None when the table does not hold it.

    The table holds page 1 of every document in Turtle, byte for byte what the router makes; a
    document dated by its build (no ``dct:modified`` of its own) is taken only when the table
    was written on the day the build says it finished."""
    table = site.documents
    if table is None or ask.number != 1 or ask.fmt.suffix not in table.formats:
        return None
    row = table.get(ask.target.key, ask.fmt.suffix)
    if row is None or (row.dated and table.build_date != site.build_date) or (row.paged and not site.store.in_process):
        return None  # a remote engine's index order may put other links on page 1
    headers = document_headers(ask.target.doc_path, ask.fmt, ask.negotiated, "")
    extra = {"Link": f'<{ask.target.doc_path}.{ask.fmt.suffix}?pagina=2>; rel="next"'} if row.paged else {}
    cached = keep(site, ask.key, ask.fmt.content_type, row.body, _http_date(row.modified), headers, extra)
    return cached_response(cached, if_none_match, if_modified_since)


def without_trailing_slash(path: str, query: str) -> Response | None:
    """``/doc/gemeente/24062/`` → ``301`` to ``/doc/gemeente/24062`` (the query kept); None otherwise.

    A copied link often gains a slash; the thing is the same, so it is a permanent redirect, not a 404.
    """
    if not path.endswith("/") or path.rstrip("/").count("/") < 3:
        return None
    location = path.rstrip("/") + (f"?{query}" if query else "")
    return Response(status_code=301, headers={"Location": location, "Cache-Control": CACHE_CONTROL})


def target_of(site: Site, concept: str, ref: str, allow_suffix: bool) -> Target:
    """The validated thing a path names, or 404."""
    target = site.uris.parse(concept, ref, allow_suffix=allow_suffix)
    if target is None:
        raise HTTPProblem(404, f"There is no /{'doc' if allow_suffix else 'id'}/{concept}/{ref} here: "
                               "not a kind of thing this graph publishes, or not a valid reference.",
                           key="error_no_such_path", params={"path": f"/{'doc' if allow_suffix else 'id'}/{concept}/{ref}"})
    return target


def gone_or_moved(site: Site, target: Target, space: str) -> Response | None:
    """A 301 to where a merged duplicate lives now, a 410 for a withdrawn IRI, else None."""
    redirect = site.redirects.get(target.key)
    if redirect is None:
        return None
    if redirect.status == 410:
        raise HTTPProblem(410, redirect.reason or f"{target.id_path} was withdrawn and no longer describes anything.")
    assert redirect.target is not None
    location = f"/{space}/{redirect.target}" + (f".{target.suffix}" if target.suffix else "")
    return Response(status_code=301, headers={"Location": location, "Cache-Control": CACHE_CONTROL})


def format_links(path: str) -> list[tuple[str, str, str]]:
    """(label, href, media type) of every RDF format of a document, for its page."""
    return [(f.label, f"{path}.{f.suffix}", f.media_type) for f in DOCUMENT_FORMATS if f is not HTML]


def document_headers(path: str, fmt: Format, negotiated: bool, query: str) -> dict[str, str]:
    """``Content-Location``, ``Link`` to the other formats and ``Vary`` of a document answer."""
    suffix = "html" if fmt is HTML else fmt.suffix
    links = alternates((f"{path}.{f.suffix}{query}", f.media_type) for f in DOCUMENT_FORMATS if f.media_type != fmt.media_type)
    headers = {"Content-Location": f"{path}.{suffix}{query}", "Link": links}
    if negotiated:
        headers["Vary"] = "Accept, Accept-Language"
    elif fmt is HTML:
        headers["Vary"] = "Accept-Language"
    return headers

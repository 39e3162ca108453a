"""The fast path for documents already in the cache, or written ahead by the build: the same
answer, without the router.

Routing a request through FastAPI's router costs more than the answer itself (dozens of
route patterns, dependency solving); for a cached document everything needed is a few
dictionary lookups. :class:`PagesFastPath` is pure ASGI in front of the application and
does only what the router's handler (:func:`endpoint.pages.routes.document`) does first:
the same path check (:meth:`kg.rdf.iris.Iris.parse`), the same request reading
(:func:`~endpoint.pages.document_requests.doc_request`) and the same cache lookup
(:func:`~endpoint.pages.page_answers.from_cache`), then the documents the build wrote ahead
(:func:`~endpoint.pages.document_requests.written_ahead`: a first visit costs one table
lookup, not five queries). Anything else — a miss, a redirect,
an error, parameters this path does not know — goes on to the application untouched,
which then fills the cache. The CORS headers are added as the CORS middleware adds them
(:func:`endpoint.answer_headers.with_cors`); a test compares both paths header by header.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from endpoint.answer_headers import with_cors
from endpoint.errors import HTTPProblem
from endpoint.pages.build_indexes import ready_site
from endpoint.pages.document_requests import doc_request, written_ahead
from endpoint.pages.page_answers import from_cache

#: The parameters a document request may have; any other one sends the request to the router.
DOC_PARAMS = frozenset({"format", "pagina", "lang"})


class PagesFastPath:
    """Pure ASGI: answers a ``GET``/``HEAD`` of a document in the cache or written ahead."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and scope["path"].startswith("/doc/"):
            hit = cached_document(scope)
            if hit is not None:
                response, origin = hit
                await response(scope, receive, with_cors(send, origin))
                return
        await self.app(scope, receive, send)


def cached_document(scope: Scope) -> tuple[Response, bool] | None:
    """(the cached answer, whether the request came with ``Origin``), or None for the router."""
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
    if len(params) != len(pairs) or not params.keys() <= DOC_PARAMS:
        return None
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    try:
        ask = doc_request(site, target, params, headers, lambda: str(Request(scope).base_url))
    except HTTPProblem:
        return None
    inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
    found = from_cache(site, ask.key, inm, ims) or written_ahead(site, ask, inm, ims)
    return None if found is None else (found, "origin" in headers)

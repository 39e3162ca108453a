"""``/sparql``: the two ways in, and the one function that answers a query for both.

A request reaches the endpoint one of two ways:

* :class:`SparqlFastPath`, a pure ASGI *front* installed by :mod:`endpoint.app`
  ahead of FastAPI itself. FastAPI's per-request work (~10 µs) is a fifth of a
  one-row SELECT, so every ``/sparql`` request goes here first.
* ``router``, the FastAPI routes, behind the application's middleware: what the
  front passes on, and every request when there is no front.

Both call :func:`answer_query` (protocol → query runner → reply), so each rule
of the protocol and each header has one implementation; the front only
dispatches. What is not a query (the query page and the Service Description
for ``GET``/``HEAD`` without one, a query link opened in a browser, CORS
preflight) the front passes on to the routes. A test sends the same requests
both ways and compares the answers.

The front also starts the query runner in the background once the application
has started (the first query waits for it) and stops it at shutdown.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from endpoint import conneg
from endpoint.headers import CORS
from endpoint.sparql import examples, short_links
from endpoint.sparql.engine import engine_of
from endpoint.sparql.fairness import client_of
from endpoint.sparql.jobs import Job
from endpoint.sparql.parse_errors import is_parse_error, readable
from endpoint.sparql.protocol import ALLOW, PATH, carries_query, header, plan, public_root, read_query_request
from endpoint.sparql.query_page import query_page
from endpoint.sparql.replies import answer_response, error_response
from endpoint.sparql.service_description import SD_OFFERS, service_description
from endpoint.sparql.worker_pool import Disconnect
from endpoint.state import state_of
from kg import media
from kg.errors import QueryError

__all__ = ["answer_query", "router", "front", "SparqlFastPath", "home", "OtherMethods"]


async def answer_query(scope: Scope, receive: Receive) -> Response | None:
    """The reply to a ``/sparql`` request that carries a query, or to one that breaks a rule;
    None when the request is not a query (see the module docstring).

    Errors are answered here, not raised: the fast path has no error middleware behind it,
    and the routes must answer exactly alike.
    """
    method = scope["method"]
    engine = engine_of(scope["app"])
    settings = engine.settings
    job: Job | None = None
    try:
        if not carries_query(method):
            return None
        accept = header(scope, b"accept")
        key = (scope["query_string"], accept) if method != "POST" else None
        job = engine.prepared.get(key) if key is not None else None
        if job is None:
            request = await read_query_request(scope, receive, settings.max_body_bytes)
            job = plan(request, method, accept, settings) if request is not None else None
            if job is None:
                return None
            if key is not None:
                engine.prepare(key, job)
        answer = await engine.run(job, client_of(scope, engine.trusted_proxies), _disconnected(receive))
    except QueryError as exc:
        if job is not None and is_parse_error(str(exc)):  # told in the query's own lines, short
            exc = QueryError(readable(str(exc), job.query.split("\n", job.prologue)[-1], job.prologue))
        return error_response(scope, exc)
    except Exception as exc:  # noqa: BLE001 - every error is answered here, an unforeseen one as a logged 500
        return error_response(scope, exc)
    return answer_response(scope, answer, settings)


def _disconnected(receive: Receive) -> Disconnect:
    """What returns once the client has gone: ASGI's ``http.disconnect``. The body has been read
    by then (a GET has none; what is left is skipped), so nothing else is waiting on ``receive``."""

    async def gone() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    return gone


# --- the routes ----------------------------------------------------------------------------------

router = APIRouter()
router.include_router(short_links.router)
router.include_router(examples.router)


@router.get(PATH, summary="SPARQL 1.1 endpoint (queries, query page, Service Description)")
@router.head(PATH, include_in_schema=False)
@router.post(PATH, summary="SPARQL 1.1 endpoint (queries by POST)")
async def sparql(request: Request) -> Response:
    """A query (``?query=`` or POST) by the SPARQL 1.1 Protocol; without one, the query page
    for browsers and the Service Description for every other client."""
    answer = await answer_query(request.scope, request.receive)
    return answer if answer is not None else home(request)


def home(request: Request) -> Response:
    """``/sparql`` without a query: the query page or the Service Description, by ``format=`` or ``Accept``."""
    fmt = conneg.by_name(request.query_params.get("format"), SD_OFFERS) or conneg.negotiate(request.headers.get("accept"), SD_OFFERS)
    if fmt is None:
        raise QueryError("Ask for the Service Description as Turtle, JSON-LD, N-Triples or RDF/XML, or for the HTML page.")
    state = state_of(request.app)
    if fmt is media.HTML:
        return HTMLResponse(query_page(request, state.settings), headers={"Vary": "Accept, Accept-Language"})
    body = service_description(public_root(request.scope, state.settings), state.store, fmt, state.settings.base_iri)
    return Response(body, media_type=None, headers={"Content-Type": fmt.content_type, "Vary": "Accept", **dict(CORS)})


class OtherMethods:
    """Every other method: the protocol's 405, or for OPTIONS outside CORS preflight, what it allows.

    An ASGI application rather than a function, so that its route takes every method
    (a method the route does not list would get the router's own 405, not the protocol's).
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reply = await answer_query(scope, receive)
        if reply is None:  # OPTIONS (a preflight never gets here: the CORS middleware answers it)
            reply = Response(status_code=204, headers={"Allow": ALLOW, **dict(CORS)})
        await reply(scope, receive, send)


# Starlette types a route's endpoint as a request handler, but routes to any ASGI application given instead.
router.add_route(PATH, OtherMethods(), include_in_schema=False)  # type: ignore[arg-type]


# --- the fast path ---------------------------------------------------------------------------------


class SparqlFastPath:
    """Pure ASGI, ahead of FastAPI: ``/sparql`` requests go straight to :func:`answer_query`.

    Registered as the application's *front* (:class:`endpoint.app.Application`).
    Everything else goes on to ``app`` untouched; so does what :func:`answer_query`
    does not answer.
    """

    def __init__(self, app: ASGIApp, application: Starlette | None = None) -> None:
        self.app = app
        self.application = application  # set as scope["app"]: nothing in front of us does

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH:
            if self.application is not None:
                scope["app"] = self.application
            reply = await answer_query(scope, receive)
            if reply is None:
                await self.app(scope, receive, send)
            else:
                await reply(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.application if self.application is not None else scope["app"]

        async def wrapped(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                engine_of(app).prestart()
            elif message["type"] in ("lifespan.shutdown.complete", "lifespan.shutdown.failed"):
                await engine_of(app).close()
            await send(message)

        await self.app(scope, receive, wrapped)


#: Registered by :mod:`endpoint.app` as the application's front, ahead of FastAPI itself.
front = SparqlFastPath

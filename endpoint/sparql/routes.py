"""``/sparql``: the SPARQL 1.1 Protocol, to the letter, on a read-only public store.

Two parts:

* :class:`SparqlFastPath`, a pure ASGI front ahead of FastAPI itself,
  answers every request that carries a query. The framework's per-request cost
  is larger than a one-row SELECT, so the hot path parses the protocol itself:
  ``GET ?query=``, ``POST`` url-encoded and ``POST application/sparql-query``;
  ``default-graph-uri``/``named-graph-uri`` (they replace ``FROM``/``FROM NAMED``);
  the answer format by ``Accept`` (q-values, wildcards) or ``format=``. Queries
  pass :mod:`endpoint.sparql.query_guard` (no UPDATE, no SERVICE) and run on
  :class:`endpoint.sparql.query_runner.QueryRunner` (hard deadline, caps). Errors are
  written by :func:`endpoint.errors.problem_response`, the one error writer.
* ``router``: ``GET /sparql`` without a query: the query page for browsers, the
  SPARQL 1.1 Service Description (Turtle, JSON-LD, N-Triples, RDF/XML) for the rest.

Rules and their answers::

    method other than GET/HEAD/POST/OPTIONS          405 (Allow: GET, HEAD, POST, OPTIONS)
    two query parameters, query in URL and body      400
    update= parameter or an update as query          403 read-only
    SERVICE anywhere in the query                    400, before execution
    POST with another media type / charset           415
    body that is not UTF-8 / not url-encoded UTF-8   400
    body larger than KG_MAX_BODY_BYTES               413
    syntax error                                     400 with the parser's line:column
    no acceptable format                             406 listing the offers
    deadline KG_QUERY_TIMEOUT passed                 503 naming the limit

Answers cut by ``KG_MAX_RESULT_ROWS`` or ``KG_MAX_RESULT_BYTES`` say so in the
header ``X-KG-Truncated: rows; limit=N`` (or ``bytes``) and, where the format
has room for it, in the body: a ``link`` in the head of SPARQL JSON/XML
results pointing at ``/sparql#limits``, a ``#`` comment on the first line of
Turtle, N-Triples, N-Quads and TriG. ``X-KG-Build`` names the build that
answered and ``Server-Timing: query;dur=ms`` the time spent on the query, or
``cache;desc="hit"`` when the answer was kept from an identical earlier request
on the same build (:mod:`endpoint.sparql.answer_cache`). Kept answers to GET carry an ``ETag``
and ``Cache-Control: public, no-cache``; ``If-None-Match`` with it gives a 304.
"""

from __future__ import annotations

import gc
import html
import json
import logging
import time
from pathlib import Path
from typing import Any, Awaitable, Callable, MutableMapping
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from endpoint import conneg
from endpoint.errors import problem_response
from endpoint.responses import etag_matches
from endpoint.sparql.jobs import Answer, Job
from endpoint.sparql.query_guard import inspect
from endpoint.sparql.query_runner import QueryRunner
from endpoint.state import state_of
from kg import media
from kg.errors import KGError, QueryError, StoreError, UpdateRefused
from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.store.embedded import GraphStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

__all__ = ["router", "front", "SparqlFastPath", "service_description", "example_queries"]

logger = logging.getLogger("endpoint")

PATH = "/sparql"
RESULT_OFFERS = media.RESULT_FORMATS + (media.HTML,)
GRAPH_OFFERS = media.GRAPH_FORMATS + (media.HTML,)
SD_OFFERS = (media.TURTLE, media.JSONLD, media.NTRIPLES, media.RDFXML, media.HTML)
_EXPOSE = b"X-KG-Truncated, X-KG-Build, X-KG-Rows, Server-Timing, Content-Length, ETag"
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"), autoescape=select_autoescape(["html"]), auto_reload=False
)

#: W3C format IRIs (http://www.w3.org/ns/formats/) of what this endpoint writes.
_FORMAT_IRIS = [f.w3c for f in (*media.RESULT_FORMATS, *media.GRAPH_FORMATS) if f.w3c]


#: ``format=`` words that mean one thing for results and another for graphs: "xml" is
#: SPARQL XML for SELECT/ASK and RDF/XML for CONSTRUCT/DESCRIBE; "json" likewise.
_FORMAT_WORDS = {"xml": media.SPARQL_XML, "json": media.SPARQL_JSON}


class ProtocolError(Exception):
    """A request that breaks a protocol rule: status and a message naming the rule."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers or {}


# --- the hot path ----------------------------------------------------------------------------


class SparqlFastPath:
    """Pure ASGI: answers ``/sparql`` requests that carry a query.

    Everything else, and ``/sparql`` without a query (the page, the Service
    Description, CORS preflight), goes on to ``app``. It also starts the query
    runner in the background once the application has started (the first query
    waits for it) and stops it at shutdown.

    Registered as the application's *front* (:class:`endpoint.app.Application`):
    it runs before FastAPI's own per-request work and its error middleware, so
    it answers every failure itself, an unexpected one as a logged 500.
    """

    def __init__(self, app: ASGIApp, application: Any = None) -> None:
        self.app = app
        self.application = application  # set as scope["app"]: nothing in front of us does

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH:
            if self.application is not None:
                scope["app"] = self.application
            await self._sparql(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self.application if self.application is not None else scope["app"]

        async def wrapped(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                _engine(app).prestart()
            elif message["type"] in ("lifespan.shutdown.complete", "lifespan.shutdown.failed"):
                await _engine(app).close()
            await send(message)

        await self.app(scope, receive, wrapped)

    async def _sparql(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        if method == "OPTIONS":
            await self.app(scope, receive, send)
            return
        app = scope["app"]
        settings: Settings = state_of(app).settings
        try:
            if method not in ("GET", "HEAD", "POST"):
                raise ProtocolError(
                    405,
                    f"The SPARQL protocol answers GET and POST on {PATH}, not {method}. "
                    "Send the query as ?query=… or in a POST body.",
                    {"Allow": "GET, HEAD, POST, OPTIONS"},
                )
            key = (scope["query_string"], _header(scope, b"accept")) if method != "POST" else None
            engine = _engine(app)
            prepared = engine.prepared.get(key) if key is not None else None
            if prepared is not None:
                answer = await engine.run(prepared)
                await _send_answer(scope, send, answer, settings, method == "HEAD")
                return
            request = await _read_request(scope, receive, settings)
            if request is None:  # GET without query: page or service description
                await self.app(scope, _replay(b""), send)
                return
            query, params = request
            shape = inspect(query)
            offers = GRAPH_OFFERS if shape.form in ("CONSTRUCT", "DESCRIBE") else RESULT_OFFERS
            if method == "POST":  # the page answers GET only; a POST always gets data
                offers = offers[:-1]
            fmt = _choose(params, _header(scope, b"accept"), offers)
            if fmt is media.HTML:  # a browser following a query link: show it on the query page
                await self.app(scope, _replay(b""), send)
                return
            default_graphs = tuple(params.get("default-graph-uri", ()))
            named_graphs = tuple(params.get("named-graph-uri", ()))
            if not default_graphs and not named_graphs and shape.has_dataset:
                default_graphs, named_graphs = shape.default_graphs, shape.named_graphs
            if (default_graphs or named_graphs) and not (default_graphs and named_graphs):
                # A dataset given only in part: the other part is empty (SPARQL 1.1 §13.2).
                default_graphs = default_graphs or (_EMPTY_GRAPH,)
                named_graphs = named_graphs or (_EMPTY_GRAPH,)
            job = Job(query, default_graphs, named_graphs, fmt.media_type, settings.max_result_rows,
                      settings.max_result_bytes, shape.deterministic)
            if key is not None and len(key[0]) <= 4096:
                if len(engine.prepared) >= 1024:
                    engine.prepared.clear()
                engine.prepared[key] = job
            answer = await engine.run(job)
        except ProtocolError as exc:
            await _problem(scope, receive, send, exc.status, exc.detail, exc.headers)
            return
        except KGError as exc:
            await _problem(scope, receive, send, exc.http_status, str(exc), {})
            return
        except Exception as exc:  # noqa: BLE001 - the application's error middleware is behind us
            logger.exception("Unhandled error on %s %s", method, PATH, exc_info=exc)
            await _problem(scope, receive, send, 500, "Something went wrong on our side; the error was logged.", {})
            return
        await _send_answer(scope, send, answer, settings, method == "HEAD")


#: Registered by :mod:`endpoint.app` as the application's front, ahead of FastAPI itself.
front = SparqlFastPath

#: A graph name that never holds a triple: the empty part of a dataset given only in part.
_EMPTY_GRAPH = "urn:x-lokaalcirculair:empty-graph"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _replay(body: bytes) -> Receive:
    """A ``receive`` that hands the application a body we already read."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _params(text: str, where: str) -> dict[str, list[str]]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The {where} is not valid UTF-8 once percent-decoded; the SPARQL protocol requires UTF-8.") from exc
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    length = _header(scope, b"content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise ProtocolError(413, f"The request body has {int(length)} bytes; this endpoint accepts at most {limit} (KG_MAX_BODY_BYTES).")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"The request body is larger than {limit} bytes, the most this endpoint accepts (KG_MAX_BODY_BYTES).")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _read_request(scope: Scope, receive: Receive, settings: Settings) -> tuple[str, dict[str, list[str]]] | None:
    """The query and the other parameters, after checking every protocol rule."""
    raw = scope["query_string"]
    params = _params(raw.decode("latin-1"), "query string") if raw else {}
    if scope["method"] != "POST":
        if "update" in params:
            raise UpdateRefused("This endpoint is read-only: SPARQL Update is not accepted (the update parameter was sent).")
        if "query" not in params:
            return None
        return _one_query(params["query"], "the URL"), params
    body = await _read_body(scope, receive, settings.max_body_bytes)
    content_type = (_header(scope, b"content-type") or "").lower()
    media, _, rest = content_type.partition(";")
    media = media.strip()
    charset = ""
    for part in rest.split(";"):
        key, _, value = part.partition("=")
        if key.strip() == "charset":
            charset = value.strip().strip('"')
    if charset and charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"The body is declared as charset={charset}; the SPARQL protocol requires UTF-8.")
    if media == "application/x-www-form-urlencoded":
        try:
            text = body.decode("ascii")
        except UnicodeDecodeError as exc:
            raise ProtocolError(400, "A url-encoded body must be ASCII with percent-encoded UTF-8; this one has raw non-ASCII bytes.") from exc
        form = _params(text, "request body")
        if "update" in form:
            raise UpdateRefused("This endpoint is read-only: SPARQL Update is not accepted (the update parameter was sent).")
        if "query" in params:
            raise ProtocolError(400, "A url-encoded POST carries its query in the body, but this request also has a query parameter in the URL. Send exactly one query.")
        if "query" not in form:
            raise ProtocolError(400, "The POST body has no query parameter. Send query=… (url-encoded) or the query itself as application/sparql-query.")
        for key, values in params.items():  # parameters in the URL still count (format=, graphs)
            form.setdefault(key, []).extend(values)
        return _one_query(form["query"], "the body"), form
    if media == "application/sparql-query":
        if "query" in params:
            raise ProtocolError(400, "An application/sparql-query POST is the query itself; it must not also have a query parameter in the URL.")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(400, f"The query in the body is not valid UTF-8 (byte {exc.start}); the SPARQL protocol requires UTF-8.") from exc
        if not text.strip():
            raise ProtocolError(400, "The POST body is empty; it should be the SPARQL query.")
        return text, params
    if media == "application/sparql-update":
        raise UpdateRefused("This endpoint is read-only: SPARQL Update (application/sparql-update) is not accepted.")
    raise ProtocolError(
        415,
        f"A POST to {PATH} must be application/x-www-form-urlencoded or application/sparql-query "
        f"(SPARQL 1.1 Protocol §2.1), not {media or 'without a Content-Type'}.",
    )


def _one_query(values: list[str], where: str) -> str:
    if len(values) > 1:
        raise ProtocolError(400, f"The request has {len(values)} query parameters in {where}; the SPARQL protocol allows exactly one.")
    if not values[0].strip():
        raise ProtocolError(400, "The query parameter is empty; put a SPARQL query in it.")
    return values[0]


def _choose(params: dict[str, list[str]], accept: str | None, offers: tuple[media.Format, ...]) -> media.Format:
    names = params.get("format")
    if names:
        fmt = conneg.by_name(names[-1], offers) or _FORMAT_WORDS.get(names[-1].strip().lower())
        if fmt not in offers and names[-1].strip().lower() == "json":
            fmt = media.JSONLD
        if fmt not in offers and names[-1].strip().lower() == "xml":
            fmt = media.RDFXML
        if fmt not in offers:
            fmt = None
        if fmt is None:
            known = ", ".join(f.suffix for f in offers)
            raise ProtocolError(400, f"Unknown or unsuitable format={names[-1]!r} for this query; use one of {known}.")
        return fmt
    fmt = conneg.negotiate(accept, offers)
    if fmt is None:
        known = ", ".join(f.media_type for f in offers if f is not media.HTML)
        raise ProtocolError(406, f"None of the media types in Accept: {accept} can carry this answer; ask for one of {known}.")
    return fmt


async def _problem(scope: Scope, receive: Receive, send: Send, status: int, detail: str, headers: dict[str, str]) -> None:
    response = problem_response(Request(scope), status, _title(status), detail, {"Access-Control-Allow-Origin": "*", **headers})
    await response(scope, receive, send)


def _title(status: int) -> str:
    from endpoint.errors import _TITLES  # the one table of titles

    return _TITLES.get(status, "Error")


def _limits_link(scope: Scope, settings: Settings) -> str:
    return _public_root(scope, settings) + PATH + "#limits"


#: (media type, build) → the headers every answer of that kind carries; built once, copied per answer.
_FIXED_HEADERS: dict[tuple[str, str], list[tuple[bytes, bytes]]] = {}


def _fixed_headers(media_type: str, build_id: str) -> list[tuple[bytes, bytes]]:
    fixed = _FIXED_HEADERS.get((media_type, build_id))
    if fixed is None:
        if len(_FIXED_HEADERS) >= 256:  # old builds
            _FIXED_HEADERS.clear()
        fixed = _FIXED_HEADERS[(media_type, build_id)] = [
            (b"content-type", media.ALIASES[media_type].content_type.encode()),
            (b"vary", b"Accept"),
            (b"access-control-allow-origin", b"*"),
            (b"access-control-expose-headers", _EXPOSE),
            (b"x-kg-build", build_id.encode()),
        ]
    return fixed


#: A kept answer may be stored by any cache but must be revalidated: a new build can go live at any moment.
_REVALIDATE = (b"cache-control", b"public, no-cache")


async def _send_answer(scope: Scope, send: Send, answer: Answer, settings: Settings, head_only: bool) -> None:
    body = answer.body
    headers = _fixed_headers(answer.media_type, answer.build_id).copy()
    if answer.cached:
        headers.append((b"server-timing", b'cache;desc="hit"'))
    else:
        headers.append((b"server-timing", b"query;dur=%.2f;desc=%s" % (answer.elapsed * 1000, b'"inline"' if answer.inline else b'"worker"')))
    if answer.etag and scope["method"] != "POST":
        headers.append((b"etag", answer.etag.encode()))
        headers.append(_REVALIDATE)
        if_none_match = _header(scope, b"if-none-match")
        if if_none_match is not None and etag_matches(if_none_match, answer.etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
    if answer.rows >= 0:
        headers.append((b"x-kg-rows", b"%d" % answer.rows))
    if answer.truncated:
        limit = settings.max_result_rows if answer.truncated == "rows" else settings.max_result_bytes
        headers.append((b"x-kg-truncated", f"{answer.truncated}; limit={limit}".encode()))
        body = _mark_truncated(body, answer, limit, _limits_link(scope, settings))
    headers.append((b"content-length", b"%d" % len(body)))
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head_only else body})


def _mark_truncated(body: bytes, answer: Answer, limit: int, link: str) -> bytes:
    """Say in the body, where the format allows it, that the answer was cut."""
    note = f"Answer truncated at the {answer.truncated} limit of {limit} ({answer.rows} kept)"
    if answer.media_type == "application/sparql-results+json" and body.startswith(b'{"head":{'):
        return b'{"head":{"link":' + json.dumps([link]).encode() + b"," + body[len(b'{"head":{') :]
    if answer.media_type == "application/sparql-results+xml":
        return body.replace(b"</head>", f'<link href="{html.escape(link)}"/></head>'.encode(), 1)
    if answer.media_type in ("text/turtle", "application/n-triples", "application/n-quads", "application/trig"):
        return f"# {note}: see {link}\n".encode() + body
    return body


class _Engine:
    """The runner of one application, started in the background at startup."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.runner: QueryRunner | None = None
        self._starting: Any = None
        #: GET requests already checked and negotiated: (query string, Accept) → job. A repeated
        #: request (a dashboard, a harvester, a benchmark) skips parsing, the guard and negotiation;
        #: it still goes through the runner (deadline, memo of proven-cheap queries) every time.
        self.prepared: dict[tuple[bytes, str | None], Job] = {}

    def prestart(self) -> None:
        import asyncio

        if self._starting is None:
            self._starting = asyncio.get_running_loop().create_task(self._start())
            self._starting.add_done_callback(lambda t: t.cancelled() or t.exception())  # retrieved on use

    async def _start(self) -> QueryRunner:
        settings: Settings = state_of(self.app).settings
        runner = QueryRunner(settings, lambda: state_of(self.app).store)
        try:
            await runner.start()
        except BaseException:
            await runner.close()
            raise
        self.runner = runner
        # Everything alive now (modules, routes, templates) lives as long as the process: move it
        # out of the collector's sight, or each full collection walks it and stalls the hot path
        # for tens of milliseconds (measured: p99 from ~100 ms down to a few ms under load).
        gc.collect()
        gc.freeze()
        return runner

    async def run(self, job: Job) -> Answer:
        runner = self.runner
        if runner is None:
            self.prestart()
            try:
                runner = await self._starting
            except KGError:
                self._starting = None  # try again on the next request
                raise
            except Exception as exc:
                self._starting = None
                raise StoreError("The query workers could not start; see the server log.") from exc
        return await runner.run(job)

    async def close(self) -> None:
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
        if self.runner is not None:
            await self.runner.close()


def _engine(app: Any) -> _Engine:
    return state_of(app).part(_Engine, lambda: _Engine(app))


# --- GET /sparql without a query: the page and the Service Description ------------------------

router = APIRouter()


def _public_root(scope: Scope, settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return str(Request(scope).base_url).rstrip("/")


@router.get(PATH, include_in_schema=True, summary="SPARQL 1.1 endpoint (query page, Service Description)")
async def sparql_home(request: Request) -> Response:
    """The query page for browsers; the Service Description for every other client.

    Queries themselves (``?query=`` and POST) are answered before routing by
    :class:`SparqlFastPath`.
    """
    settings: Settings = state_of(request.app).settings
    fmt = conneg.by_name(request.query_params.get("format"), SD_OFFERS) or conneg.negotiate(request.headers.get("accept"), SD_OFFERS)
    if fmt is None:
        raise QueryError("Ask for the Service Description as Turtle, JSON-LD, N-Triples or RDF/XML, or for the HTML page.")
    if fmt is media.HTML:
        return HTMLResponse(query_page(request, settings), headers={"Vary": "Accept"})
    root = _public_root(request.scope, settings)
    body = service_description(root, state_of(request.app).store, fmt)
    return Response(body, media_type=None, headers={"Content-Type": fmt.content_type, "Vary": "Accept", "Access-Control-Allow-Origin": "*"})


def service_description(root: str, store: GraphStore, fmt: media.Format) -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``{root}/sparql``."""
    endpoint = root + PATH
    sd = PREFIXES["sd"]
    void = PREFIXES["void"]
    dct = PREFIXES["dct"]
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    service, dataset, graph = (ox.NamedNode(endpoint + frag) for frag in ("#service", "#dataset", "#default-graph"))

    def n(ns: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(ns + local)

    triples = [
        ox.Triple(service, rdf_type, n(sd, "Service")),
        ox.Triple(service, n(sd, "endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, n(sd, "supportedLanguage"), n(sd, "SPARQL11Query")),
        ox.Triple(service, n(sd, "feature"), n(sd, "UnionDefaultGraph")),
        ox.Triple(service, n(sd, "defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, n(sd, "defaultDataset"), dataset),
        ox.Triple(service, n(dct, "title"), ox.Literal("SPARQL-endpoint van Lokaal Circulair", language="nl")),
        ox.Triple(service, n(dct, "title"), ox.Literal("Lokaal Circulair SPARQL endpoint", language="en")),
        ox.Triple(service, n(dct, "description"), ox.Literal(
            "Read-only SPARQL 1.1 endpoint. The default graph is the union of all record graphs. "
            "SPARQL Update and SERVICE are refused; every query has a deadline and a result cap "
            f"(see {endpoint}#limits).", language="en")),
        ox.Triple(dataset, rdf_type, n(sd, "Dataset")),
        ox.Triple(dataset, rdf_type, n(void, "Dataset")),
        ox.Triple(dataset, n(sd, "defaultGraph"), graph),
        ox.Triple(dataset, n(void, "sparqlEndpoint"), ox.NamedNode(endpoint)),
        ox.Triple(dataset, ox.NamedNode(PREFIXES["rdfs"] + "seeAlso"), ox.NamedNode(root + "/.well-known/void")),
        ox.Triple(dataset, ox.NamedNode(PREFIXES["rdfs"] + "seeAlso"), ox.NamedNode(root + "/catalog")),
        ox.Triple(dataset, ox.NamedNode(PREFIXES["rdfs"] + "seeAlso"), ox.NamedNode(root + "/ldes")),
        ox.Triple(graph, rdf_type, n(sd, "Graph")),
    ]
    for local in _FORMAT_IRIS:
        triples.append(ox.Triple(service, n(sd, "resultFormat"), ox.NamedNode("http://www.w3.org/ns/formats/" + local)))
    info = store.build_info()
    if info is not None:
        count = ox.Literal(str(info.triples), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
        triples.append(ox.Triple(graph, n(void, "triples"), count))
        triples.append(ox.Triple(dataset, n(void, "triples"), count))
    assert fmt.rdf is not None
    prefixes = {k: PREFIXES[k] for k in ("sd", "void", "dct", "rdfs")} if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    body = ox.serialize(triples, format=fmt.rdf, prefixes=prefixes) if prefixes else ox.serialize(triples, format=fmt.rdf)
    return body or b""


# --- the query page ---------------------------------------------------------------------------


def example_queries(folder: Path) -> list[dict[str, str]]:
    """The example queries of ``queries/*.rq``: name, title, description, text (sorted by file name)."""
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta = {"title": path.stem, "description": ""}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, _, value = line[1:].strip().partition(":")
            if key.strip() in meta and value.strip():
                meta[key.strip()] = value.strip()
        examples.append({"name": path.stem, "title": meta["title"], "description": meta["description"], "query": text})
    return examples


def query_page(request: Request, settings: Settings) -> str:
    """The HTML query page: editor, examples, results table, downloads (all text escaped)."""
    examples = example_queries(settings.queries_dir)
    prefixes = {k: PREFIXES[k] for k in ("rdf", "rdfs", "skos", "dct", "schema", "org", "prov", "foaf", "xsd", "circ", "adms", "besluit", "frapo", "person", "owl")}
    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes.items())
    initial = request.query_params.get("query") or (prologue + "\nSELECT ?praktijk ?titel WHERE {\n  ?praktijk a circ:Praktijk ;\n    dct:title ?titel .\n  FILTER(LANG(?titel) = \"nl\")\n}\nORDER BY ?titel\nLIMIT 100\n")
    config = {
        "endpoint": PATH,
        "base": settings.base_iri,
        "prefixes": prefixes,
        "examples": examples,
        "formats": [{"label": f.label, "suffix": f.suffix, "media": f.media_type} for f in media.RESULT_FORMATS + media.GRAPH_FORMATS],
        "autorun": bool(request.query_params.get("query")),
        "limits": {"timeout": settings.query_timeout, "rows": settings.max_result_rows, "bytes": settings.max_result_bytes},
    }
    template = _TEMPLATES.get_template("sparql.html")
    return template.render(
        initial=initial,
        examples=examples,
        settings=settings,
        # </ cannot end the script element early: JSON escapes it.
        config_json=json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
        build=state_of(request.app).store.build_id,
        now=time.strftime("%Y"),
    )

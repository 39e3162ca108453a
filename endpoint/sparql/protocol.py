"""The SPARQL 1.1 Protocol, to the letter: what an HTTP request to ``/sparql`` asks for.

Every rule is decided here once, for both ways a request reaches the endpoint
(the fast path ahead of FastAPI and the FastAPI routes, see
:mod:`endpoint.sparql.routes`): from the method, the query string, the
headers and the body to the query text, the dataset and the answer format,
i.e. a :class:`~endpoint.sparql.jobs.Job`, or a refusal.

* ``GET ?query=``, ``POST`` url-encoded and ``POST application/sparql-query``;
* ``default-graph-uri``/``named-graph-uri`` (they replace ``FROM``/``FROM NAMED``);
* the answer format by ``Accept`` (q-values, wildcards) or ``format=``;
* the query passes :mod:`endpoint.sparql.query_guard` (no UPDATE, no SERVICE).

Rules and their answers (each refusal is an error class below, or of :mod:`kg.errors`,
carrying its status)::

    method other than GET/HEAD/POST/OPTIONS          405 (Allow: GET, HEAD, POST, OPTIONS)
    two query parameters, query in URL and body      400
    update= parameter or an update as query          403 read-only
    SERVICE anywhere in the query                    400, before execution
    POST with another media type / charset           415
    body that is not UTF-8 / not url-encoded UTF-8   400
    body larger than KG_MAX_BODY_BYTES               413
    syntax error                                     400, short: line, column, the text there (parse_errors)
    no acceptable format                             406 listing the offers
    deadline KG_QUERY_TIMEOUT passed                 503 naming the limit (the worker pool's)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.types import Receive, Scope

from endpoint import conneg
from endpoint.sparql.jobs import Job
from endpoint.sparql.prefixes import declare
from endpoint.sparql.query_guard import QueryShape, inspect
from kg import media
from kg.errors import KGError, UpdateRefused
from kg.settings import Settings

__all__ = [
    "PATH", "ALLOW", "QueryRequest", "ProtocolError", "MethodNotAllowed", "NotAcceptable", "BodyTooLarge",
    "UnsupportedMediaType", "carries_query", "read_query_request", "plan", "answer_format", "dataset", "header",
    "public_root", "RESULT_OFFERS", "GRAPH_OFFERS", "FORMAT_WORDS",
]

PATH = "/sparql"
#: The methods of the endpoint (OPTIONS: CORS preflight, answered by the application's CORS middleware).
ALLOW = "GET, HEAD, POST, OPTIONS"

#: What a query's answer can be: its data formats, then the query page (GET only) for browsers.
RESULT_OFFERS = media.RESULT_FORMATS + (media.HTML,)
GRAPH_OFFERS = media.GRAPH_FORMATS + (media.HTML,)

#: ``format=`` words that mean one thing for results and another for graphs: "xml" is
#: SPARQL XML for SELECT/ASK and RDF/XML for CONSTRUCT/DESCRIBE; "json" likewise. The
#: first of the formats that the query's kind offers is meant.
FORMAT_WORDS: dict[str, tuple[media.Format, ...]] = {
    "xml": (media.SPARQL_XML, media.RDFXML),
    "json": (media.SPARQL_JSON, media.JSONLD),
    "application/json": (media.SPARQL_JSON, media.JSONLD),
    "application/xml": (media.SPARQL_XML, media.RDFXML),
}

#: A graph name that never holds a triple: the empty part of a dataset given only in part.
EMPTY_GRAPH = "urn:x-lokaalcirculair:empty-graph"

_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)
_FORM, _DIRECT, _UPDATE = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"
_READ_ONLY = "This endpoint is read-only: SPARQL Update is not accepted (the update parameter was sent)."


# --- refusals -----------------------------------------------------------------------------------


class ProtocolError(KGError):
    """A request that breaks a rule of the SPARQL 1.1 Protocol; the message names the rule.

    Subclasses carry the status of their rule; ``headers`` go with the error answer.
    """

    http_status = 400
    title = "Bad Request"

    def __init__(self, detail: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(detail)
        self.headers: dict[str, str] = dict(headers or {})


class MethodNotAllowed(ProtocolError):
    """A method the protocol does not use."""

    http_status = 405
    title = "Method Not Allowed"


class NotAcceptable(ProtocolError):
    """No format the client accepts can carry the answer."""

    http_status = 406
    title = "Not Acceptable"


class BodyTooLarge(ProtocolError):
    """A request body over ``KG_MAX_BODY_BYTES``."""

    http_status = 413
    title = "Content Too Large"


class UnsupportedMediaType(ProtocolError):
    """A POST body that is neither of the protocol's two media types, or not UTF-8."""

    http_status = 415
    title = "Unsupported Media Type"


# --- the request --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryRequest:
    """A query as the protocol received it: its text and every parameter (URL and form body)."""

    query: str
    params: dict[str, list[str]]


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of request header ``name`` (lower-case bytes), as text."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def carries_query(method: str) -> bool:
    """Whether a request with this method can carry a query (OPTIONS cannot); refuses the other methods.

    >>> carries_query("POST"), carries_query("OPTIONS")
    (True, False)
    >>> carries_query("PUT")
    Traceback (most recent call last):
    ...
    endpoint.sparql.protocol.MethodNotAllowed: The SPARQL protocol answers GET and POST on /sparql, not PUT. ...
    """
    if method in ("GET", "HEAD", "POST"):
        return True
    if method == "OPTIONS":
        return False
    raise MethodNotAllowed(
        f"The SPARQL protocol answers GET and POST on {PATH}, not {method}. Send the query as ?query=… or in a POST body.",
        {"Allow": ALLOW},
    )


async def read_query_request(scope: Scope, receive: Receive, max_body: int) -> QueryRequest | None:
    """The query and the other parameters, after checking every rule of the request; None when
    a GET or HEAD carries no query (it asks for the query page or the Service Description)."""
    raw = scope["query_string"]
    params = _params(raw.decode("latin-1"), "query string") if raw else {}
    if scope["method"] != "POST":
        if "update" in params:
            raise UpdateRefused(_READ_ONLY)
        if "query" not in params:
            return None
        return QueryRequest(_one_query(params["query"], "the URL"), params)
    body = await _read_body(scope, receive, max_body)
    media_type, charset = _content_type(header(scope, b"content-type") or "")
    if charset and charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"The body is declared as charset={charset}; the SPARQL protocol requires UTF-8.")
    if media_type == _FORM:
        return _form_request(body, params)
    if media_type == _DIRECT:
        return _direct_request(body, params)
    if media_type == _UPDATE:
        raise UpdateRefused("This endpoint is read-only: SPARQL Update (application/sparql-update) is not accepted.")
    raise UnsupportedMediaType(
        f"A POST to {PATH} must be application/x-www-form-urlencoded or application/sparql-query "
        f"(SPARQL 1.1 Protocol §2.1), not {media_type or 'without a Content-Type'}."
    )


def _params(text: str, where: str) -> dict[str, list[str]]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"The {where} is not valid UTF-8 once percent-decoded; the SPARQL protocol requires UTF-8.") from exc
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    length = header(scope, b"content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise BodyTooLarge(f"The request body has {int(length)} bytes; this endpoint accepts at most {limit} (KG_MAX_BODY_BYTES).")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"The request body is larger than {limit} bytes, the most this endpoint accepts (KG_MAX_BODY_BYTES).")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _content_type(value: str) -> tuple[str, str]:
    """(media type, charset) of a Content-Type header, both lower-case; "" for what is missing.

    >>> _content_type('Application/SPARQL-Query; charset="UTF-8"')
    ('application/sparql-query', 'utf-8')
    """
    media_type, _, rest = value.lower().partition(";")
    charset = ""
    for part in rest.split(";"):
        key, _, val = part.partition("=")
        if key.strip() == "charset":
            charset = val.strip().strip('"')
    return media_type.strip(), charset


def _form_request(body: bytes, params: dict[str, list[str]]) -> QueryRequest:
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ProtocolError("A url-encoded body must be ASCII with percent-encoded UTF-8; this one has raw non-ASCII bytes.") from exc
    form = _params(text, "request body")
    if "update" in form:
        raise UpdateRefused(_READ_ONLY)
    if "query" in params:
        raise ProtocolError("A url-encoded POST carries its query in the body, but this request also has a query parameter in the URL. Send exactly one query.")
    if "query" not in form:
        raise ProtocolError("The POST body has no query parameter. Send query=… (url-encoded) or the query itself as application/sparql-query.")
    for key, values in params.items():  # parameters in the URL still count (format=, graphs)
        form.setdefault(key, []).extend(values)
    return QueryRequest(_one_query(form["query"], "the body"), form)


def _direct_request(body: bytes, params: dict[str, list[str]]) -> QueryRequest:
    if "query" in params:
        raise ProtocolError("An application/sparql-query POST is the query itself; it must not also have a query parameter in the URL.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"The query in the body is not valid UTF-8 (byte {exc.start}); the SPARQL protocol requires UTF-8.") from exc
    if not text.strip():
        raise ProtocolError("The POST body is empty; it should be the SPARQL query.")
    return QueryRequest(text, params)


def _one_query(values: list[str], where: str) -> str:
    if len(values) > 1:
        raise ProtocolError(f"The request has {len(values)} query parameters in {where}; the SPARQL protocol allows exactly one.")
    if not values[0].strip():
        raise ProtocolError("The query parameter is empty; put a SPARQL query in it.")
    return values[0]


# --- what the request asks for -------------------------------------------------------------------


def plan(request: QueryRequest, method: str, accept: str | None, settings: Settings) -> Job | None:
    """The job a query request asks for; None when it asks for the query page (a browser following a query link).

    The project prefixes the query uses without declaring them are declared (see :mod:`endpoint.sparql.prefixes`).
    """
    shape = inspect(request.query)
    query, prologue = declare(request.query, shape)
    if prologue and _FROM.search(request.query):  # FROM circ:… names a graph with a prefix only now declared
        shape = inspect(query)
    offers = GRAPH_OFFERS if shape.form in ("CONSTRUCT", "DESCRIBE") else RESULT_OFFERS
    if method == "POST":  # the page answers GET only; a POST always gets data
        offers = offers[:-1]
    fmt = answer_format(request.params, accept, offers)
    if fmt is media.HTML:
        return None
    default_graphs, named_graphs = dataset(request.params, shape)
    return Job(query, default_graphs, named_graphs, fmt.media_type, settings.max_result_rows,
               settings.max_result_bytes, shape.deterministic, prologue)


def answer_format(params: Mapping[str, list[str]], accept: str | None, offers: tuple[media.Format, ...]) -> media.Format:
    """The answer's format: the last ``format=`` if given (it must be one of the offers), else by ``Accept``.

    >>> answer_format({"format": ["xml"]}, None, RESULT_OFFERS).label, answer_format({"format": ["xml"]}, None, GRAPH_OFFERS).label
    ('SPARQL XML', 'RDF/XML')
    >>> answer_format({}, "text/csv;q=0.5, text/tab-separated-values", RESULT_OFFERS).label
    'TSV'
    """
    names = params.get("format")
    if names:
        # SPARQLWrapper sends a word and then media types, comma-separated (format=json-ld&format=application/ld+json,
        # application/x-json+ld): the last value naming a format wins; within one value, the first that does.
        for name in reversed(names):
            fmt = next(filter(None, (_named(part, offers) for part in name.split(","))), None)
            if fmt is not None:
                return fmt
        known = ", ".join(f.suffix for f in offers)
        raise ProtocolError(f"Unknown or unsuitable format={names[-1]!r} for this query; use one of {known}.")
    fmt = conneg.negotiate(accept, offers)
    if fmt is None:
        known = ", ".join(f.media_type for f in offers if f is not media.HTML)
        raise NotAcceptable(f"None of the media types in Accept: {accept} can carry this answer; ask for one of {known}.")
    return fmt


def _named(name: str, offers: tuple[media.Format, ...]) -> media.Format | None:
    """The offer one ``format=`` name means (a suffix, a media type, or a word of :data:`FORMAT_WORDS`).

    >>> _named("n3", GRAPH_OFFERS).label, _named(" application/x-json+ld", GRAPH_OFFERS).label
    ('Turtle', 'JSON-LD')
    """
    word = name.split(";")[0].strip().lower()
    fmt = conneg.by_name(word, offers)
    return fmt or next((f for f in FORMAT_WORDS.get(word, ()) if f in offers), None)


def dataset(params: Mapping[str, list[str]], shape: QueryShape) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(default graphs, named graphs): the protocol's parameters, else the query's FROM/FROM NAMED.

    A dataset given only in part has an empty other part (SPARQL 1.1 §13.2).

    >>> dataset({"default-graph-uri": ["urn:g"]}, inspect("SELECT * FROM <urn:f> {}"))
    (('urn:g',), ('urn:x-lokaalcirculair:empty-graph',))
    """
    default_graphs = tuple(params.get("default-graph-uri", ()))
    named_graphs = tuple(params.get("named-graph-uri", ()))
    if not default_graphs and not named_graphs and shape.has_dataset:
        default_graphs, named_graphs = shape.default_graphs, shape.named_graphs
    if (default_graphs or named_graphs) and not (default_graphs and named_graphs):
        default_graphs = default_graphs or (EMPTY_GRAPH,)
        named_graphs = named_graphs or (EMPTY_GRAPH,)
    return default_graphs, named_graphs


def public_root(scope: Scope, settings: Settings) -> str:
    """Where the service is, for links in answers: ``KG_PUBLIC_URL``, else the request's own base URL."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return str(Request(scope).base_url).rstrip("/")

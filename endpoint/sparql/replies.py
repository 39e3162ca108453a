"""The HTTP reply to a SPARQL request: status, headers and body, made here once for both paths.

Every answer carries ``Content-Type``, ``Vary: Accept``, the CORS headers of
:mod:`endpoint.headers`, ``X-KG-Build`` (the build that answered) and
``Server-Timing``: ``query;dur=ms`` with ``desc="worker"`` or ``"inline"``
(where it ran), or ``cache;desc="hit"`` when the answer was kept from an
identical earlier request on the same build (:mod:`endpoint.sparql.answer_cache`).
``X-KG-Rows`` counts the rows (or triples) of a counted answer. Kept answers to
GET carry an ``ETag`` and ``Cache-Control: public, no-cache``; ``If-None-Match``
with it gives a 304.

Answers cut by ``KG_MAX_RESULT_ROWS`` or ``KG_MAX_RESULT_BYTES`` say so in the
header ``X-KG-Truncated: rows; limit=N`` (or ``bytes``) and, where the format
has room for it, in the body: a ``link`` in the head of SPARQL JSON/XML
results pointing at ``/sparql#limits``, a ``#`` comment on the first line of
Turtle, N-Triples, N-Quads and TriG.

Errors are written by :func:`endpoint.errors.problem_response`, the one error
writer, from the error's own status and title, with the same CORS headers.
"""

from __future__ import annotations

import html
import json
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from endpoint.answer_headers import etag_matches
from endpoint.errors import problem_response
from endpoint.headers import CORS, raw_headers
from endpoint.sparql.jobs import Answer
from endpoint.sparql.protocol import PATH, header, public_root
from kg import media
from kg.settings import Settings

__all__ = ["AnswerResponse", "answer_response", "error_response"]

logger = logging.getLogger("endpoint")

#: A kept answer may be stored by any cache but must be revalidated: a new build can go live at any moment.
_REVALIDATE = (b"cache-control", b"public, no-cache")
_CORS = raw_headers(CORS)
#: Formats with a comment syntax for the truncation note on their first line.
_COMMENTED = frozenset({"text/turtle", "application/n-triples", "application/n-quads", "application/trig"})


class AnswerResponse(Response):
    """A response whose status, raw headers and body are final: sent as they are.

    Starlette's ``Response`` would compute headers again; an answer has them already.
    """

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status_code = status
        self.raw_headers = headers
        self.body = body
        self.background = None


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
            *_CORS,
            (b"x-kg-build", build_id.encode()),
        ]
    return fixed


def answer_response(scope: Scope, answer: Answer, settings: Settings) -> AnswerResponse:
    """The reply carrying ``answer`` (a 304 when the client's copy is current; no body to HEAD)."""
    body = answer.body
    headers = _fixed_headers(answer.media_type, answer.build_id).copy()
    if answer.cached:
        headers.append((b"server-timing", b'cache;desc="hit"'))
    else:
        where = b'"inline"' if answer.inline else b'"worker"'
        headers.append((b"server-timing", b"query;dur=%.2f;desc=%s" % (answer.elapsed * 1000, where)))
    if answer.etag and scope["method"] != "POST":
        headers.append((b"etag", answer.etag.encode()))
        headers.append(_REVALIDATE)
        if_none_match = header(scope, b"if-none-match")
        if if_none_match is not None and etag_matches(if_none_match, answer.etag):
            return AnswerResponse(304, headers, b"")
    if answer.rows >= 0:
        headers.append((b"x-kg-rows", b"%d" % answer.rows))
    if answer.truncated:
        limit = settings.max_result_rows if answer.truncated == "rows" else settings.max_result_bytes
        headers.append((b"x-kg-truncated", f"{answer.truncated}; limit={limit}".encode()))
        body = mark_truncated(body, answer, limit, public_root(scope, settings) + PATH + "#limits")
    headers.append((b"content-length", b"%d" % len(body)))
    return AnswerResponse(200, headers, b"" if scope["method"] == "HEAD" else body)


def mark_truncated(body: bytes, answer: Answer, limit: int, link: str) -> bytes:
    """Say in the body, where the format allows it, that the answer was cut.

    >>> cut = Answer(b"<s/>", "text/turtle", "graph", 3, "rows", 0.0, "b")
    >>> mark_truncated(b"<s> <p> <o> .", cut, 3, "http://x/sparql#limits").decode()
    '# Answer truncated at the rows limit of 3 (3 kept): see http://x/sparql#limits\\n<s> <p> <o> .'
    """
    note = f"Answer truncated at the {answer.truncated} limit of {limit} ({answer.rows} kept)"
    if answer.media_type == "application/sparql-results+json" and body.startswith(b'{"head":{'):
        return b'{"head":{"link":' + json.dumps([link]).encode() + b"," + body[len(b'{"head":{') :]
    if answer.media_type == "application/sparql-results+xml":
        return body.replace(b"</head>", f'<link href="{html.escape(link)}"/></head>'.encode(), 1)
    if answer.media_type in _COMMENTED:
        return f"# {note}: see {link}\n".encode() + body
    return body


def error_response(scope: Scope, error: Exception) -> Response:
    """The problem answer for any error, by the one function of :mod:`endpoint.errors`, with the
    CORS headers the application's middleware would add (the fast path answers ahead of it).
    An error nobody foresaw is logged there and answered as a 500."""
    response = problem_response(Request(scope), error)
    response.headers.update(dict(CORS))
    return response

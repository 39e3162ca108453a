"""Errors as data, and the one function that turns any of them into an answer.

Route code raises; it never writes an error page itself. :class:`HTTPProblem` is the web
tier's member of the one hierarchy (:class:`kg.errors.KGError`): like every other error it
carries its HTTP status and title as data, per instance, because a route knows which
status it means (404 for an unknown thing, 406 for no acceptable format, 410 for a
withdrawn IRI). :func:`problem_response` answers *any* exception — a ``KGError``
(``HTTPProblem`` included), a Starlette ``HTTPException``, a request validation error, an
unexpected one (500, logged, no trace leaves the server) — in the form the client asked
for: an HTML page in the site's layout for browsers, ``application/problem+json``
(RFC 9457) for code that reads JSON, plain text otherwise (SPARQL clients). The status
and title always come from the exception's class or instance, never from its message.
The routed application and the fast paths both answer errors through it.

An error page is written in the reader's language only: its heading comes from the message
catalogue (``error_<status>``), and so does its explanation when the raiser named one
(``HTTPProblem(..., key="error_year", params={...})``); an error that names none gets the
status's explanation in the reader's language, with the technical detail (English, the
language of the error tree) marked ``lang="en"``.

>>> problem = HTTPProblem(404, "There is nothing at /doc/x/y.")
>>> problem.http_status, problem.title, isinstance(problem, KGError)
(404, 'Not Found', True)
>>> title_of(503), title_of(599)
('Service Unavailable', 'Error')
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Mapping

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from endpoint.layout import reader_of, render
from kg.errors import KGError

__all__ = ["HTTPProblem", "TITLES", "install_error_handlers", "problem_of", "problem_response", "title_of"]

logger = logging.getLogger("endpoint")

#: The title of each status this service answers with (RFC 9110 reason phrases).
TITLES: dict[int, str] = {
    400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
    410: "Gone", 413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content", 429: "Too Many Requests",
    500: "Internal Server Error", 503: "Service Unavailable", 504: "Gateway Timeout",
}


def title_of(status: int) -> str:
    """The title of a status (``Error`` for one this service never answers with)."""
    return TITLES.get(status, "Error")


class HTTPProblem(KGError):
    """An error answer raised by route code: its status, title, detail and extra headers."""

    def __init__(self, status: int, detail: str, title: str | None = None, headers: dict[str, str] | None = None,
                 key: str | None = None, params: Mapping[str, object] | None = None) -> None:
        super().__init__(detail)
        self.http_status = status
        self.title = title or title_of(status)
        self.detail = detail
        self.headers = dict(headers or {})
        #: The message catalogue's text for the error pages (``detail`` is its English wording).
        self.key = key
        self.params = dict(params or {})


@dataclass(frozen=True)
class ProblemDetails:
    """What an error answer says (RFC 9457): status, title, detail, and headers to send with it."""

    status: int
    title: str
    detail: str
    headers: dict[str, str] = field(default_factory=dict)
    key: str | None = None  # the catalogue's text of ``detail``, for pages in the reader's language
    params: dict[str, object] = field(default_factory=dict)


_UNEXPECTED = "Something went wrong on our side; the error was logged."


def problem_of(request: Request, exc: BaseException) -> ProblemDetails:
    """The problem an exception reports; an unexpected one is logged and reported as a 500."""
    if isinstance(exc, KGError):
        # Errors that belong to an answer's protocol (HTTPProblem, the SPARQL protocol's refusals)
        # carry the headers that go with them (Allow, Retry-After); the others have none.
        headers: Mapping[str, str] = getattr(exc, "headers", None) or {}
        return ProblemDetails(exc.http_status, exc.title, str(exc), dict(headers),
                              getattr(exc, "key", None), dict(getattr(exc, "params", None) or {}))
    if isinstance(exc, StarletteHTTPException):
        title = title_of(exc.status_code)
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
            return ProblemDetails(404, title, detail, dict(exc.headers or {}), "error_nothing_at", {"path": request.url.path})
        return ProblemDetails(exc.status_code, title, detail, dict(exc.headers or {}))
    if isinstance(exc, RequestValidationError):
        parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return ProblemDetails(400, title_of(400), "; ".join(parts))
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return ProblemDetails(500, title_of(500), _UNEXPECTED)


def problem_response(request: Request, exc: BaseException) -> Response:
    """Answer an exception in the representation the client prefers (see the module docstring)."""
    problem = problem_of(request, exc)
    status, headers = problem.status, {"Cache-Control": "no-store", **problem.headers}
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers)
    accept = request.headers.get("accept", "")
    if "text/html" in accept:
        return HTMLResponse(_error_page(request, problem), status_code=status, headers=headers)
    if "json" in accept:
        return JSONResponse(
            {"type": "about:blank", "title": problem.title, "status": status, "detail": problem.detail},
            status_code=status,
            media_type="application/problem+json",
            headers=headers,
        )
    return PlainTextResponse(f"{status} {problem.title}: {problem.detail}\n", status_code=status, headers=headers)


def _error_page(request: Request, problem: ProblemDetails) -> bytes:
    """The HTML error page in the site's layout and the reader's language."""
    reader = reader_of(request)
    status = problem.status
    heading = reader.t.get(f"error_{status}", reader.t["error_other"] if status >= 500 else reader.t["error_4xx"])
    if problem.key and problem.key in reader.t:
        explained, technical = reader.t[problem.key].format(**problem.params), ""
    else:
        explained = reader.t.get(f"error_{status}_explained", reader.t["error_explained"])
        technical = problem.detail
    return render("error.html", reader, "/", status=status, title=heading, heading=heading, detail=explained,
                  technical=technical)


async def _handle(request: Request, exc: Exception) -> Response:
    return problem_response(request, exc)


def install_error_handlers(app: FastAPI) -> None:
    """Send every error the application raises to :func:`problem_response` (registered once, here)."""
    for kind in (KGError, StarletteHTTPException, RequestValidationError, Exception):
        app.add_exception_handler(kind, _handle)

"""One HTTP error handler for every error the service reports.

Maps the ``kg.errors`` hierarchy to status codes and answers in the form the
client asked for: an HTML page for browsers, ``application/problem+json``
(RFC 9457) otherwise, plain text for SPARQL clients that prefer it. Messages
are the ones written for people in ``kg.errors``; no stack traces leave the
server.
"""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import KGError

logger = logging.getLogger("endpoint")


class HTTPProblem(Exception):
    """An error answer raised by route code: status, title, detail, extra headers."""

    def __init__(self, status: int, detail: str, title: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or _TITLES.get(status, "Error")
        self.headers = headers or {}


_TITLES = {
    400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
    410: "Gone", 413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
    500: "Internal Server Error", 503: "Service Unavailable", 504: "Gateway Timeout",
}


def problem_response(request: Request, status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    """Answer an error in the representation the client prefers."""
    accept = request.headers.get("accept", "")
    headers = {"Cache-Control": "no-store", **(headers or {})}
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers)
    if "text/html" in accept:
        from endpoint.responses import error_page  # the site's layout once a build is served (imports this module)

        page = error_page(request, status, title, detail)
        if page is not None:
            return HTMLResponse(page, status_code=status, headers=headers)
        body = (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
            f"<title>{status} {html.escape(title)}</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head>"
            f"<body><main class=\"error\"><h1>{status} {html.escape(title)}</h1><p>{html.escape(detail)}</p>"
            "<p><a href=\"/\">Home</a></p></main></body></html>"
        )
        return HTMLResponse(body, status_code=status, headers=headers)
    if "application/problem+json" in accept or "application/json" in accept or "json" in accept:
        return JSONResponse(
            {"type": "about:blank", "title": title, "status": status, "detail": detail},
            status_code=status,
            media_type="application/problem+json",
            headers=headers,
        )
    return PlainTextResponse(f"{status} {title}: {detail}\n", status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers (once, here: no copy-pasted handlers elsewhere)."""

    @app.exception_handler(HTTPProblem)
    async def _problem(request: Request, exc: HTTPProblem) -> Response:
        return problem_response(request, exc.status, exc.title, exc.detail, exc.headers)

    @app.exception_handler(KGError)
    async def _kg(request: Request, exc: KGError) -> Response:
        return problem_response(request, exc.http_status, exc.title, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
        return problem_response(request, exc.status_code, _TITLES.get(exc.status_code, "Error"), detail, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return problem_response(request, 400, "Bad Request", "; ".join(parts))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(request, 500, "Internal Server Error", "Something went wrong on our side; the error was logged.")

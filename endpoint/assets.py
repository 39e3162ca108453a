"""``/static/…``: the files of ``endpoint/static`` (CSS, scripts, the bundled editor).

The editor bundle in ``endpoint/static/vendor/`` is built from npm packages by
``npm ci && npm run build`` (see ``package.json``) and is not in git; nothing is
loaded from a CDN, so the pages work without internet access. A path can never
leave the folder: it is resolved and checked before anything is read.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from endpoint.answer_headers import ALLOW_ANY_ORIGIN
from endpoint.errors import HTTPProblem

STATIC_DIR = Path(__file__).resolve().parent / "static"

_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".jsonld": "application/ld+json; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}

router = APIRouter()


@router.api_route("/favicon.ico", methods=["GET", "HEAD"], include_in_schema=False)
def favicon() -> FileResponse:
    """Browsers and crawlers ask ``/favicon.ico`` whatever the page says: the site's icon, not a 404."""
    return static_file("favicon.ico")


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
def static_file(path: str) -> FileResponse:
    """One file of the static folder, or 404 (also for any path that would leave it)."""
    target = (STATIC_DIR / path).resolve()
    if not target.is_relative_to(STATIC_DIR) or not target.is_file() or target.name.endswith(".src.js"):
        hint = " The editor bundle is built by `npm ci && npm run build`." if path.startswith("vendor/") else ""
        raise HTTPProblem(404, f"There is no static file {path!r}.{hint}")
    media = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    cache = "public, max-age=86400" if path.startswith("vendor/") else "public, max-age=300"
    return FileResponse(target, headers={"Content-Type": media, "Cache-Control": cache, **ALLOW_ANY_ORIGIN})

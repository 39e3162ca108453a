"""``/sitemap.xml`` (and its parts) and ``/robots.txt``: what crawlers need to find every page."""

from __future__ import annotations

import re

from fastapi import Request
from fastapi.responses import Response

from endpoint.answer_headers import etag_of
from endpoint.errors import HTTPProblem
from endpoint.harvest.answers import SHORT, artefacts_of, bytes_response, serve_file, settings_of
from endpoint.harvest.router import router
from kg.artefacts.layout import SITEMAP, public_base


@router.api_route("/sitemap.xml", methods=["GET", "HEAD"], include_in_schema=False)
def sitemap(request: Request) -> Response:
    return serve_file(request, artefacts_of(request).sitemap(), "application/xml", SHORT)


@router.api_route("/sitemap-{number}.xml", methods=["GET", "HEAD"], include_in_schema=False)
def sitemap_part(request: Request, number: str) -> Response:
    if not re.fullmatch(r"[1-9][0-9]{0,5}", number):
        raise HTTPProblem(404, "There is no such sitemap.")
    return serve_file(request, artefacts_of(request).sitemap(int(number)), "application/xml", SHORT)


@router.api_route("/robots.txt", methods=["GET", "HEAD"], include_in_schema=False)
def robots(request: Request) -> Response:
    """Crawlers welcome on the pages; the sitemap lists them. Queries are for people and programs."""
    public = public_base(settings_of(request))
    body = (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /sparql\n"
        "Disallow: /api/\n"
        f"Sitemap: {public}/{SITEMAP}\n"
    ).encode("ascii")
    return bytes_response(request, body, "text/plain", etag_of(body), "public, max-age=86400")

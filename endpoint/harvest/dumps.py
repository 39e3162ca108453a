"""``/dumps/``: the whole graph as files, with their checksums, for bulk harvesting.

File names are looked up in a fixed list (the dumps the build writes), never joined onto
a folder from the request, so no path can leave the dumps folder.
"""

from __future__ import annotations

import json

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from endpoint.answer_headers import etag_of
from endpoint.errors import HTTPProblem
from endpoint.harvest.answers import artefacts_of, bytes_response, html_response, render_view, serve_file
from endpoint.harvest.router import router
from kg.media import GRAPH_DUMPS

DUMP_CACHE = "public, max-age=300"

#: Every file that may be served from ``dumps/``: the dumps and their checksums.
DUMP_FILES: dict[str, str] = {
    **{d.file: d.file_media_type for d in GRAPH_DUMPS}, **{f"{d.file}.sha256": "text/plain" for d in GRAPH_DUMPS},
}


@router.api_route("/dumps", methods=["GET", "HEAD"], include_in_schema=False)
def dumps_no_slash() -> Response:
    return RedirectResponse("/dumps/", status_code=308)


@router.api_route("/dumps/", methods=["GET", "HEAD"], summary="Index of the dumps")
def dumps_index(request: Request) -> Response:
    """The dumps of the live build with size and SHA-256 (HTML, or JSON when asked for)."""
    files = []
    for dump in artefacts_of(request).dumps():
        name = dump.name
        files.append({"name": name, "href": f"/dumps/{name}", "sha256_href": f"/dumps/{name}.sha256",
                      "media_type": DUMP_FILES[name], "rdf_media_type": dump.dump.format.media_type,
                      "size": dump.size, "sha256": dump.sha256})
    accept = request.headers.get("accept", "")
    wants_json = request.query_params.get("format") == "json" or (
        "application/json" in accept and "text/html" not in accept)
    if wants_json:
        body = json.dumps({"dumps": files}, indent=2).encode("utf-8")
        return bytes_response(request, body, "application/json", etag_of(body, "json"), DUMP_CACHE, {"Vary": "Accept"})
    return html_response(request, render_view(request, "dumps.html", "/dumps/", files=files), DUMP_CACHE)


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"], summary="One dump file")
def dump_file(request: Request, name: str) -> Response:
    """A dump or its ``.sha256``; ranges, conditional GET, streamed from disk."""
    media = DUMP_FILES.get(name)
    if media is None:
        raise HTTPProblem(404, f"There is no dump called {name!r}; see /dumps/ for the list.")
    path = artefacts_of(request).dump_file(name)
    if path is None:  # a symlink pointing elsewhere: never follow it out
        raise HTTPProblem(404, f"There is no dump called {name!r}; see /dumps/ for the list.")
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return serve_file(request, path, media, DUMP_CACHE, headers)

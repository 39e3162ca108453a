"""``/releases/``: the frozen, citable releases of the knowledge graph.

A release (``kg release``, :mod:`kg.artefacts.release_layout`) never changes, so its files
are answered with ``Cache-Control: immutable`` and a strong ETag that is the SHA-256 its
manifest records: a copy cached or mirrored anywhere stays valid for good. Versions and file
names come from fixed patterns and lists (:class:`kg.artefacts.reader.ReleaseShelf`), never
joined from the request. Each release has a landing page (``/releases/{version}/``, HTML in
the reader's language or JSON) with its files, checksums, notes and how to cite it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from endpoint.answer_headers import etag_of
from endpoint.errors import HTTPProblem
from endpoint.harvest.answers import (
    IMMUTABLE,
    SHORT,
    bytes_response,
    html_response,
    render_view,
    serve_file,
    settings_of,
    shelf_of,
)
from endpoint.harvest.router import router
from kg.artefacts.layout import RELEASES_PATH, Names
from kg.artefacts.release_layout import ReleaseManifest
from kg.media import DATACITE_JSON, DATACITE_XML, DUMP_FORMATS, TURTLE

#: The media type of the release files that are not dumps, by suffix (``.sha256`` is text).
_OTHER_MEDIA = {"ttl": TURTLE.media_type, "xml": DATACITE_XML, "json": DATACITE_JSON}


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.query_params.get("format") == "json" or ("application/json" in accept and "text/html" not in accept)


def _json(request: Request, data: object, cache_control: str) -> Response:
    body = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    return bytes_response(request, body, "application/json", etag_of(body, "json"), cache_control, {"Vary": "Accept"})


@router.api_route("/releases", methods=["GET", "HEAD"], include_in_schema=False)
def releases_no_slash() -> Response:
    return RedirectResponse("/releases/", status_code=308)


@router.api_route("/releases/", methods=["GET", "HEAD"], summary="Index of the releases")
def releases_index(request: Request) -> Response:
    """Every release on this service, newest first (HTML, or JSON when asked for)."""
    names = Names.of(settings_of(request))
    releases = [release_view(m, names) for m in reversed(shelf_of(request).versions())]
    if _wants_json(request):
        return _json(request, {"releases": releases}, SHORT)
    return html_response(request, render_view(request, "releases.html", "/releases/", releases=releases))


@router.api_route("/releases/{version}", methods=["GET", "HEAD"], include_in_schema=False)
def release_no_slash(version: str) -> Response:
    return RedirectResponse(f"/releases/{version}/", status_code=308)


@router.api_route("/releases/{version}/", methods=["GET", "HEAD"], summary="Landing page of a release")
def release_page(request: Request, version: str) -> Response:
    """What a release holds and how to cite it (HTML in the reader's language, or JSON)."""
    manifest = _manifest(request, version)
    settings = settings_of(request)
    view = release_view(manifest, Names.of(settings))
    view["citation"] = citations(manifest, Names.of(settings), settings.publisher_name)
    headers = {"Link": f'<{view["url"]}>; rel="cite-as", <{view["href"]}datacite.xml>; rel="describedby"; type="{DATACITE_XML}"'}
    if _wants_json(request):
        response = _json(request, view, SHORT)
    else:
        response = html_response(request, render_view(request, "release.html", f"/releases/{version}/", release=view))
    response.headers.update(headers)
    return response


@router.api_route("/releases/{version}/{name}", methods=["GET", "HEAD"], summary="One file of a release")
def release_file(request: Request, version: str, name: str) -> Response:
    """A dump of a release or its ``.sha256``: immutable, ETag = the SHA-256 of the manifest."""
    manifest = _manifest(request, version)
    path = shelf_of(request).file(version, name)
    if path is None:
        raise HTTPProblem(404, f"Release {version} has no file {name!r}; see /releases/{version}/ for its files.")
    dump = DUMP_FORMATS.get(name)
    media = dump.file_media_type if dump else _OTHER_MEDIA.get(name.rsplit(".", 1)[-1], "text/plain")
    sha256 = manifest.files[name][1] if name in manifest.files else None
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return serve_file(request, path, media, IMMUTABLE, headers, sha256=sha256)


def _manifest(request: Request, version: str) -> ReleaseManifest:
    manifest = shelf_of(request).manifest(version)
    if manifest is None:
        raise HTTPProblem(404, f"There is no release {version!r} on this service; see /releases/ for the list.")
    return manifest


def release_view(manifest: ReleaseManifest, names: Names) -> dict[str, Any]:
    """What the index and the landing page show of a release (also their JSON)."""
    version = manifest.version
    return {
        "version": version, "issued": manifest.issued, "build_id": manifest.build_id,
        "note_nl": manifest.note_nl, "note_en": manifest.note_en,
        "href": f"/{RELEASES_PATH}/{version}/",
        "url": names.url(RELEASES_PATH, version) + "/",
        "dataset": names.release(version).value,
        "triples": manifest.triples, "graphs": manifest.graphs,
        "ldes_last_time": manifest.ldes_last_time,
        "files": [{"name": name, "href": f"/{RELEASES_PATH}/{version}/{name}", "sha256_href": f"/{RELEASES_PATH}/{version}/{name}.sha256",
                   "size": size, "sha256": sha} for name, (size, sha) in sorted(manifest.files.items())],
    }


def citations(manifest: ReleaseManifest, names: Names, publisher: str) -> dict[str, str]:
    """The release cited in APA (7th edition, data set) and as a BibTeX ``@misc`` entry.

    >>> m = ReleaseManifest("1.0.0", "2026-12-07T21:30:00Z", "b", "n", "n", {}, 1, 1)
    >>> print(citations(m, Names("https://x.be", "https://x.be"), "Vlaanderen Circulair")["apa"])
    Vlaanderen Circulair. (2026). Kennisgraaf Lokaal Circulair (Version 1.0.0) [Data set]. https://x.be/releases/1.0.0/
    """
    year, version = manifest.issued[:4], manifest.version
    url = names.url(RELEASES_PATH, version) + "/"
    title = "Kennisgraaf Lokaal Circulair"
    apa = f"{publisher}. ({year}). {title} (Version {version}) [Data set]. {url}"
    key = f"lokaalcirculair_{year}_{version.replace('.', '_')}"
    bibtex = "\n".join([
        f"@misc{{{key},", f"  author       = {{{{{publisher}}}}},", f"  title        = {{{title}}},",
        f"  year         = {{{year}}},", f"  version      = {{{version}}},", f"  howpublished = {{\\url{{{url}}}}},",
        f"  note         = {{Data set, released {manifest.issued[:10]}}}", "}",
    ])
    return {"apa": apa, "bibtex": bibtex}


@router.api_route("/id/dataset/lokaalcirculair/{version}", methods=["GET", "HEAD"], include_in_schema=False)
def release_iri(version: str) -> Response:
    """A release's IRI names the release, not a page: ``303 See Other`` to its landing page."""
    return RedirectResponse(f"/releases/{version}/", status_code=303, headers={"Vary": "Accept"})


@router.api_route("/id/datasetreeks/lokaalcirculair", methods=["GET", "HEAD"], include_in_schema=False)
def series_iri() -> Response:
    """The series' IRI: ``303 See Other`` to the list of its releases."""
    return RedirectResponse("/releases/", status_code=303, headers={"Vary": "Accept"})

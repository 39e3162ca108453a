"""How every harvesting answer is made: a build's file, or bytes made from one, spoken properly.

Every answer of the harvesting surfaces is a file the build wrote into the live build's
``artefacts/`` folder (``kg.artefacts.layout`` has the layout) or bytes made from one (an
HTML view, another RDF format). What they share lives here once:

* strong ``ETag``\\ s from the content's SHA-256 (the dumps' own ``.sha256`` files), so an
  unchanged rebuild keeps every ETag; ``Last-Modified``; conditional GET answers ``304``
  (the rule of :mod:`endpoint.answer_headers`);
* byte ranges (``206``/``416``, Starlette's ``FileResponse``), ``Content-Length``, and files
  streamed from disk in chunks, so memory stays flat whatever the size of a dump;
* the representation chosen by ``?format=`` or ``Accept``, announced with ``Link: rel=alternate``;
* HTML views in the site's layout and the reader's language.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Sequence

from fastapi import Request
from fastapi.responses import FileResponse, Response

from endpoint.answer_headers import alternates, digest_etag, etag_of, file_date, not_modified
from endpoint.caching import LRU
from endpoint.conneg import by_name, negotiate
from endpoint.errors import HTTPProblem
from endpoint.layout import reader_of, render
from endpoint.state import state_of
from kg.artefacts.layout import DUMPS, sha256_of
from kg.artefacts.reader import ArtefactReader, ReleaseShelf
from kg.media import Format, with_charset
from kg.settings import Settings
from kg.store.folders import RELEASES, build_root

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"

#: SHA-256 of artefact files by (path, mtime, size): artefacts never change in place.
_DIGESTS: LRU[tuple[str, int, int], str] = LRU(4096)


def settings_of(request: Request) -> Settings:
    return state_of(request.app).settings


def artefacts_of(request: Request) -> ArtefactReader:
    """The artefacts of the live build, through the one reader of the web tier."""
    return ArtefactReader(state_of(request.app).store.artefacts_dir)


def shelf_of(request: Request) -> ReleaseShelf:
    """The releases kept beside the builds of this service's store root."""
    return ReleaseShelf(build_root(settings_of(request)) / RELEASES)


def file_etag(path: Path, stat: os.stat_result, variant: str = "") -> str:
    """The ETag of a file: its published SHA-256 (a dump's ``.sha256``), else its digest, kept."""
    sha_file = path.with_name(path.name + ".sha256")
    if path.parent.name == DUMPS and sha_file.is_file():
        text = sha_file.read_text(encoding="ascii").split()
        if text:
            return digest_etag(text[0], variant)
    digest = _DIGESTS.get_or_make((str(path), stat.st_mtime_ns, stat.st_size), lambda: sha256_of(path))
    return digest_etag(digest, variant)


def is_current(request: Request, etag: str, last_modified: str | None) -> bool:
    """Is the client's copy current (304)?"""
    return not_modified(request.headers.get("if-none-match"), request.headers.get("if-modified-since"), etag, last_modified)


def serve_file(request: Request, path: Path, media_type: str, cache_control: str, headers: dict[str, str] | None = None,
               sha256: str | None = None) -> Response:
    """A file from disk with ETag (from ``sha256`` when the caller knows the published one),
    Last-Modified, 304, ranges and streaming."""
    try:
        stat = path.stat()
    except OSError:
        raise HTTPProblem(404, f"There is nothing at {request.url.path} in the current build.",
                          key="error_nothing_at", params={"path": request.url.path}) from None
    etag = digest_etag(sha256) if sha256 else file_etag(path, stat)
    modified = file_date(stat.st_mtime)
    common = {"ETag": etag, "Last-Modified": modified, "Cache-Control": cache_control, **(headers or {})}
    if is_current(request, etag, modified):
        return Response(status_code=304, headers=common)
    return FileResponse(path, media_type=with_charset(media_type), headers=common, stat_result=stat)


def bytes_response(request: Request, body: bytes, media_type: str, etag: str, cache_control: str,
                   headers: dict[str, str] | None = None, last_modified: str | None = None) -> Response:
    """Bytes made from a build's file: ETag, 304 (by ``last_modified`` too, when the file's date is given)."""
    common = {"ETag": etag, "Cache-Control": cache_control, **(headers or {})}
    if is_current(request, etag, last_modified):
        return Response(status_code=304, headers=common)
    return Response(body, media_type=with_charset(media_type), headers=common)


def choose(request: Request, offers: Sequence[Format], explicit: str | None = None) -> Format:
    """The representation asked for: ``?format=`` (or a suffix) by name, else ``Accept``; 406 if none fits."""
    chosen = by_name(explicit or request.query_params.get("format"), offers)
    if chosen is None and (explicit or request.query_params.get("format")):
        raise HTTPProblem(406, "Unknown format; choose one of: " + ", ".join(f.suffix for f in offers) + ".")
    if chosen is None:
        chosen = negotiate(request.headers.get("accept"), offers)
    if chosen is None:
        raise HTTPProblem(406, "None of the formats you accept is available here; this resource comes as "
                          + ", ".join(f.media_type for f in offers) + ".")
    return chosen


def format_alternates(path: str, offers: Iterable[Format]) -> str:
    """``Link`` to every representation of ``path`` by ``?format=``."""
    return alternates((f"{path}?format={f.suffix}", f.media_type) for f in offers)


def local(url: str, public: str) -> str:
    """A canonical URL of this service as a path on this server (for links in HTML)."""
    if url.startswith(public + "/"):
        return url[len(public):]
    return url


def render_view(request: Request, template: str, switch_path: str, **context: Any) -> bytes:
    """A harvesting page in the site's layout and the reader's language (``harvest/{template}``)."""
    return render(f"harvest/{template}", reader_of(request), switch_path, **context)


def html_response(request: Request, body: bytes, cache_control: str = SHORT) -> Response:
    """An HTML view: ETag of its bytes, varying by Accept and language."""
    return bytes_response(request, body, "text/html", etag_of(body, "html"), cache_control, {"Vary": "Accept, Accept-Language"})

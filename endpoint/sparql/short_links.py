"""Short links for long queries: ``POST /sparql/links`` keeps a query, ``GET /s/{id}`` opens it.

A query in the URL (``/sparql?query=…``) is already a share link; a long query makes
it unwieldy (mail, chat, slides). The short link's id is derived from the query
text (the first 12 characters of the base32 SHA-256 of its UTF-8), so the same
query always gets the same link, and the link is served by this application, not
a third-party shortener. The texts are kept one small file per id in
``KG_SHORT_LINKS_DIR`` (default ``short-links`` in the store folder), outside the
builds, so links outlive every build; a file is written under a temporary name
and renamed, so a crash never leaves half a query. Only queries the guard accepts
(no update, not larger than ``KG_MAX_BODY_BYTES``) are kept.

>>> link_id("SELECT * WHERE { ?s ?p ?o }")
'3kzyseebxtjz'
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from endpoint.errors import HTTPProblem
from endpoint.sparql.protocol import PATH, ProtocolError, public_root
from endpoint.sparql.query_guard import inspect
from endpoint.state import state_of
from kg.errors import StoreError
from kg.settings import Settings
from kg.store.folders import build_root

__all__ = ["router", "link_id", "ShortLinks", "links_of", "LINKS_PATH"]

LINKS_PATH = PATH + "/links"
_ID = re.compile(r"[a-z2-7]{12}")

router = APIRouter()


def link_id(query: str) -> str:
    """The stable id of a query text."""
    digest = hashlib.sha256(query.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:12]


class ShortLinks:
    """The folder of kept queries: one ``<id>.rq`` file each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, query: str) -> str:
        """Keep a query (once: the same text has the same id) and return its id."""
        key = link_id(query)
        path = self.folder / f"{key}.rq"
        if path.exists():
            return key
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".rq")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(query)
            os.replace(tmp, path)
        except OSError as exc:
            raise StoreError(f"The short link could not be kept in {self.folder} (KG_SHORT_LINKS_DIR): {exc.strerror}.") from exc
        return key

    def load(self, key: str) -> str | None:
        """The query of an id, or None when there is none."""
        if not _ID.fullmatch(key):
            return None
        try:
            return (self.folder / f"{key}.rq").read_text(encoding="utf-8")
        except FileNotFoundError:
            return None


def links_of(settings: Settings) -> ShortLinks:
    """The short links of these settings (``KG_SHORT_LINKS_DIR``, else beside the builds)."""
    return ShortLinks(settings.short_links_dir or build_root(settings) / "short-links")


@router.post(LINKS_PATH, summary="Keep a query and get its short link", status_code=201)
async def make_link(request: Request) -> Response:
    """``query=`` (url-encoded form) or the query as ``application/sparql-query`` → ``{"id", "url"}``."""
    settings = state_of(request.app).settings
    body = await request.body()
    if len(body) > settings.max_body_bytes:
        raise ProtocolError(f"The query has {len(body)} bytes; a short link keeps at most {settings.max_body_bytes} (KG_MAX_BODY_BYTES).")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError("The request body is not valid UTF-8.") from exc
    if request.headers.get("content-type", "").startswith("application/sparql-query"):
        query = text
    else:
        query = dict(parse_qsl(text)).get("query", "")
    if not query.strip():
        raise ProtocolError("Send the query to keep as query=… (url-encoded) or as application/sparql-query.")
    inspect(query)  # no updates, no SERVICE: only what the endpoint would run
    key = links_of(settings).save(query)
    url = f"{public_root(request.scope, settings)}/s/{key}"
    return JSONResponse({"id": key, "url": url}, status_code=201, headers={"Location": url})


@router.get("/s/{key}", summary="Open a short link: the query page with its query")
async def open_link(key: str, request: Request) -> Response:
    """303 to ``/sparql?query=…`` (and the reader's other parameters, e.g. ``lang``, ``view``)."""
    query = links_of(state_of(request.app).settings).load(key)
    if query is None:
        raise HTTPProblem(404, f"There is no short link /s/{key}; short links are made on the query page ({PATH}).")
    params = [("query", query), *((k, v) for k, v in request.query_params.multi_items() if k != "query")]
    return RedirectResponse(PATH + "?" + urlencode(params), status_code=303)

"""``GET/PUT/DELETE /api/drafts/{kind}/{id}`` and ``GET /api/drafts``: the token account's drafts.

The same drafts as the workspace's (:mod:`kg.curation.drafts`: one per record per account,
kept in ``KG_CURATION_DIR``, never published), for scripts that prepare changes for an editor.
Role curator. ``PUT`` takes the record's keys as a JSON object (the values the draft changes;
``null`` removes a key) and, like a publication, the version it starts from: ``If-Match`` with
the record's ETag (from ``GET /api/records``), or ``If-None-Match: *`` for a new record (428
without either, 412 with an ETag that is not the record's current one, so a draft never starts
from a version nobody has). A draft is published through the workspace's form or with
``PUT /api/records``, which removes the publisher's draft.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from endpoint.curation.auth import require_bearer
from endpoint.curation.publishing import stored
from endpoint.curation.versions import version_sent
from endpoint.errors import HTTPProblem
from endpoint.state import state_of
from kg.curation import drafts
from kg.curation.form import EDITABLE_KINDS, record_keys
from kg.errors import CurationError

__all__ = ["router"]

router = APIRouter()
_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid API token"}, 404: {"description": "No such kind, record or draft"},
    412: {"description": "If-Match is not the record's current version"},
    422: {"description": "The body is not an object of the record's keys"},
    428: {"description": "If-Match (or If-None-Match: *) is required"},
}
_HEADERS = {"Cache-Control": "no-store"}


def _kind(kind: str) -> str:
    if kind not in EDITABLE_KINDS:
        raise HTTPProblem(404, f"'{kind}' is not a kind of record curators edit; the kinds are {', '.join(EDITABLE_KINDS)}.")
    return kind


def _json(draft: drafts.Draft) -> dict[str, Any]:
    return asdict(draft)


@router.get("/api/drafts", tags=["curation"], responses=_RESPONSES)
async def list_drafts(request: Request) -> Response:
    """The token account's drafts, newest first (kind, id, base, saved; without their values)."""
    user = require_bearer(request, "curator")
    found = drafts.all_drafts(state_of(request.app).settings.curation_dir, user=user.name)
    return JSONResponse([{k: v for k, v in _json(d).items() if k not in ("values", "errors")} for d in found], headers=_HEADERS)


def _load(request: Request, kind: str, rid: str, user: str) -> drafts.Draft:
    try:
        draft = drafts.load(state_of(request.app).settings.curation_dir, _kind(kind), rid, user)
    except CurationError as exc:
        raise HTTPProblem(404, str(exc)) from None
    if draft is None:
        raise HTTPProblem(404, f"You have no draft of {kind}/{rid}.")
    return draft


@router.get("/api/drafts/{kind}/{rid}", tags=["curation"], responses=_RESPONSES)
async def get_draft(request: Request, kind: str, rid: str) -> Response:
    """The token account's draft of the record: its values, base ETag, time and the last refusal's messages."""
    user = require_bearer(request, "curator")
    return JSONResponse(_json(_load(request, kind, rid, user.name)), headers=_HEADERS)


@router.put("/api/drafts/{kind}/{rid}", tags=["curation"], responses=_RESPONSES, status_code=200)
async def put_draft(request: Request, kind: str, rid: str) -> Response:
    """Save the token account's draft of the record (replacing its earlier one); 201 when new."""
    user = require_bearer(request, "curator")
    settings = state_of(request.app).settings
    now = stored(settings, _kind(kind), rid)
    base = version_sent(request.headers, "GET /api/records", may_create=True)
    if base != now.etag:
        raise HTTPProblem(412, f"{kind}/{rid} is not at that version (or {'exists' if now.etag else 'does not exist'}).",
                          headers={"ETag": now.etag} if now.etag else None)
    try:
        sent = json.loads(await request.body())
    except ValueError as exc:
        raise HTTPProblem(400, f"The body is not JSON: {exc}.") from None
    allowed = record_keys(kind)
    if not isinstance(sent, dict) or any(key not in allowed for key in sent if key != "id"):
        unknown = sorted(k for k in sent if k not in allowed and k != "id") if isinstance(sent, dict) else []
        raise HTTPProblem(422, f"A draft is a JSON object of the record's keys ({', '.join(allowed)})"
                               + (f"; unknown: {', '.join(unknown)}." if unknown else "."))
    existed = drafts.load(settings.curation_dir, kind, rid, user.name) is not None
    values = {k: v for k, v in sent.items() if k != "id"}
    draft = drafts.save(settings.curation_dir, drafts.Draft(kind, rid, user.name, base, values))
    return JSONResponse(_json(draft), status_code=200 if existed else 201,
                        headers={**_HEADERS, "Location": f"/api/drafts/{kind}/{rid}"})


@router.delete("/api/drafts/{kind}/{rid}", tags=["curation"], responses=_RESPONSES, status_code=204)
async def delete_draft(request: Request, kind: str, rid: str) -> Response:
    """Discard the token account's draft of the record."""
    user = require_bearer(request, "curator")
    _load(request, kind, rid, user.name)
    drafts.discard(state_of(request.app).settings.curation_dir, kind, rid, user.name)
    return Response(status_code=204, headers=_HEADERS)

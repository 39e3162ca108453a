"""``GET/PUT/DELETE /api/records/{kind}/{id}`` and ``POST …/merge``: the curated records for scripts
(only with ``KG_CURATION=on``).

``{kind}`` is the IRI's segment (``praktijk``, ``organisatie`` …). ``GET`` (role curator: a
record file may hold e-mail addresses that are not published) answers the file as stored
(``application/yaml``) or its values (``application/json``), with an ``ETag``: the file's
SHA-256. ``PUT`` (role editor) takes the whole new record as YAML (the file as it will be
written) or JSON (the record's own keys; unchanged keys keep their comments in the file) and
requires ``If-Match`` with the ETag of the version it changes (``If-None-Match: *`` to
create): without one 428, with a stale one 412 and the current ETag; then the publication
(:mod:`endpoint.curation.publishing`): 200 or 201 with the new ETag and the build once live,
422 ``application/problem+json`` with ``errors`` (each: ``key``, ``nl``, ``en``, ``path``,
``line``) when the record checks or the SHACL gate refuse it — nothing is published and the
file is left as it was.

``DELETE`` (role editor, ``If-Match`` required as for ``PUT``, ``?reason=`` required) withdraws
the record: 204 once live, its IRI answering 410 with the reason; 409 naming the records that
still refer to it. ``POST …/merge`` (role editor, ``If-Match`` of the duplicate, JSON
``{"into": id, "reason": …}``) merges the duplicate into the record kept: the references are
rewritten, its IRI answers 301; 200 with the records rewritten (:mod:`kg.cli.withdrawal`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from endpoint.curation.auth import require_bearer
from endpoint.curation.publishing import publish, stored, today, withdraw
from endpoint.curation.versions import json_etag, version_sent
from endpoint.errors import HTTPProblem
from endpoint.state import state_of
from kg.curation.form import EDITABLE_KINDS, record_keys
from kg.curation.record_edit import edited_yaml
from kg.importer.yaml_out import load_round_trip
from kg.media import RECORD_YAML, with_charset

__all__ = ["router"]

router = APIRouter()
_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid API token"}, 403: {"description": "The token's role may not do this"},
    404: {"description": "No such kind or record"}, 412: {"description": "If-Match is not the current version"},
    422: {"description": "The record checks or the SHACL gate refused the record; nothing published"},
    428: {"description": "If-Match (or If-None-Match: *) is required"},
}


def _kind(kind: str) -> str:
    if kind not in EDITABLE_KINDS:
        raise HTTPProblem(404, f"'{kind}' is not a kind of record curators edit; the kinds are {', '.join(EDITABLE_KINDS)}.")
    return kind


@router.get("/api/records/{kind}/{rid}", tags=["curation"], responses=_RESPONSES)
async def get_record(request: Request, kind: str, rid: str) -> Response:
    """A record as stored: its YAML file, or its values as JSON (``Accept``); ``ETag`` for ``If-Match``."""
    require_bearer(request, "curator")
    now = stored(state_of(request.app).settings, _kind(kind), rid)
    if now.text is None or now.etag is None:
        raise HTTPProblem(404, f"There is no {kind} '{rid}'.")
    headers = {"Cache-Control": "no-store", "Vary": "Accept, Authorization"}
    if "json" in request.headers.get("accept", "") and "yaml" not in request.headers.get("accept", ""):
        return JSONResponse(now.values, headers={**headers, "ETag": json_etag(now.etag)})
    return Response(now.text, media_type=with_charset(RECORD_YAML.media_type), headers={**headers, "ETag": now.etag})


async def _new_text(request: Request, kind: str, rid: str, old_text: str | None) -> str:
    """The new file from the body: YAML as sent, or JSON values written into the old file."""
    body = await request.body()
    media = request.headers.get("content-type", "").split(";")[0].strip()
    try:
        text = body.decode("utf-8")
        if media in ("application/yaml", "application/x-yaml", "text/yaml"):
            sent = dict(load_round_trip(text))
        elif media == "application/json":
            sent = json.loads(text)
            if not isinstance(sent, dict):
                raise ValueError("a JSON body is an object of the record's keys")
        else:
            raise HTTPProblem(415, "Send the record as application/yaml or application/json.")
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPProblem(400, f"The body cannot be read: {exc}.") from None
    if str(sent.get("id", rid)) != rid:
        raise HTTPProblem(409, f"The body's id '{sent.get('id')}' is not the id of the URL, '{rid}'.")
    if media != "application/json":
        return text
    values = {key: sent.get(key) for key in record_keys(kind)}
    return edited_yaml(old_text, kind, rid, values, today())


@router.put("/api/records/{kind}/{rid}", tags=["curation"], responses=_RESPONSES, status_code=200)
async def put_record(request: Request, kind: str, rid: str) -> Response:
    """Publish a new version (or a new record) through the SHACL gate; live when this answers 200/201."""
    user = require_bearer(request, "editor")
    settings = state_of(request.app).settings
    now = stored(settings, _kind(kind), rid)
    base = version_sent(request.headers, "GET", may_create=True)
    text = await _new_text(request, kind, rid, now.text)
    answer = await publish(state_of(request.app), user, kind, rid, text, base)
    status = answer["status"]
    if status == "conflict":
        raise HTTPProblem(412, answer["message"], headers={"ETag": answer["etag"]} if answer.get("etag") else None)
    if status == "invalid":
        return JSONResponse({"type": "about:blank", "title": "Unprocessable Content", "status": 422,
                             "detail": "The record checks or the SHACL gate refused the record; nothing was published.",
                             "errors": answer["errors"]}, status_code=422, media_type="application/problem+json")
    headers = {"ETag": answer["etag"], "Cache-Control": "no-store", **({"X-KG-Build": answer["build"]} if "build" in answer else {})}
    created = now.text is None
    if created:
        headers["Location"] = f"/api/records/{kind}/{rid}"
    return JSONResponse({"status": status, **{k: answer[k] for k in ("build", "warnings") if k in answer}},
                        status_code=201 if created else 200, headers=headers)


_REMOVE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **{k: v for k, v in _RESPONSES.items() if k != 422}, 400: {"description": "No reason given, or the target is no record"},
    409: {"description": "Other records still refer to the record (withdraw): problem+json with `referrers`"},
    422: {"description": "The SHACL gate refused the result; nothing published"},
}


def _refusal(answer: dict[str, Any]) -> Response | None:
    """The answer of a withdrawal or merge that did not go live (raised or returned), else None."""
    status = answer["status"]
    if status == "conflict":
        raise HTTPProblem(412, answer["message"], headers={"ETag": answer["etag"]} if answer.get("etag") else None)
    if status == "refused" and answer.get("referrers"):  # still referred to: the records, for a script to change
        return JSONResponse({"type": "about:blank", "title": "Conflict", "status": 409, "detail": answer["message"],
                             "referrers": answer["referrers"]}, status_code=409, media_type="application/problem+json")
    if status == "refused":
        raise HTTPProblem(int(answer["http"]), answer["message"])
    if status == "invalid":
        return JSONResponse({"type": "about:blank", "title": "Unprocessable Content", "status": 422,
                             "detail": "The SHACL gate refused the result; nothing was published.", "errors": answer["errors"]},
                            status_code=422, media_type="application/problem+json")
    return None


def _current(request: Request, kind: str, rid: str) -> str:
    """The If-Match of a removal, checked against the record (404, 428 as for PUT)."""
    now = stored(state_of(request.app).settings, _kind(kind), rid)
    if now.text is None:
        raise HTTPProblem(404, f"There is no {kind} '{rid}'.")
    base = version_sent(request.headers, "GET", may_create=False)
    assert base is not None
    return base


@router.delete("/api/records/{kind}/{rid}", tags=["curation"], responses=_REMOVE_RESPONSES, status_code=204)
async def delete_record(request: Request, kind: str, rid: str,
                        reason: str = Query("", description="Why it is withdrawn (required): shown with the IRI's 410.")) -> Response:
    """Withdraw a record: its file is removed, its IRI answers 410 with ``reason``, a tombstone enters the LDES."""
    user = require_bearer(request, "editor")
    base = _current(request, kind, rid)
    if not reason.strip():
        raise HTTPProblem(400, "Say why the record is withdrawn: ?reason=… (shown with the IRI's 410 answer).")
    answer = await withdraw(state_of(request.app), user, kind, rid, base, reason)
    refused = _refusal(answer)
    if refused is not None:
        return refused
    return Response(status_code=204, headers={"Cache-Control": "no-store", "X-KG-Build": answer["build"]})


@router.post("/api/records/{kind}/{rid}/merge", tags=["curation"], responses=_REMOVE_RESPONSES, status_code=200)
async def merge_record(request: Request, kind: str, rid: str) -> Response:
    """Merge a duplicate into another record of its kind (JSON ``{"into": id, "reason": text}``):
    references rewritten, its file removed, its IRI answers 301 to the record kept."""
    user = require_bearer(request, "editor")
    base = _current(request, kind, rid)
    try:
        sent = json.loads(await request.body())
    except ValueError as exc:
        raise HTTPProblem(400, f"The body is not valid JSON: {exc}.") from None
    if not isinstance(sent, dict) or not isinstance(sent.get("into"), str):
        raise HTTPProblem(400, 'Send a JSON object {"into": "<id of the record kept>", "reason": "<why>"}.')
    answer = await withdraw(state_of(request.app), user, kind, rid, base, str(sent.get("reason") or ""), sent["into"])
    refused = _refusal(answer)
    if refused is not None:
        return refused
    return JSONResponse({"status": "live", "build": answer["build"], "location": f"/id/{kind}/{sent['into']}",
                         "rewritten": answer.get("rewritten", [])},
                        headers={"Cache-Control": "no-store", "X-KG-Build": answer["build"]})

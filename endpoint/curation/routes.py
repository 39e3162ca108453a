"""``POST /api/import``: a sheet's text in, the proposed record and its review notes out.

No side effect: nothing is written, so the route is safe to expose; saving is the curator
workspace's business (issue #15), after a person has looked at the flagged fields. The sheet
is the request body (``text/plain``, ``text/html`` for a page saved from a browser) or a JSON
object ``{"text": …, "name": …}``; ``?update=true`` proposes the changes to an existing
record instead of refusing it. Bad input is a 422 problem naming the sheet and line; a body
over the importer's limit is a 413.

The answer (JSON): ``id``, ``action`` (new, exists, updated, unchanged, invalid),
``record_path``, ``record`` (the values), ``yaml`` (the file as it would be written, with
its ``# REVIEW:`` comments), ``review`` (field, line, read, chosen, why), ``problems``,
``diff`` and ``files`` (the other files it would write).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from endpoint.curation import drafts, drafts_api, editing, records_api, removal_form, sheet_form, workspace
from endpoint.curation.publishing import recover_at_start
from endpoint.errors import HTTPProblem
from endpoint.state import state_of
from kg.importer.propose import propose
from kg.importer.text_input import MAX_SHEET_BYTES

__all__ = ["WORKSPACE_ROUTERS", "recover_at_start", "router", "workspace_router"]

router = APIRouter()
#: The curator workspace (/beheer) and the write API (/api/records), included by the app only
#: with KG_CURATION=on (docs/curation.md).
workspace_router = APIRouter()
#: The routers of the workspace (a test walks their write routes: each must ask for a role).
WORKSPACE_ROUTERS = (records_api.router, drafts_api.router, workspace.router, sheet_form.router, removal_form.router, editing.router, drafts.router)
for _router in WORKSPACE_ROUTERS:
    workspace_router.include_router(_router)


async def _sheet(request: Request) -> tuple[bytes, str]:
    """The sheet's bytes and name from the request body."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_SHEET_BYTES:
        raise HTTPProblem(413, f"The sheet is {int(length)} bytes; a sheet is at most {MAX_SHEET_BYTES} bytes.")
    body = await request.body()
    if len(body) > MAX_SHEET_BYTES:
        raise HTTPProblem(413, f"The sheet is {len(body)} bytes; a sheet is at most {MAX_SHEET_BYTES} bytes.")
    name = request.query_params.get("name", "")
    if request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
        try:
            payload: Any = json.loads(body)
        except ValueError as exc:
            raise HTTPProblem(400, f"The body is not valid JSON: {exc}.") from None
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
            raise HTTPProblem(400, 'A JSON body is an object with the sheet as "text" (and optionally its "name").')
        return payload["text"].encode("utf-8"), str(payload.get("name") or name)
    return body, name


@router.post("/api/import")
async def import_sheet(request: Request) -> JSONResponse:
    """Propose the record of one sheet (see the module docstring)."""
    data, name = await _sheet(request)
    settings = state_of(request.app).settings
    update = request.query_params.get("update", "").lower() in ("1", "true", "yes")
    answer = await run_in_threadpool(propose, data, name or "sheet.txt", settings.data_dir, settings.ontology_dir / "vocabularies",
                                     update=update)
    return JSONResponse(answer, headers={"Cache-Control": "no-store"})

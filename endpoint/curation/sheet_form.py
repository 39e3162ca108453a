""""New practice from a sheet": ``/beheer/praktijk/nieuw/fiche``.

A curator uploads a practice sheet (a text file or a web page saved from a browser) or pastes
its text; the importer proposes the record (:mod:`kg.curation.sheet`, nothing written) and
the workspace shows it in the generated edit form, each review note of the importer at its
field, in the page's language (:mod:`kg.curation.review_notes`). Publishing (role editor)
sends the corrected record with the files the import adds (the sheet's text, its source
record, new organisations or people) through the same gate as every publication; the sheet
travels in the form itself, so nothing is kept on the server before it is published.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from endpoint.curation.auth import check_csrf, require_session
from endpoint.curation.editing import form_fields, show_form
from endpoint.curation.publishing import publish, stored, today
from endpoint.curation.workspace import signed_form
from endpoint.errors import HTTPProblem
from endpoint.layout import reader_of, render
from endpoint.state import state_of
from kg.curation.form import record_values
from kg.curation.record_edit import edited_yaml
from kg.curation.review_notes import bilingual
from kg.curation.sheet import SheetPlan, plan
from kg.errors import SourceError
from kg.importer.text_input import MAX_SHEET_BYTES

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PATH = "/beheer/praktijk/nieuw/fiche"
_NO_STORE = {"Cache-Control": "no-store"}


def _page(request: Request, session: Any, status: int = 200, **context: Any) -> Response:
    page = render("beheer/sheet.html", reader_of(request), PATH, session=session, **context)
    return HTMLResponse(page, status_code=status, headers=_NO_STORE)


@router.get(PATH)
async def sheet_page(request: Request) -> Response:
    return _page(request, require_session(request))


async def _plan(request: Request, data: bytes, name: str) -> SheetPlan:
    settings = state_of(request.app).settings
    return await run_in_threadpool(plan, data, name, settings.data_dir, settings.ontology_dir / "vocabularies")


@router.post(PATH)
async def propose_sheet(request: Request) -> Response:
    """The proposal of the uploaded or pasted sheet, in the edit form, with its review notes."""
    session = require_session(request)
    form = await request.form(max_files=1, max_fields=20)
    check_csrf(session, {"_csrf": [str(form.get("_csrf", ""))]})
    upload, text = form.get("fiche"), str(form.get("tekst", "") or "")
    if isinstance(upload, UploadFile) and upload.filename:
        data, name = await upload.read(MAX_SHEET_BYTES + 1), upload.filename
    else:
        data, name = text.encode("utf-8"), "fiche.txt"
    if not data.strip():
        return _page(request, session, 422, problems=["—"])
    if len(data) > MAX_SHEET_BYTES:
        raise HTTPProblem(413, f"A sheet is at most {MAX_SHEET_BYTES} bytes.")
    try:
        proposed = await _plan(request, data, name)
    except SourceError as exc:
        return _page(request, session, 422, problems=[str(p) for p in exc.problems])
    answer = proposed.answer
    if answer["action"] == "exists":
        return _page(request, session, 409, exists=answer["id"])
    if answer["action"] != "new" or answer["problems"]:
        return _page(request, session, 422, problems=answer["problems"] or [answer["action"]])
    notes = [bilingual(note) for note in answer["review"]]
    extra = {"fiche": base64.b64encode(data).decode("ascii"), "naam": name}
    return show_form(request, session, "praktijk", None, answer["record"], None, notes=notes, action=PATH + "/publiceren",
                     extra=extra, added=[relative for relative, _ in proposed.added])


@router.post(PATH + "/publiceren")
async def publish_sheet(request: Request) -> Response:
    """Publish the corrected proposal and the files the sheet's import adds (role editor)."""
    session, form = await signed_form(request, "editor")
    try:
        data = base64.b64decode((form.get("fiche") or [""])[0], validate=True)
    except binascii.Error:
        raise HTTPProblem(400, "The form lost its sheet; upload it again.") from None
    proposed = await _plan(request, data, (form.get("naam") or ["fiche.txt"])[0])
    settings = state_of(request.app).settings
    fields = form_fields(settings, "praktijk")
    rid = (form.get("id") or [""])[0].strip() or proposed.answer["id"]
    values = {**{k: v for k, v in proposed.answer["record"].items() if k not in ("id", "gewijzigd")}, **record_values(fields, form)}
    if stored(settings, "praktijk", rid).text is not None:
        return _page(request, session, 409, exists=rid)
    text = edited_yaml(None, "praktijk", rid, values, today())
    answer = await publish(state_of(request.app), session.user, "praktijk", rid, text, None, proposed.added)
    if answer["status"] != "live":
        errors = answer.get("errors") or [{"key": None, "nl": answer.get("message", ""), "en": answer.get("message", "")}]
        notes = [bilingual(note) for note in proposed.answer["review"]]
        return show_form(request, session, "praktijk", None, {**values, "id": rid}, None, errors, 422, notes=notes,
                         action=PATH + "/publiceren", extra={"fiche": (form.get("fiche") or [""])[0], "naam": (form.get("naam") or [""])[0]})
    page = render("beheer/published.html", reader_of(request), f"/beheer/praktijk/{rid}", session=session, kind="praktijk",
                  rid=rid, answer=answer)
    return HTMLResponse(page, headers=_NO_STORE)

"""The edit form of a record, and publishing it: ``/beheer/{kind}/{id}`` and ``/beheer/{kind}/nieuw``.

The form is generated (:mod:`kg.curation.form`); it carries the ETag of the version it was
opened on (``base``) and the session's CSRF token. Publishing (role editor) writes the
record's new file through :mod:`endpoint.curation.publishing`; what the record checks or the
SHACL gate refuse comes back at its field, in the page's language, with the submitted values
kept and nothing published; a record someone else published in between is a 409 page
showing the published version beside the curator's, nothing overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from endpoint.curation.auth import check_csrf, require_session
from endpoint.curation.publishing import publish, stored, today
from endpoint.curation.workspace import form_of, records_of
from endpoint.errors import HTTPProblem
from endpoint.layout import Reader, reader_of, render
from endpoint.state import state_of
from kg.curation.accounts import Session
from kg.curation.form import EDITABLE_KINDS, ID_PATTERN, FormField, fields_of, form_values, record_values
from kg.curation.record_edit import edited_yaml
from kg.settings import Settings

__all__ = ["router", "show_form"]

router = APIRouter(include_in_schema=False)
_NO_STORE = {"Cache-Control": "no-store"}
NEW = "nieuw"


def form_fields(settings: Settings, kind: str) -> list[FormField]:
    if kind not in EDITABLE_KINDS:
        raise HTTPProblem(404, f"'{kind}' is not a kind of record curators edit.")
    return fields_of(kind, settings.ontology_dir / "vocabularies", settings.shapes_dir, settings.base_iri)


def show_form(request: Request, session: Session, kind: str, rid: str | None, values: Mapping[str, Any],
              base: str | None, errors: Sequence[Mapping[str, Any]] = (), status: int = 200,
              notes: Sequence[Mapping[str, Any]] = (), action: str | None = None,
              extra: Mapping[str, str] | None = None, added: Sequence[str] = ()) -> Response:
    """The form of ``kind`` with ``values`` (a record's), the messages at their fields, and the
    importer's review ``notes`` when the values came from a sheet."""
    settings = state_of(request.app).settings
    reader: Reader = reader_of(request)
    fields = form_fields(settings, kind)
    by_key: dict[str | None, list[Mapping[str, Any]]] = {}
    for error in errors:
        key = error.get("key")
        by_key.setdefault(key if any(f.key == key for f in fields) else None, []).append(error)
    noted: dict[str | None, list[Mapping[str, Any]]] = {}
    for note in notes:
        key = str(note.get("field", "")).split("[")[0].split(".")[0]
        noted.setdefault(key if any(f.key == key for f in fields) else None, []).append(note)
    path = f"/beheer/{kind}/{rid or NEW}"
    kept = {f.key: yaml.safe_dump(values[f.key], allow_unicode=True, sort_keys=False, width=100)
            for f in fields if not f.editable and f.key in values and f.key != "id"}
    # Suggestions for references: the ids and titles of the records of each target kind.
    suggestions = {f.target: records_of(settings.data_dir, f.target) for f in fields if f.target and f.editable}
    page = render("beheer/edit.html", reader, path, session=session, kind=kind, rid=rid, fields=fields, suggestions=suggestions,
                  values=form_values(fields, values), raw=values, base=base or "", errors=by_key, notes=noted,
                  action=action or path, may_publish=session.user.role in ("editor", "admin"), kept=kept, extra=extra,
                  added=added)
    return HTMLResponse(page, status_code=status, headers=_NO_STORE)


@router.get("/beheer/{kind}/{rid}")
async def edit_page(request: Request, kind: str, rid: str) -> Response:
    session = require_session(request)
    settings = state_of(request.app).settings
    form_fields(settings, kind)
    if rid == NEW:
        return show_form(request, session, kind, None, {}, None)
    now = stored(settings, kind, rid)
    if now.text is None:
        raise HTTPProblem(404, f"There is no {kind} '{rid}'.")
    return show_form(request, session, kind, rid, now.values, now.etag)


@router.post("/beheer/{kind}/{rid}")
async def publish_form(request: Request, kind: str, rid: str) -> Response:
    """Publish the submitted form (role editor; CSRF token required)."""
    session = require_session(request, "editor")
    form = await form_of(request)
    check_csrf(session, form)
    settings = state_of(request.app).settings
    fields = form_fields(settings, kind)
    values = record_values(fields, form)
    base = (form.get("base") or [""])[0] or None
    if rid == NEW:
        rid = (form.get("id") or [""])[0].strip()
        base = None
        if not ID_PATTERN.match(rid):
            error = {"key": "id", "nl": "Een id bestaat uit kleine letters en cijfers, verbonden door '-'.",
                     "en": "An id is lower-case letters and digits joined by '-'."}
            return show_form(request, session, kind, None, {**values, "id": rid}, None, [error], 422)
    now = stored(settings, kind, rid)
    if now.etag != base:  # opened on another version: show both, publish nothing
        return _conflict(request, session, kind, rid, now.text, values)
    text = edited_yaml(now.text, kind, rid, values, today())
    answer = await publish(state_of(request.app), session.user, kind, rid, text, base)
    if answer["status"] == "conflict":
        return _conflict(request, session, kind, rid, stored(settings, kind, rid).text, values)
    if answer["status"] == "invalid":
        shown = {**now.values, **values}
        return show_form(request, session, kind, rid if now.text else None, {**shown, "id": rid}, base, answer["errors"], 422)
    page = render("beheer/published.html", reader_of(request), f"/beheer/{kind}/{rid}", session=session, kind=kind, rid=rid,
                  answer=answer)
    return HTMLResponse(page, headers=_NO_STORE)


def _conflict(request: Request, session: Session, kind: str, rid: str, published: str | None, values: Mapping[str, Any]) -> Response:
    settings = state_of(request.app).settings
    mine = edited_yaml(published, kind, rid, values, today()) if published is not None else ""
    page = render("beheer/conflict.html", reader_of(request), f"/beheer/{kind}/{rid}", session=session, kind=kind, rid=rid,
                  published=published or "", mine=mine, fields=form_fields(settings, kind))
    return HTMLResponse(page, status_code=409, headers=_NO_STORE)

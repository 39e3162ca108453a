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

from endpoint.curation.auth import require_session
from endpoint.curation.publishing import publish, stored, today
from endpoint.curation.workspace import records_of, signed_form
from endpoint.errors import HTTPProblem
from endpoint.layout import Reader, reader_of, render
from endpoint.state import state_of
from kg.curation import drafts
from kg.curation.accounts import Session
from kg.curation.field_errors import nested_field
from kg.curation.form import EDITABLE_KINDS, ID_PATTERN, FormField, fields_of, form_values, record_values, targets
from kg.curation.record_edit import edited_yaml
from kg.errors import CurationError
from kg.settings import Settings

__all__ = ["NEW", "router", "show_form"]

router = APIRouter(include_in_schema=False)
_NO_STORE = {"Cache-Control": "no-store"}
NEW = "nieuw"
#: ``?concept=-``: the published version, not one's draft.
PUBLISHED = "-"


def form_fields(settings: Settings, kind: str) -> list[FormField]:
    if kind not in EDITABLE_KINDS:
        raise HTTPProblem(404, f"'{kind}' is not a kind of record curators edit.")
    return fields_of(kind, settings.ontology_dir / "vocabularies", settings.shapes_dir, settings.base_iri)


def show_form(request: Request, session: Session, kind: str, rid: str | None, values: Mapping[str, Any],
              base: str | None, errors: Sequence[Mapping[str, Any]] = (), status: int = 200,
              notes: Sequence[Mapping[str, Any]] = (), action: str | None = None,
              extra: Mapping[str, str] | None = None, added: Sequence[str] = (), draft: drafts.Draft | None = None,
              saved: bool = False) -> Response:
    """The form of ``kind`` with ``values`` (a record's), the messages at their fields, the
    importer's review ``notes`` when the values came from a sheet, and the ``draft`` it shows
    (with every draft of the record listed)."""
    settings = state_of(request.app).settings
    reader: Reader = reader_of(request)
    fields = form_fields(settings, kind)
    shown = form_values(fields, values)
    by_key: dict[str | None, list[Mapping[str, Any]]] = {}
    nested: dict[str, list[Mapping[str, Any]]] = {}
    for error in errors:
        key, field = error.get("key"), error.get("field")
        if isinstance(field, str) and _resolves(shown, field):  # inside a structure: at its nested input
            nested.setdefault(field, []).append(error)
            continue
        by_key.setdefault(key if any(f.key == key for f in fields) else None, []).append(error)
    noted: dict[str | None, list[Mapping[str, Any]]] = {}
    for note in notes:
        key = str(note.get("field", "")).split("[")[0].split(".")[0]
        noted.setdefault(key if any(f.key == key for f in fields) else None, []).append(note)
    path = f"/beheer/{kind}/{rid or NEW}"
    text_part = FormField("", "text", "text", False, {reader.code: reader.t["cur_item_text"]}, {})
    kept = {f.key: yaml.safe_dump(values[f.key], allow_unicode=True, sort_keys=False, width=100)
            for f in fields if not f.editable and f.key in values and f.key != "id"}
    # Suggestions for references: the ids and titles of the records of each target kind.
    suggestions = {target: records_of(settings.data_dir, target) for target in sorted(targets(fields))}
    page = render("beheer/edit.html", reader, path, session=session, kind=kind, rid=rid, fields=fields, suggestions=suggestions,
                  values=shown, raw=values, nested=nested, text_part=text_part, empty_item=_empty_item, base=base or "", errors=by_key, notes=noted,
                  action=action or path, may_publish=session.user.role in ("editor", "admin"), kept=kept, extra=extra,
                  added=added, draft=draft, saved=saved, drafts=_drafts_of(settings, kind, rid or values.get("id")),
                  draft_action=None if extra else f"/beheer/{kind}/{rid or NEW}/concept")
    return HTMLResponse(page, status_code=status, headers=_NO_STORE)


def _resolves(shown: Mapping[str, Any], field: str) -> bool:
    """Whether ``actoren.2.rol`` names an input of the form as shown."""
    here: Any = shown
    for step in field.split("."):
        if isinstance(here, Mapping) and step in here:
            here = here[step]
        elif isinstance(here, list) and step.isdigit() and int(step) < len(here):
            here = here[int(step)]
        else:
            return False
    return True


def _empty_item(f: FormField) -> Any:
    """The values of a new, empty item of a group (for its template)."""
    return {"nl": "", "en": ""} if f.widget == "texts" else form_values(f.parts, {})


@router.get("/beheer/{kind}/{rid}")
async def edit_page(request: Request, kind: str, rid: str) -> Response:
    session = require_session(request)
    settings = state_of(request.app).settings
    form_fields(settings, kind)
    if rid == NEW:
        return show_form(request, session, kind, None, {}, None)
    now = stored(settings, kind, rid)
    draft = _chosen_draft(settings, session, kind, rid, request.query_params.get("concept"))
    if draft is None:
        if now.text is None:
            raise HTTPProblem(404, f"There is no {kind} '{rid}'.")
        return show_form(request, session, kind, rid, now.values, now.etag)
    values = {k: v for k, v in {**now.values, **draft.values, "id": rid}.items() if v is not None}
    return show_form(request, session, kind, rid if now.text is not None else None, values, draft.base, draft.errors,
                     action=None if now.text is not None else f"/beheer/{kind}/{NEW}", draft=draft,
                     saved=request.query_params.get("bewaard") == "1")


def _chosen_draft(settings: Settings, session: Session, kind: str, rid: str, which: str | None) -> drafts.Draft | None:
    """The draft the edit page opens: ``which``'s (an account name), none (``-``: the published
    version), or by default the signed-in account's own draft if it has one."""
    if which == PUBLISHED:
        return None
    try:
        draft = drafts.load(settings.curation_dir, kind, rid, which or session.user.name)
    except CurationError as exc:
        raise HTTPProblem(404, str(exc)) from None
    if which and draft is None:
        raise HTTPProblem(404, f"{which} has no draft of {kind}/{rid}.")
    return draft


def _drafts_of(settings: Settings, kind: str, rid: Any) -> list[drafts.Draft]:
    if not isinstance(rid, str) or not ID_PATTERN.match(rid):
        return []
    return drafts.drafts_of(settings.curation_dir, kind, rid)


def _keep(settings: Settings, session: Session, kind: str, rid: str, base: str | None, values: Mapping[str, Any],
          errors: Sequence[Mapping[str, Any]] = ()) -> drafts.Draft:
    """A publication the gate refused, or that met a newer version, is kept as the publisher's
    draft (with the gate's messages): nothing a curator typed is lost."""
    return drafts.save(settings.curation_dir, drafts.Draft(kind, rid, session.user.name, base, dict(values), list(errors)))


@router.post("/beheer/{kind}/{rid}")
async def publish_form(request: Request, kind: str, rid: str) -> Response:
    """Publish the submitted form (role editor; CSRF token required)."""
    session, form = await signed_form(request, "editor")
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
    if now.etag != base:  # opened on another version: show both, publish nothing, keep the edit as a draft
        _keep(settings, session, kind, rid, base, values)
        return _conflict(request, session, kind, rid, now.text, values)
    text = edited_yaml(now.text, kind, rid, values, today())
    answer = await publish(state_of(request.app), session.user, kind, rid, text, base)
    if answer["status"] == "conflict":
        _keep(settings, session, kind, rid, base, values)
        return _conflict(request, session, kind, rid, stored(settings, kind, rid).text, values)
    if answer["status"] == "invalid":  # each message at its field, inside a structure too
        errors = [{**e, "field": nested_field(text, kind, e.get("line"), e.get("path"))} for e in answer["errors"]]
        draft = _keep(settings, session, kind, rid, base, values, errors)
        shown = {k: v for k, v in {**now.values, **values}.items() if v is not None}
        return show_form(request, session, kind, rid if now.text else None, {**shown, "id": rid}, base, errors, 422,
                         draft=draft, saved=True)
    for owner in {session.user.name, (form.get("concept") or [""])[0]} - {""}:  # published: its drafts are done
        try:
            drafts.discard(settings.curation_dir, kind, rid, owner)
        except CurationError:
            pass  # not an account name: there is no such draft
    page = render("beheer/published.html", reader_of(request), f"/beheer/{kind}/{rid}", session=session, kind=kind, rid=rid,
                  answer=answer)
    return HTMLResponse(page, headers=_NO_STORE)


def _conflict(request: Request, session: Session, kind: str, rid: str, published: str | None, values: Mapping[str, Any]) -> Response:
    settings = state_of(request.app).settings
    mine = edited_yaml(published, kind, rid, values, today()) if published is not None else ""
    page = render("beheer/conflict.html", reader_of(request), f"/beheer/{kind}/{rid}", session=session, kind=kind, rid=rid,
                  published=published or "", mine=mine, fields=form_fields(settings, kind))
    return HTMLResponse(page, status_code=409, headers=_NO_STORE)

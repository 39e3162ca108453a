"""Drafts in the workspace: save the edit form as a draft, discard one (:mod:`kg.curation.drafts`).

``POST /beheer/{kind}/{id}/concept`` (role curator, CSRF token): the form's values become the
account's draft of the record, with the ETag the form was opened on; a new record's draft
(``/beheer/{kind}/nieuw/concept``) is kept under the id typed in the form. The form then
reopens on the draft. ``POST /beheer/{kind}/{id}/concept/weggooien``: discard a draft (one's
own; an editor may discard anyone's). Opening a record (``/beheer/{kind}/{id}``) shows one's
own draft when there is one (``?concept=-``: the published version, ``?concept=NAME``: NAME's
draft), and lists every draft of the record with its author and time.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from endpoint.curation.editing import NEW, show_form
from endpoint.curation.workspace import signed_form
from endpoint.errors import HTTPProblem
from endpoint.state import state_of
from kg.curation import drafts
from kg.curation.accounts import allows
from kg.curation.files import record_path
from kg.curation.form import EDITABLE_KINDS, ID_PATTERN, fields_of, record_values
from kg.errors import CurationError

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.post("/beheer/{kind}/{rid}/concept")
async def save_draft(request: Request, kind: str, rid: str) -> Response:
    """Save the submitted form as the account's draft (role curator), then reopen it."""
    session, form = await signed_form(request)
    settings = state_of(request.app).settings
    if kind not in EDITABLE_KINDS:
        raise HTTPProblem(404, f"'{kind}' is not a kind of record curators edit.")
    fields = fields_of(kind, settings.ontology_dir / "vocabularies", settings.shapes_dir, settings.base_iri)
    values = record_values(fields, form)
    base = (form.get("base") or [""])[0] or None
    if rid == NEW:
        rid, base = (form.get("id") or [""])[0].strip(), None
        if not ID_PATTERN.match(rid):
            error = {"key": "id", "nl": "Geef een id om het concept te bewaren: kleine letters en cijfers, verbonden door '-'.",
                     "en": "Give an id to save the draft: lower-case letters and digits joined by '-'."}
            return show_form(request, session, kind, None, {**values, "id": rid}, None, [error], 422)
    drafts.save(settings.curation_dir, drafts.Draft(kind, rid, session.user.name, base, values))
    lang = "&lang=en" if request.query_params.get("lang") == "en" else ""
    return RedirectResponse(f"/beheer/{kind}/{rid}?concept={session.user.name}&bewaard=1{lang}", status_code=303)


@router.post("/beheer/{kind}/{rid}/concept/weggooien")
async def discard_draft(request: Request, kind: str, rid: str) -> Response:
    """Discard a draft: one's own, or (role editor) anyone's; back to the record or the list."""
    session, form = await signed_form(request)
    settings = state_of(request.app).settings
    owner = (form.get("van") or [session.user.name])[0] or session.user.name
    if owner != session.user.name and not allows(session.user.role, "editor"):
        raise HTTPProblem(403, "Only an editor may discard another account's draft.", key="cur_forbidden", params={"role": "editor"})
    try:
        found = drafts.discard(settings.curation_dir, kind, rid, owner)
    except CurationError as exc:
        raise HTTPProblem(404, str(exc)) from None
    if not found:
        raise HTTPProblem(404, f"{owner} has no draft of {kind}/{rid}.")
    lang = "&lang=en" if request.query_params.get("lang") == "en" else ""
    published = record_path(settings.data_dir, kind, rid).is_file()  # back to the record, or to the list
    target = f"/beheer/{kind}/{rid}?concept=-{lang}" if published else f"/beheer?soort={kind}{lang}"
    return RedirectResponse(target, status_code=303)

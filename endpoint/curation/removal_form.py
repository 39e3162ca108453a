"""Withdrawing or merging a record from the browser: ``/beheer/{kind}/{id}/intrekken`` (role editor).

One page, two forms, each with a reason and a confirmation box the curator must tick (the
server checks it too, so a form without it changes nothing): **withdraw** (the IRI answers
410 with the reason; offered only when no other record refers to the record, which are listed
with links to their forms) and **merge into** another record of the kind (references
rewritten, the IRI answers 301 to the record kept). Both carry the session's CSRF token and
the ETag of the version shown; the work is :mod:`kg.cli.withdrawal`'s, through
:func:`endpoint.curation.publishing.withdraw`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from endpoint.curation.auth import require_session
from endpoint.curation.publishing import stored, withdraw
from endpoint.curation.workspace import records_of, signed_form
from endpoint.errors import HTTPProblem
from endpoint.layout import reader_of, render
from endpoint.state import state_of
from kg.curation.accounts import Session
from kg.curation.form import EDITABLE_KINDS
from kg.curation.references import referrers

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
_NO_STORE = {"Cache-Control": "no-store"}


def _page(request: Request, session: Session, kind: str, rid: str, status: int = 200, problem: str | None = None,
          errors: Sequence[Mapping[str, Any]] = (), form: Mapping[str, Sequence[str]] | None = None) -> Response:
    settings = state_of(request.app).settings
    now = stored(settings, kind, rid)
    if now.text is None:
        raise HTTPProblem(404, f"There is no {kind} '{rid}'.")
    referring = referrers(settings.data_dir, kind, rid)
    others = [(other, title) for other, title in records_of(settings.data_dir, kind) if other != rid]
    title = next((t for other, t in records_of(settings.data_dir, kind) if other == rid), rid)
    sent = {k: (v or [""])[0] for k, v in (form or {}).items() if k != "_csrf"}
    page = render("beheer/withdraw.html", reader_of(request), f"/beheer/{kind}/{rid}/intrekken", session=session, kind=kind,
                  rid=rid, title=title, base=now.etag, referring=referring, others=others, problem=problem, errors=errors,
                  sent=sent)
    return HTMLResponse(page, status_code=status, headers=_NO_STORE)


def _kind(kind: str) -> str:
    if kind not in EDITABLE_KINDS:
        raise HTTPProblem(404, f"'{kind}' is not a kind of record curators edit.")
    return kind


@router.get("/beheer/{kind}/{rid}/intrekken")
async def removal_page(request: Request, kind: str, rid: str) -> Response:
    session = require_session(request, "editor")
    return await run_in_threadpool(_page, request, session, _kind(kind), rid)


@router.post("/beheer/{kind}/{rid}/intrekken")
async def remove(request: Request, kind: str, rid: str) -> Response:
    """Withdraw (``actie=intrekken``) or merge (``actie=samenvoegen`` with ``doel``), once confirmed."""
    session, form = await signed_form(request, "editor")
    _kind(kind)
    value = {k: (v or [""])[0].strip() for k, v in form.items()}
    merge = value.get("actie") == "samenvoegen"
    reader = reader_of(request)
    if value.get("bevestigd") != "ja":
        return _page(request, session, kind, rid, 422, reader.t["cur_confirm_missing"], form=form)
    into = (value.get("doel") or None) if merge else None
    settings = state_of(request.app).settings
    if merge and (into is None or into == rid or into not in dict(records_of(settings.data_dir, kind))):
        return _page(request, session, kind, rid, 422, reader.t["cur_merge_target_missing"], form=form)
    if not value.get("reden"):
        return _page(request, session, kind, rid, 422, reader.t["cur_reason_missing"], form=form)
    answer = await withdraw(state_of(request.app), session.user, kind, rid, value.get("base") or None, value.get("reden", ""), into)
    status = answer["status"]
    if status == "conflict":
        return _page(request, session, kind, rid, 409, reader.t["cur_conflict_explained"], form=form)
    if status == "refused":
        return _page(request, session, kind, rid, int(answer["http"]), f"{reader.t['cur_refused']} {answer['message']}", form=form)
    if status == "invalid":
        return _page(request, session, kind, rid, 422, reader.t["cur_not_published"], answer["errors"], form=form)
    page = render("beheer/withdrawn.html", reader, f"/beheer/{kind}/{rid}/intrekken", session=session, kind=kind, rid=rid,
                  into=into, answer=answer)
    return HTMLResponse(page, headers=_NO_STORE)

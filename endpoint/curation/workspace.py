"""The curator workspace at ``/beheer``: sign in and out, the records of a kind, the history.

Dutch by default, English with the site's switch (``?lang=en``), one language per page like
the rest of the site. Only with ``KG_CURATION=on`` (404 otherwise). Sign-in attempts are
limited per name and per client (:data:`kg.curation.accounts.MAX_FAILURES` within
:data:`kg.curation.accounts.FAILURE_WINDOW`): then 429 with ``Retry-After``, the same
answer whether the name exists or not.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from endpoint.curation.auth import COOKIE, accounts_of, check_csrf, client_key, require_session
from endpoint.errors import HTTPProblem
from endpoint.layout import reader_of, render
from endpoint.state import state_of
from kg.artefacts.reader import ArtefactReader
from kg.curation import drafts, history
from kg.curation.accounts import Session, allows
from kg.curation.files import record_path
from kg.curation.form import EDITABLE_KINDS

__all__ = ["form_of", "records_of", "router", "signed_form"]

router = APIRouter(include_in_schema=False)
_NO_STORE = {"Cache-Control": "no-store"}


async def form_of(request: Request) -> dict[str, list[str]]:
    """A submitted form (urlencoded), as lists of values."""
    body = await request.body()
    if len(body) > state_of(request.app).settings.max_body_bytes:
        raise HTTPProblem(413, "The form is too large.")
    return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)


async def signed_form(request: Request, role: str = "curator") -> tuple[Session, dict[str, list[str]]]:
    """The session (of at least ``role``) and the form it posted, its CSRF token checked: the one
    way a workspace route reads a form, so none can forget the check."""
    session = require_session(request, role)
    form = await form_of(request)
    check_csrf(session, form)
    return session, form


def _safe_next(value: str) -> str:
    return value if value.startswith("/beheer") and "//" not in value else "/beheer"


@router.get("/beheer/aanmelden")
async def signin_page(request: Request) -> Response:
    accounts_of(request)
    reader = reader_of(request)
    nxt = _safe_next(request.query_params.get("volgende", "/beheer"))
    return HTMLResponse(render("beheer/signin.html", reader, "/beheer/aanmelden", next=nxt, failed=False), headers=_NO_STORE)


@router.post("/beheer/aanmelden")
async def signin(request: Request) -> Response:
    """Check name and password; a new session on success (never the old id: no fixation)."""
    accounts = accounts_of(request)
    form = await form_of(request)
    name, password = (form.get("naam") or [""])[0].strip(), (form.get("wachtwoord") or [""])[0]
    nxt = _safe_next((form.get("volgende") or ["/beheer"])[0])
    keys = (f"user:{name.casefold()}", client_key(request))
    wait = accounts.refused_for(*keys)
    if wait is not None:
        raise HTTPProblem(429, f"Too many failed sign-ins; try again in {wait} seconds.", headers={"Retry-After": str(wait)},
                          key="cur_too_many", params={"seconds": wait})
    user = accounts.check_password(name, password)
    if user is None:
        accounts.failed(*keys)
        reader = reader_of(request)
        page = render("beheer/signin.html", reader, "/beheer/aanmelden", next=nxt, failed=True)
        return HTMLResponse(page, status_code=401, headers=_NO_STORE)
    sid = accounts.start_session(user)
    answer = RedirectResponse(nxt, status_code=303)
    answer.set_cookie(COOKIE, sid, max_age=int(accounts.session_seconds), path="/beheer", secure=True, httponly=True,
                      samesite="strict")
    return answer


@router.post("/beheer/afmelden")
async def signout(request: Request) -> Response:
    await signed_form(request)
    accounts_of(request).end_session(request.cookies.get(COOKIE, ""))
    answer = RedirectResponse("/beheer/aanmelden", status_code=303)
    answer.delete_cookie(COOKIE, path="/beheer", secure=True, httponly=True, samesite="strict")
    return answer


@functools.lru_cache(maxsize=100_000)
def _title(path: Path, mtime: float) -> str:
    """A record's Dutch title or name, for the list (cached per file version)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, yaml.YAMLError):
        return path.stem
    label = data.get("titel") or data.get("naam") if isinstance(data, dict) else None
    if isinstance(label, dict):
        return str(label.get("nl") or next(iter(label.values()), path.stem))
    return str(label or path.stem)


def records_of(data_dir: Path, kind: str) -> list[tuple[str, str]]:
    """(id, Dutch title or name) of every record of ``kind``, by id."""
    folder = record_path(data_dir, kind, "x").parent
    return [(path.stem, _title(path, path.stat().st_mtime)) for path in sorted(folder.glob("*.yaml"))]


@dataclass
class _Checks:
    """The SHACL results per record of one build, read once per build from its report."""

    build_id: str = ""
    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)


def validation_counts(request: Request) -> dict[tuple[str, str], dict[str, int]]:
    """Warnings and violations per record in the live build's SHACL report."""
    state = state_of(request.app)
    store = state.store
    cached = state.part(_Checks, _Checks)
    if cached.build_id != store.build_id:
        fresh = _Checks(store.build_id, ArtefactReader(store.artefacts_dir).validation_counts(state.settings.base_iri))
        state.replace(_Checks, fresh)
        cached = fresh
    return cached.counts


def last_changes(settings_dir: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest audit entry of each record."""
    return {(e["kind"], e["id"]): e for e in history.read(settings_dir / history.AUDIT_LOG) if "kind" in e}


@router.get("/beheer")
async def records(request: Request) -> Response:
    """The records of a kind (``?soort=``, default practices), searchable by id and title (``?q=``)."""
    session = require_session(request)
    settings = state_of(request.app).settings
    kind = request.query_params.get("soort", "praktijk")
    if kind not in EDITABLE_KINDS:
        raise HTTPProblem(404, f"'{kind}' is not a kind of record curators edit.")
    q = request.query_params.get("q", "").strip().casefold()
    changes = last_changes(settings.curation_dir)
    checks = validation_counts(request)
    everyone = drafts.all_drafts(settings.curation_dir)
    of_record: dict[str, list[drafts.Draft]] = {}
    for draft in everyone:
        if draft.kind == kind:
            of_record.setdefault(draft.id, []).append(draft)
    rows = [{"id": rid, "title": title, "change": changes.get((kind, rid)), "checks": checks.get((kind, rid), {}),
             "drafts": of_record.get(rid, [])}
            for rid, title in records_of(settings.data_dir, kind) if not q or q in title.casefold() or q in rid]
    mine = [d for d in everyone if d.user == session.user.name]
    others = [d for d in everyone if d.user != session.user.name] if allows(session.user.role, "editor") else []
    page = render("beheer/records.html", reader_of(request), "/beheer", session=session, kind=kind, kinds=EDITABLE_KINDS,
                  rows=rows, q=request.query_params.get("q", ""), query={"soort": kind, "q": request.query_params.get("q")},
                  mine=mine, others=others)
    return HTMLResponse(page, headers=_NO_STORE)


@router.get("/beheer/geschiedenis")
async def audit(request: Request) -> Response:
    """Who published what, when: the audit log, newest first (role editor)."""
    session = require_session(request, "editor")
    settings = state_of(request.app).settings
    entries = list(reversed(history.read(settings.curation_dir / history.AUDIT_LOG)))
    kind, rid = request.query_params.get("soort"), request.query_params.get("id")
    if kind and rid:
        entries = [e for e in entries if e.get("kind") == kind and e.get("id") == rid]
    page = render("beheer/history.html", reader_of(request), "/beheer/geschiedenis", session=session, entries=entries[:200],
                  intact=history.verify(settings.curation_dir / history.AUDIT_LOG), query={"soort": kind, "id": rid})
    return HTMLResponse(page, headers=_NO_STORE)


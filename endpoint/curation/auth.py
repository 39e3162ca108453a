"""Who is asking: a signed-in browser (session cookie + CSRF token) or a script (bearer token).

Why two ways: a browser's cookie is sent by the browser on any request to the site, so a
form must also prove it came from our own page (the session's CSRF token in a hidden field:
a missing or wrong token is a 403 and nothing happens); a script sends
``Authorization: Bearer kgc_…`` explicitly, which another site cannot make a browser send,
so the API needs no CSRF token and accepts no cookie. The session cookie is ``Secure``,
``HttpOnly``, ``SameSite=Strict``, scoped to ``/beheer``; its value is a random id whose
SHA-256 is the server's session row (:class:`kg.curation.accounts.Accounts`), so signing
out, a new password or a removed account ends it at once in every worker.

Every route that changes something calls :func:`require_session` or :func:`require_bearer`
with the role it needs: 401 (a browser is sent to the sign-in page) without an account, 403
with one whose role is too low.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence

from fastapi import Request

from endpoint.errors import HTTPProblem
from endpoint.state import state_of
from kg.curation.accounts import Accounts, Session, User, allows

__all__ = ["COOKIE", "accounts_of", "check_csrf", "client_key", "require_bearer", "require_session", "signed_in"]

COOKIE = "kg_beheer"


class SignInNeeded(HTTPProblem):
    """A browser without a session: the workspace sends it to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(303, "Sign in first.", headers={"Location": f"/beheer/aanmelden?volgende={next_url}"})


def accounts_of(request: Request) -> Accounts:
    """The account database of this application (404 when the workspace is off)."""
    settings = state_of(request.app).settings
    if not settings.curation:
        raise HTTPProblem(404, "The curator workspace is not turned on here (KG_CURATION).")
    return state_of(request.app).part(Accounts, lambda: Accounts(settings))


def signed_in(request: Request) -> Session | None:
    """The session of this browser, if it has a live one."""
    sid = request.cookies.get(COOKIE)
    return accounts_of(request).session(sid) if sid else None


def require_session(request: Request, role: str = "curator") -> Session:
    """The browser's session, with a role that allows ``role``."""
    session = signed_in(request)
    if session is None:
        path = request.url.path if request.method == "GET" else "/beheer"
        raise SignInNeeded(path)
    if not allows(session.user.role, role):
        raise HTTPProblem(403, f"Your account ({session.user.role}) may not do this; it needs the role {role}.",
                          key="cur_forbidden", params={"role": role})
    return session


def check_csrf(session: Session, form: Mapping[str, Sequence[str]] | None, header: str | None = None) -> None:
    """A form (or fetch) that changes something carries the session's CSRF token."""
    sent = header or ((form or {}).get("_csrf") or [""])[0]
    if not sent or not secrets.compare_digest(sent, session.csrf):
        raise HTTPProblem(403, "The form's security token is missing or out of date; reload the page and try again.",
                          key="cur_csrf")


def require_bearer(request: Request, role: str) -> User:
    """The account of the request's API token, with a role that allows ``role``."""
    accounts = accounts_of(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    user = accounts.token_user(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise HTTPProblem(401, "Send a valid API token: 'Authorization: Bearer kgc_…' (kg users token NAME).",
                          headers={"WWW-Authenticate": 'Bearer realm="lokaalcirculair"'})
    if not allows(user.role, role):
        raise HTTPProblem(403, f"The token's account ({user.role}) may not do this; it needs the role {role}.")
    return user


def client_key(request: Request) -> str:
    """The client a failed sign-in is counted against (its address as the server sees it)."""
    return f"client:{request.client.host if request.client else '-'}"

"""Curator accounts, API tokens, browser sessions and sign-in limits, in one SQLite file.

Why SQLite (``KG_CURATION_DIR/accounts.sqlite3``): every web worker (``kg serve --workers N``)
and the ``kg users`` command must see the same accounts, sessions and failed sign-ins at
once; a file database with WAL gives that without a server. Nothing secret is stored as
given: passwords as argon2id hashes (``argon2-cffi``), API tokens and session ids as SHA-256
of a 256-bit random secret (a random secret needs no slow hash; a leaked database reveals
no usable token). There is no default account and no default password: the first account
is made with ``kg users add``.

Roles are ordered: a curator edits and saves, an editor also publishes, an admin also
manages accounts (:func:`allows`).

>>> allows("editor", "curator"), allows("curator", "editor"), allows("admin", "editor")
(True, False, True)
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kg.errors import CurationError
from kg.settings import Settings

__all__ = ["ROLES", "Accounts", "Session", "User", "allows"]

#: The roles, each allowing what the ones before it allow.
ROLES = ("curator", "editor", "admin")
#: The shortest password accepted.
MIN_PASSWORD = 12
#: Failed sign-ins per name and per client within :data:`FAILURE_WINDOW` seconds before refusing.
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60
_TOKEN_PREFIX = "kgc_"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, password TEXT,
    pseudonym TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, user TEXT NOT NULL, secret TEXT NOT NULL, label TEXT,
    created REAL NOT NULL, expires REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, user TEXT NOT NULL, csrf TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at REAL NOT NULL);
"""


def allows(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class User:
    """An account; ``pseudonym`` (random, made at ``add``) names the curator in public history."""

    name: str
    role: str
    pseudonym: str


@dataclass(frozen=True)
class Session:
    """A signed-in browser: its user and the CSRF token its forms must carry."""

    user: User
    csrf: str


class Accounts:
    """The account database of a deployment (one connection per operation: thread- and process-safe)."""

    def __init__(self, settings: Settings) -> None:
        self.path: Path = settings.curation_dir / "accounts.sqlite3"
        self.session_seconds = settings.session_hours * 3600
        self._hasher = PasswordHasher()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    # ------------------------------------------------------------------ accounts

    def add(self, name: str, role: str, password: str | None) -> User:
        """A new account (``password`` None: API tokens only)."""
        _check_name(name)
        _check_role(role)
        hashed = self._hash(password) if password is not None else None
        user = User(name, role, secrets.token_hex(8))
        with self._db() as db:
            if db.execute("SELECT 1 FROM users WHERE name=?", (name,)).fetchone():
                raise CurationError(f"There is already an account '{name}'.")
            db.execute("INSERT INTO users VALUES (?,?,?,?,?)", (name, role, hashed, user.pseudonym, time.time()))
        return user

    def remove(self, name: str) -> None:
        """Remove an account with its sessions and tokens (the audit log keeps its pseudonym)."""
        with self._db() as db:
            if db.execute("DELETE FROM users WHERE name=?", (name,)).rowcount == 0:
                raise CurationError(f"There is no account '{name}'.")
            db.execute("DELETE FROM sessions WHERE user=?", (name,))
            db.execute("UPDATE tokens SET revoked=1 WHERE user=?", (name,))

    def set_password(self, name: str, password: str) -> None:
        """A new password; every browser session of the account ends."""
        hashed = self._hash(password)
        with self._db() as db:
            if db.execute("UPDATE users SET password=? WHERE name=?", (hashed, name)).rowcount == 0:
                raise CurationError(f"There is no account '{name}'.")
            db.execute("DELETE FROM sessions WHERE user=?", (name,))

    def users(self) -> list[tuple[User, int]]:
        """Every account and its number of usable tokens (never a secret)."""
        with self._db() as db:
            rows = db.execute("SELECT name, role, pseudonym FROM users ORDER BY name").fetchall()
            counts = dict(db.execute("SELECT user, count(*) FROM tokens WHERE revoked=0 AND expires>? GROUP BY user",
                                     (time.time(),)).fetchall())
        return [(User(*row), counts.get(row[0], 0)) for row in rows]

    def user(self, name: str) -> User | None:
        with self._db() as db:
            row = db.execute("SELECT name, role, pseudonym FROM users WHERE name=?", (name,)).fetchone()
        return User(*row) if row else None

    def check_password(self, name: str, password: str) -> User | None:
        """The account when ``password`` is its password; the hash is verified even for an
        unknown name, so the answer's timing does not tell which names exist."""
        with self._db() as db:
            row = db.execute("SELECT name, role, pseudonym, password FROM users WHERE name=?", (name,)).fetchone()
        stored = row[3] if row and row[3] else _dummy_hash()
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(row[0], row[1], row[2]) if row and row[3] else None

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD:
            raise CurationError(f"A password has at least {MIN_PASSWORD} characters.")
        return self._hasher.hash(password)

    # ------------------------------------------------------------------ tokens

    def issue_token(self, name: str, days: float, label: str = "") -> str:
        """A new API token for ``name``, valid ``days``: returned once, stored hashed."""
        if self.user(name) is None:
            raise CurationError(f"There is no account '{name}'.")
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        now = time.time()
        with self._db() as db:
            db.execute("INSERT INTO tokens VALUES (?,?,?,?,?,?,0)", (token_id, name, _digest(secret), label, now, now + days * 86400))
        return f"{_TOKEN_PREFIX}{token_id}_{secret}"

    def revoke_token(self, token_id: str) -> None:
        with self._db() as db:
            if db.execute("UPDATE tokens SET revoked=1 WHERE id=?", (token_id,)).rowcount == 0:
                raise CurationError(f"There is no token '{token_id}'.")

    def token_user(self, token: str) -> User | None:
        """The account of a valid, unrevoked, unexpired token."""
        head, _, secret = token.removeprefix(_TOKEN_PREFIX).partition("_")
        if not token.startswith(_TOKEN_PREFIX) or not secret:
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT u.name, u.role, u.pseudonym, t.secret FROM tokens t JOIN users u ON u.name=t.user "
                "WHERE t.id=? AND t.revoked=0 AND t.expires>?", (head, time.time())).fetchone()
        if row is None or not secrets.compare_digest(row[3], _digest(secret)):
            return None
        return User(row[0], row[1], row[2])

    # ------------------------------------------------------------------ sessions

    def start_session(self, user: User) -> str:
        """A new session id for a browser that just signed in (a new id each time: no fixation)."""
        sid = secrets.token_urlsafe(32)
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE expires<?", (time.time(),))
            db.execute("INSERT INTO sessions VALUES (?,?,?,?)",
                       (_digest(sid), user.name, secrets.token_urlsafe(24), time.time() + self.session_seconds))
        return sid

    def session(self, sid: str) -> Session | None:
        with self._db() as db:
            row = db.execute(
                "SELECT u.name, u.role, u.pseudonym, s.csrf FROM sessions s JOIN users u ON u.name=s.user "
                "WHERE s.id=? AND s.expires>?", (_digest(sid), time.time())).fetchone()
        return Session(User(row[0], row[1], row[2]), row[3]) if row else None

    def end_session(self, sid: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE id=?", (_digest(sid),))

    # ------------------------------------------------------------------ sign-in limits

    def refused_for(self, *keys: str) -> int | None:
        """Seconds to wait when any of ``keys`` (a name, a client) failed too often lately."""
        now = time.time()
        with self._db() as db:
            db.execute("DELETE FROM failures WHERE at<?", (now - FAILURE_WINDOW,))
            for key in keys:
                times = [at for (at,) in db.execute("SELECT at FROM failures WHERE key=? ORDER BY at", (key,))]
                if len(times) >= MAX_FAILURES:
                    return max(1, int(times[-MAX_FAILURES] + FAILURE_WINDOW - now) + 1)
        return None

    def failed(self, *keys: str) -> None:
        with self._db() as db:
            db.executemany("INSERT INTO failures VALUES (?,?)", [(key, time.time()) for key in keys])


def _check_name(name: str) -> None:
    if not name or not all(c.isalnum() or c in "-_." for c in name) or len(name) > 64:
        raise CurationError(f"'{name}' cannot be an account name: use letters, digits, '-', '_' or '.' (at most 64).")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise CurationError(f"'{role}' is not a role; the roles are {', '.join(ROLES)}.")


@functools.cache
def _dummy_hash() -> str:
    """Verified against when a name is unknown (see :meth:`Accounts.check_password`); made on
    first use, not at import: an argon2 hash takes a good part of a second, on every ``kg`` command."""
    return PasswordHasher().hash("not a password of anyone")

"""Drafts: a curator's unpublished edit of a record, kept on the server until published or discarded.

Why on the server: a curator (who may not publish) saves an edit for an editor to publish, or
stops half-way; a draft in the browser would be lost with the tab. Why one draft per record
*per account* rather than one shared per record: two curators editing the same record then
never overwrite each other's work (nothing lost, ever); the workspace shows every draft of a
record with its author and time, and an editor publishes any of them.

A draft lives in ``KG_CURATION_DIR/drafts/<kind>/<id>/<account>.json`` (never under ``data/``,
so a build never reads it and nothing unpublished is served), written atomically (temporary
file, fsync, rename, fsync of the folder: :func:`kg.curation.files.write_atomic`), so a crash
or ``kill -9`` leaves the old draft or the new one. It holds the values the form edits (None:
the key is removed), the ETag of the record version it started from (``base``; None for a new
record), so that publishing it after someone else changed the record is a conflict and not an
overwrite, and the gate's messages of the last refused publication (shown at their fields
when the draft is reopened).

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> d = save(root, Draft("praktijk", "x", "an", '"sha256-00"', {"titel": {"nl": "Nieuw"}}))
>>> [(x.id, x.user, x.values) for x in drafts_of(root, "praktijk", "x")]
[('x', 'an', {'titel': {'nl': 'Nieuw'}})]
>>> discard(root, "praktijk", "x", "an"), discard(root, "praktijk", "x", "an"), all_drafts(root)
(True, False, [])
>>> draft_path(root, "praktijk", "../x", "an")
Traceback (most recent call last):
kg.errors.CurationError: '../x' is not a record id: lower-case letters and digits joined by '-'.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kg.curation.files import remove_atomic, write_atomic
from kg.errors import CurationError
from kg.records.field_types import ID_PATTERN
from kg.records.format import RECORD_KINDS

__all__ = ["DRAFTS", "Draft", "all_drafts", "discard", "draft_path", "drafts_of", "load", "save"]

#: The folder of the drafts in ``KG_CURATION_DIR``.
DRAFTS = "drafts"


@dataclass(frozen=True)
class Draft:
    """One account's draft of one record (see the module docstring)."""

    kind: str
    id: str
    user: str
    #: The ETag of the record version the draft started from; None: a new record.
    base: str | None
    #: The record's values the draft changes (None: the key is removed).
    values: Mapping[str, Any]
    #: The gate's messages of the last refused publication of this draft (key, nl, en, path, line).
    errors: Sequence[Mapping[str, Any]] = ()
    #: When it was saved (UTC, ISO 8601); set by :func:`save`.
    saved: str = ""


def draft_path(curation_dir: Path, kind: str, rid: str, user: str) -> Path:
    """The file of ``user``'s draft of ``kind``/``rid``, or an error naming what is wrong."""
    record_kind = RECORD_KINDS.get(kind)
    if record_kind is None or record_kind.folder is None:
        raise CurationError(f"'{kind}' is not a kind of record curators edit.")
    if not ID_PATTERN.match(rid):
        raise CurationError(f"'{rid}' is not a record id: lower-case letters and digits joined by '-'.")
    if not user or user.startswith(".") or not all(c.isalnum() or c in "-_." for c in user):
        raise CurationError(f"'{user}' cannot be an account name.")
    return curation_dir / DRAFTS / kind / rid / f"{user}.json"


def save(curation_dir: Path, draft: Draft) -> Draft:
    """Write ``draft`` (replacing that account's earlier draft of the record), stamped with the time."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()
    stamped = Draft(draft.kind, draft.id, draft.user, draft.base, dict(draft.values), list(draft.errors), now)
    path = draft_path(curation_dir, draft.kind, draft.id, draft.user)
    write_atomic(path, json.dumps(asdict(stamped), ensure_ascii=False, indent=1).encode("utf-8"))
    return stamped


def _read(path: Path) -> Draft:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Draft(str(data["kind"]), str(data["id"]), str(data["user"]), data.get("base"), dict(data["values"]),
                     list(data.get("errors") or ()), str(data.get("saved", "")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CurationError(f"The draft {path} cannot be read ({exc}); move it away or repair it.") from None


def load(curation_dir: Path, kind: str, rid: str, user: str) -> Draft | None:
    """``user``'s draft of ``kind``/``rid``, if there is one."""
    path = draft_path(curation_dir, kind, rid, user)
    return _read(path) if path.is_file() else None


def discard(curation_dir: Path, kind: str, rid: str, user: str) -> bool:
    """Remove ``user``'s draft of ``kind``/``rid``; whether there was one."""
    path = draft_path(curation_dir, kind, rid, user)
    if not path.is_file():
        return False
    remove_atomic(path)
    return True


def drafts_of(curation_dir: Path, kind: str, rid: str) -> list[Draft]:
    """Every account's draft of ``kind``/``rid``, newest first."""
    draft_path(curation_dir, kind, rid, "x")  # checks kind and id
    folder = curation_dir / DRAFTS / kind / rid
    found = [_read(p) for p in folder.glob("*.json") if not p.name.startswith(".")] if folder.is_dir() else []
    return sorted(found, key=lambda d: d.saved, reverse=True)


def all_drafts(curation_dir: Path, kind: str | None = None, user: str | None = None) -> list[Draft]:
    """The drafts (of one kind, of one account), newest first."""
    root = curation_dir / DRAFTS
    pattern = f"{kind or '*'}/*/{user + '.json' if user else '*.json'}"
    found = [_read(p) for p in root.glob(pattern) if not p.name.startswith(".")] if root.is_dir() else []
    return sorted(found, key=lambda d: d.saved, reverse=True)

"""Withdrawing a record (its IRI answers 410) and merging a duplicate into another (301).

Both are publications of several files at once, through the same path as a save
(:func:`kg.cli.publication.apply`: journal, atomic writes, the build with its SHACL gate,
the switch, the audit line, the git commit), so they are all-or-nothing the same way:

- **withdraw**: the record's file is removed and a ``410`` row with the curator's reason is
  added to ``data/reference/redirects.csv``. Refused (:class:`~kg.errors.StillReferenced`,
  409, naming each referring record and key) while another record refers to it: those
  must change first, or the record be merged into the one they should name;
- **merge** into a record of the same kind: every reference to the duplicate in other
  records is rewritten to the record kept (:mod:`kg.curation.references`: comments and
  layout kept), the duplicate's file is removed, a ``301`` row is added.

The build emits the tombstone (``as:Delete``) of the removed record in the LDES, attributed
to the curator like every version of the publication; the web tier serves the 410/301 from
the table of the build it serves. The journal holds every file's old bytes: a crash or
``kill -9`` part-way leaves ``data/`` as before or as after (``kg curate recover``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.cli.publication import FileChange, apply, finish_journal, locked
from kg.curation.files import record_path
from kg.curation.record_edit import etag
from kg.curation.references import redirect_row, referrers, rewritten
from kg.errors import CurationError, EditConflict, StillReferenced
from kg.records.format import REDIRECTS_CSV
from kg.settings import Settings

__all__ = ["Removal", "withdraw"]

#: The table's header, should a deployment's ``data/`` lack the file.
_HEADER = b"iri,status,target,reason\n"
#: The longest reason kept (it is shown on the 410 page and in the table).
MAX_REASON = 500


@dataclass(frozen=True)
class Removal:
    """A record to withdraw (``into`` None) or to merge into the record ``into`` of its kind."""

    kind: str
    id: str
    #: The ETag of the version the curator saw: a record changed since is not removed.
    base: str | None
    reason: str
    user: str
    pseudonym: str
    #: The publication day (``gewijzigd`` of the records whose references are rewritten).
    today: str
    into: str | None = None


def _reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason:
        raise CurationError("Give a reason: it is published with the IRI's answer (410 or 301) in data/reference/redirects.csv.")
    if len(reason) > MAX_REASON:
        raise CurationError(f"The reason is {len(reason)} characters long; at most {MAX_REASON}.")
    return reason


def withdraw(settings: Settings, removal: Removal) -> dict[str, Any]:
    """Withdraw or merge (see the module docstring); the answer as JSON data."""
    kind, rid, into = removal.kind, removal.id, removal.into
    path = record_path(settings.data_dir, kind, rid)
    target = record_path(settings.data_dir, kind, into) if into is not None else None
    reason = _reason(removal.reason)
    table = (settings.data_dir / REDIRECTS_CSV).resolve()
    if table.parent != (settings.data_dir / REDIRECTS_CSV.parent).resolve():
        raise CurationError(f"{settings.data_dir / REDIRECTS_CSV} is a link elsewhere; a publication writes only inside data/.")
    with locked(settings):
        finish_journal(settings)
        old = path.read_bytes() if path.is_file() else None
        if old is None or etag(old) != removal.base:
            what = "no longer exists" if old is None else "was published by someone else"
            raise EditConflict(f"The record {kind}/{rid} {what} since you opened it; nothing was changed.",
                               etag(old) if old is not None else None)
        if target is not None and (into == rid or not target.is_file()):
            raise CurationError(f"{kind}/{into} is not another {kind} in data/: a duplicate is merged into an existing record of its kind.")
        referring = referrers(settings.data_dir, kind, rid)
        if target is None and referring:
            raise StillReferenced(kind, rid, [r.describe() for r in referring])
        before = table.read_bytes() if table.is_file() else None
        row = redirect_row(before or _HEADER, f"/id/{kind}/{rid}", 410 if into is None else 301,
                           f"/id/{kind}/{into}" if into is not None else None, reason)
        files: list[FileChange] = [(path, old, None), (table, before, row)]
        for r in referring:
            file = record_path(settings.data_dir, r.kind, r.id)
            text = file.read_bytes()
            files.append((file, text, rewritten(text.decode("utf-8"), r.kind, kind, rid, str(into), removal.today).encode("utf-8")))
        head = {"user": removal.user, "pseudonym": removal.pseudonym, "action": "withdraw" if into is None else "merge",
                "kind": kind, "id": rid, "reason": reason, **({"target": into} if into is not None else {})}
        answer = apply(settings, files, head, [(kind, rid), *((r.kind, r.id) for r in referring)], "")
        if answer["status"] == "live":
            answer["rewritten"] = [f"{r.kind}/{r.id}" for r in referring]
        return answer

"""One publication: a curator's record file → the SHACL gate → the live build, or nothing at all.

``kg curate publish`` runs this in a process of its own, started by the web tier for every
publication (the web tier never imports the build: docs/architecture.md, rule 4). Under one
lock (``KG_CURATION_DIR/publish.lock``), so publications happen one after the other:

1. the record's file is compared with the version the curator started from (its ETag): a
   different file is an :class:`~kg.errors.EditConflict` and nothing is written;
2. the new file is read and checked on its own, with the checks of the build (format,
   values, references): a problem ends here, nothing written;
3. a journal (``KG_CURATION_DIR/journal.json``: the path, the old bytes, the new bytes'
   hash) is written and fsynced, then the record file is replaced atomically;
4. ``kg build`` runs (incremental on the live build): the SHACL gate runs before the switch,
   so a Violation publishes nothing; the file is then put back from the journal, so
   ``data/`` is as it was;
5. on success: a line in the audit log (:mod:`kg.curation.history`), a git commit where
   ``data/`` is a git working tree, and the journal is removed.

A crash or ``kill -9`` between 3 and 5 leaves the journal; the next publication (or
``kg curate recover``) finishes it: when the live build holds the new file's bytes the
publication went live and gets its audit line, else the old bytes are put back. The live
build is never touched by any of this except through the build's own atomic switch.
"""

from __future__ import annotations

import base64
import difflib
import fcntl
import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.build.build_state import load_state
from kg.build.pipeline import build
from kg.curation import history
from kg.curation.field_errors import FieldError, from_problem, from_result
from kg.curation.files import JOURNAL, added_file_path, record_path, remove_atomic, write_atomic
from kg.curation.record_edit import etag, key_lines
from kg.errors import EditConflict, Problem, SourceError, ValidationFailed
from kg.records.format import FOLDERS, GEMEENTE, MUNICIPALITY_CSV
from kg.records.record_file import read_checked
from kg.records.reference import read_concept_codes, read_municipalities
from kg.settings import Settings
from kg.shacl.report import ValidationReport
from kg.store.folders import CURRENT, build_root

__all__ = ["Change", "publish", "recover"]



@dataclass(frozen=True)
class Change:
    """What a curator asks to publish: the whole new file of one record."""

    kind: str
    id: str
    text: str
    #: The ETag of the version the change starts from; None: the record must not exist yet.
    base: str | None
    user: str
    pseudonym: str
    #: New files published with it (path relative to ``data/``, text): a sheet's source and new records.
    added: tuple[tuple[str, str], ...] = ()


@contextmanager
def _locked(settings: Settings) -> Iterator[None]:
    settings.curation_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.curation_dir / "publish.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def publish(settings: Settings, change: Change) -> dict[str, Any]:
    """Publish ``change`` (see the module docstring); the answer the web tier shows, as JSON data."""
    path = record_path(settings.data_dir, change.kind, change.id)
    data = change.text.encode("utf-8")
    added = [(added_file_path(settings.data_dir, relative)[0], text.encode("utf-8")) for relative, text in change.added]
    with _locked(settings):
        _finish_journal(settings)
        old = path.read_bytes() if path.exists() else None
        current = etag(old) if old is not None else None
        if current != change.base:
            what = "was published by someone else" if current and change.base else ("already exists" if current else "no longer exists")
            raise EditConflict(f"The record {change.kind}/{change.id} {what} since you opened it; nothing was written.", current)
        taken = [p for p, _ in added if p.exists()]
        if taken:
            raise EditConflict(f"{taken[0].relative_to(settings.data_dir.resolve())} exists already; nothing was written.", current)
        if old == data and not added:
            return {"status": "unchanged", "etag": current}
        errors = _record_errors(settings, change, path)
        if errors:
            return {"status": "invalid", "errors": [e.as_json() for e in errors]}
        files = [(path, old, data), *((p, None, new) for p, new in added)]
        journal = settings.curation_dir / JOURNAL
        write_atomic(journal, json.dumps({
            "files": [{"path": str(p), "old": base64.b64encode(o).decode() if o is not None else None} for p, o, _ in files],
            "new": etag(data), "user": change.user, "pseudonym": change.pseudonym, "kind": change.kind, "id": change.id,
        }).encode())
        for file, _, new in files:
            write_atomic(file, new)
        try:
            result = build(settings)
        except (SourceError, ValidationFailed) as exc:
            _put_back_all(files)
            journal.unlink()
            return {"status": "invalid", "errors": [e.as_json() for e in _gate_errors(exc, path, change.text)]}
        except BaseException:
            _put_back_all(files)
            journal.unlink()
            raise
        entry = _record_history(settings, change, path, old, data, result.build_id, [p for p, _ in added])
        journal.unlink()
        return {"status": "live", "etag": etag(data), "build": result.build_id, "seq": entry["seq"],
                "warnings": [e.as_json() for e in _report_errors(result.report, path, change.text, "Warning")]}


def _put_back_all(files: list[tuple[Path, bytes | None, bytes]]) -> None:
    for file, old, _ in reversed(files):
        _put_back(file, old)


def _put_back(path: Path, old: bytes | None) -> None:
    if old is None:
        remove_atomic(path)
    else:
        write_atomic(path, old)


def _record_errors(settings: Settings, change: Change, path: Path) -> list[FieldError]:
    """The build's record checks of the new file on its own (references against ``data/``)."""
    staging = settings.curation_dir / "check" / change.kind
    staging.mkdir(parents=True, exist_ok=True)
    probe = staging / path.name  # the id must equal the file name: the same name, elsewhere
    write_atomic(probe, change.text.encode("utf-8"))
    try:
        found: list[Problem] = []  # problems of the reference data are the build's to report
        concepts = read_concept_codes(settings.ontology_dir / "vocabularies", found)
        known = {(kind, p.stem) for folder, kind in FOLDERS.items() for p in (settings.data_dir / folder).glob("*.yaml")}
        known |= {(GEMEENTE.name, r.id) for r in read_municipalities(settings.data_dir / MUNICIPALITY_CSV, found)}
        known |= {(change.kind, change.id)} | _added_ids(settings, change)
        _, problems = read_checked(probe, change.kind, known, concepts)
    finally:
        probe.unlink(missing_ok=True)
    lines = key_lines(change.text)
    return [from_problem(p.message, p.line, lines) for p in problems]


def _added_ids(settings: Settings, change: Change) -> set[tuple[str, str]]:
    """(kind, id) of the records the change adds beside its own."""
    found = set()
    for relative, _ in change.added:
        path, kind = added_file_path(settings.data_dir, relative)
        if kind is not None:
            found.add((kind, path.stem))
    return found


def _gate_errors(exc: SourceError | ValidationFailed, path: Path, text: str) -> list[FieldError]:
    """What stopped the build, at the fields of the curator's record (others: about the record as a whole)."""
    lines = key_lines(text)
    if isinstance(exc, SourceError):
        return [from_problem(p.message, p.line if p.file.resolve() == path else None, lines) for p in exc.problems]
    assert isinstance(exc.report, ValidationReport)
    return _report_errors(exc.report, path, text, "Violation")


def _report_errors(report: ValidationReport, path: Path, text: str, severity: str) -> list[FieldError]:
    lines = key_lines(text)
    return [from_result(r.severity, r.message_nl, r.message_en, r.line if r.file is not None and r.file.resolve() == path else None, r.path, lines)
            for r in report.results if r.severity == severity and (severity == "Violation" or (r.file is not None and r.file.resolve() == path))]


def _record_history(settings: Settings, change: Change, path: Path, old: bytes | None, new: bytes, build_id: str,
                    added: list[Path]) -> dict[str, Any]:
    relative = path.relative_to(settings.data_dir.resolve()).as_posix()
    diff = "".join(difflib.unified_diff((old or b"").decode("utf-8").splitlines(True), new.decode("utf-8").splitlines(True),
                                        f"a/{relative}", f"b/{relative}"))
    entry = history.append(settings.curation_dir / history.AUDIT_LOG, {
        "user": change.user, "pseudonym": change.pseudonym, "action": "create" if old is None else "update",
        "kind": change.kind, "id": change.id, "path": relative, "before": etag(old).strip('"') if old is not None else None,
        "after": etag(new).strip('"'), "build": build_id, "diff": diff,
        "added": [p.relative_to(settings.data_dir.resolve()).as_posix() for p in added],
    })
    _commit(settings, [path, *added], change, entry["seq"])
    return entry


def _commit(settings: Settings, paths: list[Path], change: Change, seq: int) -> None:
    """One git commit of exactly these files, with the curator as author, where ``data/`` is a
    git working tree; a failing git does not undo a publication that is live."""
    folder = str(settings.data_dir.resolve())
    names = [p.relative_to(folder).as_posix() for p in paths]
    inside = subprocess.run(["git", "-C", folder, "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True)
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return
    author = f"{change.user} <{change.user}@curators.invalid>"
    message = f"{change.kind}/{change.id}: published from the curator workspace\n\nKg-Audit: {seq}\n"
    subprocess.run(["git", "-C", folder, "add", "--", *names], capture_output=True)
    subprocess.run(["git", "-C", folder, "commit", "--quiet", "--only", "--author", author, "-m", message, "--", *names],
                   capture_output=True, env={"GIT_COMMITTER_NAME": "Lokaal Circulair publisher",
                                             "GIT_COMMITTER_EMAIL": "publisher@curators.invalid", "PATH": "/usr/bin:/bin"})


def _finish_journal(settings: Settings) -> str | None:
    """Finish a publication a crash interrupted (see the module docstring); what was done, or None."""
    journal = settings.curation_dir / JOURNAL
    if not journal.is_file():
        return None
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
    except ValueError:  # the journal itself was cut: no record file was written yet
        journal.unlink()
        return "an unfinished journal was dropped; no record had been written"
    files = [(Path(f["path"]), base64.b64decode(f["old"]) if f["old"] is not None else None) for f in entry["files"]]
    path, old = files[0]
    now = path.read_bytes() if path.exists() else None
    if now is not None and etag(now) == entry["new"] and _live_has(settings, path, now):
        change = Change(entry["kind"], entry["id"], now.decode("utf-8"), None, entry["user"], entry["pseudonym"])
        _record_history(settings, change, path, old, now, _live_build(settings), [p for p, _ in files[1:]])
        done = "the interrupted publication had gone live; its history was written"
    else:
        for file, before in reversed(files):
            _put_back(file, before)
        done = "the interrupted publication had not gone live; the files were put back"
    journal.unlink()
    return done


def _live_build(settings: Settings) -> str:
    return (build_root(settings) / CURRENT).resolve().name


def _live_has(settings: Settings, path: Path, data: bytes) -> bool:
    """Whether the live build was made from these bytes of ``path``."""
    state = load_state((build_root(settings) / CURRENT).resolve())
    if state is None:
        return False
    entry = state.by_file.get(path.relative_to(settings.data_dir.resolve()).as_posix())
    return entry is not None and f'"sha256-{entry.content_hash}"' == etag(data)


def recover(settings: Settings) -> str:
    """``kg curate recover``: finish an interrupted publication, if any."""
    with _locked(settings):
        return _finish_journal(settings) or "nothing to recover"

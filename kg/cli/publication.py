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
``kg curate recover``) finishes it: when the live build holds the new file's bytes (for a
removed file: no longer holds the file) the publication went live and gets its audit line,
else the old bytes are put back. The live build is never touched by any of this except
through the build's own atomic switch.

Steps 3 to 5 are :func:`apply`, shared with withdrawals and merges (:mod:`kg.cli.withdrawal`),
which change several files at once (a record removed, ``redirects.csv``, the records a merge
rewrites): the journal holds every file's old bytes, so recovery puts all of them back or
none. The build is told which records the curator changed, and the LDES attributes their new
versions to the curator's pseudonymous IRI (``prov:wasAttributedTo``).
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
from kg.curation.files import JOURNAL, added_file_path, record_path, remove_atomic, remove_temporaries, write_atomic
from kg.curation.record_edit import etag, key_lines
from kg.errors import EditConflict, Problem, SourceError, ValidationFailed
from kg.rdf.iris import Iris
from kg.records.format import FOLDERS, GEMEENTE, MUNICIPALITY_CSV
from kg.records.record_file import read_checked
from kg.records.reference import read_concept_codes, read_municipalities
from kg.settings import Settings
from kg.shacl.report import ValidationReport
from kg.store.folders import CURRENT, build_root

__all__ = ["Change", "FileChange", "apply", "finish_journal", "locked", "publish", "recover", "write_journal"]

#: One file of a publication: its path, the bytes before and after (None: absent).
FileChange = tuple[Path, bytes | None, bytes | None]



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
def locked(settings: Settings) -> Iterator[None]:
    settings.curation_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.curation_dir / "publish.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def publish(settings: Settings, change: Change) -> dict[str, Any]:
    """Publish ``change`` (see the module docstring); the answer the web tier shows, as JSON data."""
    path = record_path(settings.data_dir, change.kind, change.id)
    data = change.text.encode("utf-8")
    added = [(added_file_path(settings.data_dir, relative)[0], text.encode("utf-8")) for relative, text in change.added]
    with locked(settings):
        finish_journal(settings)
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
        files: list[FileChange] = [(path, old, data), *((p, None, new) for p, new in added)]
        head = {"user": change.user, "pseudonym": change.pseudonym, "action": "create" if old is None else "update",
                "kind": change.kind, "id": change.id}
        answer = apply(settings, files, head, [(change.kind, change.id), *_added_ids(settings, change)], change.text)
        if answer["status"] == "live":
            answer["etag"] = etag(data)
        return answer


def apply(settings: Settings, files: list[FileChange], head: dict[str, Any], records: list[tuple[str, str]],
          text: str) -> dict[str, Any]:
    """Journal, write ``files`` (path, old bytes, new bytes; None: absent), build, and write the
    history: the part every publication shares (called under the lock). ``head`` starts the audit
    line (who, what); ``records`` (kind, id) are the records the curator changed (their LDES
    versions are attributed to the curator); ``text`` is the first file's, to place messages."""
    path = files[0][0]
    journal = write_journal(settings, files, head, records)
    for file, _, data in files:
        _put_back(file, data)
    try:
        result = build(settings, attribution=_attribution(settings, head["pseudonym"], records))
    except (SourceError, ValidationFailed) as exc:
        _put_back_all(files)
        journal.unlink()
        return {"status": "invalid", "errors": [e.as_json() for e in _gate_errors(exc, path, text)]}
    except BaseException:
        _put_back_all(files)
        journal.unlink()
        raise
    entry = _record_history(settings, head, files, result.build_id)
    journal.unlink()
    return {"status": "live", "build": result.build_id, "seq": entry["seq"],
            "warnings": [e.as_json() for e in _report_errors(result.report, path, text, "Warning")]}


def write_journal(settings: Settings, files: list[FileChange], head: dict[str, Any], records: list[tuple[str, str]]) -> Path:
    """The journal of a publication about to write ``files``: every file's old bytes (None:
    absent), the first file's new hash (None: removed), the audit line's head; fsynced."""
    journal = settings.curation_dir / JOURNAL
    new = files[0][2]
    write_atomic(journal, json.dumps({
        "files": [{"path": str(p), "old": base64.b64encode(o).decode() if o is not None else None} for p, o, _ in files],
        "new": etag(new) if new is not None else None, "audit": head, "records": records,
    }).encode())
    return journal


def _attribution(settings: Settings, pseudonym: str, records: list[tuple[str, str]]) -> dict[str, str]:
    """Entity IRI → the curator's pseudonymous IRI, for the LDES versions of the changed records."""
    iris = Iris(settings.base_iri)
    agent = iris.curator(pseudonym).value
    return {iris.entity(kind, rid).value: agent for kind, rid in records}


def _put_back_all(files: list[FileChange]) -> None:
    for file, old, _ in reversed(files):
        _put_back(file, old)


def _put_back(path: Path, old: bytes | None) -> None:
    """``path`` with the bytes ``old`` (None: removed), atomically."""
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


def _record_history(settings: Settings, head: dict[str, Any], files: list[FileChange], build_id: str) -> dict[str, Any]:
    """The audit line (and the git commit) of a publication that went live."""
    root = settings.data_dir.resolve()
    (path, old, new), rest = files[0], files[1:]
    relative = path.relative_to(root).as_posix()
    diffs = [_diff(p.relative_to(root).as_posix(), o, n) for p, o, n in files if not (o is None and p != path)]
    entry = history.append(settings.curation_dir / history.AUDIT_LOG, {
        **head, "path": relative, "before": etag(old).strip('"') if old is not None else None,
        "after": etag(new).strip('"') if new is not None else None, "build": build_id, "diff": "".join(diffs),
        "added": [p.relative_to(root).as_posix() for p, o, _ in rest if o is None],
        **({"changed": [p.relative_to(root).as_posix() for p, o, _ in rest if o is not None]} if any(o for _, o, _ in rest) else {}),
    })
    _commit(settings, [p for p, _, _ in files], head, entry["seq"])
    return entry


def _diff(relative: str, old: bytes | None, new: bytes | None) -> str:
    return "".join(difflib.unified_diff((old or b"").decode("utf-8").splitlines(True), (new or b"").decode("utf-8").splitlines(True),
                                        f"a/{relative}" if old is not None else "/dev/null", f"b/{relative}" if new is not None else "/dev/null"))


def _commit(settings: Settings, paths: list[Path], head: dict[str, Any], seq: int) -> None:
    """One git commit of exactly these files, with the curator as author, where ``data/`` is a
    git working tree; a failing git does not undo a publication that is live."""
    folder = str(settings.data_dir.resolve())
    names = [p.relative_to(folder).as_posix() for p in paths]
    inside = subprocess.run(["git", "-C", folder, "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True)
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return
    author = f"{head['user']} <{head['user']}@curators.invalid>"
    what = {"withdraw": "withdrawn", "merge": f"merged into {head.get('target')}"}.get(head["action"], "published")
    message = f"{head['kind']}/{head['id']}: {what} from the curator workspace\n\nKg-Audit: {seq}\n"
    subprocess.run(["git", "-C", folder, "add", "--all", "--", *names], capture_output=True)
    subprocess.run(["git", "-C", folder, "commit", "--quiet", "--only", "--author", author, "-m", message, "--", *names],
                   capture_output=True, env={"GIT_COMMITTER_NAME": "Lokaal Circulair publisher",
                                             "GIT_COMMITTER_EMAIL": "publisher@curators.invalid", "PATH": "/usr/bin:/bin"})


def finish_journal(settings: Settings) -> str | None:
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
    path = files[0][0]
    now = path.read_bytes() if path.exists() else None
    went_live = (etag(now) == entry["new"] if now is not None and entry["new"] is not None else now is None and entry["new"] is None)
    if went_live and _live_has(settings, path, now):
        written = [(p, old, p.read_bytes() if p.exists() else None) for p, old in files]
        head = entry.get("audit") or {"action": "update", **{k: entry.get(k) for k in ("user", "pseudonym", "kind", "id")}}
        _record_history(settings, head, written, _live_build(settings))
        done = "the interrupted publication had gone live; its history was written"
    else:
        for file, before in reversed(files):
            _put_back(file, before)
        done = "the interrupted publication had not gone live; the files were put back"
    for file, _ in files:  # a kill between a temporary file and its rename leaves the temporary
        remove_temporaries(file)
    journal.unlink()
    return done


def _live_build(settings: Settings) -> str:
    return (build_root(settings) / CURRENT).resolve().name


def _live_has(settings: Settings, path: Path, data: bytes | None) -> bool:
    """Whether the live build was made from these bytes of ``path`` (None: without ``path``)."""
    state = load_state((build_root(settings) / CURRENT).resolve())
    if state is None:
        return False
    entry = state.records.get(path.relative_to(settings.data_dir.resolve()).as_posix())
    if data is None:
        return entry is None
    return entry is not None and f'"sha256-{entry.content_hash}"' == etag(data)


def recover(settings: Settings) -> str:
    """``kg curate recover``: finish an interrupted publication, if any."""
    with locked(settings):
        return finish_journal(settings) or "nothing to recover"

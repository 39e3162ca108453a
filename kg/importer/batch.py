"""``kg import``: a batch of sheets read, mapped, checked and (unless a dry run) written.

Three passes, so that bad input writes nothing: every file is read and parsed first (an
empty, binary, oversized or untitled file stops the whole batch with a
:class:`~kg.errors.SourceError` naming file and line); then each sheet is mapped and
checked against the records already there and those made before it in the batch; only then
are files written, each one complete (written beside and renamed into place).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.errors import Problem, SourceError
from kg.importer.lookup import Lookup
from kg.importer.mapping import map_sheet, sheet_id
from kg.importer.results import SheetResult, SourceNumbers
from kg.importer.sheet import NoTitle, Sheet, parse_sheet
from kg.importer.text_input import MAX_SHEET_BYTES, SheetUnreadable, sheet_text
from kg.importer.updates import plan_update
from kg.importer.writer import plan_new, write_planned
from kg.store.synthetic_marker import ID_PREFIX, is_synthetic

__all__ = ["SHEET_SUFFIXES", "import_sheets", "plan_sheet", "read_sheet", "sheet_files", "write_results"]

#: Threads writing files (see :func:`import_sheets`).
_WRITERS = 4
#: The files a folder given to ``kg import`` contributes.
SHEET_SUFFIXES = (".txt", ".html", ".htm")


def sheet_files(paths: Iterable[Path]) -> list[Path]:
    """The sheet files named, a folder standing for the sheets in it (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in SHEET_SUFFIXES and p.is_file()))
        else:
            out.append(path)
    return out


def read_sheet(path: Path, data: bytes | None = None) -> tuple[Sheet, bytes, str]:
    """A sheet file read and parsed: (sheet, the file's bytes, how it was read). Raises
    :class:`SourceError` naming the file and line when it is not a sheet."""
    try:
        if data is None:
            size = path.stat().st_size
            if size > MAX_SHEET_BYTES:  # refused before reading it into memory
                raise SheetUnreadable(f"The file is {size / 1024 / 1024:.1f} MB; a sheet is a few kilobytes "
                                      f"(at most {MAX_SHEET_BYTES // 1024 // 1024} MB). Is this the right file?")
            data = path.read_bytes()
        text, how = sheet_text(data)
        return parse_sheet(text), data, how
    except (SheetUnreadable, NoTitle) as exc:
        raise SourceError([Problem(path, exc.line, str(exc))]) from None
    except OSError as exc:
        raise SourceError([Problem(path, 1, f"The file cannot be read: {exc.strerror}.")]) from None


def import_sheets(
    paths: Sequence[Path], data_dir: Path, vocab_dir: Path, *, dry_run: bool = False, update: bool = False,
    today: str | None = None,
) -> list[SheetResult]:
    """Import sheets into ``data_dir``; see the module docstring for the passes."""
    sheets: list[tuple[Path, Sheet, bytes, str]] = []
    problems: list[Problem] = []
    for path in sheet_files(paths):
        try:
            sheets.append((path, *read_sheet(path)))
        except SourceError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SourceError(problems)
    lookup = Lookup.read(data_dir, vocab_dir)
    prefix = ID_PREFIX if is_synthetic(data_dir) else ""
    day = today or datetime.date.today().isoformat()
    results: list[SheetResult] = []
    taken: set[str] = set()
    sources = SourceNumbers(data_dir / "sources")
    for path, sheet, data, how in sheets:
        results.append(plan_sheet(path, sheet, data, how, lookup, data_dir, day, prefix, update, taken, sources))
    if not dry_run:
        write_results(results)
    return results


def write_results(results: Sequence[SheetResult]) -> None:
    """Write what the sheets planned (``kg import`` prints the plan, the diffs of --update
    included, before it calls this). Creating files is waiting on the file system, not
    computing: a few threads overlap that wait (each sheet's files in their order, the
    practice record last)."""
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        for done in [pool.submit(write_planned, r.files) for r in results if r.files]:
            done.result()


def plan_sheet(path: Path, sheet: Sheet, data: bytes, how: str, lookup: Lookup, data_dir: Path, day: str, prefix: str,
         update: bool, taken: set[str], sources: SourceNumbers) -> SheetResult:
    """Map, check and plan one sheet; what it added to the lookup is taken back if it is dropped."""
    checksum = hashlib.sha256(data).hexdigest()
    pid = sheet_id(sheet, lookup, prefix)
    record_path = data_dir / "praktijken" / f"{pid}.yaml"
    exists = record_path.is_file() or pid in taken
    lookup.begin()
    proposal = map_sheet(sheet, lookup, name=str(path), bron=lookup.source_by_checksum.get(checksum), today=day, prefix=prefix)
    if how:
        proposal.note((), sheet.title.number, path.name, "(text)", how, name="(file)")
    result = SheetResult(path, proposal, "new", record_path)
    if exists and not update:
        result.action = "exists"
        result.problems.append(f"{record_path} exists; run with --update to see the differences and apply them")
    elif exists and pid in taken:
        result.action = "exists"
        result.problems.append(f"an earlier sheet of this batch makes the same record {pid}")
    elif exists:
        plan_update(result, data, checksum, lookup, data_dir, sources)
    else:
        plan_new(result, data, checksum, lookup, data_dir, sources, path.suffix.lower())
    if result.action in ("exists", "invalid", "unchanged"):
        lookup.rollback()
        result.files = []
    else:
        lookup.journal = None
        taken.add(pid)
        if result.action != "updated":
            lookup.source_by_checksum.setdefault(checksum, proposal.record["bronnen"][0])
    return result

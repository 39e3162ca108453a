"""The files one sheet's import writes: planned first, written only when all are sound.

A new practice brings its sheet as a source document (``data/sources/NNN_<checksum>.txt``,
unless a source with the same checksum is already there) and the ``bronnen`` record citing
it, the organisation and person records it needs, the practice record with ``# REVIEW:``
comments, and the review report beside it (``data/praktijken/review/<id>.md``: a subfolder,
which the record readers skip). Every file is written to a temporary name and renamed into
place, the practice record last, so an interrupted import never leaves half a record.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.importer.checks import record_problems, value_problems
from kg.importer.lookup import Lookup
from kg.importer.results import Planned, SheetResult, SourceNumbers
from kg.importer.review import markdown
from kg.importer.yaml_out import emit_with_lines

__all__ = ["REVIEW_FOLDER", "finish", "plan_records", "plan_source", "bron_record", "plan_new", "review_path", "write_planned"]

#: The subfolder of ``praktijken/`` that holds the review reports.
REVIEW_FOLDER = "review"


def review_path(record: Path) -> Path:
    """Where the review report of a practice record goes."""
    return record.parent / REVIEW_FOLDER / f"{record.stem}.md"


def header(result: SheetResult, source: str) -> str:
    """The comment at the top of an imported record."""
    count = len(result.proposal.notes)
    return (f"Imported by `kg import` from the practice sheet {source}.\n"
            f"{count} point{'s' if count != 1 else ''} to review: the # REVIEW comments below and "
            f"{REVIEW_FOLDER}/{result.record.stem}.md.\nRemove a comment once its value is checked.")


def bron_record(bron: str, title: str, city: str, filename: str, day: str) -> dict[str, Any]:
    """The ``bronnen`` record of a sheet."""
    of = f" {city}" if city else ""
    return {"id": bron, "titel": {"nl": f"{title} (praktijkfiche{of})"}, "type": "praktijkfiche", "taal": "nl",
            "bestand": filename, "gewijzigd": day}


def plan_new(result: SheetResult, data: bytes, checksum: str, lookup: Lookup, data_dir: Path,
             sources: SourceNumbers, suffix: str) -> None:
    """Plan every file of a new practice; the result becomes ``invalid`` if a record would not pass the checks."""
    proposal = result.proposal
    bron = proposal.record["bronnen"][0]
    planned, source_name = plan_source(result, data, checksum, lookup, data_dir, sources, suffix)
    if bron in lookup.source_files:
        source_name = f"sources/{lookup.source_files[bron]}"
    planned += plan_records(result, proposal.records, lookup, data_dir)
    text, where = emit_with_lines(proposal.ordered(), proposal.comments, header=header(result, source_name))
    result.problems += value_problems(proposal.ordered(), where, result.record, lookup.ids, lookup.concepts)
    finish(result, planned, text, source_name, lookup, checked=True)


def plan_source(result: SheetResult, data: bytes, checksum: str, lookup: Lookup, data_dir: Path,
                sources: SourceNumbers, suffix: str) -> tuple[list[Planned], str]:
    """The sheet as a new source file and its ``bronnen`` record, unless a source with the
    same checksum is cited already; and the source's name for the record's header."""
    proposal = result.proposal
    bron = proposal.record["bronnen"][0]
    if bron in lookup.source_files:
        return [], f"sources/{lookup.source_files[bron]}"
    if ("bron", bron) in lookup.ids:  # a source record of that name cites no sheet: never overwrite it
        bron = proposal.record["bronnen"][0] = lookup.new_id("bron", bron)  # the new records share this list
    filename = f"{sources.take():03d}_{checksum[:16]}{suffix if suffix in ('.html', '.htm') else '.txt'}"
    city = next((lookup.organisations[a["organisatie"]].name for a in proposal.record.get("actoren", [])
                 if a.get("rol") == "trekker" and a.get("organisatie") in lookup.organisations), "")
    lookup.add_names("bron", bron, [])
    record = bron_record(bron, proposal.title, city, filename, proposal.record["gewijzigd"])
    planned = [Planned(data_dir / "sources" / filename, data)]
    planned += plan_records(result, [("bronnen", record, f"The practice sheet imported as {proposal.id!r}; sha256 {checksum}.")],
                            lookup, data_dir)
    return planned, f"sources/{filename}"


def plan_records(result: SheetResult, records: Sequence[tuple[str, dict[str, Any], str]], lookup: Lookup, data_dir: Path) -> list[Planned]:
    """New organisation, person and source records, each checked."""
    planned: list[Planned] = []
    for folder, record, comment in records:
        path = data_dir / folder / f"{record['id']}.yaml"
        text, where = emit_with_lines(record, header=comment)
        result.problems += [f"{path.name}: {p}" for p in value_problems(record, where, path, lookup.ids, lookup.concepts)]
        planned.append(Planned(path, text.encode("utf-8")))
    return planned


def finish(result: SheetResult, planned: list[Planned], text: str, source_name: str, lookup: Lookup, checked: bool = False) -> None:
    """Check the practice record's text (unless its values were ``checked``); plan it and its review report last."""
    proposal = result.proposal
    if not checked:
        result.problems += record_problems(text, result.record, lookup.ids, lookup.concepts)
    planned.append(Planned(review_path(result.record), markdown(proposal.title, source_name, f"praktijken/{result.record.name}",
                                                                proposal.notes).encode("utf-8")))
    planned.append(Planned(result.record, text.encode("utf-8")))
    if result.problems:
        result.action = "invalid"
    result.files = planned


def write_planned(files: Sequence[Planned]) -> None:
    """Write each file beside its place and rename it there (the practice record is last)."""
    for item in files:
        item.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = item.path.with_name(f".{item.path.name}.importing")
        temporary.write_bytes(item.data)
        os.replace(temporary, item.path)

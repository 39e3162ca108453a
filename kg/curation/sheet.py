"""A practice sheet proposed as a publication: the importer's plan, with the files it adds.

Why apart from ``POST /api/import`` (:func:`kg.importer.propose.propose`): publishing needs
the bytes of every file the sheet's import adds besides the practice (its text in
``data/sources/``, its source record, new organisations and people), which the JSON proposal
leaves out for the text. The review report (``.md``) is not among them: in the workspace the
curator reviews the notes on screen, and the audit log keeps who published.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.importer.batch import plan_sheet, read_sheet
from kg.importer.lookup import Lookup
from kg.importer.propose import propose
from kg.importer.results import SourceNumbers
from kg.store.synthetic_marker import ID_PREFIX, is_synthetic

__all__ = ["SheetPlan", "plan"]


@dataclass(frozen=True)
class SheetPlan:
    """The proposal (the JSON of ``POST /api/import``) and the other files, relative to ``data/``."""

    answer: dict[str, Any]
    added: tuple[tuple[str, str], ...]


def plan(data: bytes, name: str, data_dir: Path, vocab_dir: Path) -> SheetPlan:
    """What importing the sheet would publish (nothing is written)."""
    answer = propose(data, name, data_dir, vocab_dir)
    path = Path(name or "sheet.txt")
    sheet, raw, how = read_sheet(path, data)
    lookup = Lookup.read(data_dir, vocab_dir)
    prefix = ID_PREFIX if is_synthetic(data_dir) else ""
    result = plan_sheet(path, sheet, raw, how, lookup, data_dir, datetime.date.today().isoformat(), prefix, False, set(),
                        SourceNumbers(data_dir / "sources"))
    added = tuple((f.path.relative_to(data_dir).as_posix(), f.data.decode("utf-8")) for f in result.files
                  if f.path != result.record and f.path.suffix in (".yaml", ".txt"))
    return SheetPlan(answer, added)

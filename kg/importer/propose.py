"""One sheet's import proposed, never written: what ``POST /api/import`` answers.

The curator workspace shows this proposal (the record, the flagged fields, the records it
would add) for correction before saving; the command line writes the same plan. Nothing
is written: the lookup is read fresh for each proposal and the plan's files stay in memory.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.importer.batch import plan_sheet, read_sheet
from kg.importer.lookup import Lookup
from kg.importer.results import SourceNumbers
from kg.importer.yaml_out import emit
from kg.store.synthetic_marker import ID_PREFIX, is_synthetic

__all__ = ["propose"]


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


def propose(data: bytes, name: str, data_dir: Path, vocab_dir: Path, *, update: bool = False) -> dict[str, Any]:
    """The proposal for a sheet's bytes, as JSON-ready data. Raises
    :class:`~kg.errors.SourceError` (naming ``name`` and the line) for bad input."""
    path = Path(name or "sheet.txt")
    sheet, raw, how = read_sheet(path, data)
    lookup = Lookup.read(data_dir, vocab_dir)
    prefix = ID_PREFIX if is_synthetic(data_dir) else ""
    result = plan_sheet(path, sheet, raw, how, lookup, data_dir, datetime.date.today().isoformat(), prefix, update,
                        set(), SourceNumbers(data_dir / "sources"))
    record_file = next((f for f in result.files if f.path == result.record), None)
    return {
        "sheet": name,
        "id": result.proposal.id,
        "action": result.action,
        "record_path": str(result.record.relative_to(data_dir)),
        "record": json.loads(json.dumps(result.proposal.ordered(), default=_number)),
        "yaml": record_file.data.decode("utf-8") if record_file else emit(result.proposal.ordered(), result.proposal.comments),
        "review": [note.as_json() for note in result.proposal.notes],
        "problems": result.problems,
        "diff": result.diff,
        "files": [{"path": str(f.path.relative_to(data_dir)), **({"text": f.data.decode("utf-8")} if f.path.suffix in (".yaml", ".md") else {})}
                  for f in result.files if f.path != result.record],
    }

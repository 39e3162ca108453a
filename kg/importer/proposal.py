"""What importing one sheet proposes: the practice record, the records it needs, the notes.

Why apart: the mapping builds it, the writer writes it and ``POST /api/import`` returns it
as JSON; none of them needs to know how the others work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.importer.review import Note
from kg.records.format import PRAKTIJK

__all__ = ["KEY_ORDER", "Proposal"]

#: The order of a practice's keys in its file: ``id``, its own keys, then its provenance.
KEY_ORDER: tuple[str, ...] = ("id", *(key for key, _ in PRAKTIJK.written() if key != "id"))


@dataclass
class Proposal:
    """One sheet's import. ``comments`` holds the review comment of a key or list item
    (key path such as ``("actoren", 3)``); ``records`` the new records it needs, as
    (folder, data, comment) in the order they must be written."""

    sheet: str
    title: str
    id: str
    record: dict[str, Any] = field(default_factory=dict)
    comments: dict[tuple[str | int, ...], str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    records: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)

    def note(self, path: tuple[str | int, ...], line: int, read: str, chosen: str, why: str, name: str = "") -> None:
        """Record a point to review, in the report and as a comment on ``path`` (a field the
        record does not have, such as the sheet's "Aanwerving", is named by ``name``)."""
        name = name or str(path[0]) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[1:])
        note = Note(name, line, read, chosen, why)
        self.notes.append(note)
        if path:
            previous = self.comments.get(path)
            self.comments[path] = f"{previous}; {note.comment()}" if previous else note.comment()

    def ordered(self) -> dict[str, Any]:
        """The record with its keys in the documented order."""
        return {key: self.record[key] for key in KEY_ORDER if key in self.record}

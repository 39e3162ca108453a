"""The review report: every value the importer was not sure of, one line each.

A curator checks exactly these and nothing else. Each note says the field, the sheet's line,
the value read, what was chosen and why; the same note is a comment in the written YAML.
The report is printed as a table and written beside the record (``<id>.review.md``, a
Markdown table a curator can open anywhere; the data folder's reader skips it).

>>> n = Note("start", 19, "09/2021", "2021-09", "read 09/2021 as month/year")
>>> print(table([n]))
field  line  read     chosen   why
-----  ----  -------  -------  --------------------------
start  19    09/2021  2021-09  read 09/2021 as month/year
>>> n.comment()
'REVIEW: read 09/2021 as month/year (sheet line 19: 09/2021)'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Note", "markdown", "table"]

_COLUMNS = ("field", "line", "read", "chosen", "why")
_WIDTH = 60


@dataclass(frozen=True)
class Note:
    """One point to review: ``field`` is the record's key path (``actoren[3]``), ``line`` the sheet's."""

    field: str
    line: int
    read: str
    chosen: str
    why: str

    def comment(self) -> str:
        """The note as a one-line YAML comment (without the ``#``)."""
        read = _short(self.read.replace("\n", " "), 50)
        return f"REVIEW: {self.why} (sheet line {self.line}: {read})" if read else f"REVIEW: {self.why} (sheet line {self.line})"

    def as_json(self) -> dict[str, Any]:
        """The note for the API (:mod:`endpoint.curation`)."""
        return asdict(self)


def _short(text: str, width: int = _WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cells(note: Note) -> tuple[str, ...]:
    return (note.field, str(note.line), _short(note.read.replace("\n", " ")), _short(note.chosen), note.why)


def table(notes: Sequence[Note]) -> str:
    """The notes as an aligned plain-text table for the terminal."""
    rows = [_COLUMNS, *(_cells(n) for n in notes)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(title: str, sheet: str, record: str, notes: Sequence[Note], extra: Sequence[str] = ()) -> str:
    """The report file written beside a record: what was imported from where, and the notes."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    head = [f"# Review: {title}", "", f"Imported from `{sheet}` into `{record}` by `kg import`.", ""]
    if not notes:
        head.append("Nothing to review: every value was read as the sheet writes it.")
    else:
        head += [f"{len(notes)} point{'s' if len(notes) != 1 else ''} to review; each is also a `# REVIEW:` comment in the record.",
                 "", "| field | sheet line | value read | chosen | why |", "|---|---|---|---|---|"]
        head += [f"| {cell(n.field)} | {n.line} | {cell(n.read)} | {cell(n.chosen)} | {cell(n.why)} |" for n in notes]
    return "\n".join([*head, *extra]) + "\n"

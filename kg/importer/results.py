"""What became of one sheet of a batch, and the numbering of new source files.

Why apart: the batch (:mod:`kg.importer.batch`) makes these, the planners
(:mod:`kg.importer.writer`, :mod:`kg.importer.updates`) fill them in, the CLI and the API read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.importer.proposal import Proposal

__all__ = ["Planned", "SheetResult", "SourceNumbers"]


@dataclass(frozen=True)
class Planned:
    """One file to write: where, and its bytes."""

    path: Path
    data: bytes


@dataclass
class SheetResult:
    """What became of one sheet: ``action`` is new, updated, unchanged, exists or invalid."""

    sheet: Path
    proposal: Proposal
    action: str
    record: Path
    problems: list[str] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)
    files: list[Planned] = field(default_factory=list)



class SourceNumbers:
    """The next free number for a source file (``005_<checksum>.txt``), counted once."""

    def __init__(self, folder: Path) -> None:
        numbers = [int(p.name.split("_", 1)[0]) for p in folder.glob("*_*") if p.name.split("_", 1)[0].isdigit()] if folder.is_dir() else []
        self.next = max(numbers, default=-1) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1

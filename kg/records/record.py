"""A loaded record and the corpus of them: the values, and where each value stands in its file.

Why apart from the reading: every later stage holds these (the mapping reads ``data``, the
SHACL report asks ``line`` for a key path), while only :mod:`kg.records.corpus` and
:mod:`kg.records.record_file` know how they are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from kg.records.geometries import Geometry

__all__ = ["Corpus", "KeyPath", "Record", "Text"]

#: A key path inside a record, e.g. ``('actoren', 2, 'rol')``.
KeyPath = tuple[str | int, ...]


class Text(dict[str, str]):
    """A text per language (``{"nl": …, "en": …}``) and the languages in it that are
    curators' translations rather than the words of a source (the record key ``vertaald``).

    A plain mapping everywhere a text is read; the mapping reads ``translated`` to mark
    those literals (:mod:`kg.rdf.annotations`)::

        >>> t = Text({"nl": "Stad Oostende", "en": "City of Ostend"}, translated=("en",))
        >>> dict(t), t.translated
        ({'nl': 'Stad Oostende', 'en': 'City of Ostend'}, ('en',))
    """

    def __init__(self, value: Mapping[str, str], translated: tuple[str, ...] = ()) -> None:
        super().__init__(value)
        self.translated = translated


@dataclass(frozen=True)
class Record:
    """One curated record: its values and where each of them stands in its file.

    >>> r = Record("praktijk", "x", {"themas": ["a"]}, Path("x.yaml"), {(): 1, ("themas",): 4, ("themas", 0): 5})
    >>> r.line("themas", 0), r.line("themas", 3), r.line("titel")
    (5, 4, 1)
    """

    kind: str
    id: str
    data: Mapping[str, Any]
    path: Path
    lines: Mapping[KeyPath, int] = field(default_factory=dict, repr=False, compare=False)

    def line(self, *keys: str | int) -> int:
        """The 1-based line of a key path such as ``('actoren', 2, 'rol')``.

        Falls back to the nearest parent that has a known line, and finally
        to the record's first line, so every report can point somewhere.
        """
        path: KeyPath = tuple(keys)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


@dataclass
class Corpus:
    """Every record of a data folder, checked and cross-referenced."""

    records: dict[tuple[str, str], Record]
    vocabulary_files: list[Path]
    concepts: dict[str, set[str]]
    #: Outlines and points of the places, by (kind, code): ``data/reference/geometrieen.csv``.
    geometries: dict[tuple[str, str], Geometry] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Record]:
        """The records of one kind, sorted by id (a stable order for the build)."""
        return sorted((r for (k, _), r in self.records.items() if k == kind), key=lambda r: r.id)

    def get(self, kind: str, id_: str) -> Record | None:
        """The record of ``kind`` named ``id_``, if there is one."""
        return self.records.get((kind, id_))

    def __len__(self) -> int:
        return len(self.records)

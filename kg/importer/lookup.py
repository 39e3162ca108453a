"""What a sheet's names are matched against: the vocabularies, the municipalities and the
records already in ``data/``; and the records this import creates, as it creates them.

Why one object: every sheet of a batch must see the organisations the sheets before it
created (ten sheets naming the same new partner make one record, not ten), and the
reference data is read once per run, not once per sheet.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import Problem
from kg.importer.values import normal
from kg.namespaces import SKOS
from kg.records.format import FOLDERS, GEMEENTE, MUNICIPALITY_CSV
from kg.records.reference import read_concept_codes
from kg.records.yaml_lines import YamlSyntaxError, load

__all__ = ["Lookup", "Match", "Municipality", "Organisation"]

#: How alike two reduced names must be (difflib's ratio) to be offered as an approximate match.
APPROXIMATE = 0.85
#: Legal forms and the like that a sheet may put before or after a name ("Vzw Leuven 2030").
#: The kinds matched approximately too; people only by their exact name (two people's names
#: may be alike, and a wrong person is worse than a new record to merge).
APPROXIMATE_KINDS = ("organisatie", "programma")
_NOISE = re.compile(r"^(vzw|asbl|nv|bv|bvba|cvba|cv|srl|de|het)\s+|\s+(vzw|nv|bv|bvba|cvba|cv)$", re.IGNORECASE)
_ANY_BASE = "https://example.invalid/"


@dataclass(frozen=True)
class Match:
    """The id a name was matched to, and how: ``exact`` (name or alias), ``approximate``."""

    id: str
    how: str
    name: str = ""


@dataclass(frozen=True)
class Municipality:
    """A row of the municipality reference: its NIS code, names and validity."""

    nis: str
    name: str
    valid_from: str
    valid_through: str


@dataclass
class Organisation:
    """What the importer needs of an organisation record."""

    id: str
    name: str
    type: str
    gemeente: str = ""
    onderdeel_van: str = ""


@dataclass
class Lookup:
    """The reference a batch of sheets is mapped against (see the module docstring)."""

    data_dir: Path
    concepts: dict[str, set[str]]
    labels: dict[str, dict[str, str]]
    municipalities: dict[str, list[Municipality]]
    organisations: dict[str, Organisation] = field(default_factory=dict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: set[tuple[str, str]] = field(default_factory=set)
    source_by_checksum: dict[str, str] = field(default_factory=dict)
    #: Source record id → its file in ``sources/``.
    source_files: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: NIS code → the organisation record of that municipality's government (type stad or gemeente).
    governments: dict[str, Organisation] = field(default_factory=dict)
    #: What was added since :meth:`begin`, to take back when a sheet's import is dropped.
    journal: list[tuple[str, str, list[str]]] | None = None
    #: Reduced names by kind and by the digits in them: only names with the same numbers can be alike.
    by_digits: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    @classmethod
    def read(cls, data_dir: Path, vocab_dir: Path) -> Lookup:
        """Read the vocabularies, the municipality table and the records of ``data_dir``."""
        problems: list[Problem] = []
        concepts = read_concept_codes(vocab_dir, problems)
        labels = {scheme: _labels(vocab_dir / f"{scheme}.ttl") for scheme in ("thema", "financieringskanaal")}
        lookup = cls(data_dir, concepts, labels, _municipalities(data_dir / MUNICIPALITY_CSV), problems=problems)
        for folder, kind in FOLDERS.items():
            for path in sorted((data_dir / folder).glob("*.yaml")):
                lookup.ids.add((kind, path.stem))
                if kind in ("organisatie", "persoon", "programma", "bron"):
                    lookup._read_record(kind, path)
        for rows in lookup.municipalities.values():
            lookup.ids.update((GEMEENTE.name, row.nis) for row in rows)
        return lookup

    def _read_record(self, kind: str, path: Path) -> None:
        try:
            data = load(path.read_text(encoding="utf-8"))
        except (YamlSyntaxError, UnicodeDecodeError, OSError):
            return  # `kg validate` reports it; the importer only cannot match against it
        if not isinstance(data, dict):
            return
        if kind == "bron":
            target = self.data_dir / "sources" / str(data.get("bestand", ""))
            if data.get("bestand") and target.is_file():
                self.source_files[path.stem] = str(data["bestand"])
                self.source_by_checksum[hashlib.sha256(target.read_bytes()).hexdigest()] = path.stem
            return
        name = data.get("naam")
        names = list(name.values()) if isinstance(name, dict) else [name]
        if kind == "organisatie":
            names.append(data.get("afkorting"))
            org = Organisation(path.stem, str(names[0]), str(data.get("type", "")), str(data.get("gemeente", "")),
                               str(data.get("onderdeel_van", "")))
            self.add_organisation(org, [n for n in names if isinstance(n, str)])
            return
        self.add_names(kind, path.stem, [n for n in names if isinstance(n, str)])

    def add_names(self, kind: str, id_: str, names: Iterable[str]) -> None:
        """Make ``id_`` findable by these names (and the names without legal form or
        parenthesis); a record created during the import is added this way too."""
        index = self.names.setdefault(kind, {})
        added: list[str] = []
        for name in names:
            for variant in (name, re.sub(r"\s*\(.*?\)\s*", " ", name), _NOISE.sub("", name.strip())):
                key = normal(variant)
                if key not in index:
                    index[key] = id_
                    added.append(key)
                    self.by_digits.setdefault(kind, {}).setdefault(_digits(key), set()).add(key)
        if self.journal is not None and (kind, id_) not in self.ids:
            self.journal.append((kind, id_, added))
        self.ids.add((kind, id_))

    def begin(self) -> None:
        """Start remembering what is added (one sheet's import)."""
        self.journal = []

    def rollback(self, keep: int = 0) -> None:
        """Forget every record added since :meth:`begin` (after the first ``keep`` of them):
        the sheet's import, or a comparison made for it, was dropped."""
        journal = self.journal or []
        for kind, id_, keys in reversed(journal[keep:]):
            self.ids.discard((kind, id_))
            if kind == "organisatie":
                org = self.organisations.pop(id_, None)
                if org is not None and self.governments.get(org.gemeente) is org:
                    del self.governments[org.gemeente]
            for key in keys:
                self.names.get(kind, {}).pop(key, None)
                self.by_digits.get(kind, {}).get(_digits(key), set()).discard(key)
        self.journal = journal[:keep] if keep else None

    def find(self, kind: str, name: str, approximate: bool = True) -> Match | None:
        """The record of ``kind`` a name means: by name or alias (reduced), else the
        closest name when it is alike enough (``approximate``), else None."""
        index = self.names.get(kind, {})
        for variant in (name, _NOISE.sub("", name.strip()), re.sub(r"\s*\(.*?\)\s*", " ", name)):
            found = index.get(normal(variant))
            if found is not None:
                return Match(found, "exact")
        key = normal(name)
        if not key or not approximate or kind not in APPROXIMATE_KINDS:
            return None
        candidates = self.by_digits.get(kind, {}).get(_digits(key), set())
        close = difflib.get_close_matches(key, sorted(candidates), n=1, cutoff=APPROXIMATE)
        return Match(index[close[0]], "approximate", close[0]) if close else None

    def concept(self, scheme: str, label: str) -> str | None:
        """The code of a concept by its label (any language) or code, case and accents ignored."""
        return self.labels.get(scheme, {}).get(normal(label))

    def municipality(self, name: str) -> list[Municipality]:
        """Every municipality that had this name, whatever its period of validity."""
        return self.municipalities.get(normal(name), [])

    def new_id(self, kind: str, wanted: str) -> str:
        """``wanted``, or ``wanted-2``, ``wanted-3`` … when a record of ``kind`` has that id."""
        candidate, n = wanted, 1
        while (kind, candidate) in self.ids:
            n += 1
            candidate = f"{wanted}-{n}"
        return candidate

    def city_of(self, nis: str) -> Organisation | None:
        """The organisation record of a municipality's own government (type stad or gemeente)."""
        return self.governments.get(nis)

    def add_organisation(self, org: Organisation, names: Iterable[str]) -> None:
        """Register an organisation (one read, or one this import creates)."""
        self.organisations[org.id] = org
        if org.gemeente and org.type in ("stad", "gemeente"):
            self.governments.setdefault(org.gemeente, org)
        self.add_names("organisatie", org.id, names)


def _digits(key: str) -> str:
    return "".join(c for c in key if c.isdigit())


def _labels(path: Path) -> dict[str, str]:
    """Reduced label (pref/alt, any language) or notation → concept code, of one vocabulary."""
    found: dict[str, str] = {}
    if not path.is_file():
        return found
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=_ANY_BASE):
        if quad.predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation) and isinstance(quad.subject, ox.NamedNode):
            if "/concept/" in quad.subject.value:
                found.setdefault(normal(str(quad.object.value)), quad.subject.value.rsplit("/", 1)[-1])
    return found


def _municipalities(path: Path) -> dict[str, list[Municipality]]:
    """Reduced name (Dutch and French) → the municipalities of that name."""
    found: dict[str, list[Municipality]] = {}
    if not path.is_file():
        return found
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            town = Municipality(row["nis"], row["naam_nl"], row.get("geldig_van") or "", row.get("geldig_tot") or "")
            for name in {row["naam_nl"], row.get("naam_fr") or row["naam_nl"]}:
                found.setdefault(normal(name), []).append(town)
    return found


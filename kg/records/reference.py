"""The reference data records are checked against: concept codes and municipalities.

Why apart: they are not curated YAML records but published tables (the SKOS concept
schemes of ``ontology/vocabularies/`` and Statbel's REFNIS rows in
``data/reference/gemeenten.csv``), read once before any record and shared by the
in-process and the parallel build.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.errors import Problem
from kg.namespaces import SKOS
from kg.records.format import GEMEENTE, MUNICIPALITY_COLUMNS, PATTERNS
from kg.records.record import Record

__all__ = ["check_successors", "read_concept_codes", "read_municipalities"]

#: Relative IRIs in the vocabulary files resolve against this; only the last segments are kept.
_ANY_BASE = "https://example.invalid/"


def read_concept_codes(vocab_dir: Path, problems: list[Problem]) -> dict[str, set[str]]:
    """Concept codes per scheme, read from the SKOS Turtle files (``skos:inScheme``)."""
    codes: dict[str, set[str]] = {}
    if not vocab_dir.is_dir():
        return codes
    for path in sorted(vocab_dir.glob("*.ttl")):
        try:
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=_ANY_BASE))
        except SyntaxError as exc:
            problems.append(Problem(path, exc.lineno or 1, f"This Turtle file does not parse: {exc}"))
            continue
        for quad in quads:
            if quad.predicate == SKOS.inScheme and isinstance(quad.subject, ox.NamedNode):
                scheme = str(quad.object.value).rstrip("/").rsplit("/", 1)[-1] if isinstance(quad.object, ox.NamedNode) else ""
                code = quad.subject.value.rsplit("/", 1)[-1]
                codes.setdefault(scheme, set()).add(code)
    return codes


def read_municipalities(path: Path, problems: list[Problem]) -> Iterator[Record]:
    """Municipality rows of ``data/reference/gemeenten.csv`` as records, checked against
    the declared municipality keys: a typed column's pattern (NIS codes, then days) and
    the required columns."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != MUNICIPALITY_COLUMNS:
            problems.append(Problem(path, 1, f"The header must be exactly: {','.join(MUNICIPALITY_COLUMNS)}."))
            return
        for row in reader:
            line = reader.line_num
            data = {k: v.strip() for k, v in row.items() if v and v.strip()}
            nis = data.get(GEMEENTE.id_key, "")
            bad = _malformed(data) + [k for k, f in GEMEENTE.fields.items() if f.required and k not in data]
            if bad:
                problems.append(Problem(path, line, f"Row for '{nis}' has a missing or malformed {', '.join(bad)}."))
                continue
            yield Record(GEMEENTE.name, nis, data, path, {(): line})


def _malformed(row: Mapping[str, str]) -> list[str]:
    """The columns whose value does not match their type's pattern, grouped by type in
    the order the types first appear among the keys."""
    types = dict.fromkeys(f.type for f in GEMEENTE.fields.values() if f.type in PATTERNS)
    return [
        key
        for value_type in types
        for key, f in GEMEENTE.fields.items()
        if f.type == value_type and key in row and not PATTERNS[value_type][0].match(row[key])
    ]


def check_successors(records: Mapping[tuple[str, str], Record], problems: list[Problem]) -> None:
    """A municipality replaced by another names one that is in the file."""
    for record in list(records.values()):
        if record.kind != GEMEENTE.name:
            continue
        successor = record.data.get("vervangen_door")
        if successor and (GEMEENTE.name, successor) not in records:
            problems.append(Problem(record.path, record.line(), f"Municipality {record.id} is replaced by {successor}, which is not in the file."))

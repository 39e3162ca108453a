"""Who refers to a record, and the same files with those references moved to another record.

Why this exists: a record can only be withdrawn when nothing refers to it any more (the
build's reference check would refuse the next build, and a published IRI would point at a
410), and merging a duplicate into the record kept must rewrite every reference to the
duplicate. Both walk the same declaration the record checks walk (``RECORD_KINDS``: every
``ref`` of the duplicate's kind, in structures too, and the curators' readings whose
``waarde`` names one), so no reference is missed and nothing else is touched.

A rewritten file is the form's YAML round trip (:func:`kg.curation.record_edit.round_trip_text`): comments, key
order and layout kept; only the referring values change, and ``gewijzigd`` becomes the day.
Where a list already names the record kept, the duplicate's entry is dropped instead of
naming the same record twice.

>>> text = "id: p\\nbronnen:\\n  - a  # first\\n  - b\\nactoren:\\n  - organisatie: x\\n    rol: [trekker]\\n"
>>> [path for path in reference_paths("praktijk", load_round_trip(text), "bron", "a")]
[('bronnen', 0)]
>>> print(rewritten(text, "praktijk", "bron", "a", "b", "2026-12-08"), end="")
id: p
bronnen:
  - b
actoren:
  - organisatie: x
    rol: [trekker]
gewijzigd: "2026-12-08"
>>> print(rewritten(text, "praktijk", "organisatie", "x", "y", "2026-12-08").splitlines()[5])
  - organisatie: y
>>> print(rewritten("id: y\\nonderdeel_van: x\\nnaam: Y\\n", "organisatie", "organisatie", "x", "y", "2026-12-08"), end="")
id: y
naam: Y
gewijzigd: "2026-12-08"
>>> redirect_row(b"iri,status,target,reason\\n", "/id/praktijk/a", 410, None, "Fout,  dubbel")
b'iri,status,target,reason\\n/id/praktijk/a,410,,"Fout, dubbel"\\n'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kg.curation.record_edit import round_trip_text
from kg.importer.yaml_out import load_round_trip
from kg.records.field_types import Field
from kg.records.format import FOLDERS, RECORD_KINDS, reading_field
from kg.records.record import KeyPath

__all__ = ["Referrer", "load_round_trip", "redirect_row", "reference_paths", "referrers", "rewritten"]


@dataclass(frozen=True)
class Referrer:
    """A record that refers to another: its kind, id, file and the keys that do."""

    kind: str
    id: str
    path: Path
    keys: tuple[KeyPath, ...]

    def describe(self) -> str:
        """``praktijk/x (actoren.2.organisatie)``: for the messages that name it."""
        where = ", ".join(".".join(str(k) for k in keys) for keys in self.keys)
        return f"{self.kind}/{self.id} ({where})"


def reference_paths(kind: str, data: Mapping[str, Any], target: str, rid: str) -> Iterator[KeyPath]:
    """The key paths in record ``data`` (of ``kind``) whose value names ``target``/``rid``."""
    fields = RECORD_KINDS[kind].fields
    yield from _walk(fields, data, target, rid, ())
    for i, reading in enumerate(data.get("lezingen") or ()):
        if not isinstance(reading, Mapping) or str(reading.get("waarde", "")) != rid:
            continue
        over = str(reading.get("over", ""))
        spec = reading_field(fields, over)
        if (over == "actoren" and target == "organisatie") or (spec is not None and spec.type == "ref" and spec.target == target):
            yield ("lezingen", i, "waarde")


def _walk(fields: Mapping[str, Field], data: Mapping[str, Any], target: str, rid: str, prefix: KeyPath) -> Iterator[KeyPath]:
    for key, spec in fields.items():
        if key not in data or key == "lezingen":
            continue
        values = data[key] if spec.many and isinstance(data[key], list) else [data[key]]
        for i, value in enumerate(values):
            keys = prefix + ((key, i) if spec.many else (key,))
            if spec.type == "ref" and spec.target == target and str(value) == rid:
                yield keys
            elif spec.type == "struct" and spec.fields is not None and isinstance(value, Mapping):
                yield from _walk(spec.fields, value, target, rid, keys)


def referrers(data_dir: Path, target: str, rid: str) -> list[Referrer]:
    """Every record under ``data_dir`` that refers to ``target``/``rid`` (the record itself excluded)."""
    found: list[Referrer] = []
    needle = rid.encode("utf-8")
    for folder, kind in sorted(FOLDERS.items()):
        for path in sorted((data_dir / folder).glob("*.yaml")):
            if kind == target and path.stem == rid:
                continue
            raw = path.read_bytes()
            if needle not in raw:  # a reference writes the id: only those files are parsed (ruamel is slow)
                continue
            try:
                data = load_round_trip(raw.decode("utf-8"))
            except Exception:  # noqa: BLE001 -- a file broken by hand: the build names it; it refers to nothing we can read
                continue
            keys = tuple(reference_paths(kind, data, target, rid))
            if keys:
                found.append(Referrer(kind, path.stem, path, keys))
    return found


def rewritten(text: str, kind: str, target: str, old: str, new: str, today: str) -> str:
    """The file ``text`` (a record of ``kind``) with every reference to ``target``/``old``
    naming ``new`` instead; unchanged when it names none. In the record kept itself
    (``kind``/its id being ``target``/``new``) a reference would name the record itself
    (``onderdeel_van`` itself): the item that holds it is dropped instead."""
    node = load_round_trip(text)
    paths = list(reference_paths(kind, node, target, old))
    if not paths:
        return text
    itself = kind == target and str(node.get("id", "")) == new
    for keys in reversed(paths):  # from the end: a dropped list item does not move the others
        if itself:  # the outermost list item holding the reference, or the top-level key
            position = next((i for i, key in enumerate(keys) if isinstance(key, int)), 0)
            keys = keys[:position + 1]
        parent: Any = node
        for key in keys[:-1]:
            parent = parent[key]
        last = keys[-1]
        if itself or (isinstance(parent, CommentedSeq) and isinstance(last, int) and any(str(v) == new for v in parent)):
            del parent[last]
        else:
            parent[last] = new
    node["gewijzigd"] = DoubleQuotedScalarString(today)
    return round_trip_text(node)


def redirect_row(table: bytes, iri_path: str, status: int, target: str | None, reason: str) -> bytes:
    """``data/reference/redirects.csv`` with one row more (its format: ``data/reference/README.md``)."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([iri_path, str(status), target or "", " ".join(reason.split())])
    head = table if not table or table.endswith(b"\n") else table + b"\n"
    return head + line.getvalue().encode("utf-8")

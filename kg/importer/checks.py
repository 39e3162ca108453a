"""A proposed record checked as ``kg validate`` checks a record file: its values and references.

Why before writing: a record that would stop the next build (a required field the sheet left
empty, a code that does not exist) is not written; it is listed in the report with the
reasons, and the curator completes the sheet or writes the record by hand.

A new record is checked as the values it was written from, with the lines the emitter put
them on (:func:`checked_values`): the same checks as reading the file back, at half the
cost of an import. A record edited in place (``--update``) is read back from its text.
The tests read every written file back with the record reader.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.errors import Problem
from kg.records.checks import check_references, convert
from kg.records.format import FOLDERS, RECORD_KINDS
from kg.records.record import KeyPath, Record
from kg.records.yaml_lines import LineList, LineMap, YamlSyntaxError, load

__all__ = ["record_problems", "value_problems"]


def record_problems(text: str, path: Path, known: Container[tuple[str, str]], concepts: Mapping[str, set[str]]) -> list[str]:
    """What the record checks find in a record's YAML text (``path`` names its folder and id)."""
    kind = FOLDERS[path.parent.name]
    problems: list[Problem] = []
    try:
        doc = load(text)
    except YamlSyntaxError as exc:  # the writer produced it: a bug, but say it plainly
        return [f"line {exc.line}: not valid YAML: {exc.message}"]
    if not isinstance(doc, LineMap):
        return ["not a mapping"]
    lines: dict[KeyPath, int] = {(): 1}
    data = convert(doc, RECORD_KINDS[kind].fields, (), path, lines, problems)
    record = Record(kind, path.stem, data, path, lines)
    check_references(record, RECORD_KINDS[kind].fields, data, (), known, concepts, problems)
    return [f"line {p.line}: {p.message}" for p in problems]


def _with_lines(value: Any, where: Mapping[KeyPath, int], path: KeyPath) -> Any:
    """Plain values as the reader's line-carrying mappings and lists."""
    if isinstance(value, Mapping):
        node = LineMap()
        for key, item in value.items():
            node[key] = _with_lines(item, where, (*path, key))
            node.lines[key] = where.get((*path, key), where.get(path, 1))
        return node
    if isinstance(value, list):
        items = LineList()
        for n, item in enumerate(value):
            items.append(_with_lines(item, where, (*path, n)))
            items.lines.append(where.get((*path, n), where.get(path, 1)))
        return items
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def value_problems(data: Mapping[str, Any], where: Mapping[KeyPath, int], path: Path, known: Container[tuple[str, str]],
                   concepts: Mapping[str, set[str]]) -> list[str]:
    """What the record checks find in a record's values, ``where`` giving each key path's line."""
    kind = FOLDERS[path.parent.name]
    problems: list[Problem] = []
    lines: dict[KeyPath, int] = {(): 1}
    checked = convert(_with_lines(data, where, ()), RECORD_KINDS[kind].fields, (), path, lines, problems)
    record = Record(kind, path.stem, checked, path, lines)
    check_references(record, RECORD_KINDS[kind].fields, checked, (), known, concepts, problems)
    return [f"line {p.line}: {p.message}" for p in problems]

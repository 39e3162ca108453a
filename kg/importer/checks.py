"""A proposed record checked as ``kg validate`` checks a record file: its values and references.

Why before writing: a record that would stop the next build (a required field the sheet left
empty, a code that does not exist) is not written; it is listed in the report with the
reasons, and the curator completes the sheet or writes the record by hand.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from pathlib import Path

from kg.errors import Problem
from kg.records.checks import check_references, convert
from kg.records.format import FOLDERS, RECORD_KINDS
from kg.records.record import KeyPath, Record
from kg.records.yaml_lines import LineMap, YamlSyntaxError, load

__all__ = ["record_problems"]


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

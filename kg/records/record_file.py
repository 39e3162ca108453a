"""One record file: UTF-8 text → YAML with lines → a checked :class:`~kg.records.record.Record`.

Why apart from the corpus: the parallel build (:mod:`kg.build.parallel`) reads and checks
record files one by one in worker processes, with references resolved against the ids the
file names announce; :mod:`kg.records.corpus` reads a whole folder the same way.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from pathlib import Path

from kg.errors import Problem
from kg.records.checks import check_references, convert
from kg.records.format import RECORD_KINDS
from kg.records.record import KeyPath, Record
from kg.records.yaml_lines import LineMap, YamlSyntaxError
from kg.records.yaml_lines import load as load_yaml

__all__ = ["read_checked", "read_record"]


def read_record(path: Path, kind: str, problems: list[Problem], raw: bytes | None = None) -> Record | None:
    """The record in ``path``, its values checked (not its references); None when the
    file cannot be read as a record at all. Problems go into ``problems``. ``raw``: the
    file's bytes when the caller has read them already (the build hashes them too)."""
    try:
        text = (path.read_bytes() if raw is None else raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path, 1, f"The file is not valid UTF-8 (byte {exc.start}); save it as UTF-8."))
        return None
    if "\r" in text:  # what reading in text mode did (universal newlines)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        doc = load_yaml(text)
    except YamlSyntaxError as exc:
        problems.append(Problem(path, exc.line, f"This is not valid YAML: {exc.message}.", exc.column))
        return None
    if not isinstance(doc, LineMap):
        problems.append(Problem(path, 1, f"A record file holds one mapping of keys to values (a {kind} record), not {type(doc).__name__}."))
        return None
    lines: dict[KeyPath, int] = {(): 1}
    data = convert(doc, RECORD_KINDS[kind].fields, (), path, lines, problems)
    rid = data.get("id")
    if isinstance(rid, str) and rid != path.stem:
        problems.append(Problem(path, lines.get(("id",), 1), f"The id '{rid}' must equal the file name '{path.stem}'; rename the file or fix the id."))
    if not isinstance(rid, str):
        return None
    return Record(kind, rid, data, path, lines)


def read_checked(
    path: Path, kind: str, known: Container[tuple[str, str]], concepts: Mapping[str, set[str]], raw: bytes | None = None,
) -> tuple[Record | None, list[Problem]]:
    """One record file, read and checked on its own: the checks of
    :func:`kg.records.corpus.load_corpus`, with references resolved against ``known``
    (kind, id) pairs instead of loaded records. ``raw`` as for :func:`read_record`."""
    problems: list[Problem] = []
    record = read_record(path, kind, problems, raw)
    if record is not None:
        check_references(record, RECORD_KINDS[kind].fields, record.data, (), known, concepts, problems)
    return record, problems

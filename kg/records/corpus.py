"""The first stage of the pipeline: every record of a data folder, read, checked and closed.

:func:`load_corpus` knows the layout of ``data/`` (one folder per record kind, the
municipality CSV, the vocabularies beside it) and reports *every* problem it finds at
once, each with file and line, as a :class:`~kg.errors.SourceError`. A
:class:`~kg.records.record.Corpus` that loaded is well-formed and closed: every
reference points at something that exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.errors import Problem, SourceError
from kg.records.checks import check_references
from kg.records.format import FOLDERS, GEMEENTE, GEOMETRY_CSV, MUNICIPALITY_CSV, RECORD_KINDS
from kg.records.geometries import read_geometries
from kg.records.record import Corpus, Record
from kg.records.record_file import read_record
from kg.records.reference import check_successors, read_concept_codes, read_municipalities

__all__ = ["load_corpus", "read_reference"]


def load_corpus(
    data_dir: Path,
    vocab_dir: Path,
    only: Iterable[Path] | None = None,
) -> Corpus:
    """Read and check every record under ``data_dir``.

    ``only`` restricts the *reported* problems to those files (``kg validate
    FILE``), while references are still resolved against the whole folder.
    Raises :class:`SourceError` listing all problems found.
    """
    problems: list[Problem] = []
    concepts = read_concept_codes(vocab_dir, problems)
    vocab_files = sorted(vocab_dir.glob("*.ttl")) if vocab_dir.is_dir() else []
    records: dict[tuple[str, str], Record] = {}
    for folder, kind in FOLDERS.items():
        folder_path = data_dir / folder
        if not folder_path.is_dir():
            continue
        for path in sorted(folder_path.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.suffix not in (".yaml", ".yml"):
                problems.append(Problem(path, 1, "Only .yaml files belong in this folder; rename or move this file."))
                continue
            record = read_record(path, kind, problems)
            if record is not None:
                records[(kind, record.id)] = record
    for record in read_municipalities(data_dir / MUNICIPALITY_CSV, problems):
        records[(GEMEENTE.name, record.id)] = record
    check_successors(records, problems)
    geometries = read_geometries(data_dir / GEOMETRY_CSV, problems)
    for record in list(records.values()):
        if record.kind != GEMEENTE.name:
            check_references(record, RECORD_KINDS[record.kind].fields, record.data, (), records, concepts, problems)
    if only is not None:
        wanted = {p.resolve() for p in only}
        problems = [p for p in problems if p.file.resolve() in wanted]
    if problems:
        raise SourceError(sorted(problems, key=lambda p: (str(p.file), p.line)))
    return Corpus(records, vocab_files, concepts, geometries)


def read_reference(data_dir: Path, vocab_dir: Path) -> tuple[Corpus, list[Problem]]:
    """What every record is checked against: the concept codes, the vocabulary files and
    the municipalities (a corpus of those only), with the problems found in them.
    Used by :mod:`kg.build.parallel`, which checks the record files in parallel processes."""
    problems: list[Problem] = []
    concepts = read_concept_codes(vocab_dir, problems)
    vocab_files = sorted(vocab_dir.glob("*.ttl")) if vocab_dir.is_dir() else []
    records = {(GEMEENTE.name, r.id): r for r in read_municipalities(data_dir / MUNICIPALITY_CSV, problems)}
    check_successors(records, problems)
    geometries = read_geometries(data_dir / GEOMETRY_CSV, problems)
    return Corpus(dict(records), vocab_files, concepts, geometries), problems

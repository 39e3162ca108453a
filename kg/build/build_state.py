"""What a build keeps for the next one: record hashes, the mapped graphs, the SHACL results.

An incremental build (:mod:`kg.build.incremental`) starts from the live build. Besides its
store and artefacts it needs what the live build knew about every record: the file's content
hash (to find what changed), where the record's N-Quads are (to write the N-Quads dump with
the very bytes of a full build), its LDES digest and /doc/ subjects (for the LDES and the
sitemap), and the raw SHACL results of the whole graph (kept for the focus nodes the change
cannot affect). It lives in ``builds/<id>/incremental/``::

    incremental/state.pickle     the base: one row per record (RecordTable), as a full build or a compaction wrote it
    incremental/journal.pickle   fingerprint, raw SHACL results, and the records changed since the base
    incremental/chunks/*.nq      the record graphs' N-Quads (hard links: shared between builds, no copy)

*Kept per change, not per build.* At 100 000 practices writing the 120 000 rows took 1.7 CPU-s
of every build and reading them again 1 s, for a change of one record. So the rows are written
once, by a full build, into the base, which later builds hard-link; an incremental build writes
only the journal: the previous journal plus the rows its change made, changed or removed (and
those whose stat it took again). When the journal holds more than :data:`COMPACT_FROM` rows
(or a twentieth of the base), the build writes a new base instead and starts an empty journal.
The base is read as columns (:class:`RecordTable`, a few lists of strings and numbers): read
back 5 times faster than one object per record.

Finding the changed records must not cost a read of every record file. As git's index does,
each entry keeps the file's stat (:data:`FileStat`: size, mtime, ctime, inode, device) when
it says the file cannot have changed since its hash was taken: the file's last change (mtime
or ctime, whichever is later) is more than :data:`RACY_MARGIN_NS` older than the start of the
build that hashed it. The next build hashes only the files whose stat differs (or was not
kept); a change after the hash changes ctime, which no tool can set back, so a kept stat that
still matches means the same bytes. A file changed within the margin of a build's start is
"racy" and is hashed again by the next build, until a build sees it settled.

Pickles, not JSON: read only by the same code version that wrote them (the ``code`` part of
the fingerprint, and :data:`STATE_VERSION`). A state that is missing, unreadable, whose journal
belongs to another base, or whose chunk files are not all there is a *damaged previous build*:
:func:`load_state` says what is wrong and the build falls back to a full one.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from kg.build.record_chunks import StoredGraph
from kg.rdf.mapping import RecordGraph
from kg.shacl.compiled import RawResult
from kg.store.folders import INCREMENTAL, link_or_copy

__all__ = [
    "CHUNKS", "COMPACT_FROM", "JOURNAL_FILE", "RACY_MARGIN_NS", "STATE_FILE", "STATE_VERSION", "BuildState", "DamagedState",
    "FileStat", "RecordEntry", "RecordTable", "StateChange", "chunk_path", "file_stat", "load_state", "save_state", "settled",
]

STATE_FILE = "state.pickle"
JOURNAL_FILE = "journal.pickle"
CHUNKS = "chunks"
STATE_VERSION = 3

#: A journal of more rows than this (and than a twentieth of the base) is folded into a new
#: base by the build that would write it (a test may set it).
COMPACT_FROM = 2_000

#: What the next build compares of a record file: (size, mtime_ns, ctime_ns, inode, device).
FileStat = tuple[int, int, int, int, int]

#: How much older than a build's start a file's last change must be for its stat to be kept:
#: file systems stamp times from a coarse clock (a few ms behind), some round to 1 or 2 s, and
#: a network file system stamps with the server's clock. 5 s covers these; a file edited in
#: the last 5 s before a build is only hashed once more.
RACY_MARGIN_NS = 5_000_000_000


def file_stat(path: str) -> FileStat | None:
    """The stat of ``path`` as :class:`RecordEntry` keeps it, None if it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def settled(stat: FileStat | None, started_ns: int) -> FileStat | None:
    """``stat`` if its file last changed well before ``started_ns`` (the start of the build
    that read or hashed it), else None: a racy file is hashed again by the next build.

    >>> settled((10, 1_000, 2_000, 1, 1), 10_000_000_000), settled((10, 1_000, 9_000_000_000, 1, 1), 10_000_000_000)
    ((10, 1000, 2000, 1, 1), None)
    """
    if stat is None or max(stat[1], stat[2]) >= started_ns - RACY_MARGIN_NS:
        return None
    return stat


class DamagedState(Exception):
    """The previous build's state cannot be used (the message says why)."""


class RecordEntry(NamedTuple):
    """One record of a build, as the next build needs it (a row of :class:`RecordTable`)."""

    kind: str
    id: str
    #: The file relative to the data folder (``praktijken/x.yaml``).
    file: str
    content_hash: str
    #: The chunk file (a name in ``incremental/chunks``), offset and length of its N-Quads.
    chunk: str
    offset: int
    length: int
    digest: str | None
    doc_subjects: tuple[tuple[str, str], ...]
    #: The file's stat when it cannot have changed since ``content_hash`` (see :func:`settled`).
    stat: FileStat | None = None


#: The columns of :class:`RecordTable`, in the order of :class:`RecordEntry`'s fields.
_COLUMNS = len(RecordEntry._fields)


@dataclass
class RecordTable:
    """The records of a build as columns: ``columns[i][row]`` is field ``i`` of
    :class:`RecordEntry` for a row; ``rows`` maps a file (relative name) to its row. Rows the
    journal removed stay in the columns, out of ``rows``."""

    columns: list[list[object]]
    rows: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: Sequence[RecordEntry]) -> RecordTable:
        columns: list[list[object]] = [list(column) for column in zip(*entries, strict=True)] if entries else \
            [[] for _ in range(_COLUMNS)]
        return cls(columns)

    def __post_init__(self) -> None:
        if not self.rows:
            self.rows = {file: row for row, file in enumerate(self.columns[2])}  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def stats(self) -> list[FileStat | None]:
        return self.columns[9]  # type: ignore[return-value]

    @property
    def hashes(self) -> list[str]:
        return self.columns[3]  # type: ignore[return-value]

    def entry(self, row: int) -> RecordEntry:
        return RecordEntry._make(column[row] for column in self.columns)

    def get(self, file: str) -> RecordEntry | None:
        row = self.rows.get(file)
        return None if row is None else self.entry(row)

    def entries(self) -> Iterator[RecordEntry]:
        """Every record (in no particular order)."""
        return (self.entry(row) for row in self.rows.values())

    def apply(self, journal: Mapping[str, RecordEntry | None]) -> None:
        """Put the journal's rows in (a file mapped to None was removed)."""
        for file, entry in journal.items():
            row = self.rows.get(file)
            if entry is None:
                self.rows.pop(file, None)
            elif row is None:
                self.rows[file] = len(self.columns[0])
                for column, value in zip(self.columns, entry, strict=True):
                    column.append(value)
            else:
                for column, value in zip(self.columns, entry, strict=True):
                    column[row] = value

    def live_columns(self) -> list[list[object]]:
        """The columns of the records there are (none removed), for a new base."""
        rows = sorted(self.rows.values())
        return [[column[row] for row in rows] for column in self.columns]


@dataclass
class BuildState:
    """Everything :mod:`kg.build.incremental` reuses of a build."""

    fingerprint: dict[str, str]
    records: RecordTable
    #: The compiled engine's raw results on the whole graph (None: not known, e.g. pyshacl).
    raw: list[RawResult] | None
    #: The rows changed since the base (what the next journal starts from).
    journal: dict[str, RecordEntry | None] = field(default_factory=dict)
    #: Which base the journal belongs to (the id of the build that wrote the base).
    base: str = ""
    version: int = STATE_VERSION


@dataclass
class StateChange:
    """What an incremental build changed of the previous build's records (for its journal)."""

    previous: BuildState
    previous_folder: Path
    #: The new record graphs (changed or added).
    graphs: Sequence[StoredGraph]
    #: The files of the records that went.
    removed: Sequence[str]
    #: Records kept whose file was hashed again (its stat changed): their stat is taken again.
    rehashed: Sequence[RecordEntry]


def save_state(build_folder: Path, build_id: str, data_dir: Path, fingerprint: dict[str, str],
               graphs: Sequence[RecordGraph], raw: list[RawResult] | None, started_ns: int,
               stats: Mapping[str, FileStat | None] | None = None, change: StateChange | None = None) -> None:
    """Keep the state of a build in its folder: hard-link every chunk file the record graphs
    are in (a chunk of this build gets this build's id in its name, so names never clash).

    ``stats`` are the record files' stats taken before they were hashed (an incremental
    build's, by relative file name); without them each file is stat-ed now. Either way a stat
    is kept only when the file settled before ``started_ns``, the start of this build.

    With ``change`` (an incremental build) the previous build's base is hard-linked and only a
    journal is written, unless the journal has grown enough to be folded into a new base."""
    folder = build_folder / INCREMENTAL
    chunks = folder / CHUNKS
    chunks.mkdir(parents=True, exist_ok=True)
    linker = _ChunkLinker(chunks, build_id)
    prefix = len(str(data_dir).rstrip(os.sep)) + 1

    def entry_of(graph: StoredGraph) -> RecordEntry:
        chunk, offset, length = graph.span
        file = graph.path[prefix:]
        stat = stats.get(file) if stats is not None else file_stat(graph.path)
        return RecordEntry(graph.kind, graph.id, file, graph.content_hash, linker.name(chunk), offset, length,
                           graph.digest, graph.doc_subjects, settled(stat, started_ns))

    if change is not None:
        journal = dict(change.previous.journal)
        journal.update((file, None) for file in change.removed)
        journal.update((e.file, e._replace(stat=settled(stats.get(e.file) if stats is not None else None, started_ns)))
                       for e in change.rehashed)
        journal.update((entry.file, entry) for entry in map(entry_of, change.graphs))
        if len(journal) <= max(COMPACT_FROM, len(change.previous.records) // 20):
            for name in os.listdir(change.previous_folder / INCREMENTAL / CHUNKS):  # the rows of the base point there
                _link(change.previous_folder / INCREMENTAL / CHUNKS / name, chunks / name)
            _link(change.previous_folder / INCREMENTAL / STATE_FILE, folder / STATE_FILE)
            _write(folder / JOURNAL_FILE, (STATE_VERSION, change.previous.base, fingerprint, journal, raw))
            return
    records = [entry_of(graph) for graph in graphs if isinstance(graph, StoredGraph)]  # not the reference graphs
    _write(folder / STATE_FILE, (STATE_VERSION, build_id, [list(column) for column in zip(*records, strict=True)]
                                 if records else [[] for _ in range(_COLUMNS)]))
    _write(folder / JOURNAL_FILE, (STATE_VERSION, build_id, fingerprint, {}, raw))


class _ChunkLinker:
    """Names of the chunk files in the new build's ``chunks`` folder, each linked once."""

    def __init__(self, chunks: Path, build_id: str) -> None:
        self.chunks, self.build_id = chunks, build_id
        self.linked: dict[Path, str] = {}
        self.last: tuple[Path | None, str] = (None, "")

    def name(self, chunk: Path) -> str:
        if chunk is self.last[0]:  # Path hashing is slow: graphs come in chunk order
            return self.last[1]
        name = self.linked.get(chunk)
        if name is None:
            name = chunk.name if chunk.parent.name == CHUNKS else f"{self.build_id}-{chunk.name}"
            _link(chunk, self.chunks / name)
            self.linked[chunk] = name
        self.last = (chunk, name)
        return name


def _write(path: Path, value: object) -> None:
    with open(path, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _read(path: Path) -> tuple[object, ...]:
    try:
        with open(path, "rb") as handle:
            value = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError) as exc:
        raise DamagedState(f"{path} cannot be read: {exc}") from exc
    if not isinstance(value, tuple) or not value or value[0] != STATE_VERSION:
        version = value[0] if isinstance(value, tuple) and value else None
        raise DamagedState(f"{path} has version {version}, this code writes {STATE_VERSION}")
    return value


def load_state(build_folder: Path) -> BuildState | None:
    """The state a build kept, None if it kept none; raises :class:`DamagedState` when it is
    there but unusable."""
    folder = build_folder / INCREMENTAL
    if not (folder / STATE_FILE).exists() and not (folder / JOURNAL_FILE).exists():
        return None
    try:
        _, base, columns = _read(folder / STATE_FILE)
        _, journal_base, fingerprint, journal, raw = _read(folder / JOURNAL_FILE)
    except ValueError as exc:
        raise DamagedState(f"{folder} holds a state of another layout: {exc}") from exc
    if base != journal_base:
        raise DamagedState(f"the journal in {folder} belongs to the base of {journal_base}, not to that of {base}")
    table = RecordTable(columns)  # type: ignore[arg-type]
    table.apply(journal)  # type: ignore[arg-type]
    _check_chunks(folder / CHUNKS, table)
    return BuildState(fingerprint, table, raw, journal, base)  # type: ignore[arg-type]


def _check_chunks(chunks: Path, table: RecordTable) -> None:
    """Every chunk file the records point into is there and long enough."""
    names, offsets, lengths = table.columns[4], table.columns[5], table.columns[6]
    ends: dict[object, int] = {}
    for row in table.rows.values():
        name, end = names[row], offsets[row] + lengths[row]  # type: ignore[operator]
        if end > ends.get(name, 0):
            ends[name] = end
    for name, end in ends.items():
        try:
            size = (chunks / str(name)).stat().st_size
        except OSError as exc:
            raise DamagedState(f"the chunk file {chunks / str(name)} is missing") from exc
        if size < end:
            raise DamagedState(f"the chunk file {chunks / str(name)} is shorter ({size} bytes) than its records say ({end})")


def chunk_path(build_folder: Path, entry: RecordEntry) -> Path:
    """Where a record's chunk file is in a build's folder."""
    return build_folder / INCREMENTAL / CHUNKS / entry.chunk


def _link(source: Path, target: Path) -> None:
    if not target.exists():
        link_or_copy(source, target)

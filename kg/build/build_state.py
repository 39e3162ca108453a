"""What a build keeps for the next one: record hashes, the mapped graphs, the SHACL results.

An incremental build (:mod:`kg.build.incremental`) starts from the live build. Besides its
store and artefacts it needs what the live build knew about every record: the file's content
hash (to find what changed), where the record's N-Quads are (to write the N-Quads dump with
the very bytes of a full build), its LDES digest and /doc/ subjects (for the LDES and the
sitemap), and the raw SHACL results of the whole graph (kept for the focus nodes the change
cannot affect). It lives in ``builds/<id>/incremental/``::

    incremental/state.pickle     BuildState: fingerprint, one RecordEntry per record, raw SHACL results
    incremental/chunks/*.nq      the record graphs' N-Quads (hard links: shared between builds, no copy)

Finding the changed records must not cost a read of every record file. As git's index does,
each entry keeps the file's stat (:data:`FileStat`: size, mtime, ctime, inode, device) when
it says the file cannot have changed since its hash was taken: the file's last change (mtime
or ctime, whichever is later) is more than :data:`RACY_MARGIN_NS` older than the start of the
build that hashed it. The next build hashes only the files whose stat differs (or was not
kept); a change after the hash changes ctime, which no tool can set back, so a kept stat that
still matches means the same bytes. A file changed within the margin of a build's start is
"racy" and is hashed again by the next build, until a build sees it settled.

A pickle, not JSON: at 100 000 practices it is read in a fraction of the time, and it is read
only by the same code version that wrote it (the ``code`` part of the fingerprint, and
:data:`STATE_VERSION`). A state that is missing, unreadable or whose chunk files are not all
there is a *damaged previous build*: :func:`load_state` says what is wrong and the build
falls back to a full one.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.record_chunks import StoredGraph
from kg.rdf.mapping import RecordGraph
from kg.shacl.compiled import RawResult
from kg.store.folders import INCREMENTAL

__all__ = [
    "CHUNKS", "RACY_MARGIN_NS", "STATE_FILE", "STATE_VERSION", "BuildState", "DamagedState", "FileStat", "RecordEntry",
    "chunk_path", "file_stat", "load_state", "save_state", "settled",
]

STATE_FILE = "state.pickle"
CHUNKS = "chunks"
STATE_VERSION = 2

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


@dataclass(frozen=True)
class RecordEntry:
    """One record of a build, as the next build needs it."""

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


@dataclass
class BuildState:
    """Everything :mod:`kg.build.incremental` reuses of a build."""

    fingerprint: dict[str, str]
    records: list[RecordEntry]
    #: The compiled engine's raw results on the whole graph (None: not known, e.g. pyshacl).
    raw: list[RawResult] | None
    version: int = STATE_VERSION
    by_file: dict[str, RecordEntry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_file = {entry.file: entry for entry in self.records}


def save_state(build_folder: Path, build_id: str, data_dir: Path, fingerprint: dict[str, str],
               graphs: Sequence[RecordGraph], raw: list[RawResult] | None, started_ns: int,
               stats: Mapping[str, FileStat | None] | None = None) -> None:
    """Keep the state of a build in its folder: hard-link every chunk file the record graphs
    are in (a chunk of this build gets this build's id in its name, so names never clash).

    ``stats`` are the record files' stats taken before they were hashed (an incremental
    build's, by relative file name); without them each file is stat-ed now. Either way a stat
    is kept only when the file settled before ``started_ns``, the start of this build."""
    folder = build_folder / INCREMENTAL
    chunks = folder / CHUNKS
    chunks.mkdir(parents=True, exist_ok=True)
    linked: dict[Path, str] = {}
    last_chunk: Path | None = None
    last_name: str | None = None
    records: list[RecordEntry] = []
    prefix = len(str(data_dir).rstrip(os.sep)) + 1
    for graph in graphs:
        if not isinstance(graph, StoredGraph):
            continue  # the reference graphs: mapped again by every build
        chunk, offset, length = graph.span
        name = last_name if chunk is last_chunk else linked.get(chunk)  # Path hashing is slow: graphs come in chunk order
        if name is None:
            name = chunk.name if chunk.parent.name == CHUNKS else f"{build_id}-{chunk.name}"
            _link(chunk, chunks / name)
            linked[chunk] = name
        last_chunk, last_name = chunk, name
        file = graph.path[prefix:]
        stat = stats.get(file) if stats is not None else file_stat(graph.path)
        records.append(RecordEntry(graph.kind, graph.id, file, graph.content_hash, name, offset, length,
                                   graph.digest, graph.doc_subjects, settled(stat, started_ns)))
    state = BuildState(fingerprint, records, raw)
    with open(folder / STATE_FILE, "wb") as handle:
        pickle.dump((state.version, state.fingerprint, state.records, state.raw), handle, protocol=pickle.HIGHEST_PROTOCOL)


def load_state(build_folder: Path) -> BuildState | None:
    """The state a build kept, None if it kept none; raises :class:`DamagedState` when it is
    there but unusable."""
    path = build_folder / INCREMENTAL / STATE_FILE
    if not path.exists():
        return None
    try:
        with open(path, "rb") as handle:
            version, fingerprint, records, raw = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError) as exc:
        raise DamagedState(f"{path} cannot be read: {exc}") from exc
    if version != STATE_VERSION:
        raise DamagedState(f"{path} has version {version}, this code writes {STATE_VERSION}")
    chunks = build_folder / INCREMENTAL / CHUNKS
    ends: dict[str, int] = {}
    for entry in records:
        ends[entry.chunk] = max(ends.get(entry.chunk, 0), entry.offset + entry.length)
    for name, end in ends.items():
        try:
            size = (chunks / name).stat().st_size
        except OSError as exc:
            raise DamagedState(f"the chunk file {chunks / name} is missing") from exc
        if size < end:
            raise DamagedState(f"the chunk file {chunks / name} is shorter ({size} bytes) than its records say ({end})")
    return BuildState(fingerprint, records, raw)


def chunk_path(build_folder: Path, entry: RecordEntry) -> Path:
    """Where a record's chunk file is in a build's folder."""
    return build_folder / INCREMENTAL / CHUNKS / entry.chunk


def _link(source: Path, target: Path) -> None:
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: copy instead
        shutil.copyfile(source, target)

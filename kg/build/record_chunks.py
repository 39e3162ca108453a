"""Records checked and mapped into chunk files: the build's graphs, kept on disk.

Why: 100 000 practices are ~120 000 files and ~2.8 million quads; as Python objects the
quads take ~1.5 GB. Here one task takes a contiguous run of record files, checks them
(:func:`kg.records.record_file.read_checked`, references resolved against the ids the file names
announce), maps them (:func:`kg.rdf.mapping.map_record`) and writes the quads straight to a
chunk file, once as N-Quads (the named graphs, for the store and the N-Quads dump) and once
as N-Triples (the merged graph, for the SHACL gate and the triple dumps). pyoxigraph
serializes in Rust, so no quad crosses a process boundary as a Python object when tasks run
in worker processes (:mod:`kg.build.parallel` decides where they run); the build keeps one
light :class:`StoredGraph` per record whose ``quads`` and ``record`` are read back from disk
only when asked (LDES, the SHACL report's file and line).

The order of the graphs is the order of :func:`kg.rdf.mapping.map_corpus` (kind, then id),
so the result is the same graph list, the same store and the same dumps.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.dumps import dump_writer
from kg.artefacts.ldes_members import digest_ntriples
from kg.artefacts.sitemap import doc_subjects
from kg.errors import Problem
from kg.rdf.iris import Iris
from kg.rdf.mapping import RecordGraph, map_record
from kg.records.format import FOLDERS, KINDS
from kg.records.record import Corpus, Record
from kg.records.record_file import read_checked

__all__ = [
    "Batch", "ChunkResult", "RecordFile", "StoredGraph", "Task", "clear_chunk_cache", "content_hash",
    "Run", "graph_runs", "map_chunk", "read_runs", "record_files", "start_worker", "stored_graphs",
    "write_nquads_dump", "write_nquads_of",
]

_FOLDER_OF_KIND = {kind: folder for folder, kind in FOLDERS.items()}

#: (kind, id, path) of a record file; strings, not Paths: 120 000 Path objects cost seconds.
RecordFile = tuple[str, str, str]
#: (chunk number, [(kind, path)], work folder): one task.
Task = tuple[int, list[tuple[str, str]], str]
#: What a task found per record: kind, id, path, offset and length in the chunk, graph IRI,
#: LDES digest, /doc/ subjects, the file's content hash.
Piece = tuple[str, str, str, int, int, str, str, tuple[tuple[str, str], ...], str]
#: (chunk number, pieces, problems, quads) of one task.
ChunkResult = tuple[int, list[Piece], list[Problem], int]


class StoredGraph(RecordGraph):
    """A record's named graph whose quads stay in a chunk file until someone asks.

    An incremental build makes one for each of the 120 000 records of the previous build at
    100 000 practices, so making one must cost next to nothing: the attributes go into the
    instance's dict at once (a frozen dataclass's ``object.__setattr__`` per field cost ten
    times more), and the graph name and subject IRIs are made only when asked, from ``iris``
    (most graphs are never asked: their LDES digest and /doc/ subjects are kept)."""

    def __init__(self, kind: str, id: str, iris: Iris, chunk: Path, offset: int, length: int, path: str,
                 digest: str | None = None, doc_subjects: tuple[tuple[str, str], ...] = (), content_hash: str = "") -> None:
        self._iris: Iris
        self._chunk: Path
        self._span: tuple[int, int]
        self._path: str
        #: The LDES digest of the graph's triples and the subjects that get a /doc/ page
        #: (kg.artefacts.sitemap), computed by the worker that mapped the record: the artefact
        #: steps then need not read 100 000 graphs back from disk.
        self.digest: str | None
        self.doc_subjects: tuple[tuple[str, str], ...]
        #: SHA-256 of the record file as it was read (what the next build compares).
        self.content_hash: str
        self.__dict__.update(kind=kind, id=id, _iris=iris, _chunk=chunk, _span=(offset, length), _path=path,
                             digest=digest, doc_subjects=doc_subjects, content_hash=content_hash)

    @property
    def graph(self) -> ox.NamedNode:
        return self._iris.graph(self.kind, self.id)

    @property
    def subject(self) -> ox.NamedNode:
        return self._iris.entity(self.kind, self.id)

    @property
    def subject_iri(self) -> str:
        return self._iris.entity_iri(self.kind, self.id)

    @property
    def path(self) -> str:
        """The record file."""
        return self._path

    @property
    def span(self) -> tuple[Path, int, int]:
        """(chunk file, offset, length) of the graph's N-Quads bytes."""
        return self._chunk, *self._span

    @property
    def quads(self) -> tuple[ox.Quad, ...]:
        # lenient: the worker's own serialization of checked terms; no IRI to check again.
        return tuple(ox.parse(self.nquads(), format=ox.RdfFormat.N_QUADS, lenient=True))

    def nquads(self) -> bytes:
        """The graph's quads as the N-Quads bytes the worker wrote (one chunk file is
        kept in memory between calls: callers read the graphs in order)."""
        offset, length = self._span
        if _CHUNK_CACHE.path != self._chunk:
            _CHUNK_CACHE.path, _CHUNK_CACHE.data = self._chunk, self._chunk.read_bytes()
        return _CHUNK_CACHE.data[offset:offset + length]

    @property
    def record(self) -> Record | None:
        """The record, read again from its file (only the SHACL report asks, for lines)."""
        record, _ = read_checked(Path(self._path), self.kind, _Anything(), {})
        return record


@dataclass
class _ChunkCache:
    """The last chunk file read by :meth:`StoredGraph.nquads` (a few MB)."""

    path: Path | None = None
    data: bytes = b""


_CHUNK_CACHE = _ChunkCache()


def clear_chunk_cache() -> None:
    """Forget the cached chunk file (the build calls this when the chunks are deleted)."""
    _CHUNK_CACHE.path, _CHUNK_CACHE.data = None, b""


class _Anything:
    """A container that contains everything: re-reading a record that already passed
    its checks needs no references resolved."""

    def __contains__(self, item: object) -> bool:
        return True


@dataclass
class Batch:
    """What the records became: the graph list, the chunk files, the reference graphs."""

    graphs: list[RecordGraph]
    corpus: Corpus  # the reference part only (municipalities, codes, vocabularies)
    nquads: list[Path]
    ntriples: list[Path]
    extra: list[RecordGraph]  # graphs mapped here: municipalities, places, schemes, ontology
    quads: int
    timings: dict[str, float] = field(default_factory=dict)


def record_files(data_dir: Path, problems: list[Problem]) -> list[RecordFile]:
    """(kind, id, path) of every record file, in map_corpus order: kind, then id (= file name)."""
    out: list[RecordFile] = []
    for kind in KINDS:
        folder = _FOLDER_OF_KIND.get(kind)
        if folder is None or not (data_dir / folder).is_dir():
            continue
        prefix = os.path.join(data_dir, folder, "")
        found: list[RecordFile] = []
        for entry in os.scandir(prefix):
            name = entry.name
            if name.startswith(".") or entry.is_dir():
                continue
            if not name.endswith((".yaml", ".yml")):
                problems.append(Problem(Path(prefix + name), 1, "Only .yaml files belong in this folder; rename or move this file."))
                continue
            found.append((kind, name.rsplit(".", 1)[0], prefix + name))
        found.sort(key=itemgetter(1))  # the kinds come in KINDS order already: one sort per folder, by id
        out += found
    return out


@dataclass
class _WorkerState:
    """What every task of one build shares: set once per process by :func:`start_worker`."""

    known: frozenset[tuple[str, str]] = frozenset()
    concepts: dict[str, set[str]] = field(default_factory=dict)
    iris: Iris | None = None
    uri_space: str = ""


_STATE = _WorkerState()


def start_worker(known: frozenset[tuple[str, str]], concepts: dict[str, set[str]], base: str) -> None:
    """Set up this process for :func:`map_chunk` (a worker's initializer, or the build's own process)."""
    _STATE.known, _STATE.concepts = known, concepts
    _STATE.iris, _STATE.uri_space = Iris(base), base.rstrip("/") + "/id/"


def map_chunk(task: Task) -> ChunkResult:
    """Check and map one run of files; write its quads to ``{workdir}/chunk-{n}.nq/.nt``;
    compute each graph's LDES digest and /doc/ subjects here, in parallel."""
    number, files, workdir = task
    state = _STATE
    assert state.iris is not None, "start_worker() first"
    pieces: list[Piece] = []
    problems: list[Problem] = []
    quads = 0
    offset = 0
    with open(_chunk(workdir, number, "nq"), "wb") as nq, open(_chunk(workdir, number, "nt"), "wb") as nt:
        for kind, path_text in files:
            with open(path_text, "rb") as handle:  # read once: hashed and parsed
                data = handle.read()
            sha = hashlib.sha256(data).hexdigest()
            record, found = read_checked(Path(path_text), kind, state.known, state.concepts, data)
            problems += found
            if record is None or found:
                continue
            graph = map_record(record, state.iris)
            payload = ox.serialize(graph.quads, format=ox.RdfFormat.N_QUADS) or b""
            nq.write(payload)
            triples = ox.serialize((q.triple for q in graph.quads), format=ox.RdfFormat.N_TRIPLES) or b""
            nt.write(triples)
            pieces.append((kind, record.id, path_text, offset, len(payload), graph.graph.value,
                           digest_ntriples(triples, graph.quads), doc_subjects(graph.quads, state.uri_space), sha))
            offset += len(payload)
            quads += len(graph.quads)
    return number, pieces, problems, quads


def _chunk(workdir: str | Path, number: int, suffix: str) -> Path:
    return Path(workdir) / f"chunk-{number:05d}.{suffix}"


def stored_graphs(results: list[ChunkResult], base: str, workdir: Path) -> tuple[list[RecordGraph], list[Path], list[Path], list[Problem], int]:
    """The tasks' results in chunk order: (graphs, N-Quads chunks, N-Triples chunks, problems, quads)."""
    iris = Iris(base)
    graphs: list[RecordGraph] = []
    nquads, ntriples = [], []
    problems: list[Problem] = []
    total = 0
    for number, pieces, found, quads in results:
        problems += found
        total += quads
        nq = _chunk(workdir, number, "nq")
        nquads.append(nq)
        ntriples.append(_chunk(workdir, number, "nt"))
        for kind, rid, path_text, offset, length, _graph, digest, subjects, sha in pieces:
            graphs.append(StoredGraph(kind, rid, iris, nq, offset, length, path_text, digest, subjects, sha))
    return graphs, nquads, ntriples, problems, total


def write_nquads_dump(batch: Batch, target: Path) -> None:
    """The N-Quads dump: the chunk files as they are, then the graphs mapped here."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with dump_writer(target) as out:
        for path in batch.nquads:
            with open(path, "rb") as handle:
                while block := handle.read(1 << 22):
                    out.write(block)
        out.write(ox.serialize(_extra_quads(batch), format=ox.RdfFormat.N_QUADS) or b"")


def write_nquads_of(graphs: Sequence[RecordGraph], extra: Sequence[RecordGraph], target: Path) -> None:
    """The N-Quads dump of an incremental build: the same bytes as :func:`write_nquads_dump`
    of a full build of the same records, read from the chunk files that hold them (runs of
    neighbouring graphs of one chunk at once: :func:`graph_runs`), then ``extra``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with dump_writer(target) as out:
        for block in read_runs(graph_runs(graphs)):
            out.write(block)
        out.write(ox.serialize((q for g in extra for q in g.quads), format=ox.RdfFormat.N_QUADS) or b"")


#: (chunk file, start, end) of a run of neighbouring graphs' N-Quads.
Run = tuple[str, int, int]


def graph_runs(graphs: Sequence[RecordGraph]) -> list[Run]:
    """Where the N-Quads of ``graphs`` are, in their order, neighbouring spans joined."""
    runs: list[Run] = []
    for graph in graphs:
        assert isinstance(graph, StoredGraph), "an incremental build keeps every record graph in a chunk"
        chunk, offset, length = graph.span
        if runs and runs[-1][0] == str(chunk) and runs[-1][2] == offset:
            runs[-1] = (str(chunk), runs[-1][1], offset + length)
        else:
            runs.append((str(chunk), offset, offset + length))
    return runs


def read_runs(runs: Sequence[Run]) -> Iterator[bytes]:
    """The bytes of ``runs``, in blocks of at most 4 MB."""
    handles: dict[str, int] = {}
    try:
        for chunk, start, end in runs:
            if chunk not in handles:
                handles[chunk] = os.open(chunk, os.O_RDONLY)
            while start < end:
                block = os.pread(handles[chunk], min(end - start, 1 << 22), start)
                if not block:
                    raise OSError(f"{chunk} is shorter than the build state says")
                yield block
                start += len(block)
    finally:
        for fd in handles.values():
            os.close(fd)


def content_hash(path: str) -> str:
    """SHA-256 of a file's bytes: what decides whether a record changed (never its time)."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _extra_quads(batch: Batch) -> Iterator[ox.Quad]:
    for graph in batch.extra:
        yield from graph.quads

"""The build at scale: records read, checked and mapped in parallel, quads kept on disk.

Why: 100 000 practices are ~120 000 files and ~2.8 million quads. Read and mapped in
one process that is a minute of CPU, and the quads as Python objects take ~1.5 GB.
Here worker processes (one per core) each take a contiguous run of record files,
check them (:func:`kg.records.record_file.read_checked`, references resolved against the ids the
file names announce), map them (:func:`kg.rdf.mapping.map_record`) and write the quads
straight to a chunk file, once as N-Quads (the named graphs, for the store and the
N-Quads dump) and once as N-Triples (the merged graph, for the SHACL gate and the
triple dumps). pyoxigraph serializes in Rust, so no quad crosses a process boundary
as a Python object; the parent keeps one light :class:`StoredGraph` per record whose
``quads`` and ``record`` are read back from disk only when asked (LDES, the SHACL
report's file and line).

Then :func:`check_and_dump` runs in a child process beside the parent: it loads the
N-Triples chunks into an in-memory store, runs the compiled SHACL queries
(:mod:`kg.shacl.compiled`) and, when nothing is violated, writes the merged-graph dumps
(N-Triples, Turtle, JSON-LD) from that same store, while the parent bulk-loads the
N-Quads chunks into the new on-disk store and writes the N-Quads dump. Two cores,
two jobs; the parent never holds the data twice.

The order of the graphs is the order of :func:`kg.rdf.mapping.map_corpus` (kind, then id),
so the result is the same graph list, the same store and the same dumps.
"""

from __future__ import annotations

import gzip
import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import Problem, SourceError
from kg.rdf.iris import Iris
from kg.rdf.mapping import RecordGraph, map_corpus, map_record
from kg.records.corpus import read_reference
from kg.records.format import FOLDERS, KINDS
from kg.records.record import Corpus, Record
from kg.records.record_file import read_checked

__all__ = ["Batch", "StoredGraph", "check_and_dump", "read_and_map", "start_check_and_dump"]

#: Record files per task: large enough to amortise the task, small enough to balance.
CHUNK_FILES = 4000
#: Below this many record files everything runs in this process (no start-up cost).
PARALLEL_FROM = 4000
#: gzip level of the dumps written here: level 1 is ~4x faster than 6 for ~25 % more bytes.
GZIP_LEVEL = 1

_KIND_OF_FOLDER = dict(FOLDERS)
_FOLDER_OF_KIND = {kind: folder for folder, kind in FOLDERS.items()}


class StoredGraph(RecordGraph):
    """A record's named graph whose quads stay in a chunk file until someone asks."""

    def __init__(self, kind: str, id: str, graph: ox.NamedNode, subject: ox.NamedNode,
                 chunk: Path, offset: int, length: int, path: str,
                 digest: str | None = None, doc_subjects: tuple[str, ...] = ()) -> None:
        for name, value in (("kind", kind), ("id", id), ("graph", graph), ("subject", subject)):
            object.__setattr__(self, name, value)
        self._chunk: Path
        self._span: tuple[int, int]
        self._path: str
        #: The LDES digest of the graph's triples and the subjects that get a /doc/ page
        #: (kg.artefacts.sitemap), computed by the worker that mapped the record: the artefact
        #: steps then need not read 100 000 graphs back from disk.
        self.digest: str | None
        self.doc_subjects: tuple[str, ...]
        object.__setattr__(self, "_chunk", chunk)
        object.__setattr__(self, "_span", (offset, length))
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "doc_subjects", doc_subjects)

    @property
    def quads(self) -> tuple[ox.Quad, ...]:
        return tuple(ox.parse(self.nquads(), format=ox.RdfFormat.N_QUADS))

    def nquads(self) -> bytes:
        """The graph's quads as the N-Quads bytes the worker wrote (one chunk file is
        kept in memory between calls: callers read the graphs in order)."""
        offset, length = self._span
        cached = _CHUNK_CACHE.get("path")
        if cached != self._chunk:
            _CHUNK_CACHE.clear()
            _CHUNK_CACHE.update(path=self._chunk, data=self._chunk.read_bytes())
        data: bytes = _CHUNK_CACHE["data"]
        return data[offset:offset + length]

    @property
    def record(self) -> Record | None:
        """The record, read again from its file (only the SHACL report asks, for lines)."""
        record, _ = read_checked(Path(self._path), self.kind, _Anything(), {})
        return record


#: The last chunk file read by :meth:`StoredGraph.nquads` (a few MB).
_CHUNK_CACHE: dict[str, Any] = {}


def clear_chunk_cache() -> None:
    """Forget the cached chunk file (the build calls this when the chunks are deleted)."""
    _CHUNK_CACHE.clear()


class _Anything:
    """A container that contains everything: re-reading a record that already passed
    its checks needs no references resolved."""

    def __contains__(self, item: object) -> bool:
        return True


@dataclass
class Batch:
    """What :func:`read_and_map` produced."""

    graphs: list[RecordGraph]
    corpus: Corpus  # the reference part only (municipalities, codes, vocabularies)
    nquads: list[Path]
    ntriples: list[Path]
    extra: list[RecordGraph]  # graphs mapped here: municipalities, places, schemes, ontology
    quads: int
    timings: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading


def _files(data_dir: Path, problems: list[Problem]) -> list[tuple[str, str, str]]:
    """(kind, id, path) of every record file, in map_corpus order: kind, then id (= file name).
    Strings, not Paths: 120 000 Path objects cost seconds."""
    out: list[tuple[str, str, str]] = []
    for kind in KINDS:
        folder = _FOLDER_OF_KIND.get(kind)
        if folder is None or not (data_dir / folder).is_dir():
            continue
        prefix = os.path.join(data_dir, folder, "")
        for entry in os.scandir(prefix):
            name = entry.name
            if name.startswith(".") or entry.is_dir():
                continue
            if not name.endswith((".yaml", ".yml")):
                problems.append(Problem(Path(prefix + name), 1, "Only .yaml files belong in this folder; rename or move this file."))
                continue
            out.append((kind, name.rsplit(".", 1)[0], prefix + name))
    out.sort(key=lambda f: (KINDS.index(f[0]), f[1]))
    return out


_STATE: dict[str, Any] = {}


def _init(known: frozenset[tuple[str, str]], concepts: dict[str, set[str]], base: str) -> None:
    _STATE.update(known=known, concepts=concepts, iris=Iris(base), uri_space=base.rstrip("/") + "/id/")


Piece = tuple[str, str, str, int, int, str, str, tuple[str, ...]]


def _work(task: tuple[int, list[tuple[str, str]], str]) -> tuple[int, list[Piece], list[Problem], int]:
    """Check and map one run of files; write its quads to ``{workdir}/chunk-{n}.nq/.nt``;
    compute each graph's LDES digest and /doc/ subjects here, in parallel."""
    from kg.artefacts.ldes import digest_ntriples
    from kg.artefacts.sitemap import doc_subjects

    number, files, workdir = task
    known, concepts, iris, uri_space = _STATE["known"], _STATE["concepts"], _STATE["iris"], _STATE["uri_space"]
    pieces: list[Piece] = []
    problems: list[Problem] = []
    quads = 0
    nq_path = Path(workdir) / f"chunk-{number:05d}.nq"
    nt_path = Path(workdir) / f"chunk-{number:05d}.nt"
    offset = 0
    with open(nq_path, "wb") as nq, open(nt_path, "wb") as nt:
        for kind, path_text in files:
            record, found = read_checked(Path(path_text), kind, known, concepts)
            problems += found
            if record is None or found:
                continue
            graph = map_record(record, iris)
            payload = ox.serialize(graph.quads, format=ox.RdfFormat.N_QUADS) or b""
            nq.write(payload)
            triples = ox.serialize((q.triple for q in graph.quads), format=ox.RdfFormat.N_TRIPLES) or b""
            nt.write(triples)
            pieces.append((kind, record.id, path_text, offset, len(payload), graph.graph.value,
                           digest_ntriples(triples, graph.quads), doc_subjects(graph.quads, uri_space)))
            offset += len(payload)
            quads += len(graph.quads)
    return number, pieces, problems, quads


def read_and_map(data_dir: Path, vocab_dir: Path, base: str, ontology: Path | None, workdir: Path, processes: int = 2) -> Batch:
    """Check and map every record of ``data_dir``; quads go to chunk files in ``workdir``.

    Raises :class:`SourceError` with every problem found, exactly like ``load_corpus``.
    """
    started = time.perf_counter()
    reference, problems = read_reference(data_dir, vocab_dir)
    files = _files(data_dir, problems)
    known = frozenset({(kind, rid) for kind, rid, _ in files} | set(reference.records))
    workdir.mkdir(parents=True, exist_ok=True)
    chunk = CHUNK_FILES if len(files) >= PARALLEL_FROM else max(1, len(files))
    tasks = [(n, [(k, p) for k, _, p in files[i:i + chunk]], str(workdir)) for n, i in enumerate(range(0, len(files), chunk))]
    if len(files) >= PARALLEL_FROM and processes > 1:
        # spawn, not fork: the parent may hold open stores and threads.
        with ProcessPoolExecutor(processes, mp_context=get_context("spawn"), initializer=_init,
                                 initargs=(known, reference.concepts, base)) as pool:
            results = list(pool.map(_work, tasks))
    else:
        _init(known, reference.concepts, base)
        results = [_work(task) for task in tasks]
    iris = Iris(base)
    graphs: list[RecordGraph] = []
    nquads, ntriples = [], []
    total = 0
    for number, pieces, found, quads in results:
        problems += found
        total += quads
        nq = workdir / f"chunk-{number:05d}.nq"
        nquads.append(nq)
        ntriples.append(workdir / f"chunk-{number:05d}.nt")
        for kind, rid, path_text, offset, length, _graph, digest, subjects in pieces:
            graphs.append(StoredGraph(kind, rid, iris.graph(kind, rid), iris.entity(kind, rid), nq, offset, length, path_text,
                                      digest, subjects))
    if problems:
        raise SourceError(sorted(problems, key=lambda p: (str(p.file), p.line)))
    extra = map_corpus(reference, iris, ontology)
    total += sum(len(g.quads) for g in extra)
    return Batch(graphs + extra, reference, nquads, ntriples, extra, total, {"read and map": time.perf_counter() - started})


# --------------------------------------------------------------------------- gate + dumps


def _gzip(target: Path) -> Any:
    # mtime=0 keeps the bytes identical for identical content.
    return gzip.GzipFile(filename="", mode="wb", fileobj=open(target, "wb"), mtime=0, compresslevel=GZIP_LEVEL)


def check_and_dump(
    ntriples: Sequence[str], extra_nt: bytes, ontology_nt: bytes, shapes_dir: str, base: str, dumps_dir: str,
) -> tuple[list[Any], dict[str, float], dict[str, Any]]:
    """In a child process: the SHACL gate on the merged graph, then the triple dumps and
    the VoID statistics (:func:`kg.artefacts.void.measure`) of that same merged graph.

    Returns the raw SHACL results, stage times and the statistics. The dumps are written only when no
    result is a Violation (the build stops anyway). A shapes file that does not parse is
    returned as its problems (a SourceError does not survive pickling whole) and raised
    again by :func:`result_of`.
    """
    try:
        return _check_and_dump(ntriples, extra_nt, ontology_nt, shapes_dir, base, dumps_dir)
    except SourceError as exc:
        return [exc.problems], {}, {}


def result_of(future: Future[Any]) -> tuple[list[Any], dict[str, float], dict[str, Any]]:
    """The child's answer, re-raising a SourceError it returned as problems."""
    raw, times, measured = future.result()
    if raw and isinstance(raw[0], list):
        raise SourceError(raw[0])
    return raw, times, measured


def _check_and_dump(
    ntriples: Sequence[str], extra_nt: bytes, ontology_nt: bytes, shapes_dir: str, base: str, dumps_dir: str,
) -> tuple[list[Any], dict[str, float], dict[str, Any]]:
    from kg.shacl import compiled as shaclsparql
    from kg.artefacts.void import measure

    times: dict[str, float] = {}
    t = time.perf_counter()
    store = ox.Store()
    # load, not bulk_load: on an in-memory store the transactional load of one chunk file
    # (~16 MB) is ~1.5x faster; lenient: these bytes are what pyoxigraph serialized from
    # terms it had already checked, so parsing them need not check IRIs again (4 s instead
    # of 8 s for 2.8 million triples).
    for path in ntriples:
        store.load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    if extra_nt:
        store.load(extra_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    times["SHACL: load in-memory store"] = time.perf_counter() - t
    t = time.perf_counter()
    checks = shaclsparql.compile_shapes(shaclsparql.Shapes.load(Path(shapes_dir), base), store, union=False)
    raw = shaclsparql.run_checks(store, checks, union=False)
    times["SHACL: queries"] = time.perf_counter() - t
    if any(r.severity.endswith("#Violation") for r in raw):
        return raw, times, {}
    t = time.perf_counter()
    if ontology_nt:
        store.load(ontology_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    folder = Path(dumps_dir)
    folder.mkdir(parents=True, exist_ok=True)

    def dump(name: str, fmt: ox.RdfFormat) -> None:
        with _gzip(folder / name) if name.endswith(".gz") else open(folder / name, "wb") as out:
            store.dump(out, format=fmt, from_graph=ox.DefaultGraph())

    # The three dumps and the VoID statistics read the same store and Oxigraph releases the
    # GIL while it serializes or queries: in two threads they take ~5 s instead of ~9 s, and
    # by now the parent has (nearly) finished, so the second core is free for them. The
    # merged graph of the dumps is the union of the new store's graphs, so its VoID
    # statistics are the store's, measured here without GRAPH patterns or DISTINCT.
    with ThreadPoolExecutor(2) as pool:
        void = pool.submit(measure, store, base.rstrip("/") + "/id/", union=False)
        dumps = [pool.submit(dump, name, fmt) for name, fmt in (
            ("lokaalcirculair.nt.gz", ox.RdfFormat.N_TRIPLES), ("lokaalcirculair.ttl", ox.RdfFormat.TURTLE),
            ("lokaalcirculair.jsonld", ox.RdfFormat.JSON_LD))]
        for done in dumps:
            done.result()
        measured = void.result()
    times["dumps N-Triples, Turtle, JSON-LD and VoID statistics (2 threads)"] = time.perf_counter() - t
    return raw, times, measured


#: Below this many quads the gate runs in this process: a child's start-up costs more than it saves.
CHILD_FROM = 300_000


def start_check_and_dump(batch: Batch, shapes_dir: Path, base: str, dumps_dir: Path) -> tuple[ProcessPoolExecutor | None, Future[Any]]:
    """Start :func:`check_and_dump` in a child process (or run it here for small data);
    the caller gets its future."""
    from kg.shacl.gate import validation_quads

    extra_nt = ox.serialize((q.triple for q in validation_quads(batch.extra)), format=ox.RdfFormat.N_TRIPLES) or b""
    ontology_nt = ox.serialize((q.triple for q in validation_quads(batch.extra, ontology=True)), format=ox.RdfFormat.N_TRIPLES) or b""
    args = ([str(p) for p in batch.ntriples], extra_nt, ontology_nt, str(shapes_dir), base, str(dumps_dir))
    if batch.quads < CHILD_FROM:
        done: Future[Any] = Future()
        try:
            done.set_result(_check_and_dump(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the caller like a child's error
            done.set_exception(exc)
        return None, done
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    return pool, pool.submit(check_and_dump, *args)


def write_nquads_dump(batch: Batch, target: Path) -> None:
    """The N-Quads dump: the chunk files as they are, then the graphs mapped here."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _gzip(target) as out:
        for path in batch.nquads:
            with open(path, "rb") as handle:
                while block := handle.read(1 << 22):
                    out.write(block)
        out.write(ox.serialize(_extra_quads(batch), format=ox.RdfFormat.N_QUADS) or b"")


def _extra_quads(batch: Batch) -> Iterator[ox.Quad]:
    for graph in batch.extra:
        yield from graph.quads

"""Where the work of a build runs: in worker processes, a child process, or this one.

There is one build path. Two jobs are worth other processes at scale, and each runs in this
process below its threshold, where starting processes costs more than it saves:

* reading, checking and mapping the records (:mod:`kg.build.record_chunks`): one worker
  per core from :data:`PARALLEL_FROM` record files, in :data:`CHUNK_FILES`-file tasks;
* the SHACL gate and the triple dumps (:mod:`kg.build.shacl_child`): a child process beside
  the parent's store load from :data:`CHILD_FROM` quads.

Workers and the child are *spawned*, not forked: the parent may hold open stores and threads.
The thresholds are read when a build starts, so a test can lower them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pyoxigraph as ox

from kg.build.record_chunks import Batch, ChunkResult, map_chunk, record_files, start_worker, stored_graphs
from kg.build.shacl_child import ChildAnswer, check_and_dump
from kg.errors import SourceError
from kg.rdf.iris import Iris
from kg.rdf.mapping import RecordGraph, map_corpus
from kg.records.corpus import read_reference
from kg.shacl.gate import validation_quads

__all__ = ["CHILD_FROM", "CHUNK_FILES", "PARALLEL_FROM", "read_and_map", "reference_ntriples", "start_check_and_dump"]

#: Record files per task: large enough to amortise the task, small enough to balance.
CHUNK_FILES = 4000
#: Below this many record files everything runs in this process (no start-up cost).
PARALLEL_FROM = 4000
#: Below this many quads the gate runs in this process: a child's start-up costs more than it saves.
CHILD_FROM = 300_000


def read_and_map(data_dir: Path, vocab_dir: Path, base: str, ontology: Path | None, workdir: Path, processes: int = 2) -> Batch:
    """Check and map every record of ``data_dir``; quads go to chunk files in ``workdir``.

    Raises :class:`SourceError` with every problem found, exactly like ``load_corpus``.
    """
    started = time.perf_counter()
    reference, problems = read_reference(data_dir, vocab_dir)
    files = record_files(data_dir, problems)
    known = frozenset({(kind, rid) for kind, rid, _ in files} | set(reference.records))
    workdir.mkdir(parents=True, exist_ok=True)
    parallel = len(files) >= PARALLEL_FROM and processes > 1
    chunk = CHUNK_FILES if len(files) >= PARALLEL_FROM else max(1, len(files))
    tasks = [(n, [(k, p) for k, _, p in files[i:i + chunk]], str(workdir)) for n, i in enumerate(range(0, len(files), chunk))]
    results: list[ChunkResult]
    if parallel:
        with ProcessPoolExecutor(processes, mp_context=get_context("spawn"), initializer=start_worker,
                                 initargs=(known, reference.concepts, base)) as pool:
            results = list(pool.map(map_chunk, tasks))
    else:
        start_worker(known, reference.concepts, base)
        results = [map_chunk(task) for task in tasks]
    graphs, nquads, ntriples, found, total = stored_graphs(results, base, workdir)
    problems += found
    if problems:
        raise SourceError(sorted(problems, key=lambda p: (str(p.file), p.line)))
    extra = map_corpus(reference, Iris(base), ontology)
    total += sum(len(g.quads) for g in extra)
    return Batch(graphs + extra, reference, nquads, ntriples, extra, total, {"read and map": time.perf_counter() - started})


def reference_ntriples(extra: Sequence[RecordGraph]) -> tuple[bytes, bytes]:
    """The reference graphs as the SHACL gate sees them, and the rest of the ontology, as
    N-Triples (what the merged graph holds besides the records, in its load order)."""
    return (
        ox.serialize((q.triple for q in validation_quads(extra)), format=ox.RdfFormat.N_TRIPLES) or b"",
        ox.serialize((q.triple for q in validation_quads(extra, ontology=True)), format=ox.RdfFormat.N_TRIPLES) or b"",
    )


def start_check_and_dump(batch: Batch, shapes_dir: Path, base: str, dumps_dir: Path) -> tuple[ProcessPoolExecutor | None, Future[ChildAnswer]]:
    """Start :func:`~kg.build.shacl_child.check_and_dump` in a child process (or run it here
    for small data); the caller gets its future, and the pool to shut down when there is one."""
    extra_nt, ontology_nt = reference_ntriples(batch.extra)
    args = ([str(p) for p in batch.ntriples], extra_nt, ontology_nt, str(shapes_dir), base, str(dumps_dir))
    if batch.quads < CHILD_FROM:
        done: Future[ChildAnswer] = Future()
        try:
            done.set_result(check_and_dump(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the caller like a child's error
            done.set_exception(exc)
        return None, done
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    return pool, pool.submit(check_and_dump, *args)

"""The SHACL gate and the triple dumps of a build, computed where the merged graph is.

:func:`check_and_dump` loads the N-Triples chunk files (:mod:`kg.build.record_chunks`) into
an in-memory store, runs the compiled SHACL queries (:mod:`kg.shacl.compiled`) and, when
nothing is violated, writes the merged-graph dumps (N-Triples, Turtle, JSON-LD) and measures
the VoID statistics from that same store. For large data it runs in a child process beside
the parent, which meanwhile bulk-loads the N-Quads chunks into the new on-disk store and
writes the N-Quads dump: two cores, two jobs, and the parent never holds the data twice
(:mod:`kg.build.parallel` decides where it runs).
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.dumps import TRIPLE_DUMPS, dump_writer
from kg.artefacts.quality_store import StoreAnswers, ask_store
from kg.artefacts.void_statistics import VoidStatistics, measure
from kg.errors import Problem, SourceError
from kg.shacl.compiled import RawResult, Shapes, compile_shapes, run_checks

__all__ = ["ChildAnswer", "check_and_dump", "dumps_from_nquads", "result_of"]

#: The graph name at the end of an N-Quads line (a literal cannot hold a raw newline, and an
#: object IRI is followed by the graph name, not by " .").
_GRAPH_NAME = re.compile(rb" <[^<>\s]*> \.\n")



@dataclass
class ChildAnswer:
    """What :func:`check_and_dump` answers (it crosses the process boundary, pickled)."""

    raw: list[RawResult]
    #: Its own stage times, reported like the parent's.
    times: dict[str, float]
    #: None when a Violation stopped it before the dumps.
    statistics: VoidStatistics | None
    #: The problems of a shapes file that does not parse (a SourceError does not survive pickling whole).
    problems: list[Problem] | None = None
    #: The CPU seconds of each of its stages (all its threads), by the names of ``times``.
    cpu: dict[str, float] = field(default_factory=dict)
    #: The quality metrics' answers (:mod:`kg.artefacts.quality_store`), None when the
    #: dumps were not written.
    quality: StoreAnswers | None = None


def check_and_dump(
    ntriples: Sequence[str], extra_nt: bytes, ontology_nt: bytes, shapes_dir: str, base: str, dumps_dir: str,
) -> ChildAnswer:
    """The SHACL gate on the merged graph, then the triple dumps and the VoID statistics of
    that same merged graph (:func:`kg.artefacts.void_statistics.measure`).

    The dumps are written only when no result is a Violation (the build stops anyway). A
    shapes file that does not parse is returned as its problems and raised again by
    :func:`result_of`.
    """
    try:
        return _check_and_dump(ntriples, extra_nt, ontology_nt, shapes_dir, base, dumps_dir)
    except SourceError as exc:
        return ChildAnswer([], {}, None, exc.problems)


def result_of(future: Future[ChildAnswer]) -> ChildAnswer:
    """The child's answer, re-raising a SourceError it returned as problems."""
    answer = future.result()
    if answer.problems is not None:
        raise SourceError(answer.problems)
    return answer


def _check_and_dump(
    ntriples: Sequence[str], extra_nt: bytes, ontology_nt: bytes, shapes_dir: str, base: str, dumps_dir: str,
) -> ChildAnswer:
    answer = ChildAnswer([], {}, None)
    clock = _Clock(answer)
    store = ox.Store()
    # load, not bulk_load: on an in-memory store the transactional load of one chunk file
    # (~16 MB) is ~1.5x faster; lenient: these bytes are what pyoxigraph serialized from
    # terms it had already checked, so parsing them need not check IRIs again (4 s instead
    # of 8 s for 2.8 million triples).
    for path in ntriples:
        store.load(path=path, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    if extra_nt:
        store.load(extra_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    clock.lap("SHACL: load in-memory store")
    checks = compile_shapes(Shapes.load(Path(shapes_dir), base), store, union=False)
    answer.raw = run_checks(store, checks, union=False)
    clock.lap("SHACL: queries")
    if any(r.severity.endswith("#Violation") for r in answer.raw):
        return answer
    if ontology_nt:
        store.load(ontology_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    answer.statistics, answer.quality = _dumps_and_statistics(store, Path(dumps_dir), base)
    clock.lap("dumps N-Triples, Turtle, JSON-LD, VoID statistics and quality queries (2 threads)")
    return answer


class _Clock:
    """The child's stage times, wall and CPU (every thread of this process), into its answer."""

    def __init__(self, answer: ChildAnswer) -> None:
        self.answer = answer
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.answer.times[name], self.answer.cpu[name] = wall - self.wall, cpu - self.cpu
        self.wall, self.cpu = wall, cpu


def _dumps_and_statistics(store: ox.Store, folder: Path, base: str, quality: bool = True) -> tuple[VoidStatistics, StoreAnswers | None]:
    """The three dumps, the VoID statistics and the quality metrics' queries read the same
    store and Oxigraph releases the GIL while it serializes or queries: in two threads they
    take ~5 s instead of ~9 s, and by now the parent has (nearly) finished, so the second
    core is free for them. The merged graph of the dumps is the union of the new store's
    graphs, so its VoID statistics and quality answers are the store's, measured here
    without GRAPH patterns or DISTINCT (the quality queries on the on-disk store took ~28
    CPU-seconds at 100 000 practices, after the gate)."""
    folder.mkdir(parents=True, exist_ok=True)

    def dump(name: str, fmt: ox.RdfFormat) -> None:
        with dump_writer(folder / name) as out:
            store.dump(out, format=fmt, from_graph=ox.DefaultGraph())

    uri_space = base.rstrip("/") + "/id/"
    with ThreadPoolExecutor(2) as pool:
        void = pool.submit(measure, store, uri_space, union=False)
        answers = pool.submit(ask_store, store, uri_space) if quality else None
        dumps = [pool.submit(dump, d.file, d.rdf) for d in TRIPLE_DUMPS]
        for done in dumps:
            done.result()
        return void.result(), answers.result() if answers else None


def dumps_from_nquads(runs: Sequence[tuple[str, int, int]], extra_nt: bytes, ontology_nt: bytes, base: str,
                      dumps_dir: str) -> VoidStatistics:
    """The triple dumps and the VoID statistics of an incremental build, byte-identical to a
    full build's: the merged graph is loaded in the order :func:`check_and_dump` loads it
    (the records in build order, then the reference graphs, then the rest of the ontology),
    from the records' N-Quads in the chunk files (``runs``: file, start, end) without their
    graph names. An in-memory store writes its triples in the order they came in."""
    store = ox.Store()
    for chunk, start, end in runs:
        with open(chunk, "rb") as handle:
            handle.seek(start)
            data = handle.read(end - start)
        store.load(_GRAPH_NAME.sub(b" .\n", data), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    for extra in (extra_nt, ontology_nt):
        if extra:
            store.load(extra, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=True)
    return _dumps_and_statistics(store, Path(dumps_dir), base, quality=False)[0]

"""``kg build``: records → RDF → SHACL gate → new store → artefacts → switch.

Each stage is timed and reported through a ``progress`` callback (the CLI
prints it; tests collect it). The order is the safety argument: nothing is
switched live until the new store is loaded, its dumps are written and
checked, and every artefact step has succeeded. Any exception on the way
aborts the slot and leaves the live build exactly as it was.

Artefact steps (dumps here; VoID, DCAT, LDES in their own modules) are
functions ``step(ctx: BuildContext) -> None`` registered in
``ARTEFACT_STEPS``; they read the new store through the slot and write files
into ``ctx.slot.artefacts_dir``.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pyoxigraph as ox

from kg.errors import ConfigError, ValidationFailed
from kg.rdf.mapping import RecordGraph, map_corpus
from kg.records.corpus import load_corpus
from kg.records.record import Corpus
from kg.settings import Settings
from kg.media import DUMP_FORMATS
from kg.store.embedded import BuildSlot, build_lock, new_build_id
from kg.synth.generator import guard_build
from kg.shacl.gate import ValidationReport, validate, validation_quads

Progress = Callable[[str], None]


@dataclass
class BuildContext:
    """Everything an artefact step may need about the build in progress."""

    settings: Settings
    corpus: Corpus
    graphs: Sequence[RecordGraph]
    report: ValidationReport
    slot: BuildSlot
    build_id: str
    timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    #: What a step measured ahead of time (``"void"``: :func:`kg.artefacts.void.measure` run while the
    #: SHACL child still worked); not written to the build manifest, unlike ``extra``.
    measured: dict[str, Any] = field(default_factory=dict)


ArtefactStep = Callable[[BuildContext], None]


@dataclass
class BuildResult:
    build_id: str
    triples: int
    graphs: int
    report: ValidationReport
    timings: dict[str, float]
    folder: Path


class _Stopwatch:
    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.timings: dict[str, float] = {}

    def stage(self, name: str) -> "_Stage":
        return _Stage(self, name)


class _Stage:
    def __init__(self, watch: _Stopwatch, name: str) -> None:
        self.watch, self.name = watch, name

    def __enter__(self) -> None:
        self.start = time.perf_counter()
        self.watch.progress(f"{self.name} …")

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self.start
        self.watch.timings[self.name] = elapsed
        if exc[0] is None:
            self.watch.progress(f"{self.name}: {elapsed:.2f} s")


def paths(settings: Settings) -> tuple[Path, Path, Path, Path]:
    """(data, vocabularies, ontology file, shapes) folders of the settings."""
    return (
        settings.data_dir,
        settings.ontology_dir / "vocabularies",
        settings.ontology_dir / "circulair.ttl",
        settings.shapes_dir,
    )


def check(settings: Settings, only: Sequence[Path] | None = None, progress: Progress = lambda _: None) -> ValidationReport:
    """Records and SHACL, no store: what ``kg validate`` runs."""
    data_dir, vocab_dir, ontology, shapes = paths(settings)
    watch = _Stopwatch(progress)
    with watch.stage("read records"):
        corpus = load_corpus(data_dir, vocab_dir, only=only)
    with watch.stage("map to RDF"):
        graphs = map_corpus(corpus, settings.base_iri, ontology)
    with watch.stage("SHACL validation"):
        report = validate(graphs, shapes, engine=settings.validator)
    if only is not None:
        wanted = {p.resolve() for p in only}
        report = report.restricted_to(wanted)
    return report


def build(settings: Settings, progress: Progress = lambda _: None) -> BuildResult:
    """Build a new store from the records and make it live, or change nothing."""
    data_dir, vocab_dir, ontology, shapes = paths(settings)
    root = build_root(settings)
    guard_build(data_dir, settings.base_iri, None if settings.is_remote else root)
    watch = _Stopwatch(progress)
    fast = settings.validator == "sparql"
    if not fast:  # the reference engine needs no store: gate first, in this process
        with watch.stage("read records"):
            corpus = load_corpus(data_dir, vocab_dir)
        with watch.stage("map to RDF"):
            graphs: Sequence[RecordGraph] = map_corpus(corpus, settings.base_iri, ontology)
        with watch.stage("SHACL validation"):
            report = validate(graphs, shapes, engine="pyshacl")
        _gate(report, root)
    with build_lock(root):
        build_id = new_build_id()
        slot = BuildSlot(root, build_id, keep=settings.keep_builds)
        # Chunk files of the fast path; named .tmp-* so that a build lock clears them after a crash.
        work = slot.builds / f".tmp-{build_id}-chunks"
        try:
            measured: dict[str, Any] = {}
            early: list[BuildContext] = []
            done: set[str] = set()

            def meanwhile(batch: Any) -> None:
                """While the SHACL child works: the steps that need neither the gate nor the
                store (they are dropped with the slot should the gate fail)."""
                early.append(BuildContext(settings, batch.corpus, batch.graphs, None, slot, build_id,  # type: ignore[arg-type]
                                          watch.timings, measured=measured))
                for step in ARTEFACT_STEPS:
                    if step.__name__ in BESIDE_THE_GATE:
                        with watch.stage(_stage_name(step) + " (beside the SHACL gate)"):
                            step(early[0])
                        done.add(step.__name__)

            if fast:
                corpus, graphs, report = _fast_gate(settings, slot, watch, root, work, measured, meanwhile)
            else:
                with watch.stage("load store"):
                    slot.load(_all_quads(graphs))
            if early:
                ctx = early[0]
                ctx.report = report
            else:
                ctx = BuildContext(settings, corpus, graphs, report, slot, build_id, watch.timings, measured=measured)
            (slot.artefacts_dir / "validation-report.ttl").write_text(report.to_turtle(), encoding="utf-8")
            for step in ARTEFACT_STEPS:
                if step.__name__ not in done:
                    with watch.stage(_stage_name(step)):
                        step(ctx)
            triples = len(slot)
            if settings.is_remote:
                from kg.store.remote import publish

                with watch.stage("load remote store"):
                    publish(settings, slot, triples)
            with watch.stage("switch"):
                slot.commit({
                    "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "triples": triples,
                    "graphs": len(graphs),
                    "timings": {k: round(v, 3) for k, v in watch.timings.items()},
                    "extra": ctx.extra,
                })
        except BaseException:
            slot.abort()
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
            if fast:
                from kg.build.parallel import clear_chunk_cache

                clear_chunk_cache()
    return BuildResult(build_id, triples, len(graphs), report, watch.timings, slot.final)


def _stage_name(step: ArtefactStep) -> str:
    return step.__doc__.strip().splitlines()[0].rstrip(".") if step.__doc__ else step.__name__


def _fast_gate(settings: Settings, slot: BuildSlot, watch: _Stopwatch, root: Path, work: Path,
               measured: dict[str, Any], meanwhile: Callable[[Any], None]) -> tuple[Corpus, Sequence[RecordGraph], ValidationReport]:
    """Records → chunk files (worker processes) → the SHACL gate and the triple dumps in a
    child process while this one loads the new store and writes the N-Quads dump
    (:mod:`kg.build.parallel`). A Violation stops the build before anything goes live."""
    from kg.build.parallel import read_and_map, result_of, start_check_and_dump, write_nquads_dump
    from kg.shacl.compiled import Shapes
    from kg.shacl.gate import report_from_raw

    data_dir, vocab_dir, ontology, shapes = paths(settings)
    with watch.stage("read and map records"):
        batch = read_and_map(data_dir, vocab_dir, settings.base_iri, ontology, work)
    dumps = slot.artefacts_dir / "dumps"
    pool, future = start_check_and_dump(batch, shapes, settings.base_iri, dumps)
    try:
        with watch.stage("load store (beside the SHACL gate)"):
            for path in batch.nquads:
                slot.load_file(path, ox.RdfFormat.N_QUADS, trusted=True)
            slot.load(validation_quads(batch.extra))
            # The rest of the ontology too (the gate does not see it; the slot is dropped if it fails).
            slot.load(validation_quads(batch.extra, ontology=True))
        with watch.stage("N-Quads dump"):
            write_nquads_dump(batch, dumps / "lokaalcirculair.nq.gz")
        if pool is not None:  # this core would only wait for the child: run what needs no gate
            meanwhile(batch)
        with watch.stage("SHACL gate and triple dumps (rest of the child process)"):
            raw, times, measured["void"] = result_of(future)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for name, seconds in times.items():  # the child's own stages, reported like the others
        watch.timings[f"child: {name}"] = seconds
        watch.progress(f"child: {name}: {seconds:.2f} s")
    report = report_from_raw(raw, Shapes.load(shapes, settings.base_iri), batch.graphs)
    _gate(report, root)
    return batch.corpus, batch.graphs, report


def build_root(settings: Settings) -> Path:
    """Where builds are made and kept: the store folder, or for a remote store the
    artefacts folder (dumps, reports and the LDES history live there, the graph on the server)."""
    if not settings.is_remote:
        return Path(settings.store)
    if settings.artefacts_dir is None:
        raise ConfigError(
            f"KG_STORE is the SPARQL server {settings.store}; set KG_ARTEFACTS_DIR to a folder "
            "where the build keeps dumps, reports and the LDES history."
        )
    return Path(settings.artefacts_dir)


def _gate(report: ValidationReport, root: Path) -> None:
    """Stop the build on a Violation, keeping the report beside the store."""
    if not report.conforms:
        root.mkdir(parents=True, exist_ok=True)
        (root / "last-failed-validation.ttl").write_text(report.to_turtle(), encoding="utf-8")
        raise ValidationFailed(report)


def _all_quads(graphs: Sequence[RecordGraph]) -> Iterator[ox.Quad]:
    for graph in graphs:
        yield from graph.quads


def write_dumps(ctx: BuildContext) -> None:
    """Dumps (N-Quads, N-Triples, Turtle, JSON-LD) with SHA-256 files."""
    folder = ctx.slot.artefacts_dir / "dumps"
    folder.mkdir(exist_ok=True)
    for name, dump in DUMP_FORMATS.items():
        fmt = dump.rdf
        target = folder / name
        if target.exists():
            pass  # already written by the build (kg.build.parallel), from the same data
        elif name.endswith(".gz"):
            # mtime=0 keeps the gzip bytes identical for identical content.
            with open(target, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
                ctx.slot.dump(out, fmt)  # type: ignore[arg-type]
        else:
            with open(target, "wb") as out:
                ctx.slot.dump(out, fmt)
        digest = _sha256(target)
        (folder / f"{name}.sha256").write_text(f"{digest}  {name}\n", encoding="ascii")
    ctx.extra["dumps"] = sorted(DUMP_FORMATS)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _harvest_steps() -> list[ArtefactStep]:
    """The harvesting artefacts (kg.artefacts.ldes, kg.artefacts.catalog, kg.artefacts.void, kg.artefacts.sitemap), after the dumps:
    the LDES history comes first because the catalogue's dates and the sitemap's lastmod
    are read from it."""
    from kg.artefacts.catalog import write_catalog
    from kg.artefacts.ldes import write_ldes
    from kg.artefacts.sitemap import write_sitemap
    from kg.artefacts.void import write_void

    return [write_ldes, write_catalog, write_void, write_sitemap]


#: Steps run in order after the store is loaded and before the switch.
ARTEFACT_STEPS: list[ArtefactStep] = [write_dumps, *_harvest_steps()]

#: Steps that read only the graph list and the previous build (not the store, the dumps or
#: the SHACL report): a build with a SHACL child runs them while that child still works,
#: on the core that would otherwise wait (in ``ARTEFACT_STEPS`` order: LDES before sitemap).
BESIDE_THE_GATE = frozenset({"write_ldes", "write_sitemap"})

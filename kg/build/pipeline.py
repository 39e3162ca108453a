"""``kg build``: records → RDF → SHACL gate → new store → artefacts → switch.

Each stage is timed and reported through a ``progress`` callback (the CLI prints it; tests
collect it: :mod:`kg.build.stopwatch`). The order is the safety argument: nothing is
switched live until the new store is loaded, the SHACL gate has passed, its dumps are
written and checked, and every artefact step has succeeded. Any exception on the way
aborts the slot (:class:`kg.store.build_slot.BuildSlot`) and leaves the live build exactly
as it was.

There is one path, whatever the size: the records are mapped into chunk files
(:mod:`kg.build.record_chunks`), in worker processes at scale (:mod:`kg.build.parallel`);
the SHACL gate starts (:mod:`kg.build.shacl_gate`), in a child process at scale, while this
process loads the new store from the chunk files; the artefact steps
(:mod:`kg.build.artefact_steps`) run as soon as what they need is there, some of them
beside the gate.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pyoxigraph as ox

from kg.artefacts.dumps import NQUADS_DUMP
from kg.artefacts.examples_graph import examples_graph
from kg.artefacts.layout import DUMPS
from kg.artefacts.step import EVERYTHING, ArtefactInputs
from kg.build.artefact_steps import ARTEFACT_STEPS, run_ready_steps
from kg.build.parallel import read_and_map
from kg.build.record_chunks import Batch, clear_chunk_cache, write_nquads_dump
from kg.build.shacl_gate import start_gate, stop_on_violation
from kg.build.stopwatch import Progress, Stopwatch, quiet
from kg.rdf.mapping import map_corpus
from kg.records.corpus import load_corpus
from kg.settings import Settings
from kg.shacl.gate import ValidationReport, validate, validation_quads
from kg.store.build_slot import BuildSlot, build_lock, new_build_id
from kg.store.folders import TEMPORARY, build_root
from kg.store.remote_publish import publish
from kg.store.synthetic_marker import guard_build

__all__ = ["ARTEFACT_STEPS", "VALIDATION_REPORT", "BuildResult", "build", "check", "paths"]

#: The SHACL report of a build that went live, among its artefacts.
VALIDATION_REPORT = "validation-report.ttl"


@dataclass
class BuildResult:
    """What a build that went live made (for the CLI's summary and the tests)."""

    build_id: str
    triples: int
    graphs: int
    report: ValidationReport
    timings: dict[str, float]
    folder: Path


def paths(settings: Settings) -> tuple[Path, Path, Path, Path]:
    """(data, vocabularies, ontology file, shapes) folders of the settings."""
    return (
        settings.data_dir,
        settings.ontology_dir / "vocabularies",
        settings.ontology_dir / "circulair.ttl",
        settings.shapes_dir,
    )


def check(settings: Settings, only: Sequence[Path] | None = None, progress: Progress = quiet) -> ValidationReport:
    """Records and SHACL, no store: what ``kg validate`` runs."""
    data_dir, vocab_dir, ontology, shapes = paths(settings)
    watch = Stopwatch(progress)
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


def build(settings: Settings, progress: Progress = quiet) -> BuildResult:
    """Build a new store from the records and make it live, or change nothing."""
    root = build_root(settings)
    guard_build(settings.data_dir, settings.base_iri, None if settings.is_remote else root)
    watch = Stopwatch(progress)
    with build_lock(root):
        slot = BuildSlot(root, new_build_id(), keep=settings.keep_builds)
        # The chunk files; named .tmp-* so that a build lock clears them after a crash.
        work = slot.builds / f"{TEMPORARY}{slot.build_id}-chunks"
        try:
            return _build_into(slot, settings, watch, work)
        except BaseException:
            slot.abort()
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
            clear_chunk_cache()


def _build_into(slot: BuildSlot, settings: Settings, watch: Stopwatch, work: Path) -> BuildResult:
    """The build itself, into a slot that the caller aborts on any error."""
    data_dir, vocab_dir, ontology, _ = paths(settings)
    with watch.stage("read and map records"):
        batch = read_and_map(data_dir, vocab_dir, settings.base_iri, ontology, work)
        # The example queries as data: a graph of the store like the ontology's, so also in the
        # dumps and the LDES stream (which replays to exactly the dump).
        examples = examples_graph(settings.queries_dir, settings.base_iri)
        batch.extra.append(examples)
        batch.graphs.append(examples)
    inputs = ArtefactInputs(settings, slot.build_id, batch.graphs, slot)
    manifest: dict[str, Any] = {}
    done: set[str] = set()
    report = _load_beside_the_gate(slot, settings, batch, watch, inputs, manifest, done)
    (slot.artefacts_dir / VALIDATION_REPORT).write_text(report.to_turtle(), encoding="utf-8")
    run_ready_steps(ARTEFACT_STEPS, inputs, EVERYTHING, done, watch, manifest)
    triples = len(slot)
    if settings.is_remote:
        with watch.stage("load remote store"):
            publish(settings, slot, triples)
    with watch.stage("switch"):
        slot.commit({
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "triples": triples,
            "graphs": len(batch.graphs),
            "timings": {k: round(v, 3) for k, v in watch.timings.items()},
            "extra": manifest,
        })
    return BuildResult(slot.build_id, triples, len(batch.graphs), report, watch.timings, slot.final)


def _load_beside_the_gate(slot: BuildSlot, settings: Settings, batch: Batch, watch: Stopwatch,
                          inputs: ArtefactInputs, manifest: dict[str, Any], done: set[str]) -> ValidationReport:
    """The SHACL gate (and the triple dumps, with the compiled engine) while this process
    loads the new store and writes the N-Quads dump; a Violation stops the build here,
    before anything goes live."""
    dumps = slot.artefacts_dir / DUMPS
    gate = start_gate(settings.validator, batch, settings.shapes_dir, settings.base_iri, dumps)
    try:
        with watch.stage(gate.load_stage):
            for path in batch.nquads:
                slot.load_file(path, ox.RdfFormat.N_QUADS, trusted=True)
            slot.load(validation_quads(batch.extra))
            # The rest of the ontology too (the gate does not see it; the slot is dropped if it fails).
            slot.load(validation_quads(batch.extra, ontology=True))
        with watch.stage("N-Quads dump"):
            write_nquads_dump(batch, dumps / NQUADS_DUMP.file)
        if gate.in_child:  # this core would only wait for the child: run the steps that need no gate
            run_ready_steps(ARTEFACT_STEPS, inputs, frozenset(), done, watch, manifest, " (beside the SHACL gate)")
        with watch.stage(gate.outcome_stage):
            outcome = gate.outcome()
    finally:
        gate.close()
    for name, seconds in outcome.child_timings.items():  # the child's own stages, reported like the others
        watch.record(f"child: {name}", seconds)
    inputs.void_statistics = outcome.void_statistics
    stop_on_violation(outcome.report, slot.root)
    return outcome.report

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

When a previous build exists and only record files changed, the build is incremental
(:mod:`kg.build.incremental`): the previous store plus the change, the gate on what the
change can affect, then the same artefact steps and the same switch (:func:`_finish`).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pyoxigraph as ox

from kg.artefacts.catalog import CATALOG_STEP
from kg.artefacts.document_pages import DOCUMENTS_STEP
from kg.artefacts.document_table import STALE_FILE, TABLE_FILE
from kg.artefacts.dumps import DUMPS_STEP, NQUADS_DUMP
from kg.artefacts.examples_graph import examples_graph
from kg.artefacts.layout import CATALOG, DUMPS, QUALITY, VALIDATION_REPORT, VOID, VOID_GRAPH
from kg.artefacts.quality import QUALITY_STEP
from kg.artefacts.step import EVERYTHING, ArtefactInputs, BuildChange
from kg.artefacts.void import VOID_STEP
from kg.build.artefact_steps import ARTEFACT_STEPS, run_ready_steps
from kg.build.build_state import save_state
from kg.build.incremental import Plan, Prepared, plan_build, prepare_incremental
from kg.build.parallel import read_and_map, reference_ntriples
from kg.build.record_chunks import Batch, clear_chunk_cache, graph_runs, write_nquads_dump, write_nquads_of
from kg.build.shacl_child import dumps_from_nquads
from kg.build.shacl_gate import GateOutcome, start_gate, stop_on_violation
from kg.build.stopwatch import Progress, Stopwatch, cpu_seconds, quiet
from kg.errors import StoreError
from kg.rdf.mapping import map_corpus
from kg.records.corpus import load_corpus
from kg.settings import Settings
from kg.shacl.compiled import RawResult
from kg.shacl.gate import ValidationReport, validate, validation_quads
from kg.store.build_slot import BuildSlot, build_lock, new_build_id
from kg.store.folders import ARTEFACTS, BUILD_INFO, INCREMENTAL, TEMPORARY, build_root, link_or_copy
from kg.store.graph_store import CHANGE_KEY, MAX_TOUCHED, BuildInfo
from kg.store.remote_publish import publish
from kg.store.synthetic_marker import guard_build

__all__ = ["ARTEFACT_STEPS", "VALIDATION_REPORT", "BuildResult", "build", "check", "paths"]

#: From this many quads in the previous build an incremental build defers the whole-graph
#: dumps to a second build (see :func:`_build_incrementally`): at 10 000 practices (290 000
#: quads) the triple dumps alone take longer than the rest of the change; a test may set it.
DEFER_DUMPS_FROM = 100_000

#: The steps that measure the whole graph and follow the change in the second build of a
#: deferred incremental build (the first keeps the previous build's files: hard links), and
#: the names of their files among the artefacts. The quality measurements are whole-graph
#: SPARQL aggregates (2.5 s at 10 000 practices, linear in the graph), like the VoID statistics.
_FOLLOWERS = (DUMPS_STEP, VOID_STEP, QUALITY_STEP)
_FOLLOWING = (f"{VOID}.", f"{QUALITY}.")



@dataclass
class BuildResult:
    """What a build that went live made (for the CLI's summary and the tests)."""

    build_id: str
    triples: int
    graphs: int
    report: ValidationReport
    timings: dict[str, float]
    folder: Path
    #: "full" or "incremental", and why (what the CLI prints).
    mode: str = "full"
    why: str = ""


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


def build(settings: Settings, progress: Progress = quiet, full: bool = False,
          attribution: Mapping[str, str] | None = None) -> BuildResult:
    """Build a new store and make it live, or change nothing: incremental on the live build
    when nothing but record files changed (:mod:`kg.build.incremental`), else, or with
    ``full``, from all records. ``progress`` is told which, and why. ``attribution`` (entity
    IRI → agent IRI, from a curator's publication) goes onto the LDES members of those entities."""
    root = build_root(settings)
    guard_build(settings.data_dir, settings.base_iri, None if settings.is_remote else root)
    watch = Stopwatch(progress)
    with build_lock(root):
        started, cpu = time.perf_counter(), cpu_seconds()
        plan = plan_build(settings, root, full)
        # In BUILD.json, not in the output: the build's first line says full or incremental, and why.
        watch.record("plan: full or incremental (fingerprint, previous state)", time.perf_counter() - started,
                     cpu_seconds() - cpu, announce=False)
        slot = _open_slot(root, settings, plan)
        if slot is None:
            plan = plan.fall_back(f"the store of the previous build {plan.previous} cannot be copied")
            slot = _open_slot(root, settings, plan)
            assert slot is not None
        progress(plan.message)
        # The chunk files; named .tmp-* so that a build lock clears them after a crash.
        work = slot.builds / f"{TEMPORARY}{slot.build_id}-chunks"
        try:
            if plan.full:
                return _build_into(slot, settings, watch, work, plan, attribution or {})
            return _build_incrementally(slot, settings, watch, work, plan, attribution or {})
        except BaseException:
            slot.abort()
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
            clear_chunk_cache()


def _open_slot(root: Path, settings: Settings, plan: Plan) -> BuildSlot | None:
    """The new build's slot; for an incremental build its store is a checkpoint of the
    previous one (None when that store cannot be copied: the caller builds in full)."""
    try:
        return BuildSlot(root, new_build_id(), keep=settings.keep_builds, start_from=None if plan.full else plan.previous)
    except StoreError:
        if plan.full:
            raise
        return None


def _build_into(slot: BuildSlot, settings: Settings, watch: Stopwatch, work: Path, plan: Plan,
                attribution: Mapping[str, str]) -> BuildResult:
    """The full build, into a slot that the caller aborts on any error."""
    data_dir, vocab_dir, ontology, _ = paths(settings)
    with watch.stage("read and map records"):
        batch = read_and_map(data_dir, vocab_dir, settings.base_iri, ontology, work)
        # The example queries as data: a graph of the store like the ontology's, so also in the
        # dumps and the LDES stream (which replays to exactly the dump).
        examples = examples_graph(settings.queries_dir, settings.base_iri)
        batch.extra.append(examples)
        batch.graphs.append(examples)
    inputs = ArtefactInputs(settings, slot.build_id, batch.graphs, slot, attribution=attribution)
    manifest: dict[str, Any] = {}
    done: set[str] = set()
    outcome = _load_beside_the_gate(slot, settings, batch, watch, inputs, manifest, done)
    return _finish(slot, settings, watch, inputs, outcome.report, outcome.raw, manifest, done, plan)


def _build_incrementally(slot: BuildSlot, settings: Settings, watch: Stopwatch, work: Path, plan: Plan,
                         attribution: Mapping[str, str]) -> BuildResult:
    """The incremental build (:mod:`kg.build.incremental`), into a slot the caller aborts on any error.

    From :data:`DEFER_DUMPS_FROM` quads on, the whole-graph dumps follow the change instead of
    holding it back: the change goes live with the previous build's dumps, VoID and quality
    measurements (hard links: their checksums match their files, and the catalogue lists
    those), and a second build, made at once from the first, brings the dumps, VoID, quality
    measurements and catalogue up to date
    (:func:`_dumps_after`)."""
    _, vocab_dir, ontology, _ = paths(settings)
    prepared = prepare_incremental(slot, settings, watch, work, plan, vocab_dir, ontology)
    assert plan.previous is not None
    touched = prepared.touched if len(prepared.touched) <= MAX_TOUCHED else None
    deferred = BuildInfo.read(plan.previous).triples >= DEFER_DUMPS_FROM
    change = BuildChange(tuple(prepared.subjects), tuple(touched) if touched is not None else None, not deferred,
                         tuple(prepared.made), tuple(prepared.gone))
    inputs = ArtefactInputs(settings, slot.build_id, prepared.graphs, slot, attribution=attribution, change=change)
    # What changed, for the web tier's per-build indexes (kg.store.graph_store.CHANGE_KEY).
    manifest: dict[str, Any] = {CHANGE_KEY: {
        "summary": prepared.summary, "based_on": plan.previous.name, "touched": touched,
    }}
    if not deferred:
        _write_dumps(slot, settings, watch, inputs, prepared)
        return _finish(slot, settings, watch, inputs, prepared.report, prepared.raw, manifest, set(), plan)
    with watch.stage("previous dumps, VoID and quality measurements kept until the new ones are written"):
        _link_tree(plan.previous / ARTEFACTS / DUMPS, slot.artefacts_dir / DUMPS)
        for path in (plan.previous / ARTEFACTS).iterdir():
            if path.name.startswith(_FOLLOWING):
                _link_tree(path, slot.artefacts_dir / path.name)
    live = _finish(slot, settings, watch, inputs, prepared.report, prepared.raw, manifest, {s.key for s in _FOLLOWERS}, plan)
    return _dumps_after(live, settings, watch, prepared, plan)


def _dumps_after(live: BuildResult, settings: Settings, watch: Stopwatch, prepared: Prepared, plan: Plan) -> BuildResult:
    """The second build of a deferred incremental build: the first one's store and artefacts
    (hard links), with new dumps, VoID and catalogue."""
    slot = BuildSlot(live.folder.parent.parent, new_build_id(), keep=settings.keep_builds, start_from=live.folder)
    try:
        for path in (live.folder / ARTEFACTS).iterdir():
            # Never a link to a file this build writes again: writing would change the live build's.
            if path.name not in (DUMPS, VALIDATION_REPORT, TABLE_FILE, STALE_FILE) \
                    and not path.name.startswith((*_FOLLOWING, f"{CATALOG}.")):
                _link_tree(path, slot.artefacts_dir / path.name)
        _link_tree(live.folder / INCREMENTAL, slot.folder / INCREMENTAL)
        # The documents: the first build's carried over again, now with the new VoID graph's
        # stale too; or, where the first build had none (too large a change), written anew.
        carried = (live.folder / ARTEFACTS / TABLE_FILE).is_file()
        inputs = ArtefactInputs(settings, slot.build_id, prepared.graphs, slot,
                                change=BuildChange((), () if carried else None))
        _write_dumps(slot, settings, watch, inputs, prepared)
        first = live.folder / BUILD_INFO
        earlier = {plan.previous.name: BuildInfo.read(live.folder).extra[CHANGE_KEY]["touched"]} if plan.previous else {}
        manifest: dict[str, Any] = {CHANGE_KEY: {"summary": f"dumps, VoID and catalogue of {first.parent.name}",
                                                 "based_on": live.build_id, "touched": [], "earlier": earlier}}
        done = {step.key for step in ARTEFACT_STEPS if step not in (*_FOLLOWERS, CATALOG_STEP, DOCUMENTS_STEP)}
        after = Plan(False, f"{plan.why}; the dumps followed in a second build", plan.fingerprint, live.folder)
        return _finish(slot, settings, watch, inputs, prepared.report, None, manifest, done, after, save=False)
    except BaseException:
        slot.abort()
        raise


def _write_dumps(slot: BuildSlot, settings: Settings, watch: Stopwatch, inputs: ArtefactInputs, prepared: Prepared) -> None:
    """The dumps of an incremental build, the same bytes as a full build's, and the VoID statistics."""
    dumps = slot.artefacts_dir / DUMPS
    records = prepared.graphs[:len(prepared.graphs) - len(prepared.extra)]
    with watch.stage("N-Quads dump"):
        write_nquads_of(records, prepared.extra, dumps / NQUADS_DUMP.file)
    with watch.stage("triple dumps and VoID statistics (the merged graph in a full build's order)"):
        extra_nt, ontology_nt = reference_ntriples(prepared.extra)
        inputs.void_statistics = dumps_from_nquads(graph_runs(records), extra_nt, ontology_nt, settings.base_iri, str(dumps))


def _link_tree(source: Path, target: Path) -> None:
    """Hard links of a file, or of every file under a folder (copies across file systems)."""
    if source.is_dir():
        shutil.copytree(source, target, copy_function=link_or_copy)
    else:
        link_or_copy(source, target)



def _finish(slot: BuildSlot, settings: Settings, watch: Stopwatch, inputs: ArtefactInputs, report: ValidationReport,
            raw: list[RawResult] | None, manifest: dict[str, Any], done: set[str], plan: Plan, save: bool = True) -> BuildResult:
    """What every build does once the gate has passed: the artefacts, the state for the next
    build (unless ``save`` is false: it is there already), the upload to a remote store, the switch."""
    (slot.artefacts_dir / VALIDATION_REPORT).write_text(report.to_turtle(), encoding="utf-8")
    inputs.report = report
    run_ready_steps(ARTEFACT_STEPS, inputs, EVERYTHING, done, watch, manifest)
    if save and raw is not None and not settings.is_remote:  # else no incremental build could use it
        with watch.stage("state for the next build"):
            save_state(slot.folder, slot.build_id, settings.data_dir, plan.fingerprint, inputs.graphs, raw,
                       plan.started_ns, plan.stats, plan.change)
    triples = slot.quad_count()
    if settings.is_remote:
        with watch.stage("load remote store"):
            publish(settings, slot, triples, beside_dump=[ox.NamedNode(settings.base_iri + VOID_GRAPH)])
    with watch.stage("switch"):
        slot.commit({
            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "triples": triples,
            "graphs": len(inputs.graphs),
            "mode": "full" if plan.full else "incremental",
            "why": plan.why,
            "timings": {k: round(v, 3) for k, v in watch.timings.items()},
            "cpu": {k: round(v, 3) for k, v in watch.cpu.items()},
            # CPU seconds of this process from its start (imports included) to this switch: what a
            # change cost before it went live (benchmarks/incremental.py reports it).
            "process_cpu": round(time.process_time(), 3),
            "extra": manifest,
        })
    return BuildResult(slot.build_id, triples, len(inputs.graphs), report, watch.timings, slot.final,
                       "full" if plan.full else "incremental", plan.why)


def _load_beside_the_gate(slot: BuildSlot, settings: Settings, batch: Batch, watch: Stopwatch,
                          inputs: ArtefactInputs, manifest: dict[str, Any], done: set[str]) -> GateOutcome:
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
        watch.record(f"child: {name}", seconds, outcome.child_cpu.get(name))
    inputs.void_statistics = outcome.void_statistics
    inputs.quality_answers = outcome.quality_answers
    stop_on_violation(outcome.report, slot.root)
    return outcome

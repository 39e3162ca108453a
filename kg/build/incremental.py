"""The incremental build: the live build plus what changed, never a mix of the two.

When a previous build exists, ``kg build`` decides first (:func:`plan_build`) whether it may
build on it: only when everything besides the record files is what that build used (the
fingerprint of :mod:`kg.build.fingerprint`: shapes, ontology and vocabularies, reference data,
settings, code), the store is embedded, the gate is the compiled engine, and the previous
build kept a readable state (:mod:`kg.build.build_state`). Any doubt is a full build, and the
plan says why. ``kg build --full`` always builds everything.

An incremental build then (:func:`prepare_incremental`):

1. compares every record file with the previous build: its content hash, taken again only when
   the file's stat is not the one kept with the hash (:mod:`kg.build.build_state`): changed,
   added, removed (a renamed file is one removed and one added); records that refer to a removed
   record are read again, so that their reference check fails exactly as in a full build;
2. reads, checks and maps only those records (the checks of a full build, against the ids of
   every record file and the reference data);
3. starts the new store as a checkpoint of the previous build's (hard links, no copy: the slot
   of :class:`kg.store.build_slot.BuildSlot`), drops the stale graphs and loads the new ones;
4. validates the focus nodes the change can affect (:mod:`kg.build.affected`) against the whole
   new graph and keeps the previous results of every other node: the same report as a full
   validation, and a Violation stops the build before anything goes live;

and the build goes on exactly as a full one: the artefact steps, the state for the next
build, the atomic switch. The N-Quads dump is written with the bytes of the chunk files, so
it is byte-identical to a full build's.
"""

from __future__ import annotations

import bisect
import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.examples_graph import examples_graph
from kg.artefacts.layout import VOID_GRAPH
from kg.build.affected import Footprint, affected_focus, footprint
from kg.build.build_state import CHUNKS, BuildState, DamagedState, FileStat, RecordEntry, StateChange, file_stat, load_state
from kg.build.fingerprint import PART_NAMES, SERVED_ONLY, changed_parts, fingerprint
from kg.build.record_chunks import RecordFile, StoredGraph, content_hash, map_chunk, record_files, start_worker, stored_graphs
from kg.build.shacl_gate import stop_on_violation
from kg.build.stopwatch import Stopwatch
from kg.errors import Problem, SourceError
from kg.rdf.iris import Iris
from kg.rdf.mapping import RecordGraph, map_corpus
from kg.records.corpus import read_reference
from kg.records.format import KINDS
from kg.settings import Settings
from kg.shacl.compiled import RawResult, Shapes, compile_shapes, run_checks
from kg.shacl.compiled.focus import focus_restricted, restriction_refused
from kg.shacl.gate import ValidationReport, report_from_raw
from kg.store.build_slot import BuildSlot
from kg.store.folders import CURRENT, INCREMENTAL

__all__ = ["Changes", "Plan", "Prepared", "find_changes", "plan_build", "prepare_incremental"]


@dataclass
class Plan:
    """Full or incremental, and why."""

    full: bool
    why: str
    fingerprint: dict[str, str]
    previous: Path | None = None
    state: BuildState | None = None
    #: When the build started (before any record file was read): what a file's stat is
    #: compared with before the state keeps it (:func:`kg.build.build_state.settled`).
    started_ns: int = field(default_factory=time.time_ns)
    #: The record files' stats taken by an incremental build before hashing (by relative name).
    stats: dict[str, FileStat | None] | None = None
    #: What an incremental build changed of the previous build's records (for its journal).
    change: StateChange | None = None

    @property
    def message(self) -> str:
        """What the build tells the curator as it starts (a progress message that ends in "…",
        shown on a terminal; the summary of a finished build says it again)."""
        if self.full:
            return f"Full build: {self.why} …"
        assert self.previous is not None
        return f"Incremental build on {self.previous.name}: {self.why} …"

    def fall_back(self, why: str) -> Plan:
        return Plan(True, why, self.fingerprint, started_ns=self.started_ns)


def plan_build(settings: Settings, root: Path, full: bool) -> Plan:
    """Decide between a full and an incremental build (see the module docstring)."""
    prints = fingerprint(settings)
    current = root / CURRENT
    why = _refusal(settings, full, current.exists())
    if why is not None:
        return Plan(True, why, prints)
    previous = current.resolve()
    try:
        state = load_state(previous)
    except DamagedState as exc:
        return Plan(True, f"the previous build {previous.name} cannot be reused ({exc})", prints)
    if state is None:
        return Plan(True, f"the previous build {previous.name} kept no state for an incremental build", prints)
    if state.raw is None:
        return Plan(True, f"the previous build {previous.name} kept no SHACL results", prints)
    changed = [part for part in changed_parts(state.fingerprint, prints) if part not in SERVED_ONLY]
    if changed:
        return Plan(True, "; ".join(PART_NAMES.get(part, part) for part in changed), prints)
    refused = restriction_refused(Shapes.load(settings.shapes_dir, settings.base_iri))
    if refused is not None:
        return Plan(True, refused, prints)
    return Plan(False, "only the records whose files changed are read again", prints, previous, state)


def _refusal(settings: Settings, full: bool, has_previous: bool) -> str | None:
    if full:
        return "--full was asked for"
    if settings.is_remote:
        return "the store is a SPARQL server (KG_STORE); incremental builds are for the embedded store"
    if settings.validator != "sparql":
        return "KG_VALIDATOR=pyshacl validates the whole graph only"
    if not has_previous:
        return "there is no previous build"
    return None


@dataclass
class Changes:
    """The record files now, compared with the previous build's."""

    files: list[RecordFile]
    changed: list[RecordFile] = field(default_factory=list)
    #: The rows of the previous build's records that are kept, in build order (kind, then id).
    kept: list[int] = field(default_factory=list)
    removed: list[RecordEntry] = field(default_factory=list)
    #: Kept records whose files were hashed again (their stat had changed).
    rehashed: list[RecordEntry] = field(default_factory=list)
    #: Every record file's stat, taken before it was hashed (by name relative to the data folder).
    stats: dict[str, FileStat | None] = field(default_factory=dict)
    #: How many files were hashed (the others' stats matched the previous build's).
    hashed: int = 0


def find_changes(data_dir: Path, state: BuildState, problems: list[Problem]) -> Changes:
    """Compare the record files with the previous build's: a file whose stat is the one kept
    with its hash is unchanged (:mod:`kg.build.build_state`), every other file is hashed."""
    files = record_files(data_dir, problems)
    prefix = len(str(data_dir).rstrip(os.sep)) + 1
    changes = Changes(files)
    table = state.records
    rows, kept_stats, kept_hashes = table.rows, table.stats, table.hashes
    found: list[int | None] = []  # per file: its row in the previous build's table, or None
    hashes: dict[int, str] = {}
    todo: list[int] = []
    for index, (_, _, path) in enumerate(files):
        key = path[prefix:]
        stat = changes.stats[key] = file_stat(path)
        row = rows.get(key)
        found.append(row)
        if row is None or kept_stats[row] is None or kept_stats[row] != stat:
            todo.append(index)
    with ThreadPoolExecutor(4) as pool:  # reading files releases the GIL
        hashes.update(zip(todo, pool.map(content_hash, [files[i][2] for i in todo], chunksize=64), strict=True))
    changed = set(todo)
    for index, row in enumerate(found):
        if row is None:
            changes.changed.append(files[index])
        elif index not in changed:
            changes.kept.append(row)
        elif kept_hashes[row] == hashes[index]:
            changes.kept.append(row)
            changes.rehashed.append(table.entry(row))
        else:
            changes.changed.append(files[index])
    if len(rows) > len(found) - found.count(None):  # some record of the previous build has no file now
        seen = set(changes.stats)
        changes.removed = [entry for entry in table.entries() if entry.file not in seen]
    changes.hashed = len(todo)
    return changes


@dataclass
class Prepared:
    """What an incremental build made before the artefact steps."""

    graphs: list[RecordGraph]
    extra: list[RecordGraph]
    report: ValidationReport
    raw: list[RawResult]
    summary: str
    #: The IRIs the change touched: every subject of the old and new versions of the changed
    #: records and every IRI they point at (the web tier updates its indexes for these only).
    touched: list[str]
    #: The subjects of the old and new versions of the changed records (a part of ``touched``).
    subjects: list[str]
    #: The graphs made anew (the changed records', then the reference graphs), in build order.
    made: list[RecordGraph]
    #: The names of the previous build's record graphs not kept (changed, read again or gone).
    gone: list[str]


def prepare_incremental(slot: BuildSlot, settings: Settings, watch: Stopwatch, work: Path, plan: Plan,
                        vocab_dir: Path, ontology: Path) -> Prepared:
    """Steps 1–4 of the module docstring, into ``slot`` (whose store is the previous build's copy)."""
    assert plan.state is not None and plan.previous is not None and plan.state.raw is not None
    iris = Iris(settings.base_iri)
    problems: list[Problem] = []
    with watch.stage("find changed records (stat, content hashes of the files whose stat changed)"):
        changes = find_changes(settings.data_dir, plan.state, problems)
        plan.stats = changes.stats
        _read_referrers_again(slot.store, iris, plan.state, changes, settings.data_dir)
    with watch.stage("read and map changed records"):
        new_graphs, extra = _map_changed(settings, changes, problems, iris, work, vocab_dir, ontology)
    with watch.stage("store: the previous build's plus the change"):
        stale = [iris.graph(e.kind, e.id) for e in _stale(settings.data_dir, plan.state, changes)]
        made: list[RecordGraph] = [*new_graphs, *extra]
        old = footprint(slot.store, stale)
        slot.remove_graphs(stale)
        new = Footprint()
        for graph in new_graphs:
            new.add(graph.quads)
        if new_graphs:
            slot.load_file(new_graphs[0].span[0], ox.RdfFormat.N_QUADS, trusted=True)
    graphs = _graph_list(plan.previous, settings.data_dir, iris, plan.state, changes.kept, new_graphs) + extra
    plan.change = StateChange(plan.state, plan.previous, new_graphs, [e.file for e in changes.removed], changes.rehashed)
    with watch.stage("SHACL gate on the changed records and what depends on them"):
        shapes = Shapes.load(settings.shapes_dir, settings.base_iri)
        outside = {iris.ontology_graph(), ox.NamedNode(settings.base_iri + VOID_GRAPH)}
        focus = affected_focus(slot.store, old, new, outside)
        fresh = run_checks(slot.store, focus_restricted(compile_shapes(shapes, slot.store), focus)) if focus else []
        raw = [r for r in plan.state.raw if r.focus not in focus] + fresh
        report = report_from_raw(raw, shapes, graphs)
    stop_on_violation(report, slot.root)
    summary = (f"{len(changes.changed)} changed or added, {len(changes.removed)} removed, "
               f"{changes.hashed} files hashed, {len(focus)} focus nodes validated again")
    touched = sorted(n.value for n in old.subjects | new.subjects | old.objects | new.objects)
    subjects = sorted(n.value for n in old.subjects | new.subjects)
    return Prepared(graphs, extra, report, raw, summary, touched, subjects, made, [g.value for g in stale])


def _read_referrers_again(store: ox.Store, iris: Iris, state: BuildState, changes: Changes, data_dir: Path) -> None:
    """Records that point at a removed record are read again (their reference check must fail
    as in a full build): moved from ``kept`` to ``changed``."""
    if not changes.removed:
        return
    prefix = f"{iris.base}/graph/"  # graph names are {base}/graph/{kind}/{id} (kg.rdf.iris)
    paths = {(kind, rid): path for kind, rid, path in changes.files}
    start = len(str(data_dir).rstrip(os.sep)) + 1
    again: set[int] = set()
    for removed in changes.removed:
        for quad in store.quads_for_pattern(None, None, iris.entity(removed.kind, removed.id), None):
            name = quad.graph_name
            if not isinstance(name, ox.NamedNode) or not name.value.startswith(prefix):
                continue
            kind, _, rid = name.value[len(prefix):].partition("/")
            path = paths.get((kind, rid))
            row = state.records.rows.get(path[start:]) if path is not None else None
            if row is not None:
                again.add(row)
    kept = set(changes.kept)
    again &= kept
    if again:
        changes.kept = [row for row in changes.kept if row not in again]
        changes.rehashed = [e for e in changes.rehashed if state.records.rows.get(e.file) not in again]
        entries = [state.records.entry(row) for row in again]
        changes.changed += [(e.kind, e.id, paths[(e.kind, e.id)]) for e in entries]


def _stale(data_dir: Path, state: BuildState, changes: Changes) -> list[RecordEntry]:
    """The previous build's records that this build does not keep: those whose files changed
    (or were read again) and those whose files went."""
    start = len(str(data_dir).rstrip(os.sep)) + 1
    found = (state.records.get(path[start:]) for _, _, path in changes.changed)
    return [e for e in found if e is not None] + changes.removed


def _map_changed(settings: Settings, changes: Changes, problems: list[Problem], iris: Iris, work: Path,
                 vocab_dir: Path, ontology: Path) -> tuple[list[StoredGraph], list[RecordGraph]]:
    """Check and map the changed records (one chunk in ``work``) and the reference graphs."""
    reference, found = read_reference(settings.data_dir, vocab_dir)
    problems += found
    known = frozenset({(kind, rid) for kind, rid, _ in changes.files} | set(reference.records))
    start_worker(known, reference.concepts, settings.base_iri)
    work.mkdir(parents=True, exist_ok=True)
    order = sorted(changes.changed, key=lambda f: (KINDS.index(f[0]), f[1]))
    result = map_chunk((0, [(kind, path) for kind, _, path in order], str(work)))
    graphs, _, _, found, _ = stored_graphs([result], settings.base_iri, work)
    problems += found
    if problems:
        raise SourceError(sorted(problems, key=lambda p: (str(p.file), p.line)))
    # The examples graph last, as in a full build (kg.build.pipeline), so the dumps are the same.
    extra = map_corpus(reference, iris, ontology) + [examples_graph(settings.queries_dir, settings.base_iri)]
    return [g for g in graphs if isinstance(g, StoredGraph)], extra


def _graph_list(previous: Path, data_dir: Path, iris: Iris, state: BuildState, kept: Sequence[int],
                new: Sequence[StoredGraph]) -> list[RecordGraph]:
    """Every record graph of the new build, in the order of a full build (kind, then id).

    ``kept`` is in that order already (the order of the record files, :func:`find_changes`),
    and so is ``new``: the few new graphs are merged in rather than 120 000 graphs sorted."""
    kinds, ids, files, hashes, chunk_names, offsets, lengths, digests, subjects, _ = state.records.columns
    chunks = {name: previous / INCREMENTAL / CHUNKS / str(name) for name in {chunk_names[row] for row in kept}}
    folder = os.path.join(data_dir, "")
    graphs: list[RecordGraph] = [
        StoredGraph(kinds[row], ids[row], iris, chunks[chunk_names[row]], offsets[row], lengths[row],  # type: ignore[arg-type]
                    folder + files[row], digests[row], subjects[row], hashes[row])  # type: ignore[operator, arg-type]
        for row in kept
    ]
    for graph in new:
        at = bisect.bisect_left(graphs, (KINDS.index(graph.kind), graph.id), key=lambda g: (KINDS.index(g.kind), g.id))
        graphs.insert(at, graph)
    return graphs

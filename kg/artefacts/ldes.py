"""The Linked Data Event Stream: every build appends a version of each record that changed.

Members are *versions of named graphs*. Each named graph of the store (a source record,
a municipality, a concept scheme with its concepts, the ontology) is one entity; a build
computes a canonical SHA-256 of each graph's triples (:mod:`kg.artefacts.ldes_members`) and
compares it with the history of the previous live build. A graph that is new or whose digest
changed gets a member::

    <{base}/ldes/versie/praktijk/x/20261125T110431123456Z>
        a as:Update ;                                  # as:Create for a first version
        dct:isVersionOf <{base}/id/praktijk/x> ;
        prov:generatedAtTime "2026-11-25T11:04:31.123456Z"^^xsd:dateTime ;
        prov:wasAttributedTo <{base}/id/curator/3f9a…> .   # published from the workspace only
    <{base}/ldes/versie/praktijk/x/20261125T110431123456Z> { …every triple of the graph… }

and a graph that disappeared gets a tombstone (``a as:Delete``, ``dct:isVersionOf``,
``prov:generatedAtTime``, no named graph). An unchanged rebuild adds nothing. Replaying the
stream and keeping the latest version of each entity (dropping tombstoned ones) gives exactly
the triples of the dump.

Where the history lives
-----------------------
In the build's own artefacts (``artefacts/ldes/``, laid out as :mod:`kg.artefacts.ldes_history`
says), not in a shared folder: the new build starts from the previous live build's history,
adds its members and is switched live with everything else. A build that fails never touches
the live history; two builds cannot interleave (the build lock). Pages of the previous build
that are closed (every page but the last) are *hard links* to the previous build's files, so
carrying the history forward costs no space and almost no time, and pruning old builds loses
nothing. The pages themselves are written by :mod:`kg.artefacts.ldes_pages`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import chain
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.layout import LDES
from kg.artefacts.ldes_history import OPEN_BODY, PAGES, SHAPE, STATE, STREAM, Entry, History, page_path, read_history
from kg.artefacts.ldes_members import Member, build_time, digest, format_time, graph_digest, member_iri
from kg.artefacts.ldes_pages import PageWriter, stream_document, write_new
from kg.artefacts.step import ArtefactInputs, ArtefactStep, Need
from kg.rdf.mapping import RecordGraph
from kg.settings import PROJECT_ROOT
from kg.store.folders import ARTEFACTS, link_or_copy

__all__ = ["LDES_STEP", "write_ldes"]

SHAPE_SOURCE = PROJECT_ROOT / "metadata" / "ldes-member-shape.ttl"


def write_ldes(inputs: ArtefactInputs) -> dict[str, int]:
    """LDES: a version of each changed record, tombstones for removed ones."""
    settings = inputs.settings
    target = inputs.slot.artefacts_dir / LDES
    previous, history = _previous_history(inputs)
    history.page_size = settings.ldes_page_size

    moment = build_time(inputs.build_id, history.last_time)
    time_text = format_time(moment)
    stamp = moment.strftime("%Y%m%dT%H%M%S%fZ")
    change = inputs.change
    if previous is not None and change is not None and change.graphs is not None:
        # Every other graph is the previous build's, whose digest the history holds already.
        changes = _changes(change.graphs, history, settings.base_iri, time_text, stamp, inputs.attribution, change.gone)
    else:
        changes = _changes(inputs.graphs, history, settings.base_iri, time_text, stamp, inputs.attribution)
    first = next(changes, None)
    (target / PAGES).mkdir(parents=True)
    if previous is not None:
        _carry_forward(previous, target, history, rewrite_last=first is not None)
    writer = PageWriter(target, history)
    members: list[Member] = []
    first_page = writer.append(_kept(chain((first,), changes) if first is not None else (), members))
    writer.finish()
    _record(history, members, inputs.build_id, time_text, stamp, first_page)
    write_new(target / STREAM, stream_document(history).encode("utf-8"))
    shutil.copyfile(SHAPE_SOURCE, target / SHAPE)
    history.graphs.write(target)
    write_new(target / STATE, history.to_json().encode("utf-8"))
    inputs.ldes_history = history
    return {"added": len(members), "members": history.members, "pages": history.pages}


def _kept(changes: Iterable[Member], kept: list[Member]) -> Iterator[Member]:
    """``changes``, noting each in ``kept`` without its content: the page writer needs a
    member's quads only until its page is written, and holding all of them (every record's
    N-Quads in a first build, ~600 MB at 100 000 practices) made this step the largest
    part of the build's peak memory."""
    for member in changes:
        yield member
        kept.append(replace(member, quads=(), nquads=None))


def _previous_history(inputs: ArtefactInputs) -> tuple[Path | None, History]:
    """The previous live build's ``ldes/`` folder and history, or none and a new history."""
    previous_folder = inputs.slot.previous_folder()
    previous = previous_folder / ARTEFACTS / LDES if previous_folder is not None else None
    history = read_history(previous) if previous is not None and previous.is_dir() else None
    if history is None:
        return None, History(page_size=inputs.settings.ldes_page_size)
    return previous, history


def _record(history: History, members: Sequence[Member], build_id: str, time_text: str, stamp: str, first_page: int) -> None:
    """Note the new members in the history: the latest member per graph and the build log."""
    for member in members:
        history.graphs[member.graph] = Entry(member.entity, member.digest, member.iri, member.time)
    if not members:
        return
    history.members += len(members)
    history.first_time = history.first_time or time_text
    history.last_time = time_text
    counts = {kind: sum(1 for m in members if m.kind == kind) for kind in ("Create", "Update", "Delete")}
    history.builds.append({
        "build": build_id, "time": time_text, "stamp": stamp,
        "first_page": first_page, "last_page": history.pages, **{k.lower(): v for k, v in counts.items()},
    })


def _changes(graphs: Sequence[RecordGraph], history: History, base: str, time_text: str, stamp: str,
             attribution: Mapping[str, str], gone: Sequence[str] | None = None) -> Iterator[Member]:
    """Members for every graph that is new or changed, then tombstones for those that went.

    ``graphs`` are the build's ``RecordGraph``s (what was loaded into the store), in the
    build's deterministic order; should one graph name occur twice, its parts are merged.
    ``attribution`` (entity IRI → agent IRI) names who published a version, where a curator did.

    With ``gone`` (an incremental build) ``graphs`` are only those the build made anew and
    ``gone`` the names of the previous build's graphs it did not keep: only these are looked
    up in the history, and only those of ``gone`` not made anew can get a tombstone.
    """
    grouped: dict[str, list[RecordGraph]] = {}
    for graph in graphs:
        grouped.setdefault(graph.graph.value, []).append(graph)
    known = history.graphs.all() if gone is None else None  # a full build looks every graph up
    for name, parts in grouped.items():
        entity = parts[0].subject.value
        quads: list[ox.Quad] | None = None
        if len(parts) == 1:
            current = graph_digest(parts[0])
        else:
            quads = [q for part in parts for q in part.quads]
            current = digest(quads)
        previous = known.get(name) if known is not None else history.graphs.get(name)
        if previous is not None and previous.digest is not None and previous.entity == entity:
            if previous.digest == current:
                continue
            kind = "Update"
        else:
            kind = "Create"
        iri = member_iri(base, name, stamp)
        stored = getattr(parts[0], "nquads", None)  # a graph kept in the build's chunk files
        payload: bytes | None = stored() if quads is None and callable(stored) else None
        if payload is not None:
            # The worker's N-Quads with the record's graph name replaced by the member's:
            # every line ends in " <graph> .\n" (a newline inside a literal is escaped).
            old, new = f" <{name}> .\n".encode(), f" <{iri}> .\n".encode()
            yield Member(iri, entity, name, time_text, kind, (), current, payload.replace(old, new), attribution.get(entity))
        else:
            content = tuple(quads) if quads is not None else tuple(parts[0].quads)
            yield Member(iri, entity, name, time_text, kind, content, current, agent=attribution.get(entity))
    candidates = set(known) if known is not None else set(gone or ())
    for name in sorted(candidates - set(grouped)):
        previous = known.get(name) if known is not None else history.graphs.get(name)
        if previous is None or previous.digest is None:
            continue  # already tombstoned
        yield Member(member_iri(base, name, stamp), previous.entity, name, time_text, "Delete", agent=attribution.get(previous.entity))


def _carry_forward(previous: Path, target: Path, history: History, rewrite_last: bool) -> None:
    """Bring the previous build's pages into the new build: hard links for closed pages
    (and for everything when nothing changes), a private copy of the open page's body."""
    for number in range(1, history.pages + 1):
        is_last = number == history.pages
        if is_last and rewrite_last:
            continue  # rewritten by the page writer from open.nq
        link_or_copy(page_path(previous, number), page_path(target, number))
    body = previous / OPEN_BODY
    if body.exists():
        if rewrite_last:
            shutil.copyfile(body, target / OPEN_BODY)
        else:
            link_or_copy(body, target / OPEN_BODY)



#: Needs only the graph list and the previous build: runs beside the SHACL gate.
LDES_STEP = ArtefactStep(
    "ldes", "LDES: a version of each changed record, tombstones for removed ones", write_ldes,
    needs=frozenset(), makes=frozenset({Need.LDES}),
)

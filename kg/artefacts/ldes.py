"""The Linked Data Event Stream: every build appends a version of each record that changed.

Members are *versions of named graphs*. Each named graph of the store (a source record,
a municipality, a concept scheme with its concepts, the ontology) is one entity; a build
computes a canonical SHA-256 of each graph's triples and compares it with the history of
the previous live build. A graph that is new or whose digest changed gets a member::

    <{base}/ldes/versie/praktijk/x/20261125T110431123456Z>
        a as:Update ;                                  # as:Create for a first version
        dct:isVersionOf <{base}/id/praktijk/x> ;
        prov:generatedAtTime "2026-11-25T11:04:31.123456Z"^^xsd:dateTime .
    <{base}/ldes/versie/praktijk/x/20261125T110431123456Z> { …every triple of the graph… }

and a graph that disappeared gets a tombstone (``a as:Delete``, ``dct:isVersionOf``,
``prov:generatedAtTime``, no named graph). An unchanged rebuild adds nothing. Replaying the
stream and keeping the latest version of each entity (dropping tombstoned ones) gives exactly
the triples of the dump.

Where the history lives
-----------------------
In the build's own artefacts (``artefacts/ldes/``), not in a shared folder: the new build
starts from the previous live build's history, adds its members and is switched live with
everything else. A build that fails never touches the live history; two builds cannot
interleave (the build lock). Pages of the previous build that are closed (every page but the
last) are *hard links* to the previous build's files, so carrying the history forward costs
no space and almost no time, and pruning old builds loses nothing::

    ldes/
      stream.trig          the ldes:EventStream (served at /ldes)
      shape.ttl            the member shape (tree:shape, served at /ldes/shape)
      pagina/{n}.trig      page n (served at /ldes/pagina/{n}); all but the last are immutable
      open.nq              members of the last page, to append to in the next build
      state.json           per graph: entity, digest, latest member, its time; the build log

Pages are static TriG files written by the build, so serving one is a file read. Navigation
IRIs in them (``</ldes>``, ``</ldes/pagina/2>``) are relative to the host, so a copy served
on ``localhost`` is navigable there; entity and member IRIs are absolute and canonical.
Pages hold at most ``KG_LDES_PAGE_SIZE`` members in order of time; page n links to page n+1
with a ``tree:GreaterThanOrEqualToRelation`` on ``prov:generatedAtTime``, whose value is the
time of the first member of page n+1. A page is closed (and never rewritten) once the next
page exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

import pyoxigraph as ox

from kg.artefacts.layout import serialize
from kg.errors import StoreError
from kg.namespaces import DCT, PREFIXES, PROV, RDF
from kg.settings import PROJECT_ROOT
from kg.terms import term_value

if TYPE_CHECKING:  # pragma: no cover
    from kg.build.pipeline import BuildContext

__all__ = [
    "AS",
    "History",
    "Member",
    "digest",
    "member_quads",
    "page_path",
    "parse_page",
    "read_history",
    "write_ldes",
]

AS = "https://www.w3.org/ns/activitystreams#"
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
SHAPE_SOURCE = PROJECT_ROOT / "metadata" / "ldes-member-shape.ttl"

STATE = "state.json"
STREAM = "stream.trig"
SHAPE = "shape.ttl"
PAGES = "pagina"
OPEN_BODY = "open.nq"
STATE_VERSION = 1

#: Public paths (host-relative) used inside the pages.
STREAM_PATH = "/ldes"
SHAPE_PATH = "/ldes/shape"


def page_url_path(number: int) -> str:
    """Host-relative path of page ``number``: ``/ldes/pagina/{n}``."""
    return f"{STREAM_PATH}/{PAGES}/{number}"


def page_path(ldes_dir: Path, number: int) -> Path:
    """File of page ``number`` in an ``ldes/`` folder."""
    return ldes_dir / PAGES / f"{number}.trig"


# --- the history --------------------------------------------------------------------


@dataclass
class Entry:
    """The latest member of one named graph."""

    entity: str
    digest: str | None  # None when the latest member is a tombstone
    member: str
    time: str


@dataclass
class History:
    """What the stream holds so far; ``state.json`` of an ``ldes/`` folder."""

    page_size: int
    pages: int = 0
    open_count: int = 0
    members: int = 0
    first_time: str | None = None
    last_time: str | None = None
    graphs: dict[str, Entry] = field(default_factory=dict)
    builds: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": STATE_VERSION,
                "page_size": self.page_size,
                "pages": self.pages,
                "open_count": self.open_count,
                "members": self.members,
                "first_time": self.first_time,
                "last_time": self.last_time,
                "graphs": {g: [e.entity, e.digest, e.member, e.time] for g, e in sorted(self.graphs.items())},
                "builds": self.builds,
            },
            indent=0,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> "History":
        data = json.loads(text)
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unknown state version {data.get('version')!r}")
        return cls(
            page_size=int(data["page_size"]),
            pages=int(data["pages"]),
            open_count=int(data["open_count"]),
            members=int(data["members"]),
            first_time=data["first_time"],
            last_time=data["last_time"],
            graphs={g: Entry(*row) for g, row in data["graphs"].items()},
            builds=list(data["builds"]),
        )


def read_history(ldes_dir: Path) -> History | None:
    """The history kept in an ``ldes/`` folder, None if it has none.

    Raises :class:`StoreError` when the folder exists but cannot be read: starting a new
    history silently would re-publish every record under new versions and break clients.
    """
    state = ldes_dir / STATE
    if not state.exists():
        return None
    try:
        return History.from_json(state.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"The LDES history in {ldes_dir} cannot be read ({exc}). Restore that build's "
            f"artefacts/ldes folder, or move it away to start a new event stream on purpose."
        ) from exc


# --- members --------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One member to add: a version of ``graph`` (with its quads) or a tombstone."""

    iri: str
    entity: str
    graph: str
    time: str
    kind: str  # "Create", "Update" or "Delete"
    quads: tuple[ox.Quad, ...] = ()
    digest: str | None = None  # of the graph's triples; None for a tombstone
    #: The content as N-Quads in the member's graph, when it was read as bytes (instead of ``quads``).
    nquads: bytes | None = None


def member_quads(member: Member) -> Iterator[ox.Quad]:
    """The quads of a member as published: its envelope in the default graph, its content
    (the record's triples) in a named graph named by the member IRI."""
    subject = ox.NamedNode(member.iri)
    default = ox.DefaultGraph()
    yield ox.Quad(subject, RDF.type, ox.NamedNode(AS + member.kind), default)
    yield ox.Quad(subject, DCT.isVersionOf, ox.NamedNode(member.entity), default)
    yield ox.Quad(subject, PROV.generatedAtTime, ox.Literal(member.time, datatype=XSD_DATETIME), default)
    for quad in member.quads:
        yield ox.Quad(quad.subject, quad.predicate, quad.object, subject)


def digest(quads: Iterable[ox.Quad]) -> str:
    """Canonical SHA-256 of a graph's triples: independent of order, duplicates and graph name.

    The graphs of this knowledge graph have no blank nodes (``kg.rdf.mapping`` guarantees it),
    so sorting the N-Triples lines is a canonical form; should a blank node ever appear, the
    graph is canonicalised with rdflib first so that relabelled blank nodes are no change.
    """
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    if any(isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode) for s, _, o in triples):
        return _digest_with_blank_nodes(triples)
    lines = sorted(f"{s} {p} {o} .\n" for s, p, o in triples)
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
    return h.hexdigest()


def digest_ntriples(ntriples: bytes, quads: Sequence[ox.Quad]) -> str:
    """:func:`digest` of a graph from its N-Triples bytes (pyoxigraph writes each triple as
    the line ``f"{s} {p} {o} .\\n"`` that :func:`digest` sorts, and UTF-8 bytes sort like the
    text): no Python object per triple. ``quads`` (the same graph) serve when a blank node
    may be present."""
    if b"_:" in ntriples:
        return digest(quads)
    h = hashlib.sha256()
    for line in sorted(set(ntriples.splitlines(keepends=True))):
        h.update(line)
    return h.hexdigest()


def graph_digest(graph: Any) -> str:
    """The digest of one ``RecordGraph``: precomputed by the mapping worker when it has one."""
    known = getattr(graph, "digest", None)
    return known if isinstance(known, str) else digest(graph.quads)


def _digest_with_blank_nodes(triples: set[tuple[Any, Any, Any]]) -> str:
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    canonical = to_canonical_graph(Graph().parse(data=text, format="nt"))
    lines = sorted(line for line in canonical.serialize(format="nt").splitlines() if line.strip())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _member_iri(base: str, graph: str, stamp: str) -> str:
    prefix = f"{base}/graph/"
    path = graph[len(prefix):] if graph.startswith(prefix) else "graaf/" + hashlib.sha1(graph.encode()).hexdigest()[:16]
    return f"{base}/ldes/versie/{path}/{stamp}"


def _build_time(build_id: str, after: str | None) -> datetime:
    """The time of this build's members: the build's start, never before the latest member
    (LDES: nothing is added with a timestamp earlier than the latest published one)."""
    try:
        moment = datetime.strptime(build_id, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        moment = datetime.now(timezone.utc)
    if after is not None:
        latest = _parse_time(after)
        if moment <= latest:
            moment = latest + timedelta(microseconds=1)
    return moment


def _format_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


def stamp_of(time_text: str) -> str:
    """Compact form of a member time used in member IRIs: ``20261125T110431123456Z``."""
    return _parse_time(time_text).strftime("%Y%m%dT%H%M%S%fZ")


# --- the build step -----------------------------------------------------------------


def write_ldes(ctx: "BuildContext") -> None:
    """LDES: a version of each changed record, tombstones for removed ones."""
    settings = ctx.settings
    target = ctx.slot.artefacts_dir / "ldes"
    previous_folder = ctx.slot.previous_folder()
    previous = previous_folder / "artefacts" / "ldes" if previous_folder is not None else None
    history = read_history(previous) if previous is not None and previous.is_dir() else None
    if history is None:
        history = History(page_size=settings.ldes_page_size)
        previous = None
    history.page_size = settings.ldes_page_size

    moment = _build_time(ctx.build_id, history.last_time)
    time_text = _format_time(moment)
    stamp = moment.strftime("%Y%m%dT%H%M%S%fZ")
    base = settings.base_iri

    members = list(_changes(ctx.graphs, history, base, time_text, stamp))
    (target / PAGES).mkdir(parents=True)
    if previous is not None:
        _carry_forward(previous, target, history, rewrite_last=bool(members))
    writer = _PageWriter(target, history)
    first_page = writer.append(members)
    writer.finish()

    for member in members:
        history.graphs[member.graph] = Entry(member.entity, member.digest, member.iri, member.time)
    if members:
        history.members += len(members)
        history.first_time = history.first_time or time_text
        history.last_time = time_text
        counts = {kind: sum(1 for m in members if m.kind == kind) for kind in ("Create", "Update", "Delete")}
        history.builds.append({
            "build": ctx.build_id, "time": time_text, "stamp": stamp,
            "first_page": first_page, "last_page": history.pages, **{k.lower(): v for k, v in counts.items()},
        })
    _write_new(target / STREAM, _stream_document(history).encode("utf-8"))
    shutil.copyfile(SHAPE_SOURCE, target / SHAPE)
    _write_new(target / STATE, history.to_json().encode("utf-8"))
    ctx.extra["ldes"] = {"added": len(members), "members": history.members, "pages": history.pages}


def _changes(graphs: Sequence[Any], history: History, base: str, time_text: str, stamp: str) -> Iterator[Member]:
    """Members for every graph that is new or changed, then tombstones for those that went.

    ``graphs`` are the build's ``RecordGraph``s (what was loaded into the store), in the
    build's deterministic order; should one graph name occur twice, its parts are merged.
    """
    grouped: dict[str, list[Any]] = {}
    for graph in graphs:
        grouped.setdefault(graph.graph.value, []).append(graph)
    for name, parts in grouped.items():
        entity = parts[0].subject.value
        quads: list[ox.Quad] | None = None
        if len(parts) == 1:
            current = graph_digest(parts[0])
        else:
            quads = [q for part in parts for q in part.quads]
            current = digest(quads)
        previous = history.graphs.get(name)
        if previous is not None and previous.digest is not None and previous.entity == entity:
            if previous.digest == current:
                continue
            kind = "Update"
        else:
            kind = "Create"
        iri = _member_iri(base, name, stamp)
        payload = parts[0].nquads() if quads is None and hasattr(parts[0], "nquads") else None
        if payload is not None:
            # The worker's N-Quads with the record's graph name replaced by the member's:
            # every line ends in " <graph> .\n" (a newline inside a literal is escaped).
            old, new = f" <{name}> .\n".encode(), f" <{iri}> .\n".encode()
            yield Member(iri, entity, name, time_text, kind, (), current, payload.replace(old, new))
        else:
            content = tuple(quads) if quads is not None else tuple(parts[0].quads)
            yield Member(iri, entity, name, time_text, kind, content, current)
    for name in sorted(set(history.graphs) - set(grouped)):
        previous = history.graphs[name]
        if previous.digest is None:
            continue  # already tombstoned
        yield Member(_member_iri(base, name, stamp), previous.entity, name, time_text, "Delete")


def _carry_forward(previous: Path, target: Path, history: History, rewrite_last: bool) -> None:
    """Bring the previous build's pages into the new build: hard links for closed pages
    (and for everything when nothing changes), a private copy of the open page's body."""
    for number in range(1, history.pages + 1):
        is_last = number == history.pages
        if is_last and rewrite_last:
            continue  # rewritten by the page writer from open.nq
        _link(page_path(previous, number), page_path(target, number))
    body = previous / OPEN_BODY
    if body.exists():
        if rewrite_last:
            shutil.copyfile(body, target / OPEN_BODY)
        else:
            _link(body, target / OPEN_BODY)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: copy instead
        shutil.copyfile(source, target)


def _write_new(path: Path, data: bytes) -> None:
    """Write a file as a new inode, never through an existing hard link to an older build."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class _PageWriter:
    """Appends members to the last page, closing it and opening the next when it is full."""

    def __init__(self, folder: Path, history: History) -> None:
        self.folder = folder
        self.history = history
        # The page body as N-Quads bytes, one piece per member: serialized once, in Rust.
        self.body: list[bytes] = []
        self.page_members: list[str] = []
        self.dirty = False
        if history.pages and (folder / OPEN_BODY).exists():
            self.body = [(folder / OPEN_BODY).read_bytes()]
            self.page_members = _members_in(ox.parse(self.body[0], format=ox.RdfFormat.N_QUADS))

    def append(self, members: Sequence[Member]) -> int:
        """Add members in order; returns the number of the page the first one went to."""
        history = self.history
        first_page = history.pages or 1
        for index, member in enumerate(members):
            if history.pages == 0:
                history.pages, history.open_count = 1, 0
            elif history.open_count >= history.page_size:
                self._write_page(history.pages, next_time=member.time)
                history.pages += 1
                history.open_count = 0
                self.body, self.page_members = [], []
            if index == 0:
                first_page = history.pages
            self.body.append(_member_nquads(member))
            self.page_members.append(member.iri)
            history.open_count += 1
            self.dirty = True
        return first_page

    def finish(self) -> None:
        if not self.dirty:
            return
        self._write_page(self.history.pages, next_time=None)
        _write_new(self.folder / OPEN_BODY, b"".join(self.body))

    def _write_page(self, number: int, next_time: str | None) -> None:
        header = _page_header(number, self.page_members, next_time)
        quads = ox.parse(b"".join(self.body), format=ox.RdfFormat.N_QUADS)
        body = serialize(quads, ox.RdfFormat.TRIG, _PAGE_PREFIXES)
        _write_new(page_path(self.folder, number), header.encode("utf-8") + b"\n" + body)


def _member_nquads(member: Member) -> bytes:
    """A member as N-Quads: what ``serialize(member_quads(member), N_QUADS)`` gives."""
    if member.nquads is None:
        return serialize(member_quads(member), ox.RdfFormat.N_QUADS)
    # The three envelope quads in the N-Quads form pyoxigraph writes (IRIs as they are, the
    # time a plain xsd:dateTime literal): a serializer call per member cost ~4 s at 100 000.
    subject = f"<{member.iri}> "
    envelope = (f"{subject}<{RDF.type.value}> <{AS}{member.kind}> .\n"
                f"{subject}<{DCT.isVersionOf.value}> <{member.entity}> .\n"
                f'{subject}<{PROV.generatedAtTime.value}> "{member.time}"^^<{XSD_DATETIME.value}> .\n')
    return envelope.encode("utf-8") + member.nquads


def _members_in(quads: Iterable[ox.Quad]) -> list[str]:
    """Member IRIs of a page body, in the order they were added."""
    order: list[str] = []
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph) and quad.predicate == DCT.isVersionOf:
            order.append(term_value(quad.subject))
    return order


_PAGE_PREFIXES = {k: PREFIXES[k] for k in ("dct", "prov", "xsd", "rdf", "rdfs", "skos", "schema", "org", "foaf", "circ")}
_HEADER_PREFIXES = (
    "@prefix ldes: <https://w3id.org/ldes#> .\n"
    "@prefix tree: <https://w3id.org/tree#> .\n"
    "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
    "@prefix dct: <http://purl.org/dc/terms/> .\n"
    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    f"@prefix as: <{AS}> .\n"
)


def _stream_context() -> str:
    """The description of the event stream repeated on every page (LDES: in the root node)."""
    return (
        f"<{STREAM_PATH}> a ldes:EventStream ;\n"
        "    ldes:timestampPath prov:generatedAtTime ;\n"
        "    ldes:versionOfPath dct:isVersionOf ;\n"
        "    ldes:versionCreatePath rdf:type ; ldes:versionCreateObject as:Create ;\n"
        "    ldes:versionUpdatePath rdf:type ; ldes:versionUpdateObject as:Update ;\n"
        "    ldes:versionDeletePath rdf:type ; ldes:versionDeleteObject as:Delete ;\n"
        f"    tree:shape <{SHAPE_PATH}> ;\n"
        f"    tree:view <{page_url_path(1)}>"
    )


def _page_header(number: int, members: Sequence[str], next_time: str | None) -> str:
    lines = [_HEADER_PREFIXES, _stream_context()]
    if members:
        lines.append(" ;\n    tree:member " + ",\n        ".join(f"<{m}>" for m in members))
    lines.append(" .\n\n")
    lines.append(f"<{page_url_path(number)}> a tree:Node")
    if number == 1:
        lines.append(" ;\n    tree:viewDescription <{0}#beschrijving>".format(STREAM_PATH))
    if next_time is not None:
        lines.append(
            " ;\n    tree:relation [\n"
            "        a tree:GreaterThanOrEqualToRelation ;\n"
            "        tree:path prov:generatedAtTime ;\n"
            f"        tree:node <{page_url_path(number + 1)}> ;\n"
            f'        tree:value "{next_time}"^^xsd:dateTime\n'
            "    ]"
        )
    lines.append(" .\n")
    if number == 1:
        lines.append(_view_description())
    return "".join(lines)


def _view_description() -> str:
    return (
        f"\n<{STREAM_PATH}#beschrijving> a tree:ViewDescription ;\n"
        '    rdfs:comment "Alle versies blijven bewaard: er is geen retentiebeleid, dus elk lid dat ooit werd '
        'toegevoegd, is vanaf deze wortelknoop te vinden."@nl,\n'
        '        "Every version is kept: there is no retention policy, so every member ever added can be '
        'found from this root node."@en .\n'
    )


def _stream_document(history: History) -> str:
    """``/ldes``: the event stream, its context, and the root node of its one view."""
    return "".join([
        _HEADER_PREFIXES,
        _stream_context(),
        " ;\n",
        '    dct:title "Linked Data Event Stream van de kennisgraaf Lokaal Circulair"@nl,\n'
        '        "Linked Data Event Stream of the Lokaal Circulair knowledge graph"@en ;\n',
        '    dct:description "Elke versie van elk record (praktijken, organisaties, personen, gemeenten, '
        'arrondissementen, provincies, conceptschema\'s, programma\'s, financieringen, publicaties, '
        'indicatoren, bronnen), in volgorde van tijd; verwijderingen als tombstones."@nl,\n'
        '        "Every version of every record (practices, organisations, people, municipalities, '
        'arrondissements, provinces, concept schemes, programmes, grants, publications, indicators, '
        'sources), in order of time; deletions as tombstones."@en ;\n',
        "    rdfs:seeAlso </catalog>, </.well-known/void> .\n",
        _view_description(),
        f"\n# {history.members} members on {history.pages} pages of at most {history.page_size}.\n",
    ])


# --- reading pages (for the web tier and for tests) --------------------------------------


def parse_page(path: Path, url: str) -> list[ox.Quad]:
    """The quads of a stored page or stream document, relative IRIs resolved against ``url``."""
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG, base_iri=url))
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"The LDES file {path} cannot be read: {exc}") from exc


def member_location(history: History, member_iri: str) -> range:
    """The pages on which a member IRI can be (from the build stamp at its end)."""
    stamp = member_iri.rsplit("/", 1)[-1]
    for entry in history.builds:
        if entry.get("stamp") == stamp:
            return range(int(entry["first_page"]), int(entry["last_page"]) + 1)
    return range(0)

"""LDES members: versions of named graphs, their IRIs, times and content digests.

A graph whose digest changed since the previous build gets a new member; the digest is a
canonical SHA-256 of the graph's triples, so an unchanged rebuild adds nothing. The mapping
workers compute it from the bytes they serialized (:func:`digest_ntriples`), in parallel.

>>> member_iri("https://x.be", "https://x.be/graph/praktijk/a", "20261125T110431123456Z")
'https://x.be/ldes/versie/praktijk/a/20261125T110431123456Z'
>>> stamp_of("2026-11-25T11:04:31.123456Z")
'20261125T110431123456Z'
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import pyoxigraph as ox

from kg.namespaces import DCT, PROV, RDF
from kg.rdf.mapping import RecordGraph

__all__ = [
    "AS", "XSD_DATETIME", "Member", "build_time", "digest", "digest_ntriples", "format_time", "graph_digest",
    "member_iri", "member_quads", "stamp_of",
]

AS = "https://www.w3.org/ns/activitystreams#"
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
_STAMP = "%Y%m%dT%H%M%S%fZ"
_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"


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
    #: Who this version is attributed to (``prov:wasAttributedTo``): a curator's pseudonymous IRI
    #: for a publication from the workspace; None for a build of files edited by hand.
    agent: str | None = None


def member_quads(member: Member) -> Iterator[ox.Quad]:
    """The quads of a member as published: its envelope in the default graph, its content
    (the record's triples) in a named graph named by the member IRI."""
    subject = ox.NamedNode(member.iri)
    default = ox.DefaultGraph()
    yield ox.Quad(subject, RDF.type, ox.NamedNode(AS + member.kind), default)
    yield ox.Quad(subject, DCT.isVersionOf, ox.NamedNode(member.entity), default)
    yield ox.Quad(subject, PROV.generatedAtTime, ox.Literal(member.time, datatype=XSD_DATETIME), default)
    if member.agent is not None:
        yield ox.Quad(subject, PROV.wasAttributedTo, ox.NamedNode(member.agent), default)
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


def graph_digest(graph: RecordGraph) -> str:
    """The digest of one ``RecordGraph``: precomputed by the mapping worker when it has one."""
    known = getattr(graph, "digest", None)
    return known if isinstance(known, str) else digest(graph.quads)


def _digest_with_blank_nodes(triples: set[tuple[Any, Any, Any]]) -> str:
    # Imported here, not at the top: rdflib costs the mapping worker processes (which import
    # this module for digest_ntriples) a second of start-up, and blank nodes never occur.
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    canonical = to_canonical_graph(Graph().parse(data=text, format="nt"))
    lines = sorted(line for line in canonical.serialize(format="nt").splitlines() if line.strip())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def member_iri(base: str, graph: str, stamp: str) -> str:
    """The IRI of the version of ``graph`` made by the build with this stamp."""
    prefix = f"{base}/graph/"
    path = graph[len(prefix):] if graph.startswith(prefix) else "graaf/" + hashlib.sha1(graph.encode()).hexdigest()[:16]
    return f"{base}/ldes/versie/{path}/{stamp}"


def build_time(build_id: str, after: str | None) -> datetime:
    """The time of this build's members: the build's start, never before the latest member
    (LDES: nothing is added with a timestamp earlier than the latest published one)."""
    try:
        moment = datetime.strptime(build_id, _STAMP).replace(tzinfo=timezone.utc)
    except ValueError:
        moment = datetime.now(timezone.utc)
    if after is not None:
        latest = _parse_time(after)
        if moment <= latest:
            moment = latest + timedelta(microseconds=1)
    return moment


def format_time(moment: datetime) -> str:
    """A member time as written in the stream: ``2026-11-25T11:04:31.123456Z``."""
    return moment.astimezone(timezone.utc).strftime(_TIME)


def _parse_time(text: str) -> datetime:
    return datetime.strptime(text, _TIME).replace(tzinfo=timezone.utc)


def stamp_of(time_text: str) -> str:
    """Compact form of a member time used in member IRIs: ``20261125T110431123456Z``."""
    return _parse_time(time_text).strftime(_STAMP)

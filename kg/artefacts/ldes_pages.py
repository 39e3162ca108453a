"""The TriG documents of the event stream: its pages and the stream document, as the build writes them.

Pages are static files, so serving one is a file read. Navigation IRIs in them (``</ldes>``,
``</ldes/pagina/2>``) are relative to the host, so a copy served on ``localhost`` is
navigable there; entity and member IRIs are absolute and canonical. Pages hold at most
``KG_LDES_PAGE_SIZE`` members in order of time; page n links to page n+1 with a
``tree:GreaterThanOrEqualToRelation`` on ``prov:generatedAtTime``, whose value is the time
of the first member of page n+1. A page is closed (and never rewritten) once the next page
exists.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.layout import serialize
from kg.artefacts.ldes_history import OPEN_BODY, SHAPE_PATH, STREAM_PATH, History, page_path, page_url_path
from kg.artefacts.ldes_members import AS, XSD_DATETIME, Member, member_quads
from kg.namespaces import DCT, PREFIXES, PROV, RDF
from kg.terms import term_value

__all__ = ["PageWriter", "stream_document", "write_new"]


def write_new(path: Path, data: bytes) -> None:
    """Write a file as a new inode, never through an existing hard link to an older build."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class PageWriter:
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
            self.page_members = _members_in(ox.parse(self.body[0], format=ox.RdfFormat.N_QUADS, lenient=True))

    def append(self, members: Iterable[Member]) -> int:
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
        write_new(self.folder / OPEN_BODY, b"".join(self.body))

    def _write_page(self, number: int, next_time: str | None) -> None:
        header = _page_header(number, self.page_members, next_time)
        # lenient: the body is pyoxigraph's own serialization of terms it had checked (the
        # workers' N-Quads) and envelopes written from those terms; checking every IRI again
        # was ~40 % of the LDES step at 100 000 practices. Same quads, same page bytes.
        quads = ox.parse(b"".join(self.body), format=ox.RdfFormat.N_QUADS, lenient=True)
        body = serialize(quads, ox.RdfFormat.TRIG, _PAGE_PREFIXES)
        write_new(page_path(self.folder, number), header.encode("utf-8") + b"\n" + body)


def _member_nquads(member: Member) -> bytes:
    """A member as N-Quads: what ``serialize(member_quads(member), N_QUADS)`` gives."""
    if member.nquads is None:
        return serialize(member_quads(member), ox.RdfFormat.N_QUADS)
    # The three envelope quads in the N-Quads form pyoxigraph writes (IRIs as they are, the
    # time a plain xsd:dateTime literal): a serializer call per member cost ~4 s at 100 000.
    subject = f"<{member.iri}> "
    envelope = (f"{subject}<{RDF.type.value}> <{AS}{member.kind}> .\n"
                f"{subject}<{DCT.isVersionOf.value}> <{member.entity}> .\n"
                f'{subject}<{PROV.generatedAtTime.value}> "{member.time}"^^<{XSD_DATETIME.value}> .\n'
                + (f"{subject}<{PROV.wasAttributedTo.value}> <{member.agent}> .\n" if member.agent else ""))
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


def stream_document(history: History) -> str:
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

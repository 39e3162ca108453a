"""The one way the web tier reads a build's artefacts: catalogue, VoID, dumps, LDES, sitemap.

The build writes the artefacts (:mod:`kg.artefacts.dumps`, ``catalog``, ``void``, ``ldes``,
``sitemap``); the web tier only reads them, through an :class:`ArtefactReader` on the live
build's ``artefacts/`` folder, and never imports the writers. Every path it hands out is
built from the fixed layout (:mod:`kg.artefacts.layout`) and checked names, never joined
from a request, so nothing can leave the folder. Paths are returned rather than bytes where
the web tier streams the file itself (ranges, ETags, conditional GET).

>>> reader = ArtefactReader(Path("artefacts"))
>>> reader.rdf_document("catalog", "ttl"), reader.ldes_page(2)
(PosixPath('artefacts/catalog.ttl'), PosixPath('artefacts/ldes/pagina/2.trig'))
>>> reader.dump_file("../BUILD.json") is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.artefacts.document_table import TABLE_FILE, DocumentTable
from kg.artefacts.layout import DUMPS, LDES, QUALITY, SITEMAP, VALIDATION_REPORT
from kg.artefacts.ldes_history import PAGES, SHAPE, STREAM, History, member_location, page_path, read_history
from kg.artefacts.release_layout import ReleaseManifest, read_manifest, release_file_names, valid_version, version_key
from kg.errors import StoreError
from kg.media import DUMP_FORMATS, Dump

__all__ = ["LDES_PAGES", "ArtefactReader", "DumpFile", "ReleaseShelf", "parse_ldes_document"]

#: The path segment of the LDES pages (``/ldes/pagina/{n}``).
LDES_PAGES = PAGES


@dataclass(frozen=True)
class DumpFile:
    """One dump of the build as it is on disk."""

    name: str
    path: Path
    size: int
    sha256: str
    dump: Dump


def parse_ldes_document(path: Path, url: str) -> list[ox.Quad]:
    """The quads of a stored LDES page or stream document, relative IRIs resolved against ``url``."""
    try:
        return list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG, base_iri=url))
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"The LDES file {path} cannot be read: {exc}") from exc


class ArtefactReader:
    """The artefacts of one build (its ``artefacts/`` folder), as the web tier reads them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    # --- the SHACL report ----------------------------------------------------------------

    def validation_counts(self, base_iri: str) -> dict[tuple[str, str], dict[str, int]]:
        """Results of the build's SHACL report per record (kind, id): how many of each
        severity (``Violation``, ``Warning``, ``Info``); a focus node ``…/id/praktijk/x#rol-2``
        counts for its record. Empty when the build kept no report."""
        path = self.folder / VALIDATION_REPORT
        if not path.is_file():
            return {}
        store = ox.Store()
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        counts: dict[tuple[str, str], dict[str, int]] = {}
        prefix = f"{base_iri}/id/"
        query = ("SELECT ?focus ?severity WHERE { ?r <http://www.w3.org/ns/shacl#focusNode> ?focus ; "
                 "<http://www.w3.org/ns/shacl#resultSeverity> ?severity }")
        for row in store.query(query):  # type: ignore[union-attr]
            focus, severity = row["focus"], row["severity"]
            if not isinstance(focus, ox.NamedNode) or not focus.value.startswith(prefix):
                continue
            kind, _, rid = focus.value[len(prefix):].partition("#")[0].partition("/")
            name = str(severity.value).rpartition("#")[2] if isinstance(severity, ox.NamedNode) else "Violation"
            per = counts.setdefault((kind, rid), {})
            per[name] = per.get(name, 0) + 1
        return counts

    # --- documents written ahead ------------------------------------------------------

    def document_table(self) -> DocumentTable | None:
        """The documents the build wrote ahead (:mod:`kg.artefacts.document_table`), or None."""
        return DocumentTable.open(self.folder / TABLE_FILE)

    # --- catalogue and VoID ------------------------------------------------------------

    def rdf_document(self, stem: str, suffix: str) -> Path:
        """The file of the catalogue or VoID document (``stem``) in one serialisation."""
        return self.folder / f"{stem}.{suffix}"

    def rdf_document_triples(self, stem: str) -> list[ox.Triple] | None:
        """The triples of the catalogue or VoID document (read from its Turtle); None when missing."""
        try:
            quads = ox.parse(path=str(self.rdf_document(stem, "ttl")), format=ox.RdfFormat.TURTLE)
            return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        except OSError:
            return None

    # --- dumps -------------------------------------------------------------------------

    def dumps(self) -> list[DumpFile]:
        """The dumps present, by name, with size and SHA-256 (from their ``.sha256`` files)."""
        folder = self.folder / DUMPS
        found = []
        for name in sorted(DUMP_FORMATS):
            path = folder / name
            if path.is_file():
                sha = (folder / f"{name}.sha256").read_text(encoding="ascii").split()[0]
                found.append(DumpFile(name, path, path.stat().st_size, sha, DUMP_FORMATS[name]))
        return found

    def dump_file(self, name: str) -> Path | None:
        """A dump or its ``.sha256`` by name, only from the fixed list and only inside the
        dumps folder (a symlink pointing elsewhere is never followed out); None otherwise."""
        if name.removesuffix(".sha256") not in DUMP_FORMATS:
            return None
        folder = (self.folder / DUMPS).resolve()
        path = (folder / name).resolve()
        return path if path.parent == folder else None

    # --- LDES --------------------------------------------------------------------------

    @property
    def ldes_folder(self) -> Path:
        return self.folder / LDES

    def ldes_stream(self) -> Path:
        """The stream document (``/ldes``)."""
        return self.ldes_folder / STREAM

    def ldes_shape(self) -> Path:
        """The member shape (``/ldes/shape``)."""
        return self.ldes_folder / SHAPE

    def ldes_page(self, number: int) -> Path:
        """Page ``number`` (which may not exist)."""
        return page_path(self.ldes_folder, number)

    def ldes_page_closed(self, number: int) -> bool:
        """A page is closed, and never changes again, once the next one exists."""
        return self.ldes_page(number + 1).is_file()

    def ldes_history(self) -> History | None:
        """The stream's state (None when the build has no LDES)."""
        return read_history(self.ldes_folder)

    def ldes_member(self, history: History, iri: str, page_url: Callable[[int], str]) -> list[ox.Quad]:
        """The quads of one member (its envelope and its content), found on the pages the
        history says it can be on; ``page_url(n)`` is the URL relative IRIs of page n resolve
        against. Empty when there is no such member."""
        node = ox.NamedNode(iri)
        for number in member_location(history, iri):
            quads = parse_ldes_document(self.ldes_page(number), page_url(number))
            found = [q for q in quads if q.graph_name == node or (q.subject == node and isinstance(q.graph_name, ox.DefaultGraph))]
            if found:
                return found
        return []

    # --- quality -----------------------------------------------------------------------

    def validation_report(self) -> Path:
        """The SHACL report of the build (``/kwaliteit/validatierapport.ttl``)."""
        return self.folder / VALIDATION_REPORT

    # --- sitemap -----------------------------------------------------------------------

    def sitemap(self, part: int | None = None) -> Path:
        """``sitemap.xml``, or its part ``sitemap-{n}.xml`` beyond 50 000 pages."""
        return self.folder / (SITEMAP if part is None else f"sitemap-{part}.xml")


class ReleaseShelf:
    """The frozen releases (``releases/`` of the store root), as the web tier reads them.

    Versions are checked against the version pattern (digits and dots) and file names against
    the fixed list of release files, so no path from a request can leave a release's folder.

    >>> shelf = ReleaseShelf(Path("releases"))
    >>> shelf.file("1.0.0", "lokaalcirculair.ttl"), shelf.file("1.0.0", "../x"), shelf.file("../x", "lokaalcirculair.ttl")
    (PosixPath('releases/1.0.0/lokaalcirculair.ttl'), None, None)
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def versions(self) -> list[ReleaseManifest]:
        """Every complete release on this machine (a manifest present), oldest first."""
        if not self.folder.is_dir():
            return []
        found = [m for p in self.folder.iterdir() if valid_version(p.name) and (m := read_manifest(p)) is not None]
        return sorted(found, key=lambda m: version_key(m.version))

    def manifest(self, version: str) -> ReleaseManifest | None:
        """The manifest of ``version``; None when there is no such release here."""
        return read_manifest(self.folder / version) if valid_version(version) else None

    def quality_triples(self, version: str) -> list[ox.Triple]:
        """The quality measurements frozen with release ``version`` (none when it has none)."""
        path = self.file(version, f"{QUALITY}.ttl")
        try:
            return [ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)] if path else []
        except (OSError, SyntaxError):
            return []

    def file(self, version: str, name: str) -> Path | None:
        """A file of release ``version`` by name, only from the fixed list; None otherwise."""
        if not valid_version(version) or name not in release_file_names():
            return None
        return self.folder / version / name

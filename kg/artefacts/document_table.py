"""The table of documents a build wrote ahead (``artefacts/documents.sqlite``), and reading it.

One row per document and format: the body, exactly the bytes the web tier would make for
page 1 of the document (:mod:`kg.artefacts.document_rdf`), and the document's date. The web
tier answers a document's first visit from here (one primary-key lookup) instead of
describing the thing with several queries; the build writes it
(:mod:`kg.artefacts.document_pages`). A document that is not in the table (a page after the
first, HTML, JSON-LD, a thing with more incoming links than a page holds) is made as before.

SQLite because it is one file per build, read by any number of processes without a server,
and a lookup by key costs 10–20 µs; the file is opened read-only, immutable and mapped. The
bodies are not compressed: inflating one cost more than finding it (zlib: ~40 µs against
~15 µs), and a first visit has about 70 µs to spend; Turtle takes ~5.6 KB per practice.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with table_writer(folder / TABLE_FILE, "2026-12-08") as put:
...     put("praktijk/a", "ttl", b"<a> <b> <c> .", "2026-12-08", False)
>>> table = DocumentTable.open(folder / TABLE_FILE)
>>> table.get("praktijk/a", "ttl"), table.get("praktijk/b", "ttl")
(Row(body=b'<a> <b> <c> .', modified='2026-12-08', dated=True, paged=False), None)
>>> table.build_date, table.formats
('2026-12-08', ('ttl',))

An incremental build does not write the table again: it links the previous build's file (it
never changes once written, which is what lets readers open it immutable) and lists the
documents the change made stale beside it; those are left to the web tier.

>>> write_stale(folder / STALE_FILE, {"praktijk/a"})
>>> DocumentTable.open(folder / TABLE_FILE).get("praktijk/a", "ttl") is None
True
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

__all__ = ["FORMATS", "STALE_FILE", "TABLE_FILE", "DocumentTable", "Row", "read_stale", "table_writer", "write_stale"]

#: Its name in a build's ``artefacts/`` folder.
TABLE_FILE = "documents.sqlite"
#: The keys (``concept/ref``, one per line) of the documents in the table that a later
#: incremental build changed: the table answers none of them.
STALE_FILE = "documents.stale"
#: The formats written ahead, by suffix (``kg.media``): Turtle, what ``DESCRIBE`` answers and
#: crawlers of linked data ask for. The other RDF formats would triple the build's cost and the
#: table's size (N-Triples is 2.4×, RDF/XML 1.7× the bytes of Turtle); JSON-LD names the
#: server's context URL and HTML the reader's language, so both depend on the request.
FORMATS = ("ttl",)

#: How much of the file a reader maps (the table of 100 000 practices is ~0.3 GB).
MMAP_BYTES = 1 << 30

_SCHEMA = (
    "CREATE TABLE meta (build_date TEXT NOT NULL)",
    # dated: the document's date is the build's (the thing has no dct:modified of its own).
    "CREATE TABLE documents (key TEXT NOT NULL, format TEXT NOT NULL, body BLOB NOT NULL, modified TEXT, "
    "dated INTEGER NOT NULL, paged INTEGER NOT NULL, PRIMARY KEY (key, format))",
)


class Row(NamedTuple):
    """One document in one format, as the build wrote it."""

    body: bytes
    modified: str | None
    dated: bool
    #: The links into the thing go on on page 2 (page 1 is the store's index order).
    paged: bool = False


@contextmanager
def table_writer(path: Path, build_date: str) -> Iterator[Callable[[str, str, bytes, str | None, bool], None]]:
    """A new table at ``path``; yields ``put(key, format, body, modified, paged)``. A row whose
    ``modified`` is ``build_date`` is marked as dated by the build."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA page_size = 16384")  # most documents fit a page: fewer overflow pages
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        for statement in _SCHEMA:
            connection.execute(statement)
        connection.execute("INSERT INTO meta VALUES (?)", (build_date,))
        rows: list[tuple[str, str, bytes, str | None, int, int]] = []
        insert = "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)"

        def put(key: str, fmt: str, body: bytes, modified: str | None, paged: bool) -> None:
            rows.append((key, fmt, body, modified, int(modified == build_date), int(paged)))
            if len(rows) >= 2000:
                connection.executemany(insert, rows)
                rows.clear()

        yield put
        connection.executemany(insert, rows)
        connection.commit()
    finally:
        connection.close()


class DocumentTable:
    """The table of one build, read-only; one connection per thread (SQLite's rule)."""

    def __init__(self, path: Path, build_date: str, stale: frozenset[str] = frozenset()) -> None:
        self.path = path
        self.build_date = build_date
        #: Documents the table holds in an older version (:data:`STALE_FILE`).
        self.stale = stale
        self.formats = FORMATS
        self._local = threading.local()

    @classmethod
    def open(cls, path: Path) -> DocumentTable | None:
        """The table at ``path``, or None when the build wrote none (or it cannot be read)."""
        if not path.is_file():
            return None
        try:
            connection = cls._connect(path)
            found = connection.execute("SELECT build_date FROM meta").fetchone()
            connection.close()
        except sqlite3.Error:
            return None
        return cls(path, str(found[0]), read_stale(path.with_name(STALE_FILE))) if found else None

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        # Mapped, the pages are read from the OS's cache without a system call per page.
        connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        return connection

    def get(self, key: str, fmt: str) -> Row | None:
        """The row of a document (``concept/ref``) in a format (suffix), or None."""
        if key in self.stale:
            return None
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect(self.path)
        try:
            found = connection.execute("SELECT body, modified, dated, paged FROM documents WHERE key = ? AND format = ?",
                                       (key, fmt)).fetchone()
        except sqlite3.Error:
            return None
        return Row(found[0], found[1], bool(found[2]), bool(found[3])) if found else None


def read_stale(path: Path) -> frozenset[str]:
    """The keys listed in a :data:`STALE_FILE` (none when there is no such file)."""
    try:
        return frozenset(path.read_text(encoding="utf-8").split())
    except FileNotFoundError:
        return frozenset()


def write_stale(path: Path, keys: set[str] | frozenset[str]) -> None:
    """List ``keys`` as stale (sorted, one per line: a file a person can read)."""
    path.write_text("".join(f"{key}\n" for key in sorted(keys)), encoding="utf-8")

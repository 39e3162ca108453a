"""The table of documents a build wrote ahead (``artefacts/documents.sqlite``), and reading it.

One row per document and format: the body (zlib-compressed), exactly the bytes the web tier would make for
page 1 of the document (:mod:`kg.artefacts.document_rdf`), and the document's date. The web
tier answers a document's first visit from here (one primary-key lookup) instead of
describing the thing with several queries; the build writes it
(:mod:`kg.artefacts.document_pages`). A document that is not in the table (a page after the
first, HTML, JSON-LD, a thing with more incoming links than a page holds) is made as before.

SQLite because it is one file per build, read by any number of processes without a server,
and a lookup by key costs a few microseconds; the file is opened read-only and immutable.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with table_writer(folder / TABLE_FILE, "2026-12-08") as put:
...     put("praktijk/a", "ttl", b"<a> <b> <c> .", None)
>>> table = DocumentTable.open(folder / TABLE_FILE)
>>> table.get("praktijk/a", "ttl"), table.get("praktijk/b", "ttl")
(Row(body=b'<a> <b> <c> .', modified='2026-12-08', dated=True), None)
>>> table.build_date, table.formats
('2026-12-08', ('ttl',))
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

__all__ = ["FORMATS", "TABLE_FILE", "DocumentTable", "Row", "table_writer"]

#: Its name in a build's ``artefacts/`` folder.
TABLE_FILE = "documents.sqlite"
#: The formats written ahead, by suffix (``kg.media``): Turtle, what ``DESCRIBE`` answers and
#: crawlers of linked data ask for. The other RDF formats would triple the build's cost and the
#: table's size (N-Triples is 2.4×, RDF/XML 1.7× the bytes of Turtle); JSON-LD names the
#: server's context URL and HTML the reader's language, so both depend on the request.
FORMATS = ("ttl",)
#: zlib level of the bodies: level 1 compresses ~3× faster than 6 for a little more room.
LEVEL = 1

_SCHEMA = (
    "CREATE TABLE meta (build_date TEXT NOT NULL)",
    # dated: the document's date is the build's (the thing has no dct:modified of its own).
    "CREATE TABLE documents (key TEXT NOT NULL, format TEXT NOT NULL, body BLOB NOT NULL, modified TEXT, "
    "dated INTEGER NOT NULL, PRIMARY KEY (key, format))",
)


class Row(NamedTuple):
    """One document in one format, as the build wrote it."""

    body: bytes
    modified: str | None
    dated: bool


@contextmanager
def table_writer(path: Path, build_date: str) -> Iterator[Callable[[str, str, bytes, str | None], None]]:
    """A new table at ``path``; yields ``put(key, format, body, modified)``. A row whose
    ``modified`` is ``build_date`` is marked as dated by the build."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        for statement in _SCHEMA:
            connection.execute(statement)
        connection.execute("INSERT INTO meta VALUES (?)", (build_date,))
        rows: list[tuple[str, str, bytes, str | None, int]] = []

        def put(key: str, fmt: str, body: bytes, modified: str | None) -> None:
            rows.append((key, fmt, zlib.compress(body, LEVEL), modified, int(modified == build_date)))
            if len(rows) >= 2000:
                connection.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?)", rows)
                rows.clear()

        yield put
        connection.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?)", rows)
        connection.commit()
    finally:
        connection.close()


class DocumentTable:
    """The table of one build, read-only; one connection per thread (SQLite's rule)."""

    def __init__(self, path: Path, build_date: str) -> None:
        self.path = path
        self.build_date = build_date
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
        return cls(path, str(found[0])) if found else None

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)

    def get(self, key: str, fmt: str) -> Row | None:
        """The row of a document (``concept/ref``) in a format (suffix), or None."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect(self.path)
        try:
            found = connection.execute("SELECT body, modified, dated FROM documents WHERE key = ? AND format = ?",
                                       (key, fmt)).fetchone()
        except sqlite3.Error:
            return None
        return Row(zlib.decompress(found[0]), found[1], bool(found[2])) if found else None

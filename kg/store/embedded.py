"""The embedded store: the live build of an on-disk Oxigraph store, read in this process.

``KG_STORE`` is a folder (``var/store`` by default) laid out as :mod:`kg.store.folders`
says; :class:`EmbeddedStore` opens the build ``current`` points at, read-only, and
:func:`run_query` is the one place a pyoxigraph store is queried (the build slot uses it
too), so its errors are translated once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Sequence

import pyoxigraph as ox

from kg.errors import NoBuildError, QueryError, StoreError
from kg.store.folders import CURRENT, OXIGRAPH
from kg.store.graph_store import GraphStore, QueryResult

__all__ = ["EmbeddedStore", "run_query"]


def run_query(
    store: ox.Store,
    sparql: str,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    base_iri: str | None = None,
) -> QueryResult:
    """Run a query on a pyoxigraph store, translating its errors once."""
    kw: dict[str, Any] = {}
    if default_graph_uris:
        kw["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris]
    else:
        kw["use_default_graph_as_union"] = True
    if named_graph_uris:
        kw["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris]
    if base_iri:
        kw["base_iri"] = base_iri
    try:
        return store.query(sparql, **kw)
    except SyntaxError as exc:
        raise QueryError(f"The query does not parse: {exc}") from exc
    except (ValueError, OSError) as exc:
        raise QueryError(f"The query failed: {exc}") from exc


class EmbeddedStore(GraphStore):
    """The live build of an on-disk Oxigraph store, opened read-only.

    Read-only opening lets any number of processes (web workers, query
    workers) share one store; each sees the build it opened until
    :meth:`refresh` finds that ``current`` points at a newer one.
    """

    in_process = True

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._folder, self._store = self._open()

    def _open(self) -> tuple[Path, ox.Store]:
        current = self.root / CURRENT
        if not current.exists():
            raise NoBuildError(str(self.root))
        folder = current.resolve()
        try:
            return folder, ox.Store.read_only(str(folder / OXIGRAPH))
        except OSError as exc:
            raise StoreError(f"Cannot open the store at {folder}: {exc}") from exc

    def refresh(self) -> bool:
        current = self.root / CURRENT
        try:
            target = current.resolve(strict=True)
        except OSError:
            return False
        if target == self._folder:
            return False
        with self._lock:
            if target == self._folder:
                return False
            # Requests in flight keep a reference to the old store object and finish on it.
            self._folder, self._store = self._open()
        return True

    def query(self, sparql: str, *, default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = (),
              base_iri: str | None = None) -> QueryResult:
        return run_query(self._store, sparql, default_graph_uris, named_graph_uris, base_iri)

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself, for fast serialization of results."""
        return self._store

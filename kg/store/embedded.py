"""The one place that talks to a store.

Two sides, both small:

* **Reading** (:class:`GraphStore`): ``query`` (SELECT/ASK/CONSTRUCT/DESCRIBE
  with the SPARQL protocol's dataset options), ``build_id`` and
  ``artefacts_dir`` of the live build, and ``refresh`` to pick up a new build
  without a restart. Results are always pyoxigraph objects, whichever backend
  answered, so the web tier has one type to serialize.
* **Writing** (:class:`BuildSlot`): a new build is loaded *beside* the live
  one and made live by one atomic switch; until then readers keep the old
  build, and a crashed or killed build leaves nothing live half-written.

Embedded layout (``KG_STORE`` is a folder, ``var/store`` by default)::

    var/store/
      current -> builds/<build-id>     symlink, replaced atomically (rename)
      builds/<build-id>/oxigraph/      the RocksDB store of that build
      builds/<build-id>/artefacts/     dumps, reports, catalog, VoID, LDES pages
      builds/.tmp-<build-id>/          a build in progress (removed if it died)
      history/                         reserved; the LDES history lives in each build's artefacts/ldes (kg.artefacts.ldes)
      build.lock                       one build at a time

A remote SPARQL server (``KG_STORE=http://…``) is served by
:mod:`kg.store.remote`, behind the same interface.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence

import pyoxigraph as ox

from kg.errors import NoBuildError, QueryError, StoreError
from kg.settings import Settings

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class BuildInfo:
    """What a finished build says about itself (``BUILD.json``)."""

    build_id: str
    finished: str
    triples: int
    graphs: int
    extra: dict[str, Any]

    @classmethod
    def read(cls, folder: Path) -> "BuildInfo":
        data = json.loads((folder / "BUILD.json").read_text(encoding="utf-8"))
        return cls(data["build_id"], data["finished"], data["triples"], data["graphs"], data.get("extra", {}))


# --- reading -----------------------------------------------------------------


class GraphStore(ABC):
    """Read access to the live build, whatever the backend."""

    #: Queries run in this process's memory (an embedded store), so a proven-cheap query
    #: may run inline; a remote store always costs a round trip.
    in_process: bool = False

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; the default graph is the union of all graphs.

        ``default_graph_uris``/``named_graph_uris`` are the SPARQL protocol's
        dataset parameters: when given they replace ``FROM``/``FROM NAMED``.
        Raises :class:`QueryError` for a query that does not parse.
        """

    #: Both backends keep each build's files in a local folder ``root/builds/<id>``
    #: (``KG_STORE`` itself, or ``KG_ARTEFACTS_DIR`` for a remote store); the
    #: subclass sets ``root`` and the live ``_folder``.
    root: Path
    _folder: Path

    @property
    def build_id(self) -> str:
        """Identifier of the build being served (changes with every build)."""
        return self._folder.name

    @property
    def build_folder(self) -> Path:
        """Local folder of the live build (``BUILD.json``, ``artefacts/``); for a remote
        store it lives in ``KG_ARTEFACTS_DIR``, the graph itself on the server."""
        return self._folder

    @property
    def artefacts_dir(self) -> Path:
        """Folder of the live build's artefacts (dumps, catalog, LDES, reports)."""
        return self._folder / "artefacts"

    @property
    def history_dir(self) -> Path:
        """Folder of what outlives builds (the LDES version history)."""
        return self.root / "history"

    def refresh(self) -> bool:
        """Switch to a newer build if one went live; True when it switched."""
        return False

    def build_info(self) -> BuildInfo | None:
        """What the live build says about itself (``BUILD.json``), on every backend;
        None when the file is missing or unreadable (the pages then do without it)."""
        try:
            return BuildInfo.read(self.build_folder)
        except (OSError, KeyError, ValueError):
            return None

    def close(self) -> None:  # noqa: B027 - a no-op default; backends with resources override it
        """Release the store (files, connections)."""

    # Convenience forms used by the build and the pages.

    def select(self, sparql: str, **kw: Any) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        """Rows of a SELECT as dicts of variable name → term (unbound left out)."""
        result = self.query(sparql, **kw)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("This query is not a SELECT query.")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def ask(self, sparql: str, **kw: Any) -> bool:
        result = self.query(sparql, **kw)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("This query is not an ASK query.")
        return bool(result)

    def construct(self, sparql: str, **kw: Any) -> list[ox.Triple]:
        result = self.query(sparql, **kw)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("This query is not a CONSTRUCT or DESCRIBE query.")
        return list(result)


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
        current = self.root / "current"
        if not current.exists():
            raise NoBuildError(str(self.root))
        folder = current.resolve()
        try:
            return folder, ox.Store.read_only(str(folder / "oxigraph"))
        except OSError as exc:
            raise StoreError(f"Cannot open the store at {folder}: {exc}") from exc

    def refresh(self) -> bool:
        current = self.root / "current"
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

    def query(self, sparql: str, *, default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = (), base_iri: str | None = None) -> QueryResult:
        store = self._store
        return run_query(store, sparql, default_graph_uris, named_graph_uris, base_iri)

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store itself, for fast serialization of results."""
        return self._store



def open_store(settings: Settings) -> GraphStore:
    """The store named by the settings, ready to read (raises NoBuildError)."""
    if settings.is_remote:
        from kg.store.remote import RemoteStore  # the remote backend lives in its own module

        return RemoteStore(settings)
    return EmbeddedStore(Path(settings.store))


# --- writing -----------------------------------------------------------------


class BuildSlot:
    """A new embedded build, loaded beside the live one and switched in at once."""

    def __init__(self, root: Path, build_id: str, keep: int = 3) -> None:
        self.root = root
        self.keep = keep
        self.build_id = build_id
        self.builds = root / "builds"
        self.folder = self.builds / f".tmp-{build_id}"
        self.final = self.builds / build_id
        self.folder.mkdir(parents=True)
        (self.folder / "artefacts").mkdir()
        self.store = ox.Store(str(self.folder / "oxigraph"))

    @property
    def artefacts_dir(self) -> Path:
        return self.folder / "artefacts"

    @property
    def history_dir(self) -> Path:
        return self.root / "history"

    def previous_folder(self) -> Path | None:
        """The live build's folder (for comparing with it), if any."""
        current = self.root / "current"
        return current.resolve() if current.exists() else None

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads to the new build (bulk: no transaction per quad)."""
        try:
            self.store.bulk_extend(quads)
        except OSError as exc:
            raise StoreError(f"Loading the new build failed: {exc}") from exc

    def load_file(self, path: Path, fmt: ox.RdfFormat, trusted: bool = False) -> None:
        """Bulk-load a file into the new build. ``trusted``: the file is pyoxigraph's own
        serialization of terms it already checked (the build's chunk files), so the parser
        skips checking the IRIs again (~8 % of the load's CPU at 100 000 practices)."""
        try:
            self.store.bulk_load(path=str(path), format=fmt, lenient=trusted)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"Loading {path} into the new build failed: {exc}") from exc

    def query(self, sparql: str, **kw: Any) -> QueryResult:
        return run_query(self.store, sparql, **kw)

    def __len__(self) -> int:
        return len(self.store)

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the whole build: N-Quads keeps graphs, triple formats merge them."""
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            self.store.dump(out, format=fmt)
            return
        triples = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(triples, ox.QueryTriples)
        if fmt == ox.RdfFormat.JSON_LD:
            # JSON-LD wants one document: serialize the merged triples in one go.
            graph = ox.Store()
            graph.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
            graph.dump(out, format=fmt, from_graph=ox.DefaultGraph())
            return
        ox.serialize(triples, out, format=fmt)

    def commit(self, info: dict[str, Any]) -> None:
        """Make this build live: flush, rename into place, switch ``current``."""
        self.store.flush()
        del self.store  # close RocksDB before the folder is renamed
        (self.folder / "BUILD.json").write_text(json.dumps({"build_id": self.build_id, **info}, indent=2, sort_keys=True), encoding="utf-8")
        os.rename(self.folder, self.final)
        link = self.root / f".current-{self.build_id}"
        link.symlink_to(Path("builds") / self.build_id)
        os.replace(link, self.root / "current")  # atomic on POSIX
        _fsync_dir(self.root)
        prune_builds(self.root, keep=self.keep)

    def abort(self) -> None:
        """Throw the half-made build away; the live one was never touched."""
        if hasattr(self, "store"):
            del self.store
        shutil.rmtree(self.folder, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def prune_builds(root: Path, keep: int) -> None:
    """Remove old finished builds (never the live one) and dead temporary ones."""
    builds = root / "builds"
    live = (root / "current").resolve() if (root / "current").exists() else None
    finished = sorted(p for p in builds.iterdir() if not p.name.startswith("."))
    for old in finished[:-keep]:
        if old != live:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the store's build lock; a second concurrent build gets a clear error."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"Another build is running on {root}; wait for it to finish.") from exc
        # Temporary folders of builds that died (crash, kill -9) are garbage now.
        builds = root / "builds"
        if builds.is_dir():
            for dead in builds.glob(".tmp-*"):
                shutil.rmtree(dead, ignore_errors=True)
        for link in root.glob(".current-*"):
            link.unlink(missing_ok=True)
        yield


def new_build_id() -> str:
    """A sortable, unique build id: UTC time with microseconds."""
    t = time.time()
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(t)) + f"{int(t % 1 * 1e6):06d}Z"

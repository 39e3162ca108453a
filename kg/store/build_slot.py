"""Writing a build: a new store loaded *beside* the live one and made live by one atomic switch.

Until the switch readers keep the old build, and a crashed or killed build leaves nothing
live half-written: its folder is ``builds/.tmp-<id>`` (:mod:`kg.store.folders`), which the
next build's lock clears. One build at a time (:func:`build_lock`); old builds are pruned
(:func:`prune_builds`), never the live one.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store.embedded import run_query
from kg.store.folders import ARTEFACTS, BUILD_INFO, BUILDS, CURRENT, HISTORY, LOCK, OXIGRAPH, TEMPORARY
from kg.store.graph_store import QueryResult

__all__ = ["BuildSlot", "build_lock", "new_build_id", "prune_builds"]


class BuildSlot:
    """A new embedded build, loaded beside the live one and switched in at once."""

    def __init__(self, root: Path, build_id: str, keep: int = 3, start_from: Path | None = None) -> None:
        """A new slot; with ``start_from`` (a finished build's folder) its store starts as a
        checkpoint of that build's store: RocksDB hard-links the immutable table files, so
        an incremental build copies nothing of the graph and never opens the live store for
        writing."""
        self.root = root
        self.keep = keep
        self.build_id = build_id
        self.builds = root / BUILDS
        self.folder = self.builds / f"{TEMPORARY}{build_id}"
        self.final = self.builds / build_id
        self.folder.mkdir(parents=True)
        (self.folder / ARTEFACTS).mkdir()
        #: The quads of the store, kept by this slot's own changes when it starts from a build
        #: that says how many it holds (None: counted when asked, :meth:`quad_count`).
        self._quads: int | None = None
        if start_from is not None:
            try:
                ox.Store.read_only(str(start_from / OXIGRAPH)).backup(str(self.folder / OXIGRAPH))
            except OSError as exc:
                shutil.rmtree(self.folder, ignore_errors=True)
                raise StoreError(f"The store of the previous build {start_from} cannot be copied: {exc}") from exc
            self._quads = _stated_quads(start_from)
        self.store = ox.Store(str(self.folder / OXIGRAPH))

    @property
    def artefacts_dir(self) -> Path:
        return self.folder / ARTEFACTS

    @property
    def history_dir(self) -> Path:
        return self.root / HISTORY

    def previous_folder(self) -> Path | None:
        """The live build's folder (for comparing with it), if any."""
        current = self.root / CURRENT
        return current.resolve() if current.exists() else None

    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads to the new build (bulk: no transaction per quad)."""
        if self._quads is not None:
            quads = list(quads)
            self._quads += self._new_quads(quads)
        try:
            self.store.bulk_extend(quads)
        except OSError as exc:
            raise StoreError(f"Loading the new build failed: {exc}") from exc

    def load_file(self, path: Path, fmt: ox.RdfFormat, trusted: bool = False) -> None:
        """Bulk-load a file into the new build. ``trusted``: the file is pyoxigraph's own
        serialization of terms it already checked (the build's chunk files), so the parser
        skips checking the IRIs again (~8 % of the load's CPU at 100 000 practices)."""
        try:
            if self._quads is not None:  # an incremental build's few graphs: counted as they come in
                self._quads += self._new_quads(ox.parse(path=str(path), format=fmt, lenient=trusted))
            self.store.bulk_load(path=str(path), format=fmt, lenient=trusted)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"Loading {path} into the new build failed: {exc}") from exc

    def remove_graphs(self, graphs: Iterable[ox.NamedNode]) -> None:
        """Drop named graphs and their quads (an incremental build, before it adds their new versions)."""
        try:
            for graph in graphs:
                if self._quads is not None:
                    self._quads -= sum(1 for _ in self.store.quads_for_pattern(None, None, None, graph))
                self.store.remove_graph(graph)
        except OSError as exc:
            raise StoreError(f"Removing changed graphs from the new build failed: {exc}") from exc

    def _new_quads(self, quads: Iterable[ox.Quad]) -> int:
        """How many of ``quads`` the store does not hold yet (each counted once)."""
        return sum(1 for quad in set(quads) if quad not in self.store)

    def quad_count(self) -> int:
        """The quads of the new build: an incremental build's from the previous build's count
        and its own changes (``len()`` of a store reads all of it: 0.3–0.4 s at 100 000
        practices), any other build's counted."""
        return self._quads if self._quads is not None else len(self.store)

    def query(self, sparql: str, **kw: Any) -> QueryResult:
        return run_query(self.store, sparql, **kw)

    def named_graphs(self) -> list[ox.NamedNode]:
        """The named graphs of the new build (an upload graph by graph walks them)."""
        return [g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)]

    def graph_ntriples(self, graph: ox.NamedNode) -> bytes:
        """One named graph of the new build as N-Triples."""
        quads = self.store.quads_for_pattern(None, None, None, graph)
        return ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""

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
        manifest = json.dumps({"build_id": self.build_id, **info}, indent=2, sort_keys=True)
        (self.folder / BUILD_INFO).write_text(manifest, encoding="utf-8")
        os.rename(self.folder, self.final)
        link = self.root / f".{CURRENT}-{self.build_id}"
        link.symlink_to(Path(BUILDS) / self.build_id)
        os.replace(link, self.root / CURRENT)  # atomic on POSIX
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
    builds = root / BUILDS
    live = (root / CURRENT).resolve() if (root / CURRENT).exists() else None
    finished = sorted(p for p in builds.iterdir() if not p.name.startswith("."))
    for old in finished[:-keep]:
        if old != live:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the store's build lock; a second concurrent build gets a clear error."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise StoreError(f"Another build is running on {root}; wait for it to finish.") from exc
        # Temporary folders of builds that died (crash, kill -9) are garbage now.
        builds = root / BUILDS
        if builds.is_dir():
            for dead in builds.glob(f"{TEMPORARY}*"):
                shutil.rmtree(dead, ignore_errors=True)
        for link in root.glob(f".{CURRENT}-*"):
            link.unlink(missing_ok=True)
        yield


def new_build_id() -> str:
    """A sortable, unique build id: UTC time with microseconds.

    >>> len(new_build_id()), new_build_id()[8], new_build_id()[-1]
    (22, 'T', 'Z')
    """
    t = time.time()
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(t)) + f"{int(t % 1 * 1e6):06d}Z"


def _stated_quads(build: Path) -> int | None:
    """The quads a finished build says its store holds (``triples`` in its BUILD.json)."""
    try:
        return int(json.loads((build / BUILD_INFO).read_text(encoding="utf-8"))["triples"])
    except (OSError, ValueError, KeyError, TypeError):
        return None

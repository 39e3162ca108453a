"""The store interface the build's readers and the web tier program against.

Reading only: ``query`` (SELECT/ASK/CONSTRUCT/DESCRIBE with the SPARQL protocol's
dataset options), ``build_id`` and ``artefacts_dir`` of the live build, and ``refresh``
to pick up a new build without a restart. Results are always pyoxigraph objects,
whichever backend answered (:mod:`kg.store.embedded`, :mod:`kg.store.remote`), so the
web tier has one type to serialize. Writing a build is :mod:`kg.store.build_slot`.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store.folders import ARTEFACTS, BUILD_INFO, HISTORY

__all__ = ["CHANGE_KEY", "MAX_TOUCHED", "BuildInfo", "GraphStore", "QueryResult", "Row"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
#: One row of a SELECT: variable name → term, unbound variables left out.
Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]


#: The entry of ``BUILD.json``'s ``extra`` where an incremental build says what it changed:
#: ``{"summary": str, "based_on": <previous build id>, "touched": [IRI, …] or null}``, and
#: ``"earlier": {<build id>: [IRI, …] or null}`` for builds further back (the second build of a
#: deferred-dumps pair names the build before the pair). The web tier updates the indexes of
#: that build for the touched IRIs instead of remaking them.
CHANGE_KEY = "incremental"
#: Above this many touched IRIs the list is left out (null): remaking the indexes is as fast.
MAX_TOUCHED = 20_000


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
        data = json.loads((folder / BUILD_INFO).read_text(encoding="utf-8"))
        return cls(data["build_id"], data["finished"], data["triples"], data["graphs"], data.get("extra", {}))

    def touched_since(self, build_id: str) -> list[str] | None:
        """The IRIs this build changed, if it was made incrementally on ``build_id`` and listed them.

        >>> info = BuildInfo("b2", "", 0, 0, {CHANGE_KEY: {"based_on": "b1", "touched": ["x"], "earlier": {"b0": ["y"]}}})
        >>> info.touched_since("b1"), info.touched_since("b0"), info.touched_since("a")
        (['x'], ['y'], None)
        """
        change = self.extra.get(CHANGE_KEY)
        if not isinstance(change, dict):
            return None
        earlier = change.get("earlier")
        if change.get("based_on") == build_id:
            touched = change.get("touched")
        elif isinstance(earlier, dict):
            touched = earlier.get(build_id)
        else:
            return None
        return [str(t) for t in touched] if isinstance(touched, list) else None


class GraphStore(ABC):
    """Read access to the live build, whatever the backend."""

    #: Queries run in this process's memory (an embedded store), so a proven-cheap query
    #: may run inline; a remote store always costs a round trip.
    in_process: bool = False

    #: Both backends keep each build's files in a local folder ``root/builds/<id>``
    #: (:mod:`kg.store.folders`); the subclass sets ``root`` and the live ``_folder``.
    root: Path
    _folder: Path

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
        return self._folder / ARTEFACTS

    @property
    def history_dir(self) -> Path:
        """Folder of what outlives builds (the LDES version history)."""
        return self.root / HISTORY

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

    def select(self, sparql: str, **kw: Any) -> list[Row]:
        """Rows of a SELECT as dicts of variable name → term (unbound left out)."""
        result = self.query(sparql, **kw)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("This query is not a SELECT query.")
        names = [v.value for v in result.variables]
        return [{n: term for n in names if (term := row[n]) is not None} for row in result]

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

"""A SPARQL 1.1 server as the store (``KG_STORE=http://host:7878/query``).

Reading (:class:`RemoteStore`) speaks the SPARQL 1.1 Protocol over HTTP with
httpx and parses the answers with pyoxigraph, so the web tier gets the very
same result types as from the embedded store. Writing (:func:`kg.store.remote_publish.publish`) puts
a finished build on the server in **one Graph Store Protocol request**:
``PUT`` of the whole dataset as N-Quads on the GSP endpoint. Oxigraph (and
Fuseki on TDB2, GraphDB) run one request as one transaction, so readers see
the old dataset until the new one is complete, and a failed upload changes
nothing: no downtime, no half-loaded graph. ``docs/scaling.md`` discusses
the trade-offs per server (upload time, transactions, alternatives such as
two datasets behind a switch).

The server must answer queries with the **union of its named graphs as the
default graph** (``oxigraph serve --union-default-graph``; Fuseki
``tdb2:unionDefaultGraph true``; Virtuoso and GraphDB do so by default). What
differs between servers (endpoint paths, authentication, how a build replaces
the data, Virtuoso's own graphs) is one profile per engine, :mod:`kg.store.engines`.

What is not RDF — dumps, the validation report, the catalogue, the LDES
history and the build id — lives in ``KG_ARTEFACTS_DIR``, which a remote
store requires: the build keeps there the same ``current`` → ``builds/<id>``
layout as the embedded store (:mod:`kg.store.folders`), and every web
host reads it (a shared or synchronised folder when there are several hosts).
Uploading a build is :mod:`kg.store.remote_publish`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from kg.errors import NoBuildError, QueryError, QueryTimeout, StoreError
from kg.settings import Settings
from kg.store.engines import code_of, engine_named_by, profile_of
from kg.store.folders import CURRENT, build_root
from kg.store.graph_store import GraphStore, QueryResult

__all__ = ["RemoteStore", "check_reachable", "endpoints", "foreign_graphs", "REMOTE_INFO"]

#: Beside ``BUILD.json`` in a build folder: what the upload to the server found and left there.
REMOTE_INFO = "remote.json"

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
#: What to ask for, by the form of the query: an engine that can write either (Virtuoso writes
#: CONSTRUCT answers as SPARQL JSON too) is asked for the kind of answer the form gives.
_ACCEPT_RESULTS = "application/sparql-results+json"
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.8"
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b(?!:)", re.IGNORECASE)


def graph_form(sparql: str) -> bool:
    r"""Whether a query is a CONSTRUCT or DESCRIBE (its first form keyword after the prologue).

    >>> graph_form("PREFIX ask: <http://x/#select> # SELECT\nCONSTRUCT WHERE { ?s ?p ?o }")
    True
    >>> graph_form("select * { ?s ?p ?o }")
    False
    """
    found = _FORM.search(code_of(sparql))
    return found is not None and found.group(1).upper() in ("CONSTRUCT", "DESCRIBE")


def endpoints(settings: Settings) -> tuple[str, str, str]:
    """(query, update, graph store) URLs: explicit settings, or the siblings of ``KG_STORE``
    that the engine's profile names (:mod:`kg.store.engines`)."""
    return profile_of(settings).endpoints(settings)


def foreign_graphs(build_folder: Path) -> list[str]:
    """The engine's own graphs that the upload of this build found on the server
    (``remote.json``, :mod:`kg.store.remote_publish`): queries leave them out."""
    try:
        recorded = json.loads((build_folder / REMOTE_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    graphs = recorded.get("foreign_graphs", []) if isinstance(recorded, dict) else []
    return [g for g in graphs if isinstance(g, str)]


def check_reachable(settings: Settings) -> None:
    """Ask the server the empty question ``ASK {}``: a :class:`StoreError` saying what to fix
    when it cannot be reached or does not speak SPARQL (``kg serve`` and ``kg build`` start with this)."""
    query, _, _ = endpoints(settings)
    try:
        with httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0)) as client:
            response = client.post(query, content=urlencode({"query": "ASK {}"}).encode("ascii"),
                                   headers={"Accept": "application/sparql-results+json",
                                            "Content-Type": "application/x-www-form-urlencoded"})
    except httpx.HTTPError as exc:
        raise StoreError(f"The SPARQL server {query} (KG_STORE) cannot be reached: {exc}. Is it running?") from exc
    if response.status_code >= 300:
        raise StoreError(f"The SPARQL server {query} (KG_STORE) answered {response.status_code} to ASK {{}}; "
                         "is KG_STORE the URL of its SPARQL query endpoint?")
    named = engine_named_by(response.headers.get("server", ""))
    if named is not None and named.name != settings.store_engine:
        raise StoreError(f"The SPARQL server {query} (KG_STORE) is {named.name.capitalize()}, but KG_STORE_ENGINE "
                         f"is {settings.store_engine}: set KG_STORE_ENGINE={named.name}.")


class RemoteStore(GraphStore):
    """Read access to a SPARQL 1.1 server; artefacts and build id from ``KG_ARTEFACTS_DIR``."""

    def __init__(self, settings: Settings, client: httpx.Client | None = None) -> None:
        self.settings = settings
        self.query_url, self.update_url, self.gsp_url = endpoints(settings)
        self.root = build_root(settings)
        self._client = client or httpx.Client(timeout=httpx.Timeout(settings.query_timeout, connect=5.0))
        self._profile = profile_of(settings)
        self._folder = self._current()
        self._foreign = foreign_graphs(self._folder)

    def _current(self) -> Path:
        current = self.root / CURRENT
        if not current.exists():
            raise NoBuildError(f"{self.store_label} (no build in {self.root})")
        return current.resolve()

    @property
    def store_label(self) -> str:
        return self.query_url

    def refresh(self) -> bool:
        try:
            folder = self._current()
        except NoBuildError:
            return False
        if folder == self._folder:
            return False
        self._folder = folder
        self._foreign = foreign_graphs(folder)
        return True

    def close(self) -> None:
        self._client.close()

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> QueryResult:
        if base_iri:
            sparql = f"BASE <{base_iri}>\n{sparql}"
        accept = _ACCEPT_GRAPH if graph_form(sparql) else _ACCEPT_RESULTS
        prologue = self._profile.prologue(self._foreign, sparql)
        sparql = prologue + sparql  # the engine's pragmas come before BASE and PREFIX
        form: list[tuple[str, str]] = [("query", sparql)]
        form += [("default-graph-uri", u) for u in default_graph_uris]
        form += [("named-graph-uri", u) for u in named_graph_uris]
        try:
            response = self._client.post(
                self.query_url,
                content=_urlencode(form),  # a list: the dataset parameters may repeat
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeout(self.settings.query_timeout) from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"The SPARQL server {self.query_url} cannot be reached: {exc}. Is it running?") from exc
        if response.status_code == 400:
            # Oxigraph (and most servers) answer 400 for a query that does not parse, with the
            # position in the text: the same wording as the embedded store's error.
            raise QueryError(f"The query does not parse: {self._profile.parse_error(response.text, prologue)[:500]}")
        if response.status_code >= 300:
            raise StoreError(f"The SPARQL server {self.query_url} answered {response.status_code}: {response.text.strip()[:300]}")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        content = self._profile.from_server(response.content)
        try:
            if media in _RESULTS:
                return self._profile.normalised(ox.parse_query_results(content, format=_RESULTS[media]))
            if media in _GRAPHS:
                return _as_query_triples(content, _GRAPHS[media])
        except SyntaxError as exc:
            raise StoreError(f"The SPARQL server {self.query_url} sent an answer that does not parse: {exc}") from exc
        raise StoreError(f"The SPARQL server {self.query_url} answered in an unexpected format ({media or 'none'}).")


def _urlencode(form: list[tuple[str, str]]) -> bytes:
    return urlencode(form).encode("ascii")


def _as_query_triples(payload: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """A CONSTRUCT/DESCRIBE answer as ``QueryTriples``, the type the embedded store gives
    (pyoxigraph makes that type only from a query, so the triples go through a small
    in-memory store)."""
    store = ox.Store()
    store.load(payload, format=fmt)
    result = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result

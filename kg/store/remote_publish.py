"""Putting a finished build on a remote SPARQL server.

How depends on the engine (:mod:`kg.store.engines`):

* ``dataset`` (Oxigraph, Fuseki on TDB2, GraphDB): one **Graph Store Protocol request**,
  ``PUT`` of the whole dataset as N-Quads on the GSP endpoint. These servers run one request
  as one transaction, so readers see the old dataset until the new one is complete, and a
  failed upload changes nothing: no downtime, no half-loaded graph.
* ``graphs`` (Virtuoso, whose GSP endpoint takes one graph at a time): each named graph of the
  build is ``PUT`` (replaced) in turn, then the graphs of ours the build no longer has are
  deleted. Not one transaction: while it runs (a few seconds for the real data) a reader may
  see some graphs new and some old; each graph is replaced whole. The graphs on the server
  outside ``{base}/graph/`` are the engine's own: never touched, and recorded as foreign so
  that queries leave them out.

Afterwards the server is asked how many quads it holds (outside the foreign graphs), so a
server that silently dropped data fails the build before it goes live locally. The build
calls :func:`publish` after its artefacts are written and before its local switch; reading
the server is :mod:`kg.store.remote`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence

import httpx
import pyoxigraph as ox

from kg.errors import StoreError
from kg.settings import Settings
from kg.store.build_slot import BuildSlot
from kg.store.engines import EngineProfile, profile_of
from kg.store.remote import REMOTE_INFO, endpoints

__all__ = ["publish"]

_GRAPHS_ON_SERVER = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def publish(settings: Settings, slot: BuildSlot, triples: int, beside_dump: Sequence[ox.NamedNode] = ()) -> None:
    """Replace the server's data with the new build (module docstring), then count it.

    ``beside_dump`` are graphs of the new store that no dump holds (the VoID graph describes
    the dumps): a whole-dataset upload sends them after the dump; a graph-by-graph upload
    walks every graph of the store, these included."""
    query, _, gsp = endpoints(settings)
    profile = profile_of(settings)
    timeout = httpx.Timeout(None, connect=10.0)  # a large upload takes as long as it takes
    try:
        with httpx.Client(timeout=timeout, auth=profile.auth(settings)) as client:
            if profile.upload == "dataset":
                _put_dataset(client, gsp, slot, beside_dump)
                foreign: list[str] = []
            else:
                foreign = _put_graphs(client, settings, slot)
            count = _count(client, query, profile, foreign)
    except httpx.HTTPError as exc:
        raise StoreError(f"Uploading the new build to {gsp} failed: {exc}. The server keeps its previous data.") from exc
    if count != triples:
        raise StoreError(
            f"The SPARQL server holds {count} quads after the upload, the build has {triples}. "
            "Check that it keeps named graphs (and nothing else writes to it)."
        )
    # Beside BUILD.json, not among the published artefacts: it names the (possibly internal) server.
    info = {"gsp": gsp, "quads": count, "engine": profile.name, "foreign_graphs": foreign}
    (slot.folder / REMOTE_INFO).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")


def _put_dataset(client: httpx.Client, gsp: str, slot: BuildSlot, beside_dump: Sequence[ox.NamedNode]) -> None:
    """One PUT of the build's N-Quads dump, decompressed while it streams: no second copy
    in memory or on disk; then the graphs ``beside_dump``."""
    dump = slot.artefacts_dir / "dumps" / "lokaalcirculair.nq.gz"
    if not dump.is_file():
        raise StoreError(f"The build has no N-Quads dump at {dump} to upload to the SPARQL server.")

    def body() -> Iterator[bytes]:
        with gzip.open(dump, "rb") as handle:
            while chunk := handle.read(1 << 20):
                yield chunk
        for graph in beside_dump:
            yield b"\n" + (ox.serialize(slot.store.quads_for_pattern(None, None, None, graph), format=ox.RdfFormat.N_QUADS) or b"")

    response = client.put(gsp, content=body(), headers={"Content-Type": "application/n-quads"})
    _refused(response, gsp, "the new build")


def _put_graphs(client: httpx.Client, settings: Settings, slot: BuildSlot) -> list[str]:
    """Replace graph by graph; delete our graphs the build dropped. Returns the foreign graphs."""
    query, _, gsp = endpoints(settings)
    profile = profile_of(settings)
    ours = f"{settings.base_iri}/graph/"
    on_server = _graphs(client, query)
    new: set[str] = set()
    for graph in slot.named_graphs():
        response = client.put(gsp, params={"graph": graph.value}, content=profile.for_upload(slot.graph_ntriples(graph)),
                              headers={"Content-Type": "application/n-triples"})
        _refused(response, gsp, f"graph {graph.value}")
        new.add(graph.value)
    for stale in sorted(g for g in on_server if g.startswith(ours) and g not in new):
        response = client.delete(gsp, params={"graph": stale})
        if response.status_code != 404:
            _refused(response, gsp, f"the removal of graph {stale}")
    return sorted(g for g in on_server if not g.startswith(ours))


def _refused(response: httpx.Response, gsp: str, what: str) -> None:
    if response.status_code == 401:
        raise StoreError(f"The Graph Store Protocol endpoint {gsp} asks for credentials to take {what}: "
                         "set KG_STORE_USER and KG_STORE_PASSWORD.")
    if response.status_code >= 300:
        raise StoreError(f"The SPARQL server refused {what} ({response.status_code}): {response.text.strip()[:300]}")


def _select(client: httpx.Client, query: str, sparql: str) -> ox.QuerySolutions:
    response = client.post(query, data={"query": sparql}, headers={"Accept": "application/sparql-results+json"})
    if response.status_code >= 300:
        raise StoreError(f"The SPARQL server {query} answered {response.status_code}: {response.text[:300]}")
    answer = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    if not isinstance(answer, ox.QuerySolutions):
        raise StoreError(f"The SPARQL server {query} answered a SELECT with {response.text[:300]!r}.")
    return answer


def _graphs(client: httpx.Client, query: str) -> set[str]:
    return {row["g"].value for row in _select(client, query, _GRAPHS_ON_SERVER) if isinstance(row["g"], ox.NamedNode)}


def _count(client: httpx.Client, query: str, profile: EngineProfile, foreign: list[str]) -> int:
    sparql = profile.prologue(foreign) + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    row = next(iter(_select(client, query, sparql)), None)
    value = row["n"] if row is not None else None
    if not isinstance(value, ox.Literal):
        raise StoreError(f"The SPARQL server {query} did not answer the count of its quads.")
    return int(value.value)

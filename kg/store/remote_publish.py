"""Putting a finished build on a remote SPARQL server, without downtime.

One **Graph Store Protocol request**: ``PUT`` of the whole dataset as N-Quads on the GSP
endpoint. Oxigraph (and Fuseki on TDB2, GraphDB) run one request as one transaction, so
readers see the old dataset until the new one is complete, and a failed upload changes
nothing. The build calls :func:`publish` after its artefacts are written and before its
local switch; reading the server is :mod:`kg.store.remote`.
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
from kg.store.remote import endpoints

__all__ = ["publish"]


def publish(settings: Settings, slot: BuildSlot, triples: int, beside_dump: Sequence[ox.NamedNode] = ()) -> None:
    """Replace the server's dataset with the new build in one transaction (one GSP PUT).

    The body is the build's N-Quads dump, decompressed while it streams: no second copy
    in memory or on disk, then the graphs ``beside_dump`` of the new store that no dump holds
    (the VoID graph describes the dumps). Afterwards the server is asked how many quads it
    holds, so a server that silently dropped data fails the build before it goes live locally.
    """
    _, _, gsp = endpoints(settings)
    dump = slot.artefacts_dir / "dumps" / "lokaalcirculair.nq.gz"
    if not dump.is_file():
        raise StoreError(f"The build has no N-Quads dump at {dump} to upload to the SPARQL server.")

    def body() -> Iterator[bytes]:
        with gzip.open(dump, "rb") as handle:
            while chunk := handle.read(1 << 20):
                yield chunk
        for graph in beside_dump:
            yield b"\n" + (ox.serialize(slot.store.quads_for_pattern(None, None, None, graph), format=ox.RdfFormat.N_QUADS) or b"")

    timeout = httpx.Timeout(None, connect=10.0)  # a large upload takes as long as it takes
    try:
        with httpx.Client(timeout=timeout) as client:
            response = client.put(gsp, content=body(), headers={"Content-Type": "application/n-quads"})
            if response.status_code >= 300:
                raise StoreError(f"The SPARQL server refused the new build ({response.status_code}): {response.text.strip()[:300]}")
            count = _count(client, settings)
    except httpx.HTTPError as exc:
        raise StoreError(f"Uploading the new build to {gsp} failed: {exc}. The server keeps its previous data.") from exc
    if count != triples:
        raise StoreError(
            f"The SPARQL server holds {count} quads after the upload, the build has {triples}. "
            "Check that it keeps named graphs (and nothing else writes to it)."
        )
    # Beside BUILD.json, not among the published artefacts: it names the (possibly internal) server.
    (slot.folder / "remote.json").write_text(json.dumps({"gsp": gsp, "quads": count}) + "\n", encoding="utf-8")


def _count(client: httpx.Client, settings: Settings) -> int:
    query, _, _ = endpoints(settings)
    response = client.post(query, data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                           headers={"Accept": "application/sparql-results+json"})
    if response.status_code >= 300:
        raise StoreError(f"The SPARQL server could not count its quads ({response.status_code}): {response.text[:300]}")
    answer = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    row = next(iter(answer), None) if isinstance(answer, ox.QuerySolutions) else None
    value = row["n"] if row is not None else None
    if not isinstance(value, ox.Literal):
        raise StoreError(f"The SPARQL server answered the count of its quads with {response.text[:300]!r}.")
    return int(value.value)

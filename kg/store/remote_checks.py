"""What a remote SPARQL server must do before the build or the web tier relies on it.

A misconfigured server fails silently otherwise: ``oxigraph serve`` started without
``--union-default-graph`` takes the upload, and then every query over the default graph
answers **0 rows** (and the answer cache keeps those empty answers). So each command
checks at start, and each failure is one :class:`~kg.errors.StoreError` line naming the
server setting to change:

* the query endpoint answers (``ASK {}``; :func:`kg.store.remote.check_reachable`);
* the default graph is the union of the named graphs: for ``kg build`` by writing a probe
  graph through the Graph Store Protocol endpoint (the build's upload goes there) and
  asking for it in the default graph, then dropping it through the update endpoint; for
  ``kg serve`` and ``kg query``, which must not write, by asking whether one triple of a
  named graph is missing from the default graph.

The probe graph's IRI is a fresh ``urn:uuid:`` that no build uses; it lives on the server
for the few milliseconds of the check.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from kg.errors import StoreError
from kg.settings import Settings
from kg.store.remote import check_reachable, endpoints

__all__ = ["check_server", "NOT_UNION"]

#: Said when the default graph is not the union of the named graphs.
NOT_UNION = (
    "The SPARQL server {query} (KG_STORE) does not answer queries over the union of its named graphs: "
    "every query would answer 0 rows. Start it with the union as default graph "
    "(oxigraph serve --union-default-graph; Fuseki: tdb2:unionDefaultGraph true; see docs/scaling.md)."
)
#: A triple of some named graph that the default graph lacks (one row of one graph: cheap on any size).
_MISSING_FROM_DEFAULT = "ASK { { SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1 } FILTER NOT EXISTS { ?s ?p ?o } }"


def check_server(settings: Settings, writes: bool) -> None:
    """Check the remote store of ``settings`` as the module docstring says (nothing for a folder).

    ``writes``: the command uploads (``kg build``): check the write endpoints with a probe.
    """
    if not settings.is_remote:
        return
    check_reachable(settings)
    query, update, gsp = endpoints(settings)
    with httpx.Client(timeout=httpx.Timeout(30.0, connect=5.0)) as client:
        if writes:
            _probe_writes(client, query, update, gsp)
        elif _ask(client, query, _MISSING_FROM_DEFAULT):
            raise StoreError(NOT_UNION.format(query=query))


def _ask(client: httpx.Client, query: str, sparql: str) -> bool:
    try:
        response = client.post(query, content=urlencode({"query": sparql}).encode("ascii"),
                               headers={"Accept": "application/sparql-results+json",
                                        "Content-Type": "application/x-www-form-urlencoded"})
    except httpx.HTTPError as exc:
        raise StoreError(f"The SPARQL server {query} (KG_STORE) cannot be reached: {exc}. Is it running?") from exc
    if response.status_code >= 300:
        raise StoreError(f"The SPARQL server {query} (KG_STORE) answered {response.status_code} to a check query: "
                         f"{response.text.strip()[:200]}")
    answer = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    return bool(answer) if isinstance(answer, ox.QueryBoolean) else False


def _probe_writes(client: httpx.Client, query: str, update: str, gsp: str) -> None:
    """Write a probe graph by GSP, find it in the default graph, drop it by SPARQL Update."""
    probe = f"urn:uuid:{uuid.uuid4()}"
    triple = f"<{probe}> <{probe}#probe> \"kg build: a check that this server answers over its named graphs\" .\n"
    try:
        put = client.put(gsp, params={"graph": probe}, content=triple.encode("utf-8"),
                         headers={"Content-Type": "application/n-triples"})
    except httpx.HTTPError as exc:
        raise StoreError(f"The Graph Store Protocol endpoint {gsp} (KG_GSP_URL) cannot be reached: {exc}.") from exc
    if put.status_code >= 300:
        raise StoreError(f"The Graph Store Protocol endpoint {gsp} (KG_GSP_URL) refused a write ({put.status_code}): "
                         f"{put.text.strip()[:200]}. The build uploads through it: allow writes there.")
    try:
        union = _ask(client, query, f"ASK {{ <{probe}> <{probe}#probe> ?o }}")
        try:
            dropped = client.post(update, content=f"DROP SILENT GRAPH <{probe}>".encode(),
                                  headers={"Content-Type": "application/sparql-update"})
        except httpx.HTTPError as exc:
            raise StoreError(f"The SPARQL update endpoint {update} (KG_UPDATE_URL) cannot be reached: {exc}.") from exc
        if dropped.status_code >= 300:
            raise StoreError(f"The SPARQL update endpoint {update} (KG_UPDATE_URL) refused an update ({dropped.status_code}): "
                             f"{dropped.text.strip()[:200]}. Allow updates there, or set KG_UPDATE_URL to the endpoint that takes them.")
    finally:
        try:  # whatever happened above, leave no probe behind
            client.delete(gsp, params={"graph": probe})
        except httpx.HTTPError:
            pass
    if not union:
        raise StoreError(NOT_UNION.format(query=query))

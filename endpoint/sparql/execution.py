"""Running one job on a store and serializing its answer within the caps.

The same function runs in a worker process (every query the endpoint has not
seen run cheaply) and in the web process (proven-cheap queries, see
:mod:`endpoint.sparql.inline_memo`), so an answer does not depend on where it
was computed.

**Caps.** At most ``max_rows`` rows (SELECT) or triples (CONSTRUCT/DESCRIBE)
and ``max_bytes`` bytes are serialized; an answer cut short says so in
:attr:`~endpoint.sparql.jobs.Answer.truncated` (``"rows"`` or ``"bytes"``),
which the HTTP reply announces (see :mod:`endpoint.sparql.replies`).

**A known row count.** The number of solutions of a query without
RAND/NOW/UUID/STRUUID over one snapshot is fixed (the row *order* or a SAMPLE
may differ, the count does not), so a re-run of an answer that was complete,
given its row count, serializes the engine's solutions directly instead of
counting them through the capping path (a one-row SELECT: ~30 µs → ~20 µs);
an answer over ``max_bytes`` still falls back to that path.

This module imports no web framework: worker processes start fast.
"""

from __future__ import annotations

import time
from itertools import islice

import pyoxigraph as ox

from endpoint.sparql.jobs import Answer, Job
from kg.errors import QueryError
from kg.media import GRAPH_FORMATS, PREFIXED_FORMATS, RESULT_FORMATS
from kg.namespaces import PREFIXES
from kg.store.graph_store import GraphStore

__all__ = ["execute", "RESULT_MEDIA", "GRAPH_MEDIA"]

#: Media type → pyoxigraph format, for SELECT/ASK answers and for graphs (from kg.media's table).
RESULT_MEDIA: dict[str, ox.QueryResultsFormat] = {f.media_type: f.results for f in RESULT_FORMATS if f.results}
GRAPH_MEDIA: dict[str, ox.RdfFormat] = {f.media_type: f.rdf for f in GRAPH_FORMATS if f.rdf}
_PREFIXED_FORMATS = {f.rdf for f in PREFIXED_FORMATS}
#: What an answer is written as when its job names no format of its kind.
_DEFAULT_RESULTS, _DEFAULT_GRAPH = "application/sparql-results+json", "text/turtle"


def execute(store: GraphStore, job: Job, rows: int = -1, inline: bool = False) -> Answer:
    """Run one job on a store and serialize the answer within the caps.

    ``rows``, when not negative, is the row count of a complete earlier answer to
    the same job on the same build (see the module docstring): SELECT results are
    then serialized as they come, without the capping pass.
    """
    started = time.perf_counter()
    build_id = store.build_id
    result = store.query(job.query, default_graph_uris=job.default_graphs, named_graph_uris=job.named_graphs)
    try:
        if isinstance(result, ox.QueryBoolean):
            fmt = RESULT_MEDIA.get(job.media_type)
            media = job.media_type if fmt else _DEFAULT_RESULTS
            body = _out(result.serialize(format=fmt or ox.QueryResultsFormat.JSON))
            return Answer(body, media, "boolean", 1, "", time.perf_counter() - started, build_id, inline)
        if isinstance(result, ox.QuerySolutions):
            if 0 <= rows <= job.max_rows:
                fmt = RESULT_MEDIA.get(job.media_type)
                body = _out(result.serialize(format=fmt or ox.QueryResultsFormat.JSON))
                if len(body) <= job.max_bytes:
                    media = job.media_type if fmt else _DEFAULT_RESULTS
                    return Answer(body, media, "results", rows, "", time.perf_counter() - started, build_id, inline)
                return execute(store, job, inline=inline)  # over the byte cap after all: cut it properly
            answer = _solutions(result, job, started, build_id)
        else:
            answer = _triples(result, job, started, build_id)
        if not inline:
            return answer
        return Answer(answer.body, answer.media_type, answer.kind, answer.rows, answer.truncated, answer.elapsed, answer.build_id, inline)
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        raise QueryError(f"The query failed while running: {exc}") from exc


def _out(body: bytes | None) -> bytes:
    """pyoxigraph returns the bytes when no output file is given."""
    return body or b""


def _solutions(result: ox.QuerySolutions, job: Job, started: float, build_id: str) -> Answer:
    fmt = RESULT_MEDIA.get(job.media_type)
    media = job.media_type if fmt else _DEFAULT_RESULTS
    fmt = fmt or ox.QueryResultsFormat.JSON
    variables = result.variables
    if not variables:  # SELECT * {} and friends: nothing to cap but the row count itself
        body = _out(result.serialize(format=fmt))
        return Answer(body, media, "results", -1, "", time.perf_counter() - started, build_id)
    # Collect at most max_rows rows as TSV lines (term syntax straight from the engine),
    # then let oxigraph's fast serializers write the wanted format from them.
    header = "\t".join(str(v) for v in variables)
    lines: list[str] = []
    truncated = ""
    for solution in result:
        if len(lines) == job.max_rows:
            truncated = "rows"
            break
        lines.append("\t".join(["" if term is None else str(term) for term in solution]))
    keep = len(lines)
    while True:
        text = header + "\n" + "".join(line + "\n" for line in lines[:keep])
        body = _out(ox.parse_query_results(text.encode("utf-8"), format=ox.QueryResultsFormat.TSV).serialize(format=fmt))
        if len(body) <= job.max_bytes or keep == 0:
            break
        truncated = "bytes"
        keep = int(keep * job.max_bytes / len(body) * 0.95)
    return Answer(body, media, "results", keep, truncated, time.perf_counter() - started, build_id)


def _triples(result: ox.QueryTriples, job: Job, started: float, build_id: str) -> Answer:
    fmt = GRAPH_MEDIA.get(job.media_type)
    media = job.media_type if fmt else _DEFAULT_GRAPH
    fmt = fmt or ox.RdfFormat.TURTLE
    triples = list(islice(result, job.max_rows + 1))
    truncated = ""
    if len(triples) > job.max_rows:
        truncated = "rows"
        del triples[job.max_rows :]
    prefixes = PREFIXES if fmt in _PREFIXED_FORMATS else None
    keep = len(triples)
    while True:
        body = _out(ox.serialize(triples[:keep], format=fmt, prefixes=prefixes) if prefixes else ox.serialize(triples[:keep], format=fmt))
        if len(body) <= job.max_bytes or keep == 0:
            break
        truncated = "bytes"
        keep = int(keep * job.max_bytes / len(body) * 0.95)
    return Answer(body, media, "graph", keep, truncated, time.perf_counter() - started, build_id)

"""A query job and its answer: what the SPARQL endpoint passes between its parts.

The protocol (:mod:`endpoint.sparql.protocol`) turns a request into a
:class:`Job`; the query runner answers it with an :class:`Answer`, computed in
a worker process or inline, possibly kept by the answer cache; the HTTP reply
(:mod:`endpoint.sparql.replies`) is made from the answer. Both are plain frozen
data with no behaviour, so every part can import them and none imports another
part for them (the answer cache and the runner used to import each other).

A job is hashable: the answer cache and the inline memo are keyed by it.

>>> job = Job("ASK {}", media_type="text/csv")
>>> job == Job("ASK {}", media_type="text/csv"), job.max_rows
(True, 10000)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Job", "Answer"]


@dataclass(frozen=True)
class Job:
    """One query to run: the protocol's parameters plus the answer's format and caps."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    media_type: str = "application/sparql-results+json"
    max_rows: int = 10_000
    max_bytes: int = 50_000_000
    #: No RAND/NOW/UUID/STRUUID (see :mod:`endpoint.sparql.query_guard`): the same job has one answer per build.
    deterministic: bool = True
    #: Lines the endpoint put before the query (the project prefixes it declared, see
    #: :mod:`endpoint.sparql.prefixes`): a parse error's line is told without them.
    prologue: int = 0


@dataclass(frozen=True)
class Answer:
    """A serialized answer, ready to send."""

    body: bytes
    media_type: str
    kind: str  # "results" (SELECT), "boolean" (ASK) or "graph" (CONSTRUCT/DESCRIBE)
    rows: int  # solutions or triples in the body
    truncated: str  # "" when complete, else "rows" or "bytes"
    elapsed: float  # seconds spent querying and serializing
    build_id: str
    inline: bool = False  # run in the web process (see endpoint.sparql.inline_memo)
    etag: str = ""  # set when the answer is kept in the answer cache (see endpoint.sparql.answer_cache)
    cached: bool = False  # served from the answer cache

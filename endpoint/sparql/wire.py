"""How jobs and answers travel between the web process and a query worker process.

One socket pair per worker; every message is a frame: a 4-byte big-endian
length and a :mod:`marshal` payload (the fastest serializer of plain tuples
of str/bytes/int/float in the standard library; both ends are the same
Python). The layouts of the tuples are written down here once, for both ends::

    web → worker   (build_id, query, default_graphs, named_graphs, media_type, max_rows, max_bytes)
    worker → web   ("ready", build_id)                          once, after the store opened
                   ("ok", body, media_type, kind, rows, truncated, elapsed, build_id)
                   ("error", error class name, message)

An error crosses the process boundary as its class name and message and is
raised again on this side as the nearest class whose constructor takes a
message (so it keeps its HTTP status and title):

>>> job = Job("ASK {}", ("urn:g",))
>>> job_from_message(unframe(frame(job_message(job, "b1"))))
('b1', Job(query='ASK {}', default_graphs=('urn:g',), named_graphs=(), media_type='application/sparql-results+json', max_rows=10000, max_bytes=50000000, deterministic=True, prologue=0))
>>> type(error_from_message("UpdateRefused", "read-only")).__name__
'QueryError'
"""

from __future__ import annotations

import marshal
import struct
from typing import Any, Callable

from endpoint.sparql.jobs import Answer, Job
from kg.errors import KGError, QueryError, QueryTimeout, StoreError

__all__ = ["HEADER", "frame", "unframe", "job_message", "job_from_message", "answer_message", "answer_from_message",
           "error_message", "error_from_message"]

#: The length prefix of every frame.
HEADER = struct.Struct("!I")

#: Error classes a worker may report, by name → the class raised here (one that takes a message).
#: How the web process raises again an error a worker reported (by class name, with its message).
#: A timeout in the worker (a remote store's own deadline) stays a timeout: 503, not 400.
_ERRORS: dict[str, Callable[[str], KGError]] = {
    "QueryError": QueryError, "QueryRefused": QueryError, "UpdateRefused": QueryError,
    "StoreError": StoreError, "NoBuildError": StoreError,
    "QueryTimeout": lambda message: QueryTimeout(0, message),
}


def frame(message: Any) -> bytes:
    """One message as the bytes written to the socket."""
    payload = marshal.dumps(message)
    return HEADER.pack(len(payload)) + payload


def unframe(data: bytes) -> Any:
    """The message of one whole frame."""
    return marshal.loads(data[HEADER.size :])


def job_message(job: Job, build_id: str) -> tuple[Any, ...]:
    """What the web process sends: the job, and the build it should run on."""
    return (build_id, job.query, job.default_graphs, job.named_graphs, job.media_type, job.max_rows, job.max_bytes)


def job_from_message(message: Any) -> tuple[str, Job]:
    """(build id, job) of a message made by :func:`job_message`."""
    build_id, query, dgs, ngs, media_type, max_rows, max_bytes = message
    return build_id, Job(query, tuple(dgs), tuple(ngs), media_type, max_rows, max_bytes)


def answer_message(answer: Answer) -> tuple[Any, ...]:
    """What a worker sends back for an answered job."""
    return ("ok", answer.body, answer.media_type, answer.kind, answer.rows, answer.truncated, answer.elapsed, answer.build_id)


def answer_from_message(message: Any) -> Answer:
    """The answer of an ``"ok"`` message, or the error of an ``"error"`` message raised."""
    if message[0] != "ok":
        raise error_from_message(message[1], message[2])
    _, body, media_type, kind, rows, truncated, elapsed, build_id = message
    return Answer(body, media_type, kind, rows, truncated, elapsed, build_id)


def error_message(error: KGError) -> tuple[str, str, str]:
    """What a worker sends for an error of ours."""
    return ("error", type(error).__name__, str(error))


def error_from_message(name: str, message: str) -> KGError:
    """The error to raise in the web process for one a worker reported."""
    return _ERRORS.get(name, QueryError)(message)

"""The query runner: every SPARQL query under a hard deadline, in killable processes.

pyoxigraph cannot cancel a query: an aggregate or an ORDER BY over a huge join
runs inside ``Store.query`` until it is done. So queries run in a pool of
worker processes (``KG_QUERY_WORKERS``); a worker still busy at the deadline
(``KG_QUERY_TIMEOUT``) is killed with SIGKILL and replaced, the client gets
:class:`~kg.errors.QueryTimeout`, and the web process, which only waits on a
socket, keeps answering everyone else.

::

    web process (asyncio)                       worker process (one per slot)
    QueryRunner.run(job) ── socketpair, frame ──► open_store(settings) read-only
        │  deadline timer: kill + replace          refresh() when the job names a newer build
        ◄── frame: body bytes, rows, truncated ──  execute(): query, cap, serialize

Each worker opens the store itself (``kg.store.open_store.open_store``), read-only, and
moves to a new build between two jobs when the web process says one went
live; a job already running finishes on the build it started on.

**Proven-cheap queries run inline.** A process round trip costs more than a
one-row SELECT (measured: ~9 000 req/s through the pool against ~18 000
inline). A query whose exact text, dataset and format already ran in a worker
*on the same build* within ``inline_budget`` seconds, and that calls no
non-deterministic function (RAND, NOW, UUID, STRUUID), is run again in the web
process. The deadline still holds: the store snapshot is read-only and the
engine is deterministic (its hash tables use a fixed hasher), so the same
query does the same work; a new build clears the memo, and an inline run
that takes more than ten times the budget is evicted from it. Every query the
endpoint has not yet seen run cheaply goes to the pool.

The memo also keeps how many rows the worker's answer had. The number of
solutions of a query without RAND/NOW/UUID/STRUUID over one snapshot is fixed
(the row *order* or a SAMPLE may differ, the count does not), so an inline
re-run of an answer that was complete serializes the engine's solutions
directly instead of counting them through the capping path (a one-row SELECT:
~30 µs → ~20 µs); an answer over ``max_bytes`` still falls back to that path.

**Caps.** At most ``max_result_rows`` rows (SELECT) or triples
(CONSTRUCT/DESCRIBE) and ``max_result_bytes`` bytes are serialized; an answer
cut short says so in :attr:`Answer.truncated` (``"rows"`` or ``"bytes"``),
which the HTTP layer announces (see :mod:`endpoint.sparql.routes`).

This module imports no web framework: worker processes start fast.
"""

from __future__ import annotations

import asyncio
import collections
import json
import marshal
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox

from endpoint.sparql.answer_cache import AnswerCache
from kg.errors import KGError, QueryError, QueryTimeout, StoreError
from kg.media import GRAPH_FORMATS, PREFIXED_FORMATS, RESULT_FORMATS
from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.store.graph_store import GraphStore
from kg.store.open_store import open_store

__all__ = ["Answer", "Job", "QueryRunner", "execute", "RESULT_MEDIA", "GRAPH_MEDIA"]

_FRAME = struct.Struct("!I")

#: Media type → pyoxigraph format, for SELECT/ASK answers and for graphs (from kg.media's table).
RESULT_MEDIA: dict[str, ox.QueryResultsFormat] = {f.media_type: f.results for f in RESULT_FORMATS if f.results}
GRAPH_MEDIA: dict[str, ox.RdfFormat] = {f.media_type: f.rdf for f in GRAPH_FORMATS if f.rdf}
_PREFIXED_FORMATS = {f.rdf for f in PREFIXED_FORMATS}

#: Queries longer than this are never remembered as cheap (bounds the memo's memory).
_MEMO_MAX_QUERY = 4096
_MEMO_SIZE = 4096


@dataclass(frozen=True)
class Job:
    """One query to run: the protocol's parameters plus the answer's format and caps."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    media_type: str = "application/sparql-results+json"
    max_rows: int = 10_000
    max_bytes: int = 50_000_000
    deterministic: bool = True

    def wire(self, build_id: str) -> bytes:
        payload = marshal.dumps((build_id, self.query, self.default_graphs, self.named_graphs, self.media_type, self.max_rows, self.max_bytes))
        return _FRAME.pack(len(payload)) + payload


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
    inline: bool = False
    etag: str = ""  # set when the answer is kept in the answer cache (see endpoint.sparql.answer_cache)
    cached: bool = False  # served from the answer cache


# --- execution (in a worker, or inline for proven-cheap queries) -------------------------


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
            media = job.media_type if fmt else "application/sparql-results+json"
            body = _out(result.serialize(format=fmt or ox.QueryResultsFormat.JSON))
            return Answer(body, media, "boolean", 1, "", time.perf_counter() - started, build_id, inline)
        if isinstance(result, ox.QuerySolutions):
            if 0 <= rows <= job.max_rows:
                fmt = RESULT_MEDIA.get(job.media_type)
                body = _out(result.serialize(format=fmt or ox.QueryResultsFormat.JSON))
                if len(body) <= job.max_bytes:
                    media = job.media_type if fmt else "application/sparql-results+json"
                    return Answer(body, media, "results", rows, "", time.perf_counter() - started, build_id, inline)
                return execute(store, job, inline=inline)  # over the byte cap after all: cut it properly
            answer = _solutions(result, job, started, build_id)
        else:
            answer = _triples(result, job, started, build_id)
        return Answer(answer.body, answer.media_type, answer.kind, answer.rows, answer.truncated, answer.elapsed, answer.build_id, inline) if inline else answer
    except (OSError, RuntimeError, ValueError, SyntaxError) as exc:
        raise QueryError(f"The query failed while running: {exc}") from exc


def _out(body: bytes | None) -> bytes:
    """pyoxigraph returns the bytes when no output file is given."""
    return body or b""


def _solutions(result: ox.QuerySolutions, job: Job, started: float, build_id: str) -> Answer:
    fmt = RESULT_MEDIA.get(job.media_type)
    media = job.media_type if fmt else "application/sparql-results+json"
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
    media = job.media_type if fmt else "text/turtle"
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


# --- the worker process -------------------------------------------------------------------


def _send(sock: socket.socket, message: Any) -> None:
    payload = marshal.dumps(message)
    sock.sendall(_FRAME.pack(len(payload)) + payload)


def _exit_with_parent() -> None:
    """End this worker when the web process is gone (even if it was killed with SIGKILL)."""
    parent = os.getppid()
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def worker_main(fd: int, settings_json: str) -> None:
    """Serve jobs on one socket until it closes: the body of a worker process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    sock = socket.socket(fileno=fd)
    settings = Settings(**json.loads(settings_json))
    try:
        store = open_store(settings)
    except KGError as exc:
        _send(sock, ("error", type(exc).__name__, str(exc)))
        return
    _send(sock, ("ready", store.build_id))
    stream = sock.makefile("rb")
    while True:
        head = stream.read(4)
        if len(head) < 4:
            return  # the web process closed the socket: stop
        build_id, query, dgs, ngs, media, max_rows, max_bytes = marshal.loads(stream.read(_FRAME.unpack(head)[0]))
        if build_id and build_id != store.build_id:
            try:
                store.refresh()
            except KGError:
                pass  # keep serving the build we have; the next job tries again
        try:
            answer = execute(store, Job(query, tuple(dgs), tuple(ngs), media, max_rows, max_bytes))
        except KGError as exc:
            _send(sock, ("error", type(exc).__name__, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - an engine surprise must not kill the worker silently
            _send(sock, ("error", "QueryError", f"The query failed while running: {exc}"))
            continue
        _send(sock, ("ok", answer.body, answer.media_type, answer.kind, answer.rows, answer.truncated, answer.elapsed, answer.build_id))


# --- the pool, in the web process -----------------------------------------------------------


class WorkerGone(Exception):
    """The worker process ended while a job was on it."""


class _Worker(asyncio.Protocol):
    """One worker process and the framed socket to it."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Any] | None = None
        self.alive = True

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) < 4:
            return
        size = _FRAME.unpack_from(self.buffer)[0]
        if len(self.buffer) < 4 + size:
            return
        message = marshal.loads(bytes(self.buffer[4 : 4 + size]))
        del self.buffer[: 4 + size]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.alive = False
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(WorkerGone())

    def expect(self) -> asyncio.Future[Any]:
        self.waiter = asyncio.get_running_loop().create_future()
        return self.waiter

    def kill(self) -> None:
        self.alive = False
        try:
            self.process.kill()
        except ProcessLookupError:
            pass
        if self.transport is not None:
            self.transport.close()
        # Reap without blocking the event loop.
        threading.Thread(target=self.process.wait, daemon=True).start()


_ERRORS: dict[str, type[KGError]] = {"QueryError": QueryError, "QueryRefused": QueryError, "UpdateRefused": QueryError, "StoreError": StoreError, "NoBuildError": StoreError}


def _raise(name: str, message: str) -> None:
    cls = _ERRORS.get(name, QueryError)
    raise cls(message)


class QueryRunner:
    """A pool of query workers with a hard deadline, plus the memo of proven-cheap queries."""

    def __init__(self, settings: Settings, store: Callable[[], GraphStore], inline_budget: float = 0.001) -> None:
        self.settings = settings
        self._store = store
        self.inline_budget = inline_budget
        self.size = settings.query_workers
        self._idle: collections.deque[_Worker] = collections.deque()
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._workers: set[_Worker] = set()
        #: (query, dataset, media type) → row count of its complete answer (-1: not a counted SELECT).
        self._memo: collections.OrderedDict[tuple[Any, ...], int] = collections.OrderedDict()
        self._memo_build = ""
        self.answers = AnswerCache(settings.answer_cache_bytes)
        self._spawning: set[asyncio.Task[None]] = set()
        self._closed = False

    # lifecycle

    async def start(self) -> None:
        """Start the workers; raises StoreError/NoBuildError when they cannot open the store."""
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        root = str(Path(__file__).resolve().parent.parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen(
            [sys.executable, "-m", "endpoint.sparql.query_workers", str(theirs.fileno()), self.settings.model_dump_json()],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        theirs.close()
        worker = _Worker(process)
        await loop.create_connection(lambda: worker, sock=ours)
        try:
            hello = await asyncio.wait_for(worker.expect(), timeout=120)
        except (WorkerGone, asyncio.TimeoutError) as exc:
            worker.kill()
            raise StoreError("A query worker could not start; see the server log.") from exc
        if hello[0] != "ready":
            worker.kill()
            _raise(hello[1], hello[2])
        if self._closed:
            worker.kill()
            return
        self._workers.add(worker)
        self._release(worker)

    def _replace(self) -> None:
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._spawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        self._idle.clear()

    # running

    @property
    def memo_size(self) -> int:
        return len(self._memo)

    async def run(self, job: Job) -> Answer:
        """Run a job within the deadline, inline when proven cheap, else on a worker."""
        store = self._store()
        build_id = store.build_id
        if build_id != self._memo_build:
            self._memo.clear()
            self._memo_build = build_id
        kept = self.answers.get(build_id, job)
        if kept is not None:
            return kept
        key = (job.query, job.default_graphs, job.named_graphs, job.media_type)
        rows = self._memo.get(key)
        if rows is not None and store.in_process:
            answer = execute(store, job, rows, inline=True)
            if answer.elapsed > 10 * self.inline_budget or answer.build_id != build_id:
                self._memo.pop(key, None)
            else:
                self._memo.move_to_end(key)
            return self.answers.put(build_id, job, answer)
        answer = await self._on_worker(job, build_id)
        if (
            job.deterministic and answer.elapsed <= self.inline_budget and answer.build_id == build_id
            and len(job.query) <= _MEMO_MAX_QUERY and self.inline_budget > 0
        ):
            self._memo[key] = answer.rows if answer.kind == "results" and not answer.truncated else -1
            if len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        return self.answers.put(build_id, job, answer)

    async def _on_worker(self, job: Job, build_id: str) -> Answer:
        loop = asyncio.get_running_loop()
        timeout = self.settings.query_timeout
        deadline = loop.time() + timeout
        worker = await self._acquire(deadline)
        reply = worker.expect()
        timer = loop.call_at(deadline, self._expire, worker, reply, timeout)
        assert worker.transport is not None
        worker.transport.write(job.wire(build_id))
        try:
            message = await reply
        except WorkerGone as exc:
            timer.cancel()
            self._lost(worker)
            raise StoreError("The query worker stopped unexpectedly (out of memory?); the query was not answered.") from exc
        except BaseException:
            # Timed out (QueryTimeout set by _expire) or the request was cancelled: the
            # worker may still be busy, so it cannot be reused.
            timer.cancel()
            if worker.alive:
                worker.kill()
            self._lost(worker)
            raise
        timer.cancel()
        self._release(worker)
        if message[0] != "ok":
            _raise(message[1], message[2])
        _, body, media, kind, rows, truncated, elapsed, answered_by = message
        return Answer(body, media, kind, rows, truncated, elapsed, answered_by)

    def _expire(self, worker: _Worker, reply: asyncio.Future[Any], timeout: float) -> None:
        if not reply.done():
            reply.set_exception(QueryTimeout(timeout))
        worker.kill()

    def _lost(self, worker: _Worker) -> None:
        if worker in self._workers:
            self._workers.discard(worker)
            self._replace()

    async def _acquire(self, deadline: float) -> _Worker:
        while self._idle:
            worker = self._idle.popleft()
            if worker.alive:
                return worker
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Worker] = loop.create_future()
        self._waiting.append(waiter)
        def give_up() -> None:
            if not waiter.done():
                waiter.set_exception(self._busy())

        timer = loop.call_at(deadline, give_up)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result())  # handed over just as the request went away
            raise
        finally:
            timer.cancel()

    def _busy(self) -> QueryTimeout:
        error = QueryTimeout(self.settings.query_timeout)
        error.args = (
            f"All {self.size} query workers stayed busy for the whole limit of {self.settings.query_timeout:g} seconds, "
            "so the query was not started. Try again in a moment.",
        )
        return error

    def _release(self, worker: _Worker) -> None:
        if not worker.alive:
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)


if __name__ == "__main__":  # a worker process: ``python -m endpoint.sparql.query_workers FD SETTINGS_JSON``
    worker_main(int(sys.argv[1]), sys.argv[2])

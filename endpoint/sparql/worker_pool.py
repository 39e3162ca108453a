"""The pool of query worker processes: every job on a worker runs under a hard deadline.

pyoxigraph cannot cancel a query: an aggregate or an ORDER BY over a huge join
runs inside ``Store.query`` until it is done. So queries run in worker
processes (``KG_QUERY_WORKERS`` of them, plus ``KG_QUERY_RESERVE_WORKERS`` kept for clients
with nothing running; :mod:`endpoint.sparql.worker_process`);
a worker still busy at the deadline (``KG_QUERY_TIMEOUT``) is killed with
SIGKILL and replaced, the client gets :class:`~kg.errors.QueryTimeout`, and the
web process, which only waits on a socket, keeps answering everyone else.

::

    web process (asyncio)                       worker process (one per slot)
    WorkerPool.run(job) ── socketpair, frame ──► open_store(settings) read-only
        │  deadline timer: kill + replace          refresh() when the job names a newer build
        ◄── frame: body bytes, rows, truncated ──  execute(): query, cap, serialize

Which waiting job gets a free worker, and how much each client may use, is the
rule of :mod:`endpoint.sparql.fairness`. A job waits for a worker at most
``KG_QUEUE_TIMEOUT`` seconds (and its wait counts against its deadline); then it
is refused with a :class:`~kg.errors.QueryTimeout` carrying ``Retry-After``,
without being started. A job whose client disconnects is stopped: its worker is
killed and replaced, as at the deadline.
"""

from __future__ import annotations

import asyncio
import collections
import math
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Awaitable, Callable, cast

from endpoint.sparql import worker_process
from endpoint.sparql.fairness import ClientLedger, FairQueue
from endpoint.sparql.jobs import Answer, Job
from endpoint.sparql.wire import HEADER, answer_from_message, error_from_message, frame, job_message, unframe
from kg.errors import QueryError, QueryTimeout, StoreError
from kg.settings import Settings

__all__ = ["WorkerPool", "WorkerGone", "ClientGone", "Disconnect"]

#: Returns when the client that asked has disconnected (see :func:`endpoint.sparql.routes.answer_query`).
Disconnect = Callable[[], Awaitable[None]]

#: The command that starts a worker, before its two arguments (socket fd, settings as JSON).
WORKER_COMMAND = (sys.executable, "-m", worker_process.__name__)
#: The folder that holds the ``endpoint`` package: on the worker's PYTHONPATH.
_ROOT = str(Path(__file__).resolve().parent.parent.parent)
#: How long a new worker may take to open the store and say it is ready.
_START_TIMEOUT = 120


class WorkerGone(StoreError):
    """The worker process ended while a job was on it (killed at the deadline, or it crashed)."""

    def __init__(self) -> None:
        super().__init__("The query worker stopped while it ran this query; it is being replaced. Try again.")


class ClientGone(QueryError):
    """The client disconnected while its query ran: the query was stopped (nginx's 499; nobody reads it)."""

    http_status = 499
    title = "Client Closed Request"

    def __init__(self) -> None:
        super().__init__("The client closed the connection; its query was stopped.")


class WorkerConnection(asyncio.Protocol):
    """One worker process and the framed socket to it."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.transport: asyncio.WriteTransport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[Any] | None = None
        self.alive = True

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's socket transports write like asyncio's but are not registered as its subclasses.
        self.transport = cast(asyncio.WriteTransport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) < HEADER.size:
            return
        end = HEADER.size + HEADER.unpack_from(self.buffer)[0]
        if len(self.buffer) < end:
            return
        message = unframe(bytes(self.buffer[:end]))
        del self.buffer[:end]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.alive = False
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(WorkerGone())

    def expect(self) -> asyncio.Future[Any]:
        """The next message from the worker, when it comes."""
        self.waiter = asyncio.get_running_loop().create_future()
        return self.waiter

    def send(self, data: bytes) -> None:
        assert self.transport is not None
        self.transport.write(data)

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


class WorkerPool:
    """``query_workers`` + ``query_reserve_workers`` worker processes, handed out one job at a time
    under the deadline, by the rules of :mod:`endpoint.sparql.fairness`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.size = settings.query_workers + settings.query_reserve_workers
        self._idle: collections.deque[WorkerConnection] = collections.deque()
        self.queue: FairQueue[WorkerConnection] = FairQueue(settings.query_reserve_workers)
        self.ledger = ClientLedger(settings.client_concurrent_queries, settings.client_query_seconds)
        self._workers: set[WorkerConnection] = set()
        self._spawning: set[asyncio.Task[None]] = set()
        self._closed = False

    # lifecycle

    async def start(self) -> None:
        """Start the workers; raises StoreError/NoBuildError when they cannot open the store."""
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")]))}
        process = subprocess.Popen(
            [*WORKER_COMMAND, str(theirs.fileno()), self.settings.model_dump_json()],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        theirs.close()
        worker = WorkerConnection(process)
        await loop.create_connection(lambda: worker, sock=ours)
        try:
            hello = await asyncio.wait_for(worker.expect(), timeout=_START_TIMEOUT)
        except (WorkerGone, asyncio.TimeoutError) as exc:
            worker.kill()
            raise StoreError("A query worker could not start; see the server log.") from exc
        if hello[0] != "ready":
            worker.kill()
            raise error_from_message(hello[1], hello[2])
        if self._closed:
            worker.kill()
            return
        self._workers.add(worker)
        self._release(worker, None)

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

    async def run(self, job: Job, build_id: str, client: str = "", gone: Disconnect | None = None) -> Answer:
        """Run a job on a worker (moving it to ``build_id`` first) within the deadline.

        ``client`` is who the job counts against (:mod:`endpoint.sparql.fairness`): it is charged
        the time the job held a worker. ``gone`` returns when the client has disconnected, and
        then the query is stopped.
        """
        self.ledger.admit(client)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.query_timeout
        try:
            worker = await self._acquire(client, min(deadline, loop.time() + self.settings.queue_timeout))
        except BaseException:
            self.ledger.finish(client, 0.0)
            raise
        began = loop.time()
        try:
            return await self._on(worker, job, build_id, client, gone, deadline)
        finally:
            self.ledger.finish(client, loop.time() - began)

    async def _on(self, worker: WorkerConnection, job: Job, build_id: str, client: str,
                  gone: Disconnect | None, deadline: float) -> Answer:
        loop = asyncio.get_running_loop()
        timeout = self.settings.query_timeout
        reply = worker.expect()
        timer = loop.call_at(deadline, self._expire, worker, reply, timeout)
        watch = loop.create_task(self._watch(gone, worker, reply)) if gone is not None else None
        worker.send(frame(job_message(job, build_id)))
        try:
            message = await reply
        except WorkerGone as exc:
            self._lost(worker, client)
            raise StoreError("The query worker stopped unexpectedly (out of memory?); the query was not answered.") from exc
        except BaseException:
            # Timed out (QueryTimeout set by _expire), the client went away (ClientGone set by
            # _watch) or the request was cancelled: the worker may still be busy, so it cannot be reused.
            if worker.alive:
                worker.kill()
            self._lost(worker, client)
            raise
        finally:
            timer.cancel()
            if watch is not None:
                watch.cancel()
        self._release(worker, client)
        return answer_from_message(message)

    @staticmethod
    async def _watch(gone: Disconnect, worker: WorkerConnection, reply: asyncio.Future[Any]) -> None:
        """Stop the query when its client disconnects: nobody is left to read the answer."""
        await gone()
        if not reply.done():  # else the answer is in, and the worker goes back to the pool
            reply.set_exception(ClientGone())
            worker.kill()

    def _expire(self, worker: WorkerConnection, reply: asyncio.Future[Any], timeout: float) -> None:
        if not reply.done():
            reply.set_exception(QueryTimeout(timeout))
        worker.kill()

    def _lost(self, worker: WorkerConnection, client: str) -> None:
        self.queue.gave_back(client)
        if worker in self._workers:
            self._workers.discard(worker)
            self._replace()
        self._dispatch()  # the client holds one worker fewer: its waiting job may now take an idle one

    async def _acquire(self, client: str, give_up_at: float) -> WorkerConnection:
        """A worker for ``client``: at once when the rules of :class:`FairQueue` allow, else in its turn."""
        while self._idle and not self._idle[0].alive:
            self._idle.popleft()
        if self.queue.may_take(client, len(self._idle)):
            self.queue.took(client)
            return self._idle.popleft()
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[WorkerConnection] = loop.create_future()
        self.queue.push(client, waiter)

        def give_up() -> None:
            if not waiter.done():
                waiter.set_exception(self._busy())

        timer = loop.call_at(give_up_at, give_up)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release(waiter.result(), client)  # handed over just as the request went away
            raise
        finally:
            timer.cancel()

    def _busy(self) -> QueryTimeout:
        wait = min(self.settings.queue_timeout, self.settings.query_timeout)
        return QueryTimeout(
            self.settings.query_timeout,
            f"No query worker became free for this query within {wait:g} seconds (KG_QUEUE_TIMEOUT): all {self.size} "
            "were busy, or kept for clients with nothing running. The query was not started; try again in a moment.",
            retry_after=max(1, math.ceil(wait)),
        )

    def _release(self, worker: WorkerConnection, client: str | None) -> None:
        """Give a worker back (``client`` None: a new one) and hand idle workers to waiters in their turn."""
        if client is not None:
            self.queue.gave_back(client)
        if worker.alive:
            self._idle.append(worker)
        self._dispatch()

    def _dispatch(self) -> None:
        """Hand idle workers to waiting jobs, in their turn, as long as the rules allow."""
        while self._idle:
            while self._idle and not self._idle[0].alive:
                self._idle.popleft()
            turn = self.queue.next(len(self._idle)) if self._idle else None
            if turn is None:
                return
            waiter_client, waiter = turn
            self.queue.took(waiter_client)
            waiter.set_result(self._idle.popleft())

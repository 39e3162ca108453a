"""The pool of query worker processes: every job on a worker runs under a hard deadline.

pyoxigraph cannot cancel a query: an aggregate or an ORDER BY over a huge join
runs inside ``Store.query`` until it is done. So queries run in worker
processes (``KG_QUERY_WORKERS`` of them, :mod:`endpoint.sparql.worker_process`);
a worker still busy at the deadline (``KG_QUERY_TIMEOUT``) is killed with
SIGKILL and replaced, the client gets :class:`~kg.errors.QueryTimeout`, and the
web process, which only waits on a socket, keeps answering everyone else.

::

    web process (asyncio)                       worker process (one per slot)
    WorkerPool.run(job) ── socketpair, frame ──► open_store(settings) read-only
        │  deadline timer: kill + replace          refresh() when the job names a newer build
        ◄── frame: body bytes, rows, truncated ──  execute(): query, cap, serialize

A job waiting for a free worker counts against the same deadline: when all
workers stay busy for the whole limit, it is refused with a
:class:`~kg.errors.QueryTimeout` that says so, without being started.
"""

from __future__ import annotations

import asyncio
import collections
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, cast

from endpoint.sparql import worker_process
from endpoint.sparql.jobs import Answer, Job
from endpoint.sparql.wire import HEADER, answer_from_message, error_from_message, frame, job_message, unframe
from kg.errors import QueryTimeout, StoreError
from kg.settings import Settings

__all__ = ["WorkerPool", "WorkerGone"]

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
    """``settings.query_workers`` worker processes, handed out one job at a time under the deadline."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.size = settings.query_workers
        self._idle: collections.deque[WorkerConnection] = collections.deque()
        self._waiting: collections.deque[asyncio.Future[WorkerConnection]] = collections.deque()
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

    async def run(self, job: Job, build_id: str) -> Answer:
        """Run a job on a worker (moving it to ``build_id`` first) within the deadline."""
        loop = asyncio.get_running_loop()
        timeout = self.settings.query_timeout
        deadline = loop.time() + timeout
        worker = await self._acquire(deadline)
        reply = worker.expect()
        timer = loop.call_at(deadline, self._expire, worker, reply, timeout)
        worker.send(frame(job_message(job, build_id)))
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
        return answer_from_message(message)

    def _expire(self, worker: WorkerConnection, reply: asyncio.Future[Any], timeout: float) -> None:
        if not reply.done():
            reply.set_exception(QueryTimeout(timeout))
        worker.kill()

    def _lost(self, worker: WorkerConnection) -> None:
        if worker in self._workers:
            self._workers.discard(worker)
            self._replace()

    async def _acquire(self, deadline: float) -> WorkerConnection:
        while self._idle:
            worker = self._idle.popleft()
            if worker.alive:
                return worker
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[WorkerConnection] = loop.create_future()
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

    def _release(self, worker: WorkerConnection) -> None:
        if not worker.alive:
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

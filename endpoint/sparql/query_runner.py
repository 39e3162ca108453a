"""The query runner: where each job is answered, cheapest first.

::

    run(job) ─► answer cache: the same job already answered on the live build?   → that answer
             ─► inline memo: proven cheap on the live build (embedded store)?    → execute() here
             ─► worker pool: any other job, in a killable process, under the deadline

The three parts are :mod:`endpoint.sparql.answer_cache`,
:mod:`endpoint.sparql.inline_memo` and :mod:`endpoint.sparql.worker_pool`;
this module only orders them. Whatever answers, the answer is offered to the
cache (which keeps it when its rules allow and then gives it an ETag).

It imports no web framework.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from endpoint.sparql.answer_cache import AnswerCache
from endpoint.sparql.execution import execute
from endpoint.sparql.inline_memo import InlineMemo
from endpoint.sparql.jobs import Answer, Job
from endpoint.sparql.worker_pool import ClientGone, Disconnect, WorkerPool
from kg.settings import Settings
from kg.store.graph_store import GraphStore

__all__ = ["QueryRunner"]


class QueryRunner:
    """The answer cache, the memo of proven-cheap queries and the pool of query workers of one web process."""

    def __init__(self, settings: Settings, store: Callable[[], GraphStore], inline_budget: float = 0.001) -> None:
        self.settings = settings
        self._store = store
        self.answers = AnswerCache(settings.answer_cache_bytes)
        self.memo = InlineMemo(inline_budget)
        self.pool = WorkerPool(settings)
        self._running: dict[tuple[str, Job], asyncio.Future[Answer]] = {}

    async def start(self) -> None:
        """Start the workers; raises StoreError/NoBuildError when they cannot open the store."""
        await self.pool.start()

    async def close(self) -> None:
        await self.pool.close()

    @property
    def memo_size(self) -> int:
        return len(self.memo)

    async def run(self, job: Job, client: str = "", gone: Disconnect | None = None) -> Answer:
        """Run a job within the deadline: from the cache, inline when proven cheap, else on a worker
        (counted against ``client``, stopped if ``gone`` returns: see :meth:`WorkerPool.run`)."""
        store = self._store()
        build_id = store.build_id
        kept = self.answers.get(build_id, job)
        if kept is not None:
            return kept
        rows = self.memo.rows(build_id, job)
        if rows is not None and store.in_process:
            answer = execute(store, job, rows, inline=True)
            self.memo.ran_inline(build_id, job, answer)
        else:
            answer = await self._on_worker(job, build_id, client, gone)
        return self.answers.put(build_id, job, answer)

    async def _on_worker(self, job: Job, build_id: str, client: str, gone: Disconnect | None) -> Answer:
        """Run on a worker; a deterministic job already running on this build is not run twice: its
        askers share the one answer (a burst of the same query takes one worker, and counts once)."""
        key = (build_id, job)
        while job.deterministic and (pending := self._running.get(key)) is not None:
            try:
                return await asyncio.shield(pending)
            except (ClientGone, asyncio.CancelledError):
                if not (pending.cancelled() or isinstance(pending.exception(), ClientGone)):
                    raise  # this request was cancelled, not the one it waited for
                # the asker that ran it went away: run it for this one
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        future.add_done_callback(lambda f: f.cancelled() or f.exception())  # retrieved, whoever waits
        if job.deterministic:
            self._running[key] = future
        try:
            answer = await self.pool.run(job, build_id, client, gone)
            self.memo.learn(build_id, job, answer)
            future.set_result(answer)
            return answer
        except BaseException as exc:
            if isinstance(exc, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_exception(exc)
            raise
        finally:
            if self._running.get(key) is future:
                del self._running[key]

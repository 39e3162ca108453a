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

from typing import Callable

from endpoint.sparql.answer_cache import AnswerCache
from endpoint.sparql.execution import execute
from endpoint.sparql.inline_memo import InlineMemo
from endpoint.sparql.jobs import Answer, Job
from endpoint.sparql.worker_pool import Disconnect, WorkerPool
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
            answer = await self.pool.run(job, build_id, client, gone)
            self.memo.learn(build_id, job, answer)
        return self.answers.put(build_id, job, answer)

"""The inline memo: queries proven cheap on the live build, run again in the web process.

A process round trip costs more than a one-row SELECT (measured: ~9 000 req/s
through the worker pool against ~18 000 inline). A query whose exact text,
dataset and format already ran in a worker *on the same build* within the
inline budget (a millisecond), and that calls no non-deterministic function
(RAND, NOW, UUID, STRUUID), is run again in the web process. The deadline
still holds: the store snapshot is read-only and the engine is deterministic
(its hash tables use a fixed hasher), so the same query does the same work; a
new build clears the memo, and an inline run that takes more than ten times
the budget is evicted from it. Every query the endpoint has not yet seen run
cheaply goes to the pool.

The memo also keeps how many rows the worker's answer had, so that an inline
re-run of a complete SELECT answer skips the capping pass (see
:mod:`endpoint.sparql.execution`).

>>> memo, job = InlineMemo(budget=0.001), Job("ASK {}")
>>> memo.rows("b1", job) is None  # not seen yet: to the pool
True
>>> memo.learn("b1", job, Answer(b"{}", job.media_type, "boolean", 1, "", 0.0002, "b1"))
>>> memo.rows("b1", job)  # proven cheap (an ASK: no row count to reuse)
-1
>>> memo.rows("b2", job) is None  # another build went live: forgotten
True
"""

from __future__ import annotations

import collections

from endpoint.sparql.jobs import Answer, Job

__all__ = ["InlineMemo"]

#: Queries longer than this are never remembered as cheap (bounds the memo's memory).
MAX_QUERY = 4096
#: Queries remembered at most, least recently used out first.
MAX_ENTRIES = 4096
#: An inline run slower than this many budgets is forgotten.
_EVICT_FACTOR = 10

_Key = tuple[str, tuple[str, ...], tuple[str, ...], str]


def _key(job: Job) -> _Key:
    # The caps are left out on purpose: they are the same for every job of one application.
    return (job.query, job.default_graphs, job.named_graphs, job.media_type)


class InlineMemo:
    """(query, dataset, media type) → row count of its complete answer (-1: not a counted SELECT), for one build."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.build_id = ""
        self._rows: collections.OrderedDict[_Key, int] = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._rows)

    def rows(self, build_id: str, job: Job) -> int | None:
        """The row count to re-run ``job`` inline with on ``build_id``; None when it is not proven cheap there."""
        if build_id != self.build_id:
            self._rows.clear()
            self.build_id = build_id
        return self._rows.get(_key(job))

    def learn(self, build_id: str, job: Job, answer: Answer) -> None:
        """Remember ``job`` after a worker answered it, if that proved it cheap on ``build_id``."""
        if (
            job.deterministic and answer.elapsed <= self.budget and answer.build_id == build_id
            and len(job.query) <= MAX_QUERY and self.budget > 0 and build_id == self.build_id
        ):
            self._rows[_key(job)] = answer.rows if answer.kind == "results" and not answer.truncated else -1
            if len(self._rows) > MAX_ENTRIES:
                self._rows.popitem(last=False)

    def ran_inline(self, build_id: str, job: Job, answer: Answer) -> None:
        """Keep ``job`` (most recently used) after an inline run, or forget it if that was slow or on another build."""
        key = _key(job)
        if answer.elapsed > _EVICT_FACTOR * self.budget or answer.build_id != build_id:
            self._rows.pop(key, None)
        elif key in self._rows:
            self._rows.move_to_end(key)

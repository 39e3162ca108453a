"""Finished SPARQL answers of the live build, kept for the next identical request.

Why: a build is immutable. Between two ``kg build`` runs the same query over
the same dataset in the same format has one answer, so computing it again is
waste: a researcher re-running an example, the query page's download links
(the same query in another format), a dashboard polling a count, a crawler
following a ``/sparql?query=`` link. Public endpoints do the same one level up
(the Wikidata Query Service caches answers in front of Blazegraph for minutes);
here the cache is exact instead of timed, because it belongs to one build.

Rules:

* Only queries the guard calls deterministic (no RAND, NOW, UUID, STRUUID) are
  kept. A BNODE() label in a kept answer is still a fresh, answer-scoped label.
* Keyed by the whole :class:`~endpoint.sparql.jobs.Job`: query text, dataset
  (``default-graph-uri``/``named-graph-uri``), media type and the caps.
* Bounded by bytes (``KG_ANSWER_CACHE_BYTES``, 0 turns it off), least recently
  used first out; an answer larger than a sixteenth of the budget is never kept,
  so one huge dump cannot push out a thousand small answers.
* When another build goes live the whole cache is dropped at the next lookup:
  no answer outlives its build.
* Every kept answer gets a strong ETag (a hash of its bytes), so HTTP caches
  and clients can revalidate with ``If-None-Match`` and get a 304.

Each web process has its own cache, made only from the build it serves: the web
tier stays stateless (any process gives the same answer), and
``Server-Timing: cache;desc="hit"`` says when an answer came from it.

>>> cache, job = AnswerCache(max_bytes=1_000_000), Job("ASK {}")
>>> kept = cache.put("b1", job, Answer(b"{}", job.media_type, "boolean", 1, "", 0.001, "b1"))
>>> kept.etag.startswith('"q-'), cache.get("b1", job).cached, cache.get("b2", job)
(True, True, None)
"""

from __future__ import annotations

import collections
import dataclasses
import hashlib

from endpoint.sparql.jobs import Answer, Job

__all__ = ["AnswerCache", "answer_etag"]


def answer_etag(body: bytes, media_type: str) -> str:
    """A strong validator of an answer's bytes (and its media type: two formats never share one)."""
    digest = hashlib.blake2b(body, digest_size=12, person=b"kg-sparql")
    digest.update(media_type.encode())
    return f'"q-{digest.hexdigest()}"'


class AnswerCache:
    """The answers of one build, least recently used out first, within a byte budget."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_bytes // 16
        self.build_id = ""
        self.size = 0
        self.hits = 0
        self._entries: collections.OrderedDict[Job, Answer] = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, build_id: str, job: Job) -> Answer | None:
        """The kept answer to ``job`` on ``build_id``, or None (and the cache emptied if the build changed)."""
        if build_id != self.build_id:
            self.clear(build_id)
            return None
        answer = self._entries.get(job)
        if answer is not None:
            self._entries.move_to_end(job)
            self.hits += 1
        return answer

    def put(self, build_id: str, job: Job, answer: Answer) -> Answer:
        """Keep ``answer`` when the rules allow; returns it with its ETag when kept."""
        size = len(answer.body)
        if (
            not job.deterministic or answer.build_id != build_id or size > self.max_entry
            or self.max_bytes <= 0
        ):
            return answer
        if build_id != self.build_id:
            self.clear(build_id)
        kept = dataclasses.replace(answer, etag=answer_etag(answer.body, answer.media_type))
        old = self._entries.pop(job, None)
        if old is not None:
            self.size -= len(old.body)
        self._entries[job] = dataclasses.replace(kept, cached=True)
        self.size += size
        while self.size > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.size -= len(evicted.body)
        return kept

    def clear(self, build_id: str = "") -> None:
        """Forget every answer (a new build went live)."""
        self._entries.clear()
        self.size = 0
        self.build_id = build_id

"""The answer cache: the rules of :mod:`endpoint.sparql.answer_cache`, and what a client sees over real HTTP.

A repeated query on the same build is answered from the cache (``Server-Timing:
cache;desc="hit"``) with the very same bytes; kept GET answers carry an ETag and
revalidate to a 304; non-deterministic queries are never kept; the budget holds;
``KG_ANSWER_CACHE_BYTES=0`` turns it off; a new build starts from an empty cache.
"""

from __future__ import annotations

import uuid
from typing import Iterator

import httpx
import pytest
from conftest import Server, free_port

from endpoint.sparql.answer_cache import AnswerCache
from endpoint.sparql.jobs import Answer, Job
from kg.settings import Settings

CIRC = "https://data.lokaalcirculair.be/ns/circulair#"
SRJ = "application/sparql-results+json"


def fresh(query: str) -> str:
    """The query with a unique comment: a text no earlier test asked, so the first ask is a miss."""
    return f"# {uuid.uuid4()}\n{query}"


def answer(body: bytes, build: str = "b1", media: str = SRJ) -> Answer:
    return Answer(body, media, "results", 1, "", 0.01, build)


# --- the rules, on the cache itself --------------------------------------------------------


def test_a_kept_answer_is_returned_with_an_etag_and_counted_as_a_hit() -> None:
    cache = AnswerCache(1_000_000)
    job = Job("ASK {}")
    assert cache.get("b1", job) is None
    kept = cache.put("b1", job, answer(b'{"boolean":true}'))
    assert kept.etag.startswith('"q-') and not kept.cached
    hit = cache.get("b1", job)
    assert hit is not None and hit.cached and hit.etag == kept.etag and hit.body == b'{"boolean":true}'
    assert cache.hits == 1


def test_the_etag_differs_per_format_and_per_bytes() -> None:
    cache = AnswerCache(1_000_000)
    json_answer = cache.put("b1", Job("ASK {}"), answer(b"x"))
    xml_answer = cache.put("b1", Job("ASK {}", media_type="application/sparql-results+xml"), answer(b"x", media="application/sparql-results+xml"))
    other = cache.put("b1", Job("ASK { ?s ?p ?o }"), answer(b"y"))
    assert len({json_answer.etag, xml_answer.etag, other.etag}) == 3


def test_non_deterministic_queries_and_answers_of_another_build_are_not_kept() -> None:
    cache = AnswerCache(1_000_000)
    now = Job("SELECT (NOW() AS ?t) {}", deterministic=False)
    assert cache.put("b1", now, answer(b"t")).etag == ""
    assert cache.get("b1", now) is None
    late = Job("ASK {}")
    assert cache.put("b2", late, answer(b"t", build="b1")).etag == ""  # answered by the old build
    assert cache.get("b2", late) is None


def test_a_new_build_empties_the_cache() -> None:
    cache = AnswerCache(1_000_000)
    job = Job("ASK {}")
    cache.put("b1", job, answer(b"t"))
    assert cache.get("b2", job) is None
    assert len(cache) == 0 and cache.size == 0
    assert cache.get("b1", job) is None  # the old build's answer is gone for good


def test_the_byte_budget_evicts_the_least_recently_used_and_refuses_huge_answers() -> None:
    cache = AnswerCache(1600)  # entries up to 100 bytes
    jobs = [Job(f"ASK {{ ?s ?p {i} }}") for i in range(20)]
    for job in jobs[:16]:
        cache.put("b1", job, answer(b"a" * 100))
    assert cache.size == 1600 and len(cache) == 16
    assert cache.get("b1", jobs[0]) is not None  # now the most recently used
    cache.put("b1", jobs[16], answer(b"b" * 100))
    assert cache.size <= 1600
    assert cache.get("b1", jobs[1]) is None  # the least recently used went out
    assert cache.get("b1", jobs[0]) is not None
    assert cache.put("b1", jobs[17], answer(b"c" * 101)).etag == ""  # over a sixteenth of the budget
    assert cache.get("b1", jobs[17]) is None


def test_a_zero_budget_keeps_nothing() -> None:
    cache = AnswerCache(0)
    job = Job("ASK {}")
    assert cache.put("b1", job, answer(b"")).etag == ""
    assert cache.get("b1", job) is None


# --- over real HTTP -------------------------------------------------------------------------


def test_a_repeated_query_is_a_hit_with_the_same_bytes(http: httpx.Client) -> None:
    q = fresh(f"SELECT ?p WHERE {{ ?p a <{CIRC}Praktijk> }} ORDER BY ?p LIMIT 3")
    first = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ})
    assert first.status_code == 200
    assert "cache" not in first.headers["server-timing"]
    assert first.headers["etag"].startswith('"q-')
    assert first.headers["cache-control"] == "public, no-cache"
    assert "ETag" in first.headers["access-control-expose-headers"]
    second = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ})
    assert second.headers["server-timing"] == 'cache;desc="hit"'
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["x-kg-build"] == first.headers["x-kg-build"]
    assert second.headers["x-kg-rows"] == "3"
    # Another format of the same query is another answer.
    csv = http.get("/sparql", params={"query": q, "format": "csv"})
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert "cache" not in csv.headers["server-timing"] and csv.headers["etag"] != first.headers["etag"]


def test_if_none_match_revalidates_to_a_304(http: httpx.Client) -> None:
    q = fresh(f"ASK {{ ?p a <{CIRC}Praktijk> }}")
    first = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ})
    tag = first.headers["etag"]
    same = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ, "If-None-Match": tag})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["etag"] == tag
    weak = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ, "If-None-Match": f'"other", W/{tag}'})
    assert weak.status_code == 304
    changed = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ, "If-None-Match": '"q-stale"'})
    assert changed.status_code == 200 and changed.json() == {"head": {}, "boolean": True}


def test_post_uses_the_cache_but_carries_no_validator(http: httpx.Client) -> None:
    q = fresh(f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{CIRC}Praktijk> }}")
    get = http.get("/sparql", params={"query": q}, headers={"Accept": SRJ})
    post = http.post("/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query", "Accept": SRJ})
    assert post.status_code == 200 and post.content == get.content
    assert post.headers["server-timing"] == 'cache;desc="hit"'
    assert "etag" not in post.headers


def test_non_deterministic_queries_are_run_every_time(http: httpx.Client) -> None:
    q = fresh("SELECT (STRUUID() AS ?id) WHERE {}")
    answers = [http.get("/sparql", params={"query": q}, headers={"Accept": SRJ}) for _ in range(3)]
    assert all("etag" not in r.headers and "cache" not in r.headers["server-timing"] for r in answers)
    assert len({r.json()["results"]["bindings"][0]["id"]["value"] for r in answers}) == 3


@pytest.fixture(scope="module")
def uncached(built_store: Settings) -> Iterator[httpx.Client]:
    srv = Server(built_store, free_port(), {"KG_ANSWER_CACHE_BYTES": "0"})
    try:
        with httpx.Client(base_url=srv.url, timeout=30) as client:
            yield client
    finally:
        srv.stop()


def test_a_zero_budget_turns_the_cache_off(uncached: httpx.Client) -> None:
    q = fresh(f"ASK {{ ?p a <{CIRC}Praktijk> }}")
    answers = [uncached.get("/sparql", params={"query": q}, headers={"Accept": SRJ}) for _ in range(3)]
    assert all(r.status_code == 200 and r.json()["boolean"] is True for r in answers)
    assert all("etag" not in r.headers for r in answers)
    assert all(r.headers["server-timing"].startswith("query;dur=") for r in answers)

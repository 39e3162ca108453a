"""The query runner over real HTTP: the hard deadline and the live switch to a new build.

* A deliberately explosive query is stopped at a short deadline (a separate
  server with ``KG_QUERY_TIMEOUT=2``) while a stream of small queries keeps
  succeeding, and the killed worker is replaced.
* Two real builds: ``kg build`` finishing while ``kg serve`` runs is served
  within seconds, and a request in flight during the switch completes on the
  old build.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import REPO, Server, free_port

from kg.settings import Settings

EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# Slow but finite on the real data (all triples × the skos:notation triples, filtered): seconds.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d <http://www.w3.org/2004/02/skos/core#notation> ?f FILTER(?c != ?f) }"


def worker_processes(server: Server) -> list[int]:
    """Pids of the query workers below this server (read from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == server.process.pid and b"endpoint.sparql.worker_process" in cmdline:
            pids.append(int(entry.name))
    return pids


@pytest.mark.slow
def test_runaway_query_is_stopped_while_small_queries_keep_succeeding(built_store: Settings) -> None:
    # No reserve worker (endpoint.sparql.fairness): exactly the two workers this test counts.
    srv = Server(built_store, free_port(), {"KG_QUERY_TIMEOUT": "2", "KG_QUERY_WORKERS": "2", "KG_QUERY_RESERVE_WORKERS": "0"})
    try:
        with httpx.Client(base_url=srv.url, timeout=30) as client:
            assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200  # workers up
            runaway: dict[str, httpx.Response] = {}
            running = threading.Event()

            def explode() -> None:
                running.set()
                with httpx.Client(base_url=srv.url, timeout=60) as other:
                    runaway["r"] = other.get("/sparql", params={"query": EXPLOSIVE}, headers={"Accept": "application/json"})

            thread = threading.Thread(target=explode)
            thread.start()
            running.wait()
            small: list[int] = []
            while thread.is_alive():
                for q in ("ASK { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", f"ASK {{ ?s ?p {len(small)} }}"):
                    small.append(client.get("/sparql", params={"query": q}).status_code)
            thread.join()
            answer = runaway["r"]
            assert answer.status_code == 503
            detail = answer.json()["detail"]
            assert "limit of 2 seconds" in detail and "stopped" in detail
            assert len(small) >= 30  # the endpoint kept answering while the runaway ran
            assert set(small) == {200}
            # The killed worker is replaced: the pool is back at two processes and answers. Starting a
            # worker means importing pyoxigraph and opening the store, which on a loaded shared
            # machine has taken over 10 s; this waits for liveness, it does not time the restart.
            deadline = time.monotonic() + 120
            while len(worker_processes(srv)) != 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert len(worker_processes(srv)) == 2
            again = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "json"})
            assert again.status_code == 200
            assert int(again.json()["results"]["bindings"][0]["n"]["value"]) > 1000
    finally:
        srv.stop()


@pytest.mark.slow
def test_new_build_goes_live_and_request_in_flight_finishes_on_the_old(tmp_path: Path) -> None:
    from kg.build.pipeline import build

    settings = Settings(store=str(tmp_path / "store"), data_dir=REPO / "data", ontology_dir=REPO / "ontology", shapes_dir=REPO / "shapes")
    first = build(settings)
    srv = Server(settings, free_port(), {"KG_QUERY_TIMEOUT": "120"})
    try:
        with httpx.Client(base_url=srv.url, timeout=120) as client:
            assert client.get("/health").json()["build"] == first.build_id
            slow: dict[str, httpx.Response] = {}
            done = threading.Event()

            def run_slow() -> None:
                with httpx.Client(base_url=srv.url, timeout=120) as other:
                    slow["r"] = other.post("/sparql", data={"query": SLOW}, headers={"Accept": "application/sparql-results+json"})
                done.set()

            thread = threading.Thread(target=run_slow)
            thread.start()
            time.sleep(0.5)  # let the slow query start on a worker
            second = build(settings)
            assert not done.is_set(), "the slow query finished before the switch; make it slower"
            assert os.readlink(Path(settings.store) / "current").endswith(second.build_id)
            # New requests are answered from the new build within seconds.
            seen = ""
            for _ in range(200):
                r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
                assert r.status_code == 200
                seen = r.headers["x-kg-build"]
                if seen == second.build_id:
                    break
                time.sleep(0.1)
            assert seen == second.build_id
            assert client.get("/health").json()["build"] == second.build_id
            thread.join()
            answer = slow["r"]
            assert answer.status_code == 200, answer.text
            assert answer.headers["x-kg-build"] == first.build_id  # finished on the build it started on
            assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 100_000
            # The other worker also moved on: every new query is answered by the new build.
            builds = {client.get("/sparql", params={"query": f"ASK {{ ?s ?p {i} }}"}).headers["x-kg-build"] for i in range(6)}
            assert builds == {second.build_id}
    finally:
        srv.stop()


# --- inline re-runs of proven-cheap queries ---------------------------------------------------


def test_rerun_with_known_row_count_answers_alike(built_store: Settings) -> None:
    """An inline re-run serializes a complete SELECT answer directly (its row count known from the
    first run); the answer is the same bytes and rows as the capped path, in every result format."""
    from endpoint.sparql.execution import execute
    from endpoint.sparql.jobs import Job
    from kg.store.open_store import open_store

    store = open_store(built_store)
    try:
        query = "SELECT ?s ?o WHERE { ?s a ?o } ORDER BY ?s ?o LIMIT 7"
        for media in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
            job = Job(query, media_type=media)
            first = execute(store, job)
            again = execute(store, job, first.rows, inline=True)
            assert (again.body, again.rows, again.truncated, again.media_type) == (first.body, 7, "", media)
            assert again.inline and not first.inline
    finally:
        store.close()


def test_rerun_over_the_byte_cap_is_still_cut(built_store: Settings) -> None:
    """A row count from an earlier complete answer does not bypass the byte cap: an answer
    larger than max_bytes falls back to the capping path and says it was cut."""
    from endpoint.sparql.execution import execute
    from endpoint.sparql.jobs import Job
    from kg.store.open_store import open_store

    store = open_store(built_store)
    try:
        job = Job("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 50", max_bytes=2000)
        capped = execute(store, job)
        assert capped.truncated == "bytes" and len(capped.body) <= 2000
        again = execute(store, job, 50, inline=True)
        assert (again.body, again.rows, again.truncated) == (capped.body, capped.rows, "bytes")
    finally:
        store.close()

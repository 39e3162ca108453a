"""Fair use of the query workers per client (endpoint.sparql.fairness), over real HTTP to a real ``kg serve``.

The clients are told apart by the address a trusted reverse proxy puts in ``X-Forwarded-For``
(``KG_TRUSTED_PROXIES=127.0.0.1``: the tests connect from there):

* one client floods with runaway queries: past its limit of concurrent queries it gets 429 with
  ``Retry-After``; its query waiting for a worker gets 503 with ``Retry-After`` after
  ``KG_QUEUE_TIMEOUT``; meanwhile another client's never-seen small queries are all answered,
  while the runaway still runs;
* a client past its budget of query seconds gets 429 with ``Retry-After``, another does not;
* a client that disconnects has its runaway query stopped: the worker is killed and replaced.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from typing import Iterator
from urllib.parse import quote

import httpx
import pytest
from conftest import Server, free_port
from test_runner import EXPLOSIVE, worker_processes

from kg.settings import Settings

JSON = {"Accept": "application/sparql-results+json"}


def client(address: str) -> dict[str, str]:
    """The headers of a request that the trusted proxy says came from ``address``."""
    return {**JSON, "X-Forwarded-For": f"198.18.0.1, {address}"}  # the first hop is the client's own claim: ignored


def small() -> str:
    """A small query nobody asked before (no cache, no memo: it needs a worker)."""
    return f"SELECT ?s WHERE {{ ?s ?p ?o FILTER(?o != <urn:uuid:{uuid.uuid4()}>) }} LIMIT 1"


@pytest.fixture(scope="module")
def fair_server(built_store: Settings) -> Iterator[Server]:
    srv = Server(built_store, free_port(), {
        "KG_QUERY_WORKERS": "1", "KG_QUERY_RESERVE_WORKERS": "1", "KG_QUERY_TIMEOUT": "6", "KG_QUEUE_TIMEOUT": "2",
        "KG_CLIENT_CONCURRENT_QUERIES": "2", "KG_CLIENT_QUERY_SECONDS": "3", "KG_TRUSTED_PROXIES": "127.0.0.1",
    })
    with httpx.Client(base_url=srv.url, timeout=30) as warm:
        assert warm.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # workers up
    yield srv
    srv.stop()


@pytest.mark.slow
def test_one_clients_runaway_queries_do_not_hold_up_another_client(fair_server: Server) -> None:
    flood: list[httpx.Response] = []

    def runaway(n: int) -> None:
        with httpx.Client(base_url=fair_server.url, timeout=60) as one:
            flood.append(one.get("/sparql", params={"query": f"{EXPLOSIVE} # {n}"}, headers=client("203.0.113.1")))

    threads = [threading.Thread(target=runaway, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    while not flood:  # the third query is refused at once: the limit is two in flight
        time.sleep(0.01)
    refused = flood[0]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1 and "KG_CLIENT_CONCURRENT_QUERIES" in refused.text

    with httpx.Client(base_url=fair_server.url, timeout=30) as other:
        answers = [other.get("/sparql", params={"query": small()}, headers=client("192.0.2.44")) for _ in range(5)]
        still_running = sum(thread.is_alive() for thread in threads)
    assert [a.status_code for a in answers] == [200] * 5
    assert all(a.json()["results"]["bindings"] for a in answers)
    assert still_running >= 1  # answered while the runaway held a worker

    for thread in threads:
        thread.join()
    waited, ran = sorted(flood[1:], key=lambda r: "KG_QUEUE_TIMEOUT" not in r.text)
    assert waited.status_code == 503 and "KG_QUEUE_TIMEOUT" in waited.text and int(waited.headers["Retry-After"]) >= 1
    assert ran.status_code == 503 and "limit of 6 seconds" in ran.text


@pytest.mark.slow
def test_a_client_past_its_budget_of_query_seconds_gets_429(fair_server: Server) -> None:
    with httpx.Client(base_url=fair_server.url, timeout=60) as http:
        spent = http.get("/sparql", params={"query": f"{EXPLOSIVE} # budget"}, headers=client("198.51.100.3"))
        assert spent.status_code == 503  # six seconds charged against a budget of three per minute
        refused = http.get("/sparql", params={"query": small()}, headers=client("198.51.100.3"))
        assert refused.status_code == 429
        assert "KG_CLIENT_QUERY_SECONDS" in refused.text
        assert int(refused.headers["Retry-After"]) >= 1
        other = http.get("/sparql", params={"query": small()}, headers=client("198.51.100.4"))
        assert other.status_code == 200


@pytest.mark.slow
def test_a_disconnected_clients_query_is_stopped(built_store: Settings) -> None:
    srv = Server(built_store, free_port(), {"KG_QUERY_WORKERS": "1", "KG_QUERY_RESERVE_WORKERS": "0", "KG_QUERY_TIMEOUT": "300"})
    try:
        with httpx.Client(base_url=srv.url, timeout=30) as http:
            assert http.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # the worker is up
            for _ in range(100):
                before = worker_processes(srv)
                if before:
                    break
                time.sleep(0.1)
            assert len(before) == 1
            with socket.create_connection(("127.0.0.1", srv.port)) as raw:
                raw.sendall(f"GET /sparql?query={quote(EXPLOSIVE)} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n".encode())
                time.sleep(1)  # let the query reach the worker (if it has not, the disconnect stops it all the same)
            # The connection is closed: the worker running the query is killed and replaced, long before its deadline.
            for _ in range(300):
                if before[0] not in worker_processes(srv):
                    break
                time.sleep(0.1)
            assert before[0] not in worker_processes(srv)
            assert http.get("/sparql", params={"query": small()}, headers=JSON).status_code == 200
    finally:
        srv.stop()

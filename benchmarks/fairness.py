"""Fairness benchmark: another client's small queries while one client floods with runaway queries.

One ``kg serve`` on a built store (default settings: 2 query workers, 30 s deadline),
behind a pretend reverse proxy (``KG_TRUSTED_PROXIES=127.0.0.1``; the clients are told
apart by ``X-Forwarded-For``). In one run, side by side:

1. **idle**: client B sends ``--queries`` small queries nobody asked before (so neither
   the answer cache nor the memo of cheap queries answers them: each needs a query
   worker), one after the other; latency of each;
2. **flood**: client A keeps 8 runaway queries in flight (a triple cross join of every
   triple: it runs until the deadline kills it); each time one comes back (a 503 at
   the deadline or after waiting too long, or a 429 past its limits) A sends another
   after 0.1 s. Once A has started, B sends the same number of fresh small queries. A runs
   in a process of its own, so that handling its answers never delays B's measurements.

The flood runs twice: with the default limits (``KG_CLIENT_CONCURRENT_QUERIES=4``,
``KG_CLIENT_QUERY_SECONDS=60``: most of A's queries are refused with 429), and with the
limits lifted (``--lifted``: 8 concurrent, a budget A never exhausts), so that only the
fair queue stands between A's backlog and B. Reported: B's p50, p99, max and failures in
each phase, what A got back, and the load average. Not a test: no assertions.

    .venv/bin/python benchmarks/fairness.py [--store var/store] [--queries 300]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sparql import free_port, loadavg, machine, stop, wait_ready  # noqa: E402 - the sibling benchmark's helpers

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PRAKTIJK = "https://data.lokaalcirculair.be/ns/circulair#Praktijk"
ACCEPT = {"Accept": "application/sparql-results+json"}


def small() -> str:
    return f"SELECT ?p WHERE {{ ?p a <{PRAKTIJK}> FILTER(?p != <urn:uuid:{uuid.uuid4()}>) }} LIMIT 1"


def start(store: Path, tmp: Path, lifted: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_STORE": str(store), "KG_TRUSTED_PROXIES": "127.0.0.1"})
    if lifted:
        env.update({"KG_CLIENT_CONCURRENT_QUERIES": "8", "KG_CLIENT_QUERY_SECONDS": "1000000"})
    log = open(tmp / f"serve-{port}.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port)], env=env, cwd=REPO,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/sparql"
    wait_ready(url, process)
    return process, url


async def client_b(url: str, n: int) -> tuple[list[float], int]:
    """``n`` fresh small queries, one after the other: latencies (ms) and failures."""
    latencies, failures = [], 0
    headers = {**ACCEPT, "X-Forwarded-For": "192.0.2.2"}
    async with httpx.AsyncClient(timeout=60) as http:
        for _ in range(n):
            began = time.perf_counter()
            response = await http.get(url, params={"query": small()}, headers=headers)
            latencies.append((time.perf_counter() - began) * 1000)
            failures += response.status_code != 200
    return latencies, failures


async def client_a(url: str, stop_at: asyncio.Event, outcomes: collections.Counter[int]) -> None:
    """Keep 8 runaway queries in flight until told to stop."""
    headers = {**ACCEPT, "X-Forwarded-For": "203.0.113.1"}

    async def one_slot(http: httpx.AsyncClient) -> None:
        while not stop_at.is_set():
            try:
                response = await http.get(url, params={"query": f"{RUNAWAY} # {uuid.uuid4()}"}, headers=headers)
                outcomes[response.status_code] += 1
            except httpx.HTTPError:
                outcomes[0] += 1
            await asyncio.sleep(0.1)

    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=16)) as http:
        slots = [asyncio.create_task(one_slot(http)) for _ in range(8)]
        await stop_at.wait()
        for slot in slots:
            slot.cancel()  # closes A's connections: the server stops their queries
        await asyncio.gather(*slots, return_exceptions=True)


def figures(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"p50 {p(0.50):7.1f} ms   p99 {p(0.99):7.1f} ms   max {ordered[-1]:7.1f} ms"


async def flood_until_stdin_closes(url: str) -> None:
    """Child process: client A, until the parent closes our stdin; then what A got back, as JSON."""
    stop_at, outcomes = asyncio.Event(), collections.Counter[int]()
    loop = asyncio.get_running_loop()
    loop.run_in_executor(None, lambda: (sys.stdin.read(), loop.call_soon_threadsafe(stop_at.set)))
    await client_a(url, stop_at, outcomes)
    print(json.dumps(outcomes))


def flood(url: str, n: int) -> tuple[list[float], int, dict[str, int]]:
    """B's queries while A (in a process of its own, so that its requests do not delay B's client) floods."""
    a = subprocess.Popen([sys.executable, __file__, "--flood", url], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    time.sleep(1.5)  # A's queries are in: the workers are taken
    latencies, failures = asyncio.run(client_b(url, n))
    out, _ = a.communicate(b"", timeout=120)
    return latencies, failures, json.loads(out or b"{}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (folder with current/); default: build the real data")
    parser.add_argument("--queries", type=int, default=300, help="small queries of client B per phase")
    parser.add_argument("--flood", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.flood:
        asyncio.run(flood_until_stdin_closes(args.flood))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="kg-fair-"))
    store = args.store
    if store is None:
        from kg.build.pipeline import build
        from kg.settings import Settings

        store = tmp / "store"
        build(Settings(store=str(store)))
    print(f"machine: {machine()}\nload average before: {loadavg()}")
    for lifted in (False, True):
        process, url = start(store, tmp, lifted)
        try:
            asyncio.run(client_b(url, 20))  # warm-up: workers and connections
            idle, idle_failures = asyncio.run(client_b(url, args.queries))
            busy, busy_failures, outcomes = flood(url, args.queries)
        finally:
            stop(process)
        label = "limits lifted (fair queue only)" if lifted else "default limits"
        print(f"\n== {label}")
        print(f"B idle:   {figures(idle)}   failures {idle_failures}/{len(idle)}")
        print(f"B flood:  {figures(busy)}   failures {busy_failures}/{len(busy)}")
        print(f"A got back: {dict(sorted(outcomes.items()))} (0 = connection closed)   load average: {loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

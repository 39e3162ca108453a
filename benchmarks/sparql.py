"""Benchmark: our /sparql against `oxigraph serve-read-only` and rdflib-endpoint, side by side.

Same built store, same query mix, one run. All servers are started first, each
on a free local port (loopback only); then, query by query, each server in turn
is loaded with concurrency 8 for a fixed time, so the servers compared on one
query are measured within seconds of each other (on a shared machine the load
drifts over minutes), and this is repeated ``--rounds`` times: each server's
median round is reported, and each ratio is the median of the ratios within
a round. Requests/s, p50 and p99 are reported with the ratios
against oxigraph (small and heavy queries) and against rdflib-endpoint (heavy).

``kg serve`` is measured as deployed (its answer cache on: a repeated query on
one build is answered from memory, see ``endpoint/answers.py``) and with the
cache off (``KG_ANSWER_CACHE_BYTES=0``: every request runs the query), because a
benchmark that repeats one query measures the cache when it is on; the second
figure is the engine path. Neither oxigraph nor rdflib-endpoint caches answers.

rdflib-endpoint takes seconds per heavy query on a large store, longer than
any sensible window at concurrency 8, so on heavy queries it gets a fixed
number of requests instead (``--rdflib-requests``, 8 by default: one per
connection, all at once) and its throughput is that number over the wall time
they took. The system load average is printed before and after.

    .venv/bin/python benchmarks/sparql.py                       # the real data, built into a temp store
    .venv/bin/python benchmarks/sparql.py --store var/store     # an existing build (e.g. a synthetic one)
    .venv/bin/python benchmarks/sparql.py --seconds 10 --our-workers 1,2

The load generator is `wrk` when installed (`apt-get install wrk`), else an
async httpx loop (slower: it then caps every server at its own speed, so the
ratios on small queries are lower bounds). Not a test: no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CIRC = "https://data.lokaalcirculair.be/ns/circulair#"
QUERIES: dict[str, tuple[str, str]] = {
    "one-row SELECT": ("small", f"SELECT ?p WHERE {{ ?p a <{CIRC}Praktijk> }} LIMIT 1"),
    "ASK": ("small", f"ASK {{ ?p a <{CIRC}Praktijk> }}"),
    "practices per theme": (
        "heavy",
        f"SELECT ?t (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{CIRC}Praktijk> ; <{CIRC}thema> ?t }} GROUP BY ?t ORDER BY DESC(?n)",
    ),
    "organisations in >1 practice": (
        "heavy",
        "SELECT ?o (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <" + CIRC + "Praktijk> ; "
        "<http://www.w3.org/ns/prov#qualifiedAssociation>/<http://www.w3.org/ns/prov#agent> ?o } "
        "GROUP BY ?o HAVING (COUNT(DISTINCT ?p) > 1) ORDER BY DESC(?n)",
    ),
}
ACCEPT = "application/sparql-results+json"


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server for {url} exited early")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, headers={"Accept": ACCEPT}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become ready")


def parse_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def load_wrk(url: str, seconds: float) -> Result:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{max(1, round(seconds))}s", "--timeout", "60s", "--latency", "-H", f"Accept: {ACCEPT}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = parse_ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = parse_ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    return Result(rps, p50, p99, errors)


async def _load_httpx(url: str, seconds: float, requests: int = 0) -> Result:
    """Concurrency 8 for ``seconds``, or (``requests`` > 0) until that many answers came back."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    todo = requests
    async with httpx.AsyncClient(timeout=3600, limits=httpx.Limits(max_connections=8)) as client:

        def more() -> bool:
            nonlocal todo
            if requests:
                todo -= 1
                return todo >= 0
            return time.perf_counter() < stop

        async def loop() -> None:
            nonlocal errors
            while more():
                t = time.perf_counter()
                r = await client.get(url, headers={"Accept": ACCEPT})
                latencies.append(time.perf_counter() - t)
                errors += r.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(8)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return Result((len(latencies) - errors) / elapsed, statistics.median(latencies) * 1000, latencies[int(len(latencies) * 0.99)] * 1000, errors)


def load(url: str, seconds: float) -> Result:
    if shutil.which("wrk"):
        return load_wrk(url, seconds)
    return asyncio.run(_load_httpx(url, seconds))


def load_count(url: str, requests: int) -> Result:
    """A fixed number of requests at concurrency 8: for servers slower than any window."""
    return asyncio.run(_load_httpx(url, 0, requests))


def answer_size(url: str) -> str:
    """Rows (or the boolean) of one answer: the servers compared must give the same answer."""
    try:
        data = httpx.get(url, headers={"Accept": ACCEPT}, timeout=600).json()
    except (httpx.HTTPError, ValueError) as exc:
        return f"error ({exc})"
    return str(data["boolean"]).lower() if "boolean" in data else str(len(data["results"]["bindings"]))


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def serve_rdflib(port: int, nquads: str) -> None:
    """Child process: rdflib-endpoint on the same triples (union default graph)."""
    import gzip

    import rdflib
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    dataset = rdflib.Dataset(default_union=True)
    with gzip.open(nquads, "rb") as handle:
        dataset.parse(handle, format="nquads")
    app = SparqlEndpoint(graph=dataset, path="/sparql", public_url=f"http://127.0.0.1:{port}/sparql")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def start(kind: str, store: Path, tmp: Path, workers: int = 1, cache: bool = True) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = open(tmp / f"{kind}-{port}.log", "wb")
    if kind == "ours":
        env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
        env.update({"KG_STORE": str(store), "KG_QUERY_WORKERS": "2", "KG_ANSWER_CACHE_BYTES": str(64 * 2**20 if cache else 0),
                    # The load generator is one client: the per-client limits (endpoint/sparql/fairness.py) would
                    # refuse most of its concurrent requests; this benchmark measures the engine, not fair use.
                    "KG_CLIENT_CONCURRENT_QUERIES": "64", "KG_CLIENT_QUERY_SECONDS": "1000000"})
        cmd = [sys.executable, "-m", "kg", "serve", "--port", str(port), "--workers", str(workers)]
        process = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/sparql"
    elif kind == "oxigraph":
        copy = tmp / f"oxigraph-copy-{port}"
        shutil.copytree(store / "current" / "oxigraph", copy)
        oxigraph = Path(sys.executable).with_name("oxigraph")
        cmd = [str(oxigraph), "serve-read-only", "--location", str(copy), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/query"
    else:
        nquads = store / "current" / "artefacts" / "dumps" / "lokaalcirculair.nq.gz"
        cmd = [sys.executable, __file__, "--serve-rdflib", str(port), str(nquads)]
        process = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/sparql"
    wait_ready(url, process)
    return process, url


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a built store (folder with current/); default: build the real data into a temp store")
    parser.add_argument("--seconds", type=float, default=4.0, help="load time per server, query and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all servers per query; the median round is reported")
    parser.add_argument("--our-workers", default="1,2", help="web worker counts of kg serve to measure, comma-separated")
    parser.add_argument("--answer-cache", default="on,off",
                        help="measure kg serve with its answer cache on (the default setting), off (KG_ANSWER_CACHE_BYTES=0), or both")
    parser.add_argument("--skip-rdflib", action="store_true")
    parser.add_argument("--rdflib-requests", type=int, default=8, help="requests rdflib-endpoint gets per heavy query (concurrency 8)")
    parser.add_argument("--serve-rdflib", nargs=2, metavar=("PORT", "NQUADS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_rdflib:
        serve_rdflib(int(args.serve_rdflib[0]), args.serve_rdflib[1])
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    store = args.store
    if store is None:
        from kg.build.pipeline import build
        from kg.settings import Settings

        store = tmp / "store"
        build(Settings(store=str(store)))
    store = store.resolve()
    from kg.store.graph_store import BuildInfo

    info = BuildInfo.read((store / "current").resolve())
    print(f"Machine: {machine()}")
    print(f"Store: {store} (build {info.build_id}, {info.triples} triples in {info.graphs} graphs)")
    print(f"Load: {'wrk -t2 -c8' if shutil.which('wrk') else 'httpx async, 8 connections'}, {args.seconds:g} s per query, "
          f"{args.rounds} rounds (median reported); "
          f"rdflib-endpoint on heavy queries: {args.rdflib_requests} requests at concurrency 8")
    print(f"Load average at start: {loadavg()}\n", flush=True)

    servers = [
        (f"ours ({w} web worker{'s' if w != '1' else ''}{'' if mode == 'on' else ', no answer cache'})", "ours", int(w), mode == "on")
        for mode in args.answer_cache.split(",") for w in args.our_workers.split(",")
    ]
    servers.append(("oxigraph serve-read-only", "oxigraph", 1, False))
    if not args.skip_rdflib:
        servers.append(("rdflib-endpoint", "rdflib", 1, False))
    results: dict[tuple[str, str], Result] = {}
    all_rounds: dict[tuple[str, str], list[Result]] = {}
    answers: dict[tuple[str, str], str] = {}
    running: list[tuple[str, str, subprocess.Popen[bytes], str]] = []
    try:
        for label, kind, workers, cache in servers:  # all up first (idle servers cost nothing)
            process, url = start(kind, store, tmp, workers, cache)
            running.append((label, kind, process, url))
        for name, (weight, query) in QUERIES.items():
            rounds: dict[str, list[Result]] = {label: [] for label, _, _, _ in running}
            for round_ in range(args.rounds):
                for label, kind, _, url in running:
                    target = f"{url}?query={quote(query)}"
                    if round_ == 0:
                        answers[(label, name)] = answer_size(target)
                    if kind == "rdflib" and weight == "heavy":
                        r = load_count(target, args.rdflib_requests)
                    else:
                        load(target, min(args.seconds, 1.0))  # warm-up
                        r = load(target, args.seconds)
                    rounds[label].append(r)
                    print(f"  {label:30} {name:32} {r.rps:9.1f} req/s  p50 {r.p50_ms:8.2f} ms  p99 {r.p99_ms:8.2f} ms  errors {r.errors}"
                          f"  answer {answers[(label, name)]}  (round {round_ + 1}, load {loadavg()})", flush=True)
            for label, measured in rounds.items():
                results[(label, name)] = sorted(measured, key=lambda m: m.rps)[len(measured) // 2]
                all_rounds[(label, name)] = measured
    finally:
        for _, _, process, _ in running:
            stop(process)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nLoad average at the end: {loadavg()}")

    def ratio(label: str, other: str, name: str) -> float | None:
        """Median over rounds of label's req/s over other's in the same round."""
        mine, theirs = all_rounds.get((label, name)), all_rounds.get((other, name))
        if not mine or not theirs:
            return None
        pairs = [a.rps / b.rps for a, b in zip(mine, theirs, strict=True) if b.rps]
        return statistics.median(pairs) if pairs else float("inf")

    print("\n| query | kind | server | answer | req/s | p50 ms | p99 ms | × oxigraph | × rdflib-endpoint |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for name, (kind, _) in QUERIES.items():
        for label, _, _, _ in servers:
            r = results[(label, name)]
            to_ox = ratio(label, "oxigraph serve-read-only", name)
            to_rd = ratio(label, "rdflib-endpoint", name) if kind == "heavy" else None
            vs_ox = f"{to_ox:.2f}" if to_ox is not None else ""
            vs_rd = f"{to_rd:.0f}" if to_rd is not None else ""
            rps = f"{r.rps:.0f}" if r.rps >= 10 else f"{r.rps:.2f}"
            print(f"| {name} | {kind} | {label} | {answers[(label, name)]} | {rps} | {r.p50_ms:.2f} | {r.p99_ms:.2f} | {vs_ox} | {vs_rd} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

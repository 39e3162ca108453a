"""Dereferencing benchmark: our linked-data pages against ``oxigraph serve-read-only``.

Both servers read the same built store. For a sample of practice IRIs the script measures,
side by side in one run, at a fixed concurrency (8 by default):

- ``oxigraph DESCRIBE``: ``GET /query?query=DESCRIBE <iri>`` with ``Accept: text/turtle``
  (``--union-default-graph``, so it sees every named graph, as our pages do);
- ``pages Turtle`` and ``pages HTML``: ``GET /doc/praktijk/{ref}.ttl`` / ``.html`` on
  ``kg serve`` (warm: every document asked once before timing);
- ``pages 304``: the same Turtle documents with a matching ``If-None-Match``;
- one at a time on a keep-alive connection: the first answer of each document on a fresh
  server (nothing cached: description queries, serialization, template), a cached answer,
  and a 304, so the cost of a 304 is compared with that of a full answer without queueing.

- first visits (``--walks-only`` for just these): every document of the store once on a fresh
  ``kg serve``, in Turtle, HTML and JSON-LD, against Oxigraph's ``DESCRIBE`` of the same IRIs once
  each (wrk only).

It reports requests/s, p50 and p99 latency, the ratio to Oxigraph and the cost of a 304
against a full answer. The load comes from ``wrk`` (Debian package) when it is installed,
else from a small asyncio HTTP/1.1 client in this file (slower: the client then limits
both servers alike, and the ratios shrink towards 1).

Usage::

    .venv/bin/python benchmarks/pages.py                       # the real data (builds var/store if missing)
    .venv/bin/python benchmarks/pages.py --store /tmp/synth/store --seconds 15
    # the 10 000-practice store: kg synth --practices 10000 --out /tmp/synth/data, then build it (see README)

Only loopback addresses are used; every server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from anywhere: the project's own packages
PRAKTIJK = "https://data.lokaalcirculair.be/ns/circulair#Praktijk"


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def sample(store_root: Path, n: int, seed: int) -> tuple[str, list[str], list[str]]:
    """(base IRI, sampled practice IRIs, all practice IRIs): a reproducible random sample."""
    store = ox.Store.read_only(str((store_root / "current").resolve() / "oxigraph"))
    rows = store.query(f"SELECT ?p WHERE {{ ?p a <{PRAKTIJK}> }}", use_default_graph_as_union=True)
    iris = sorted(row["p"].value for row in rows)  # type: ignore[union-attr]
    del store
    if not iris:
        raise SystemExit(f"{store_root} holds no practices")
    base = iris[0].split("/id/", 1)[0]
    random.Random(seed).shuffle(iris)
    return base, iris[:n], iris


def all_documents(store_root: Path, base: str) -> list[str]:
    """``concept/ref`` of every thing the store describes or points at (each has a /doc/ page)."""
    store = ox.Store.read_only(str((store_root / "current").resolve() / "oxigraph"))
    query = (f'SELECT DISTINCT ?x WHERE {{ {{ ?x ?p ?o }} UNION {{ ?s ?q ?x }} '
             f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{base}/id/") && !CONTAINS(STR(?x), "#")) }}')
    keys = sorted(row["x"].value.split("/id/", 1)[1] for row in store.query(query, use_default_graph_as_union=True))  # type: ignore[union-attr]
    del store
    random.Random(7).shuffle(keys)  # a crawler's order is not the store's
    return keys


# --- load generators -----------------------------------------------------------------


def _lua_requests(requests: list[tuple[str, dict[str, str]]]) -> list[str]:
    """The opening of a wrk Lua script: the table ``reqs`` of paths, each with its headers."""
    lines = ["local reqs = {"]
    for path, headers in requests:
        hdr = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items())
        lines.append(f"  {{ {json.dumps(path)}, {{ {hdr} }} }},")
    return lines + ["}"]


def _wrk(lines: list[str], host: str, seconds: int, concurrency: int) -> str:
    """Run wrk with the Lua script ``lines`` (two threads at most); its standard output."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write("\n".join(lines))
        script = handle.name
    try:
        return subprocess.run(["wrk", f"-t{min(2, concurrency)}", f"-c{concurrency}", f"-d{seconds}s", "-s", script, host],
                              capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(script)


def run_wrk(name: str, host: str, requests: list[tuple[str, dict[str, str]]], seconds: int, concurrency: int) -> Result:
    """Load with wrk: a Lua script cycles through the requests, each with its own headers."""
    lines = _lua_requests(requests) + [
        "local i = 0", "math.randomseed(os.time())",
        "request = function()", "  i = i + 1", "  local r = reqs[(i % #reqs) + 1]",
        "  return wrk.format('GET', r[1], r[2])", "end",
        "done = function(summary, latency, requests)",
        "  io.write(string.format('RESULT %d %f %f %f %d\\n', summary.requests, summary.duration / 1e6,",
        "    latency:percentile(50) / 1000, latency:percentile(99) / 1000,",
        "    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))",
        "end",
    ]
    out = _wrk(lines, host, seconds, concurrency)
    match = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out)
    if not match:
        raise SystemExit(f"wrk said:\n{out}")
    n, dur, p50, p99, errors = match.groups()
    return Result(name, int(n), float(dur), float(p50), float(p99), int(errors))


def run_walk(name: str, host: str, requests: list[tuple[str, dict[str, str]]], seconds: int, concurrency: int) -> Result:
    """Every request once (a crawler's walk): each wrk thread walks its own slice and stops at
    its end. A walk that ends within ``seconds`` is timed by Little's law (connections / mean
    latency: wrk keeps waiting out its duration); one that does not is timed by wrk itself,
    and every request it made was still a first one."""
    threads = min(2, concurrency)
    lines = _lua_requests(requests) + [
        "local counter = 0", "local threads = {}",
        "function setup(thread) thread:set('id', counter); counter = counter + 1; table.insert(threads, thread) end",
        f"local nthreads = {threads}",
        "local i, last, got = 0, 0, 0",
        "function init(args)",
        "  local per = math.ceil(#reqs / nthreads)",
        "  i = id * per; last = math.min(#reqs, (id + 1) * per)",
        "end",
        "request = function()",
        "  i = i + 1",
        "  local r = reqs[math.min(i, last)]",
        "  return wrk.format('GET', r[1], r[2])",
        "end",
        "response = function(status, headers, body)",
        "  got = got + 1",
        "  if got >= last - id * math.ceil(#reqs / nthreads) then wrk.thread:stop() end",
        "end",
        "done = function(summary, latency, requests)",
        "  io.write(string.format('RESULT %d %f %f %f %d %f\\n', summary.requests, summary.duration / 1e6,",
        "    latency:percentile(50) / 1000, latency:percentile(99) / 1000,",
        "    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,",
        "    latency.mean / 1e6))",
        "end",
    ]
    out = _wrk(lines, host, seconds, concurrency)
    match = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+) ([\d.]+)", out)
    if not match:
        raise SystemExit(f"wrk said:\n{out}")
    n, dur, p50, p99, errors, mean = match.groups()
    walked = int(n) >= len(requests)
    elapsed = int(n) * float(mean) / concurrency if walked else float(dur)
    result = Result(name, int(n), elapsed, float(p50), float(p99), int(errors))
    print(f"  {name:<26} {result.rps:9.0f} req/s   p50 {result.p50_ms:6.2f} ms   p99 {result.p99_ms:6.2f} ms   "
          f"{'all' if walked else 'first'} {min(int(n), len(requests))} of {len(requests)} documents"
          + (f"   ({result.errors} errors)" if result.errors else ""), flush=True)
    return result


async def _client(host: str, port: int, requests: list[tuple[str, dict[str, str]]], stop: float,
                  offset: int, latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    i = offset
    try:
        while time.perf_counter() < stop:
            path, headers = requests[i % len(requests)]
            i += 1
            head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
            started = time.perf_counter()
            writer.write(head.encode())
            status_line = await reader.readline()
            length = 0
            chunked = False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                key, _, value = line.decode("latin-1").partition(":")
                if key.lower() == "content-length":
                    length = int(value.strip())
                elif key.lower() == "transfer-encoding" and "chunked" in value.lower():
                    chunked = True
            if chunked:
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            elif length:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not status_line.split(b" ")[1].startswith((b"2", b"3")):
                errors.append(1)
    finally:
        writer.close()


def run_python(name: str, url: str, requests: list[tuple[str, dict[str, str]]], seconds: int, concurrency: int) -> Result:
    parsed = urllib.parse.urlsplit(url)
    latencies: list[float] = []
    errors: list[int] = []

    async def main() -> float:
        started = time.perf_counter()
        stop = started + seconds
        await asyncio.gather(*(_client(parsed.hostname or "127.0.0.1", parsed.port or 80, requests, stop, k * 7,
                                       latencies, errors) for k in range(concurrency)))
        return time.perf_counter() - started

    elapsed = asyncio.run(main())
    return Result(name, len(latencies), elapsed, *_percentiles(latencies), errors=len(errors))


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    if not latencies:
        return 0.0, 0.0
    ordered = sorted(latencies)
    return ordered[len(ordered) // 2] * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def load(name: str, url: str, requests: list[tuple[str, dict[str, str]]], seconds: int, concurrency: int, use_wrk: bool) -> Result:
    result = run_wrk(name, url, requests, seconds, concurrency) if use_wrk else run_python(name, url, requests, seconds, concurrency)
    print(f"  {name:<22} {result.rps:9.0f} req/s   p50 {result.p50_ms:6.2f} ms   p99 {result.p99_ms:6.2f} ms"
          + (f"   ({result.errors} errors)" if result.errors else ""), flush=True)
    return result


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def sequential(url: str, requests: list[tuple[str, dict[str, str]]], expect: int = 200) -> tuple[float, float]:
    """p50/p99 of requests sent one at a time on one keep-alive connection: the cost of
    one answer with no queueing and little client overhead."""
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=60)
    latencies = []
    try:
        for path, headers in requests:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            assert response.status == expect, (path, response.status)
    finally:
        conn.close()
    return _percentiles(latencies)


def search_figures(store_root: Path, base: str) -> dict[str, object]:
    """The in-memory search index of endpoint.pages.search on this store: build time and query latency."""
    from endpoint.pages.search import SearchIndex
    from kg.store.embedded import EmbeddedStore

    store = EmbeddedStore(store_root)
    started = time.perf_counter()
    index = SearchIndex.load(store, base)
    load_s = time.perf_counter() - started
    out: dict[str, object] = {"entries": len(index), "load_s": round(load_s, 3), "queries": {}}
    print(f"search index: {len(index)} things, made in {load_s:.2f} s", flush=True)
    for q in ("hergebruik", "mobius", "strategie circulaire stad", "water", "bouw afval leuven", "qwertyuiop"):
        latencies = []
        hits = 0
        for _ in range(50):
            t = time.perf_counter()
            hits = len(index.search(q))
            latencies.append(time.perf_counter() - t)
        p50, p99 = _percentiles(latencies)
        out["queries"][q] = {"hits": hits, "p50_ms": round(p50, 2), "p99_ms": round(p99, 2)}  # type: ignore[index]
        print(f"  {q!r:<30} {hits:6d} hits   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms", flush=True)
    store.close()
    return out


# --- main ------------------------------------------------------------------------------


def first_visit_walks(store: Path, base: str, ox_url: str, env: dict[str, str], args: argparse.Namespace,
                      figures: dict[str, object]) -> list[Result]:
    """A crawler's first walk: every document once on a fresh ``kg serve`` (nothing asked
    before), against Oxigraph's ``DESCRIBE`` of the same IRIs once each; then the same walk in
    HTML and in JSON-LD (each a first visit of that format)."""
    docs = all_documents(store, base)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port), "--workers", str(args.workers)],
                              env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(url + "/health")
        # Each worker makes the build's indexes on its first request (seconds at 10 000 practices):
        # many requests at once reach every worker, and all of them end once every worker is ready.
        with ThreadPoolExecutor(4 * args.workers) as pool:
            for _ in range(2):
                list(pool.map(lambda _: fetch(url + "/", {"Accept": "text/html"}), range(8 * args.workers)))
        seconds = max(args.seconds, 5)
        print(f"first visits: every document once ({len(docs)} documents, {args.concurrency} connections, at most {seconds} s; "
              f"load average {os.getloadavg()[0]:.2f}):", flush=True)
        ttl = {"Accept": "text/turtle"}
        walks = [
            run_walk("oxigraph DESCRIBE, walk", ox_url, [("/query?query=" + urllib.parse.quote(f"DESCRIBE <{base}/id/{k}>"), ttl)
                                                         for k in docs], seconds, args.concurrency),
            run_walk("pages Turtle, walk", url, [(f"/doc/{k}", ttl) for k in docs], seconds, args.concurrency),
            run_walk("pages HTML, walk", url, [(f"/doc/{k}", {"Accept": "text/html", "Accept-Language": "nl"}) for k in docs],
                     seconds, args.concurrency),
            run_walk("pages JSON-LD, walk", url, [(f"/doc/{k}", {"Accept": "application/ld+json"}) for k in docs],
                     seconds, args.concurrency),
        ]
    finally:
        server.terminate()
        server.wait(10)
    oxr = walks[0].rps or 1.0
    for walk in walks[1:]:
        print(f"  {walk.name:<26} {walk.rps / oxr:5.2f}× oxigraph DESCRIBE (first visits)")
    figures["walk_documents"] = len(docs)
    figures["walk_ratio_turtle"] = round(walks[1].rps / oxr, 3)
    return walks



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=REPO / "var" / "store", help="built store folder (has current/)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="kg serve worker processes")
    parser.add_argument("--sample", type=int, default=200, help="how many practice IRIs to cycle through")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-wrk", action="store_true", help="use the built-in Python client even if wrk is installed")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--walks-only", action="store_true", help="only the first-visit walks (and Oxigraph's DESCRIBE walk)")
    args = parser.parse_args()

    store: Path = args.store.resolve()
    if not (store / "current").exists():
        print(f"No build in {store}: building the real data first …", flush=True)
        subprocess.run([sys.executable, "-m", "kg", "--store", str(store), "build", "-q"], check=True, cwd=REPO)
    base, iris, every = sample(store, args.sample, args.seed)
    refs = [iri.rsplit("/", 1)[1] for iri in iris]
    use_wrk = shutil.which("wrk") is not None and not args.no_wrk
    print(f"Store {store} · base {base} · {len(iris)} practices sampled · concurrency {args.concurrency} · "
          f"{args.workers} kg workers · load from {'wrk' if use_wrk else 'the Python client'}", flush=True)

    ox_port, kg_port = free_port(), free_port()
    ox_url, kg_url = f"http://127.0.0.1:{ox_port}", f"http://127.0.0.1:{kg_port}"
    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_STORE": str(store), "KG_BASE_IRI": base, "KG_DATA_DIR": str(REPO / "data")})
    servers = [
        subprocess.Popen([oxigraph, "serve-read-only", "--location", str((store / "current").resolve() / "oxigraph"),
                          "--bind", f"127.0.0.1:{ox_port}", "--union-default-graph"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(kg_port), "--workers", str(args.workers)],
                         env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ]
    figures: dict[str, object] = {"store": str(store), "practices_sampled": len(iris), "concurrency": args.concurrency,
                                  "workers": args.workers, "load": "wrk" if use_wrk else "python",
                                  "loadavg_before": os.getloadavg()[0]}
    print(f"machine load average before: {os.getloadavg()[0]:.2f} (other work on the machine skews every figure)")
    figures["search"] = search_figures(store, base)
    try:
        wait_until(ox_url + "/query?query=ASK%7B%7D")
        wait_until(kg_url + "/health")
        ttl = {"Accept": "text/turtle"}
        html = {"Accept": "text/html", "Accept-Language": "nl"}
        ttl_paths = [f"/doc/praktijk/{r}.ttl" for r in refs]
        html_paths = [f"/doc/praktijk/{r}.html" for r in refs]

        if args.walks_only and use_wrk:
            first_visit_walks(store, base, ox_url, env, args, figures)
            return
        print("one at a time (keep-alive, no queueing):", flush=True)
        fetch(kg_url + "/", html)  # the per-build indexes are made on the first request
        cold_ttl = sequential(kg_url, [(p, ttl) for p in ttl_paths])
        cold_html = sequential(kg_url, [(p, html) for p in html_paths])
        warm_ttl = sequential(kg_url, [(p, ttl) for p in ttl_paths] * 3)
        etags = {path: fetch(kg_url + path, ttl)[1]["etag"] for path in ttl_paths}
        seq_304 = sequential(kg_url, [(p, {**ttl, "If-None-Match": etags[p]}) for p in ttl_paths] * 3, expect=304)
        for name, (p50, p99) in (("pages Turtle, first", cold_ttl), ("pages HTML, first", cold_html),
                                 ("pages Turtle, cached", warm_ttl), ("pages 304", seq_304)):
            print(f"  {name:<22} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms", flush=True)

        # Warm every worker process: several connections at once reach all of them.
        for requests in ([(p, ttl) for p in ttl_paths], [(p, html) for p in html_paths]):
            if use_wrk:
                run_wrk("warm-up", kg_url, requests, 3, args.concurrency)
            else:
                run_python("warm-up", kg_url, requests, 3, args.concurrency)

        describe = [("/query?query=" + urllib.parse.quote(f"DESCRIBE <{iri}>"), ttl) for iri in iris]
        status, _, body = fetch(ox_url + describe[0][0], ttl)
        assert status == 200 and body, "oxigraph did not answer the DESCRIBE"
        print(f"load ({args.seconds} s each, {args.concurrency} connections):", flush=True)
        results = [
            load("oxigraph DESCRIBE", ox_url, describe, args.seconds, args.concurrency, use_wrk),
            load("pages Turtle", kg_url, [(p, ttl) for p in ttl_paths], args.seconds, args.concurrency, use_wrk),
            load("pages HTML", kg_url, [(p, html) for p in html_paths], args.seconds, args.concurrency, use_wrk),
            load("pages 304 (Turtle)", kg_url, [(p, {**ttl, "If-None-Match": etags[p]}) for p in ttl_paths],
                 args.seconds, args.concurrency, use_wrk),
        ]
        if use_wrk:
            results += first_visit_walks(store, base, ox_url, env, args, figures)
        if len(every) >= 2000:
            # Every practice once as N-Triples (asked nowhere else): the answers are made, not
            # found in a cache, as long as the run asks fewer documents than there are.
            uncached = [(f"/doc/praktijk/{iri.rsplit('/', 1)[1]}.nt", {"Accept": "application/n-triples"}) for iri in every]
            seconds = max(2, min(args.seconds, len(uncached) // 2000))
            result = load("pages N-Triples uncached", kg_url, uncached, seconds, args.concurrency, use_wrk)
            if result.requests > len(uncached):
                print(f"    ({result.requests} requests for {len(uncached)} documents: the rest came from the cache)")
            results.append(result)
        by = {r.name: r for r in results}
        oxr = by["oxigraph DESCRIBE"].rps or 1.0
        print("ratios:")
        for name in ("pages Turtle", "pages HTML", "pages 304 (Turtle)"):
            print(f"  {name:<22} {by[name].rps / oxr:5.2f}× oxigraph req/s")
        print(f"  304 / first Turtle answer  = {seq_304[0] / cold_ttl[0]:.3f} of the time (p50, one at a time; target ≤ 0.1)")
        print(f"  304 / cached Turtle answer = {seq_304[0] / warm_ttl[0]:.3f} of the time (p50, one at a time)")
        figures.update({
            "results": [r.__dict__ | {"rps": round(r.rps, 1)} for r in results],
            "first_turtle_ms": {"p50": round(cold_ttl[0], 3), "p99": round(cold_ttl[1], 3)},
            "first_html_ms": {"p50": round(cold_html[0], 3), "p99": round(cold_html[1], 3)},
            "cached_turtle_ms": {"p50": round(warm_ttl[0], 3), "p99": round(warm_ttl[1], 3)},
            "not_modified_ms": {"p50": round(seq_304[0], 3), "p99": round(seq_304[1], 3)},
            "ratio_turtle": round(by["pages Turtle"].rps / oxr, 3),
            "ratio_html": round(by["pages HTML"].rps / oxr, 3),
            "ratio_304_to_first": round(seq_304[0] / cold_ttl[0], 4),
        })
        figures["loadavg_after"] = os.getloadavg()[0]
        print(f"machine load average after: {os.getloadavg()[0]:.2f}")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    finally:
        for proc in servers:
            proc.terminate()
        for proc in servers:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()

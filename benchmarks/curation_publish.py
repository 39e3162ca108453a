"""Benchmark of a curator's publication, from the request to live: the issue's "live in seconds".

On a copy of the real ``data/`` (``var/bench/curation/``): ``kg build``, an editor account and
its API token (``kg users``), ``kg serve`` with ``KG_CURATION=on`` (``KG_RELOAD_INTERVAL=0.2``,
indexes warmed by one page, search and query). Then, ``--runs`` times, the Leuven practice's
Dutch title is changed to a word found nowhere else and sent with ``PUT /api/records/…``
(``If-Match``), which answers once ``kg curate publish`` has passed the gate and switched:

* **answer**: from sending the PUT to its 200 (process start, record checks, journal, atomic
  write, incremental build with the SHACL gate, switch, audit log);
* **live**: from sending the PUT until the practice's page, a SPARQL ASK on the new title and a
  search (``/zoeken``) all show it (the web process picks the build up within the reload interval).

Then ``--withdrawals`` times, a practice nothing refers to is withdrawn with ``DELETE
/api/records/…?reason=…`` (``If-Match``): **answer** to the 204 (the same process: the record
removed, a 410 row in ``redirects.csv``, the incremental build, switch, audit line), **live**
until its IRI answers 410 and a SPARQL ASK no longer finds it. Side by side in one run.

Not a test: it asserts nothing. Only loopback addresses; the server is stopped at the end. The
machine is shared: the load average before the runs is printed with the figures.

    .venv/bin/python benchmarks/curation_publish.py [--runs 5] [--withdrawals 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from build import PYTHON, REPO

from kg.rdf.iris import DEFAULT_BASE_IRI

LEUVEN = "leuven-strategie-circulaire-stad"


def _kg(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([PYTHON, "-m", "kg", *args], input=stdin, capture_output=True, text=True, env=env, check=True)
    return done.stdout


def _environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_DATA_DIR": str(root / "data"), "KG_STORE": str(root / "store"), "KG_CURATION": "on",
                "KG_CURATION_DIR": str(root / "curation"), "KG_RELOAD_INTERVAL": "0.2"})
    return env


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _live(url: str, word: str) -> bool:
    page = httpx.get(f"{url}/doc/praktijk/{LEUVEN}", timeout=30).text
    ask = httpx.get(f"{url}/sparql", params={"query": f'ASK {{ ?p <http://purl.org/dc/terms/title> "{word}"@nl }}'},
                    headers={"Accept": "application/sparql-results+json"}, timeout=30).json()["boolean"]
    search = httpx.get(f"{url}/zoeken", params={"q": word}, timeout=30).text
    return word in page and bool(ask) and LEUVEN in search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--withdrawals", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = REPO / "var" / "bench" / "curation"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "data", root / "data")
    env = _environment(root)
    _kg(env, "build", "-q")
    _kg(env, "users", "add", "bench", "--role", "editor", "--no-password")
    token = _kg(env, "users", "token", "bench", "--days", "1").strip()
    port = _port()
    url = f"http://127.0.0.1:{port}"
    with open(root / "server.log", "wb") as log:
        server = subprocess.Popen([PYTHON, "-m", "kg", "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        _live(url, "warm-up")
        load = os.getloadavg()
        results = [_one(url, token, root, n) for n in range(args.runs)]
        unreferenced = sorted(p.stem for p in (root / "data" / "praktijken").glob("voorbeeld-*.yaml"))
        withdrawn = [_withdraw(url, token, rid) for rid in unreferenced[:args.withdrawals]]
    finally:
        server.terminate()
        server.wait(30)
    report: dict[str, Any] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                              "load": [round(x, 2) for x in load], "runs": results,
                              "answer_median": statistics.median(r["answer"] for r in results),
                              "live_median": statistics.median(r["live"] for r in results), "withdrawals": withdrawn,
                              **({"withdraw_answer_median": statistics.median(r["answer"] for r in withdrawn),
                                  "withdraw_live_median": statistics.median(r["live"] for r in withdrawn)} if withdrawn else {})}
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


def _one(url: str, token: str, root: Path, n: int) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {token}"}
    current = httpx.get(f"{url}/api/records/praktijk/{LEUVEN}", headers=headers, timeout=30)
    word = f"Benchmarkwoord{n}x{int(time.time())}"
    body = re.sub(rb"(titel:\n  nl: )[^\n]*", rb"\g<1>" + word.encode(), current.content, count=1)
    started = time.perf_counter()
    answer = httpx.put(f"{url}/api/records/praktijk/{LEUVEN}", content=body, timeout=300,
                       headers={**headers, "Content-Type": "application/yaml", "If-Match": current.headers["etag"]})
    answered = time.perf_counter() - started
    if answer.status_code != 200:
        print(answer.text, file=sys.stderr)
        raise SystemExit(1)
    while not _live(url, word):
        time.sleep(0.05)
    return {"answer": round(answered, 2), "live": round(time.perf_counter() - started, 2)}


def _withdraw(url: str, token: str, rid: str) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {token}"}
    current = httpx.get(f"{url}/api/records/praktijk/{rid}", headers=headers, timeout=30)
    started = time.perf_counter()
    answer = httpx.delete(f"{url}/api/records/praktijk/{rid}", params={"reason": "Benchmark."}, timeout=300,
                          headers={**headers, "If-Match": current.headers["etag"]})
    answered = time.perf_counter() - started
    if answer.status_code != 204:
        print(answer.text, file=sys.stderr)
        raise SystemExit(1)
    iri = f"{DEFAULT_BASE_IRI}/id/praktijk/{rid}"  # the benchmark's environment sets no KG_BASE_IRI
    while httpx.get(f"{url}/id/praktijk/{rid}", timeout=30).status_code != 410 or httpx.get(
            f"{url}/sparql", params={"query": f"ASK {{ <{iri}> ?p ?o }}"},
            headers={"Accept": "application/sparql-results+json"}, timeout=30).json()["boolean"]:
        time.sleep(0.05)
    return {"answer": round(answered, 2), "live": round(time.perf_counter() - started, 2)}


if __name__ == "__main__":
    main()

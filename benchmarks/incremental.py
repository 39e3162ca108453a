"""Benchmark of the incremental build beside the full build, in one run: one changed practice, live.

For each size N (synthetic practices, made once in ``var/bench/synth-N/data`` as
``benchmarks/build.py`` makes them) it:

1. builds everything with ``kg build --full`` into ``var/bench/synth-N/store-incremental``
   (wall time, peak resident memory of the process tree);
2. starts ``kg serve`` on that store (``KG_RELOAD_INTERVAL=0.2``), waits until it answers and
   asks once for a page, a search and a query (so its per-build indexes are made, as in service);
3. changes the title of one practice to a word found nowhere else, then runs ``kg build``
   (incremental) and asks, until all three show the word, for the practice's page
   (``/doc/praktijk/…``), a SPARQL ASK on the new title, and a search (``/zoeken?q=…``):
   **live** is the time from the start of ``kg build`` to the moment the last of the three
   answers with the change; the build's own wall time and stage times are reported beside it,
   and the CPU seconds of ``kg build`` from its start to the switch that made the change live
   (``process_cpu`` in that build's ``BUILD.json``: on a shared machine the wall time holds the
   wait for other people's processes);
4. puts the practice back with a second incremental build (measured the same way).

Not a test: it asserts nothing. Only loopback addresses are used; the server is stopped at
the end. The machine is shared: the load average before each size is printed with it.

    .venv/bin/python benchmarks/incremental.py [--sizes 10000,100000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from build import (
    PYTHON,
    REPO,
    SYNTHETIC_BASE_IRI,
    env_for,
    fresh,
    load_average,
    run_measured,
    run_sizes,
    stage_table,
    synthetic_data,
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serve(data: Path, store: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    log = open(store.parent / "incremental-server.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([PYTHON, "-m", "kg", "serve", "--port", str(port)], cwd=REPO,
                               env=env_for(data, store, KG_RELOAD_INTERVAL="0.2"), stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)  # its own process group: stopped with its query workers
    url = f"http://127.0.0.1:{port}"
    for _ in range(1200):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("kg serve did not start")


def _shows(http: httpx.Client, practice: str, word: str) -> dict[str, bool]:
    try:
        return _answers(http, practice, word)
    except httpx.HTTPError:  # a slow answer (a web process remaking its indexes on a crowded machine) is "not yet"
        return {"page": False, "sparql": False, "search": False}


def _answers(http: httpx.Client, practice: str, word: str) -> dict[str, bool]:
    iri = f"{SYNTHETIC_BASE_IRI}/id/praktijk/{practice}"
    ask = f'ASK {{ <{iri}> <http://purl.org/dc/terms/title> ?t FILTER(CONTAINS(STR(?t), "{word}")) }}'
    sparql = http.get("/sparql", params={"query": ask}, headers={"Accept": "application/sparql-results+json"})
    return {
        "page": word in http.get(f"/doc/praktijk/{practice}", headers={"Accept": "text/html"}).text,
        "sparql": sparql.status_code == 200 and sparql.json().get("boolean") is True,
        "search": practice in http.get("/zoeken", params={"q": word}).text,
    }


def _change_live(data: Path, store: Path, url: str, practice: Path, word: str) -> dict[str, Any]:
    """Run an incremental ``kg build`` in the background and poll until the change is served."""
    before = (store / "current").resolve().name
    started = time.perf_counter()
    seen: dict[str, float] = {}
    result: dict[str, Any] = {}
    def run() -> None:
        result.update(run_measured([PYTHON, "-m", "kg", "build"], env_for(data, store)))

    builder = threading.Thread(target=run)
    builder.start()
    with httpx.Client(base_url=url, timeout=60) as http:
        while len(seen) < 3 and time.perf_counter() - started < 1800:
            for what, ok in _shows(http, practice.stem, word).items():
                if ok and what not in seen:
                    seen[what] = round(time.perf_counter() - started, 2)
            time.sleep(0.02)
    builder.join()
    info = json.loads((store / "current" / "BUILD.json").read_text())
    first = _first_build_on(store, before)
    result.pop("output", None)
    return {"build": result, "live_s": max(seen.values()) if len(seen) == 3 else None, "seen_s": seen,
            "mode": info.get("mode"), "stages": info["timings"], "stages_cpu": info.get("cpu", {}),
            # The build that made the change live (the first of a deferred-dumps pair): its stages,
            # and the CPU seconds of `kg build` from its start (imports included) to that switch.
            "first": {"stages": first.get("timings", {}), "stages_cpu": first.get("cpu", {}),
                      "process_cpu": first.get("process_cpu"), "summary": first.get("extra", {}).get("incremental", {}).get("summary")}}


def _first_build_on(store: Path, before: str) -> dict[str, Any]:
    """BUILD.json of the build made on ``before`` (the one that made the change live)."""
    for info_file in sorted((store / "builds").glob("*/BUILD.json")):
        info: dict[str, Any] = json.loads(info_file.read_text())
        if info.get("extra", {}).get("incremental", {}).get("based_on") == before:
            return info
    return {}


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server this script started and its query workers (its process group)."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(30)


def bench(size: int) -> dict[str, Any]:
    data = synthetic_data(size)
    store = fresh(data.parent / "store-incremental")
    load = load_average()
    full = run_measured([PYTHON, "-m", "kg", "build", "--full", "--quiet"], env_for(data, store))
    if full["exit"] != 0:
        raise SystemExit(full["output"])
    full.pop("output")
    practice = data / "praktijken" / f"synth-praktijk-{size // 2}.yaml"
    original = practice.read_text(encoding="utf-8")
    server, url = _serve(data, store)
    try:
        with httpx.Client(base_url=url, timeout=600) as http:  # a running service has its pages' indexes made
            _answers(http, practice.stem, "warm")
        word = f"Meetwoord{int(time.time())}"
        practice.write_text(original.replace("titel:\n  nl: \"", f"titel:\n  nl: \"{word} ", 1), encoding="utf-8")
        changed = _change_live(data, store, url, practice, word)
        practice.write_text(original, encoding="utf-8")
        back = run_measured([PYTHON, "-m", "kg", "build", "--quiet"], env_for(data, store))
        back.pop("output")
    finally:
        practice.write_text(original, encoding="utf-8")
        _stop(server)
    return {"practices": size, "load_before": load, "full": full, "incremental": changed, "back": back,
            "load_after": load_average()}


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| practices | load before / after (1/5/15 min) | full build s | full build CPU s | full peak tree MB | "
             "incremental build s | incremental CPU s | incremental peak tree MB | CPU s of `kg build` to the switch | "
             "live s (page, SPARQL, search) | back s |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
    for r in results:
        inc = r["incremental"]
        seen = ", ".join(f"{k} {v}" for k, v in sorted(inc["seen_s"].items()))
        lines.append(f"| {r['practices']:,} | {r['load_before']} → {r['load_after']} | {r['full']['wall_s']} | "
                     f"{r['full']['cpu_s']} | {r['full']['peak_tree_mb']} | {inc['build'].get('wall_s')} | "
                     f"{inc['build'].get('cpu_s')} | {inc['build'].get('peak_tree_mb')} | {inc['first']['process_cpu']} | "
                     f"{inc['live_s']} ({seen}) | "
                     f"{r['back']['wall_s']} |")
    first = [{"practices": r["practices"], "stages": r["incremental"]["first"]["stages"],
              "stages_cpu": r["incremental"]["first"]["stages_cpu"]} for r in results]
    stages = [{"practices": r["practices"], "stages": r["incremental"]["stages"],
               "stages_cpu": r["incremental"]["stages_cpu"]} for r in results]
    return "\n".join(lines + ["", "The build that made the change live:", "", stage_table(first, "stages"), "",
                               "Both builds of the incremental `kg build` (the second brings the dumps, VoID, quality):", "",
                               stage_table(stages, "stages")])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--json", type=Path, default=REPO / "var" / "bench" / "incremental-results.json")
    args = parser.parse_args()
    run_sizes(args.sizes, bench, table, args.json)

if __name__ == "__main__":
    main()

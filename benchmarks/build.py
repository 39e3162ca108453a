"""Benchmark of `kg build` on synthetic practices (1 000, 10 000, 100 000), and pyshacl beside it.

For each size N it makes (once) ``var/bench/synth-N/data`` with ``kg synth --practices N``,
builds it into ``var/bench/synth-N/store`` with ``kg build`` (a separate process, as an
operator runs it) and reports:

- the wall time of the whole build and of each stage (from the build's BUILD.json);
- peak memory: the largest resident set of any one process (``getrusage(RUSAGE_CHILDREN)``,
  what ``/usr/bin/time -v`` shows) and the peak *sum* over the build's process tree
  (sampled every 50 ms from /proc: the build runs worker and child processes side by side);
- quads per second of the whole build;
- the SHACL gate alone on the same mapped graphs, both engines: the compiled SPARQL
  (``KG_VALIDATOR=sparql``) and pyshacl (the reference), each in its own process, pyshacl
  capped in time (``--pyshacl-timeout``) and address space (``--pyshacl-memory``).

These stores are the ones the endpoint and page benchmarks use (``--store
var/bench/synth-N/store``). Not a test: it asserts nothing.

    .venv/bin/python benchmarks/build.py [--sizes 1000,10000,100000] [--pyshacl-timeout 600]
                                         [--pyshacl-memory 6] [--skip-pyshacl] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SYNTHETIC_BASE_IRI = "https://synth.invalid"


def env_for(data: Path, store: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(KG_BASE_IRI=SYNTHETIC_BASE_IRI, KG_DATA_DIR=str(data), KG_STORE=str(store), **extra)
    return env


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            pid, ppid, pages = int(entry.name), int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * resource.getpagesize()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def synthetic_data(size: int) -> Path:
    """``var/bench/synth-N/data``: N synthetic practices, made once with ``kg synth``."""
    data = REPO / "var" / "bench" / f"synth-{size}" / "data"
    if not (data / "SYNTHETIC").is_file():
        subprocess.run([PYTHON, "-m", "kg", "synth", "--practices", str(size), "--out", str(data)], cwd=REPO, check=True,
                       env={k: v for k, v in os.environ.items() if not k.startswith("KG_")})
    return data


def fresh(store: Path) -> Path:
    """An empty store folder: a full build into it is a first build, as from a fresh clone
    (into an earlier build's store the LDES would add nothing and cost less)."""
    shutil.rmtree(store, ignore_errors=True)
    return store


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, as ``uptime`` shows them."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def run_sizes(sizes: str, bench_one: Callable[[int], dict[str, Any]], table_of: Callable[[list[dict[str, Any]]], str],
              json_path: Path) -> None:
    """The common tail of the build benchmarks: each size in turn, the table after each (on
    stderr), then the machine, the load averages before and after, and the table (stdout,
    and ``json_path``). The machine is shared: the load says how much of it the run had."""
    results = []
    load_before = load_average()
    for size in (int(s) for s in sizes.split(",")):
        print(f"== {size} practices (load average {load_average()})", file=sys.stderr)
        results.append(bench_one(size))
        print(table_of(results), file=sys.stderr)
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    load = {"before": load_before, "after": load_average()}
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps({"machine": machine, "load_average": load, "results": results}, indent=2))
    print(f"Machine: {machine}; load average (1 / 5 / 15 min) before {load['before']}, after {load['after']}\n")
    print(table_of(results))


def run_measured(cmd: list[str], env: dict[str, str], timeout: float | None = None, limit_gb: float | None = None) -> dict[str, Any]:
    """Run ``cmd``; wall time, exit code, peak single-process RSS and peak tree RSS."""

    def cap() -> None:
        if limit_gb:
            limit = int(limit_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=cap)
    peak_tree = 0
    timed_out = False
    while process.poll() is None:
        peak_tree = max(peak_tree, tree_rss(process.pid))
        if timeout is not None and time.perf_counter() - started > timeout:
            process.kill()
            timed_out = True
            break
        time.sleep(0.05)
    output = process.communicate()[0].decode("utf-8", "replace")
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = usage.ru_maxrss
    return {
        "wall_s": round(wall, 2),
        # user + system seconds of the whole process tree (each process is counted once its parent reaped it)
        "cpu_s": round(usage.ru_utime + usage.ru_stime - cpu_before, 2),
        "exit": process.returncode,
        "timed_out": timed_out,
        # ru_maxrss of children is the largest child ever; only meaningful when it grew
        "peak_process_mb": round(max(after, before) / 1024) if after > before else None,
        "peak_tree_mb": round(peak_tree / 1024**2),
        "output": output[-3000:],
    }


GATE = """
import json, sys, time
from pathlib import Path
from kg.records.corpus import load_corpus
from kg.rdf.mapping import map_corpus
from kg.shacl.gate import validate
data, engine = Path(sys.argv[1]), sys.argv[2]
t = time.perf_counter()
corpus = load_corpus(data, Path("ontology/vocabularies"))
graphs = map_corpus(corpus, "https://synth.invalid", Path("ontology/circulair.ttl"))
prepared = time.perf_counter() - t
t = time.perf_counter()
report = validate(graphs, Path("shapes"), engine=engine)
print(json.dumps({"prepare_s": round(prepared, 2), "validate_s": round(time.perf_counter() - t, 2), "results": len(report.results)}))
"""


def gate(data: Path, engine: str, timeout: float | None, limit_gb: float | None) -> dict[str, Any]:
    """The SHACL gate alone (both engines get the same mapped graphs, in their own process)."""
    run = run_measured([PYTHON, "-c", GATE, str(data), engine], env_for(data, data.parent / "unused"), timeout, limit_gb)
    last = run["output"].strip().splitlines()[-1] if run["output"].strip() else ""
    try:
        run.update(json.loads(last))
    except json.JSONDecodeError:
        run["error"] = last[-300:]
    run.pop("output")
    return run


def bench(size: int, args: argparse.Namespace) -> dict[str, Any]:
    data = synthetic_data(size)
    store = fresh(data.parent / "store")
    result: dict[str, Any] = {"practices": size, "store": str(store.relative_to(REPO)), "load_before": load_average()}
    build = run_measured([PYTHON, "-m", "kg", "build", "--full", "--quiet"], env_for(data, store))
    if build["exit"] != 0:
        print(build["output"], file=sys.stderr)
        raise SystemExit(f"kg build failed for {size} practices")
    info = json.loads((store / "current" / "BUILD.json").read_text())
    build.pop("output")
    result["build"] = build
    result["quads"] = info["triples"]
    result["graphs"] = info["graphs"]
    result["stages"] = info["timings"]
    result["stages_cpu"] = info.get("cpu", {})
    result["quads_per_s"] = round(info["triples"] / build["wall_s"])
    result["gate_sparql"] = gate(data, "sparql", None, None)
    if not args.skip_pyshacl:
        result["gate_pyshacl"] = gate(data, "pyshacl", args.pyshacl_timeout, args.pyshacl_memory)
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| practices | load before (1/5/15 min) | quads | build wall s | build CPU s | quads/s | peak process MB | peak tree MB | "
        "SHACL sparql s | SHACL pyshacl s | pyshacl peak MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        b, s, p = r["build"], r["gate_sparql"], r.get("gate_pyshacl")
        if p is None:
            py, pymem = "not run", ""
        elif p.get("timed_out"):
            py, pymem = f"> {p['wall_s']:.0f} (stopped)", str(p["peak_tree_mb"])
        elif "validate_s" not in p:
            py, pymem = f"failed ({p.get('error', '')[:40]})", str(p["peak_tree_mb"])
        else:
            py, pymem = str(p["validate_s"]), str(p["peak_tree_mb"])
        lines.append(
            f"| {r['practices']:,} | {r['load_before']} | {r['quads']:,} | {b['wall_s']} | {b['cpu_s']} | {r['quads_per_s']:,} | "
            f"{b['peak_process_mb']} | "
            f"{b['peak_tree_mb']} | {s.get('validate_s')} | {py} | {pymem} |"
        )
    return "\n".join(lines + ["", stage_table(results, "stages")])


def stage_table(results: list[dict[str, Any]], key: str) -> str:
    """Wall and CPU seconds of each stage (``BUILD.json``'s ``timings`` and ``cpu``), per size."""
    stages = sorted({k for r in results for k in r[key]}, key=lambda k: -max(r[key].get(k, 0) for r in results))
    lines = ["| stage: wall s / CPU s | " + " | ".join(f"{r['practices']:,}" for r in results) + " |",
             "|---|" + "---:|" * len(results)]
    for stage in stages:
        cells = [f"{r[key].get(stage, 0):.2f} / {r[key + '_cpu'].get(stage, float('nan')):.2f}" for r in results]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--pyshacl-timeout", type=float, default=600.0, help="seconds before pyshacl is stopped")
    parser.add_argument("--pyshacl-memory", type=float, default=6.0, help="address-space cap for pyshacl, GiB")
    parser.add_argument("--skip-pyshacl", action="store_true")
    parser.add_argument("--json", type=Path, default=REPO / "var" / "bench" / "build-results.json")
    args = parser.parse_args()
    run_sizes(args.sizes, lambda size: bench(size, args), table, args.json)

if __name__ == "__main__":
    main()

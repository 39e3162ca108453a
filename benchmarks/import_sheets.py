"""Benchmark of `kg import` on synthetic practice sheets (target: 10 000 sheets under 60 s).

For each size N it makes (once) ``var/bench/sheets-N`` with ``kg synth --sheets N``, copies its
``data/`` folder afresh for every run, and times, each as a separate ``kg`` process as a
curator runs it: ``kg import --dry-run`` (read, map, check: nothing written),
``kg import`` (the same, and every file written) and ``kg validate`` of the folder the import
filled (records and SHACL). Peak resident memory of each process is from
``getrusage(RUSAGE_CHILDREN)`` (measured per run by starting the run in its own child).
Prints the load average before and after: the machine is shared. Not a test: it asserts nothing.

    .venv/bin/python benchmarks/import_sheets.py [--sizes 1000,10000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SYNTHETIC_BASE_IRI = "https://synth.invalid"


def kg(*args: str, data: Path | None = None) -> tuple[float, float, float, str]:
    """Run one ``kg`` command; (wall seconds, CPU seconds (user + system), peak RSS MiB of
    that process, last output line). On a shared machine the CPU time is what the command
    costs; the wall time also holds the waiting for other people's processes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    if data is not None:
        env |= {"KG_DATA_DIR": str(data), "KG_BASE_IRI": SYNTHETIC_BASE_IRI}
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a child of our own, so that RUSAGE_CHILDREN is this run's alone
        os.close(read)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        tail = (done.stdout.strip().splitlines() or done.stderr.strip().splitlines() or [""])[-1]
        os.write(write, f"{wall}\t{usage.ru_utime + usage.ru_stime}\t{usage.ru_maxrss / 1024}\t{tail}".encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as handle:
        wall, cpu, peak, tail = handle.read().split("\t", 3)
    os.waitpid(pid, 0)
    return float(wall), float(cpu), float(peak), tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| sheets | step | wall s | CPU s | sheets/s (wall) | peak RSS MiB | load (1 min) | result |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    for n in (int(s) for s in args.sizes.split(",")):
        root = REPO / "var" / "bench" / f"sheets-{n}"
        if not (root / "sheets").is_dir():
            shutil.rmtree(root, ignore_errors=True)
            kg("synth", "--sheets", str(n), "--out", str(root))
        for _ in range(args.rounds):
            for step, extra in (("import --dry-run", ["--dry-run"]), ("import", [])):
                work = root / "work"
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(root / "data", work)
                wall, cpu, peak, tail = kg("import", *extra, str(root / "sheets"), data=work)
                print(f"| {n} | kg {step} | {wall:.1f} | {cpu:.1f} | {n / wall:.0f} | {peak:.0f} | {os.getloadavg()[0]:.1f} | {tail[:90]} |",
                      flush=True)
            wall, cpu, peak, tail = kg("validate", data=root / "work")
            print(f"| {n} | kg validate (after the import) | {wall:.1f} | {cpu:.1f} | {n / wall:.0f} | {peak:.0f} | "
                  f"{os.getloadavg()[0]:.1f} | {tail[:90]} |", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""``kg serve --workers N``: N processes share one store (the embedded one read-only, or
the session backend's SPARQL server), and all follow a new build without a restart (the
web tier keeps no state of its own)."""

from __future__ import annotations

import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import REPO, Server, backend_settings, free_port

from kg.build.pipeline import build
from kg.settings import Settings

ASK = "ASK { ?s a <https://data.lokaalcirculair.be/ns/circulair#Praktijk> }"


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        out += [int(c) for c in children]
    return out


def _opens(pid: int, folder: Path) -> bool:
    """True when process ``pid`` holds a file of ``folder`` open (the RocksDB files of the store)."""
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if str(folder) in os.readlink(fd):
                return True
        except OSError:
            continue
    return False


def _connects(pid: int, port: int) -> bool:
    """True when process ``pid`` holds a TCP socket to local ``port`` (a remote store's server)."""
    sockets = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            sockets.add(target[8:-1])
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in sockets and int(fields[2].rsplit(":", 1)[1], 16) == port:
                return True
    return False


def _family(pid: int) -> list[int]:
    """``pid`` and all its descendants (a web worker and its query processes)."""
    return [pid, *(p for child in _children(pid) for p in _family(child))]


def _uses_store(pid: int, settings: Settings, folder: Path) -> bool:
    """Does worker ``pid`` read the store: the build's RocksDB files open (embedded), or a
    connection to the SPARQL server from it or its query processes (remote: the SPARQL
    queries run there, see endpoint.sparql.worker_pool)?"""
    if settings.is_remote:
        port = urlsplit(settings.store).port
        assert port is not None
        return any(_connects(p, port) for p in _family(pid))
    return _opens(pid, folder)


@pytest.mark.slow
def test_two_workers_share_one_store_and_follow_a_new_build(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    with backend_settings(tmp_path, data_dir=data, ontology_dir=REPO / "ontology", shapes_dir=REPO / "shapes") as settings:
        _workers_share_and_follow(settings, data)


def _workers_share_and_follow(settings: Settings, data: Path) -> None:
    first = build(settings)
    web = Server(settings, free_port(), extra_env={"KG_WORKERS": "2"})
    try:
        with httpx.Client(base_url=web.url, timeout=30) as client:

            def ask(_: int) -> tuple[int, bool, str]:
                r = client.get("/sparql", params={"query": ASK}, headers={"Accept": "application/sparql-results+json"})
                return r.status_code, r.json()["boolean"], client.get("/health").json()["build"]

            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(ask, range(64)))
            assert all(a == (200, True, first.build_id) for a in answers)

            workers = _children(web.process.pid)
            serving = [pid for pid in workers if _uses_store(pid, settings, first.folder)]
            # A remote store is reached only once a query lands on a worker, and the client's
            # kept-alive connections may all have gone to one: queries on fresh connections.
            for _ in range(200):
                if len(serving) >= 2:
                    break
                httpx.get(f"{web.url}/sparql", params={"query": ASK}, timeout=30).raise_for_status()
                serving = [pid for pid in workers if _uses_store(pid, settings, first.folder)]
            assert len(serving) >= 2, f"worker processes {workers}, with the store open: {serving}"

            # A rebuild (one record changed) goes live in every worker without a restart.
            record = data / "organisaties" / "vvsg.yaml"
            text = record.read_text(encoding="utf-8")
            record.write_text(text.replace('gewijzigd: "2026-11-25"', 'gewijzigd: "2027-01-01"'), encoding="utf-8")
            second = build(settings)
            deadline = time.monotonic() + 20
            builds: set[str] = set()
            while time.monotonic() < deadline:
                with ThreadPoolExecutor(8) as pool:
                    builds = {b for _, _, b in pool.map(ask, range(32))}
                if builds == {second.build_id}:
                    break
                time.sleep(0.3)
            assert builds == {second.build_id}
    finally:
        web.stop()

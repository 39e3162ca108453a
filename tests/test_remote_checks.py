"""A remote store is checked before it is used (kg.store.remote_checks), against real ``oxigraph serve``s.

* A server started without ``--union-default-graph`` (its default graph empty: every query
  would answer 0 rows) makes ``kg build``, ``kg serve`` and ``kg query`` exit 5 with one line
  naming the server option, before any work.
* ``kg build`` on a well-configured server prints the real places of the graph and the dumps.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from conftest import REPO, OxigraphServer, free_port

FOLDERS = {"KG_DATA_DIR": str(REPO / "data"), "KG_ONTOLOGY_DIR": str(REPO / "ontology"), "KG_SHAPES_DIR": str(REPO / "shapes")}


def kg(*args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` with exactly these KG_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({**FOLDERS, **variables})
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def not_union(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """``oxigraph serve`` without --union-default-graph, holding one triple in a named graph."""
    server = OxigraphServer(tmp_path_factory.mktemp("not-union"), union=False)
    put = httpx.put(f"{server.url}/store", params={"graph": "https://example.org/g"},
                    content=b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n",
                    headers={"Content-Type": "application/n-triples"})
    assert put.status_code < 300
    yield server
    server.stop()


@pytest.mark.parametrize("command", [["build"], ["serve", "--port", "0"], ["query", "ASK {}"]])
def test_a_server_without_the_union_default_graph_stops_every_command(
    command: list[str], not_union: OxigraphServer, tmp_path: Path
) -> None:
    result = kg(*command, KG_STORE=not_union.query_url, KG_ARTEFACTS_DIR=str(tmp_path / "artefacts"))
    assert result.returncode == 5, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "union of its named graphs" in lines[0] and "--union-default-graph" in lines[0] and "KG_STORE" in lines[0]
    # The build stopped before its work: nothing was uploaded, no build folder made; the probe graph is gone.
    assert not (tmp_path / "artefacts" / "current").exists()
    count = httpx.post(not_union.query_url, data={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                       headers={"Accept": "text/csv"})
    assert count.text.split()[-1] == "1"


def test_a_build_refused_by_the_graph_store_names_the_setting(not_union: OxigraphServer, tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}/store"
    result = kg("build", KG_STORE=not_union.query_url, KG_ARTEFACTS_DIR=str(tmp_path / "artefacts"), KG_GSP_URL=dead)
    assert result.returncode == 5
    assert "KG_GSP_URL" in result.stderr and dead in result.stderr and "Traceback" not in result.stderr


def test_kg_build_on_a_server_prints_the_real_places(tmp_path: Path) -> None:
    (tmp_path / "server").mkdir()
    server = OxigraphServer(tmp_path / "server")
    try:
        result = kg("build", "--quiet", KG_STORE=server.query_url, KG_ARTEFACTS_DIR=str(tmp_path / "artefacts"))
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    places = dict(line.split(": ", 1) for line in result.stdout.splitlines() if line.startswith(("Store: ", "Dumps: ")))
    assert places["Store"] == server.query_url
    dumps = Path(places["Dumps"])
    assert (dumps / "lokaalcirculair.nq.gz").is_file()
    assert dumps.resolve().parent.parent.parent == (tmp_path / "artefacts" / "builds").resolve()

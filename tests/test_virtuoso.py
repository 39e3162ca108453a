"""What the Virtuoso profile (kg/store/engines.py) adapts, against a real Virtuoso.

The HTTP suites run on Virtuoso in the third pass of scripts/test; these tests pin the
engine's differences themselves, on one small hand-made build:

* the upload goes graph by graph with digest authentication, and a second build deletes the
  graphs it no longer has while Virtuoso's own graphs stay;
* Virtuoso's own graphs are recorded as foreign and left out of counts and ``GRAPH ?g``;
* ``ASK`` comes back as a boolean, ``DESCRIBE`` describes, a geometry keeps its CRS and type;
* a Virtuoso named as another engine (``KG_STORE_ENGINE=oxigraph``) is refused with the setting.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pyoxigraph as ox
import pytest
from conftest import commit_slot, free_port
from virtuoso_support import VirtuosoServer

from kg.namespaces import CRS84, GEO
from kg.settings import Settings
from kg.store.build_slot import BuildSlot
from kg.store.folders import build_root
from kg.store.graph_store import GraphStore

BASE = "https://data.lokaalcirculair.be"
WKT = ox.Literal(f"<{CRS84}> POINT (4.7 50.88)", datatype=GEO.wktLiteral)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"), free_port(), free_port())
    yield server
    server.stop()


def _build(settings: Settings, build_id: str, graphs: list[str]) -> int:
    """A build of one thing per graph (the first with a geometry), uploaded as ``kg build`` does."""
    root = build_root(settings)
    root.mkdir(parents=True, exist_ok=True)
    slot = BuildSlot(root, build_id)
    quads = []
    for n, name in enumerate(graphs):
        thing, graph = ox.NamedNode(f"{BASE}/id/praktijk/{name}"), ox.NamedNode(f"{BASE}/graph/praktijk/{name}")
        quads.append(ox.Quad(thing, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal(name, language="nl"), graph))
        if n == 0:
            quads.append(ox.Quad(thing, GEO.asWKT, WKT, graph))
    slot.load(quads)
    commit_slot(settings, slot, {"finished": "2026-12-07T00:00:00Z", "triples": len(quads), "graphs": len(graphs)})
    return len(quads)


def _graphs(store: GraphStore) -> set[str]:
    return {row["g"].value for row in store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def test_builds_replace_our_graphs_and_leave_virtuosos_own(
    virtuoso: VirtuosoServer, tmp_path: Path, opened_store: Callable[[Settings], GraphStore]
) -> None:
    settings = virtuoso.settings(tmp_path / "artefacts", base_iri=BASE)
    _build(settings, "20261207T000000000001Z", ["een", "twee", "drie"])
    store = opened_store(settings)
    foreign = json.loads((build_root(settings) / "current" / "remote.json").read_text())["foreign_graphs"]
    assert "http://www.openlinksw.com/schemas/virtrdf#" in foreign  # Virtuoso's own, found at upload
    assert _graphs(store) == {f"{BASE}/graph/praktijk/{n}" for n in ("een", "twee", "drie")}
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value == "4"

    triples = _build(settings, "20261207T000000000002Z", ["een", "vier"])
    store.refresh()
    assert _graphs(store) == {f"{BASE}/graph/praktijk/een", f"{BASE}/graph/praktijk/vier"}
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"].value == str(triples)
    # Virtuoso's own graphs are still there: only the profile's exclusion hides them.
    everything = httpx.post(virtuoso.query_url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                            headers={"Accept": "application/sparql-results+json"}).json()
    assert "http://www.openlinksw.com/schemas/virtrdf#" in {b["g"]["value"] for b in everything["results"]["bindings"]}


def test_ask_describe_and_geometries_answer_as_on_oxigraph(
    virtuoso: VirtuosoServer, tmp_path: Path, opened_store: Callable[[Settings], GraphStore]
) -> None:
    settings = virtuoso.settings(tmp_path / "artefacts", base_iri=BASE)
    _build(settings, "20261207T000000000003Z", ["een"])
    store = opened_store(settings)
    een = f"{BASE}/id/praktijk/een"
    assert store.ask(f"ASK {{ <{een}> ?p ?o }}") is True
    assert store.ask("ASK { <urn:nothing> ?p ?o }") is False
    described = store.construct(f"DESCRIBE <{een}>")
    assert ox.Triple(ox.NamedNode(een), GEO.asWKT, ox.Literal(f"<{CRS84}> POINT(4.7 50.88)", datatype=GEO.wktLiteral)) in described
    row = store.select(f"SELECT ?w WHERE {{ GRAPH <{BASE}/graph/praktijk/een> {{ <{een}> <{GEO.asWKT.value}> ?w }} }}")[0]
    assert row["w"].datatype == GEO.wktLiteral and row["w"].value.startswith(f"<{CRS84}> POINT(")


def test_a_virtuoso_named_as_another_engine_is_refused(virtuoso: VirtuosoServer, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(KG_STORE=virtuoso.query_url, KG_ARTEFACTS_DIR=str(tmp_path / "artefacts"))  # engine left at oxigraph
    result = subprocess.run([sys.executable, "-m", "kg", "query", "ASK {}"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 5, result.stderr
    assert "is Virtuoso" in result.stderr and "set KG_STORE_ENGINE=virtuoso" in result.stderr
    assert "Traceback" not in result.stderr

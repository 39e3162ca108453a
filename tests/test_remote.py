"""kg.store.remote against a real ``oxigraph serve``: reading, building without downtime, errors."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

import httpx
import pyoxigraph as ox
import pytest
from conftest import REPO, OxigraphServer, Server, free_port

from kg.build.pipeline import build
from kg.errors import ConfigError, NoBuildError, QueryError, StoreError
from kg.settings import Settings
from kg.store.graph_store import GraphStore
from kg.store.remote import RemoteStore, endpoints

FOLDERS = dict(data_dir=REPO / "data", ontology_dir=REPO / "ontology", shapes_dir=REPO / "shapes")
PRACTICE = "https://data.lokaalcirculair.be/id/praktijk/aal-circulair"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> OxigraphServer:
    srv = OxigraphServer(tmp_path_factory.mktemp("remote"))
    yield srv  # type: ignore[misc]
    srv.stop()


@pytest.fixture(scope="module")
def built(server: OxigraphServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int]:
    settings = server.settings(tmp_path_factory.mktemp("artefacts"), **FOLDERS)
    result = build(settings)
    return settings, result.triples


def _count(server: OxigraphServer) -> int:
    response = httpx.post(server.query_url, data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                          headers={"Accept": "text/csv"})
    return int(response.text.split()[-1])


def test_build_puts_every_quad_on_the_server_and_keeps_artefacts_locally(built: tuple[Settings, int], server: OxigraphServer, opened_store: Callable[[Settings], GraphStore]) -> None:
    settings, triples = built
    assert _count(server) == triples > 1000
    store = opened_store(settings)
    assert isinstance(store, RemoteStore)
    assert (store.artefacts_dir / "dumps" / "lokaalcirculair.nq.gz").is_file()
    assert store.build_id == (Path(str(settings.artefacts_dir)) / "current").resolve().name


def test_answers_have_the_embedded_store_types(built: tuple[Settings, int], opened_store: Callable[[Settings], GraphStore]) -> None:
    store = opened_store(built[0])
    rows = store.select(f"SELECT ?title WHERE {{ <{PRACTICE}> <http://purl.org/dc/terms/title> ?title }}")
    assert {(r["title"].value, r["title"].language) for r in rows} >= {("#AAL Circulair", "nl")}
    assert isinstance(rows[0]["title"], ox.Literal)
    assert store.ask(f"ASK {{ <{PRACTICE}> a ?type }}") is True
    triples = store.construct(f"CONSTRUCT {{ <{PRACTICE}> ?p ?o }} WHERE {{ <{PRACTICE}> ?p ?o }}")
    assert triples and all(isinstance(t, ox.Triple) for t in triples)
    described = store.query(f"DESCRIBE <{PRACTICE}>")
    assert isinstance(described, ox.QueryTriples)


def test_dataset_parameters_and_base_iri_reach_the_server(built: tuple[Settings, int], opened_store: Callable[[Settings], GraphStore]) -> None:
    store = opened_store(built[0])
    graph = "https://data.lokaalcirculair.be/graph/praktijk/aal-circulair"
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph_uris=[graph])
    assert 0 < int(rows[0]["n"].value) < 1000
    named = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graph_uris=[graph])
    assert [r["g"].value for r in named] == [graph]
    assert store.ask("ASK { <praktijk/aal-circulair> ?p ?o }", base_iri="https://data.lokaalcirculair.be/id/")


def test_errors_are_translated(built: tuple[Settings, int], tmp_path: Path, opened_store: Callable[[Settings], GraphStore]) -> None:
    store = opened_store(built[0])
    with pytest.raises(QueryError):
        store.query("SELECT WHERE {")
    dead = built[0].replace(store=f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreError, match="cannot be reached"):
        opened_store(dead).query("ASK {}")
    with pytest.raises(ConfigError, match="KG_ARTEFACTS_DIR"):
        opened_store(built[0].replace(artefacts_dir=None))
    with pytest.raises(NoBuildError):
        opened_store(built[0].replace(artefacts_dir=tmp_path))
    with pytest.raises(ConfigError, match="KG_UPDATE_URL"):
        endpoints(built[0].replace(store="http://127.0.0.1:1/ds"))


def test_a_new_build_goes_live_in_one_step(built: tuple[Settings, int], server: OxigraphServer, opened_store: Callable[[Settings], GraphStore]) -> None:
    """Readers polling during a rebuild see the old dataset or the new one, never a part."""
    settings, triples = built
    before = opened_store(settings).build_id
    seen: set[int] = set()
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            seen.add(_count(server))

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        result = build(settings)
    finally:
        stop.set()
        reader.join()
    assert seen <= {triples, result.triples}
    store = opened_store(settings)
    assert store.build_id == result.build_id != before


def test_a_failed_upload_leaves_both_sides_as_they_were(built: tuple[Settings, int], tmp_path: Path) -> None:
    settings = built[0]
    live = (Path(str(settings.artefacts_dir)) / "current").resolve()
    dead = settings.replace(store=f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(StoreError, match="previous data"):
        build(dead)
    assert (Path(str(settings.artefacts_dir)) / "current").resolve() == live
    assert not any(p.name.startswith(".tmp-") for p in (Path(str(settings.artefacts_dir)) / "builds").iterdir())


def test_kg_serve_serves_pages_and_sparql_from_the_server(built: tuple[Settings, int]) -> None:
    web = Server(built[0], free_port())
    try:
        answer = httpx.get(f"{web.url}/sparql", params={"query": f"ASK {{ <{PRACTICE}> ?p ?o }}"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        page = httpx.get(f"{web.url}/doc/praktijk/aal-circulair", headers={"Accept": "text/turtle"}, timeout=30)
        assert page.status_code == 200 and "AAL Circulair" in page.text
    finally:
        web.stop()

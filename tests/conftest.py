"""Shared fixtures: two chains from settings to an HTTP client.

- In process (fast, for route tests): the sample records built once per session into a
  small store, ``create_app(settings, store)`` with its lifespan, and ``client``, an
  httpx client over the ASGI transport (:mod:`inprocess_support`).
- A real server (the HTTP suites): ``kg build`` on the real ``data/`` into a temporary
  store, then a real ``kg serve`` (uvicorn, separate process) on a free local port;
  ``http`` talks to it. Nothing is mocked. Tests that need a broken or special store
  build their own.

``KG_*`` variables are cleared for every test (``conftest.py`` at the repository root);
a test that needs one sets it itself (``monkeypatch.setenv``, or ``extra_env`` of
:class:`Server`).
"""

from __future__ import annotations

import gzip
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pyoxigraph as ox
import pytest
from inprocess_support import build_small_store, serve_in_process
from virtuoso_support import VirtuosoServer

from kg.settings import PROJECT_ROOT, Settings
from kg.store.build_slot import BuildSlot
from kg.store.graph_store import GraphStore
from kg.store.open_store import open_store

REPO = PROJECT_ROOT


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: ``KG_TEST_BACKEND=oxigraph-server`` runs the session's build and server against a real
#: ``oxigraph serve`` (the remote SPARQL 1.1 store of kg.store.remote) instead of the embedded
#: store, ``KG_TEST_BACKEND=virtuoso`` against a real Virtuoso (:mod:`virtuoso_support`);
#: scripts/test runs the HTTP suites again on each. Default: ``embedded``.
#: Read here, once, when pytest imports this file: before the fixtures of the repository's
#: ``conftest.py`` clear every ``KG_*`` variable (this one included; only this line reads it).
TEST_BACKEND = os.environ.get("KG_TEST_BACKEND", "embedded")
REMOTE = TEST_BACKEND in ("oxigraph-server", "virtuoso")


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Stop a server we started: politely, then for good after 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


class OxigraphServer:
    """A real ``oxigraph serve`` (the PyPI package's binary) on a free local port."""

    def __init__(self, folder: Path, union: bool = True) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.query_url = f"{self.url}/query"
        binary = Path(sys.executable).parent / "oxigraph"
        self.log = folder / f"oxigraph-{self.port}.log"
        with open(self.log, "wb") as log:  # the child writes to its own copy of the file descriptor
            self.process = subprocess.Popen(
                [str(binary), "serve", "--location", str(folder / "oxigraph"), "--bind", f"127.0.0.1:{self.port}",
                 *(["--union-default-graph"] if union else [])],
                stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited early:\n{self.log.read_text(errors='replace')}")
            try:
                httpx.get(f"{self.query_url}?query=ASK%7B%7D", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"oxigraph serve did not start:\n{self.log.read_text(errors='replace')}")

    def settings(self, artefacts: Path, **kw: object) -> Settings:
        """Settings that build into and read from this server."""
        return Settings(store=self.query_url, artefacts_dir=artefacts, **kw)  # type: ignore[arg-type]

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The sample records built once (the real ``kg build`` pipeline) into an embedded store;
    the settings that serve it, with one query worker (enough for route tests). Always the
    embedded store, whatever ``KG_TEST_BACKEND`` says: this chain is the fast one; the HTTP
    suites cover the remote backend."""
    return build_small_store(tmp_path_factory.mktemp("small"), query_workers=1)


@pytest.fixture(scope="session")
def client(small_store: Settings) -> Iterator[httpx.Client]:
    """An httpx client for ``create_app(settings, store)`` on the small store, running in this
    process (lifespan included) for the whole session; redirects are not followed."""
    with serve_in_process(small_store) as app_client:
        # The query workers start in the background once the app has started, and the first
        # query waits for them: wait here, once, so that no test's duration includes it.
        app_client.get("/sparql", params={"query": "ASK {}"}).raise_for_status()
        yield app_client


def start_remote(folder: Path) -> OxigraphServer | VirtuosoServer:
    """A fresh SPARQL server of the session's remote backend, its data in ``folder``."""
    if TEST_BACKEND == "virtuoso":
        return VirtuosoServer(folder, free_port(), free_port())
    return OxigraphServer(folder)


@pytest.fixture(scope="session")
def remote_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer | VirtuosoServer]:
    """A real SPARQL server of the session's backend (empty until something builds into it)."""
    server = start_remote(tmp_path_factory.mktemp(TEST_BACKEND))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def real_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the real data, with a store in a temporary folder (or, with
    ``KG_TEST_BACKEND=oxigraph-server`` or ``virtuoso``, on a real SPARQL server)."""
    folders = dict(data_dir=REPO / "data", ontology_dir=REPO / "ontology", shapes_dir=REPO / "shapes")
    if REMOTE:
        server: OxigraphServer | VirtuosoServer = request.getfixturevalue("remote_server")
        return server.settings(tmp_path_factory.mktemp("real") / "artefacts", **folders)
    store = tmp_path_factory.mktemp("real") / "store"
    return Settings(store=str(store), **folders)


def live_build(settings: Settings) -> Path:
    """The folder of the live build (``BUILD.json``, ``artefacts/``) on either backend: beside
    the embedded store, or in ``KG_ARTEFACTS_DIR`` for a remote one. Tests that read build
    files should use this rather than ``Path(settings.store) / "current"``."""
    root = Path(str(settings.artefacts_dir)) if settings.is_remote else Path(settings.store)
    return (root / "current").resolve()


@contextmanager
def backend_settings(root: Path, **kw: Any) -> Iterator[Settings]:
    """Settings for a store of a test's own under ``root`` on the session's backend: an
    embedded store folder, or a fresh server of its own (stopped afterwards)."""
    if REMOTE:
        remote = start_remote(root)
        try:
            yield remote.settings(root / "artefacts", **kw)
        finally:
            remote.stop()
    else:
        yield Settings(store=str(root / "store"), **kw)


def commit_slot(settings: Settings, slot: BuildSlot, info: dict[str, Any]) -> None:
    """Make a hand-made build live the way ``kg build`` does on either backend: for a
    remote store, upload its N-Quads dump to the server first (:func:`kg.store.remote_publish.publish`)."""
    if settings.is_remote:
        from kg.store.remote_publish import publish

        (slot.artefacts_dir / "dumps").mkdir(exist_ok=True)
        with gzip.open(slot.artefacts_dir / "dumps" / "lokaalcirculair.nq.gz", "wb") as out:
            slot.dump(out, ox.RdfFormat.N_QUADS)
        publish(settings, slot, len(slot))
    slot.commit(info)


@pytest.fixture()
def opened_store() -> Iterator[Callable[[Settings], GraphStore]]:
    """``open_store`` for one test: every store opened through it is closed when the test ends
    (a remote store keeps HTTP connections open until it is closed)."""
    stores: list[GraphStore] = []

    def open_(settings: Settings) -> GraphStore:
        stores.append(open_store(settings))
        return stores[-1]

    yield open_
    for store in stores:
        store.close()


@pytest.fixture(scope="session")
def built_store(real_settings: Settings) -> Settings:
    """The real data built once into a store; returns the settings that point at it."""
    from kg.build.pipeline import build

    build(real_settings)
    return real_settings


class Server:
    """A running ``kg serve`` process and where to reach it."""

    def __init__(self, settings: Settings, port: int, extra_env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
        env.update({
            "KG_STORE": settings.store,
            "KG_STORE_ENGINE": settings.store_engine,
            "KG_DATA_DIR": str(settings.data_dir),
            "KG_ONTOLOGY_DIR": str(settings.ontology_dir),
            "KG_SHAPES_DIR": str(settings.shapes_dir),
            "KG_BASE_IRI": settings.base_iri,
            **({"KG_ARTEFACTS_DIR": str(settings.artefacts_dir)} if settings.artefacts_dir else {}),
            "KG_RELOAD_INTERVAL": "0.5",
            **(extra_env or {}),
        })
        logs = Path(settings.artefacts_dir) if settings.is_remote and settings.artefacts_dir else Path(settings.store).parent
        self.log = logs / f"server-{port}.log"
        with open(self.log, "wb") as log:  # the child writes to its own copy of the file descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kg", "serve", "--port", str(port)],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kg serve exited early:\n{self.log.read_text(errors='replace')}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"kg serve did not become ready:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture(scope="session")
def server(built_store: Settings) -> Iterator[Server]:
    """A real server on the real data, shared by the HTTP tests of the session."""
    srv = Server(built_store, free_port())
    yield srv
    srv.stop()


#: Debian's chromium, driven by Playwright (never ``playwright install``: it downloads a browser);
#: ``scripts/setup --test`` installs both. The browser tests share one way to start it.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: The marks of a module of browser tests: ``pytestmark = BROWSER_TESTS``.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (scripts/setup --test does it)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium for the tests of one module (a Playwright ``Browser``)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def http(server: Server) -> Iterator[httpx.Client]:
    """An HTTP client for the shared server that does not follow redirects."""
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as client:
        yield client

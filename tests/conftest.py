"""Shared fixtures: settings → built store of the real data → running server.

The chain is built once per test session: ``kg build`` on the real ``data/``
into a temporary store, then a real ``kg serve`` (uvicorn, separate process)
on a free local port. HTTP tests talk to that server with httpx; nothing is
mocked. Tests that need a broken or special store build their own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from kg.settings import PROJECT_ROOT, Settings

REPO = PROJECT_ROOT


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the real data, with a store in a temporary folder."""
    store = tmp_path_factory.mktemp("real") / "store"
    return Settings(store=str(store), data_dir=REPO / "data", ontology_dir=REPO / "ontology", shapes_dir=REPO / "shapes")


@pytest.fixture(scope="session")
def built_store(real_settings: Settings) -> Settings:
    """The real data built once into a store; returns the settings that point at it."""
    from kg.pipeline import build

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
            "KG_DATA_DIR": str(settings.data_dir),
            "KG_ONTOLOGY_DIR": str(settings.ontology_dir),
            "KG_SHAPES_DIR": str(settings.shapes_dir),
            "KG_BASE_IRI": settings.base_iri,
            "KG_RELOAD_INTERVAL": "0.5",
            **(extra_env or {}),
        })
        self.log = Path(settings.store).parent / f"server-{port}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--port", str(port)],
            env=env, stdout=open(self.log, "wb"), stderr=subprocess.STDOUT,
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
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def server(built_store: Settings) -> Iterator[Server]:
    """A real server on the real data, shared by the HTTP tests of the session."""
    srv = Server(built_store, free_port())
    yield srv
    srv.stop()


@pytest.fixture()
def http(server: Server) -> Iterator[httpx.Client]:
    """An HTTP client for the shared server that does not follow redirects."""
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as client:
        yield client

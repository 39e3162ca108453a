"""``create_app(settings)``: the one FastAPI application of the service.

The store is opened in the lifespan (never at import time) and checked for
new builds every ``settings.reload_interval`` seconds, so a finished
``kg build`` goes live without a restart. Routers are thin: each module
(``sparql``, ``pages``, ``harvest``) exposes ``router`` and reads the store
through ``request.app.state.store``.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from endpoint.errors import install_error_handlers
from kg.settings import Settings
from kg.store import GraphStore, open_store


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """Build the application for these settings (and optionally an open store)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store if store is not None else open_store(settings)
        watcher = asyncio.create_task(_watch_builds(app, settings.reload_interval))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            for close in getattr(app.state, "on_close", []):
                close()
            app.state.store.close()

    app = FastAPI(
        title="Lokaal Circulair knowledge graph",
        description="Linked open data on circular-economy practices of Flemish local governments.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.on_close = []
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["ETag", "Link", "Content-Location", "Last-Modified", "Vary"],
    )
    install_error_handlers(app)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        """Liveness and the build being served (for load balancers and tests)."""
        return {"status": "ok", "build": app.state.store.build_id}

    for module in _ROUTER_MODULES:
        app.include_router(module.router)
        # A module may also put a pure-ASGI fast path in front of the app (the SPARQL hot path).
        if hasattr(module, "middleware"):
            app.add_middleware(module.middleware)
    return app


async def _watch_builds(app: FastAPI, interval: float) -> None:
    """Pick up a new build when ``kg build`` switches ``current``."""
    while True:
        await asyncio.sleep(interval)
        store: GraphStore = app.state.store
        with contextlib.suppress(Exception):  # a half-visible switch is retried next tick
            if await asyncio.to_thread(store.refresh):
                for hook in getattr(app.state, "on_refresh", []):
                    hook()


def factory() -> FastAPI:
    """Entry point for ``uvicorn --factory endpoint.app:factory`` (reads KG_* once)."""
    return create_app(Settings.from_env())


# Routers register here, in the order their routes should match.
# harvesting after sparql, before pages; linked-data pages last: /id and /doc are broad
from endpoint import assets, harvest, lists, pages, sparql  # noqa: E402

_ROUTER_MODULES: list = [sparql, assets, harvest, lists, pages]

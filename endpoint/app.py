"""``create_app(settings)``: the one FastAPI application of the service.

The store is opened in the lifespan (never at import time) and checked for
new builds every ``settings.reload_interval`` seconds, so a finished
``kg build`` goes live without a restart. Routers are thin: each module
(``sparql``, ``pages``, ``harvest``) exposes ``router`` and reads the store
through :func:`endpoint.state.state_of` (settings, store, per-surface parts).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, AsyncIterator, Awaitable, Callable, MutableMapping

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from endpoint.errors import install_error_handlers
from endpoint.headers import EXPOSED, METHODS
from endpoint.state import AppState
from kg.settings import Settings
from kg.store.graph_store import GraphStore
from kg.store.open_store import open_store

_ASGI = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


class Application(FastAPI):
    """FastAPI, with the modules' *fronts* ahead of its own per-request work.

    Before the first middleware runs, FastAPI asks the OpenTelemetry API whether
    tracing is configured (three environment lookups) and Starlette wraps the
    request in its error middleware: ~10 µs per request, a fifth of a one-row
    SELECT (measured with cProfile). A front (the SPARQL hot path) sees every
    message first and hands what it does not answer to :meth:`framework`, the
    full application.
    """

    front: _ASGI | None = None

    async def __call__(self, scope: MutableMapping[str, Any], receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]) -> None:
        front = self.front
        if front is None:
            await super().__call__(scope, receive, send)
        else:
            await front(scope, receive, send)

    async def framework(self, scope: MutableMapping[str, Any], receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]) -> None:
        """The application without the fronts: what a front passes requests on to."""
        await super().__call__(scope, receive, send)


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """Build the application for these settings (and optionally an open store)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.opened_store = store if store is not None else open_store(settings)
        watcher = asyncio.create_task(_watch_builds(state, settings.reload_interval))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            for close in state.on_close:
                close()
            state.store.close()

    app = Application(
        title="Lokaal Circulair knowledge graph",
        description="Linked open data on circular-economy practices of Flemish local governments.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    state = app.state.kg = AppState(settings)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=list(METHODS),
        allow_headers=["*"],
        expose_headers=list(EXPOSED),
    )
    install_error_handlers(app)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        """Liveness and the build being served (for load balancers and tests)."""
        return {"status": "ok", "build": state.store.build_id}

    for module in _ROUTER_MODULES:
        app.include_router(module.router)
        # A module may also put a pure-ASGI fast path in front of the routers (the cached pages).
        if hasattr(module, "middleware"):
            app.add_middleware(module.middleware)
        # Or a front, ahead of FastAPI itself (see Application).
        if hasattr(module, "front"):
            app.front = module.front(app.front or app.framework, app)
    return app


async def _watch_builds(state: AppState, interval: float) -> None:
    """Pick up a new build when ``kg build`` switches ``current``."""
    while True:
        await asyncio.sleep(interval)
        store = state.store
        with contextlib.suppress(Exception):  # a half-visible switch is retried next tick
            if await asyncio.to_thread(store.refresh):
                for hook in state.on_refresh:
                    hook()


def factory() -> FastAPI:
    """Entry point for ``uvicorn --factory endpoint.app:factory`` (reads KG_* once)."""
    return create_app(Settings.from_env())


# Routers register here, in the order their routes should match.
# harvesting after sparql, before pages; linked-data pages last: /id and /doc are broad
from endpoint import assets  # noqa: E402
from endpoint.harvest import routes as harvest  # noqa: E402
from endpoint.pages import browse as lists  # noqa: E402
from endpoint.pages import routes as pages  # noqa: E402
from endpoint.sparql import routes as sparql  # noqa: E402

_ROUTER_MODULES: list = [sparql, assets, harvest, lists, pages]

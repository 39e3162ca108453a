"""``create_app(settings, store=None)``: the one FastAPI application of the service.

The store is opened in the lifespan (never at import time) and checked for
new builds every ``settings.reload_interval`` seconds, so a finished
``kg build`` goes live without a restart. Routers are thin: each surface module
(``sparql``, ``pages``, ``harvest``) exposes ``router`` and reads the store
through :func:`endpoint.state.state_of` (settings, store, per-surface parts).
This module only wires them together: it is the top of the web tier, and no
other module imports it.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator, Callable, Protocol

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from endpoint import assets
from endpoint.compression import Compression
from endpoint.curation import routes as curation
from endpoint.errors import install_error_handlers
from endpoint.harvest import routes as harvest
from endpoint.headers import EXPOSED, METHODS
from endpoint.pages import browse as lists
from endpoint.pages import ogc_features as ogc
from endpoint.pages import routes as pages
from endpoint.sparql import routes as sparql
from endpoint.state import AppState
from kg.settings import Settings
from kg.store.graph_store import GraphStore
from kg.store.open_store import open_store


class Surface(Protocol):
    """A module that serves part of the site: its ``router``, and optionally a ``middleware``
    (a pure-ASGI class put around the application: the cached-pages fast path) or a ``front``
    (called with the application to pass requests on to and the application itself; it sees
    every message before FastAPI does: the SPARQL hot path). See :class:`Application`."""

    @property
    def router(self) -> APIRouter: ...


#: A pure-ASGI middleware class, as ``Surface.middleware``.
Middleware = Callable[[ASGIApp], ASGIApp]
#: A front factory, as ``Surface.front``: (the app to pass on to, the application) → the front.
Front = Callable[[ASGIApp, "Application"], ASGIApp]

#: The surfaces, in the order their routes should match: harvesting after SPARQL and
#: before the pages; the linked-data pages last, because /id and /doc are broad.
_ROUTER_MODULES: list[Surface] = [sparql, assets, harvest, curation, lists, ogc, pages]


class Application(FastAPI):
    """FastAPI, with the modules' *fronts* ahead of its own per-request work.

    Before the first middleware runs, FastAPI asks the OpenTelemetry API whether
    tracing is configured (three environment lookups) and Starlette wraps the
    request in its error middleware: ~10 µs per request, a fifth of a one-row
    SELECT (measured with cProfile). A front (the SPARQL hot path) sees every
    message first and hands what it does not answer to :meth:`framework`, the
    full application.
    """

    front: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        front = self.front
        if front is None:
            await super().__call__(scope, receive, send)
        else:
            await front(scope, receive, send)

    async def framework(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The application without the fronts: what a front passes requests on to."""
        await super().__call__(scope, receive, send)


def create_app(settings: Settings, store: GraphStore | None = None) -> FastAPI:
    """The application for these settings. It opens nothing yet: the lifespan (a server's
    start-up, or a test client's) opens ``store`` if given, else the store of ``settings``,
    and closes it at shutdown.

    >>> from endpoint.state import state_of
    >>> app = create_app(Settings(store="var/example-store"))
    >>> state_of(app).opened_store is None  # opened when the application starts
    True
    >>> app.url_path_for("health")
    '/health'

    ``kg serve`` runs it with uvicorn (``endpoint.app:factory``); tests run it in their own
    process over a store of their own (``tests/inprocess_support.py``).
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.opened_store = store if store is not None else open_store(settings)
        if settings.curation:  # a publication a crash interrupted is finished before the workspace opens
            await curation.recover_at_start(settings)
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
    # Compression twice: inside CORS for what the routes answer (so both paths say Vary alike), and
    # around the fronts below for what they answer; an answer compressed inside passes the outer one.
    app.add_middleware(Compression)
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
        middleware: Middleware | None = getattr(module, "middleware", None)
        if middleware is not None:
            app.add_middleware(middleware)
        front: Front | None = getattr(module, "front", None)
        if front is not None:
            app.front = front(app.front or app.framework, app)
    if settings.curation:  # the workspace and the write API exist only when turned on (KG_CURATION)
        app.include_router(curation.workspace_router)
    app.front = Compression(app.front or app.framework)  # outermost: every surface's answers alike
    return app


async def _watch_builds(state: AppState, interval: float) -> None:
    """Pick up a new build when ``kg build`` switches ``current``."""
    while True:
        await asyncio.sleep(interval)
        with contextlib.suppress(Exception):  # a half-visible switch is retried next tick
            await state.pick_up_new_build()


def factory() -> FastAPI:
    """Entry point for ``uvicorn --factory endpoint.app:factory`` (reads KG_* once)."""
    return create_app(Settings.from_env())


"""The application in this process, over a small store built from test fixtures.

Most HTTP suites start a real ``kg serve`` on a build of the real data: faithful, but a
newcomer waits a minute before the first answer. Route tests do not need that: here the
project's own build (:func:`kg.build.pipeline.build`, the real pipeline) runs once on the
sample records of :mod:`sample_data` (a few practices, organisations, municipalities and
the repository's concept schemes), and ``create_app(settings, store)`` answers through
httpx's ASGI transport, with the application's lifespan run as a server would run it (the
store is opened, the SPARQL query workers start, the build watcher runs).

Tests stay synchronous: one event loop runs in a thread (an anyio blocking portal) for the
whole session, and :class:`InProcessClient` is a plain ``httpx.Client`` whose transport
hands each request to that loop. Starlette's own ``TestClient`` does the same, but it now
warns that it wants another HTTP client package; this keeps to httpx, which the project
already uses everywhere.
"""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, MutableMapping

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from sample_data import RECORDS, write_data

from endpoint.app import create_app
from kg.build.pipeline import build
from kg.settings import PROJECT_ROOT, Settings
from kg.store.open_store import open_store

#: The sample records plus the organisation that ``metadata/catalog.ttl`` names as the
#: publisher of the catalogue (the build checks that the data gives it a name).
SMALL_RECORDS = {
    **RECORDS,
    "organisaties/vlaanderen-circulair.yaml": """\
id: vlaanderen-circulair
naam: {nl: "Vlaanderen Circulair", en: "Flanders Circular"}
type: overheid
website: http://www.vlaanderen-circulair.be/
email: lokaalcirculair@vlaanderen-circulair.be
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
}


def build_small_store(root: Path, **settings: Any) -> Settings:
    """Write the small record set under ``root``, build it with ``kg build``'s own function
    into an embedded store there, and return the settings that serve it."""
    data, _vocabularies = write_data(root, SMALL_RECORDS)
    small = Settings(
        store=str(root / "store"), data_dir=data, ontology_dir=root / "ontology", shapes_dir=PROJECT_ROOT / "shapes",
        **settings,
    )
    build(small)
    return small


class _Lifespan:
    """Drives an ASGI application's lifespan (startup, then shutdown) like a server does."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.inbox: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None

    async def startup(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": {}}
        self.task = asyncio.get_running_loop().create_task(self.app(scope, self.inbox.get, self.outbox.put))
        await self._say("lifespan.startup")

    async def shutdown(self) -> None:
        await self._say("lifespan.shutdown")
        assert self.task is not None
        await self.task

    async def _say(self, what: str) -> None:
        await self.inbox.put({"type": what})
        answer = asyncio.ensure_future(self.outbox.get())
        assert self.task is not None
        await asyncio.wait({answer, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if not answer.done():
            answer.cancel()
            self.task.result()  # the application's own exception, if it raised one
            raise RuntimeError(f"the application's lifespan ended without answering {what}")
        message = answer.result()
        if message["type"] != f"{what}.complete":
            raise RuntimeError(f"{what} failed: {message.get('message', message['type'])}")


class _PortalTransport(httpx.BaseTransport):
    """A synchronous transport that runs each request on the portal's event loop."""

    def __init__(self, app: Any, portal: BlockingPortal) -> None:
        self.asgi = httpx.ASGITransport(app=app)
        self.portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        forwarded = httpx.Request(request.method, request.url, headers=request.headers, content=body,
                                  extensions=request.extensions)
        return self.portal.call(self._send, forwarded)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self.asgi.handle_async_request(request)
        content = b"".join([chunk async for chunk in response.aiter_raw()])  # as sent: the client decodes it once
        return httpx.Response(response.status_code, headers=response.headers, stream=httpx.ByteStream(content),
                              extensions=response.extensions)


class InProcessClient(httpx.Client):
    """An ``httpx.Client`` for an application running in this process (redirects not followed,
    like the ``http`` fixture of the server suites)."""

    def __init__(self, app: Any, portal: BlockingPortal) -> None:
        super().__init__(transport=_PortalTransport(app, portal), base_url="http://testserver", follow_redirects=False)
        #: The application answering (a test may look at its state, e.g. the pages' caches).
        self.app = app


@contextmanager
def serve_in_process(settings: Settings) -> Iterator[InProcessClient]:
    """``create_app(settings, store)`` started (lifespan included) on an event loop of its own,
    a client for it, and a clean shutdown afterwards."""
    with start_blocking_portal(backend="asyncio") as portal:
        app = create_app(settings, open_store(settings))
        lifespan = portal.call(_Lifespan, app)  # made on the loop: its queues belong there
        portal.call(lifespan.startup)
        try:
            with InProcessClient(app, portal) as client:
                yield client
        finally:
            portal.call(lifespan.shutdown)

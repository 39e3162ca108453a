"""``/sparql`` answers alike on both ways in: the fast path ahead of FastAPI and the FastAPI routes.

In process (no server): the application of ``create_app`` over the session's
build, driven through an ASGI client once as deployed (its front,
:class:`endpoint.sparql.routes.SparqlFastPath`, first) and once through
``Application.framework`` (the routes, as without a front). Every request is
sent once before (so both compared answers come from the same state of the
answer cache), then both ways; status, body and headers must be equal.

The one known difference is not the endpoint's: the routed answer passes
through the application's CORS middleware, which appends ``Origin`` to the
``Vary`` of every answer it sees (the front answers before it, with the same
CORS headers on every answer, so its answers do not vary by ``Origin``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any, AsyncIterator

import httpx
from starlette.types import Receive, Scope, Send

from endpoint.app import Application, create_app
from kg.settings import Settings

CIRC = "https://data.lokaalcirculair.be/ns/circulair#"
ONE_ROW = f"SELECT ?p WHERE {{ ?p a <{CIRC}Praktijk> }} ORDER BY ?p LIMIT 1"
CONSTRUCT = "CONSTRUCT { ?s <http://purl.org/dc/terms/title> ?t } WHERE { ?s <http://purl.org/dc/terms/title> ?t } LIMIT 5"
SRJ = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"

Request = tuple[str, str, dict[str, str], bytes]  # method, path with query string, headers, body


def requests(max_body: int) -> list[Request]:
    q = httpx.QueryParams
    one = f"/sparql?{q(query=ONE_ROW)}"
    return [
        # the three ways to send a query, and HEAD
        ("GET", one, {"Accept": SRJ}, b""),
        ("GET", f"/sparql?{q(query=ONE_ROW, format='csv')}", {}, b""),
        ("GET", f"/sparql?{q(query=CONSTRUCT)}", {"Accept": "application/n-triples"}, b""),
        ("GET", f"/sparql?{q(query='SELECT (STRLEN(STRUUID()) AS ?n) WHERE {}')}", {"Accept": SRJ}, b""),  # not kept: runs every time
        ("POST", "/sparql", {"Accept": SRJ, "Content-Type": FORM}, str(q(query=ONE_ROW)).encode()),
        ("POST", "/sparql", {"Accept": "text/csv", "Content-Type": DIRECT}, ONE_ROW.encode()),
        ("HEAD", one, {"Accept": SRJ}, b""),
        # not queries: the query page, the Service Description, OPTIONS
        ("GET", "/sparql", {"Accept": "text/html"}, b""),
        ("GET", one, {"Accept": "text/html"}, b""),
        ("GET", "/sparql", {"Accept": "text/turtle"}, b""),
        ("HEAD", "/sparql", {}, b""),
        ("OPTIONS", "/sparql", {}, b""),
        # every refusal
        ("GET", f"/sparql?{q(query='SELECT ?s WHERE { ?s ?p }')}", {"Accept": SRJ}, b""),
        ("GET", f"/sparql?{q(query='SELEC * {}')}", {"Accept": "text/html"}, b""),
        ("GET", one, {"Accept": "image/png"}, b""),
        ("GET", f"/sparql?{q(query=ONE_ROW, format='ttl')}", {}, b""),
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", {}, b""),
        ("GET", "/sparql?query=%E9", {}, b""),
        ("GET", f"/sparql?{q(query=' ')}", {}, b""),
        ("GET", f"/sparql?{q(update='DROP ALL')}", {}, b""),
        ("GET", f"/sparql?{q(query='INSERT DATA { <urn:a> <urn:b> <urn:c> }')}", {}, b""),
        ("GET", f"/sparql?{q(query='SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }')}", {}, b""),
        ("POST", "/sparql?query=ASK%7B%7D", {"Content-Type": FORM}, b"query=ASK+%7B%7D"),
        ("POST", "/sparql", {"Content-Type": FORM}, b"format=json"),
        ("POST", "/sparql", {"Content-Type": FORM}, b"query=ASK \xe9"),
        ("POST", "/sparql", {"Content-Type": DIRECT}, b""),
        ("POST", "/sparql", {"Content-Type": DIRECT}, 'ASK { ?s ?p "caf\xe9" }'.encode("latin-1")),
        ("POST", "/sparql", {"Content-Type": f"{DIRECT}; charset=ISO-8859-1"}, b"ASK {}"),
        ("POST", "/sparql", {"Content-Type": "application/json"}, b'{"query": "ASK {}"}'),
        ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"DROP ALL"),
        ("POST", "/sparql", {"Content-Type": DIRECT, "Accept": "text/html"}, b"ASK {}"),
        ("POST", "/sparql", {"Content-Type": DIRECT}, b"ASK {} #" + b"x" * max_body),
        ("PUT", one, {}, b""),
        ("DELETE", one, {}, b""),
    ]


@contextlib.asynccontextmanager
async def started(app: Application) -> AsyncIterator[None]:
    """Run the application's lifespan around the block, the way a server does."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        assert (await outbox.get())["type"] == "lifespan.shutdown.complete"
        await task


def comparable(response: httpx.Response) -> dict[str, str]:
    """The headers, with the time a query took left out (it is measured, not decided)."""
    return {k: re.sub(r"dur=[0-9.]+", "dur=…", v) for k, v in response.headers.items() if k not in ("date", "server")}


def as_routed(fast: dict[str, str]) -> dict[str, str]:
    """What the CORS middleware makes of the headers of an answer that went past it."""
    vary = fast.get("vary")
    if vary is None or "Origin" not in vary:
        fast = {**fast, "vary": f"{vary}, Origin" if vary else "Origin"}
    return fast


async def compare(settings: Settings) -> int:
    app = create_app(settings)
    assert isinstance(app, Application) and app.front is not None
    routed = {"on": False}

    async def either(scope: Scope, receive: Receive, send: Send) -> None:
        await (app.framework if routed["on"] else app)(scope, receive, send)

    compared = 0
    async with started(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=either), base_url="http://testserver") as client:
            for origin in ({}, {"Origin": "https://example.org"}):
                for method, url, headers, body in requests(settings.max_body_bytes):
                    answers = []
                    for routed["on"] in (True, False, True):  # once to warm up, then fast, then routed
                        answers.append(await client.request(method, url, headers={**headers, **origin}, content=body))
                    _, fast, slow = answers
                    what = (method, url, headers, origin)
                    assert fast.status_code == slow.status_code, what
                    assert fast.content == slow.content, what
                    assert as_routed(comparable(fast)) == comparable(slow), what
                    if "etag" in fast.headers:  # and the 304 to a client whose copy is current
                        current = {**headers, **origin, "If-None-Match": fast.headers["etag"]}
                        routed["on"] = False
                        fast304 = await client.request(method, url, headers=current, content=body)
                        routed["on"] = True
                        slow304 = await client.request(method, url, headers=current, content=body)
                        assert fast304.status_code == slow304.status_code == 304, what
                        assert as_routed(comparable(fast304)) == comparable(slow304), what
                    compared += 1
    return compared


def test_fast_path_and_routes_answer_alike(built_store: Settings) -> None:
    assert asyncio.run(compare(built_store)) == 2 * len(requests(0))

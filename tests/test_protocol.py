"""endpoint.uvicorn_http over real HTTP: answers written in one call arrive whole and in order.

A real uvicorn server on a free port runs a small ASGI application with the
protocol ``kg serve`` uses; httpx (keep-alive) and a raw socket check what arrives.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, Iterator

import httpx
import pytest
import uvicorn
from conftest import free_port

from endpoint.uvicorn_http import HttpProtocol

BIG = bytes(range(256)) * 8192  # 2 MiB: more than the socket buffer, so flow control takes part


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    path = scope["path"]
    if path == "/small":
        body = b"hello " + scope["query_string"]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(body)), (b"x-a", b"1")]})
        await send({"type": "http.response.body", "body": body})
    elif path == "/chunks":  # streamed, no length: chunked encoding, several body messages
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for i in range(5):
            await send({"type": "http.response.body", "body": b"part%d;" % i, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    elif path == "/big":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(BIG))]})
        for start in range(0, len(BIG), 65536):
            await send({"type": "http.response.body", "body": BIG[start : start + 65536], "more_body": True})
        await send({"type": "http.response.body", "body": b""})


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", http=HttpProtocol))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_answers_arrive_whole_on_one_connection(url: str) -> None:
    with httpx.Client(base_url=url) as client:
        for i in range(20):
            r = client.get("/small", params={"n": str(i)})
            assert (r.status_code, r.content, r.headers["x-a"]) == (200, f"hello n={i}".encode(), "1")
        chunked = client.get("/chunks")
        assert chunked.headers["transfer-encoding"] == "chunked"
        assert chunked.content == b"part0;part1;part2;part3;part4;"
        assert client.get("/big").content == BIG
        assert client.head("/small").content == b""


def test_connection_close_writes_the_answer_first(url: str) -> None:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"GET /small?x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"connection: close" in head.lower()
    assert body == b"hello x"


def test_pipelined_requests_answer_in_order(url: str) -> None:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(b"".join(b"GET /small?%d HTTP/1.1\r\nHost: t\r\n\r\n" % i for i in range(3)))
        data = b""
        while data.count(b"hello ") < 3:
            chunk = sock.recv(65536)
            assert chunk
            data += chunk
    assert [part.split(b"\r\n\r\n")[1][:7] for part in data.split(b"HTTP/1.1 ")[1:]] == [b"hello 0", b"hello 1", b"hello 2"]

"""Compressed answers: brotli or gzip for text-like answers over ~1 KB, when the client accepts it.

A pure-ASGI layer around the whole application (fronts included), so every surface's
answers are compressed the same way:

* **what**: HTML, CSS, JavaScript, JSON (JSON-LD, SPARQL JSON, problem+json), XML (RDF/XML,
  SPARQL XML), Turtle, N-Triples, N-Quads, TriG, CSV, TSV, SVG; with status 200 and at least
  :data:`MIN_SIZE` bytes. Never the dumps (:data:`UNCOMPRESSED_PATHS`; ``application/gzip`` is
  not text-like anyway): their byte ranges and resumed downloads keep meaning the file's bytes.
  Never an answer that already has a ``Content-Encoding``, never a request with ``Range`` (it
  passes through untouched); ``HEAD`` gets the headers GET would get, without a length;
* **how**: ``br`` (the ``brotli`` package, quality 5) when the client accepts it, else
  ``gzip`` (level 6); the client's q-values are respected (``q=0`` refuses);
* **headers**: ``Vary: Accept-Encoding`` on every compressible answer (compressed or not,
  so that caches keep the variants apart); a compressed answer's ``ETag`` gets the coding as
  a suffix (``"abc"`` → ``"abc-br"``: the bytes differ, so the tag must), ``Content-Length``
  is the compressed size and ``Accept-Ranges`` is dropped. A client revalidating with a
  suffixed tag is understood: the suffix is taken off ``If-None-Match`` before the
  application sees it, and put back on the ``304``;
* **cost**: answers with a strong ETag are compressed once (kept by tag and coding in a
  small LRU); a request without ``Accept-Encoding`` costs one header lookup. Streamed bodies
  are gathered up to :data:`MAX_GATHER` bytes; a longer one is sent as it comes, uncompressed.

>>> preferred_coding(b"gzip, deflate, br;q=0.5"), preferred_coding(b"gzip;q=0, br;q=0"), preferred_coding(b"*")
('gzip', None, 'br')
>>> tagged('"abc"', "gzip"), tagged('W/"abc"', "br"), untagged(b'"abc-br", "x"')
('"abc-gzip"', 'W/"abc-br"', b'"abc", "x"')
"""

from __future__ import annotations

import gzip
import re
from typing import Any

import brotli
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from endpoint.caching import LRU

__all__ = ["Compression", "MIN_SIZE", "UNCOMPRESSED_PATHS", "preferred_coding", "tagged", "untagged"]

#: Smaller answers go out as they are: the saving would not pay for the work.
MIN_SIZE = 1024
#: A streamed body longer than this is not gathered to be compressed (large dumps stream as they are).
MAX_GATHER = 8 * 1024 * 1024
_TEXT_LIKE = re.compile(
    rb"^(text/|application/(json|ld\+json|problem\+json|sparql-results\+(json|xml)|xml|rdf\+xml|n-triples|n-quads|trig|"
    rb"javascript|manifest\+json|geo\+json)|image/svg\+xml)"
)
#: The dumps keep their bytes, so that byte ranges and resumed downloads of them keep working.
UNCOMPRESSED_PATHS = ("/dumps/",)
_SUFFIX = re.compile(rb'-(br|gzip)"')
#: Compressed bodies of answers with a strong ETag, by (path and query, ETag, coding).
_KEPT: LRU[tuple[bytes, bytes, str], bytes] = LRU(2048, 64 * 1024 * 1024)


def preferred_coding(accept_encoding: bytes) -> str | None:
    """``br`` or ``gzip``, whichever the client accepts with the higher quality (``br`` on a tie)."""
    quality = {"br": 0.0, "gzip": 0.0}
    explicit: set[str] = set()
    star = 0.0
    for part in accept_encoding.decode("latin-1").lower().split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        if match:
            try:
                q = float(match.group(1))
            except ValueError:
                q = 0.0
        if name in quality:
            quality[name] = q
            explicit.add(name)
        elif name == "*":
            star = q
    for name in quality:
        if name not in explicit:
            quality[name] = star
    best = max(("br", "gzip"), key=lambda n: quality[n])
    return best if quality[best] > 0 else None


def tagged(etag: str, coding: str) -> str:
    """The ETag of the compressed variant."""
    return etag[:-1] + f'-{coding}"' if etag.endswith('"') else etag


def untagged(if_none_match: bytes) -> bytes:
    """``If-None-Match`` with our coding suffixes taken off (the application knows only its own tags)."""
    return _SUFFIX.sub(b'"', if_none_match)


def compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return bytes(brotli.compress(body, quality=5))
    return gzip.compress(body, compresslevel=6, mtime=0)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key == name:
            return value
    return None


class Compression:
    """The ASGI layer of the module docstring, around ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNCOMPRESSED_PATHS):
            await self.app(scope, receive, send)
            return
        accept_encoding = range_asked = None
        revalidates = False
        for key, value in scope["headers"]:
            if key == b"accept-encoding":
                accept_encoding = value
            elif key == b"range":
                range_asked = value
            elif key == b"if-none-match" and _SUFFIX.search(value):
                revalidates = True
        coding = preferred_coding(accept_encoding) if accept_encoding else None
        if coding is None or range_asked is not None:
            await self.app(scope, receive, _vary_only(send))
            return
        if revalidates:
            scope = {**scope, "headers": [(k, untagged(v) if k == b"if-none-match" else v) for k, v in scope["headers"]]}
        where = (scope.get("raw_path") or scope["path"].encode()) + b"?" + scope.get("query_string", b"")
        if scope["method"] == "HEAD":
            await self.app(scope, receive, _head(send, coding))
            return
        await self.app(scope, receive, _Compressing(send, coding, where, revalidates).send)


def _vary_only(send: Send) -> Send:
    """Answers that stay uncompressed still say that they vary by Accept-Encoding."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            content_type = _header(headers, b"content-type")
            if content_type is not None and _TEXT_LIKE.match(content_type):
                message = {**message, "headers": _add_vary(headers)}
        await send(message)

    return sending


def _head(send: Send, coding: str) -> Send:
    """HEAD says what GET would: the coding and its ETag when the answer would be compressed (text-like,
    and at least :data:`MIN_SIZE` by the length the application gives); the compressed length is unknown."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            content_type = _header(headers, b"content-type")
            if content_type is not None and _TEXT_LIKE.match(content_type) and not _header(headers, b"content-encoding"):
                headers = _add_vary(headers)
                length = _header(headers, b"content-length")
                if message["status"] == 200 and length is not None and int(length) >= MIN_SIZE:
                    headers = [(k, tagged(v.decode("latin-1"), coding).encode("latin-1") if k == b"etag" else v)
                               for k, v in headers if k not in (b"content-length", b"accept-ranges")]
                    headers.append((b"content-encoding", coding.encode()))
                message = {**message, "headers": headers}
        await send(message)

    return sending


def _add_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``Accept-Encoding`` in ``Vary``: right after ``Accept``, else first, so that every path through the
    application (fast paths, CORS before or after) writes the same header.

    >>> _add_vary([(b"vary", b"Accept, Origin")]), _add_vary([(b"vary", b"Origin")])
    ([(b'vary', b'Accept, Accept-Encoding, Origin')], [(b'vary', b'Accept-Encoding, Origin')])
    """
    for index, (key, value) in enumerate(headers):
        if key == b"vary":
            names = [n.strip() for n in value.split(b",") if n.strip()]
            if any(n.lower() == b"accept-encoding" for n in names):
                return headers
            at = next((i + 1 for i, n in enumerate(names) if n.lower() == b"accept"), 0)
            names.insert(at, b"Accept-Encoding")
            headers = list(headers)
            headers[index] = (key, b", ".join(names))
            return headers
    return [*headers, (b"vary", b"Accept-Encoding")]


class _Compressing:
    """The ``send`` of one request whose answer may be compressed."""

    def __init__(self, send: Send, coding: str, where: bytes, revalidates: bool) -> None:
        self._send = send
        self.coding = coding
        self.where = where
        self.revalidates = revalidates  # the client sent the tag of a compressed variant
        self.start: dict[str, Any] | None = None
        self.parts: list[bytes] = []
        self.size = 0
        self.passing = False

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if self.passing:
            await self._send(message)
        elif kind == "http.response.start":
            await self._started(message)
        elif kind == "http.response.body":
            await self._body(message)
        else:
            await self._send(message)

    async def _started(self, message: Message) -> None:
        headers = list(message.get("headers", []))
        content_type = _header(headers, b"content-type")
        status = message["status"]
        if status == 304 and self.revalidates:  # the client's copy is the compressed variant: answer with its tag
            self.passing = True
            headers = [(k, tagged(v.decode("latin-1"), self.coding).encode("latin-1") if k == b"etag" else v) for k, v in headers]
            await self._send({**message, "headers": _add_vary(headers)})
            return
        if content_type is None or not _TEXT_LIKE.match(content_type) or _header(headers, b"content-encoding"):
            self.passing = True
            await self._send(message)
            return
        headers = _add_vary(headers)
        if status != 200:
            self.passing = True
            await self._send({**message, "headers": headers})
            return
        self.start = {**message, "headers": headers}

    async def _body(self, message: Message) -> None:
        assert self.start is not None
        body = message.get("body", b"")
        more = message.get("more_body", False)
        self.parts.append(body)
        self.size += len(body)
        if more and self.size <= MAX_GATHER:
            return
        if more:  # too long to gather: send it as it comes
            self.passing = True
            await self._send(self.start)
            await self._send({"type": "http.response.body", "body": b"".join(self.parts), "more_body": True})
            return
        whole = b"".join(self.parts)
        headers = self.start["headers"]
        if len(whole) < MIN_SIZE:
            await self._send(self.start)
            await self._send({"type": "http.response.body", "body": whole})
            return
        etag = _header(headers, b"etag")
        key = (self.where, etag, self.coding) if etag is not None and not etag.startswith(b"W/") else None
        packed = _KEPT.get(key) if key is not None else None
        if packed is None:
            packed = compress(whole, self.coding)
            if key is not None:
                _KEPT.put(key, packed, len(packed))
        out = [(k, v) for k, v in headers if k not in (b"content-length", b"accept-ranges", b"etag")]
        out += [(b"content-encoding", self.coding.encode()), (b"content-length", b"%d" % len(packed))]
        if etag is not None:
            out.append((b"etag", tagged(etag.decode("latin-1"), self.coding).encode("latin-1")))
        await self._send({**self.start, "headers": out})
        await self._send({"type": "http.response.body", "body": packed})

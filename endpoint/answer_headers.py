"""The headers of an answer, made in one place for every surface.

Pages, harvesting, static files and error answers all speak HTTP the same way:

- **validators**: a strong ``ETag`` that is the hash of exactly the bytes sent (or of a
  file's published SHA-256), ``Last-Modified`` as an HTTP date, and one rule for when a
  conditional request gets ``304 Not Modified`` (``If-None-Match`` decides when sent,
  else ``If-Modified-Since``; RFC 9110 §13.2.2);
- **the representation**: ``Content-Location``, ``Link: rel="alternate"`` for the other
  formats, ``Vary`` for what the choice depended on;
- **cross-origin access** for answers made before the framework (the fast paths): the
  CORS headers of :mod:`endpoint.headers`, added exactly as the CORS middleware adds them.

>>> tag = etag_of(b"hello")
>>> tag == etag_of(b"hello") != etag_of(b"hello!")
True
>>> etag_of(b"hello", "html").endswith('-html"')
True
>>> etag_matches(f'"other", W/{tag}', tag), etag_matches('"other"', tag), etag_matches("*", tag)
(True, False, True)
>>> not_modified(None, "Sun, 06 Dec 2026 10:00:00 GMT", tag, "Sun, 06 Dec 2026 09:00:00 GMT")
True
>>> http_date("2024-05-01")
'Wed, 01 May 2024 00:00:00 GMT'
>>> alternates([("/doc/x.ttl", "text/turtle")])
'</doc/x.ttl>; rel="alternate"; type="text/turtle"'
"""

from __future__ import annotations

import email.utils
import hashlib
from datetime import datetime, timezone
from typing import Iterable

from starlette.types import Message, Send

from endpoint.headers import CORS, raw_headers

__all__ = [
    "ALLOW_ANY_ORIGIN", "alternates", "digest_etag", "etag_matches", "etag_of", "file_date", "http_date", "not_modified",
    "with_cors",
]

#: The one CORS header an answer made outside the middleware always carries (static files, fast-path errors).
ALLOW_ANY_ORIGIN: dict[str, str] = dict(CORS[:1])
_CORS_RAW = raw_headers(CORS)
_CORS_NAMES = {name for name, _ in _CORS_RAW}


def etag_of(body: bytes, variant: str = "") -> str:
    """A strong validator: the hash of exactly these bytes (``variant`` tells representations apart)."""
    return digest_etag(hashlib.blake2b(body, digest_size=12).hexdigest(), variant)


def digest_etag(hexdigest: str, variant: str = "") -> str:
    """A strong validator from a digest already known (a file's published SHA-256)."""
    return f'"{hexdigest}-{variant}"' if variant else f'"{hexdigest}"'


def etag_matches(if_none_match: str, tag: str) -> bool:
    """Does ``If-None-Match`` name this ETag (weakly compared, as RFC 9110 asks for GET)?"""
    candidates = [c.strip() for c in if_none_match.split(",")]
    return "*" in candidates or tag in candidates or f"W/{tag}" in candidates


def not_modified(if_none_match: str | None, if_modified_since: str | None, tag: str, last_modified: str | None) -> bool:
    """Is the client's copy current? ``If-None-Match`` decides when sent, else ``If-Modified-Since``."""
    if if_none_match is not None:
        return etag_matches(if_none_match, tag)
    if if_modified_since and last_modified:
        try:
            return email.utils.parsedate_to_datetime(if_modified_since) >= email.utils.parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            return False
    return False


def http_date(day: str | None) -> str | None:
    """An ISO date (``2024-05-01…``) as an HTTP date, or None when there is none."""
    if not day:
        return None
    try:
        moment = datetime.strptime(day[:10], "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return email.utils.format_datetime(moment, usegmt=True)


def file_date(timestamp: float) -> str:
    """A file's modification time as an HTTP date."""
    return email.utils.formatdate(timestamp, usegmt=True)


def alternates(links: Iterable[tuple[str, str]]) -> str:
    """A ``Link`` value announcing other representations: (href, media type) pairs."""
    return ", ".join(f'<{href}>; rel="alternate"; type="{media_type}"' for href, media_type in links)


def with_cors(send: Send, origin: bool) -> Send:
    """``send`` with the headers the CORS middleware would add, for an answer made before it.

    A request with ``Origin`` gets the CORS headers (replacing any the answer had); every
    answer varies by ``Origin``, as the middleware's do.
    """

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if origin:
                headers = [h for h in headers if h[0] not in _CORS_NAMES] + _CORS_RAW
            vary = [v for k, v in headers if k == b"vary"]
            headers = [h for h in headers if h[0] != b"vary"] + [(b"vary", b", ".join([*vary, b"Origin"]))]
            message = {**message, "headers": headers}
        await send(message)

    return wrapped

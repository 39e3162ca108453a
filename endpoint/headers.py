"""The headers every answer shares, made in one place.

Cross-origin access is open (the data is public and the service keeps no
cookies for readers), so every answer lets browsers of any origin read it and
the validators and links it carries. The fast paths that answer before the
framework (cached pages, the SPARQL front) and the framework's CORS middleware
use these same values.

>>> dict(CORS)["Access-Control-Allow-Origin"]
'*'
>>> raw_headers(CORS)[0]
(b'access-control-allow-origin', b'*')
"""

from __future__ import annotations

from typing import Iterable

#: Headers a browser script may read from a cross-origin answer besides the simple ones.
EXPOSED: tuple[str, ...] = ("ETag", "Link", "Content-Location", "Last-Modified", "Vary", "Content-Length", "X-KG-Build", "X-KG-Rows",
                            "X-KG-Truncated", "Server-Timing", "Retry-After")
#: Methods a cross-origin script may use.
METHODS: tuple[str, ...] = ("GET", "HEAD", "POST", "OPTIONS")

#: The CORS headers of every answer.
CORS: tuple[tuple[str, str], ...] = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", ", ".join(EXPOSED)),
)


def raw_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Headers as ASGI wants them: lower-case latin-1 names and values."""
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]

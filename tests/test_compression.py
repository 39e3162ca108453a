"""Compressed answers (endpoint/compression.py), in process on the small store.

Compressed and uncompressed answers hold the same bytes after decoding; the headers say
what was done (Content-Encoding, Vary, the coding's ETag suffix, Content-Length); a client
revalidating a compressed variant gets a 304 with that variant's tag; dumps keep their bytes
(and their byte ranges); small answers stay as they are.
"""

from __future__ import annotations

import gzip

import brotli
import httpx
import pytest

SRJ = "application/sparql-results+json"
ALL = "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 200"
PATHS = [
    ("/doc/praktijk/leuven-strategie", {"Accept": "text/html"}),
    ("/doc/praktijk/leuven-strategie", {"Accept": "text/turtle"}),
    ("/catalog", {"Accept": "application/ld+json"}),
    ("/sparql?query=" + httpx.QueryParams({"q": ALL})["q"], {"Accept": SRJ}),
    ("/static/site.css", {}),
]
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


def raw(client: httpx.Client, path: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
    """The answer and its body as sent (not decoded)."""
    with client.stream("GET", path, headers=headers) as response:
        return response, b"".join(response.iter_raw())


@pytest.mark.parametrize("coding", ["gzip", "br"])
@pytest.mark.parametrize(("path", "headers"), PATHS)
def test_compressed_answers_hold_the_same_bytes(client: httpx.Client, path: str, headers: dict[str, str], coding: str) -> None:
    plain, plain_body = raw(client, path, {**headers, "Accept-Encoding": "identity"})
    packed, packed_body = raw(client, path, {**headers, "Accept-Encoding": f"{coding}, deflate"})
    assert plain.status_code == packed.status_code == 200
    assert len(plain_body) >= 1024 and "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == coding
    assert DECODE[coding](packed_body) == plain_body
    assert int(packed.headers["content-length"]) == len(packed_body) < len(plain_body)
    for answer in (plain, packed):
        assert "accept-encoding" in answer.headers["vary"].lower()
    if "etag" in plain.headers:
        assert packed.headers["etag"] == plain.headers["etag"][:-1] + f'-{coding}"'
        revalidated = client.get(path, headers={**headers, "Accept-Encoding": "identity", "If-None-Match": plain.headers["etag"]})
        if revalidated.status_code == 304:  # the route answers conditional requests (the static files do not)
            again = client.get(path, headers={**headers, "Accept-Encoding": coding, "If-None-Match": packed.headers["etag"]})
            assert again.status_code == 304 and again.headers["etag"] == packed.headers["etag"]


def test_the_client_chooses_by_quality(client: httpx.Client) -> None:
    path, headers = PATHS[0]
    assert raw(client, path, {**headers, "Accept-Encoding": "br;q=0.2, gzip"})[0].headers["content-encoding"] == "gzip"
    assert "content-encoding" not in raw(client, path, {**headers, "Accept-Encoding": "br;q=0, gzip;q=0"})[0].headers


@pytest.mark.parametrize("name", ["lokaalcirculair.ttl", "lokaalcirculair.nq.gz"])
def test_dumps_keep_their_bytes_and_ranges(client: httpx.Client, name: str) -> None:
    whole, body = raw(client, f"/dumps/{name}", {"Accept-Encoding": "br, gzip"})
    assert whole.status_code == 200 and "content-encoding" not in whole.headers
    assert whole.headers["accept-ranges"] == "bytes" and int(whole.headers["content-length"]) == len(body)
    part, part_body = raw(client, f"/dumps/{name}", {"Accept-Encoding": "br, gzip", "Range": "bytes=5-24"})
    assert part.status_code == 206 and part_body == body[5:25]


def test_small_answers_go_as_they_are(client: httpx.Client) -> None:
    small, body = raw(client, "/sparql?query=ASK%7B%7D", {"Accept": SRJ, "Accept-Encoding": "br, gzip"})
    assert small.status_code == 200 and len(body) < 1024
    assert "content-encoding" not in small.headers and "accept-encoding" in small.headers["vary"].lower()

"""The documents a build writes ahead answer first visits exactly as the router would.

Two applications on the same small build, each with its own caches: on one every document is
asked for the first time without anything else (the fast path answers it from the build's
document table), on the other the same request goes through the router (an unknown parameter
keeps the fast path out), which describes the thing with its SPARQL queries. Every document
of the build, in every format the table holds, asked by suffix and by ``Accept``, with and
without ``Origin``: same status, same bytes, same headers; and the 304 that follows too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from inprocess_support import InProcessClient, build_small_store, serve_in_process

from endpoint.pages.build_indexes import Site
from endpoint.state import state_of
from kg.artefacts.document_rdf import PAGE_SIZE
from kg.artefacts.document_table import FORMATS, TABLE_FILE, DocumentTable
from kg.rdf.iris import Iris
from kg.settings import Settings
from kg.store.open_store import open_store


def _headers(r: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in r.headers.items() if k not in ("date", "server")}


@pytest.fixture(scope="module")
def things(small_store: Settings) -> list[str]:
    """``concept/ref`` of every thing the build describes or points at."""
    store = open_store(small_store)
    uris = Iris(small_store.base_iri)
    rows = store.select(f'SELECT DISTINCT ?x WHERE {{ {{ ?x ?p ?o }} UNION {{ ?s ?q ?x }} FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{uris.base}/id/")) }}')
    keys = {t.key for row in rows if (t := uris.target(row["x"].value)) is not None and t.iri == row["x"].value}
    store.close()
    return sorted(keys)


@pytest.fixture()
def fresh(small_store: Settings) -> Iterator[InProcessClient]:
    """An application of its own (empty caches) on the small build."""
    with serve_in_process(small_store) as app_client:
        yield app_client


@pytest.fixture()
def other(small_store: Settings) -> Iterator[InProcessClient]:
    """A second application with caches of its own, for the router's answers."""
    with serve_in_process(small_store) as app_client:
        yield app_client


def test_the_build_writes_every_document_of_every_kind_ahead(small_store: Settings, things: list[str]) -> None:
    store = open_store(small_store)
    table = DocumentTable.open(store.artefacts_dir / TABLE_FILE)
    assert table is not None
    missing = [key for key in things if table.get(key, "ttl") is None]
    # Left to the router: only a thing with more incoming links than a page (none in the small build).
    assert missing == []
    assert {key.split("/")[0] for key in things} >= {"praktijk", "organisatie", "gemeente", "concept", "provincie"}
    assert PAGE_SIZE == 500
    store.close()


def test_first_visits_from_the_table_answer_exactly_like_the_router(
    fresh: InProcessClient, other: InProcessClient, things: list[str],
) -> None:
    assert fresh.get("/").status_code == 200  # the build's indexes are made on the first request
    ways = [(f".{suffix}", {}) for suffix in FORMATS] + [("", {"Accept": "text/turtle"}), ("", {"Accept": "text/turtle;q=0.9, */*;q=0.1"})]
    compared = 0
    for key in things:
        for suffix, accept in ways:
            for extra in ({}, {"Origin": "https://example.org"}):
                h = {**accept, **extra}
                path = f"/doc/{key}{suffix}"
                first = fresh.get(path, headers=h)  # nothing asked before: from the table
                routed = other.get(path, params={"routed": "1"}, headers=h)  # the router describes it
                assert first.status_code == routed.status_code == 200, path
                assert first.content == routed.content, path
                assert _headers(first) == _headers(routed), path
                tag = first.headers["etag"]
                again = fresh.get(path, headers={**h, "If-None-Match": tag})
                routed304 = other.get(path, params={"routed": "1"}, headers={**h, "If-None-Match": tag})
                assert again.status_code == routed304.status_code == 304
                assert _headers(again) == _headers(routed304)
                compared += 1
    assert compared == len(things) * len(ways) * 2
    site = state_of(fresh.app).peek(Site)
    assert site is not None and site.documents is not None
    # The fresh application answered every one of them without describing a single thing.
    assert len(site.descriptions) == 0


def test_what_the_table_does_not_hold_is_made_by_the_router(fresh: InProcessClient, things: list[str]) -> None:
    key = next(k for k in things if k.startswith("praktijk/"))
    html = fresh.get(f"/doc/{key}.html")
    jsonld = fresh.get(f"/doc/{key}.jsonld")
    assert html.status_code == jsonld.status_code == 200
    assert jsonld.json()["@graph"]
    assert fresh.get("/doc/praktijk/there-is-no-such-practice.ttl").status_code == 404


def test_without_documents_ahead_the_build_writes_none_and_the_router_makes_them(
    tmp_path: Path, things: list[str],
) -> None:
    settings = build_small_store(tmp_path, query_workers=1, documents_ahead=False)
    store = open_store(settings)
    assert not (store.artefacts_dir / TABLE_FILE).exists()
    store.close()
    key = next(k for k in things if k.startswith("praktijk/"))
    with serve_in_process(settings) as app_client:
        first = app_client.get(f"/doc/{key}.ttl")
        assert first.status_code == 200 and first.headers["content-type"].startswith("text/turtle")
        site = state_of(app_client.app).peek(Site)
        assert site is not None and site.documents is None and len(site.descriptions) == 1

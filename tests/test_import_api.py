"""``POST /api/import``: sheet text in, the proposed record and its review notes out; nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from importer_support import LEUVEN_SHEET, copy_data, make_sheet, snapshot
from inprocess_support import serve_in_process

from kg.settings import PROJECT_ROOT, Settings


@pytest.fixture(scope="module")
def curation(small_store: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Path]]:
    """The app on the small store, reading the real data folder (a copy) for the import."""
    data = copy_data(tmp_path_factory.mktemp("api") / "data")
    settings = small_store.model_copy(update={"data_dir": data, "ontology_dir": PROJECT_ROOT / "ontology"})
    with serve_in_process(settings) as client:
        yield client, data


def test_a_sheet_gives_the_proposed_record_and_notes_and_writes_nothing(curation: tuple[httpx.Client, Path]) -> None:
    client, data = curation
    before = snapshot(data)
    r = client.post("/api/import?name=wezembeek.txt", content=make_sheet(investeringsbedrag="€ 25.000").encode(),
                    headers={"Content-Type": "text/plain; charset=utf-8"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["action"] == "new"
    assert body["record"]["investeringsbedrag"] == 25000
    assert body["record_path"] == f"praktijken/{body['id']}.yaml"
    assert "# REVIEW: read as 25000 euro" in body["yaml"]
    assert {"field": "investeringsbedrag", "read": "€ 25.000", "chosen": "25000", "why": "read as 25000 euro"}.items() <= \
        next(n for n in body["review"] if n["field"] == "investeringsbedrag").items()
    assert any(f["path"].startswith("bronnen/") for f in body["files"])
    assert r.headers["cache-control"] == "no-store"
    assert snapshot(data) == before


def test_the_leuven_sheet_as_json_is_an_existing_record(curation: tuple[httpx.Client, Path]) -> None:
    client, _ = curation
    r = client.post("/api/import", json={"text": LEUVEN_SHEET.read_text(encoding="utf-8"), "name": LEUVEN_SHEET.name})
    assert r.status_code == 200
    assert r.json()["id"] == "leuven-strategie-circulaire-stad"
    assert r.json()["action"] == "exists"
    r = client.post("/api/import?update=true", json={"text": LEUVEN_SHEET.read_text(encoding="utf-8")})
    assert r.json()["action"] == "unchanged"


@pytest.mark.parametrize(("body", "where"), [(b"", "empty.txt:1"), (b"Korte beschrijving:\nx\n", "empty.txt:1")])
def test_bad_input_is_a_422_problem_naming_the_line(curation: tuple[httpx.Client, Path], body: bytes, where: str) -> None:
    client, _ = curation
    r = client.post("/api/import?name=empty.txt", content=body, headers={"Content-Type": "text/plain", "Accept": "application/problem+json"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert where in r.json()["detail"]


def test_too_large_and_malformed_json_are_refused(curation: tuple[httpx.Client, Path]) -> None:
    client, _ = curation
    r = client.post("/api/import", content=b"x" * (3 * 1024 * 1024), headers={"Content-Type": "text/plain", "Accept": "application/problem+json"})
    assert r.status_code == 413
    r = client.post("/api/import", content=b"{nope", headers={"Content-Type": "application/json", "Accept": "application/problem+json"})
    assert r.status_code == 400

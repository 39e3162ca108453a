"""The short-link store of the query page: stable ids, kept across builds, written whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from endpoint.sparql.short_links import ShortLinks, link_id, links_of
from kg.errors import StoreError
from kg.settings import Settings


def test_the_id_comes_from_the_text_and_the_text_comes_back(tmp_path: Path) -> None:
    links = ShortLinks(tmp_path / "links")
    key = links.save("SELECT * WHERE { ?s ?p ?o }")
    assert key == link_id("SELECT * WHERE { ?s ?p ?o }") and links.save("SELECT * WHERE { ?s ?p ?o }") == key
    assert links.save("ASK {}") != key
    assert ShortLinks(tmp_path / "links").load(key) == "SELECT * WHERE { ?s ?p ?o }"  # a new process finds it
    assert not [p for p in (tmp_path / "links").iterdir() if p.name.startswith(".tmp-")]  # nothing half-written


def test_ids_that_are_not_ids_never_reach_the_file_system(tmp_path: Path) -> None:
    (tmp_path / "secret.rq").write_text("x", encoding="utf-8")
    links = ShortLinks(tmp_path / "links")
    assert links.load("../secret") is None and links.load("aaaaaaaaaaaa") is None


def test_the_folder_is_outside_the_builds_by_default(tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "store"))
    assert links_of(settings).folder == tmp_path / "store" / "short-links"
    assert links_of(settings.replace(short_links_dir=tmp_path / "elsewhere")).folder == tmp_path / "elsewhere"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "links"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="KG_SHORT_LINKS_DIR"):
            ShortLinks(folder).save("ASK {}")
    finally:
        folder.chmod(0o700)

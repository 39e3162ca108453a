"""Incremental builds (kg.build.incremental) against full builds of the same data.

The differential test: a series of changes (edit, add, remove, rename a reference, break and
fix a record), each built into two stores, one incrementally and one with ``--full``; after
each, the stores hold the same quads and every artefact (dumps, catalogue, VoID, LDES,
sitemap, SHACL report) is the same, the times of the builds aside; a build that stops stops
in both with the same report. On synthetic data with planted SHACL defects, and on the real
records.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import Server, free_port
from incremental_support import (
    Twin,
    answer_differences,
    differences,
    error_text,
    rename_record,
    replace_in,
    snapshot,
    strict_shapes,
    table_answers,
)
from inprocess_support import serve_in_process

from endpoint.pages.build_indexes import Site
from kg.artefacts import ldes_history
from kg.artefacts.document_rdf import PAGE_SIZE, incoming_query
from kg.artefacts.document_table import STALE_FILE, TABLE_FILE, read_stale
from kg.build import build_state, pipeline
from kg.build.incremental import plan_build
from kg.build.pipeline import BuildResult, build
from kg.errors import KGError, SourceError, StoreError, ValidationFailed
from kg.settings import PROJECT_ROOT, Settings
from kg.store.build_slot import build_lock
from kg.store.embedded import EmbeddedStore
from kg.store.synthetic_marker import SYNTHETIC_BASE_IRI
from kg.synth.generator import synthesize

VOCAB = PROJECT_ROOT / "ontology" / "vocabularies"
#: The SHACL defects of kg.synth planted in the "broken" copy of the synthetic data.
SHACL_DEFECTS = ["geen-startdatum", "geen-actoren", "subsidie-zonder-bedrag", "geen-thema"]


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """shapes/ plus a shape that makes the planted "no start date" defect a Violation."""
    return strict_shapes(tmp_path_factory.mktemp("strict") / "shapes")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Clean synthetic data, and the same data with a SHACL defect in every practice."""
    root = tmp_path_factory.mktemp("incremental-synth")
    synthesize(root / "clean", 30, source_data=PROJECT_ROOT / "data", vocab_dir=VOCAB, seed=11)
    synthesize(root / "broken", 30, source_data=PROJECT_ROOT / "data", vocab_dir=VOCAB, seed=11,
               broken_share=1.0, defects=SHACL_DEFECTS)
    return root / "clean", root / "broken"


def _same(twin: Twin, results: tuple[BuildResult | KGError, BuildResult | KGError], step: str) -> None:
    """Both builds went live with the same content, or both stopped with the same report."""
    incremental, full = results
    if isinstance(incremental, KGError) or isinstance(full, KGError):
        assert type(incremental) is type(full), f"{step}: {incremental!r} / {full!r}"
        assert isinstance(incremental, KGError) and isinstance(full, KGError)
        assert error_text(incremental) == error_text(full), step
        return
    assert incremental.mode == "incremental", f"{step}: {incremental.why}"
    assert full.mode == "full"
    # An incremental build counts its store's quads from the previous build's count and its change.
    assert (incremental.triples, incremental.graphs) == (full.triples, full.graphs), step
    assert differences(snapshot(Path(twin.incremental.store)), snapshot(Path(twin.full.store))) == [], step
    assert answer_differences(Path(twin.incremental.store), Path(twin.full.store)) == [], step


def _praktijk(data: Path, n: int) -> Path:
    return sorted((data / "praktijken").glob("*.yaml"))[n]


def _unreferenced_praktijk(data: Path) -> Path:
    """A practice (not among the first three) that no other record names."""
    texts = {path: path.read_text(encoding="utf-8") for path in data.rglob("*.yaml")}
    return next(p for p in sorted((data / "praktijken").glob("*.yaml"))[3:]
                if not any(p.stem in text for other, text in texts.items() if other != p))


def _referenced_organisation(data: Path) -> str:
    """An organisation that some practice names (the most named one)."""
    counts: dict[str, int] = {}
    for path in (data / "praktijken").glob("*.yaml"):
        for found in re.findall(r"organisatie: \"?([a-z0-9-]+)\"?", path.read_text(encoding="utf-8")):
            if (data / "organisaties" / f"{found}.yaml").exists():
                counts[found] = counts.get(found, 0) + 1
    return max(sorted(counts), key=lambda k: counts[k])


def _series(data: Path, break_record: Callable[[], None], fix_record: Callable[[], None]) -> list[tuple[str, Callable[[], None]]]:
    """The changes, in order; each is applied to ``data`` before both builds."""
    edited, copied = _praktijk(data, 1), _praktijk(data, 2)
    removed = _unreferenced_praktijk(data)
    organisation = _referenced_organisation(data)
    gone = data / "organisaties" / f"{organisation}-hernoemd.yaml"
    kept_aside = data.parent / f"{data.name}-aside.yaml"

    def edit() -> None:
        text = edited.read_text(encoding="utf-8")
        edited.write_text(re.sub(r"(titel:\n  nl: \"?)", r"\1Bijgewerkt ", text, count=1), encoding="utf-8")

    def add() -> None:
        new_id = copied.stem + "-kopie"
        (copied.parent / f"{new_id}.yaml").write_text(
            copied.read_text(encoding="utf-8").replace(copied.stem, new_id, 1), encoding="utf-8")

    def remove() -> None:
        removed.unlink()

    def rename() -> None:
        assert rename_record(data, "organisaties", organisation, organisation + "-hernoemd") > 1

    def dangle() -> None:  # a referenced record disappears: the records that name it fail to check
        shutil.move(gone, kept_aside)

    def restore() -> None:
        shutil.move(kept_aside, gone)

    return [("edit a practice", edit), ("add a practice", add), ("remove a practice", remove),
            ("break a record", break_record), ("fix it", fix_record),
            ("rename a referenced organisation", rename), ("remove a referenced organisation", dangle),
            ("put it back", restore), ("nothing changed", lambda: None)]


def _run_series(twin: Twin, data: Path, break_record: Callable[[], None], fix_record: Callable[[], None]) -> list[type]:
    first = twin.build()
    assert all(isinstance(r, BuildResult) for r in first), first
    stopped: list[type] = []
    for step, change in _series(data, break_record, fix_record):
        change()
        before = twin.live_ids()
        results = twin.build()
        _same(twin, results, step)
        if isinstance(results[0], KGError):
            stopped.append(type(results[0]))
            assert twin.live_ids() == before, f"{step}: a build that stopped changed the live build"
    return stopped


def _records_kept(settings: Settings) -> set[tuple[object, ...]]:
    """What the live build's state says of each record (not where its bytes are: chunk names
    and offsets differ between an incremental and a full build)."""
    state = build_state.load_state((Path(settings.store) / "current").resolve())
    assert state is not None
    return {(e.kind, e.id, e.file, e.content_hash, e.digest, e.doc_subjects) for e in state.records.entries()}


@pytest.mark.slow
@pytest.mark.parametrize("compact_from", [build_state.COMPACT_FROM, 0], ids=["journal", "compacted"])
def test_incremental_builds_equal_full_builds_on_synthetic_data_with_planted_defects(synthetic: tuple[Path, Path], strict: Path,
                                                                                     tmp_path: Path, compact_from: int,
                                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With the build state and the LDES graph index kept as a base and a journal of changes,
    and with each journal folded into a new base as soon as it holds more than a twentieth of it."""
    monkeypatch.setattr(build_state, "COMPACT_FROM", compact_from)
    monkeypatch.setattr(ldes_history, "COMPACT_FROM", compact_from)
    clean, broken = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    twin = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI, strict)
    planted = [p.name for p in sorted((broken / "praktijken").glob("*.yaml"))
               if p.read_bytes() != (clean / "praktijken" / p.name).read_bytes()][:3]
    assert planted, "the synthetic generator planted no defect"

    def break_record() -> None:
        for name in planted:
            shutil.copyfile(broken / "praktijken" / name, data / "praktijken" / name)

    def fix_record() -> None:
        for name in planted:
            shutil.copyfile(clean / "praktijken" / name, data / "praktijken" / name)

    stopped = _run_series(twin, data, break_record, fix_record)
    assert stopped == [ValidationFailed, SourceError]  # no start date; the removed organisation
    assert _records_kept(twin.incremental) == _records_kept(twin.full)


@pytest.mark.slow
def test_incremental_builds_equal_full_builds_on_the_real_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    twin = Twin.of(data, tmp_path, "https://data.lokaalcirculair.be")
    target = _praktijk(data, 4)
    original = target.read_text(encoding="utf-8")

    def break_record() -> None:  # a start date with month 13: the record checks stop both builds
        target.write_text(re.sub(r"(?m)^start: .*$", "start: \"2021-13\"", original) if "\nstart:" in original
                          else original + "start: \"2021-13\"\n", encoding="utf-8")

    def fix_record() -> None:
        target.write_text(original, encoding="utf-8")

    stopped = _run_series(twin, data, break_record, fix_record)
    assert stopped == [SourceError, SourceError]  # month 13; the removed organisation


def test_a_shacl_violation_in_an_incremental_build_publishes_nothing(synthetic: tuple[Path, Path], strict: Path,
                                                                   tmp_path: Path) -> None:
    clean, broken = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    twin = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI, strict)
    build(twin.incremental)
    live = twin.live_ids()[0]
    violating = next(p for p in sorted((broken / "praktijken").glob("*.yaml"))
                     if "\nstart:" not in p.read_text(encoding="utf-8"))  # geen-startdatum: a Violation here
    shutil.copyfile(violating, data / "praktijken" / violating.name)
    with pytest.raises(ValidationFailed) as incremental:
        build(twin.incremental)
    with pytest.raises(ValidationFailed) as full:
        build(twin.full, full=True)
    assert incremental.value.report.table() == full.value.report.table()
    assert violating.name in incremental.value.report.table()
    assert twin.live_ids()[0] == live


def test_a_change_of_shapes_ontology_or_settings_forces_a_full_build_and_says_why(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    shapes, ontology = tmp_path / "shapes", tmp_path / "ontology"
    shutil.copytree(PROJECT_ROOT / "shapes", shapes)
    shutil.copytree(PROJECT_ROOT / "ontology", ontology)
    settings = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI).incremental.replace(shapes_dir=shapes, ontology_dir=ontology)
    assert build(settings).why == "there is no previous build"
    assert build(settings).mode == "incremental"
    with open(next(shapes.glob("*.ttl")), "a", encoding="utf-8") as handle:
        handle.write("\n# a comment is a change of the shapes too\n")
    result = build(settings)
    assert (result.mode, result.why) == ("full", "the shapes (KG_SHAPES_DIR) changed")
    with open(ontology / "circulair.ttl", "a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert "ontology" in build(settings).why
    assert "KG_LDES_PAGE_SIZE" in build(settings.replace(ldes_page_size=7)).why
    assert build(settings.replace(ldes_page_size=7), full=True).why == "--full was asked for"
    # The example queries become the examples graph of the store (issue #11): a changed query
    # is a full build, so the graph never keeps the previous text.
    queries = tmp_path / "queries"
    shutil.copytree(PROJECT_ROOT / "queries", queries)
    settings = settings.replace(ldes_page_size=7, queries_dir=queries)
    assert build(settings).mode == "incremental"  # a copy of the same queries is no change
    first = next(queries.glob("*.rq"))
    first.write_text(first.read_text(encoding="utf-8").replace("SELECT", "SELECT DISTINCT", 1), encoding="utf-8")
    assert build(settings).why == "the example queries (KG_QUERIES_DIR) changed"


def test_a_damaged_previous_build_falls_back_to_a_full_build(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    settings = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI).incremental
    build(settings)
    live = (Path(settings.store) / "current").resolve()
    chunk = next((live / "incremental" / "chunks").iterdir())
    chunk.write_bytes(b"")  # truncated: the state no longer matches
    result = build(settings)
    assert result.mode == "full" and "cannot be reused" in result.why and "shorter" in result.why
    (result.folder / "incremental" / "state.pickle").write_bytes(b"not a pickle")
    result = build(settings)
    assert result.mode == "full" and "cannot be read" in result.why
    assert build(settings).mode == "incremental"


def test_the_reference_gate_and_a_remote_store_build_in_full_and_say_why(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    settings = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI).incremental
    build(settings)
    root = Path(settings.store)
    assert not plan_build(settings, root, False).full
    assert plan_build(settings.replace(validator="pyshacl"), root, False).why == "KG_VALIDATOR=pyshacl validates the whole graph only"
    remote = settings.replace(store="http://127.0.0.1:9/query", artefacts_dir=root)
    assert "SPARQL server" in plan_build(remote, root, False).why


#: Stage ends of an incremental build at which the kill test stops it (the kill lands in the
#: stage after: the process does not wait for the test).
KILL_AFTER = ("find changed records", "read and map changed records", "store: the previous build's plus the change",
              "SHACL gate on the changed records", "N-Quads dump", "triple dumps and VoID statistics",
              "LDES", "state for the next build")


def _kg_build(settings: Settings) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(KG_STORE=settings.store, KG_DATA_DIR=str(settings.data_dir), KG_BASE_IRI=settings.base_iri)
    return subprocess.Popen([sys.executable, "-m", "kg", "build"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_kill_9_at_any_moment_of_an_incremental_build(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    """kill -9 after each stage of an incremental build: the previous build keeps serving, and
    the next build (incremental) equals a full build of the same data."""
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    twin = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI)
    twin.build()
    root = Path(twin.incremental.store)
    probe = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    landed = 0
    for number, stage in enumerate(KILL_AFTER):
        edited = _praktijk(data, number)
        replace_in(edited, "titel:\n  nl: \"", f"titel:\n  nl: \"Versie {number}: ")
        before = twin.live_ids()[0]
        count = EmbeddedStore(root).select(probe)[0]["n"].value
        proc = _kg_build(twin.incremental)
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.strip().startswith(stage):
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait()
        proc.stderr.close()
        if proc.returncode == -signal.SIGKILL:
            landed += 1
            live = twin.live_ids()[0]
            if live == before:
                assert EmbeddedStore(root).select(probe)[0]["n"].value == count
            else:
                # On a crowded machine the test may read a stage's line only after the build has
                # switched (it goes on while the test waits for a core): the kill then lands after
                # the switch, and the new build must be whole. (This was the test's flake under load.)
                assert (root / "builds" / live / "BUILD.json").exists(), stage
        result = build(twin.incremental)
        assert result.mode == "incremental", result.why
        assert not list((root / "builds").glob(".tmp-*"))
        build(twin.full, full=True)
        assert differences(snapshot(root), snapshot(Path(twin.full.store))) == [], stage
        assert answer_differences(root, Path(twin.full.store)) == [], stage
    assert landed >= len(KILL_AFTER) // 2, "too few kills landed inside the build"


def test_two_builds_at_once_the_second_refuses_clearly(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    settings = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI).incremental
    build(settings)
    with build_lock(Path(settings.store)):  # a first build holds the lock
        with pytest.raises(StoreError, match="Another build is running"):
            build(settings)


@pytest.mark.slow
def test_the_web_tier_serves_the_change_right_after_the_switch(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    settings = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI).incremental
    build(settings)
    server = Server(settings, free_port())
    try:
        edited, copied = _praktijk(data, 5), _praktijk(data, 6)
        with httpx.Client(base_url=server.url, timeout=30) as http:  # the pages' indexes of this build exist
            assert http.get("/zoeken", params={"q": "praktijk"}).status_code == 200
        replace_in(edited, "titel:\n  nl: \"", "titel:\n  nl: \"Zeldzaamwoord ")
        new_id = copied.stem + "-nieuw"
        (copied.parent / f"{new_id}.yaml").write_text(
            copied.read_text(encoding="utf-8").replace(copied.stem, new_id, 1)
            .replace("titel:\n  nl: \"", "titel:\n  nl: \"Nieuwelingwoord ", 1), encoding="utf-8")
        assert build(settings).mode == "incremental"
        with httpx.Client(base_url=server.url, timeout=30) as http:
            _wait_for_build(http, (Path(settings.store) / "current").resolve().name)
            page = http.get(f"/doc/praktijk/{edited.stem}", headers={"Accept": "text/html"})
            assert page.status_code == 200 and "Zeldzaamwoord" in page.text
            found = http.get("/zoeken", params={"q": "Zeldzaamwoord"})
            assert edited.stem in found.text
            assert new_id in http.get("/zoeken", params={"q": "Nieuwelingwoord"}).text
            assert http.get(f"/doc/praktijk/{new_id}", headers={"Accept": "text/html"}).status_code == 200
            listing = http.get("/praktijken", params={"q": "Nieuwelingwoord"})
            assert new_id in listing.text
            answer = http.get("/sparql", params={"query": f"ASK {{ <{SYNTHETIC_BASE_IRI}/id/praktijk/{new_id}> ?p ?o }}"},
                              headers={"Accept": "application/sparql-results+json"})
            assert answer.json()["boolean"] is True
    finally:
        server.stop()


def test_an_incremental_build_carries_the_documents_written_ahead_over_and_lists_what_its_change_touched(
        synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    """The previous table is linked, not written again; the documents of the changed records,
    of what they point at and of what points at them are stale, and the web tier makes those
    with the change (kg.artefacts.document_carry)."""
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    settings = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI).incremental
    root = Path(settings.store)
    build(settings)
    first = (root / "current").resolve() / "artefacts" / TABLE_FILE
    organisation = _referenced_organisation(data)
    naming = sorted(p.stem for p in (data / "praktijken").glob("*.yaml")
                    if re.search(rf"organisatie: \"?{organisation}\"?\n", p.read_text(encoding="utf-8")))
    assert naming
    path = data / "organisaties" / f"{organisation}.yaml"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(naam:\n  nl: \"?)", r"\1Hernoemde ", text, count=1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    assert build(settings).mode == "incremental"
    live = (root / "current").resolve()
    table = live / "artefacts" / TABLE_FILE
    assert table.stat().st_ino == first.stat().st_ino  # one file, linked: nothing written again
    stale = read_stale(live / "artefacts" / STALE_FILE)
    # The organisation itself, and every practice that names it (its label is in their documents).
    assert f"organisatie/{organisation}" in stale
    assert {f"praktijk/{stem}" for stem in naming} <= stale
    assert json.loads((live / "BUILD.json").read_text())["extra"]["documents"] == {"stale": len(stale), "kept_long_lists": 0}
    assert len(stale) < len(table_answers(root)) + len(stale)  # the table still answers the rest
    with serve_in_process(settings) as client:
        for key in (f"organisatie/{organisation}", f"praktijk/{naming[0]}"):
            answer = client.get(f"/doc/{key}", headers={"Accept": "text/turtle"})
            assert answer.status_code == 200 and "Hernoemde" in answer.text, key


@pytest.mark.slow
def test_a_hub_whose_first_page_of_links_the_change_left_alone_keeps_its_document(tmp_path: Path) -> None:
    """600 practices all name the role 'trekker': its document holds page 1 of 600 links. A change
    to a practice off that page keeps the row (the web tier would take hundreds of ms to make it
    at scale); a change to one on the page, a removal and an addition make it stale. After each,
    every document the incremental table answers is the full build's."""
    data = tmp_path / "data"
    synthesize(data, 600, source_data=PROJECT_ROOT / "data", vocab_dir=VOCAB, seed=5)
    twin = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI)
    assert all(isinstance(r, BuildResult) for r in twin.build())
    root = Path(twin.incremental.store)
    hub = "concept/rol/trekker"
    live = (root / "current").resolve()
    page = EmbeddedStore(root).select(incoming_query(f"{SYNTHETIC_BASE_IRI}/id/{hub}", 1))
    on_page = {row["s"].value.split("#", 1)[0].rsplit("/", 1)[1] for row in page[:PAGE_SIZE] if "/id/praktijk/" in row["s"].value}
    assert len(page) > PAGE_SIZE
    practices = sorted(p.stem for p in (data / "praktijken").glob("*.yaml"))
    off_page = [p for p in practices if p not in on_page]
    assert off_page and on_page

    def edit(stem: str) -> None:
        replace_in(data / "praktijken" / f"{stem}.yaml", "titel:\n  nl: \"", "titel:\n  nl: \"Anders ")

    steps: list[tuple[str, Callable[[], None], bool]] = [
        ("edit a practice off the hub's first page", lambda: edit(off_page[0]), False),
        ("edit a practice on it", lambda: edit(sorted(on_page)[0]), True),
        ("remove a practice on it", lambda: (data / "praktijken" / f"{sorted(on_page)[1]}.yaml").unlink(), True),
    ]
    for step, change, hub_stale in steps:
        before = read_stale(live / "artefacts" / STALE_FILE)
        change()
        _same(twin, twin.build(), step)
        live = (root / "current").resolve()
        stale = read_stale(live / "artefacts" / STALE_FILE)
        assert (hub in stale) is (hub_stale or hub in before), step
    assert json.loads((live / "BUILD.json").read_text())["mode"] == "incremental"


def _wait_for_build(http: httpx.Client, build_id: str) -> None:
    """Until the server has opened ``build_id`` (it checks every KG_RELOAD_INTERVAL)."""
    for _ in range(600):
        if build_id in http.get("/health").text:
            return
        time.sleep(0.05)
    raise AssertionError(f"the server did not open {build_id}: {http.get('/health').text}")


def test_the_pages_indexes_patched_after_an_incremental_build_equal_loaded_ones(synthetic: tuple[Path, Path], tmp_path: Path) -> None:
    """Labels, practice facets and search of the new build, patched from the previous
    build's for the touched IRIs, are the indexes a full load makes."""
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    settings = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI).incremental
    build(settings)
    before = Site(EmbeddedStore(Path(settings.store)), settings)
    replace_in(_praktijk(data, 1), "titel:\n  nl: \"", "titel:\n  nl: \"Anders ")
    _unreferenced_praktijk(data).unlink()
    copied = _praktijk(data, 3)
    (copied.parent / "synth-praktijk-extra.yaml").write_text(
        copied.read_text(encoding="utf-8").replace(copied.stem, "synth-praktijk-extra", 1), encoding="utf-8")
    grant = sorted((data / "financieringen").glob("*.yaml"))[0]
    replace_in(grant, "bedrag:", "bedrag: 1234\n# was:")
    # A government's territory changes: the practices it leads or takes part in move with it (#17).
    government = next(p for p in sorted((data / "organisaties").glob("*.yaml")) if "\ngemeente: " in p.read_text(encoding="utf-8"))
    replace_in(government, "\ngemeente: ", '\ngemeente: "11001"\n# was: ')
    assert build(settings).mode == "incremental"
    store = EmbeddedStore(Path(settings.store))
    patched, loaded = Site(store, settings, previous=before), Site(store, settings)
    assert (patched.made, loaded.made) == ("patched", "loaded")
    assert patched.labels._labels == loaded.labels._labels and patched.labels.types == loaded.labels.types
    assert patched.practices.practices == loaded.practices.practices
    assert dict(patched.practices.by_value) == dict(loaded.practices.by_value)
    assert patched.search.entries == loaded.search.entries
    assert [h.iri for h in patched.search.search("Anders")] == [h.iri for h in loaded.search.search("Anders")] != []


def _catalog_matches_its_dumps(build_folder: Path) -> int:
    """Every dump the catalogue of a build lists has the checksum and size of that build's file."""
    catalog = ox.Store()
    catalog.load(path=str(build_folder / "artefacts" / "catalog.ttl"), format=ox.RdfFormat.TURTLE)
    rows = catalog.query(
        "PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX spdx: <http://spdx.org/rdf/terms#> "
        "SELECT ?url ?size ?sum WHERE { ?d dcat:downloadURL ?url ; dcat:byteSize ?size ; spdx:checksum/spdx:checksumValue ?sum }")
    assert isinstance(rows, ox.QuerySolutions)
    listed = 0
    for row in rows:
        url = row["url"].value
        if url.endswith("/kwaliteit/validatierapport.ttl"):  # the build's SHACL report (issue 18): checked, not counted
            path = build_folder / "artefacts" / "validation-report.ttl"
        else:
            path = build_folder / "artefacts" / "dumps" / url.rsplit("/", 1)[-1]
            listed += 1
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sum"].value, path
        assert path.stat().st_size == int(row["size"].value)
    return listed


@pytest.mark.slow
def test_deferred_dumps_follow_in_a_second_build_and_the_catalogue_never_lies(synthetic: tuple[Path, Path], tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """What a large incremental build does (the dumps after the change), on small data."""
    monkeypatch.setattr(pipeline, "DEFER_DUMPS_FROM", 0)
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    twin = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI)
    twin.build()
    edited = _praktijk(data, 2)
    for number in range(2):
        replace_in(edited, "titel:\n  nl: \"", f"titel:\n  nl: \"Stap {number} ")
        _same(twin, twin.build(), f"deferred step {number}")
        builds = sorted(p for p in (Path(twin.incremental.store) / "builds").iterdir() if not p.name.startswith("."))
        first, second = builds[-2], builds[-1]  # the change went live in the first, its dumps in the second
        assert json.loads((second / "BUILD.json").read_text())["extra"]["incremental"]["based_on"] == first.name
        assert _catalog_matches_its_dumps(first) == _catalog_matches_its_dumps(second) == 4
        assert (first / "artefacts" / "dumps" / "lokaalcirculair.nq.gz").stat().st_ino != \
            (second / "artefacts" / "dumps" / "lokaalcirculair.nq.gz").stat().st_ino
        # The quality measurements follow with the dumps: the first build serves the previous build's
        # (measured on that build), the second measures its own graph.
        assert f"/kwaliteitsmeting/{first.name}/" not in (first / "artefacts" / "quality.ttl").read_text()
        assert f"/kwaliteitsmeting/{second.name}/" in (second / "artefacts" / "quality.ttl").read_text()


def _summary(settings: Settings) -> str:
    return str(json.loads((Path(settings.store) / "current" / "BUILD.json").read_text())["extra"]["incremental"]["summary"])


def test_files_whose_kept_stat_matches_are_not_read_again_and_an_edit_behind_a_restored_mtime_is_seen(
        synthetic: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stat shortcut of finding changes (kg.build.build_state): a file is hashed only when
    its stat is not the one kept with its hash; an edit of the same size whose modification
    time is set back (as ``touch -d`` or an unpacked archive would) still changes its ctime."""
    monkeypatch.setattr(build_state, "RACY_MARGIN_NS", 0)  # files written just now count as settled
    clean, _ = synthetic
    data = tmp_path / "data"
    shutil.copytree(clean, data)
    twin = Twin.of(data, tmp_path, SYNTHETIC_BASE_IRI)
    build(twin.incremental, full=True)
    _same(twin, twin.build(), "nothing changed")
    assert ", 0 files hashed," in _summary(twin.incremental)
    edited = _praktijk(data, 3)
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    start = text.index('titel:\n  nl: "') + len('titel:\n  nl: "')
    changed = text[:start] + ("Q" if text[start] != "Q" else "R") + text[start + 1:]
    edited.write_text(changed, encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (edited.stat().st_size, edited.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    _same(twin, twin.build(), "same size, same mtime, other bytes")
    assert _summary(twin.incremental).startswith("1 changed or added, 0 removed, 1 files hashed,")

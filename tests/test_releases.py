"""Releases (``kg release``): frozen for good, served immutable, described as a DCAT series.

One store of the test's own on the real data (a copy of ``data/``: a release writes its record
into the data folder), on the session's backend: ``kg build``, ``kg release 1.0.0`` (the real
command, in a child process), three more full builds with ``KG_KEEP_BUILDS=2`` so the frozen
build is pruned, ``kg release 1.1.0``, then a real ``kg serve``. Nothing is mocked.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Iterator

import httpx
import pyshacl
import pytest
import rdflib
from conftest import REPO, Server, backend_settings, free_port, live_build
from datacite import schema45
from lxml import etree
from rdflib.namespace import DCTERMS, RDF, XSD

from kg.build.pipeline import build
from kg.settings import Settings

SHAPES = REPO / "tests" / "fixtures" / "dcat-ap" / "3.0.1"
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
#: DCAT 3 terms (rdflib's DCAT names only DCAT 2's).
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
BASE = "https://data.lokaalcirculair.be"


def root_of(settings: Settings) -> Path:
    return Path(str(settings.artefacts_dir)) if settings.is_remote else Path(settings.store)


def kg(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``kg`` command on these settings, in a child process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update({"KG_STORE": settings.store, "KG_DATA_DIR": str(settings.data_dir), "KG_ONTOLOGY_DIR": str(settings.ontology_dir),
                "KG_SHAPES_DIR": str(settings.shapes_dir), "KG_KEEP_BUILDS": str(settings.keep_builds)})
    if settings.artefacts_dir:
        env["KG_ARTEFACTS_DIR"] = str(settings.artefacts_dir)
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=600)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Two releases on the real data, the first one's build pruned since."""
    root = tmp_path_factory.mktemp("releases")
    shutil.copytree(REPO / "data", root / "data")
    with backend_settings(root, data_dir=root / "data", ontology_dir=REPO / "ontology", shapes_dir=REPO / "shapes",
                          keep_builds=2) as settings:
        build(settings)
        done = kg(settings, "release", "1.0.0", "--note", "Eerste versie.", "--note-en", "First release.", "--no-build")
        assert done.returncode == 0, done.stderr
        for _ in range(3):
            build(settings, full=True)
        done = kg(settings, "release", "1.1.0", "--note", "Tweede versie.", "--note-en", "Second release.")
        assert done.returncode == 0, done.stderr
        yield settings


@pytest.fixture(scope="module")
def server(released: Settings) -> Iterator[Server]:
    srv = Server(released, free_port())
    yield srv
    srv.stop()


def manifest(settings: Settings, version: str) -> dict[str, object]:
    return dict(json.loads((root_of(settings) / "releases" / version / "RELEASE.json").read_text(encoding="utf-8")))


def check_files(url: str, settings: Settings, version: str) -> None:
    """Every file of the release served immutable, with the manifest's SHA-256 as body hash and ETag."""
    files = manifest(settings, version)["files"]
    assert isinstance(files, dict) and len(files) == 4
    for name, recorded in files.items():
        response = httpx.get(f"{url}/releases/{version}/{name}", timeout=30)
        assert response.status_code == 200
        assert sha256(response.content) == recorded["sha256"]
        assert len(response.content) == recorded["size"]
        assert "immutable" in response.headers["cache-control"]
        assert response.headers["etag"] == f'"{recorded["sha256"]}"'
        again = httpx.get(f"{url}/releases/{version}/{name}", headers={"If-None-Match": response.headers["etag"]}, timeout=30)
        assert again.status_code == 304
        checksum = httpx.get(f"{url}/releases/{version}/{name}.sha256", timeout=30)
        assert checksum.status_code == 200 and checksum.text.split() == [recorded["sha256"], name]


def test_a_release_survives_later_builds_pruning_and_a_restart(released: Settings, server: Server) -> None:
    first = manifest(released, "1.0.0")
    builds = root_of(released) / "builds"
    assert not (builds / str(first["build_id"])).exists()  # the build it froze was pruned
    assert live_build(released).name != first["build_id"]
    check_files(server.url, released, "1.0.0")
    # The data records the release exactly as frozen.
    recorded = json.loads((released.data_dir / "reference" / "releases" / "1.0.0.json").read_text(encoding="utf-8"))
    assert recorded == first
    # A new server process reads everything from disk again, as after a restart.
    restarted = Server(released, free_port())
    try:
        check_files(restarted.url, released, "1.0.0")
        check_files(restarted.url, released, "1.1.0")
    finally:
        restarted.stop()


def test_the_same_version_twice_is_refused_and_nothing_changes(released: Settings) -> None:
    folder = root_of(released) / "releases" / "1.0.0"
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, sha256(p.read_bytes())) for p in folder.iterdir()}
    record = released.data_dir / "reference" / "releases" / "1.0.0.json"
    recorded = record.read_bytes()
    done = kg(released, "release", "1.0.0", "--note", "Opnieuw.", "--note-en", "Again.", "--no-build")
    assert done.returncode == 7
    assert "Error: Release 1.0.0 exists" in done.stderr and "Traceback" not in done.stderr
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, sha256(p.read_bytes())) for p in folder.iterdir()}
    assert after == before and record.read_bytes() == recorded
    assert sorted(p.name for p in record.parent.iterdir()) == ["1.0.0.json", "1.1.0.json"]


@pytest.mark.parametrize("version", ["v1", "1.0", "01.2.3", "1.0.0-rc1"])
def test_a_malformed_version_is_refused_before_anything_is_written(released: Settings, version: str) -> None:
    done = kg(released, "release", version, "--note", "x", "--note-en", "x", "--no-build")
    assert done.returncode == 7 and "MAJOR.MINOR.PATCH" in done.stderr
    assert sorted(p.name for p in (root_of(released) / "releases").iterdir()) == ["1.0.0", "1.1.0"]


def test_a_dump_that_does_not_match_its_checksum_is_not_released(released: Settings) -> None:
    checksum = live_build(released) / "artefacts" / "dumps" / "lokaalcirculair.ttl.sha256"
    original = checksum.read_bytes()
    try:
        checksum.write_text("0" * 64 + "  lokaalcirculair.ttl\n", encoding="ascii")
        done = kg(released, "release", "2.0.0", "--note", "x", "--note-en", "x", "--no-build")
    finally:
        checksum.write_bytes(original)
    assert done.returncode == 7 and "does not match its published SHA-256" in done.stderr
    assert sorted(p.name for p in (root_of(released) / "releases").iterdir()) == ["1.0.0", "1.1.0"]
    assert not (released.data_dir / "reference" / "releases" / "2.0.0.json").exists()


def test_releasing_without_a_build_says_to_build_first(tmp_path: Path) -> None:
    settings = Settings(store=str(tmp_path / "store"), data_dir=tmp_path / "data", ontology_dir=REPO / "ontology",
                        shapes_dir=REPO / "shapes")
    done = kg(settings, "release", "1.0.0", "--note", "x", "--note-en", "x", "--no-build")
    assert done.returncode == 5 and "kg build" in done.stderr
    assert not (tmp_path / "data" / "reference" / "releases").exists()


@pytest.fixture(scope="module")
def catalog(server: Server) -> rdflib.Graph:
    response = httpx.get(f"{server.url}/catalog", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.text, format="turtle")


def _conforms(data: rdflib.Graph, *files: str) -> tuple[bool, str]:
    shapes = rdflib.Graph()
    for name in files:
        shapes.parse(SHAPES / name, format="turtle")
    conforms, _report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    return bool(conforms), str(text)


def test_the_catalogue_with_releases_meets_every_dcat_ap_shape(catalog: rdflib.Graph) -> None:
    conforms, text = _conforms(catalog, "shapes.ttl", "range.ttl")
    assert conforms, text
    conforms, text = _conforms(catalog, "shapes_recommended.ttl", "deprecateduris.ttl")
    assert conforms, text


def test_the_series_and_its_versions(catalog: rdflib.Graph, released: Settings) -> None:
    series = rdflib.URIRef(f"{BASE}/id/datasetreeks/lokaalcirculair")
    one, two = (rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair/{v}") for v in ("1.0.0", "1.1.0"))
    live = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    assert (series, RDF.type, DCAT.DatasetSeries) in catalog
    assert {t.language for t in catalog.objects(series, DCTERMS.title)} == {"nl", "en"}
    assert catalog.value(series, DCAT.first) == one and catalog.value(series, DCAT.last) == two
    assert set(catalog.subjects(DCAT.inSeries, series)) == {one, two}
    assert catalog.value(two, DCAT.previousVersion) == one and catalog.value(one, DCAT.previousVersion) is None
    assert set(catalog.objects(live, DCAT.hasVersion)) == {one, two}
    for version, release in (("1.0.0", one), ("1.1.0", two)):
        frozen = manifest(released, version)
        assert (None, DCAT.dataset, release) in catalog
        assert str(catalog.value(release, DCAT.version)) == version
        notes = {n.language: str(n) for n in catalog.objects(release, ADMS.versionNotes)}
        assert notes == {"nl": frozen["note"]["nl"], "en": frozen["note"]["en"]}  # type: ignore[index]
        issued = catalog.value(release, DCTERMS.issued)
        assert issued.datatype == XSD.dateTime and issued.toPython() == datetime.fromisoformat(str(frozen["issued"]))
        files = frozen["files"]
        assert isinstance(files, dict)
        seen = {}
        for dist in catalog.objects(release, DCAT.distribution):
            url = str(catalog.value(dist, DCAT.downloadURL))
            assert url.startswith(f"{BASE}/releases/{version}/")
            checksum = catalog.value(dist, SPDX.checksum)
            seen[url.rsplit("/", 1)[-1]] = (int(catalog.value(dist, DCAT.byteSize)), str(catalog.value(checksum, SPDX.checksumValue)))
        assert seen == {name: (f["size"], f["sha256"]) for name, f in files.items()}


def test_landing_pages_in_each_language_and_as_json(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        listing = http.get("/releases/?format=json").json()["releases"]
        assert [r["version"] for r in listing] == ["1.1.0", "1.0.0"]
        page = http.get("/releases/1.0.0/", params={"lang": "en"})
        assert page.status_code == 200 and 'lang="en"' in page.text
        assert "How to cite" in page.text and "(Version 1.0.0) [Data set]" in page.text and "@misc{" in page.text
        assert "Hoe citeren" not in page.text
        nl = http.get("/releases/1.0.0/", params={"lang": "nl"})
        assert "Hoe citeren" in nl.text and "How to cite" not in nl.text
        assert page.headers["link"].startswith(f'<{BASE}/releases/1.0.0/>; rel="cite-as"')
        for name, f in manifest(server.settings, "1.0.0")["files"].items():  # type: ignore[union-attr]
            assert f["sha256"] in page.text and f"/releases/1.0.0/{name}" in page.text
        redirect = http.get("/id/dataset/lokaalcirculair/1.0.0")
        assert redirect.status_code == 303 and redirect.headers["location"] == "/releases/1.0.0/"
        assert http.get("/releases/9.9.9/").status_code == 404
        assert http.get("/releases/1.0.0/BUILD.json").status_code == 404
        assert http.get("/releases/1.0.0/..%2FRELEASE.json").status_code == 404


def test_each_release_keeps_its_quality_and_the_page_shows_the_trend(server: Server) -> None:
    dqv = rdflib.Namespace("http://www.w3.org/ns/dqv#")
    warnings = rdflib.URIRef(f"{BASE}/id/kwaliteitsmetriek/shacl-waarschuwingen")
    dataset = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    with httpx.Client(base_url=server.url, timeout=30) as http:
        page = http.get("/kwaliteit", params={"lang": "en"}, headers={"Accept": "text/html"}).text
        for version in ("1.0.0", "1.1.0"):
            response = http.get(f"/releases/{version}/quality.ttl")
            assert response.status_code == 200 and "immutable" in response.headers["cache-control"]
            frozen = rdflib.Graph().parse(data=response.text, format="turtle")
            total = next(frozen.value(m, dqv.value) for m in frozen.subjects(dqv.isMeasurementOf, warnings)
                         if frozen.value(m, dqv.computedOn) == dataset and "/shape/" not in str(m))
            assert f'<a href="/releases/{version}/">{version}</a>' in page
            assert f'<td data-label="{version}" class="num">{total}</td>' in page
            assert http.get(f"/releases/{version}/validation-report.ttl").status_code == 200


def test_datacite_metadata_validates_and_says_what_the_release_is(server: Server, released: Settings) -> None:
    frozen = manifest(released, "1.0.0")
    with httpx.Client(base_url=server.url, timeout=30) as http:
        data = http.get("/releases/1.0.0/datacite.json")
        xml = http.get("/releases/1.0.0/datacite.xml")
        landing = http.get("/releases/1.0.0/")
    assert data.headers["content-type"].startswith("application/vnd.datacite.datacite+json")
    assert xml.headers["content-type"].startswith("application/vnd.datacite.datacite+xml")
    assert 'rel="describedby"' in landing.headers["link"]
    metadata = data.json()
    assert schema45.validate(metadata), list(schema45.validator.iter_errors(metadata))
    assert metadata["version"] == "1.0.0" and metadata["publicationYear"] == str(frozen["issued"])[:4]
    assert metadata["url"] == f"{BASE}/releases/1.0.0/"
    abstracts = {d["lang"]: d["description"] for d in metadata["descriptions"] if d["descriptionType"] == "Abstract"}
    assert abstracts == frozen["note"]
    parts = {r["relatedIdentifier"] for r in metadata["relatedIdentifiers"] if r["relationType"] == "HasPart"}
    assert parts == {f"{BASE}/releases/1.0.0/{name}" for name in frozen["files"]}  # type: ignore[union-attr]
    # The XML is the same record in the DataCite kernel-4 namespace.
    root = etree.fromstring(xml.content)
    ns = {"d": "http://datacite.org/schema/kernel-4"}
    assert root.findtext("d:version", namespaces=ns) == "1.0.0"
    assert [t.text for t in root.findall("d:titles/d:title", ns)] == [t["title"] for t in metadata["titles"]]
    assert root.findtext("d:creators/d:creator/d:creatorName", namespaces=ns) == metadata["creators"][0]["name"]
    assert xml.content == schema45.tostring(metadata).encode("utf-8")

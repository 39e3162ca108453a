"""The served DCAT-AP catalogue: official DCAT-AP 3.0.1 shapes, real dumps, data-driven facts.

The shapes are SEMIC's own files, copied into ``tests/fixtures/dcat-ap/3.0.1/`` (see its
README). ``mdr-vocabularies.shape.ttl`` is the one DCAT-AP shape file not used: it checks
values against the EU controlled vocabularies, which must be loaded from the Publications
Office and cannot be fetched offline.
"""

from __future__ import annotations

import gzip
import hashlib
from typing import Callable

import httpx
import pyshacl
import pytest
import rdflib
import rdflib.compare
from conftest import live_build
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from kg.artefacts.catalog import load_metadata, publisher_triples
from kg.artefacts.layout import Names
from kg.settings import PROJECT_ROOT, Settings
from kg.store.graph_store import GraphStore

SHAPES = PROJECT_ROOT / "tests" / "fixtures" / "dcat-ap" / "3.0.1"
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
BASE = "https://data.lokaalcirculair.be"


@pytest.fixture(scope="module")
def served(server: object) -> rdflib.Graph:
    """The catalogue as a harvester gets it: GET /catalog with a Turtle Accept header."""
    response = httpx.get(f"{server.url}/catalog", headers={"Accept": "text/turtle"}, timeout=30)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.text, format="turtle")


def _shapes(*files: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in files:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def _results(data: rdflib.Graph, shapes: rdflib.Graph) -> list[tuple[str, str, str, str]]:
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for result in report.subjects(RDF.type, sh.ValidationResult):
        out.append((
            str(report.value(result, sh.resultSeverity)),
            str(report.value(result, sh.focusNode)),
            str(report.value(result, sh.resultPath)),
            str(report.value(result, sh.resultMessage)),
        ))
    return out


def test_no_violations_of_the_mandatory_and_range_shapes(served: rdflib.Graph) -> None:
    results = _results(served, _shapes("shapes.ttl", "range.ttl"))
    assert results == []


def test_no_warnings_for_recommended_properties(served: rdflib.Graph) -> None:
    results = _results(served, _shapes("shapes_recommended.ttl", "deprecateduris.ttl"))
    assert results == []


def test_all_shapes_together_conform(served: rdflib.Graph) -> None:
    conforms, _report, text = pyshacl.validate(
        served, shacl_graph=_shapes("shapes.ttl", "range.ttl", "shapes_recommended.ttl", "deprecateduris.ttl"),
        inference="none", advanced=True, allow_warnings=False,
    )
    assert conforms, text


def test_the_shapes_are_live(served: rdflib.Graph) -> None:
    """A catalogue with its publisher's name and a distribution's access URL removed must
    fail: the test above is not passing because the shapes target nothing."""
    broken = rdflib.Graph()
    for triple in served:
        broken.add(triple)
    broken.remove((None, FOAF.name, None))
    broken.remove((None, DCAT.accessURL, None))
    paths = {r[2] for r in _results(broken, _shapes("shapes.ttl", "range.ttl"))}
    assert str(FOAF.name) in paths and str(DCAT.accessURL) in paths


def test_every_dump_is_a_distribution_with_the_real_size_and_checksum(
    served: rdflib.Graph, built_store: Settings, http: httpx.Client
) -> None:
    dumps = live_build(built_store) / "artefacts" / "dumps"
    seen = set()
    for dist in served.subjects(RDF.type, DCAT.Distribution):
        url = served.value(dist, DCAT.downloadURL)
        if url is None or str(url) == f"{BASE}/kwaliteit/validatierapport.ttl":  # the SHACL report (test_quality.py)
            continue
        assert str(url).startswith(f"{BASE}/dumps/")
        name = str(url).rsplit("/", 1)[-1]
        seen.add(name)
        body = http.get(f"/dumps/{name}").content  # the canonical URL mapped onto this server
        size = served.value(dist, DCAT.byteSize)
        assert size.datatype == XSD.nonNegativeInteger and int(size) == len(body) == (dumps / name).stat().st_size
        checksum = served.value(dist, SPDX.checksum)
        assert served.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = served.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary and str(value) == hashlib.sha256(body).hexdigest()
        assert served.value(dist, DCTERMS.license) == rdflib.URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
        media = str(served.value(dist, DCAT.mediaType))
        if name.endswith(".gz"):
            assert str(served.value(dist, DCAT.compressFormat)).endswith("/application/gzip")
            assert gzip.decompress(body)
        assert media.startswith("http://www.iana.org/assignments/media-types/")
    assert seen == {p.name for p in dumps.iterdir() if not p.name.endswith(".sha256")}


def test_services_conform_to_their_specifications(served: rdflib.Graph) -> None:
    services = {str(served.value(s, DCAT.endpointURL)): s for s in served.subjects(RDF.type, DCAT.DataService)}
    assert set(services) == {f"{BASE}/sparql", f"{BASE}/ldes"}
    sparql, ldes = services[f"{BASE}/sparql"], services[f"{BASE}/ldes"]
    assert rdflib.URIRef("https://www.w3.org/TR/sparql11-protocol/") in set(served.objects(sparql, DCTERMS.conformsTo))
    assert rdflib.URIRef("https://w3id.org/ldes/specification") in set(served.objects(ldes, DCTERMS.conformsTo))
    dataset = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    for service in (sparql, ldes):
        assert served.value(service, DCAT.servesDataset) == dataset
        assert served.value(service, DCAT.endpointDescription) is not None


def test_publisher_and_contact_point_are_settings_with_the_project_team_by_default(served: rdflib.Graph) -> None:
    # Who publishes a deployment is not a fact of the sources (issue 17): no organisation of the
    # data is named as publisher; by default the project team, with the service as contact point.
    catalog = rdflib.URIRef(f"{BASE}/id/catalogus/lokaalcirculair")
    publisher = served.value(catalog, DCTERMS.publisher)
    assert publisher == rdflib.URIRef("https://data.lokaalcirculair.be/ns/circulair#projectteam")
    assert set(served.objects(None, DCTERMS.publisher)) == {publisher}
    assert rdflib.Literal("Projectteam Lokaal Circulair-kennisgraaf", lang="nl") in set(served.objects(publisher, FOAF.name))
    assert served.value(publisher, DCTERMS.type) == rdflib.URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")
    contact = served.value(catalog, DCAT.contactPoint)
    assert served.value(contact, VCARD.hasEmail) is None
    assert served.value(contact, VCARD.hasURL) is not None


def test_the_publisher_settings_are_honoured() -> None:
    settings = Settings(publisher_iri="https://www.vvsg.be/", publisher_name="VVSG", publisher_name_en="Association of Flemish Cities and Municipalities",
                        publisher_url="https://www.vvsg.be/", publisher_type="http://purl.org/adms/publishertype/NonGovernmentalOrganisation",
                        contact_email="info@example.be")
    names = Names.of(settings)
    graph = {(str(t.subject), str(t.predicate), str(t.object)) for t in publisher_triples(settings, names, load_metadata(names))}
    vvsg, dct, foaf = "<https://www.vvsg.be/>", "<http://purl.org/dc/terms/", "<http://xmlns.com/foaf/0.1/"
    assert (f"<{names.catalog.value}>", dct + "publisher>", vvsg) in graph
    assert (f"<{names.dataset.value}>", dct + "publisher>", vvsg) in graph
    assert (vvsg, foaf + "name>", '"VVSG"@nl') in graph
    assert (vvsg, dct + "type>", "<http://purl.org/adms/publishertype/NonGovernmentalOrganisation>") in graph
    assert (f"<{names.catalog.value}#contactpunt>", "<http://www.w3.org/2006/vcard/ns#hasEmail>", "<mailto:info@example.be>") in graph


def test_dates_and_temporal_coverage_come_from_the_data(
    served: rdflib.Graph, built_store: Settings, opened_store: Callable[[Settings], GraphStore],
) -> None:
    dataset = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
    issued, modified = served.value(dataset, DCTERMS.issued), served.value(dataset, DCTERMS.modified)
    assert issued.datatype == XSD.dateTime and modified.datatype == XSD.dateTime and str(issued) <= str(modified)
    period = served.value(dataset, DCTERMS.temporal)
    start, end = served.value(period, DCAT.startDate), served.value(period, DCAT.endDate)
    store = opened_store(built_store)
    rows = store.select("PREFIX schema: <http://schema.org/> SELECT (MIN(STR(?d)) AS ?a) WHERE { ?s schema:startDate ?d }")
    assert str(start) == rows[0]["a"].value
    assert str(start) <= str(end)


def test_no_artefact_mentions_a_local_address(built_store: Settings) -> None:
    artefacts = live_build(built_store) / "artefacts"
    for path in artefacts.rglob("*"):
        if path.is_file() and not path.name.endswith(".gz"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "localhost" not in text and "127.0.0.1" not in text, path


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/n-triples", "application/n-triples", "nt"),
])
def test_other_formats_hold_the_same_graph(served: rdflib.Graph, http: httpx.Client, accept: str, media: str, fmt: str) -> None:
    response = http.get("/catalog", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert "Accept" in response.headers["vary"]
    other = rdflib.Graph().parse(data=response.content, format=fmt)
    assert rdflib.compare.isomorphic(other, served)


def test_browsers_get_html_with_links_to_the_dumps(http: httpx.Client) -> None:
    response = http.get("/catalog", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert 'href="/dumps/lokaalcirculair.nt.gz"' in response.text


def test_suffix_and_format_parameter(http: httpx.Client) -> None:
    assert http.get("/catalog.ttl").headers["content-type"].startswith("text/turtle")
    assert http.get("/catalog?format=jsonld").headers["content-type"].startswith("application/ld+json")
    assert http.get("/catalog", headers={"Accept": "image/png"}).status_code == 406


def test_catalogue_things_redirect_to_the_catalogue(http: httpx.Client) -> None:
    for path in ("/id/dataset/lokaalcirculair", "/id/catalogus/lokaalcirculair", "/id/dataservice/sparql"):
        response = http.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/catalog"


"""Data quality as data (W3C DQV): the measurements of the real data against independent counts.

The shared real server (``server``): every measurement in ``/kwaliteit`` must equal what this
test computes itself, by its own SPARQL through ``/sparql`` (completeness, links, translations,
freshness) or from the build's SHACL report as served (``/kwaliteit/validatierapport.ttl``);
the catalogue must link the measurements from the dataset and list the report as a
distribution; the page shows them in one language per page.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

import httpx
import pytest
import rdflib
from rdflib.namespace import RDF, SKOS, XSD

DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
BASE = "https://data.lokaalcirculair.be"
DATASET = rdflib.URIRef(f"{BASE}/id/dataset/lokaalcirculair")
PREFIXES = """PREFIX circ: <https://data.lokaalcirculair.be/ns/circulair#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

#: Each share as this test counts it: (all things, the condition one of them passes).
SHARES = {
    "praktijken-met-thema": ("?x a circ:Praktijk", "?x circ:thema ?t"),
    "praktijken-met-gemeente": ("?x a circ:Praktijk",
                                "{ ?x dct:spatial ?g } UNION { ?x prov:wasAssociatedWith ?o . ?o besluit:werkingsgebied ?g } ?g a circ:Gemeente"),
    "praktijken-met-startdatum": ("?x a circ:Praktijk", "?x schema:startDate ?d"),
    "praktijken-met-actor": ("?x a circ:Praktijk", "?x prov:wasAssociatedWith ?a"),
    "praktijken-met-bron": ("?x a circ:Praktijk", "?x prov:wasDerivedFrom ?b"),
    "gemeenten-gekoppeld": ("?x a circ:Gemeente",
                            '?x owl:sameAs ?s FILTER(STRSTARTS(STR(?s), "https://data.vlaanderen.be/id/gemeente/"))'),
    "organisaties-met-website": ("?x a org:Organization", "?x foaf:homepage ?h"),
}


def sparql(http: httpx.Client, query: str) -> list[dict[str, str]]:
    response = http.get("/sparql", params={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def count(http: httpx.Client, where: str) -> int:
    return int(sparql(http, f"SELECT (COUNT(DISTINCT ?x) AS ?c) WHERE {{ {where} }}")[0]["c"])


@pytest.fixture(scope="module")
def quality(server: object) -> rdflib.Graph:
    response = httpx.get(f"{server.url}/kwaliteit", headers={"Accept": "text/turtle"}, timeout=30)  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=response.text, format="turtle")


def on_dataset(graph: rdflib.Graph) -> dict[str, rdflib.Literal]:
    """Metric key → value of its measurement on the whole dataset (not per kind or shape)."""
    out = {}
    for m in graph.subjects(DQV.computedOn, DATASET):
        if graph.value(m, SH.sourceShape) is None:
            out[str(graph.value(m, DQV.isMeasurementOf)).rsplit("/", 1)[-1]] = graph.value(m, DQV.value)
    return out


@pytest.mark.parametrize("key", sorted(SHARES))
def test_each_share_equals_an_independent_count(quality: rdflib.Graph, http: httpx.Client, key: str) -> None:
    things, passes = SHARES[key]
    n, k = count(http, things), count(http, f"{things} . {passes}")
    assert n > 0
    value = on_dataset(quality)[key]
    assert value.datatype == XSD.decimal
    assert float(value) == pytest.approx(k / n, abs=0.00005)


def test_translation_coverage_equals_an_independent_count(quality: rdflib.Graph, http: httpx.Client) -> None:
    pairs = sparql(http, f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p ?o
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}/id/") && ?p != rdfs:label && LANG(?o) = "nl") }}""")
    english = sparql(http, f"""SELECT DISTINCT ?s ?p WHERE {{ ?s ?p ?o
        FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}/id/") && ?p != rdfs:label && LANG(?o) = "en") }}""")
    dutch = {(r["s"], r["p"]) for r in pairs}
    both = dutch & {(r["s"], r["p"]) for r in english}
    assert float(on_dataset(quality)["vertaalde-teksten"]) == pytest.approx(len(both) / len(dutch), abs=0.00005)


def test_freshness_equals_the_record_dates(quality: rdflib.Graph, http: httpx.Client) -> None:
    dates = sparql(http, f"""SELECT ?d WHERE {{ ?r dct:modified ?d FILTER(STRSTARTS(STR(?r), "{BASE}/id/")) }}""")
    days = sorted(date.fromisoformat(r["d"][:10]) for r in dates)
    measured = next(iter(quality.objects(None, rdflib.URIRef("http://www.w3.org/ns/prov#generatedAtTime")))).toPython().date()
    values = on_dataset(quality)
    assert int(values["dagen-sinds-nieuwste-wijziging"]) == (measured - days[-1]).days
    assert int(values["dagen-sinds-oudste-wijziging"]) == (measured - days[0]).days


def test_shacl_counts_equal_the_served_report(quality: rdflib.Graph, http: httpx.Client) -> None:
    report = rdflib.Graph().parse(data=http.get("/kwaliteit/validatierapport.ttl").text, format="turtle")
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    severity = Counter(str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1] for r in results)
    values = on_dataset(quality)
    assert int(values["shacl-schendingen"]) == severity["Violation"] == 0
    assert int(values["shacl-waarschuwingen"]) == severity["Warning"] > 0
    warnings = [r for r in results if report.value(r, SH.resultSeverity) == SH.Warning]
    per_shape = Counter(str(report.value(r, SH.sourceShape)) for r in warnings)
    per_kind = Counter(str(report.value(r, SH.focusNode)).split("/id/", 1)[1].split("/", 1)[0] for r in warnings)
    measured_shape, measured_kind = {}, {}
    for m in quality.subjects(DQV.isMeasurementOf, rdflib.URIRef(f"{BASE}/id/kwaliteitsmetriek/shacl-waarschuwingen")):
        shape = quality.value(m, SH.sourceShape)
        if shape is not None:
            measured_shape[str(shape)] = int(quality.value(m, DQV.value))
        elif "/soort/" in str(m):
            measured_kind[str(m).rsplit("/", 1)[-1]] = int(quality.value(m, DQV.value))
    assert measured_shape == dict(per_shape)
    assert {k: v for k, v in measured_kind.items() if v} == dict(per_kind)


def test_every_metric_is_defined_in_both_languages_with_a_dimension(quality: rdflib.Graph) -> None:
    metrics = set(quality.subjects(RDF.type, DQV.Metric))
    assert len(metrics) == 12
    for metric in metrics:
        assert {lit.language for lit in quality.objects(metric, SKOS.prefLabel)} == {"nl", "en"}
        assert {lit.language for lit in quality.objects(metric, SKOS.definition)} == {"nl", "en"}
        assert str(quality.value(metric, DQV.inDimension)).startswith("http://www.w3.org/2016/05/ldqd#")
    for m in quality.subjects(RDF.type, DQV.QualityMeasurement):
        assert quality.value(m, DQV.isMeasurementOf) in metrics and quality.value(m, DQV.value) is not None


def test_the_catalogue_links_the_measurements_and_the_report(quality: rdflib.Graph, http: httpx.Client) -> None:
    catalog = rdflib.Graph().parse(data=http.get("/catalog", headers={"Accept": "text/turtle"}).text, format="turtle")
    linked = set(catalog.objects(DATASET, DQV.hasQualityMeasurement))
    expected = {m for m in quality.subjects(DQV.computedOn, DATASET) if quality.value(m, SH.sourceShape) is None}
    assert linked == expected and len(linked) == 12
    for m in linked:
        assert catalog.value(m, DQV.value) == quality.value(m, DQV.value)
    dist = rdflib.URIRef(f"{BASE}/id/distributie/lokaalcirculair-validatierapport")
    assert (DATASET, DCAT.distribution, dist) in catalog
    assert str(catalog.value(dist, DCAT.downloadURL)) == f"{BASE}/kwaliteit/validatierapport.ttl"
    body = http.get("/kwaliteit/validatierapport.ttl").content
    assert str(catalog.value(catalog.value(dist, SPDX.checksum), SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
    assert int(catalog.value(dist, DCAT.byteSize)) == len(body)


def test_the_page_in_each_language(quality: rdflib.Graph, http: httpx.Client) -> None:
    en = http.get("/kwaliteit", params={"lang": "en"}, headers={"Accept": "text/html"})
    nl = http.get("/kwaliteit", params={"lang": "nl"}, headers={"Accept": "text/html"})
    assert en.status_code == nl.status_code == 200
    for metric in quality.subjects(RDF.type, DQV.Metric):
        label = {lit.language: str(lit) for lit in quality.objects(metric, SKOS.prefLabel)}
        assert label["en"] in en.text and label["nl"] in nl.text
        assert f'id="{str(metric).rsplit("/", 1)[-1]}"' in en.text
    assert "Practices with a theme" not in nl.text and "Praktijken met een thema" not in en.text
    redirect = http.get("/id/kwaliteitsmetriek/praktijken-met-thema")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/kwaliteit#praktijken-met-thema"

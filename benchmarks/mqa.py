"""Score the DCAT-AP catalogue with the Metadata Quality Assessment (MQA) of data.europa.eu.

Usage::

    .venv/bin/python benchmarks/mqa.py --server http://127.0.0.1:8000 [--public https://data.lokaalcirculair.be]

Fetches ``/catalog`` (Turtle) from the running server, and scores every ``dcat:Dataset`` in it
(the live dataset and every release) on the MQA's five dimensions, 405 points in all
(Excellent from 351, Good from 221, Sufficient from 121):

* Findability (100): ``dcat:keyword`` 30, ``dcat:theme`` 30, ``dct:spatial`` 20, ``dct:temporal`` 20;
* Accessibility (100): access URL answers 50, ``dcat:downloadURL`` given 20, download URL answers 30;
* Interoperability (110): ``dct:format`` 20, ``dcat:mediaType`` 10, format and media type from their
  vocabularies 10, non-proprietary format 20, machine-readable format 20, DCAT-AP compliance 30;
* Reusability (75): ``dct:license`` 20, licence from the EU vocabulary 10, ``dct:accessRights`` 10,
  access rights from the EU vocabulary 5, ``dcat:contactPoint`` 20, ``dct:publisher`` 10;
* Contextuality (20): ``dct:rights`` 5, ``dcat:byteSize`` 5, ``dct:issued`` 5, ``dct:modified`` 5.

A distribution-level indicator earns its weight times the share of the dataset's distributions
that have it (stricter than "any distribution has it"). The HTTP checks GET each access and
download URL, the public base (``--public``) mapped onto ``--server`` (said in the output); a
status below 400 counts as reachable. DCAT-AP compliance is checked with SEMIC's DCAT-AP 3.0.1
shapes (``shapes.ttl`` + ``range.ttl`` from ``tests/fixtures/dcat-ap/3.0.1``), where data.europa.eu
uses its own validator service. The lists of non-proprietary and machine-readable formats are a
local approximation of data.europa.eu's (the EU file-type vocabulary's open RDF, JSON and geo
formats, below); a format missing from them loses points rather than gaining them. Prints a
table per dataset with every point not earned and why, then the mean.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyshacl
import rdflib
from rdflib.namespace import DCAT, DCTERMS, RDF

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "tests" / "fixtures" / "dcat-ap" / "3.0.1"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "http://www.iana.org/assignments/media-types/"
LICENCES = "http://publications.europa.eu/resource/authority/licence/"
ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
#: EU file types counted as non-proprietary and as machine-readable (local approximation, see above).
OPEN_FORMATS = {f"{FILE_TYPE}{name}" for name in (
    "RDF_N_QUADS", "RDF_N_TRIPLES", "RDF_TURTLE", "RDF_TRIG", "RDF_XML", "JSON_LD", "JSON", "GEOJSON", "CSV", "XML")}
MACHINE_READABLE = OPEN_FORMATS


@dataclass
class Score:
    dataset: str
    points: dict[str, float] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)

    def add(self, dimension: str, indicator: str, weight: float, share: float, why: str = "") -> None:
        self.points[f"{dimension}: {indicator}"] = weight * share
        if share < 1:
            self.lost.append(f"{dimension}: {indicator}: {weight * (1 - share):.2f} of {weight} lost ({why})")

    @property
    def total(self) -> float:
        return sum(self.points.values())


def reachable(client: httpx.Client, url: str, public: str, server: str) -> bool:
    local = server + url[len(public):] if url.startswith(public) else url
    try:
        return client.get(local).status_code < 400
    except httpx.HTTPError:
        return False


def share(dists: list[rdflib.term.Node], test: object) -> float:
    return sum(1 for d in dists if test(d)) / len(dists) if dists else 0.0  # type: ignore[operator]


def missing(graph: rdflib.Graph, dists: list[rdflib.term.Node], test: object) -> str:
    names = [str(graph.value(d, DCTERMS.identifier) or d) for d in dists if not test(d)]  # type: ignore[operator]
    return "not on " + ", ".join(names) if names else ""


def score(graph: rdflib.Graph, dataset: rdflib.term.Node, compliant: bool, client: httpx.Client, public: str, server: str) -> Score:
    s = Score(str(dataset))
    has = lambda p: graph.value(dataset, p) is not None  # noqa: E731
    s.add("F", "dcat:keyword", 30, float(has(DCAT.keyword)), "no keyword")
    s.add("F", "dcat:theme", 30, float(has(DCAT.theme)), "no theme")
    s.add("F", "dct:spatial", 20, float(has(DCTERMS.spatial)), "no spatial coverage")
    s.add("F", "dct:temporal", 20, float(has(DCTERMS.temporal)), "no temporal coverage")
    dists = sorted(graph.objects(dataset, DCAT.distribution), key=str)
    access = {d: reachable(client, str(graph.value(d, DCAT.accessURL)), public, server) for d in dists}
    download = {d: graph.value(d, DCAT.downloadURL) for d in dists}
    checks = [
        ("A", "access URL answers", 50, lambda d: access[d]),
        ("A", "dcat:downloadURL", 20, lambda d: download[d] is not None),
        ("A", "download URL answers", 30, lambda d: download[d] is not None and reachable(client, str(download[d]), public, server)),
        ("I", "dct:format", 20, lambda d: graph.value(d, DCTERMS["format"]) is not None),
        ("I", "dcat:mediaType", 10, lambda d: graph.value(d, DCAT.mediaType) is not None),
        ("I", "format/media type from vocabulary", 10, lambda d: str(graph.value(d, DCTERMS["format"]) or "").startswith(FILE_TYPE)
         and str(graph.value(d, DCAT.mediaType) or "").startswith(IANA)),
        ("I", "non-proprietary format", 20, lambda d: str(graph.value(d, DCTERMS["format"])) in OPEN_FORMATS),
        ("I", "machine-readable format", 20, lambda d: str(graph.value(d, DCTERMS["format"])) in MACHINE_READABLE),
        ("R", "dct:license", 20, lambda d: graph.value(d, DCTERMS.license) is not None),
        ("R", "licence from vocabulary", 10, lambda d: str(graph.value(d, DCTERMS.license) or "").startswith(LICENCES)),
        ("C", "dct:rights", 5, lambda d: graph.value(d, DCTERMS.rights) is not None),
        ("C", "dcat:byteSize", 5, lambda d: graph.value(d, DCAT.byteSize) is not None),
    ]
    for dimension, indicator, weight, test in checks:
        s.add(dimension, indicator, weight, share(dists, test), missing(graph, dists, test))
    s.add("I", "DCAT-AP compliance", 30, float(compliant), "the catalogue violates a DCAT-AP 3.0.1 shape")
    rights = graph.value(dataset, DCTERMS.accessRights)
    s.add("R", "dct:accessRights", 10, float(rights is not None), "no access rights")
    s.add("R", "access rights from vocabulary", 5, float(str(rights or "").startswith(ACCESS)), "not an EU access-right")
    s.add("R", "dcat:contactPoint", 20, float(has(DCAT.contactPoint)), "no contact point")
    s.add("R", "dct:publisher", 10, float(has(DCTERMS.publisher)), "no publisher")
    s.add("C", "dct:issued", 5, float(has(DCTERMS.issued)), "no issue date")
    s.add("C", "dct:modified", 5, float(has(DCTERMS.modified)), "no modification date")
    return s


def rating(points: float) -> str:
    return "Excellent" if points >= 351 else "Good" if points >= 221 else "Sufficient" if points >= 121 else "Bad"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="the running `kg serve`, e.g. http://127.0.0.1:8000")
    parser.add_argument("--public", default="https://data.lokaalcirculair.be", help="the public base the catalogue's URLs use")
    args = parser.parse_args()
    server, public = args.server.rstrip("/"), args.public.rstrip("/")
    with httpx.Client(timeout=60) as client:
        graph = rdflib.Graph().parse(data=client.get(f"{server}/catalog", headers={"Accept": "text/turtle"}).text, format="turtle")
        shapes = rdflib.Graph()
        for name in ("shapes.ttl", "range.ttl"):
            shapes.parse(SHAPES / name, format="turtle")
        compliant = bool(pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True)[0])
        print(f"Catalogue {server}/catalog; URLs under {public} fetched from {server}; DCAT-AP 3.0.1 compliant: {compliant}")
        scores = [score(graph, d, compliant, client, public, server) for d in sorted(graph.subjects(RDF.type, DCAT.Dataset), key=str)]
    for s in scores:
        print(f"\n{s.dataset}: {s.total:.2f} of 405 ({rating(s.total)})")
        for line in s.lost:
            print(f"  - {line}")
    mean = sum(s.total for s in scores) / len(scores)
    print(f"\nMean over {len(scores)} datasets: {mean:.2f} of 405 ({rating(mean)})")


if __name__ == "__main__":
    main()

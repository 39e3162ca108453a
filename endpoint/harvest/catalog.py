"""``/catalog``: the DCAT-AP 3 catalogue of the knowledge graph, and where its things point.

The catalogue's own things (catalogue, dataset, distributions, data services) have IRIs
under ``/id/``; they are described by the catalogue document, so those IRIs answer
``303 See Other`` to it (Flemish URI standard). The HTML view lists the distributions with
size and checksum and the data services with the standards they conform to.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from endpoint.harvest.answers import local
from endpoint.harvest.dataset_documents import Described, rdf_document
from endpoint.harvest.router import router
from kg.artefacts.layout import CATALOG, Names
from kg.namespaces import DCAT, DCT, SPDX


@router.api_route("/catalog", methods=["GET", "HEAD"], summary="DCAT-AP 3 catalogue")
def catalog(request: Request) -> Response:
    """The DCAT-AP 3 catalogue of the knowledge graph (Turtle, JSON-LD, RDF/XML, N-Triples, HTML)."""
    return rdf_document(request, CATALOG, "/catalog", None, "catalog.html", catalog_view)


@router.api_route("/catalog.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
def catalog_suffix(request: Request, suffix: str) -> Response:
    return rdf_document(request, CATALOG, "/catalog", suffix, "catalog.html", catalog_view)


def _to_catalog() -> Response:
    """The catalogue's own things are described by the catalogue document: ``303 See Other`` to it."""
    return RedirectResponse("/catalog", status_code=303, headers={"Vary": "Accept"})


# Exact paths for the two things whose concept the pages also serve (/id/dataset/… could be
# another dataset there); the distributions and data services are only ever ours.
for _path in ("/id/catalogus/lokaalcirculair", "/id/dataset/lokaalcirculair", "/id/distributie/{ref}", "/id/dataservice/{ref}"):
    router.add_api_route(_path, _to_catalog, methods=["GET", "HEAD"], include_in_schema=False)


def catalog_view(doc: Described, names: Names) -> dict[str, Any]:
    """The catalogue's distributions, data services, keywords (per language) and dates."""
    ds = names.dataset.value
    keywords: dict[str, list[str]] = {}  # per language ("" untagged): a page shows its own language's
    for v in doc.get(ds, DCAT.keyword):
        code = (v.language or "") if isinstance(v, ox.Literal) else ""
        keywords.setdefault(code, []).append(_literal(v))
    keywords = {code: sorted(words) for code, words in keywords.items()}
    return {
        "distributions": [_distribution(doc, names, dist) for dist in sorted(v.value for v in doc.get(ds, DCAT.distribution))],
        "services": [_service(doc, names, s) for s in sorted(v.value for v in doc.get(names.catalog.value, DCAT.service))],
        "keywords": keywords,
        "modified": doc.text(ds, DCT.modified),
        "issued": doc.text(ds, DCT.issued),
    }


def _distribution(doc: Described, names: Names, dist: str) -> dict[str, Any]:
    url = doc.first(dist, DCAT.downloadURL) or doc.first(dist, DCAT.accessURL)
    checksum = doc.first(dist, SPDX.checksum)
    size = doc.text(dist, DCAT.byteSize)
    media = doc.first(dist, DCAT.mediaType)
    return {
        "title_nl": doc.text(dist, DCT.title, "nl"), "title_en": doc.text(dist, DCT.title, "en"),
        "href": local(url.value, names.public) if url is not None else "",
        "media": media.value.rsplit("media-types/", 1)[-1] if media is not None else "",
        "size": int(size) if size else None,
        "sha256": doc.text(checksum.value, SPDX.checksumValue) if checksum is not None else "",
    }


def _service(doc: Described, names: Names, service: str) -> dict[str, Any]:
    endpoint = doc.first(service, DCAT.endpointURL)
    return {
        "title_nl": doc.text(service, DCT.title, "nl"), "title_en": doc.text(service, DCT.title, "en"),
        "href": local(endpoint.value, names.public) if endpoint is not None else "",
        "standards": [v.value for v in doc.get(service, DCT.conformsTo)],
    }


def _literal(value: Any) -> str:
    return value.value if isinstance(value, ox.Literal) else str(value)

"""``/.well-known/void``: the VoID description of the live build, with its statistics.

The HTML view shows the counts, the class and property partitions (largest first), the
vocabularies and example resources, linked to this server's own documents.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from endpoint.harvest.answers import local
from endpoint.harvest.dataset_documents import Described, rdf_document
from endpoint.harvest.router import router
from kg.artefacts.layout import VOID, Names
from kg.namespaces import VOID as VOID_NS

#: The statistics of the dataset shown on the page.
STATISTICS = ("triples", "entities", "distinctSubjects", "distinctObjects", "classes", "properties")


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], summary="VoID description")
def void(request: Request) -> Response:
    """The VoID description with statistics of the live build."""
    return rdf_document(request, VOID, "/.well-known/void", None, "void.html", void_view)


@router.api_route("/.well-known/void.{suffix}", methods=["GET", "HEAD"], include_in_schema=False)
def void_suffix(request: Request, suffix: str) -> Response:
    return rdf_document(request, VOID, "/.well-known/void", suffix, "void.html", void_view)


def void_view(doc: Described, names: Names) -> dict[str, Any]:
    """Statistics, partitions, vocabularies and examples of the dataset."""
    ds = names.dataset.value
    classes = []
    for node in doc.get(ds, VOID_NS.classPartition):
        cls = doc.first(node.value, VOID_NS["class"])
        classes.append((cls.value if cls is not None else "", int(doc.text(node.value, VOID_NS.entities) or 0)))
    properties = []
    for node in doc.get(ds, VOID_NS.propertyPartition):
        prop = doc.first(node.value, VOID_NS.property)
        properties.append((prop.value if prop is not None else "", int(doc.text(node.value, VOID_NS.triples) or 0)))
    return {
        "stats": {p: doc.text(ds, VOID_NS[p]) for p in STATISTICS},
        "classes": sorted(classes, key=lambda x: -x[1]),
        "properties": sorted(properties, key=lambda x: -x[1]),
        "vocabularies": sorted(v.value for v in doc.get(ds, VOID_NS.vocabulary)),
        "examples": [local(v.value.replace("/id/", "/doc/", 1), names.base) for v in doc.get(ds, VOID_NS.exampleResource)],
    }

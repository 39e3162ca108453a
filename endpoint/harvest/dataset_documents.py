"""The two documents that describe the dataset as a whole: the DCAT catalogue and the VoID description.

Both are RDF files of the build (``catalog.ttl``/``.jsonld``/``.rdf``/``.nt``, ``void.…``),
served as they are for code, and shown to people as an HTML view made from the document's
own triples (:class:`Described` reads them), so the page can never say something the RDF
does not. :mod:`endpoint.harvest.catalog` and :mod:`endpoint.harvest.void` add what each
view shows beyond the dataset's title and description.
"""

from __future__ import annotations

from typing import Any, Callable

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from endpoint.errors import HTTPProblem
from endpoint.harvest.answers import (
    SHORT,
    artefacts_of,
    choose,
    format_alternates,
    html_response,
    render_view,
    serve_file,
    settings_of,
)
from kg.artefacts.layout import Names
from kg.artefacts.reader import ArtefactReader
from kg.media import HTML, JSONLD, NTRIPLES, RDFXML, TURTLE, Format
from kg.namespaces import DCT
from kg.terms import term_value

#: Representations of the catalogue and the VoID description; RDF first for ``*/*``.
DOCUMENT_OFFERS: tuple[Format, ...] = (TURTLE, JSONLD, RDFXML, NTRIPLES, HTML)
_SUFFIX_OF = {TURTLE: "ttl", JSONLD: "jsonld", RDFXML: "rdf", NTRIPLES: "nt"}


class Described:
    """The triples of a document by subject and predicate, with the questions a view asks."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.triples = triples
        self._props: dict[str, dict[str, list[Any]]] = {}
        for t in triples:
            self._props.setdefault(term_value(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)

    def get(self, subject: str, predicate: ox.NamedNode) -> list[Any]:
        """Every object of (subject, predicate)."""
        return self._props.get(subject, {}).get(predicate.value, [])

    def subjects(self, predicate: ox.NamedNode, obj: str) -> list[str]:
        """Every subject with ``obj`` (an IRI) as an object of ``predicate``, in order."""
        return sorted(s for s, props in self._props.items()
                      if any(getattr(o, "value", None) == obj for o in props.get(predicate.value, [])))

    def first(self, subject: str, predicate: ox.NamedNode) -> Any | None:
        found = self.get(subject, predicate)
        return found[0] if found else None

    def text(self, subject: str, predicate: ox.NamedNode, lang: str = "") -> str:
        """The literal in ``lang`` if there is one, else any literal, else ``""``."""
        return text_of(self.get(subject, predicate), lang)


def text_of(values: list[Any], lang: str) -> str:
    for value in values:
        if isinstance(value, ox.Literal) and value.language == lang:
            return value.value
    for value in values:
        if isinstance(value, ox.Literal):
            return value.value
    return ""


def dataset_view(doc: Described, names: Names) -> dict[str, Any]:
    """What both views show: the dataset, its title and description in both languages."""
    ds = names.dataset.value
    return {
        "public": names.public,
        "title_nl": doc.text(ds, DCT.title, "nl"),
        "title_en": doc.text(ds, DCT.title, "en"),
        "description_nl": doc.text(ds, DCT.description, "nl"),
        "description_en": doc.text(ds, DCT.description, "en"),
        "dataset": ds,
    }


ViewModel = Callable[[Described, Names], "dict[str, Any]"]


def rdf_document(request: Request, stem: str, path: str, fmt_name: str | None, template: str, view: ViewModel) -> Response:
    """The document ``{stem}.*`` of the build in the format asked for, or its HTML view."""
    chosen = choose(request, DOCUMENT_OFFERS, fmt_name)
    artefacts = artefacts_of(request)
    headers = {"Vary": "Accept", "Link": format_alternates(path, DOCUMENT_OFFERS)}
    if chosen is HTML:
        doc = Described(read_triples(artefacts, stem))
        names = Names.of(settings_of(request))
        body = render_view(request, template, path, **dataset_view(doc, names), **view(doc, names))
        response = html_response(request, body)
        response.headers["Link"] = headers["Link"]
        return response
    return serve_file(request, artefacts.rdf_document(stem, _SUFFIX_OF[chosen]), chosen.media_type, SHORT, headers)


def read_triples(artefacts: ArtefactReader, stem: str) -> list[ox.Triple]:
    triples = artefacts.rdf_document_triples(stem)
    if triples is None:
        raise HTTPProblem(404, "The current build has no such document.")
    return triples

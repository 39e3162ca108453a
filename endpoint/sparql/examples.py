"""``/.well-known/sparql-examples``: the example queries as SHACL SPARQL executables, and the
examples of the query page's menu.

The examples are read by :mod:`kg.artefacts.examples` (one reading for the build, which loads
them as a graph of the store, and for the web). Here they are served as Turtle, JSON-LD,
N-Triples or an HTML listing (by ``Accept`` or ``format=``), in the reader's language.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from endpoint import conneg
from endpoint.errors import HTTPProblem
from endpoint.headers import CORS
from endpoint.layout import reader_of, render
from endpoint.sparql.protocol import PATH
from endpoint.state import state_of
from kg import media
from kg.artefacts.examples import EXAMPLES_PATH, example_triples, read_examples
from kg.namespaces import PREFIXES

__all__ = ["example_queries", "router"]

_OFFERS = (media.TURTLE, media.JSONLD, media.NTRIPLES, media.HTML)

router = APIRouter()


def example_queries(folder: Path, lang: str = "nl") -> list[dict[str, str]]:
    """The examples of ``folder/*.rq`` in language ``lang``: name, title, description, query
    (the whole file) and body (without the title and description lines)."""
    return [{"name": ex.name, "query": ex.query, "body": ex.body,
             "title": ex.title_en if lang == "en" else ex.title_nl,
             "description": ex.description_en if lang == "en" else ex.description_nl}
            for ex in read_examples(folder)]


@router.api_route(EXAMPLES_PATH, methods=["GET", "HEAD"], summary="The example queries as SHACL SPARQL executables")
def sparql_examples(request: Request) -> Response:
    """Turtle, JSON-LD, N-Triples or an HTML listing of the example queries."""
    fmt = conneg.by_name(request.query_params.get("format"), _OFFERS) or conneg.negotiate(request.headers.get("accept"), _OFFERS)
    if fmt is None:
        raise HTTPProblem(406, "Ask for the example queries as Turtle, JSON-LD, N-Triples or HTML.")
    settings = state_of(request.app).settings
    headers = {"Vary": "Accept, Accept-Language", **dict(CORS)}
    if fmt is media.HTML:
        reader = reader_of(request)
        body = render("sparql-examples.html", reader, EXAMPLES_PATH,
                      examples=example_queries(settings.queries_dir, reader.code), endpoint=PATH)
        return HTMLResponse(body, headers=headers)
    assert fmt.rdf is not None
    triples = example_triples(settings.base_iri, settings.base_iri + PATH, read_examples(settings.queries_dir))
    if fmt is media.TURTLE:
        body_bytes = ox.serialize(triples, format=fmt.rdf, prefixes={k: PREFIXES[k] for k in ("rdf", "rdfs", "schema", "sh")})
    else:
        body_bytes = ox.serialize(triples, format=fmt.rdf)
    return Response(body_bytes or b"", headers={"Content-Type": fmt.content_type, **headers})

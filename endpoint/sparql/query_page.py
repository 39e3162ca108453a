"""The query page: what a browser gets at ``/sparql`` (an editor, example queries, results).

The page is drawn in the site's frame (:func:`endpoint.layout.render`: header,
navigation, search, language switch), in one language: Dutch by default,
English with ``?lang=en`` or ``Accept-Language``; every string of the page and
of its script comes from ``templates/messages.json`` (keys ``sparql_*``).
Autoescape is on: a query in the URL shows as text. ``static/sparql.js`` runs
the queries against this same endpoint; what it needs (the endpoint, its
public URL, the prefixes, the example queries, the answer formats, the
completions of the live build, the texts) is handed over as one JSON object.

The example queries are the ``queries/*.rq`` files (see :mod:`endpoint.sparql.examples`).
"""

from __future__ import annotations

import json

from starlette.requests import Request

from endpoint.layout import reader_of, render
from endpoint.sparql.completions import completions
from endpoint.sparql.examples import example_queries
from endpoint.sparql.prefixes import DECLARED
from endpoint.sparql.protocol import PATH, public_root
from endpoint.sparql.short_links import LINKS_PATH
from endpoint.state import state_of
from kg import media
from kg.namespaces import LABEL_PATH
from kg.settings import Settings

__all__ = ["example_queries", "query_page"]

_FIRST_QUERY = """SELECT ?praktijk ?titel WHERE {
  ?praktijk a circ:Praktijk ;
    dct:title ?titel .
  FILTER(LANG(?titel) = "nl")
}
ORDER BY ?titel
LIMIT 100
"""
def query_page(request: Request, settings: Settings) -> bytes:
    """The HTML query page in the reader's language (all text escaped)."""
    reader = reader_of(request)
    store = state_of(request.app).store
    examples = example_queries(settings.queries_dir, reader.code)
    asked = request.query_params.get("query")
    endpoint_url = public_root(request.scope, settings) + PATH
    config = {
        "endpoint": PATH,
        "endpointUrl": endpoint_url,
        "links": LINKS_PATH,
        # The outlines of the municipalities (base map, and the shapes of municipality IRIs).
        "municipalities": "/gemeenten?format=geojson" + ("&lang=en" if reader.code == "en" else ""),
        "base": settings.base_iri,
        "lang": reader.code,
        "explicitLang": reader.explicit,
        "prefixes": DECLARED,
        # The property path that names any thing of the graph (kg.namespaces, docs/model.md "Labels").
        "labelPath": LABEL_PATH,
        # In the editor an example is its title (in the page's language) and the query itself.
        "examples": [{"name": ex["name"], "title": ex["title"], "description": ex["description"],
                      "query": f"# {ex['title']}\n{ex['body']}"} for ex in examples],
        "completions": completions(store, reader.code),
        "formats": [{"label": f.label, "suffix": f.suffix, "media": f.media_type, "kind": "graph" if f.rdf else "results"}
                    for f in media.RESULT_FORMATS + media.GRAPH_FORMATS],
        "autorun": bool(asked),
        "firstQuery": _FIRST_QUERY,
        "view": request.query_params.get("view", "table"),
        "t": {k.removeprefix("sparql_"): v for k, v in reader.t.items() if k.startswith("sparql_")},
    }
    query = {k: v for k, v in (("query", asked), ("view", request.query_params.get("view"))) if v}
    return render(
        "sparql.html", reader, PATH, query=query,
        initial=asked or _FIRST_QUERY,
        examples=examples,
        settings=settings,
        endpoint_url=endpoint_url,
        prefixes=DECLARED,
        # </ cannot end the script element early: JSON escapes it.
        config_json=json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
        build=store.build_id,
    )

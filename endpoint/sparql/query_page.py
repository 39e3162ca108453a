"""The query page: what a browser gets at ``/sparql`` (an editor, example queries, a results table).

The page itself is static HTML from ``templates/sparql.html`` (rendered with the
site's one Jinja environment, :data:`endpoint.layout.templates`, autoescape
on: a query in the URL shows as text); ``static/sparql.js`` runs the queries
against this same endpoint. What the script needs (the endpoint's path, the
prefixes, the example queries, the answer formats and the limits) is handed
over as one JSON object in the page.

The example queries are the ``queries/*.rq`` files, each with ``# title:`` and
``# description:`` comment lines at its top.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from starlette.requests import Request

from endpoint.layout import templates
from endpoint.sparql.protocol import PATH
from endpoint.state import state_of
from kg import media
from kg.namespaces import PREFIXES
from kg.settings import Settings

__all__ = ["example_queries", "query_page"]

#: The prefixes the editor knows (and completes), in the order the page lists them.
_PAGE_PREFIXES = ("rdf", "rdfs", "skos", "dct", "schema", "org", "prov", "foaf", "xsd", "circ", "adms", "besluit", "frapo", "person", "owl")
_FIRST_QUERY = """
SELECT ?praktijk ?titel WHERE {
  ?praktijk a circ:Praktijk ;
    dct:title ?titel .
  FILTER(LANG(?titel) = "nl")
}
ORDER BY ?titel
LIMIT 100
"""


def example_queries(folder: Path) -> list[dict[str, str]]:
    """The example queries of ``queries/*.rq``: name, title, description, text (sorted by file name)."""
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta = {"title": path.stem, "description": ""}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, _, value = line[1:].strip().partition(":")
            if key.strip() in meta and value.strip():
                meta[key.strip()] = value.strip()
        examples.append({"name": path.stem, "title": meta["title"], "description": meta["description"], "query": text})
    return examples


def query_page(request: Request, settings: Settings) -> str:
    """The HTML query page: editor, examples, results table, downloads (all text escaped)."""
    examples = example_queries(settings.queries_dir)
    prefixes = {k: PREFIXES[k] for k in _PAGE_PREFIXES}
    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes.items())
    asked = request.query_params.get("query")
    config = {
        "endpoint": PATH,
        "base": settings.base_iri,
        "prefixes": prefixes,
        "examples": examples,
        "formats": [{"label": f.label, "suffix": f.suffix, "media": f.media_type, "kind": "graph" if f.rdf else "results"}
                    for f in media.RESULT_FORMATS + media.GRAPH_FORMATS],
        "autorun": bool(asked),
        "limits": {"timeout": settings.query_timeout, "rows": settings.max_result_rows, "bytes": settings.max_result_bytes},
    }
    return templates.get_template("sparql.html").render(
        initial=asked or (prologue + _FIRST_QUERY),
        examples=examples,
        settings=settings,
        # </ cannot end the script element early: JSON escapes it.
        config_json=json.dumps(config, ensure_ascii=False).replace("</", "<\\/"),
        build=state_of(request.app).store.build_id,
        now=time.strftime("%Y"),
    )

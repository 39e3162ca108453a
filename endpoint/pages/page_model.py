"""The page model: what a document template receives, and the parts every kind's page shares.

Each kind of thing (:mod:`endpoint.pages.page_kinds`) fills a :class:`Page`; what they all need —
the schema.org skeleton, the SPARQL prefixes of the ready-made query, the incoming links
grouped by property — lives here once, so a kind's builder says only what is special
about it. ``schema_json`` is here because the page renderer (:mod:`endpoint.pages.routes`)
embeds the schema.org data and must not let it end the ``<script>``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from endpoint import i18n
from endpoint.pages.documents import Description
from endpoint.pages.view_models import Lang, Link, View, expand
from kg.namespaces import PREFIXES as NAMESPACES
from kg.terms import term_value

__all__ = ["PREFIXES", "Page", "sparql_prefixes", "base_schema", "incoming_groups", "incoming_links", "schema_json"]


def sparql_prefixes(*names: str) -> str:
    """``PREFIX`` lines for a ready-made query, from the one prefix table (:data:`kg.namespaces.PREFIXES`).

    >>> sparql_prefixes("dct", "skos")
    'PREFIX dct: <http://purl.org/dc/terms/>\\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n'
    """
    return "".join(f"PREFIX {name}: <{NAMESPACES[name]}>\n" for name in names)


#: The prefixes of every ready-made page query (and of the page lists' SELECTs).
PREFIXES = sparql_prefixes("circ", "dct", "prov", "rdfs", "schema", "skos")


def best_label(var: str, subject: str, prop: str, lang: str) -> str:
    """SPARQL lines binding ``?var`` to ``subject``'s ``prop`` in ``lang``, else Dutch, else any.

    Ready-made queries group by the thing and take ``MIN(?var)``, so each thing is one row
    whatever labels it has, in the page's language where there is one:

    >>> print(best_label("name", "?actor", "rdfs:label", "en"), end="")
      OPTIONAL { ?actor rdfs:label ?name_1 FILTER(lang(?name_1) = "en") }
      OPTIONAL { ?actor rdfs:label ?name_2 FILTER(lang(?name_2) = "nl") }
      OPTIONAL { ?actor rdfs:label ?name_3 }
      BIND(COALESCE(?name_1, ?name_2, ?name_3) AS ?name)
    """
    codes = [lang] if lang == "nl" else [lang, "nl"]
    lines = [f'  OPTIONAL {{ {subject} {prop} ?{var}_{i} FILTER(lang(?{var}_{i}) = "{code}") }}\n'
             for i, code in enumerate(codes, 1)]
    last = len(codes) + 1
    lines.append(f"  OPTIONAL {{ {subject} {prop} ?{var}_{last} }}\n")
    chosen = ", ".join(f"?{var}_{i}" for i in range(1, last + 1))
    return "".join(lines) + f"  BIND(COALESCE({chosen}) AS ?{var})\n"


def query_comment(lang: Lang, key: str, **params: str) -> str:
    """The first line of a ready-made query: what it asks, in the page's language."""
    return "# " + lang.t[key].format(**params) + "\n"


@dataclass
class Page:
    """Everything a document template needs."""

    template: str
    title: str
    kind: str
    main: View
    description: Description
    data: dict[str, Any] = field(default_factory=dict)
    schema: dict[str, Any] = field(default_factory=dict)
    sparql: str = ""


def schema_json(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``: nothing in it can end the script."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def incoming_groups(desc: Description, lang: Lang, skip: tuple[str, ...] = ()) -> list[tuple[str, list[Link]]]:
    """Incoming links grouped by property: (property name, links to the things that point here).

    A hash subject (``P#rol-3 prov:agent E``) is shown as its parent ``P``.
    """
    skipped = {expand(s) for s in skip}
    groups: dict[str, dict[str, Link]] = defaultdict(dict)
    e = desc.entity.value
    for t in desc.incoming:
        if term_value(t.object) != e or t.predicate.value in skipped:
            continue
        subject = term_value(t.subject)
        parent = subject.split("#", 1)[0]
        groups[t.predicate.value].setdefault(parent, lang.link(parent))
    out = [(lang.predicate(p), sorted(links.values(), key=lambda link: i18n.sort_key(link.label))) for p, links in groups.items()]
    return sorted(out, key=lambda g: g[0].casefold())


def incoming_links(desc: Description, lang: Lang, curie: str) -> list[Link]:
    """The things that point here with one property (hash subjects as their parent), by label."""
    pred = expand(curie)
    iris = {term_value(t.subject).split("#", 1)[0] for t in desc.incoming if t.predicate.value == pred and t.object == desc.entity}
    return sorted((lang.link(i) for i in iris), key=lambda link: i18n.sort_key(link.label))


def base_schema(main: View, kind: str, title: str, desc: Description) -> dict[str, Any]:
    """The schema.org fields every page has: type, id, name, document URL, description."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": kind, "@id": main.iri, "name": title,
                            "url": desc.document.value}
    text = main.text("dct:description") or main.text("skos:definition")
    if text:
        data["description"] = text
    return data


def schema_ref(kind: str, link: Link) -> dict[str, Any]:
    """A linked thing in the page's schema.org JSON-LD for search engines: its type, IRI and name.

    >>> schema_ref("Organization", Link("/doc/organisatie/vvsg", "VVSG", "https://example.org/vvsg"))
    {'@type': 'Organization', '@id': 'https://example.org/vvsg', 'name': 'VVSG'}
    """
    return {"@type": kind, "@id": link.iri, "name": link.label}


def set_ref(schema: dict[str, Any], key: str, kind: str, link: Link | None) -> None:
    """``schema[key]`` is the linked thing, when there is one."""
    if link is not None:
        schema[key] = schema_ref(kind, link)


def set_value(schema: dict[str, Any], key: str, value: str | None) -> None:
    """``schema[key]`` is the value, when the data give one (schema.org wants no empty fields)."""
    if value:
        schema[key] = value

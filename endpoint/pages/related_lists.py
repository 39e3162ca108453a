"""The lists a page shows that its description cannot carry.

A description (:mod:`endpoint.pages.documents`) holds a thing's own triples and the links into it;
some lists need more: a practice's grants with their amounts, an organisation's practices
by role, a programme's awards, a concept scheme as a tree, a page of practices under a
concept, municipality or programme. Each is one small SELECT with the thing's IRI bound
(so its cost does not grow with the store) or comes from the in-memory facets. The list
pages (:mod:`endpoint.pages.browse`) reuse the grants and the scheme tree, hence a module of
their own rather than private helpers of :mod:`endpoint.pages.page_kinds`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from endpoint import i18n
from endpoint.pages.build_indexes import Site
from endpoint.pages.page_model import PREFIXES, sparql_prefixes
from endpoint.pages.view_models import Lang, Link
from kg.namespaces import SKOS

__all__ = [
    "LIST_SIZE",
    "ROLE_ORDER",
    "SCHEME_FILTERS",
    "grants_of",
    "ordered_roles",
    "practice_links",
    "roles_of",
    "scheme_tree",
    "total_of",
]

#: Practices listed per page on concept, municipality, organisation and programme pages.
LIST_SIZE = 50

#: The order in which actor roles are shown on a practice page (others follow alphabetically).
ROLE_ORDER = ("trekker", "coordinerende-draaischijf", "partner", "coach", "begeleider", "financier", "deelnemer",
              "samenwerkend-bestuur", "contact",
              "betrokken-dienst", "klankbord", "contactpersoon")

#: Concept scheme → the /praktijken filter that selects its concepts.
SCHEME_FILTERS = {"thema": "thema", "actiedomein": "actiedomein", "beleidsinstrument": "instrument",
                  "waardeketen": "waardeketen", "financieringskanaal": "kanaal", "praktijktype": "type", "rol": "rol"}


def practice_links(site: Site, iris: list[str], lang: Lang, page: int, note: Callable[[str], str] | None = None) -> dict[str, Any]:
    """A page of practice links, sorted by title, with the numbers for the pager."""
    ordered = sorted(iris, key=lambda i: i18n.sort_key(lang.label(i)))
    start = (page - 1) * LIST_SIZE
    chunk = ordered[start:start + LIST_SIZE]
    return {
        "items": [lang.link(i, note(i) if note else "") for i in chunk],
        "total": len(ordered),
        "page": page,
        "pages": max(1, -(-len(ordered) // LIST_SIZE)),
        "first": start + 1 if chunk else 0,
        "last": start + len(chunk),
    }


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def grants_of(site: Site, where: str, lang: Lang) -> list[dict[str, Any]]:
    """Awards matching a graph pattern on ``?g``, with amount, funder, recipient, programme, practice."""
    rows = site.store.select(
        f"""{PREFIXES}{sparql_prefixes("frapo")}
        SELECT ?g ?value ?currency ?funder ?recipient ?prog ?practice ?nr WHERE {{ {where}
          OPTIONAL {{ ?g schema:amount ?a . ?a schema:value ?value OPTIONAL {{ ?a schema:currency ?currency }} }}
          OPTIONAL {{ ?g schema:funder ?funder }} OPTIONAL {{ ?g circ:ontvanger ?recipient }}
          OPTIONAL {{ ?g dct:isPartOf ?prog }} OPTIONAL {{ ?g schema:fundedItem ?practice }}
          OPTIONAL {{ ?g frapo:hasGrantNumber ?nr }} }}"""
    )
    grants: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = row["g"].value
        g = grants.setdefault(iri, {"link": lang.link(iri), "amount": "", "value": None, "funders": {}, "recipients": {},
                                    "programmes": {}, "practices": {}, "number": ""})
        if "value" in row and g["value"] is None:
            g["value"] = _decimal(row["value"].value)
            g["amount"] = lang.money(row["value"].value, row["currency"].value if "currency" in row else "EUR")
        for var, key in (("funder", "funders"), ("recipient", "recipients"), ("prog", "programmes"), ("practice", "practices")):
            if var in row:
                g[key][row[var].value] = lang.link(row[var].value)
        if "nr" in row:
            g["number"] = row["nr"].value
    out = []
    for g in grants.values():
        for key in ("funders", "recipients", "programmes", "practices"):
            g[key] = sorted(g[key].values(), key=lambda link: i18n.sort_key(link.label))
        out.append(g)
    return sorted(out, key=lambda g: i18n.sort_key(g["link"].label))


def total_of(grants: list[dict[str, Any]], lang: Lang) -> str:
    """The sum of the grants' amounts, shown only when there is more than one to add up."""
    values = [g["value"] for g in grants if g["value"] is not None]
    return lang.money(str(sum(values))) if len(values) > 1 else ""


def roles_of(site: Site, agent: str, lang: Lang) -> list[tuple[Link | None, list[Link]]]:
    """The practices an organisation or person took part in, grouped by role."""
    rows = site.store.select(
        f"{PREFIXES}SELECT DISTINCT ?p ?role WHERE {{ ?p prov:qualifiedAssociation ?a . ?a prov:agent <{agent}> "
        f"OPTIONAL {{ ?a prov:hadRole ?role }} }}"
    )
    by_role: dict[str, dict[str, Link]] = defaultdict(dict)
    for row in rows:
        by_role[row["role"].value if "role" in row else ""][row["p"].value] = lang.link(row["p"].value)
    return ordered_roles(by_role, lang)


def ordered_roles(by_role: dict[str, dict[str, Link]], lang: Lang) -> list[tuple[Link | None, list[Link]]]:
    """Role groups in ``ROLE_ORDER`` (leaders first), then alphabetically; links by label."""
    def rank(role: str) -> tuple[int, tuple[bool, str]]:
        code = role.rsplit("/", 1)[-1]
        return (ROLE_ORDER.index(code) if code in ROLE_ORDER else len(ROLE_ORDER), i18n.sort_key(lang.label(role)) if role else (False, ""))

    return [(lang.link(role) if role else None, sorted(links.values(), key=lambda link: i18n.sort_key(link.label)))
            for role, links in sorted(by_role.items(), key=lambda item: rank(item[0]))]


def scheme_tree(site: Site, scheme: str, lang: Lang) -> list[dict[str, Any]]:
    """The concepts of a scheme as a tree of {link, count, children}, alphabetical per level."""
    rows = site.store.select(
        f"SELECT DISTINCT ?c WHERE {{ {{ ?c <{SKOS.inScheme.value}> <{scheme}> }} UNION {{ ?c <{SKOS.topConceptOf.value}> <{scheme}> }} "
        f"UNION {{ <{scheme}> <{SKOS.hasTopConcept.value}> ?c }} }}"
    )
    concepts = {r["c"].value for r in rows}
    children: dict[str, list[str]] = defaultdict(list)
    roots = []
    for c in concepts:
        parents = [b for b in site.practices.broader.get(c, ()) if b in concepts]
        if parents:
            for b in parents:
                children[b].append(c)
        else:
            roots.append(c)

    def node(c: str, depth: int) -> dict[str, Any]:
        kids = sorted(children.get(c, []), key=lambda k: i18n.sort_key(lang.label(k))) if depth < 6 else []
        return {"link": lang.link(c), "code": c.rsplit("/", 1)[-1], "count": len(site.practices.under(c)),
                "children": [node(k, depth + 1) for k in kids]}

    return [node(c, 0) for c in sorted(roots, key=lambda k: i18n.sort_key(lang.label(k)))]

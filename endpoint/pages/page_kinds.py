"""One page per kind of thing: what each template gets, its schema.org JSON-LD and its
ready-made SPARQL query.

The description (:mod:`endpoint.pages.documents`) carries most of what a page shows; the few
lists it cannot carry (grants with their amounts, practices by role, a scheme's tree,
pages of practices) come from :mod:`endpoint.pages.related_lists`, and the :class:`Page` with the
parts every kind shares from :mod:`endpoint.pages.page_model`. What is left here is what differs
per kind: one builder each, ``BUILDERS`` to pick it and ``build_page`` to run it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Callable

import pyoxigraph as ox

from endpoint import i18n
from endpoint.pages.build_indexes import Site
from endpoint.pages.documents import Description
from endpoint.pages.page_model import (
    PREFIXES,
    Page,
    base_schema,
    best_label,
    incoming_groups,
    incoming_links,
    query_comment,
    schema_json,
    schema_ref,
    set_ref,
    set_value,
)
from endpoint.pages.place_maps import area_map, locator_map, municipality_map
from endpoint.pages.related_lists import SCHEME_FILTERS, grants_of, ordered_roles, practice_links, roles_of, scheme_tree, total_of
from endpoint.pages.view_models import Lang, Link, View, compact, figure, readings, translations
from kg.namespaces import DCT, PROV, SCHEMA, SKOS
from kg.terms import term_value

# build_page and schema_json are what endpoint.pages.routes renders with; SCHEME_FILTERS, grants_of,
# scheme_tree and total_of stay importable here for endpoint.pages.browse.
__all__ = ["BUILDERS", "SCHEME_FILTERS", "Page", "build_page", "grants_of", "schema_json", "scheme_tree", "total_of"]


def _subs(desc: Description) -> dict[str, list[ox.Triple]]:
    """The thing's own triples about its hash parts (``…#rol-1``), by part, for the view."""
    subs: dict[str, list[ox.Triple]] = defaultdict(list)
    prefix = desc.entity.value + "#"
    for t in desc.own:
        if term_value(t.subject).startswith(prefix):
            subs[term_value(t.subject)].append(t)
    return subs


# --- kinds -----------------------------------------------------------------------


def praktijk(site: Site, page: Page, lang: Lang, number: int) -> None:
    main, e = page.main, page.main.iri
    by_role: dict[str, dict[str, Link]] = defaultdict(dict)
    notes: dict[str, list[str]] = defaultdict(list)
    for actor in main.subs("prov:qualifiedAssociation"):
        agent = actor.link("prov:agent")
        if agent is None:
            continue
        role = actor.values("prov:hadRole")
        role_iri = role[0].value if role else ""
        note = actor.text("circ:toelichting")
        by_role[role_iri][agent.iri] = Link(agent.href, agent.label, agent.iri, note, anchor=actor.fragment)
        if note:
            notes[agent.iri].append(note)
    grants = grants_of(site, f"?g schema:fundedItem <{e}> .", lang)
    lessons = [(key, [(s.fragment, s.text("rdf:value")) for s in main.subs(curie)]) for key, curie in (
        ("succesfactoren", "circ:succesfactor"), ("valkuilen", "circ:valkuil"), ("uitdagingen", "circ:uitdaging"), ("lessen", "circ:les"))]
    page.data.update({
        "actors": ordered_roles(by_role, lang),
        "grants": grants,
        "grant_total": total_of(grants, lang),
        "objectives": [(s.fragment, s.text("rdf:value")) for s in main.subs("circ:doelstelling")],
        "results": [(s.fragment, s.text("rdf:value")) for s in main.subs("circ:resultaat")],
        "lessons": [(k, items) for k, items in lessons if items],
        "figures": [figure(s) for s in main.subs("circ:kerncijfer")],
        "investment": main.amount("circ:investeringsbedrag"),
        "pages": [lang.link(v.value) for v in main.values("foaf:page") if isinstance(v, ox.NamedNode)],
        "parts": incoming_links(page.description, lang, "dct:isPartOf"),
        "publications": incoming_links(page.description, lang, "prov:wasGeneratedBy"),
        "period": _period(main, lang),
        "incoming": incoming_groups(page.description, lang, ("schema:fundedItem", "dct:isPartOf", "prov:wasGeneratedBy")),
        "map": locator_map(site.places, [link.iri for link in main.links("dct:spatial")], lang),
    })
    schema = base_schema(main, "Project", page.title, page.description)
    set_value(schema, "startDate", main.literal("schema:startDate"))
    set_value(schema, "endDate", main.literal("schema:endDate"))
    places = [schema_ref("AdministrativeArea", link) for link in main.links("dct:spatial")]
    if places:
        schema["location"] = places
    keywords = [link.label for link in main.links("dct:subject")]
    if keywords:
        schema["keywords"] = keywords
    funders = {f.iri: f for g in grants for f in g["funders"]}
    if funders:
        schema["funder"] = [schema_ref("Organization", f) for f in funders.values()]
    page.schema = schema
    page.sparql = (PREFIXES + query_comment(lang, "q_practice")
                   + "SELECT ?actor (MIN(?actorName) AS ?name) (MIN(?roleName) AS ?role) WHERE {\n"
                   f"  <{e}> prov:qualifiedAssociation ?a .\n  ?a prov:agent ?actor ; prov:hadRole ?r .\n"
                   + best_label("actorName", "?actor", "rdfs:label", lang.code)
                   + best_label("roleName", "?r", "skos:prefLabel", lang.code)
                   + "} GROUP BY ?actor ?r ORDER BY ?role ?name ?actor")


def _period(main: View, lang: Lang) -> str:
    return lang.period(main.literal("schema:startDate"), main.literal("schema:endDate"))



def organisatie(site: Site, page: Page, lang: Lang, number: int) -> None:
    main, e = page.main, page.main.iri
    page.data.update({
        "roles": roles_of(site, e, lang),
        "units": incoming_links(page.description, lang, "org:subOrganizationOf") or incoming_links(page.description, lang, "org:unitOf"),
        "members": incoming_links(page.description, lang, "org:memberOf"),
        "grants_received": grants_of(site, f"?g circ:ontvanger <{e}> .", lang),
        "grants_funded": grants_of(site, f"?g schema:funder <{e}> .", lang),
        "programmes": incoming_links(page.description, lang, "schema:funder"),
        "publications": incoming_links(page.description, lang, "dct:publisher"),
        "practice_count": len(site.practices.under(e)),
        "filter": e.rsplit("/", 1)[-1],
        "incoming": incoming_groups(page.description, lang, (
            "prov:agent", "prov:wasAssociatedWith", "org:memberOf", "org:subOrganizationOf", "org:unitOf", "circ:ontvanger",
            "schema:funder", "dct:publisher")),
    })
    page.data["programmes"] = [p for p in page.data["programmes"] if "/programma/" in p.iri]
    schema = base_schema(main, "GovernmentOrganization" if main.has("besluit:werkingsgebied") else "Organization",
                          page.title, page.description)
    if main.texts("skos:altLabel"):
        schema["alternateName"] = main.texts("skos:altLabel")
    homepage = main.link("foaf:homepage")
    if homepage:
        schema["url"] = homepage.iri
    set_value(schema, "email", main.literal("schema:email"))
    area = main.link("besluit:werkingsgebied")
    set_ref(schema, "areaServed", "AdministrativeArea", area)
    page.schema = schema
    page.sparql = (PREFIXES + query_comment(lang, "q_organisation")
                   + "SELECT ?practice (MIN(?practiceTitle) AS ?title) (MIN(?roleName) AS ?role) WHERE {\n"
                   f"  ?practice prov:qualifiedAssociation ?a .\n  ?a prov:agent <{e}> ; prov:hadRole ?r .\n"
                   + best_label("practiceTitle", "?practice", "dct:title", lang.code)
                   + best_label("roleName", "?r", "skos:prefLabel", lang.code)
                   + "} GROUP BY ?practice ?r ORDER BY ?title ?role ?practice")


def persoon(site: Site, page: Page, lang: Lang, number: int) -> None:
    page.data["roles"] = roles_of(site, page.main.iri, lang)
    page.data["incoming"] = incoming_groups(page.description, lang, ("prov:agent", "prov:wasAssociatedWith"))
    schema = base_schema(page.main, "Person", page.title, page.description)
    org = page.main.link("org:memberOf")
    set_ref(schema, "affiliation", "Organization", org)
    set_value(schema, "email", page.main.literal("schema:email"))
    page.schema = schema


def gemeente(site: Site, page: Page, lang: Lang, number: int) -> None:
    main, e = page.main, page.main.iri

    def note(practice: str) -> str:
        p = site.practices.practices.get(practice)
        if p is None or e in p.direct_municipalities:
            return ""
        return ", ".join(lang.label(g) for g in sorted(p.direct_municipalities))

    page.data.update({
        "practices": practice_links(site, site.practices.under(e), lang, number, note),
        "organisations": incoming_links(page.description, lang, "besluit:werkingsgebied"),
        "predecessors": main.links("dct:replaces"),
        "successors": main.links("dct:isReplacedBy"),
        "valid_from": main.literal("schema:validFrom"),
        "valid_through": main.literal("schema:validThrough"),
        "ended": _day_after(main.literal("schema:validThrough")),
        "same_as": [link for link in main.links("owl:sameAs") if link.external],
        "nis": main.literal("skos:notation") or e.rsplit("/", 1)[-1],
        "incoming": incoming_groups(page.description, lang, (
            "dct:spatial", "besluit:werkingsgebied", "dct:replaces", "dct:isReplacedBy")),
    })
    page.data["map"] = municipality_map(site.places, e, lang, page.data["predecessors"], page.data["successors"])
    page.data["neighbours"] = [lang.link(n) for n in site.places.neighbours(e)]
    schema = base_schema(main, "AdministrativeArea", page.title, page.description)
    schema["identifier"] = page.data["nis"]
    if page.data["same_as"]:
        schema["sameAs"] = [link.iri for link in page.data["same_as"]]
    province = main.link("circ:provincie")
    set_ref(schema, "containedInPlace", "AdministrativeArea", province)
    page.schema = schema
    page.sparql = (PREFIXES + query_comment(lang, "q_municipality")
                   + "SELECT ?practice (MIN(?practiceTitle) AS ?title) WHERE {\n"
                   f"  ?practice a circ:Praktijk ; dct:spatial ?place .\n  VALUES ?place {{ <{e}> }}\n"
                   + best_label("practiceTitle", "?practice", "dct:title", lang.code)
                   + "} GROUP BY ?practice ORDER BY ?title ?practice")
    if page.data["predecessors"]:
        places = " ".join(f"<{p.iri}>" for p in page.data["predecessors"])
        page.sparql = page.sparql.replace(f"VALUES ?place {{ <{e}> }}", f"VALUES ?place {{ <{e}> {places} }}")


def _day_after(day: str | None) -> str | None:
    """``2024-12-31`` → ``2025-01-01``: a municipality valid through a day ceased the next."""
    if not day or len(day) < 10:
        return day
    try:
        return (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()
    except ValueError:
        return day


def concept(site: Site, page: Page, lang: Lang, number: int) -> None:
    main, e = page.main, page.main.iri
    chain: list[Link] = []
    seen = {e}
    current = e
    while True:
        ups = sorted(b for b in site.practices.broader.get(current, ()) if b not in seen)
        if not ups:
            break
        current = ups[0]
        seen.add(current)
        chain.insert(0, lang.link(current))
    narrower = {term_value(t.subject) for t in page.description.incoming if t.predicate == SKOS.broader}
    narrower |= {v.value for v in main.values("skos:narrower") if isinstance(v, ox.NamedNode)}
    scheme = main.link("skos:inScheme")
    scheme_code = scheme.iri.rsplit("/", 1)[-1] if scheme else ""
    param = SCHEME_FILTERS.get(scheme_code)
    # The hierarchy is shown once, in its direction (broader above, narrower below): the inverse links
    # pointing here (a broader concept's skos:narrower, a scheme's skos:hasTopConcept) are not "also used by".
    skip = ("skos:broader", "skos:narrower", "skos:hasTopConcept", "skos:inScheme", "skos:topConceptOf", "dct:subject",
            "circ:thema", "circ:actiedomein", "circ:beleidsinstrument", "circ:waardeketen", "circ:financieringskanaal",
            "circ:praktijktype", "prov:hadRole")
    counted = {iri: len(site.practices.under(iri)) for iri in {*narrower, *(link.iri for link in chain)}}
    page.data.update({
        "chain": chain,
        "counts": counted,
        "narrower": sorted((lang.link(n) for n in narrower), key=lambda link: i18n.sort_key(link.label)),
        "scheme": scheme,
        "practices": practice_links(site, site.practices.under(e), lang, number),
        "filter": (param, e.rsplit("/", 1)[-1]) if param else None,
        "other": incoming_groups(page.description, lang, skip),
        "hide_incoming": True,
        "matches": main.links("skos:closeMatch") + main.links("skos:exactMatch") + main.links("skos:related"),
    })
    schema = base_schema(main, "DefinedTerm", page.title, page.description)
    schema["termCode"] = e.rsplit("/", 1)[-1]
    set_ref(schema, "inDefinedTermSet", "DefinedTermSet", scheme)
    page.schema = schema
    page.sparql = (PREFIXES + query_comment(lang, "q_concept")
                   + "SELECT ?practice (MIN(?practiceTitle) AS ?title) WHERE {\n"
                   "  ?practice dct:subject|circ:financieringskanaal|circ:praktijktype ?c .\n"
                   f"  ?c skos:broader* <{e}> .\n"
                   + best_label("practiceTitle", "?practice", "dct:title", lang.code)
                   + "} GROUP BY ?practice ORDER BY ?title ?practice")


def conceptscheme(site: Site, page: Page, lang: Lang, number: int) -> None:
    e = page.main.iri
    page.data["tree"] = scheme_tree(site, e, lang)
    page.data["hide_incoming"] = True
    page.data["filter"] = SCHEME_FILTERS.get(e.rsplit("/", 1)[-1])
    page.schema = base_schema(page.main, "DefinedTermSet", page.title, page.description)
    page.sparql = (PREFIXES + query_comment(lang, "q_scheme")
                   + "SELECT ?concept (MIN(?conceptLabel) AS ?label) ?broader WHERE {\n"
                   f"  ?concept skos:inScheme <{e}> .\n  OPTIONAL {{ ?concept skos:broader ?broader }}\n"
                   + best_label("conceptLabel", "?concept", "skos:prefLabel", lang.code)
                   + "} GROUP BY ?concept ?broader ORDER BY ?label ?concept")



def programma(site: Site, page: Page, lang: Lang, number: int) -> None:
    e = page.main.iri
    grants = grants_of(site, f"?g <{DCT.isPartOf.value}> <{e}> .", lang)
    page.data.update({
        "grants": grants,
        "grant_total": total_of(grants, lang),
        "practices": practice_links(site, site.practices.under(e), lang, number),
        "filter": e.rsplit("/", 1)[-1],
        "incoming": incoming_groups(page.description, lang, ("dct:isPartOf", "circ:programma")),
    })
    schema = base_schema(page.main, "FundingScheme", page.title, page.description)
    funder = page.main.link("schema:funder")
    set_ref(schema, "funder", "Organization", funder)
    page.schema = schema
    page.sparql = (PREFIXES + query_comment(lang, "q_programme")
                   + f"SELECT ?grant ?amount ?practice WHERE {{\n  ?grant dct:isPartOf <{e}> .\n"
                   "  OPTIONAL { ?grant schema:amount/schema:value ?amount }\n  OPTIONAL { ?grant schema:fundedItem ?practice }\n"
                   "} ORDER BY ?grant ?practice")


def financiering(site: Site, page: Page, lang: Lang, number: int) -> None:
    main = page.main
    page.data["amount"] = main.amount("schema:amount")
    schema = base_schema(main, "MonetaryGrant", page.title, page.description)
    for sub in main.subs("schema:amount"):
        if sub.literal("schema:value"):
            schema["amount"] = {"@type": "MonetaryAmount", "value": sub.literal("schema:value"),
                                "currency": sub.literal("schema:currency") or "EUR"}
    funder = main.link("schema:funder")
    set_ref(schema, "funder", "Organization", funder)
    funded = main.link("schema:fundedItem")
    set_ref(schema, "fundedItem", "Project", funded)
    page.schema = schema


def publicatie(site: Site, page: Page, lang: Lang, number: int) -> None:
    page.data["pages"] = [lang.link(v.value) for v in page.main.values("foaf:page") if isinstance(v, ox.NamedNode)]
    schema = base_schema(page.main, "Dataset" if page.main.has("rdf:type") and any(
        v.value == SCHEMA.Dataset.value for v in page.main.values("rdf:type")) else "CreativeWork", page.title, page.description)
    publisher = page.main.link("dct:publisher")
    set_ref(schema, "publisher", "Organization", publisher)
    page.schema = schema


def indicator(site: Site, page: Page, lang: Lang, number: int) -> None:
    page.data["figures"] = [figure(s) for s in page.main.subs("circ:observatie")]
    page.schema = base_schema(page.main, "Dataset", page.title, page.description)


def bron(site: Site, page: Page, lang: Lang, number: int) -> None:
    kinds: dict[str, dict[str, Link]] = defaultdict(dict)
    e = page.description.entity
    for t in page.description.incoming:
        if t.predicate == PROV.wasDerivedFrom and t.object == e:
            target = site.uris.target(term_value(t.subject))
            kinds[target.concept if target else "other"][term_value(t.subject)] = lang.link(term_value(t.subject))
    page.data["derived"] = [(lang.t.get(f"kinds:{k}", k), sorted(v.values(), key=lambda link: i18n.sort_key(link.label)))
                            for k, v in sorted(kinds.items())]
    page.data["translations"] = incoming_links(page.description, lang, "circ:vertalingVan")
    page.data["hide_incoming"] = True
    page.data["pages"] = [lang.link(v.value) for v in page.main.values("foaf:page") if isinstance(v, ox.NamedNode)]
    schema = base_schema(page.main, "DigitalDocument", page.title, page.description)
    language = page.main.values("dct:language")
    if language:
        schema["inLanguage"] = {"NLD": "nl", "ENG": "en"}.get(language[0].value.rsplit("/", 1)[-1], language[0].value)
    page.schema = schema


def generic(site: Site, page: Page, lang: Lang, number: int) -> None:
    page.data["practices"] = practice_links(site, site.practices.under(page.main.iri), lang, number)
    counts = {p.iri: len(site.practices.under(p.iri)) for p in site.places.inside(page.main.iri)}
    page.data["map"] = area_map(site.places, page.main.iri, lang, counts)
    page.schema = base_schema(page.main, "AdministrativeArea" if page.kind in ("provincie", "arrondissement", "gewest") else "Thing",
                               page.title, page.description)


BUILDERS: dict[str, Callable[[Site, Page, Lang, int], None]] = {
    "praktijk": praktijk, "organisatie": organisatie, "persoon": persoon, "gemeente": gemeente, "concept": concept,
    "conceptscheme": conceptscheme, "programma": programma, "financiering": financiering, "publicatie": publicatie,
    "indicator": indicator, "bron": bron,
}


def build_page(site: Site, desc: Description, kind: str, lang: Lang, number: int) -> Page:
    """The page of a document: the thing's view, its kind's extras, schema.org and SPARQL."""
    main = View(desc.entity.value, desc.own, lang, _subs(desc), translations(desc.own))
    title = (main.text("dct:title") or main.text("skos:prefLabel") or main.text("rdfs:label")
             or main.literal("foaf:name") or lang.label(desc.entity.value))
    builder = BUILDERS.get(kind, generic)
    page = Page(f"{kind}.html" if kind in BUILDERS else "generic.html", title, kind, main, desc)
    builder(site, page, lang, number)
    page.data.setdefault("incoming", incoming_groups(desc, lang))
    if not page.sparql:
        what = lang.t.get(f"kind:{kind}", kind)
        page.sparql = (query_comment(lang, "q_generic", kind=what)
                       + f"SELECT ?property ?value WHERE {{\n  <{desc.entity.value}> ?property ?value\n}} ORDER BY ?property ?value")
    page.data["sources"] = main.links("prov:wasDerivedFrom")
    page.data["readings"] = readings(main)
    page.data["types"] = [lang.link(v.value) for v in main.values("rdf:type") if isinstance(v, ox.NamedNode)]
    page.data["compact"] = compact
    return page

"""The ways in: the home page, browse lists with filters, and search.

All of them read the in-memory indexes of the build (:mod:`endpoint.pages.facets`,
:mod:`endpoint.pages.search`, :mod:`endpoint.pages.labels`); the few lists that need the store
(organisations by type, municipalities by province, programmes) are asked once per
build and kept. Filter values are codes (``thema=materialen``, ``gemeente=24062``)
checked against the same pattern as IRIs; an unknown code simply matches nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Callable
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from endpoint import i18n
from endpoint.errors import HTTPProblem
from endpoint.pages.build_indexes import Site
from endpoint.pages.facets import FILTERS, Practice
from endpoint.pages.geojson_lists import municipality_collection, practice_collection, wants_geojson
from endpoint.pages.page_answers import language, page_number, render, respond, site_of, sparql_url
from endpoint.pages.page_model import best_label, query_comment, sparql_prefixes
from endpoint.pages.place_maps import flanders_map
from endpoint.pages.related_lists import SCHEME_FILTERS, grants_of, scheme_tree, total_of
from endpoint.pages.view_models import Lang, Link
from kg.media import GEOJSON
from kg.namespaces import CIRC, DCT, FRAPO, ORG, SCHEMA, SKOS

router = APIRouter()

PAGE_SIZE = 25
SEARCH_PAGE_SIZE = 20
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$")
#: Facets shown on /praktijken, in order: (parameter, which concepts or attribute).
FACETS = ("thema", "actiedomein", "instrument", "waardeketen", "type", "kanaal", "provincie", "gemeente",
          "organisatie", "rol", "programma")
_SCHEME_OF = {param: scheme for scheme, param in SCHEME_FILTERS.items()}


def _html_key(name: str, lang: Lang, *parts: Any) -> tuple[Any, ...]:
    return ("list", name, lang.code, lang.explicit, *parts)


async def _html(request: Request, site: Site, key: tuple[Any, ...], make: Any) -> Response:
    return await respond(request, site, key, "text/html; charset=utf-8", lambda: (make(), None, {}), {"Vary": "Accept-Language"})


@router.api_route("/", methods=["GET", "HEAD"], tags=["pages"])
async def home(request: Request) -> Response:
    """Home: what the graph holds and the ways in."""
    site = await site_of(request)
    lang = language(request, site)

    def make() -> bytes:
        themes = scheme_tree(site, f"{site.uris.base}/id/conceptscheme/thema", lang)
        domains = scheme_tree(site, f"{site.uris.base}/id/conceptscheme/actiedomein", lang)
        return render("home.html", lang, site, "/", themes=themes, domains=domains, provinces=_provinces(site, lang),
                      sparql=sparql_url(_home_query(lang), lang), flanders=_flanders(site, lang))

    return await _html(request, site, _html_key("home", lang), make)


def _home_query(lang: Lang) -> str:
    """The home page's example query, its comment and labels in the page's language."""
    return (sparql_prefixes("circ", "dct", "skos") + query_comment(lang, "q_home")
            + "SELECT ?t (MIN(?themeLabel) AS ?theme) (COUNT(DISTINCT ?practice) AS ?practices) WHERE {\n"
            "  ?practice a circ:Praktijk ; circ:thema ?t .\n"
            + best_label("themeLabel", "?t", "skos:prefLabel", lang.code)
            + "} GROUP BY ?t ORDER BY DESC(?practices) ?theme")


def _codes(request: Request, param: str) -> list[str]:
    values = []
    for raw in request.query_params.getlist(param):
        for value in raw.split(","):
            value = value.strip()
            if value and _CODE.match(value):
                values.append(value)
    return sorted(set(values))


def _year(request: Request, param: str) -> int | None:
    raw = request.query_params.get(param, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) != 4:
        raise HTTPProblem(400, f"'{param}' must be a year such as 2020, not {raw[:20]!r}.",
                          key="error_year", params={"param": param, "value": raw[:20]})
    return int(raw)


def _options(site: Site, lang: Lang, param: str, results: list[Practice], chosen: list[str]) -> list[dict[str, Any]]:
    """The values of one facet among the results, with counts; chosen ones always listed."""
    attribute, path = FILTERS[param]
    prefix = f"{site.uris.base}/id/{path}"
    counts = site.practices.counts(results, attribute)
    codes = {iri[len(prefix):]: n for iri, n in counts.items() if iri.startswith(prefix) and "/" not in iri[len(prefix):]}
    for code in chosen:
        codes.setdefault(code, 0)
    # Two municipalities of one name (Tielt before and after 2025) are told apart by their period.
    notes = _municipality_periods(site, lang) if param == "gemeente" else {}
    options: list[dict[str, Any]] = [{"code": code, "label": lang.label(prefix + code), "count": n, "chosen": code in chosen,
                                      "note": notes.get(prefix + code, "")} for code, n in codes.items()]
    options.sort(key=lambda o: (-o["count"], i18n.sort_key(o["label"])))
    top = options[:300]
    top.sort(key=lambda o: i18n.sort_key(o["label"]))
    return top


@router.api_route("/praktijken", methods=["GET", "HEAD"], tags=["pages"])
async def practices(request: Request) -> Response:
    """All practices, filtered by theme, action domain, instrument, place, organisation, role, programme, period."""
    site = await site_of(request)
    lang = language(request, site)
    chosen = {param: _codes(request, param) for param in FACETS}
    year_from, year_to = _year(request, "van"), _year(request, "tot")
    number = page_number(request)
    key = _html_key("praktijken", lang, tuple((k, tuple(v)) for k, v in chosen.items()), year_from, year_to, number)
    if wants_geojson(request):
        return await respond(request, site, ("praktijken.geojson", *key[1:]), GEOJSON.content_type,
                             lambda: (practice_collection(site, lang, site.practices.filter(chosen, year_from, year_to)), None, {}))

    def make() -> bytes:
        results = site.practices.filter(chosen, year_from, year_to)
        results.sort(key=lambda p: i18n.sort_key(lang.label(p.iri)))
        total = len(results)
        start = (number - 1) * PAGE_SIZE
        shown = results[start:start + PAGE_SIZE]
        periods = _municipality_periods(site, lang)
        items = [{
            "link": lang.link(p.iri),
            "places": sorted((lang.link(g) for g in p.direct_municipalities), key=lambda link: link.label),
            "periods": periods,
            "themes": sorted((lang.link(c) for c in p.direct_concepts if "/concept/thema/" in c), key=lambda link: link.label),
            "start": p.start, "end": p.end,
        } for p in shown]
        facets = [{"param": param, "options": _options(site, lang, param, results, chosen[param])} for param in FACETS]
        query: dict[str, Any] = {k: v for k, v in chosen.items() if v}
        if year_from:
            query["van"] = year_from
        if year_to:
            query["tot"] = year_to
        return render("list-praktijken.html", lang, site, "/praktijken", items=items, total=total, facets=facets,
                      number=number, pages=max(1, -(-total // PAGE_SIZE)), first=start + 1 if shown else 0,
                      last=start + len(shown), year_from=year_from, year_to=year_to, chosen=chosen,
                      filtered=bool(query), query={**query, "pagina": number if number > 1 else None}, base_query=query)

    return await _html(request, site, key, make)


async def _list_page(request: Request, name: str, make: Callable[[Site, Lang], bytes]) -> Response:
    """A list page without parameters: one cached body per build and language."""
    site = await site_of(request)
    lang = language(request, site)
    return await _html(request, site, _html_key(name, lang), lambda: make(site, lang))


def _ours(site: Site, cls: Any, optional: str = "") -> list[Any]:
    """The things of a class that this build describes (``?s``, its own IRIs), with an optional part."""
    return list(site.store.select(
        f"SELECT DISTINCT * WHERE {{ ?s a <{cls.value}> {optional} FILTER(STRSTARTS(STR(?s), \"{site.uris.base}/id/\")) }}"))


@router.api_route("/organisaties", methods=["GET", "HEAD"], tags=["pages"])
async def organisations(request: Request) -> Response:
    """Organisations grouped by type, with how many practices each took part in."""
    return await _list_page(request, "organisaties", _organisations_page)


def _organisations_page(site: Site, lang: Lang) -> bytes:
    rows = _ours(site, ORG.Organization, f"OPTIONAL {{ ?s <{ORG.classification.value}> ?type }}")
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        o = row["s"].value
        groups[row["type"].value if "type" in row else ""][o] = {"link": lang.link(o), "count": len(site.practices.under(o))}
    out: list[dict[str, Any]] = [{"type": lang.link(t) if t else None, "items": sorted(items.values(), key=lambda i: i18n.sort_key(i["link"].label))}
                                 for t, items in groups.items()]
    out.sort(key=lambda g: (g["type"] is None, i18n.sort_key(g["type"].label) if g["type"] else (False, "")))
    return render("list-organisaties.html", lang, site, "/organisaties", groups=out, total=len({r["s"].value for r in rows}))


def _provinces(site: Site, lang: Lang) -> list[dict[str, Any]]:
    """Municipalities grouped by province, each with its practice count and validity."""
    cached = site.provinces.get((lang.code, lang.explicit))
    if cached is not None:
        return cached
    rows = site.store.select(
        f"SELECT ?g ?prov ?from ?through WHERE {{ ?g a <{CIRC.Gemeente.value}> OPTIONAL {{ ?g <{CIRC.provincie.value}> ?prov }} "
        f"OPTIONAL {{ ?g <{SCHEMA.validFrom.value}> ?from }} OPTIONAL {{ ?g <{SCHEMA.validThrough.value}> ?through }} }}"
    )
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        g = row["g"].value
        groups[row["prov"].value if "prov" in row else ""][g] = {
            "link": lang.link(g), "count": len(site.practices.under(g)), "nis": g.rsplit("/", 1)[-1],
            "from": row["from"].value if "from" in row else None, "through": row["through"].value if "through" in row else None,
        }
    out: list[dict[str, Any]] = [{"province": lang.link(p) if p else None, "code": p.rsplit("/", 1)[-1] if p else "",
            "items": sorted(items.values(), key=lambda i: i18n.sort_key(i["link"].label)),
            "with_practices": sum(1 for i in items.values() if i["count"])}
           for p, items in groups.items()]
    out.sort(key=lambda g: (g["province"] is None, i18n.sort_key(g["province"].label) if g["province"] else (False, "")))
    site.provinces[(lang.code, lang.explicit)] = out
    return out


@router.api_route("/kaart", methods=["GET", "HEAD"], tags=["pages"])
async def practice_map(request: Request) -> Response:
    """The practices on the map of Flanders, with the filters of /praktijken: each municipality of
    today coloured by how many of the chosen practices concern it (or a municipality it replaced)."""
    site = await site_of(request)
    lang = language(request, site)
    chosen = {param: _codes(request, param) for param in FACETS}
    year_from, year_to = _year(request, "van"), _year(request, "tot")
    key = _html_key("kaart", lang, tuple((k, tuple(v)) for k, v in chosen.items()), year_from, year_to)

    def make() -> bytes:
        results = site.practices.filter(chosen, year_from, year_to)
        today = site.places.current_municipalities()
        counts = {m.iri: sum(1 for p in results if m.iri in p.municipalities) for m in today}
        listed = sorted(((lang.link(m), n) for m, n in counts.items() if n), key=lambda item: item[0].label.casefold())
        facets = [{"param": param, "options": _options(site, lang, param, results, chosen[param])} for param in FACETS]
        query = [(k, c) for k, codes in chosen.items() for c in codes] + [(k, str(y)) for k, y in (("van", year_from), ("tot", year_to)) if y]
        as_list = lang.url("/praktijken" + ("?" + urlencode(query) if query else ""))
        return render("kaart.html", lang, site, "/kaart", total=len(results), facets=facets, as_list=as_list,
                      year_from=year_from, year_to=year_to, listed=listed, flanders=flanders_map(site.places, lang, counts))

    return await _html(request, site, key, make)


@router.api_route("/gemeenten", methods=["GET", "HEAD"], tags=["pages"])
async def municipalities(request: Request) -> Response:
    """Every municipality, grouped by province (those that ended on 1 January 2025 too)."""
    site = await site_of(request)
    lang = language(request, site)
    if wants_geojson(request):
        return await respond(request, site, ("gemeenten.geojson", lang.code), GEOJSON.content_type,
                             lambda: (municipality_collection(site, lang), None, {}))
    return await _html(request, site, _html_key("gemeenten", lang),
                 lambda: render("list-gemeenten.html", lang, site, "/gemeenten", provinces=_provinces(site, lang),
                                flanders=_flanders(site, lang)))


def _flanders(site: Site, lang: Lang) -> Markup:
    """The map of Flanders: every municipality of today, coloured by its practices (with those of its predecessors)."""
    return flanders_map(site.places, lang, {p.iri: len(site.practices.under(p.iri)) for p in site.places.current_municipalities()})


@router.api_route("/themas", methods=["GET", "HEAD"], tags=["pages"])
async def themes(request: Request) -> Response:
    """Every concept scheme with its hierarchy and practice counts."""
    return await _list_page(request, "themas", _themes_page)


def _themes_page(site: Site, lang: Lang) -> bytes:
    order = ["thema", "actiedomein", "beleidsinstrument", "waardeketen", "praktijktype", "financieringskanaal"]
    schemes: list[dict[str, Any]] = []
    for row in _ours(site, SKOS.ConceptScheme):
        iri = row["s"].value
        code = iri.rsplit("/", 1)[-1]
        schemes.append({"link": lang.link(iri), "code": code, "tree": scheme_tree(site, iri, lang),
                        "filter": SCHEME_FILTERS.get(code), "main": code in order})
    schemes.sort(key=lambda s: (order.index(s["code"]) if s["code"] in order else len(order), i18n.sort_key(s["link"].label)))
    return render("list-themas.html", lang, site, "/themas", schemes=schemes)


@router.api_route("/financiering", methods=["GET", "HEAD"], tags=["pages"])
async def funding(request: Request) -> Response:
    """Funding programmes and their awards, with amounts."""
    return await _list_page(request, "financiering", _funding_page)


def _funding_page(site: Site, lang: Lang) -> bytes:
    programmes: list[dict[str, Any]] = []
    for row in _ours(site, FRAPO.FundingProgramme):
        iri = row["s"].value
        grants = grants_of(site, f"?g <{DCT.isPartOf.value}> <{iri}> .", lang)
        programmes.append({"link": lang.link(iri), "grants": grants, "total": total_of(grants, lang),
                           "practices": len(site.practices.under(iri)), "code": iri.rsplit("/", 1)[-1]})
    programmes.sort(key=lambda p: i18n.sort_key(p["link"].label))
    loose = [g for g in grants_of(site, f"?g a <{SCHEMA.MonetaryGrant.value}> .", lang) if not g["programmes"]]
    return render("list-financiering.html", lang, site, "/financiering", programmes=programmes, loose=loose)


@router.api_route("/zoeken", methods=["GET", "HEAD"], tags=["pages"])
async def search(request: Request) -> Response:
    """Search titles, descriptions and labels (nl and en), tolerant of case and accents."""
    site = await site_of(request)
    lang = language(request, site)
    q = request.query_params.get("q", "")[:200]
    number = page_number(request)

    def make() -> bytes:
        hits = site.search.search(q) if q.strip() else []
        start = (number - 1) * SEARCH_PAGE_SIZE
        shown = hits[start:start + SEARCH_PAGE_SIZE]
        entries = {e.iri: e for e in site.search.entries}
        periods = _municipality_periods(site, lang) if any(hit.kind == "gemeente" for hit in shown) else {}
        items = []
        for hit in shown:
            entry = entries[hit.iri]
            snippet = _snippet(entry.texts, lang)
            items.append({"link": lang.link(hit.iri), "kind": lang.t.get(f"kind:{hit.kind}", hit.kind), "snippet": snippet,
                          "note": periods.get(hit.iri, "")})
        return render("zoeken.html", lang, site, "/zoeken", q=q, items=items, total=len(hits), number=number,
                      pages=max(1, -(-len(hits) // SEARCH_PAGE_SIZE)), first=start + 1 if shown else 0,
                      last=start + len(shown), query={"q": q, "pagina": number if number > 1 else None}, base_query={"q": q})

    return await _html(request, site, _html_key("zoeken", lang, q, number), make)


def _municipality_periods(site: Site, lang: Lang) -> dict[str, str]:
    """Municipality IRI → its period when it did not always exist (``tot 2024``, ``sinds 2025``):
    two municipalities of one name (Tielt before and after the 2025 merger) are told apart by it."""
    periods = {}
    for group in _provinces(site, lang):
        for g in group["items"]:
            if g["through"]:
                periods[g["link"].iri] = lang.t["until_short"].format(year=g["through"][:4])
            elif g["from"] and g["from"] >= "2025":
                periods[g["link"].iri] = lang.t["since_short"].format(year=g["from"][:4])
    return periods


def _snippet(texts: list[tuple[str, str]], lang: Lang, size: int = 240) -> str:
    """The start of the thing's description in the reader's language (else Dutch, else any, marked)."""
    if not texts:
        return ""
    by_lang = {code: text for code, text in reversed(texts)}
    code = next((c for c in (lang.code, "nl", "") if c in by_lang), texts[0][0])
    text = " ".join(by_lang[code].split())
    text = text if len(text) <= size else text[:size].rsplit(" ", 1)[0] + " …"
    return i18n.shown(text, code, lang.code)


__all__ = ["router", "Link"]

"""The HTML pages over HTTP: what a reader sees, in Dutch and English, and that nothing
in the data can run as script.

Facts asserted here come from the sources (``data/``): Leuven's practice sheet lists six
themes and its contact person, the #AAL Circulair grant is € 100.000, Kruibeke merged
into Beveren-Kruibeke-Zwijndrecht. Escaping and mergers-with-practices use the made-up
store of ``pages_support``.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Iterator

import httpx
import pytest
import rdflib
from conftest import Server
from pages_support import fixture_server  # noqa: F401  (fixture)

LEUVEN = "/doc/praktijk/leuven-strategie-circulaire-stad"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "Accept-Language": "nl-BE,nl;q=0.9"}
HTML_EN = {**HTML, "Accept-Language": "en-GB,en;q=0.9"}


class _Page(HTMLParser):
    """Links, headings, scripts and visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.scripts: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._href: str | None = None
        self._script: str | None = None
        self._heading = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a":
            self._href, self._buffer = a.get("href") or "", []
        elif tag == "script":
            self._script, self._buffer = a.get("type") or "", []
        elif tag in ("h1", "h2", "h3"):
            self._heading, self._buffer = True, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._buffer).strip()))
            self._href = None
        elif tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buffer)))
            self._script = None
        elif tag in ("h1", "h2", "h3") and self._heading:
            self.headings.append(" ".join("".join(self._buffer).split()))
            self._heading = False

    def handle_data(self, data: str) -> None:
        if self._script is None:
            self.text.append(data)
        if self._href is not None or self._script is not None or self._heading:
            self._buffer.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())

    def link_texts(self, prefix: str) -> set[str]:
        return {text for href, text in self.links if href.startswith(prefix)}


def page(client: httpx.Client, path: str, headers: dict[str, str] | None = None, **params: str) -> _Page:
    r = client.get(path, headers=headers or HTML, params=params)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    parsed = _Page()
    parsed.feed(r.text)
    return parsed


@pytest.fixture()
def fx(fixture_server: Server) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=fixture_server.url, timeout=30) as client:
        yield client


# --- a practice --------------------------------------------------------------------


def test_leuven_practice_page_shows_what_the_sheet_says(http: httpx.Client) -> None:
    p = page(http, LEUVEN)
    assert "Strategie circulaire stad" in p.headings
    assert p.link_texts("/doc/concept/thema/") == {"Materialen", "Energie", "Beleid", "Voedsel", "Water", "Ruimtelijke ordening"}
    assert "Opmaken van een circulaire stadsstrategie" in p.link_texts("/doc/concept/beleidsinstrument/")
    assert ("/doc/gemeente/24062", "Leuven") in p.links
    assert "Jessie Van Couwenberghe" in p.link_texts("/doc/persoon/")
    assert "jessie.vancouwenberghe@leuven.be" not in p.visible and "vancouwenberghe@" not in str(p.links)
    for heading in ("Betrokkenen", "Trekker", "Partner", "Contactpersoon", "Succesfactoren", "Valkuilen", "Uitdagingen", "Financiering"):
        assert heading in p.headings, heading
    assert "Stad Leuven" in p.link_texts("/doc/organisatie/")
    assert "sinds 2020" in p.visible
    assert {"Pop-Machina", "Sharepair"} <= p.link_texts("/doc/programma/")
    assert "Ambitieuze visie en strategie" in p.visible  # a success factor
    assert any(h.startswith("/doc/bron/leuven-praktijkfiche") for h, _ in p.links)


def test_hash_parts_of_a_practice_are_anchors_on_its_page(http: httpx.Client) -> None:
    """``…/id/praktijk/x#rol-1`` opens the document at that role: the fragment is an element id."""
    body = http.get(LEUVEN, headers=HTML).text
    for anchor in ("rol-1", "succesfactor-1", "valkuil-1", "uitdaging-1"):
        assert f'id="{anchor}"' in body, anchor


def test_practice_page_links_its_formats_and_a_ready_made_sparql_query(http: httpx.Client) -> None:
    r = http.get(LEUVEN, headers=HTML)
    p = _Page()
    p.feed(r.text)
    hrefs = {h for h, _ in p.links}
    for suffix in ("ttl", "jsonld", "nt", "rdf"):
        assert f"{LEUVEN}.{suffix}" in hrefs
        assert '<link rel="alternate" type=' in r.text and f'href="{LEUVEN}.{suffix}"' in r.text
    sparql = next(h for h in hrefs if h.startswith("/sparql?query="))
    from urllib.parse import parse_qs, urlparse

    query = parse_qs(urlparse(sparql).query)["query"][0]
    assert "<https://data.lokaalcirculair.be/id/praktijk/leuven-strategie-circulaire-stad>" in query
    assert "SELECT" in query


def test_practice_page_embeds_schema_org_json_ld(http: httpx.Client) -> None:
    p = page(http, LEUVEN)
    blocks = [json.loads(body) for kind, body in p.scripts if kind == "application/ld+json"]
    assert len(blocks) == 1
    data = blocks[0]
    assert data["@context"] == "https://schema.org" and data["@type"] == "Project"
    assert data["@id"] == "https://data.lokaalcirculair.be/id/praktijk/leuven-strategie-circulaire-stad"
    assert data["name"] == "Strategie circulaire stad" and data["startDate"] == "2020"
    assert {place["name"] for place in data["location"]} == {"Leuven"}
    assert [s for s in p.scripts if s[0] != "application/ld+json"] == []  # no other script: nothing needs JS


def test_amounts_are_written_in_euro_per_language(http: httpx.Client) -> None:
    nl = http.get("/doc/praktijk/aal-circulair", headers=HTML).text
    en = http.get("/doc/praktijk/aal-circulair", headers=HTML, params={"lang": "en"}).text
    assert re.search(r'class="num amount">€ 100\.000<', nl)
    assert re.search(r'class="num amount">€100,000<', en)
    grant = page(http, "/doc/financiering/aal-circulair-subsidie")
    assert "€ 100.000" in grant.visible and "2017-077" in grant.visible
    assert "Vlaanderen Circulair" in " ".join(grant.link_texts("/doc/organisatie/"))
    assert grant.link_texts("/doc/praktijk/") == {"#AAL Circulair"} or grant.link_texts("/doc/praktijk/")


# --- other kinds ------------------------------------------------------------------------


def test_organisation_page_lists_its_practices_by_role(http: httpx.Client) -> None:
    p = page(http, "/doc/organisatie/stad-leuven")
    assert "Stad Leuven" in p.headings and "Praktijken per rol" in p.headings and "Trekker (1)" in p.headings
    assert ("/doc/praktijk/leuven-strategie-circulaire-stad", "Strategie circulaire stad") in p.links
    assert ("/doc/gemeente/24062", "Leuven") in p.links
    assert "Duurzaamheid (Stad Leuven)" in p.link_texts("/doc/organisatie/")  # its services


def test_municipality_page_has_province_arrondissement_practices_and_the_flemish_iri(http: httpx.Client) -> None:
    p = page(http, "/doc/gemeente/24062")
    assert "Leuven" in p.headings
    assert ("/doc/provincie/20001", "Vlaams-Brabant") in p.links
    assert "/doc/arrondissement/24000" in {h for h, _ in p.links}
    assert ("/doc/praktijk/leuven-strategie-circulaire-stad", "Strategie circulaire stad") in p.links
    assert "https://data.vlaanderen.be/id/gemeente/24062" in {h for h, _ in p.links}
    assert "24062" in p.visible


def test_new_municipality_tells_its_merger_history(http: httpx.Client) -> None:
    p = page(http, "/doc/gemeente/46030")
    assert "Beveren-Kruibeke-Zwijndrecht" in p.headings
    assert {"Beveren", "Kruibeke", "Zwijndrecht"} <= p.link_texts("/doc/gemeente/")
    assert "1 januari 2025" in p.visible


def test_concept_page_shows_hierarchy_and_practices_under_narrower_concepts(http: httpx.Client) -> None:
    p = page(http, "/doc/concept/actiedomein/consumentengoederen")
    assert "Herstel en hergebruik" in p.link_texts("/doc/concept/actiedomein/")  # narrower
    # Leuven is filed under the narrower "Herstel en hergebruik", so it is found here too.
    assert "Strategie circulaire stad" in p.link_texts("/doc/praktijk/")
    narrow = page(http, "/doc/concept/actiedomein/herstel-en-hergebruik")
    assert ("/doc/concept/actiedomein/consumentengoederen" in {h for h, _ in narrow.links})
    assert "Actiedomeinen" in narrow.visible or "actiedomein" in narrow.visible.lower()


def test_concept_scheme_page_is_a_tree(http: httpx.Client) -> None:
    p = page(http, "/doc/conceptscheme/actiedomein")
    assert {"Bebouwde omgeving", "Hergebruik bouwmaterialen", "Circulair waterbeheer"} <= p.link_texts("/doc/concept/actiedomein/")
    themes = page(http, "/doc/conceptscheme/thema")
    assert {"Materialen", "Water"} <= themes.link_texts("/doc/concept/thema/")


def test_programme_source_person_and_province_pages(http: httpx.Client) -> None:
    programme = page(http, "/doc/programma/pop-machina")
    assert "Strategie circulaire stad" in programme.link_texts("/doc/praktijk/")
    source = page(http, "/doc/bron/leuven-praktijkfiche-strategie-circulaire-stad")
    assert "Strategie circulaire stad" in source.link_texts("/doc/praktijk/")
    person = page(http, "/doc/persoon/jessie-van-couwenberghe")
    assert "Jessie Van Couwenberghe" in person.headings
    assert "Stad Leuven" in person.link_texts("/doc/organisatie/")  # the employer, shown as a curator's reading
    assert "@leuven.be" not in person.visible
    province = page(http, "/doc/provincie/20001")
    assert "Vlaams-Brabant" in province.headings and "Leuven" in province.link_texts("/doc/gemeente/")


# --- languages -------------------------------------------------------------------------


def test_dutch_by_default_english_on_request_with_dutch_fallback(http: httpx.Client) -> None:
    default = page(http, LEUVEN, headers={"Accept": "text/html"})
    assert "Strategie circulaire stad" in default.headings and "Betrokkenen" in default.headings
    english = page(http, LEUVEN, headers=HTML_EN)
    # The English title is a curators' translation: the heading carries the discreet mark.
    assert "Circular city strategy transl." in english.headings and "Who is involved" in english.headings
    assert "Materials" in english.link_texts("/doc/concept/thema/")
    assert "Jessie Van Couwenberghe" in english.link_texts("/doc/persoon/")  # no English: the Dutch name
    assert {"City of Leuven", "AGSL"} <= english.link_texts("/doc/organisatie/")  # AGSL has no English name
    by_param = page(http, LEUVEN, lang="en")
    assert "Circular city strategy transl." in by_param.headings
    # An explicit choice sticks to every link, and the switch leads back.
    assert ("/doc/gemeente/24062?lang=en", "Leuven") in by_param.links
    assert ("/doc/praktijk/leuven-strategie-circulaire-stad?lang=nl", "Nederlands") in by_param.links
    assert ("/doc/praktijk/leuven-strategie-circulaire-stad?lang=en", "English") in default.links


def test_html_varies_on_language_and_answers_304(http: httpx.Client) -> None:
    r = http.get(LEUVEN, headers=HTML)
    assert "Accept-Language" in r.headers["vary"]
    assert http.get(LEUVEN, headers={**HTML, "If-None-Match": r.headers["etag"]}).status_code == 304
    assert http.get(LEUVEN, headers={**HTML_EN, "If-None-Match": r.headers["etag"]}).status_code == 200


# --- home and lists ----------------------------------------------------------------------


def test_home_page_shows_counts_and_the_ways_in(http: httpx.Client, server: Server) -> None:
    from kg.store.open_store import open_store

    store = open_store(server.settings)
    practices = int(store.select(
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://data.lokaalcirculair.be/ns/circulair#Praktijk> }")[0]["n"].value)
    store.close()
    p = page(http, "/")
    assert f"{practices} praktijken" in p.visible
    hrefs = {h for h, _ in p.links}
    for way in ("/praktijken", "/themas", "/gemeenten", "/organisaties", "/financiering", "/zoeken", "/sparql", "/dumps/", "/catalog"):
        assert way in hrefs, way
    assert "Materialen" in p.link_texts("/doc/concept/thema/")
    # Provinces with a practice (#17: the coaching records in West-Vlaanderen no longer state a place of their own).
    assert "Vlaams-Brabant" in {text for h, text in p.links if h.startswith("/gemeenten#")}
    assert http.head("/").status_code == 200


def test_practice_list_filters_combine_and_count(http: httpx.Client) -> None:
    everything = page(http, "/praktijken")
    total = int(re.search(r"(\d+) praktijken", everything.visible).group(1))  # type: ignore[union-attr]
    assert total >= 20
    assert len(everything.link_texts("/doc/praktijk/")) == 25  # first page
    second = page(http, "/praktijken", pagina="2")
    assert len(second.link_texts("/doc/praktijk/")) == total - 25
    leuven = page(http, "/praktijken", thema="materialen", provincie="20001")
    assert leuven.link_texts("/doc/praktijk/") == {"Strategie circulaire stad"} and "1 praktijk" in leuven.visible
    assert page(http, "/praktijken", thema="materialen", provincie="30000").link_texts("/doc/praktijk/") == set()
    assert "Strategie circulaire stad" in page(http, "/praktijken", gemeente="24062").link_texts("/doc/praktijk/")
    lead = page(http, "/praktijken", organisatie="stad-leuven", rol="trekker")
    assert lead.link_texts("/doc/praktijk/") == {"Strategie circulaire stad"}
    assert page(http, "/praktijken", organisatie="stad-leuven", rol="partner").link_texts("/doc/praktijk/") == set()
    assert "Strategie circulaire stad" in page(http, "/praktijken", actiedomein="consumentengoederen").link_texts("/doc/praktijk/")
    assert "Strategie circulaire stad" in page(http, "/praktijken", instrument="circulaire-stadsstrategie").link_texts("/doc/praktijk/")
    assert "Strategie circulaire stad" in page(http, "/praktijken", programma="pop-machina").link_texts("/doc/praktijk/")
    assert "Strategie circulaire stad" in page(http, "/praktijken", van="2024").link_texts("/doc/praktijk/")  # still running
    assert "Strategie circulaire stad" not in page(http, "/praktijken", tot="2019").link_texts("/doc/praktijk/")
    assert http.get("/praktijken", params={"van": "twintig"}, headers=HTML).status_code == 400


def test_organisations_municipalities_themes_and_funding_lists(http: httpx.Client) -> None:
    orgs = page(http, "/organisaties")
    assert {"Stad Leuven", "VVSG"} <= orgs.link_texts("/doc/organisatie/") or "Stad Leuven" in orgs.link_texts("/doc/organisatie/")
    gemeenten = page(http, "/gemeenten")
    provinces = {h for h in gemeenten.headings}
    assert any(h.startswith("Antwerpen") for h in provinces) and any(h.startswith("Limburg") for h in provinces)
    assert len(gemeenten.link_texts("/doc/gemeente/")) > 300  # all 312 codes, 2019–2024 and 2025
    assert "tot 2024" in gemeenten.visible  # Kruibeke and the other merged ones are marked
    themes = page(http, "/themas")
    assert "Hergebruik bouwmaterialen" in themes.link_texts("/doc/concept/actiedomein/")
    funding = page(http, "/financiering")
    assert "Subsidie voor #AAL Circulair" in funding.link_texts("/doc/financiering/") and "€ 100.000" in funding.visible


# --- search ------------------------------------------------------------------------------


def test_search_is_case_and_accent_insensitive_and_ranks_titles_first(http: httpx.Client) -> None:
    mobius = page(http, "/zoeken", q="mobius")
    assert "Möbius" in mobius.link_texts("/doc/organisatie/")
    upper = page(http, "/zoeken", q="MÖBIUS")
    assert "Möbius" in upper.link_texts("/doc/organisatie/")
    reuse = page(http, "/zoeken", q="hergebruik")
    results = [text for href, text in reuse.links if href.startswith("/doc/")]
    assert results and "hergebruik" in results[0].lower()  # a title match comes first
    assert "Strategie circulaire stad" in results  # found through its description
    title_first = [h for h, _ in page(http, "/zoeken", q="strategie circulaire stad").links if h.startswith("/doc/")]
    assert title_first[0] == "/doc/praktijk/leuven-strategie-circulaire-stad"
    assert "0 resultaten" in page(http, "/zoeken", q="qwertyuiop").visible


# --- the ontology ----------------------------------------------------------------------


def test_ontology_page_for_people_and_turtle_for_code(http: httpx.Client) -> None:
    r = http.get("/ns/circulair", headers=HTML)
    assert r.status_code == 200 and 'id="Praktijk"' in r.text
    assert "circ:thema" in r.text
    ttl = http.get("/ns/circulair", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert (rdflib.URIRef("https://data.lokaalcirculair.be/ns/circulair#Praktijk"), rdflib.RDF.type, rdflib.OWL.Class) in g
    assert http.get("/ns/circulair.ttl").text == ttl.text
    assert http.get("/ns/circulair.exe").status_code == 404


# --- safety ------------------------------------------------------------------------------


def test_every_literal_is_escaped(fx: httpx.Client) -> None:
    r = fx.get("/doc/praktijk/proef", headers=HTML)
    body = r.text
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in body
    assert "Begeleidt &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in body
    # The JSON-LD block closes exactly once, and still says what the data says.
    block = body.split('<script type="application/ld+json">', 1)[1]
    json_text, rest = block.split("</script>", 1)
    assert json.loads(json_text)["name"] == "Proefpraktijk <script>alert('x')</script>"
    assert "<script" not in rest
    p = _Page()
    p.feed(body)
    assert [kind for kind, _ in p.scripts] == ["application/ld+json"]
    assert "Proefbureau & Co" in p.link_texts("/doc/organisatie/")
    for path in ("/zoeken?q=%3Cscript%3Ealert(1)%3C/script%3E", "/zoeken?q=proefpraktijk", "/praktijken", "/doc/gemeente/46030",
                 "/doc/organisatie/proefbureau", "/praktijken?thema=%22%3E%3Cscript%3E"):
        text = fx.get(path, headers=HTML).text
        assert "<script>" not in text and "<img src=x" not in text, path


def test_a_practice_in_a_merged_municipality_is_found_under_its_successor(fx: httpx.Client) -> None:
    successor = page(fx, "/doc/gemeente/46030")
    assert any(text.startswith("Proefpraktijk") for text in successor.link_texts("/doc/praktijk/"))
    assert "(in Oudstad)" in successor.visible
    listed = page(fx, "/praktijken", gemeente="46030")
    assert any(text.startswith("Proefpraktijk") for text in listed.link_texts("/doc/praktijk/"))
    ended = page(fx, "/doc/gemeente/46014")
    assert "bestaat niet meer" in ended.visible and "Nieuwstad" in ended.link_texts("/doc/gemeente/")
    assert any(text.startswith("Proefpraktijk") for text in ended.link_texts("/doc/praktijk/"))


def test_language_switch_and_links_stay_on_this_host(fx: httpx.Client) -> None:
    p = page(fx, "/doc/praktijk/proef", lang="en")
    for href, _ in p.links:
        assert href.startswith(("/", "#", "https://data.vlaanderen.be/", "https://creativecommons.org/")), href


def test_a_municipality_that_ended_is_told_apart_by_its_period_in_filters_and_cards(fx: httpx.Client) -> None:
    """Two municipalities of one name (Tielt before and after the 2025 merger) must not look alike in
    the filters of /praktijken and /kaart, nor on the practice cards: each shows its period."""
    for path in ("/praktijken", "/kaart"):
        html = fx.get(path, headers=HTML).text
        select = html.split('<select id="f-gemeente"', 1)[1].split("</select>", 1)[0]
        assert re.search(r'<option value="46014"[^>]*>Oudstad, tot 2024 \(\d+\)</option>', select), (path, select[:500])
    english = fx.get("/praktijken", params={"lang": "en"}, headers=HTML).text
    assert re.search(r'>(<span lang="nl">)?Oudstad(</span>)?</a> <span class="note">\(until 2024\)</span>', english)

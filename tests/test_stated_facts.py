"""Every published fact is one the sources state; readings and translations are marked (issue 17).

Each rule of ``docs/records.md`` ("What counts as stated") is a query on the store built from
the real data: it fails when a record breaks the rule. The expectations are the sources' own
words, quoted next to each assertion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kg.records.corpus import load_corpus
from kg.records.record import Text
from kg.settings import PROJECT_ROOT, Settings
from kg.store.graph_store import GraphStore
from kg.store.open_store import open_store

B = "https://data.lokaalcirculair.be"
PREFIXES = f"""
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX circ: <https://data.lokaalcirculair.be/ns/circulair#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX frapo: <http://purl.org/cerif/frapo/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX aal: <{B}/id/praktijk/aal-circulair>
"""
#: The predicates that state a fact about a funder, a type, a date, a status, a place, a parent, a role.
FACT_PREDICATES = ("schema:funder", "org:classification", "dct:date", "adms:status", "dct:spatial",
                   "org:subOrganizationOf", "org:memberOf", "prov:hadRole", "circ:financieringskanaal", "circ:ontvanger")


@pytest.fixture(scope="module")
def store(built_store: Settings) -> Iterator[GraphStore]:
    served = open_store(built_store)
    yield served
    served.close()


def select(store: GraphStore, query: str) -> list[dict[str, Any]]:
    return [{k: v.value for k, v in row.items() if v is not None} for row in store.select(PREFIXES + query)]


def ask(store: GraphStore, where: str) -> bool:
    return bool(select(store, f"SELECT (1 AS ?found) WHERE {{ {where} }} LIMIT 1"))


# --- 1. inferences are not facts ------------------------------------------------------------


def test_aal_circulair_has_no_funder_call_or_channel(store: GraphStore) -> None:
    # 000 gives "Dossiernummer: 2017-077" and "Subsidiebedrag: € 100.000" and names no funder or call.
    assert not ask(store, """
        { ?g schema:fundedItem aal: ; schema:funder ?f }
        UNION { aal: prov:qualifiedAssociation/prov:hadRole <%s/id/concept/rol/financier> }
        UNION { aal: circ:programma ?p } UNION { aal: circ:financieringskanaal ?k }
        UNION { ?g schema:fundedItem aal: ; dct:isPartOf ?p }""" % B)


def test_the_grant_says_what_the_sheet_says(store: GraphStore) -> None:
    rows = select(store, f"""SELECT ?n ?v WHERE {{ <{B}/id/financiering/aal-circulair-subsidie> frapo:hasGrantNumber ?n ;
        schema:amount/schema:value ?v ; schema:fundedItem aal: }}""")
    assert [(r["n"], float(r["v"])) for r in rows] == [("2017-077", 100000.0)]


def test_the_invented_programme_is_gone(store: GraphStore) -> None:
    assert not ask(store, f"GRAPH ?g {{ <{B}/id/programma/vlaanderen-circulair-projectoproep> ?p ?o }}")
    programmes = {r["p"] for r in select(store, "SELECT ?p WHERE { ?p a frapo:FundingProgramme }")}
    # 004: "Financieringskanaal: Externe bovenlokale middelen; Pop-Machina, Sharepair, Europese middelen".
    assert programmes == {f"{B}/id/programma/pop-machina", f"{B}/id/programma/sharepair"}


def test_the_invented_programme_answers_410_with_its_reason(http: httpx.Client) -> None:
    r = http.get("/id/programma/vlaanderen-circulair-projectoproep", headers={"Accept": "text/html"})
    assert r.status_code == 410
    assert "noemt geen oproep en geen financier" in r.text


def test_a_reading_never_answers_a_fact_query(store: GraphStore) -> None:
    facts = ", ".join(FACT_PREDICATES)
    assert select(store, f"SELECT ?r WHERE {{ ?r a circ:Lezing ; ?p ?o FILTER(?p IN ({facts})) }}") == []
    # Nor is anything a reading and a fact-bearing thing at once (an association, a grant).
    assert not ask(store, "?r a circ:Lezing . { ?r a prov:Association } UNION { ?r a schema:MonetaryGrant }")


def test_the_named_inferences_are_gone(store: GraphStore) -> None:
    assert not ask(store, f"""
        {{ aal: adms:status ?s }}
        UNION {{ VALUES ?o {{ <{B}/id/organisatie/economisch-huis-oostende> <{B}/id/organisatie/circle-economy>
                            <{B}/id/organisatie/deelfabriek-kortrijk> }} ?o org:classification ?t }}
        UNION {{ <{B}/id/organisatie/economisch-huis-oostende> org:subOrganizationOf ?x }}
        UNION {{ <{B}/id/persoon/jessie-van-couwenberghe> org:memberOf ?x }}
        UNION {{ <{B}/id/praktijk/begeleiding-pilootproject-kenniscentrum-waasland> dct:spatial ?x }}
        UNION {{ <{B}/id/praktijk/doe-netwerk-lokaal-circulair> prov:qualifiedAssociation/prov:hadRole <{B}/id/concept/rol/trekker> }}""")


def test_dates_only_where_the_source_states_them(store: GraphStore) -> None:
    dated = {r["o"].rpartition("#")[2] for r in select(store, f"""
        SELECT ?o WHERE {{ <{B}/id/indicator/huishoudelijk-afval-per-inwoner> circ:observatie ?o . ?o dct:date ?d }}""")}
    # 001: "Twee derde van huishoudelijk afval gaat naar materiaalrecuperatie (2020): 44% ... en 21% ...";
    # the 30 % and 2,5 % lines have no year.
    assert dated == {"aandeel-gerecycleerd", "aandeel-gecomposteerd-of-vergist"}
    # The Aalst slide's text copy has no visible structure: no year is stated for any number,
    # and the loose "3 434" "6 656" are no range of their own.
    assert not ask(store, f"<{B}/id/indicator/circulaire-jobs-aalst> circ:observatie/dct:date ?d")
    assert not ask(store, f"<{B}/id/indicator/circulaire-jobs-aalst#circulaire-jobs-2025> ?p ?o")


def test_readings_are_kept_and_queryable(store: GraphStore) -> None:
    rows = {(r["s"].removeprefix(B), r["p"]) for r in select(store, """
        SELECT ?s ?p WHERE { ?r a circ:Lezing ; rdf:subject ?s ; rdf:predicate ?p ;
                             prov:wasAttributedTo circ:projectteam ; skos:editorialNote ?n FILTER(lang(?n) = "nl") }""")}
    org, dct = "http://www.w3.org/ns/org#", "http://purl.org/dc/terms/"
    assert {
        ("/id/organisatie/economisch-huis-oostende", org + "classification"),
        ("/id/organisatie/economisch-huis-oostende", org + "subOrganizationOf"),
        ("/id/organisatie/circle-economy", org + "classification"),
        ("/id/financiering/aal-circulair-subsidie", "http://schema.org/funder"),
        ("/id/indicator/huishoudelijk-afval-per-inwoner#aandeel-verbrand-energierecuperatie", dct + "date"),
        ("/id/indicator/circulaire-jobs-aalst#circulaire-jobs-2020", dct + "date"),
        ("/id/praktijk/doe-netwerk-lokaal-circulair", "http://www.w3.org/ns/prov#wasAssociatedWith"),
    } <= rows
    # The funder read for the grant is Vlaanderen Circulair, with the sheet's own sentence as its ground.
    funder = select(store, f"""SELECT ?o ?n WHERE {{ <{B}/id/financiering/aal-circulair-subsidie> circ:lezing ?r .
        ?r rdf:predicate schema:funder ; rdf:object ?o ; skos:editorialNote ?n }}""")
    assert [r["o"] for r in funder] == [f"{B}/id/organisatie/vlaanderen-circulair"]
    assert "In 2019 dienden we twee nieuwe projecten in bij Vlaanderen Circulair" in funder[0]["n"]


def test_the_coaching_records_take_their_place_from_the_participants(store: GraphStore) -> None:
    # 003 names the coached governments ("Stad Halle, Stad Turnhout, Stad Roeselare, ..."), not a place.
    assert not ask(store, "?p dct:isPartOf ?programme ; dct:spatial ?g . ?programme circ:praktijktype ?t "
                          f"FILTER(STRSTARTS(STR(?p), '{B}/id/praktijk/begeleiding-'))")


# --- 4. translations are marked --------------------------------------------------------------


def test_every_translation_node_describes_a_triple_of_its_graph(store: GraphStore) -> None:
    assert select(store, """SELECT ?t WHERE { GRAPH ?g { ?t a circ:Vertaling ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
        FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }""") == []
    assert ask(store, f"""?t a circ:Vertaling ; rdf:subject <{B}/id/financiering/aal-circulair-subsidie> ;
        rdf:predicate dct:title ; rdf:object "Grant for #AAL Circulair"@en""")


def test_every_english_literal_has_an_english_source_or_is_marked_a_translation(store: GraphStore) -> None:
    # docs/records.md: a language the sources do not give is marked 'vertaald' (circ:Vertaling).
    kinds = "praktijk|organisatie|persoon|programma|financiering|publicatie|indicator|bron"
    eng = "<http://publications.europa.eu/resource/authority/language/ENG>"
    rows = select(store, f"""SELECT ?g ?s ?p ?o WHERE {{
        GRAPH ?g {{ ?s ?p ?o FILTER(isLiteral(?o) && langMatches(lang(?o), "en")) }}
        FILTER(REGEX(STR(?g), "^{B}/graph/({kinds})/"))
        FILTER(?p != rdf:object)
        FILTER NOT EXISTS {{ ?s a circ:Lezing }}
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?t a circ:Vertaling ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }} }}
        FILTER NOT EXISTS {{ GRAPH ?g {{ {{ ?r prov:wasDerivedFrom ?b }} UNION {{ ?b a foaf:Document }} }}
                             ?b dct:language|circ:ookInTaal {eng} }}
    }}""")
    assert rows == []


def _plain(text: str) -> str:
    """Text as compared with a source: without layout (whitespace, bold marks) or case."""
    return "".join(text.replace("**", "").split()).casefold()


def test_unmarked_english_quotes_its_english_source_word_for_word() -> None:
    """The complement of the rule above, on the records: English that is not marked a translation
    and cites an English source is that source's text (curator insertions in [brackets], omissions …)."""
    corpus = load_corpus(PROJECT_ROOT / "data", PROJECT_ROOT / "ontology" / "vocabularies")
    sources = {r.id: r for r in corpus.of_kind("bron")}

    def english_texts(ids: set[str]) -> list[str]:
        found = [s for s in (sources[i] for i in ids) if "en" in (s.data.get("taal"), *(s.data.get("ook_in") or ()))]
        return [_plain((PROJECT_ROOT / "data" / "sources" / str(s.data["bestand"])).read_text(encoding="utf-8"))
                for s in found if s.data.get("bestand")]

    def texts(value: Any, path: str) -> Iterator[tuple[str, Text]]:
        if isinstance(value, Text):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                if key != "lezingen":
                    yield from texts(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from texts(item, f"{path}.{index}")

    unquoted = []
    for (kind, rid), record in corpus.records.items():
        ids = set(record.data.get("bronnen") or ()) | ({rid} if kind == "bron" else set())
        english = english_texts(ids & set(sources))
        for path, text in texts(dict(record.data), f"{kind}/{rid}"):
            if "en" not in text or "en" in text.translated or not english:
                continue
            pieces = re.sub(r"\[[^\]]*\]", "…", _plain(text["en"])).split("…")
            unquoted += [(path, piece) for piece in pieces if piece.strip(".") and not any(piece.strip(".") in s for s in english)]
    assert unquoted == []


def test_english_pages_mark_a_translation_and_dutch_pages_do_not(http: httpx.Client) -> None:
    en = http.get("/doc/organisatie/stad-oostende", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert en.status_code == 200
    heading = re.search(r"<h1>(.*?)</h1>", en.text, re.S)
    assert heading is not None
    assert re.fullmatch(r'City of Ostend <abbr class="vertaling" title="[^"]+">transl\.</abbr>', heading.group(1))
    nl = http.get("/doc/organisatie/stad-oostende", params={"lang": "nl"}, headers={"Accept": "text/html"})
    assert 'class="vertaling"' not in nl.text
    # The English of a source (002) is shown without a mark.
    source = http.get("/doc/praktijk/aal-circulair", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert "The #AAL Circular project was set up" in source.text
    assert 'class="vertaling"' not in re.search(r'<div class="description">(.*?)</div>', source.text, re.S).group(1)  # type: ignore[union-attr]


# --- 5. roles and links as stated --------------------------------------------------------------

LEUVEN = f"<{B}/id/praktijk/leuven-strategie-circulaire-stad>"


def test_the_four_cities_are_contacts_of_leuven_not_cooperating_governments(store: GraphStore) -> None:
    # 004: "… en daarnaast zijn er contacten met steden als Mechelen, Gent, Hasselt, Roeselare …".
    rows = select(store, f"""SELECT ?city ?rol WHERE {{
        VALUES ?city {{ <{B}/id/organisatie/stad-mechelen> <{B}/id/organisatie/stad-gent>
                       <{B}/id/organisatie/stad-hasselt> <{B}/id/organisatie/stad-roeselare> }}
        {LEUVEN} prov:qualifiedAssociation [ prov:agent ?city ; prov:hadRole ?rol ] }}""")
    assert len(rows) == 4 and {r["rol"] for r in rows} == {f"{B}/id/concept/rol/contact"}
    assert not ask(store, f"{LEUVEN} prov:qualifiedAssociation/prov:hadRole <{B}/id/concept/rol/samenwerkend-bestuur>")


def test_maakbaar_leuven_the_website_the_mailbox_and_the_social_media_sit_where_stated(store: GraphStore) -> None:
    # 004: "Maakbaar Leuven: het platform is de coördinerende draaischijf voor de uitvoering van de strategie".
    roles = {r["rol"] for r in select(store, f"""SELECT ?rol WHERE {{ {LEUVEN} prov:qualifiedAssociation
        [ prov:agent <{B}/id/organisatie/maakbaar-leuven> ; prov:hadRole ?rol ] }}""")}
    assert roles == {f"{B}/id/concept/rol/coordinerende-draaischijf"}
    # 004: "Website: Leuven2030" is a field of the practice sheet.
    assert ask(store, f'{LEUVEN} circ:websitenaam "Leuven2030"')
    # 001: the contact block's "Lokaalcirculair@vlaanderen-circulair.be" is the do-network's mailbox.
    assert ask(store, f'<{B}/id/praktijk/doe-netwerk-lokaal-circulair> schema:email "lokaalcirculair@vlaanderen-circulair.be"')
    assert not ask(store, f"<{B}/id/organisatie/vlaanderen-circulair> schema:email ?e")
    pages = {r["p"] for r in select(store, f"SELECT ?p WHERE {{ <{B}/id/organisatie/vlaanderen-circulair> foaf:page ?p }}")}
    assert pages == {"https://www.facebook.com/vlaanderencirculair/", "https://www.linkedin.com/company/vlaanderen-circulair",
                     "https://twitter.com/circulflanders", "https://www.instagram.com/circular.flanders/"}
    # 000: "67 volgers masterclass" is about the master class.
    holders = {r["p"] for r in select(store, "SELECT ?p WHERE { ?p circ:kerncijfer ?c . ?c schema:value ?v FILTER(?v = 67) }")}
    assert holders == {f"{B}/id/praktijk/aal-circulair-masterclass-circulaire-economie"}


# --- 6. what was missing ---------------------------------------------------------------------------


def test_the_learning_network_and_the_active_support_are_results_of_aal_circulair(store: GraphStore) -> None:
    results = [r["t"] for r in select(store, 'SELECT ?t WHERE { aal: circ:resultaat/rdf:value ?t FILTER(lang(?t) = "nl") }')]
    # 000: "Dit alles resulteerde in een uitgebreid lerend netwerk"; "Daarnaast hebben we een aantal
    # steden en gemeenten actief ondersteund …".
    assert any("uitgebreid lerend netwerk" in t for t in results)
    assert any("actief ondersteund" in t for t in results)


# --- 3. labels as the sources write them ------------------------------------------------------------


def test_value_chain_labels_are_the_slides_and_eu_labels_carry_their_source(store: GraphStore) -> None:
    chain = f"{B}/id/concept/waardeketen/"
    # 001, slide "Europa en Vlaanderen": "1. Consumentengoederen elektronica 2. Mobiliteit (voertuigen,
    # batterijen…) 3. Verpakkingen 4. Kunststoffen 5. Textiel 6. Bouw en infrastructuur 7. Biomassa,
    # voeding, water en bodem".
    slide = {"elektronica-en-ict": "Consumentengoederen elektronica", "mobiliteit": "Mobiliteit (voertuigen, batterijen…)",
             "verpakkingen": "Verpakkingen", "kunststoffen": "Kunststoffen", "textiel": "Textiel",
             "bouw-en-infrastructuur": "Bouw en infrastructuur", "biomassa-voeding-water-bodem": "Biomassa, voeding, water en bodem"}
    labels = {r["c"].removeprefix(chain): r["l"] for r in select(store, f"""SELECT ?c ?l WHERE {{
        ?c skos:inScheme <{B}/id/conceptscheme/waardeketen> ; skos:prefLabel ?l FILTER(lang(?l) = "nl") }}""")}
    assert labels == slide
    assert not ask(store, f'?c skos:inScheme <{B}/id/conceptscheme/waardeketen> ; skos:prefLabel "Vehicles and batteries"@en')
    assert select(store, f"""SELECT ?c ?l WHERE {{ ?c skos:inScheme <{B}/id/conceptscheme/waardeketen> ; skos:altLabel ?l
        FILTER NOT EXISTS {{ ?b a circ:Labelbron ; rdf:subject ?c ; rdf:predicate skos:altLabel ; rdf:object ?l ; dct:source ?src }} }}""") == []


def test_hasselt_is_linked_to_each_code_for_its_period(store: GraphStore) -> None:
    # Statbel REFNIS: Hasselt (71022) merged with Kortessem into Hasselt (71072) on 1 January 2025.
    rows = select(store, f"""SELECT ?nis ?van ?tot WHERE {{ <{B}/id/organisatie/stad-hasselt> circ:werkingsgebiedPeriode ?w .
        ?w dct:spatial/skos:notation ?nis . OPTIONAL {{ ?w schema:validFrom ?van }} OPTIONAL {{ ?w schema:validThrough ?tot }} }}
        ORDER BY ?nis""")
    assert rows == [{"nis": "71022", "tot": "2024-12-31"}, {"nis": "71072", "van": "2025-01-01"}]


# --- 2. lists are items, linked to the vocabularies -------------------------------------------------

SURVEY = f"<{B}/id/praktijk/bevraging-lokale-besturen-circulaire-economie>"
NETWORK = f"<{B}/id/praktijk/doe-netwerk-lokaal-circulair>"


def test_the_survey_lists_are_items(store: GraphStore) -> None:
    rows = select(store, f"""SELECT ?soort (COUNT(?i) AS ?n) WHERE {{ {SURVEY} circ:opsomming ?l .
        ?l circ:opsommingsoort ?soort ; schema:itemListElement ?i }} GROUP BY ?soort""")
    counts = {r["soort"].rpartition("/")[2]: int(r["n"]) for r in rows}
    # 001: two motives, two barriers, six action domains, five instruments, four expectations and
    # sixteen answer options to the partner question (n=95).
    assert counts == {"motief": 2, "drempel": 2, "voorkeur-actiedomein": 6, "voorkeur-beleidsinstrument": 5,
                      "verwachting": 4, "antwoordoptie": 16}


def test_the_survey_preferences_link_the_concepts_their_words_name(store: GraphStore) -> None:
    ad, bi = f"{B}/id/concept/actiedomein/", f"{B}/id/concept/beleidsinstrument/"
    named = [ad + c for c in ("veranderingsgericht-bouwen", "stadsontwikkeling", "terugname-en-valorisatie-afval",
                              "consumentengoederen", "herstel-en-hergebruik", "deelsystemen")]
    named += [bi + c for c in ("activatie-politiek-bestuur", "activatie-administratieve-diensten", "circulair-aankopen",
                               "ondernemerschap-stimuleren", "samenwerken-bedrijventerreinen", "circulaire-stadsstrategie")]
    values = " ".join(f"<{c}>" for c in named)
    assert select(store, f"""SELECT ?x WHERE {{ VALUES ?x {{ {values} }}
        FILTER NOT EXISTS {{ {SURVEY} circ:opsomming/schema:itemListElement/dct:subject ?x }} }}""") == []


def test_the_value_chain_list_links_each_item_to_the_concept_with_its_words(store: GraphStore) -> None:
    rows = select(store, f"""SELECT ?c ?v ?cl WHERE {{ {NETWORK} circ:opsomming ?l .
        ?l circ:opsommingsoort <{B}/id/concept/opsommingsoort/beleidskader> ; schema:itemListElement ?i .
        ?i circ:waardeketen ?c ; rdf:value ?v . ?c skos:prefLabel ?cl FILTER(lang(?v) = "nl" && lang(?cl) = "nl") }}""")
    assert len({r["c"] for r in rows}) == 7
    assert all(r["v"] == r["cl"] for r in rows)


def test_what_was_missing_from_the_presentation(store: GraphStore) -> None:
    prompts = [r["t"] for r in select(store, f"""SELECT ?t WHERE {{ {NETWORK} circ:opsomming ?l .
        ?l circ:opsommingsoort <{B}/id/concept/opsommingsoort/oproep> ; schema:itemListElement ?i .
        ?i rdf:value ?t ; schema:position ?n }} ORDER BY ?n""")]
    # 001, the video slide: "Denk na over je eigen rol. Waarom zou ik er mee bezig zijn? Hoe werk ik
    # aan visie en aanpak? Doe mee. Begin zelf."
    assert prompts == ["Denk na over je eigen rol.", "Waarom zou ik er mee bezig zijn?", "Hoe werk ik aan visie en aanpak?",
                       "Doe mee.", "Begin zelf."]
    # "Duurzaamheid Energie … Innovatie Afval Mobiliteit Ruimte": the themes of the agreements go on.
    assert ask(store, f"{NETWORK} circ:opsomming [ circ:opsommingsoort <{B}/id/concept/opsommingsoort/analyse> ; circ:onvolledig true ]")


def test_coaching_durations_are_month_ranges_and_criteria_and_menu_are_items(store: GraphStore) -> None:
    ranges = {}
    for programme in ("lokaal-circulair-begeleiding-circulaire-strategie", "lokaal-circulair-begeleiding-circulair-pilootproject"):
        rows = select(store, f"""SELECT ?min ?max WHERE {{ <{B}/id/praktijk/{programme}> circ:kerncijfer ?c .
            ?c circ:eenheid <{B}/id/concept/eenheid/maand> ; schema:minValue ?min ; schema:maxValue ?max }}""")
        ranges[programme] = [(float(r["min"]), float(r["max"])) for r in rows]
    # 003: "minimaal 3 tot maximaal 6 maand" and "minimaal 3 tot maximaal 9 maand".
    assert ranges == {"lokaal-circulair-begeleiding-circulaire-strategie": [(3.0, 6.0)],
                      "lokaal-circulair-begeleiding-circulair-pilootproject": [(3.0, 9.0)]}
    counts = {r["soort"].rpartition("/")[2]: (int(r["n"]), r.get("open")) for r in select(store, """
        SELECT ?soort (COUNT(?i) AS ?n) (SAMPLE(?o) AS ?open) WHERE { ?p circ:opsomming ?l .
        ?l circ:opsommingsoort ?soort ; schema:itemListElement ?i OPTIONAL { ?l circ:onvolledig ?o }
        FILTER(?soort IN (<%s/id/concept/opsommingsoort/selectiecriterium>, <%s/id/concept/opsommingsoort/menukaart>)) }
        GROUP BY ?soort""" % (B, B))}
    # 003: six criteria under "Wie?"; the "menukaart" names six kinds of support and ends in "etc.".
    assert counts == {"selectiecriterium": (6, None), "menukaart": (6, "true")}


def test_each_source_gives_its_own_period_with_its_precision(store: GraphStore) -> None:
    rows = select(store, """PREFIX dcat: <http://www.w3.org/ns/dcat#>
        SELECT ?bron ?start ?end (DATATYPE(?start) AS ?type) WHERE {
          <%s/id/praktijk/lokaal-circulair-begeleiding-circulaire-strategie> dct:temporal ?t .
          ?t a dct:PeriodOfTime ; prov:wasDerivedFrom ?bron ; dcat:startDate ?start ; dcat:endDate ?end }""" % B)
    # 003: "Deze begeleiding loopt van november 2022 tot juni 2023."; 001: "3 – 6 maanden vanaf
    # september 2022 – juni 2023". Both are stated, each by its own source, to the month.
    assert sorted((r["bron"].rpartition("/")[2], r["start"], r["end"], r["type"]) for r in rows) == [
        ("lokaal-circulair-begeleiding", "2022-11", "2023-06", "http://www.w3.org/2001/XMLSchema#gYearMonth"),
        ("vlaanderen-circulair-presentatie-lokaal-circulair", "2022-09", "2023-06", "http://www.w3.org/2001/XMLSchema#gYearMonth"),
    ]
    # 004: "Startdatum: 2020" - a year, and no end.
    leuven = select(store, """PREFIX dcat: <http://www.w3.org/ns/dcat#>
        SELECT ?start (DATATYPE(?start) AS ?type) ?end WHERE { <%s/id/praktijk/leuven-strategie-circulaire-stad> dct:temporal ?t .
        ?t dcat:startDate ?start OPTIONAL { ?t dcat:endDate ?end } }""" % B)
    assert [(r["start"], r["type"], r.get("end")) for r in leuven] == [("2020", "http://www.w3.org/2001/XMLSchema#gYear", None)]
    # The deck's start is stated by the deck, so it is no longer a reading's value (only the choice is).
    assert not ask(store, "?r a circ:Lezing ; rdf:subject <%s/id/praktijk/lokaal-circulair-begeleiding-circulaire-strategie> ; "
                          "rdf:predicate schema:startDate ; rdf:object ?o" % B)


def test_a_list_inside_a_list_item_keeps_its_structure(store: GraphStore) -> None:
    rows = select(store, f"""SELECT ?item ?sub WHERE {{ {NETWORK} circ:opsomming ?l . ?l dct:title "Klimaatplan 2030"@nl ;
        schema:itemListElement ?i . ?i rdf:value ?item ; schema:position ?n . ?i schema:itemListElement ?s .
        ?s rdf:value ?sub ; schema:position ?m }} ORDER BY ?n ?m""")
    # 001, slide "Klimaatplan 2030": three headings, each with its own list; the second ends in "…".
    assert [(r["item"], r["sub"]) for r in rows][:4] == [
        ("Bijdrage vanuit sector Afval", "LT-visie afvalverwerking"), ("Bijdrage vanuit sector Afval", "Voorvergisting GFT-afval"),
        ("Bijdrage vanuit sector Afval", "Kunststoffen: selectieve inzameling en verwerking"),
        ("CE als transversale maatregel", "Verderzetten van transitieprogramma")]
    assert len(rows) == 9
    assert ask(store, f"""{NETWORK} circ:opsomming/schema:itemListElement ?i .
        ?i rdf:value "CE als transversale maatregel"@nl ; circ:onvolledig true""")
    # "Industrie:" with its two lines is an item with two items, not one flattened text.
    industry = select(store, f"""SELECT ?sub WHERE {{ {NETWORK} circ:opsomming/schema:itemListElement ?i .
        ?i rdf:value "Industrie:"@nl ; schema:itemListElement ?s . ?s rdf:value ?sub ; schema:position ?m }} ORDER BY ?m""")
    assert [r["sub"] for r in industry] == ["Circulaire economie als basiskader", "Industriële symbiose in clusters"]


# --- 8. the municipality reference ------------------------------------------------------------------


def test_every_arrondissement_follows_the_refnis_code_rule(store: GraphStore) -> None:
    # REFNIS: an arrondissement's code is its municipalities' first two digits followed by 000.
    assert select(store, """SELECT ?g WHERE { ?g a circ:Gemeente ; skos:notation ?n ; circ:arrondissement/skos:notation ?a
        FILTER(?a != CONCAT(SUBSTR(?n, 1, 2), "000")) }""") == []
    assert len(select(store, "SELECT ?g WHERE { ?g a circ:Gemeente ; circ:arrondissement ?a }")) == 312


def test_places_carry_the_french_names_the_reference_data_gives_with_its_source(store: GraphStore) -> None:
    # Statbel REFNIS (2019-2024 compilation): "West-Vlaanderen" / "Flandre occidentale", "Ieper" / "Ypres",
    # and the municipalities with language facilities, e.g. Mesen / Messines, Drogenbos / Drogenbos.
    rows = {(r["s"].removeprefix(B), r["fr"]) for r in select(store, """SELECT ?s ?fr WHERE {
        ?s skos:prefLabel ?fr ; prov:wasDerivedFrom <%s/id/bron/statbel-refnis> FILTER(lang(?fr) = "fr") }""" % B)}
    assert {("/id/provincie/30000", "Flandre occidentale"), ("/id/arrondissement/33000", "Ypres"),
            ("/id/gemeente/33016", "Messines"), ("/id/gemeente/23098", "Drogenbos")} <= rows
    # Every province and arrondissement has one French name, and no place has two.
    assert select(store, """SELECT ?s WHERE { ?s a ?c VALUES ?c { circ:Provincie circ:Arrondissement }
        FILTER NOT EXISTS { ?s skos:prefLabel ?fr FILTER(lang(?fr) = "fr") } }""") == []
    assert select(store, """SELECT ?s WHERE { ?s skos:prefLabel ?a , ?b FILTER(lang(?a) = "fr" && lang(?b) = "fr" && ?a != ?b) }""") == []
    # The 12 codes of 2025: their French names are not in the reference data, so none is published.
    assert select(store, """SELECT ?s WHERE { ?s a circ:Gemeente ; schema:validFrom ?v ; skos:prefLabel ?fr
        FILTER(lang(?fr) = "fr") }""") == []


def test_a_link_titled_in_two_languages_is_one_link_with_a_title_per_language(store: GraphStore) -> None:
    # A page the records link to is one foaf:page IRI; its title in each language is a literal of
    # that one IRI (dct:title), at most one per language, never a second link.
    assert select(store, """SELECT ?page WHERE { ?x foaf:page ?page . ?page dct:title ?a , ?b
        FILTER(?a != ?b && lang(?a) = lang(?b)) }""") == []
    modelling = "https://ce-center.vlaanderen-circulair.be/nl/publicaties/publicatie-2/7-modelling-job-creation-in-the-circular-economy-in-flanders"
    titles = select(store, f"SELECT ?x (lang(?t) AS ?l) WHERE {{ ?x foaf:page <{modelling}> . <{modelling}> dct:title ?t }}")
    assert sorted(r["l"] for r in titles) == ["en", "nl"] and len({r["x"] for r in titles}) == 1
    # Its English title is no source's: it is marked a translation.
    assert ask(store, f"?v a circ:Vertaling ; rdf:subject <{modelling}> ; rdf:predicate dct:title ; rdf:object ?t FILTER(lang(?t) = 'en')")


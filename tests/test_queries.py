"""Every example query in ``queries/`` answers what the sources say.

Each query runs over real HTTP against the running endpoint on the real data;
the expected answers are read from the five source documents in
``data/sources/`` (quoted next to each assertion).
"""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from endpoint.sparql.examples import example_queries
from kg.settings import PROJECT_ROOT

QUERIES = PROJECT_ROOT / "queries"
BASE = "https://data.lokaalcirculair.be/"


def run(http: httpx.Client, name: str) -> list[dict[str, str]]:
    """The rows of ``queries/{name}.rq``, our IRIs shortened to their path."""
    text = next(QUERIES.glob(f"*-{name}.rq")).read_text(encoding="utf-8")
    r = http.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [{k: v["value"].removeprefix(BASE) for k, v in row.items()} for row in r.json()["results"]["bindings"]]


def test_there_are_at_least_twelve_documented_examples() -> None:
    examples = example_queries(QUERIES)
    assert len(examples) >= 12
    for ex in examples:
        assert ex["title"] != ex["name"], f"{ex['name']}.rq has no '# title:' line"
        assert ex["description"], f"{ex['name']}.rq has no '# description:' line"
    tested = set(re.findall(r'run\(http, "([^"]+)"\)', Path(__file__).read_text(encoding="utf-8")))
    untested = {ex["name"].split("-", 1)[1] for ex in examples} - tested
    assert not untested, f"example queries without a test: {untested}"


def test_praktijken_per_thema(http: httpx.Client) -> None:
    rows = {r["label"]: int(r["praktijken"]) for r in run(http, "praktijken-per-thema")}
    # Leuven's sheet: "Materialen | Energie | Beleid | Voedsel | Water | Ruimtelijke ordening";
    # the #AAL Circulair sheet: "THEMA SAMEN-LEVING".
    for theme in ("Materialen", "Energie", "Beleid", "Voedsel", "Water", "Ruimtelijke ordening", "Samenleving"):
        assert rows.get(theme, 0) >= 1, theme


def test_praktijken_per_provincie(http: httpx.Client) -> None:
    rows = {r["naam"]: int(r["praktijken"]) for r in run(http, "praktijken-per-provincie")}
    # Coached: Halle (Vlaams-Brabant), Turnhout (Antwerpen), Roeselare, Oostende, Kortrijk
    # (West-Vlaanderen), Sint-Niklaas/Temse (Oost-Vlaanderen); Leuven's strategy (Vlaams-Brabant).
    assert rows["West-Vlaanderen"] >= 3
    assert rows["Vlaams-Brabant"] >= 2
    assert rows["Antwerpen"] >= 1
    assert rows["Oost-Vlaanderen"] >= 1


def test_gemeenten_begeleid_door_mobius(http: httpx.Client) -> None:
    names = {r["naam"] for r in run(http, "gemeenten-begeleid-door-mobius")}
    # "Stad Halle, Stad Turnhout, Stad Roeselare, het Economisch Huis Oostende / Stad Oostende ...
    # laten zich coachen"; "De deelfabriek van Stad Kortrijk", "Stad Sint-Niklaas en lokaal bestuur Temse".
    assert names == {"Halle", "Turnhout", "Roeselare", "Oostende", "Kortrijk", "Sint-Niklaas", "Temse"}


def test_subsidie_per_financier(http: httpx.Client) -> None:
    rows = run(http, "subsidie-per-financier")
    grant = next(r for r in rows if r["subsidie"] == "id/financiering/aal-circulair-subsidie")
    # #AAL Circulair: "Dossiernummer: 2017-077", "Subsidiebedrag: € 100.000"; the sheet names no funder.
    assert Decimal(grant["bedrag"]) == Decimal(100000) and grant["dossiernummer"] == "2017-077"
    assert "financier" not in grant


def test_praktijken_in_gefuseerde_gemeenten(http: httpx.Client) -> None:
    rows = run(http, "praktijken-in-gefuseerde-gemeenten")
    # Leuven works together with Hasselt (practice sheet); Hasselt (71022) merged with
    # Kortessem into the new Hasselt (71072) on 1 January 2025 (Statbel REFNIS).
    assert {"praktijk": "id/praktijk/leuven-strategie-circulaire-stad", "gemeente": "id/gemeente/71022", "opvolger": "id/gemeente/71072"}.items() <= next(
        r for r in rows if r["gemeente"] == "id/gemeente/71022"
    ).items()
    for r in rows:
        assert r["gemeente"] != r["opvolger"]


def test_organisaties_in_meerdere_praktijken(http: httpx.Client) -> None:
    rows = {r["naam"]: int(r["praktijken"]) for r in run(http, "organisaties-in-meerdere-praktijken")}
    # Möbius coaches both programmes and each of their trajectories; VVSG leads #AAL Circulair and its parts;
    # Circle Economy co-leads the workshops of both programmes; Roeselare is coached and works with Leuven.
    assert rows["Möbius"] >= 10
    assert rows["Vereniging van Vlaamse Steden en Gemeenten"] >= 2
    assert rows["Circle Economy"] >= 2
    assert rows["Stad Roeselare"] >= 3
    assert all(n > 1 for n in rows.values())


def test_hierarchie_actiedomeinen(http: httpx.Client) -> None:
    rows = run(http, "hierarchie-actiedomeinen")
    tree: dict[str, set[str]] = {}
    for r in rows:
        tree.setdefault(r["domeinLabel"], set()).add(r.get("subdomeinLabel", ""))
    # The presentation's five action domains and their sub-domains.
    assert set(tree) == {
        "Bio-economie en voeding", "Bebouwde omgeving", "(Maak)industrie en lokale economie",
        "Consumentengoederen (textiel, elektronica, meubelen, etc.)", "Circulair waterbeheer",
    }
    assert tree["Bio-economie en voeding"] == {"Korte keten en stadslandbouw", "Duurzame landbouw", "Preventie van voedselverspilling", "Valorisatie bio-afval"}
    assert tree["Circulair waterbeheer"] == {"Duurzaam watergebruik", "Ontharding", "Opslag van water", "Hergebruik van water", "Klimaatadaptatiemaatregelen"}
    assert len(tree["Bebouwde omgeving"]) == 4
    assert len(tree["(Maak)industrie en lokale economie"]) == 3
    assert len(tree["Consumentengoederen (textiel, elektronica, meubelen, etc.)"]) == 3


def test_kerncijfers_aal_circulair(http: httpx.Client) -> None:
    rows = {r["omschrijving"]: Decimal(r["waarde"]) for r in run(http, "kerncijfers-aal-circulair")}
    # "149 bereikte gemeenten", "50 circulaire projecten", "67 volgers masterclass".
    assert rows == {"bereikte gemeenten": 149, "circulaire projecten": 50, "volgers masterclass": 67}


def test_begeleidingstrajecten_lokaal_circulair(http: httpx.Client) -> None:
    rows = run(http, "begeleidingstrajecten-lokaal-circulair")
    by_programme: dict[str, set[str]] = {}
    dates = {}
    for r in rows:
        by_programme.setdefault(r["titel"], set()).add(r["naam"])
        dates[r["titel"]] = (r["start"], r["einde"])
    strategy = "(Boven)lokale begeleiding circulaire strategie"
    pilot = "(Boven)lokale begeleiding circulair pilootproject"
    # "Deze begeleiding loopt van november 2022 tot juni 2023" / "... tot april 2023".
    assert dates[strategy] == ("2022-11", "2023-06")
    assert dates[pilot] == ("2022-11", "2023-04")
    assert by_programme[strategy] == {"Stad Halle", "Stad Turnhout", "Stad Roeselare", "Economisch Huis Oostende", "Stad Oostende", "Imog"}
    assert by_programme[pilot] == {"Deelfabriek van Stad Kortrijk", "Stad Sint-Niklaas", "Lokaal bestuur Temse", "Intradura"}


def test_communities_of_practice(http: httpx.Client) -> None:
    rows = {r["titel"]: (r.get("start"), r.get("einde")) for r in run(http, "communities-of-practice")}
    # "Basistraject: september 2022 – maart 2023", "Traject voor gevorderden: april 2023 – december 2023",
    # stadsontwikkeling "September 2022 – maart 2023", monitoring "April 2023 – december 2023".
    assert rows["Community of Practice circulair aankopen: basistraject"] == ("2022-09", "2023-03")
    assert rows["Community of Practice circulair aankopen: traject voor gevorderden"] == ("2023-04", "2023-12")
    assert rows["Community of Practice circulaire stadsontwikkeling"] == ("2022-09", "2023-03")
    assert rows["Community of Practice monitoring"] == ("2023-04", "2023-12")


def test_externe_partners_leuven(http: httpx.Client) -> None:
    names = {r["naam"] for r in run(http, "externe-partners-leuven")}
    # "Platform Leuven Circulair?, Vzw Leuven 2030, KUleuven, Leuven Mindgate, UCLL, Voka, Maakbaar Leuven".
    assert names == {"Platform Leuven Circulair", "Leuven 2030", "KU Leuven", "Leuven Mindgate", "UCLL", "Voka", "Maakbaar Leuven"}


def test_respondenten_bevraging(http: httpx.Client) -> None:
    values = sorted(int(Decimal(r["aantal"])) for r in run(http, "respondenten-bevraging"))
    # "113 respondenten, 32 gemeenten, 7 intercommunales, 21 steden, 5 POM's & Provincies,
    # 5 Intergemeentelijke samenwerkingsverbanden", and the question with n=95.
    for n in (113, 32, 7, 21, 5, 95):
        assert n in values
    assert values.count(5) == 2


def test_praktijken_per_type(http: httpx.Client) -> None:
    rows = {r["label"]: int(r["praktijken"]) for r in run(http, "praktijken-per-type")}
    # Three Communities of Practice ("We zetten drie Communities of Practice op"), the purchasing one
    # in two trajectories; one strategy (Leuven); one funded project (#AAL Circulair).
    assert rows["Community of practice"] >= 3
    assert rows["Strategie"] >= 1
    assert rows["Gesubsidieerd project"] >= 1
    assert rows["Begeleidingsprogramma"] == 2


def test_lessen_leuven(http: httpx.Client) -> None:
    rows = run(http, "lessen-leuven")
    counts = {kind: sum(1 for r in rows if r["soort"] == kind) for kind in ("succesfactor", "valkuil", "uitdaging")}
    # The Leuven sheet lists nine success factors, three pitfalls and four challenges.
    assert counts == {"succesfactor": 9, "valkuil": 3, "uitdaging": 4}
    first = next(r for r in rows if r["soort"] == "valkuil" and r["positie"] == "1")
    assert "silodenken" in first["les"]


def test_financieringsprogrammas(http: httpx.Client) -> None:
    rows = run(http, "financieringsprogrammas")
    funded = {(r["naam"], r.get("titel")) for r in rows}
    # Leuven: "Financieringskanaal: ... Pop-Machina, Sharepair, Europese middelen"; the #AAL Circulair
    # sheet names no call, so no programme is listed for it.
    assert ("Pop-Machina", "Strategie circulaire stad") in funded
    assert ("Sharepair", "Strategie circulaire stad") in funded
    assert not any(title == "#AAL Circulair" for _, title in funded)


def test_lezingen_van_de_curatoren(http: httpx.Client) -> None:
    rows = run(http, "lezingen-van-de-curatoren")
    read = {(r["over"], r.get("eigenschap"), r.get("waarde")) for r in rows}
    # The #AAL Circulair sheet names no funder: the funder is a reading, with the sheet's own
    # sentence about the 2019 submissions as its ground.
    assert ("id/financiering/aal-circulair-subsidie", "http://schema.org/funder", "id/organisatie/vlaanderen-circulair") in read
    assert all(r["toelichting"] for r in rows)
    # The one label path names every record a reading is about, titled (a grant) or named, once each.
    records = [r for r in rows if "#" not in r["over"]]
    assert records and all(r.get("naam") for r in records)
    assert len({(r["over"], r["naam"], r.get("eigenschap"), r.get("waarde"), r["toelichting"]) for r in records}) == len(records)


def test_praktijken_binnen_een_provincie(http: httpx.Client) -> None:
    rows = run(http, "praktijken-binnen-een-provincie")
    # The Leuven practice sheet is about the city of Leuven (24062), in Vlaams-Brabant.
    assert {"praktijk": "id/praktijk/leuven-strategie-circulaire-stad", "gemeente": "id/gemeente/24062"}.items() <= next(
        r for r in rows if r["gemeente"] == "id/gemeente/24062"
    ).items()
    # The geometry agrees with the province column of the municipality table (Statbel).
    with (PROJECT_ROOT / "data" / "reference" / "gemeenten.csv").open(encoding="utf-8", newline="") as handle:
        column = {r["nis"]: r["provincie_code"] for r in csv.DictReader(handle)}
    assert {column[r["gemeente"].rsplit("/", 1)[1]] for r in rows} == {"20001"}


def test_buurgemeenten_van_leuven(http: httpx.Client) -> None:
    names = {r["naam"] for r in run(http, "buurgemeenten-van-leuven")}
    # The source file's topology says who borders whom: municipalities that share an arc with Leuven
    # (24062, unchanged in 2025; none of its neighbours merged). The simplified outlines must agree.
    topology = json.loads((PROJECT_ROOT / "data" / "reference" / "belgium-2019.topojson").read_text(encoding="utf-8"))
    shapes = {g["properties"]["nis"]: g for g in topology["objects"]["municipalities"]["geometries"]}

    def arcs(g: dict[str, Any]) -> set[int]:
        polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        return {a if a >= 0 else ~a for polygon in polygons for ring in polygon for a in ring}

    leuven = arcs(shapes["24062"])
    expected = {g["properties"]["name_nl"] for nis, g in shapes.items() if nis != "24062" and arcs(g) & leuven}
    assert names == expected
    assert {"Herent", "Bertem", "Oud-Heverlee", "Lubbeek"} <= names


def test_praktijken_per_provincie_op_de_kaart(http: httpx.Client) -> None:
    rows = run(http, "praktijken-per-provincie-op-de-kaart")
    assert {r["naam"] for r in rows} == {"Antwerpen", "Vlaams-Brabant", "West-Vlaanderen", "Oost-Vlaanderen", "Limburg"}
    assert int(next(r for r in rows if r["naam"] == "Vlaams-Brabant")["praktijken"]) >= 1  # Leuven
    # The same rule as query 02 (a named place, or a participating government's territory), so both agree.
    counted = {r["naam"]: r["praktijken"] for r in run(http, "praktijken-per-provincie")}
    assert {r["naam"]: r["praktijken"] for r in rows if int(r["praktijken"])} == counted
    for r in rows:
        assert r["omtrek"].startswith("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> ")
        assert json.loads(r["geojson"])["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize("example", example_queries(QUERIES), ids=lambda ex: ex["name"])
def test_every_example_runs_in_every_result_format(http: httpx.Client, example: dict[str, str]) -> None:
    for fmt in ("json", "xml", "csv", "tsv"):
        r = http.get("/sparql", params={"query": example["query"], "format": fmt})
        assert r.status_code == 200, (example["name"], fmt, r.text)


def test_looptijd_per_bron(http: httpx.Client) -> None:
    rows = run(http, "looptijd-per-bron")
    pilot = sorted((r["bron"], r["begin"], r["einde"]) for r in rows
                   if r["praktijk"] == "id/praktijk/lokaal-circulair-begeleiding-circulair-pilootproject")
    # 003: "Deze begeleiding loopt van november 2022 tot april 2023."; 001: "3 – 9 maanden vanaf
    # september 2022 – april 2023": two sources, two periods, both kept.
    assert pilot == [("id/bron/lokaal-circulair-begeleiding", "2022-11", "2023-04"),
                     ("id/bron/vlaanderen-circulair-presentatie-lokaal-circulair", "2022-09", "2023-04")]
    aal = [r for r in rows if r["praktijk"] == "id/praktijk/aal-circulair"]
    assert [(r["begin"], r["einde"], r["citaat"]) for r in aal] == [("2017-12", "2020-02", "Looptijd: 12/2017 tot 02/2020")]


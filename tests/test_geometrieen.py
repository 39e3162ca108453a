"""The outlines of the Flemish places: reproducible, complete, valid, and answered by GeoSPARQL.

``scripts/derive_geometrieen.py`` is rerun and must give the committed bytes; the committed file
is checked with GEOS (shapely) for what a regular expression in the SHACL shapes cannot see
(validity, areas, a point inside its outline); and the real endpoint is asked GeoSPARQL
questions whose answers follow from geography, not from our data.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest
import shapely
from shapely import wkt as shapely_wkt
from shapely.geometry import shape as geojson_shape
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "derive_geometrieen.py"
GEOMETRIES = ROOT / "data" / "reference" / "geometrieen.csv"
MUNICIPALITIES = ROOT / "data" / "reference" / "gemeenten.csv"
#: Flanders' bounding box (longitude, latitude), as in shapes/geometrie.ttl.
FLANDERS_BOX = shapely.box(2.5, 50.6, 6.0, 51.6)
LEUVEN = "https://data.lokaalcirculair.be/id/gemeente/24062"
PREFIXES = "PREFIX geo: <http://www.opengis.net/ont/geosparql#>\nPREFIX geof: <http://www.opengis.net/def/function/geosparql/>\n"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("derive_geometrieen", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def shapes() -> dict[tuple[str, str], BaseGeometry]:
    return {(r["soort"], r["code"]): shapely_wkt.loads(r["wkt"]) for r in _rows(GEOMETRIES)}


def test_the_script_reproduces_the_committed_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "geometrieen.csv"
    assert _load_script().main(["--out", str(out)]) == 0
    assert out.read_bytes() == GEOMETRIES.read_bytes()


def test_every_municipality_has_one_outline_and_every_place_is_there(shapes: dict[tuple[str, str], BaseGeometry]) -> None:
    rows = _rows(MUNICIPALITIES)
    municipalities = {code for kind, code in shapes if kind == "gemeente"}
    assert municipalities == {r["nis"] for r in rows}
    assert len(municipalities) == 312
    assert {code for kind, code in shapes if kind == "provincie"} == {r["provincie_code"] for r in rows}
    assert {code for kind, code in shapes if kind == "arrondissement"} == {r["arrondissement_code"] for r in rows if not r["geldig_tot"]}
    assert ("gewest", "vlaanderen") in shapes


def test_every_geometry_is_valid_inside_flanders_and_its_point_inside_it(shapes: dict[tuple[str, str], BaseGeometry]) -> None:
    for row in _rows(GEOMETRIES):
        shape = shapes[(row["soort"], row["code"])]
        assert shape.is_valid, (row["soort"], row["code"], shapely.is_valid_reason(shape))
        assert FLANDERS_BOX.contains(shape), (row["soort"], row["code"])
        assert shape.contains(shapely_wkt.loads(row["punt"])), (row["soort"], row["code"])


def test_a_merged_municipality_is_the_union_of_its_predecessors(shapes: dict[tuple[str, str], BaseGeometry]) -> None:
    rows = _rows(MUNICIPALITIES)
    successors = {r["vervangen_door"] for r in rows if r["vervangen_door"]}
    assert len(successors) == 13  # the 12 new codes and Antwerpen, which absorbed Borsbeek
    for code in successors:
        parts = [shapes[("gemeente", r["nis"])] for r in rows if r["vervangen_door"] == code]
        union, merged = shapely.union_all(parts), shapes[("gemeente", code)]
        if any(r["nis"] == code and not r["geldig_van"] for r in rows):
            # Antwerpen keeps its code (it absorbed Borsbeek): its outline covers Borsbeek's and more.
            assert shapely.intersection(merged, union).area >= 0.999 * union.area
            assert merged.area > 1.5 * union.area
            continue
        assert abs(merged.area - union.area) <= 0.001 * union.area, code
        assert shapely.symmetric_difference(merged, union).area <= 0.001 * union.area, code


def test_shared_borders_stay_shared_so_provinces_tile_flanders(shapes: dict[tuple[str, str], BaseGeometry]) -> None:
    flanders = shapes[("gewest", "vlaanderen")]
    provinces = [s for (kind, _), s in shapes.items() if kind == "provincie"]
    assert len(provinces) == 5
    assert abs(sum(p.area for p in provinces) - flanders.area) <= 1e-6 * flanders.area
    current = [shapes[("gemeente", r["nis"])] for r in _rows(MUNICIPALITIES) if not r["geldig_tot"]]
    assert len(current) == 285
    # Neighbours share their simplified border exactly: no gaps, no overlaps.
    assert abs(sum(m.area for m in current) - flanders.area) <= 1e-6 * flanders.area
    leuven, herent = shapes[("gemeente", "24062")], shapes[("gemeente", "24038")]
    assert shapely.intersection(leuven, herent).area == 0
    assert shapely.intersection(leuven, herent).length > 0


def ask(http: httpx.Client, query: str) -> bool:
    r = http.post("/sparql", data={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def test_a_point_inside_leuven_is_sfwithin_leuven_through_sparql(http: httpx.Client) -> None:
    within = 'ASK {{ <{iri}> geo:hasDefaultGeometry/geo:asWKT ?w . FILTER(geof:sfWithin("POINT({lon} {lat})"^^geo:wktLiteral, ?w)) }}'
    # The Grote Markt of Leuven, and the Grote Markt of Brussels (outside Flanders altogether).
    assert ask(http, within.format(iri=LEUVEN, lon=4.7009, lat=50.8789))
    assert not ask(http, within.format(iri=LEUVEN, lon=4.3525, lat=50.8467))


def test_every_place_has_a_crs84_outline_and_point_in_the_store(http: httpx.Client) -> None:
    query = PREFIXES + """SELECT (COUNT(DISTINCT ?place) AS ?n) WHERE {
      ?place geo:hasDefaultGeometry/geo:asWKT ?w ; <https://data.lokaalcirculair.be/ns/circulair#representatiefPunt>/geo:asWKT ?p .
      FILTER(STRSTARTS(STR(?w), "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> ") && geof:sfWithin(?p, ?w))
    }"""
    r = http.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(_rows(GEOMETRIES))


@pytest.mark.parametrize("how", ["suffix", "format", "accept"])
def test_a_place_document_is_a_valid_geojson_feature(http: httpx.Client, how: str) -> None:
    from geojson_pydantic import Feature

    url, headers = {
        "suffix": ("/doc/gemeente/24062.geojson", {}),
        "format": ("/doc/gemeente/24062?format=geojson", {}),
        "accept": ("/doc/gemeente/24062", {"Accept": "application/geo+json"}),
    }[how]
    r = http.get(url, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/geo+json; charset=utf-8"
    found = Feature.model_validate_json(r.content)
    assert found.id == LEUVEN
    assert found.geometry is not None and found.geometry.type in ("Polygon", "MultiPolygon")
    outline = geojson_shape(r.json()["geometry"])
    assert outline.contains(shapely.Point(4.7009, 50.8789))  # the Grote Markt
    assert r.json()["properties"]["naam"] == "Leuven"


def test_geojson_of_a_thing_without_geometry_is_refused_with_a_reason(http: httpx.Client) -> None:
    r = http.get("/doc/organisatie/stad-leuven.geojson", headers={"Accept": "application/json"})
    assert r.status_code == 406
    assert "no geometry" in r.text
    # A browser asking for anything still gets HTML or Turtle, never GeoJSON by surprise.
    assert http.get("/doc/gemeente/24062", headers={"Accept": "*/*"}).headers["content-type"] != "application/geo+json"


@pytest.mark.parametrize("how", ["suffix", "format", "accept"])
def test_a_practice_document_is_a_feature_located_as_in_the_lists(http: httpx.Client, how: str) -> None:
    """A practice has no outline: its Feature is the MultiPoint of the municipalities it names, the very
    geometry /praktijken?format=geojson and the OGC collection give it; one without a place is refused."""
    from geojson_pydantic import Feature

    path = "/doc/praktijk/leuven-strategie-circulaire-stad"
    url, headers = {"suffix": (f"{path}.geojson", {}), "format": (f"{path}?format=geojson", {}),
                    "accept": (path, {"Accept": "application/geo+json"})}[how]
    r = http.get(url, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/geo+json; charset=utf-8"
    found = Feature.model_validate_json(r.content)
    assert found.id == "https://data.lokaalcirculair.be/id/praktijk/leuven-strategie-circulaire-stad"
    assert found.geometry is not None and found.geometry.type == "MultiPoint"
    listed = http.get("/praktijken", params={"format": "geojson", "gemeente": "24062"}).json()
    assert r.json()["geometry"] == next(f["geometry"] for f in listed["features"] if f["id"] == found.id)
    assert r.json()["geometry"] == http.get("/ogc/collections/praktijken/items/leuven-strategie-circulaire-stad").json()["geometry"]
    assert r.json()["properties"]["titel"] == "Strategie circulaire stad"
    assert r.json()["properties"]["gemeenten"] == ["https://data.lokaalcirculair.be/id/gemeente/24062"]
    page = http.get(path, headers={"Accept": "text/html"}).text
    assert f'href="{path}.geojson"' in page  # the page under its map links the Feature


def test_the_municipality_list_is_a_valid_feature_collection(http: httpx.Client) -> None:
    from geojson_pydantic import FeatureCollection

    r = http.get("/gemeenten", params={"format": "geojson"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/geo+json; charset=utf-8"
    collection = FeatureCollection.model_validate_json(r.content)
    assert {f.id for f in collection.features} == {f"https://data.lokaalcirculair.be/id/gemeente/{r['nis']}" for r in _rows(MUNICIPALITIES)}
    assert sum(1 for f in collection.features if f.properties and f.properties["huidig"]) == 285


def test_the_practice_list_is_a_valid_feature_collection_located_through_municipalities(http: httpx.Client) -> None:
    from geojson_pydantic import FeatureCollection

    r = http.get("/praktijken", params={"format": "geojson", "gemeente": "24062"})
    assert r.status_code == 200, r.text
    collection = FeatureCollection.model_validate_json(r.content)
    leuven = next(f for f in collection.features if f.id == "https://data.lokaalcirculair.be/id/praktijk/leuven-strategie-circulaire-stad")
    assert leuven.geometry is not None and leuven.geometry.type == "MultiPoint"
    outline = shapely_wkt.loads(next(row["wkt"] for row in _rows(GEOMETRIES) if row["code"] == "24062"))
    assert any(outline.contains(shapely.Point(*p)) for p in r.json()["features"][[f.id for f in collection.features].index(leuven.id)]["geometry"]["coordinates"])


def test_area_locator_and_filtered_maps_are_on_the_pages(http: httpx.Client) -> None:
    rows = _rows(MUNICIPALITIES)
    in_brabant = sum(1 for r in rows if r["provincie_code"] == "20001" and not r["geldig_tot"])
    province = http.get("/doc/provincie/20001", headers={"Accept": "text/html"}).text
    assert province.count('<a href="/doc/gemeente/') >= in_brabant  # one map link per municipality (and the lists)
    assert '<svg class="map"' in province and 'role="img"' in province
    practice = http.get("/doc/praktijk/leuven-strategie-circulaire-stad", headers={"Accept": "text/html"}).text
    locator = practice[practice.index('<svg class="map locator"'):]
    assert '<a href="/doc/gemeente/24062" aria-label="Leuven"><path class="here"' in locator[:locator.index("</svg>")]
    page = http.get("/kaart", params={"gemeente": "24062"}).text
    assert '<svg class="map flanders"' in page
    assert page.count('class="count-0"') == 285 - page.count('class="count-1"') - page.count('class="count-2"') - page.count('class="count-4"')
    assert 'class="count-0"' in page and page.count('class="count-0"') < 285  # Leuven and more have the chosen practices

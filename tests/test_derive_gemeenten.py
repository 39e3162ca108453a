"""Tests for scripts/derive_gemeenten.py and the CSV it produced.

The reference folder itself is not in the repository, so the derivation is tested on a small
fixture (a handful of real rows, copied in the reference files' own format) and the committed
CSV is checked for the facts the graph depends on.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "derive_gemeenten.py"
CSV_PATH = ROOT / "data" / "reference" / "gemeenten.csv"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("derive_gemeenten", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


OLD = '''"NIS_code","municipality_NL","municipality_FR","arrondissement_NL","arrondissement_FR","province_NL","province_FR","region_NL","region_FR","inhabitants","zip"
11002,"Antwerpen","Anvers","Antwerpen","Anvers","Antwerpen","Anvers","Vlaams Gewest","Région flamande","529247",2000
11007,"Borsbeek","Borsbeek","Antwerpen","Anvers","Antwerpen","Anvers","Vlaams Gewest","Région flamande","10871",2150
24062,"Leuven","Louvain","Leuven","Louvain","Vlaams-Brabant","Brabant flamand","Vlaams Gewest","Région flamande","102275",3001
71022,"Hasselt","Hasselt","Hasselt","Hasselt","Limburg","Limbourg","Vlaams Gewest","Région flamande","78714",3500
73040,"Kortessem","Kortessem","Tongeren","Tongres","Limburg","Limbourg","Vlaams Gewest","Région flamande","8451",3720
82003,"Bastenaken","Bastogne","Bastenaken","Bastogne","Luxemburg","Luxembourg","Waals Gewest","Région wallonne","16000",6600
'''
CROSSWALK = """old_nis,old_name_nl,new_nis,new_name_nl,effective_date,region
11002,Antwerpen,11002,Antwerpen,2025-01-01,Vlaams Gewest
11007,Borsbeek,11002,Antwerpen,2025-01-01,Vlaams Gewest
71022,Hasselt,71072,Hasselt,2025-01-01,Vlaams Gewest
73040,Kortessem,71072,Hasselt,2025-01-01,Vlaams Gewest
82003,Bastenaken,82039,Bastenaken,2025-01-01,Waals Gewest
"""
NEW = """nis_code,name_nl,arrondissement_nl,province_nl,note
11002,Antwerpen,Antwerpen,Antwerpen,absorbed_11007
24062,Leuven,Leuven,Vlaams-Brabant,unchanged_since_2019
71072,Hasselt,Hasselt,Limburg,merged_2025:71022+73040
"""


@pytest.fixture()
def reference(tmp_path: Path) -> Path:
    (tmp_path / "belgian_municipalities_2020.csv").write_text(OLD, encoding="utf-8")
    (tmp_path / "fusies_2025_crosswalk.csv").write_text(CROSSWALK, encoding="utf-8")
    (tmp_path / "flemish_municipalities_2025_derived.csv").write_text(NEW, encoding="utf-8")
    return tmp_path


def test_derive_marks_mergers_and_keeps_absorbing_code(reference: Path, tmp_path: Path) -> None:
    module = _load_script()
    out = tmp_path / "out.csv"
    assert module.main([str(reference), "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as handle:
        rows = {r["nis"]: r for r in csv.DictReader(handle)}
    assert list(rows) == ["11002", "11007", "24062", "71022", "71072", "73040"]
    assert rows["11002"]["geldig_tot"] == "" and rows["11002"]["vervangen_door"] == ""
    assert rows["11007"]["geldig_tot"] == "2024-12-31" and rows["11007"]["vervangen_door"] == "11002"
    assert rows["73040"]["vervangen_door"] == "71072"
    assert rows["71072"]["geldig_van"] == "2025-01-01" and rows["71072"]["naam_fr"] == ""
    assert rows["24062"]["provincie_code"] == "20001"
    assert rows["24062"]["arrondissement_code"] == "24000"
    assert rows["71072"]["arrondissement"] == "Hasselt"


def test_derive_reports_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = _load_script()
    assert module.main([str(tmp_path), "--out", str(tmp_path / "x.csv")]) == 1
    assert "belgian_municipalities_2020.csv is missing" in capsys.readouterr().err


def test_committed_csv_has_all_flemish_municipalities() -> None:
    with CSV_PATH.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 312
    assert [r["nis"] for r in rows] == sorted(r["nis"] for r in rows)
    ended = [r for r in rows if r["geldig_tot"]]
    new = [r for r in rows if r["geldig_van"]]
    assert len(ended) == 27 and all(r["geldig_tot"] == "2024-12-31" for r in ended)
    assert len(new) == 12 and all(r["geldig_van"] == "2025-01-01" for r in new)
    by_nis = {r["nis"]: r for r in rows}
    assert all(r["vervangen_door"] in by_nis for r in ended)
    for nis, name in [("24062", "Leuven"), ("23027", "Halle"), ("13040", "Turnhout"),
                      ("36015", "Roeselare"), ("35013", "Oostende"), ("34022", "Kortrijk"),
                      ("46021", "Sint-Niklaas"), ("46025", "Temse"), ("12025", "Mechelen"),
                      ("44021", "Gent"), ("71022", "Hasselt"), ("41002", "Aalst")]:
        assert by_nis[nis]["naam_nl"] == name
    assert by_nis["71022"]["vervangen_door"] == "71072"
    assert by_nis["11002"]["geldig_tot"] == ""

"""Synthetic practice sheets for the importer's tests and benchmark (never for publication).

``kg synth --sheets N --out DIR`` writes ``DIR/sheets/`` (N sheets in the layout of
:mod:`kg.importer.layout`) and ``DIR/data/`` (a synthetic data folder to import them into:
the ``SYNTHETIC`` marker, the municipality table, a few known organisations). The sheets
carry the variations real sheets have (bullets ``•``/``-``/``*``, each amount and date
notation, a missing heading, question-marked names, municipalities that merged in 2025
before and after the merger, names written differently from the record) and, in a share of
them, planted defects (an unknown theme or municipality, an amount or date that is none, an
empty short description): the importer must list each of those in its report.

Deterministic: sheet *i* depends only on the seed and *i*.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ConfigError
from kg.importer.layout import INFO_LABELS, SECTIONS
from kg.store.synthetic_marker import ID_PREFIX, MARKER, SYNTHETIC_BASE_IRI
from kg.synth.world import REFERENCE_RECORDS
from kg.synth.yaml_text import to_yaml

__all__ = ["DEFECTS", "SheetSummary", "synthesize_sheets"]

_THEMES = ("Materialen", "Energie", "Beleid", "Voedsel", "Water", "Ruimtelijke ordening", "Samenleving")
_SERVICES = ("Duurzaamheid", "Milieu", "Economie", "Communicatie", "Stadsreiniging", "Sociale zaken", "Ruimtelijke ordening")
_KNOWN = ("Synthetische Kennisinstelling", "Synthetisch Repaircafé", "Synthetische Kringwinkel")
_AMOUNTS = ("€ {k}.000", "{k}000 euro", "€{k}.000,50", "")
_DATES = ("{y}", "september {y}", "09/{y}", "1 september {y}", "")
_BULLETS = ("•", "-", "*")
#: The defects planted in every ``DEFECT_EVERY``-th sheet, in turn.
DEFECTS = ("unknown-theme", "unknown-municipality", "bad-amount", "bad-date", "empty-description")
DEFECT_EVERY = 25
_SOURCE_ID = f"{ID_PREFIX}bron-sheets"


@dataclass
class SheetSummary:
    """What ``synthesize_sheets`` wrote."""

    out: Path
    sheets: int
    broken: dict[str, str] = field(default_factory=dict)  # sheet file -> defect


def _towns(csv_path: Path) -> list[tuple[str, str]]:
    """(name, first year it fits) of municipalities: merged names get a year before and after 2025."""
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(r["naam_nl"], "2025" if r["geldig_van"] else "2019") for r in rows]


def _sheet(i: int, seed: int, towns: list[tuple[str, str]]) -> tuple[str, str]:
    """The text of sheet *i*, and the defect planted in it ("" for none)."""
    rnd = random.Random(f"{seed}-sheet-{i}")
    defect = DEFECTS[(i // DEFECT_EVERY) % len(DEFECTS)] if i % DEFECT_EVERY == DEFECT_EVERY - 1 else ""
    bullet = rnd.choice(_BULLETS)
    town, first_year = rnd.choice(towns)
    year = str(rnd.randint(int(first_year), int(first_year) + 4) if first_year == "2025" else rnd.randint(2018, 2024))
    themes = rnd.sample(_THEMES, rnd.randint(1, 3)) + (["Ruimtevaart"] if defect == "unknown-theme" else [])
    amount = "ongeveer veel" if defect == "bad-amount" else rnd.choice(_AMOUNTS).format(k=rnd.randint(1, 90))
    date = "binnenkort" if defect == "bad-date" else rnd.choice(_DATES).format(y=year)
    partners = [rnd.choice(_KNOWN) + ("?" if rnd.random() < 0.1 else "") for _ in range(rnd.randint(0, 2))]
    partners += [f"Synthetische partner {rnd.randint(1, 300)}" for _ in range(rnd.randint(0, 2))]
    description = "" if defect == "empty-description" else (
        f"Synthetische praktijk {i}, gemaakt door `kg synth` voor metingen; ze beschrijft niets echts.")
    info = {
        "start": date, "investeringsbedrag": amount, "financiering": rnd.choice(("Europese middelen", "Externe bovenlokale middelen", "")),
        "aanwerving": "", "gemeente": "Atlantis" if defect == "unknown-municipality" else town,
        "contactpersoon": f"Synthetische Persoon {rnd.randint(1, 500)}", "email": f"persoon{rnd.randint(1, 500)}@synth.invalid",
        "website": f"https://synth.invalid/praktijk/{i}",
    }
    labels = {key: label for label, key in INFO_LABELS.items()}
    lines = [f"Synthetische praktijk {i}", "", SECTIONS["themas"].heading, "", "  |  ".join(themes), ""]
    if i % 7 != 3:  # every seventh sheet lacks this heading, as some real ones do
        lines += [SECTIONS["beschrijving"].heading, ""]
    lines += [description, "", SECTIONS["reden"].heading, "", "Synthetische reden.", "", SECTIONS["info"].heading, ""]
    lines += [f" {bullet} {labels[key]}: {value}" for key, value in info.items()]
    lines += ["", SECTIONS["diensten"].heading, "", "  |  ".join(rnd.sample(_SERVICES, rnd.randint(1, 3))), ""]
    lines += [SECTIONS["partners"].heading, "", *(f" {bullet} {p}" for p in partners), ""]
    for key in ("succesfactoren", "valkuilen", "uitdagingen"):
        lines += [SECTIONS[key].heading, "", *(f" {bullet} Synthetische {key} {n + 1}." for n in range(rnd.randint(1, 3))), ""]
    return "\n".join(lines), defect


def synthesize_sheets(out: Path, sheets: int, *, source_data: Path, seed: int = 0) -> SheetSummary:
    """Write ``out/sheets/`` and ``out/data/`` (see the module docstring); ``out`` must be new or empty."""
    if sheets < 1:
        raise ConfigError("--sheets must be at least 1.")
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"{out} exists and is not empty; choose a new folder or remove it first.")
    if out.resolve() == source_data.resolve() or source_data.resolve() in out.resolve().parents:
        raise ConfigError(f"{out} lies inside the real data folder {source_data}; write synthetic data elsewhere (e.g. var/bench/).")
    csv_path = source_data / "reference" / "gemeenten.csv"
    if not csv_path.is_file():
        raise ConfigError(f"{csv_path} is missing; `kg synth` copies the municipality reference data from there.")
    data = out / "data"
    for folder in ("reference", "organisaties", "bronnen", "sources", "praktijken"):
        (data / folder).mkdir(parents=True)
    shutil.copyfile(csv_path, data / "reference" / "gemeenten.csv")
    for relative in REFERENCE_RECORDS:
        shutil.copyfile(source_data / relative, data / relative)
    (data / "sources" / "synth-sheets.txt").write_text("Synthetische bron voor `kg synth --sheets`; ze beschrijft niets echts.\n", encoding="utf-8")
    (data / "bronnen" / f"{_SOURCE_ID}.yaml").write_text(to_yaml({
        "id": _SOURCE_ID, "titel": {"nl": "Synthetische praktijkfiches"}, "type": "praktijkfiche", "taal": "nl",
        "bestand": "synth-sheets.txt", "gewijzigd": "2026-01-15"}), encoding="utf-8")
    for n, name in enumerate(_KNOWN, start=1):
        (data / "organisaties" / f"{ID_PREFIX}bekend-{n}.yaml").write_text(to_yaml({
            "id": f"{ID_PREFIX}bekend-{n}", "naam": {"nl": name}, "type": "middenveld", "bronnen": [_SOURCE_ID],
            "gewijzigd": "2026-01-15"}), encoding="utf-8")
    towns = _towns(csv_path)
    summary = SheetSummary(out, sheets)
    (out / "sheets").mkdir()
    for i in range(1, sheets + 1):
        text, defect = _sheet(i, seed, towns)
        name = f"sheet-{i:06d}.txt"
        (out / "sheets" / name).write_text(text, encoding="utf-8")
        if defect:
            summary.broken[name] = defect
    (data / MARKER).write_text(json.dumps({"base_iri": SYNTHETIC_BASE_IRI, "seed": seed, "sheets": sheets,
                                           "broken": summary.broken}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return summary

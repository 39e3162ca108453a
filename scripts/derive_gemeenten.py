"""Derive data/reference/gemeenten.csv from the Statbel REFNIS reference snapshot.

Why a script: the municipality facts come from outside the repository (a compilation of
Statbel REFNIS open data plus a derived crosswalk of the 1 January 2025 mergers). A maintainer
runs this once, with the path of that reference folder, and commits the resulting CSV; the
build and the tests only ever read the committed CSV, never the reference folder.

Usage::

    .venv/bin/python scripts/derive_gemeenten.py /path/to/reference/municipalities \
        [--out data/reference/gemeenten.csv]

The reference folder must hold ``belgian_municipalities_2020.csv`` (state 2019-2024),
``fusies_2025_crosswalk.csv`` (old NIS -> new NIS on 2025-01-01) and
``flemish_municipalities_2025_derived.csv`` (the Flemish municipalities since 2025).

Output: every Flemish municipality of the 2020 file (300) plus the codes that were new on
2025-01-01 (12), sorted by NIS code. Validity dates are written only where the sources give them
(end 2024-12-31 for the codes that ceased, start 2025-01-01 for the new codes); older founding
dates are unknown to our sources and stay empty.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FLEMISH_REGION = "Vlaams Gewest"
MERGER_DATE = "2025-01-01"
LAST_DAY_BEFORE_MERGER = "2024-12-31"
MODIFIED = "2026-11-25"

# REFNIS codes of the Flemish provinces (Vlaams-Brabant is 20001, not 20000).
PROVINCE_CODES: dict[str, str] = {
    "Antwerpen": "10000",
    "Vlaams-Brabant": "20001",
    "West-Vlaanderen": "30000",
    "Oost-Vlaanderen": "40000",
    "Limburg": "70000",
}

COLUMNS = [
    "nis",
    "naam_nl",
    "naam_fr",
    "arrondissement",
    "arrondissement_code",
    "provincie",
    "provincie_code",
    "geldig_van",
    "geldig_tot",
    "vervangen_door",
    "gewijzigd",
    # Added later, so at the end: files written before them still line up column by column.
    "arrondissement_fr",
    "provincie_fr",
]


class DerivationError(Exception):
    """The reference files do not say what this script expects; the message names the file."""


@dataclass(frozen=True)
class Gemeente:
    """One output row."""

    nis: str
    naam_nl: str
    naam_fr: str
    arrondissement: str
    provincie: str
    geldig_van: str = ""
    geldig_tot: str = ""
    vervangen_door: str = ""
    #: French names as the 2019-2024 file gives them; empty for the codes of 2025 (their file has none).
    arrondissement_fr: str = ""
    provincie_fr: str = ""

    def row(self) -> dict[str, str]:
        """The CSV row, with the codes derived from the NIS code and province name."""
        return {
            "nis": self.nis,
            "naam_nl": self.naam_nl,
            "naam_fr": self.naam_fr,
            "arrondissement": self.arrondissement,
            "arrondissement_code": arrondissement_code(self.nis),
            "provincie": self.provincie,
            "provincie_code": PROVINCE_CODES[self.provincie],
            "geldig_van": self.geldig_van,
            "geldig_tot": self.geldig_tot,
            "vervangen_door": self.vervangen_door,
            "gewijzigd": MODIFIED,
            "arrondissement_fr": self.arrondissement_fr,
            "provincie_fr": self.provincie_fr,
        }


def arrondissement_code(nis: str) -> str:
    """REFNIS arrondissement code: the first two digits of a municipality's NIS code + '000'."""
    return nis[:2] + "000"


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DerivationError(f"Reference file {path} is missing; pass the folder that holds it.")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def derive(reference: Path) -> list[Gemeente]:
    """Read the three reference files and return the rows, sorted by NIS code."""
    old_rows = _read(reference / "belgian_municipalities_2020.csv")
    crosswalk = _read(reference / "fusies_2025_crosswalk.csv")
    new_rows = _read(reference / "flemish_municipalities_2025_derived.csv")

    replaced_by: dict[str, str] = {
        r["old_nis"]: r["new_nis"]
        for r in crosswalk
        if r["region"] == FLEMISH_REGION and r["old_nis"] != r["new_nis"]
    }
    for r in crosswalk:
        if r["region"] == FLEMISH_REGION and r["effective_date"] != MERGER_DATE:
            raise DerivationError(
                f"fusies_2025_crosswalk.csv: merger of {r['old_nis']} is dated "
                f"{r['effective_date']}, expected {MERGER_DATE}."
            )

    result: dict[str, Gemeente] = {}
    for r in old_rows:
        if r["region_NL"] != FLEMISH_REGION:
            continue
        nis = r["NIS_code"].strip()
        successor = replaced_by.get(nis, "")
        result[nis] = Gemeente(
            nis=nis,
            naam_nl=r["municipality_NL"],
            naam_fr=r["municipality_FR"],
            arrondissement=r["arrondissement_NL"],
            provincie=r["province_NL"],
            geldig_tot=LAST_DAY_BEFORE_MERGER if successor else "",
            vervangen_door=successor,
            arrondissement_fr=r["arrondissement_FR"],
            provincie_fr=r["province_FR"],
        )
    missing = sorted(set(replaced_by) - set(result))
    if missing:
        raise DerivationError(
            f"fusies_2025_crosswalk.csv names old codes {missing} that are not Flemish "
            "municipalities in belgian_municipalities_2020.csv."
        )

    new_codes = set(replaced_by.values())
    for r in new_rows:
        nis = r["nis_code"].strip()
        if nis not in new_codes or nis in result:
            continue  # unchanged, or an existing code that absorbed another (Antwerpen 11002)
        result[nis] = Gemeente(
            nis=nis,
            naam_nl=r["name_nl"],
            naam_fr="",  # the derived 2025 file has no French names
            arrondissement=r["arrondissement_nl"],
            provincie=r["province_nl"],
            geldig_van=MERGER_DATE,
        )
    absent = sorted(new_codes - set(result))
    if absent:
        raise DerivationError(
            f"flemish_municipalities_2025_derived.csv lacks the new codes {absent} "
            "that fusies_2025_crosswalk.csv refers to."
        )
    _check_arrondissements(result.values())
    return [result[nis] for nis in sorted(result)]


def _check_arrondissements(rows: Iterable[Gemeente]) -> None:
    """One arrondissement name per derived code, one province per arrondissement."""
    names: dict[str, tuple[str, str]] = {}
    for g in rows:
        code = arrondissement_code(g.nis)
        seen = names.setdefault(code, (g.arrondissement, g.provincie))
        if seen != (g.arrondissement, g.provincie):
            raise DerivationError(
                f"Arrondissement code {code} would be both {seen} and "
                f"{(g.arrondissement, g.provincie)} (municipality {g.nis})."
            )
        if g.provincie not in PROVINCE_CODES:
            raise DerivationError(f"Municipality {g.nis} has unknown province {g.provincie!r}.")


def write(rows: list[Gemeente], out: Path) -> None:
    """Write the CSV (UTF-8, header row, LF line ends) so that reruns give identical bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for g in rows:
            writer.writerow(g.row())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="folder with the municipality reference CSVs")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "data" / "reference" / "gemeenten.csv",
        help="output CSV (default: data/reference/gemeenten.csv)",
    )
    args = parser.parse_args(argv)
    try:
        rows = derive(args.reference)
    except DerivationError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    write(rows, args.out)
    print(f"Wrote {len(rows)} municipalities to {args.out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

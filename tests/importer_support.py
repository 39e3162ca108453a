"""Helpers of the importer tests: a copy of the real data folder, sheets in the real layout."""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.importer.layout import INFO_LABELS, SECTIONS
from kg.settings import PROJECT_ROOT

VOCAB = PROJECT_ROOT / "ontology" / "vocabularies"
LEUVEN_SHEET = next((PROJECT_ROOT / "data" / "sources").glob("004_*.txt"))
LEUVEN_RECORD = PROJECT_ROOT / "data" / "praktijken" / "leuven-strategie-circulaire-stad.yaml"


def copy_data(target: Path) -> Path:
    """The repository's data folder, copied: imports write into the copy only."""
    shutil.copytree(PROJECT_ROOT / "data", target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes: to prove that nothing was written."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def make_sheet(
    title: str = "Repair café Wezembeek",
    themes: str = "Materialen  |  Samenleving",
    bullet: str = "•",
    partners: tuple[str, ...] = ("Voka", "UCLL"),
    skip: tuple[str, ...] = (),
    **info: str,
) -> str:
    """A sheet in the database's layout; ``info`` overrides "Praktische info" fields by key
    (start, investeringsbedrag, gemeente, …); ``skip`` leaves headings out."""
    values = {"start": "2021", "investeringsbedrag": "", "financiering": "Europese middelen", "aanwerving": "",
              "gemeente": "Leuven", "contactpersoon": "Jessie Van Couwenberghe",
              "email": "jessie.vancouwenberghe@leuven.be", "website": "https://www.leuven.be/", **info}
    labels = {key: label for label, key in INFO_LABELS.items()}

    def heading(key: str) -> list[str]:
        return [] if key in skip else [SECTIONS[key].heading, ""]

    lines = [title, "", *heading("themas"), themes, "", *heading("beschrijving"),
             "Een repaircafé in de bibliotheek, elke eerste zaterdag.", "", *heading("reden"),
             "Minder afval en meer contact tussen buren.", "", *heading("info")]
    lines += [f" {bullet} {labels[key]}: {value}" for key, value in values.items()]
    lines += ["", *heading("diensten"), "Duurzaamheid  |  Communicatie", "", *heading("partners")]
    lines += [f" {bullet} {p}" for p in partners]
    lines += ["", *heading("succesfactoren"), f" {bullet} Vrijwilligers met kennis van zaken.", "",
              *heading("valkuilen"), f" {bullet} Te weinig ruimte.", "", *heading("uitdagingen"), f" {bullet} Jongeren bereiken.", ""]
    return "\n".join(lines)


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line of ``text`` containing ``fragment``."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if fragment in line)

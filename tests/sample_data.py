"""A tiny but complete data folder for the mapping and validation tests.

Every record kind appears once or twice with the keys that need special mapping (dates of
three precisions, amounts, ranges, actors, lessons, links, a merged municipality, a person
with and one without consent to publish an e-mail address). The concept schemes and the
ontology are the repository's own files, copied, so the tests check the real contract.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.records.corpus import load_corpus
from kg.records.format import MUNICIPALITY_COLUMNS
from kg.records.record import Corpus
from kg.settings import PROJECT_ROOT

BASE = "https://data.lokaalcirculair.be"

MUNICIPALITIES = (
    "24062,Leuven,Louvain,Leuven,24000,Vlaams-Brabant,20001,,,,2025-01-01\n"
    "46003,Beveren,,Sint-Niklaas,46000,Oost-Vlaanderen,40000,,2024-12-31,46030,2025-01-01\n"
    "46013,Kruibeke,,Sint-Niklaas,46000,Oost-Vlaanderen,40000,,2024-12-31,46030,2025-01-01\n"
    "46030,Beveren-Kruibeke-Zwijndrecht,,Sint-Niklaas,46000,Oost-Vlaanderen,40000,2025-01-01,,,2025-01-02\n"
)

RECORDS = {
    "bronnen/fiche-leuven.yaml": """\
id: fiche-leuven
titel: {nl: "Praktijkfiche Leuven", en: "Practice sheet Leuven"}
type: praktijkfiche
taal: nl
uitgever: vvsg
bestand: "004_602d87be026ac6a2.txt"
gewijzigd: "2025-11-20"
""",
    "bronnen/statbel-refnis.yaml": """\
id: statbel-refnis
titel: {nl: "REFNIS-codes van Statbel", en: "REFNIS codes of Statbel"}
type: webpagina
taal: nl
links:
  - url: https://statbel.fgov.be/nl/over-statbel/methodologie/classificaties/geografie
gewijzigd: "2025-11-20"
""",
    "organisaties/vvsg.yaml": """\
id: vvsg
naam: {nl: "Vereniging van Vlaamse Steden en Gemeenten"}
afkorting: VVSG
type: federatie
website: https://www.vvsg.be
email: info@vvsg.be
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "organisaties/stad-leuven.yaml": """\
id: stad-leuven
naam: {nl: "Stad Leuven", en: "City of Leuven"}
type: stad
gemeente: "24062"
website: https://www.leuven.be
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "organisaties/leuven-milieudienst.yaml": """\
id: leuven-milieudienst
naam: {nl: "Milieudienst Leuven"}
type: stadsdienst
onderdeel_van: stad-leuven
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "personen/jan-peeters.yaml": """\
id: jan-peeters
naam: Jan Peeters
organisatie: stad-leuven
email: jan.peeters@example.be
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "personen/an-smets.yaml": """\
id: an-smets
naam: An Smets
organisatie: stad-leuven
email: an.smets@example.be
email_publiceren: true
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "programmas/oproep-vc.yaml": """\
id: oproep-vc
naam: {nl: "Oproep Vlaanderen Circulair"}
type: vlaamse-subsidie
financier: vvsg
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "financieringen/leuven-subsidie.yaml": """\
id: leuven-subsidie
titel: {nl: "Subsidie circulaire strategie"}
programma: oproep-vc
financier: vvsg
ontvanger: stad-leuven
praktijk: leuven-strategie
bedrag: 49999.95
dossiernummer: "VC-2020-17"
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "publicaties/leuven-databank.yaml": """\
id: leuven-databank
titel: {nl: "Databank circulaire initiatieven"}
type: databank
uitgever: stad-leuven
praktijk: leuven-strategie
links:
  - url: https://www.leuven.be/databank
    titel: {nl: "Databank"}
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "indicatoren/huishoudelijk-afval.yaml": """\
id: huishoudelijk-afval
titel: {nl: "Huishoudelijk afval per inwoner", en: "Household waste per inhabitant"}
opmerking: {nl: "Enkel restafval."}
observaties:
  - id: afval-2022
    waarde: 476
    eenheid: aantal
    omschrijving: {nl: "kg huishoudelijk afval per inwoner"}
    datum: "2022"
    gebied: vlaanderen
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "praktijken/leuven-strategie.yaml": """\
# The practice with almost every key
id: leuven-strategie
type: strategie
titel: {nl: "Circulaire strategie Leuven", en: "Circular strategy Leuven"}
beschrijving: {nl: "Leuven maakt een circulaire strategie.", en: "Leuven makes a circular strategy."}
reden: {nl: "Minder grondstoffen gebruiken."}
start: "2020"
einde: "2022-11"
status: lopend
themas: [materialen, energie]
actiedomeinen: [ontharding]
gemeenten: ["24062", "46013"]
actoren:
  - organisatie: stad-leuven
    rol: trekker
  - persoon: jan-peeters
    rol: contactpersoon
    toelichting: {nl: "Aanspreekpunt"}
  - organisatie: vvsg
    rol: coach
financieringskanalen: [vlaamse-subsidie]
programmas: [oproep-vc]
doelstellingen:
  - {nl: "Minder afval", en: "Less waste"}
  - {nl: "Meer hergebruik"}
succesfactoren:
  - {nl: "Steun van het bestuur"}
valkuilen:
  - {nl: "Te veel tegelijk willen"}
kerncijfers:
  - id: respondenten
    waarde: 113
    eenheid: respondent
    omschrijving: {nl: "respondenten van de bevraging"}
    datum: "2022-11-15"
    gebied: "24062"
  - id: bereik
    min: 10
    max: 12.5
    eenheid: procent
    omschrijving: {nl: "bereik"}
links:
  - url: https://www.leuven.be/circulair
    titel: {nl: "Leuven circulair"}
investeringsbedrag: 100000.50
bronnen: [fiche-leuven]
gewijzigd: "2025-11-20"
""",
    "praktijken/leuven-pilot.yaml": """\
id: leuven-pilot
type: pilootproject
titel: {nl: "Pilootproject hergebruik"}
beschrijving: {nl: "Een pilootproject binnen de strategie."}
start: "2021-03-01"
onderdeel_van: leuven-strategie
themas: [materialen]
actoren:
  - organisatie: leuven-milieudienst
    rol: trekker
bronnen: [fiche-leuven]
gewijzigd: "2025-11-21"
""",
}


def write_data(root: Path, records: dict[str, str] | None = None) -> tuple[Path, Path]:
    """Write the sample records (or others) under ``root/data`` and copy the repository's
    vocabularies; returns (data folder, vocabulary folder)."""
    data = root / "data"
    vocab = root / "ontology" / "vocabularies"
    (data / "reference").mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "ontology" / "vocabularies", vocab)
    shutil.copy(PROJECT_ROOT / "ontology" / "circulair.ttl", root / "ontology" / "circulair.ttl")
    (data / "reference" / "gemeenten.csv").write_text(",".join(MUNICIPALITY_COLUMNS) + "\n" + MUNICIPALITIES, encoding="utf-8")
    for name, text in (RECORDS if records is None else records).items():
        path = data / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return data, vocab


def sample_corpus(root: Path) -> Corpus:
    """The sample records, loaded and checked by ``kg.records.corpus``."""
    data, vocab = write_data(root)
    return load_corpus(data, vocab)

"""The deliberate mistakes ``kg synth --broken-share`` plants, one per broken record.

Each kind of problem the record checks or the SHACL shapes catch has a :class:`Defect`, so
the error paths are measured and tested at scale too (``tests/test_synth.py``,
``tests/test_shacl_differential.py``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kg.synth.world import ID_PREFIX
from kg.synth.yaml_text import Record

__all__ = ["DEFECTS", "Defect"]


@dataclass(frozen=True)
class Defect:
    """One kind of deliberate mistake planted in a practice record.

    ``stage`` says what must catch it: ``records`` (the record checks of kg.records.checks, which
    stop the build with file and line) or ``shacl`` (the record format allows it, the
    SHACL shapes report it). ``apply`` changes the record dict in place; ``raw`` (when set)
    rewrites the emitted YAML text instead, for defects the dict cannot express.
    """

    name: str
    stage: str
    description: str
    apply: Callable[[Record, random.Random], None] | None = None
    raw: Callable[[str], str] | None = None
    on: str = "praktijk"  # or "financiering": the practice's grant gets the defect


def _drop(key: str) -> Callable[[Record, random.Random], None]:
    def apply(rec: Record, _: random.Random) -> None:
        rec.pop(key, None)
    return apply


def _set(key: str, value: Any) -> Callable[[Record, random.Random], None]:
    def apply(rec: Record, _: random.Random) -> None:
        rec[key] = value
    return apply


def _actor_both(rec: Record, _: random.Random) -> None:
    rec["actoren"][0]["persoon"] = f"{ID_PREFIX}persoon-1"


def _figure_no_value(rec: Record, _: random.Random) -> None:
    rec["kerncijfers"] = [{"id": "geen-waarde", "eenheid": "aantal", "omschrijving": {"nl": "Cijfer zonder waarde (synthetisch)"}}]


def _dangling(rec: Record, _: random.Random) -> None:
    rec["actoren"][0] = {"organisatie": f"{ID_PREFIX}bestaat-niet", "rol": "trekker"}


def _end_before_start(rec: Record, _: random.Random) -> None:
    rec["start"], rec["einde"] = "2022-05", "2021"


def _no_themes(rec: Record, _: random.Random) -> None:
    for key in ("themas", "actiedomeinen", "beleidsinstrumenten", "waardeketens"):
        rec.pop(key, None)


#: Every kind of defect ``kg synth --broken-share`` plants, in a fixed order.
DEFECTS: tuple[Defect, ...] = (
    Defect("onbekende-sleutel", "records", "an unknown key (a typo: 'titell')", _set("titell", {"nl": "Tikfout"})),
    Defect("verplichte-sleutel-ontbreekt", "records", "the required key 'beschrijving' is missing", _drop("beschrijving")),
    Defect("ongeldige-datum", "records", "a start date with month 13", _set("start", "2021-13")),
    Defect("einde-voor-start", "records", "the end lies before the start", _end_before_start),
    Defect("onbekende-verwijzing", "records", "an actor refers to an organisation that does not exist", _dangling),
    Defect("onbekend-concept", "records", "a theme code that is not in the scheme", _set("themas", ["kernfusie"])),
    Defect("onbekende-nis-code", "records", "a NIS code that is no municipality", _set("gemeenten", ["99999"])),
    Defect("tekst-zonder-taal", "records", "a title as a plain string instead of {nl: …}", _set("titel", "Titel zonder taal")),
    Defect("actor-met-twee-agenten", "records", "an actor names both an organisation and a person", _actor_both),
    Defect("cijfer-zonder-waarde", "records", "a key figure without value or range", _figure_no_value),
    Defect("geen-lijst", "records", "a list key given as a single value", _set("themas", "materialen")),
    Defect("bedrag-geen-getal", "records", "an investment amount that is not a number", _set("investeringsbedrag", "veel")),
    Defect("ongeldige-yaml", "records", "a line that is not valid YAML", raw=lambda text: text.replace("\ntitel:", "\ntitel: [\n", 1)),
    Defect("id-verschilt-van-bestand", "records", "the id differs from the file name",
           raw=lambda text: text.replace("id: \"synth-", "id: \"synth-ander-", 1)),
    Defect("geen-thema", "shacl", "no theme, action domain, instrument or value chain", _no_themes),
    Defect("geen-startdatum", "shacl", "no start date", _drop("start")),
    Defect("geen-actoren", "shacl", "no actors", _drop("actoren")),
    Defect("subsidie-zonder-bedrag", "shacl", "a grant without an amount", _drop("bedrag"), on="financiering"),
)

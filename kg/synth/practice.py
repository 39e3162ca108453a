"""One synthetic practice record, and the grant and publication that hang off it.

Practice *i* draws from its own generator (``random.Random(f"{seed}-praktijk-{i}")``), so it
does not depend on how many practices are written: the 1 000-practice set is a prefix of the
10 000-practice one. The draws happen in a fixed order (the functions below are called in
that order); changing the order changes every file.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kg.synth.word_pools import ACTIVITIES, GOALS, LESSONS, QUALIFIERS, ROLES_ORG
from kg.synth.world import ID_PREFIX, MODIFIED, World, pick_code
from kg.synth.yaml_text import Record

__all__ = ["practice"]


@dataclass(frozen=True)
class _Setting:
    """What practice ``i`` is anchored in: its number, id, municipality and start year."""

    i: int
    pid: str
    gov_index: int
    place: dict[str, str]
    year: int


def practice(i: int, seed: int, world: World, force_grant: bool = False) -> tuple[Record, list[tuple[str, Record]]]:
    """Practice number ``i`` (1-based) and the records that hang off it (grant, publication)."""
    rng = random.Random(f"{seed}-praktijk-{i}")
    rec, where = _core(i, rng, world)
    _classification(rec, rng, world)
    _places_and_actors(rec, rng, world, where)
    funded = rng.random() < 0.12 or force_grant
    if funded:
        rec["financieringskanalen"] = [pick_code(world.codes, "financieringskanaal", "vlaamse-subsidie", 0)]
        rec["programmas"] = [rng.choice(world.programmes)]
    _narrative(rec, rng, world, where)
    rec["bronnen"] = [world.sources[i % len(world.sources)]]
    rec["gewijzigd"] = MODIFIED
    return rec, _hanging_off(rec, rng, world, where, funded)


def _core(i: int, rng: random.Random, world: World) -> tuple[Record, _Setting]:
    """Id, type, titles, descriptions, start, end and status."""
    activity = rng.choice(ACTIVITIES)
    qualifier = rng.choice(QUALIFIERS)
    gov_index = rng.randrange(len(world.governments))
    place = world.governments[gov_index]
    year = rng.randint(2012, 2025)
    where = _Setting(i, f"{ID_PREFIX}praktijk-{i}", gov_index, place, year)
    rec: Record = {
        "id": where.pid,
        "type": rng.choice(world.codes["praktijktype"]),
        "titel": {
            "nl": f"{activity[0]} {qualifier[0]} in {place['naam_nl']} ({i})",
        },
        "beschrijving": {
            "nl": f"Synthetische praktijk {i}: {activity[0].lower()} {qualifier[0]}. Gemaakt voor metingen; beschrijft niets echts.",
        },
        "start": str(year) if rng.random() < 0.5 else f"{year}-{rng.randint(1, 12):02d}",
    }
    if rng.random() < 0.6:
        rec["titel"]["en"] = f"{activity[1]} {qualifier[1]} in {place['naam_nl']} ({i})"
    if rng.random() < 0.3:
        rec["beschrijving"]["en"] = f"Synthetic practice {i}: {activity[1].lower()} {qualifier[1]}. Made for measurements; describes nothing real."
    if rng.random() < 0.5:
        rec["einde"] = str(min(2026, year + rng.randint(1, 4)))
        rec["status"] = pick_code(world.codes, "status", "afgerond", 1)
    else:
        rec["status"] = pick_code(world.codes, "status", "lopend", 0)
    return rec, where


def _classification(rec: Record, rng: random.Random, world: World) -> None:
    """Themes, action domains, policy instruments and value chains."""
    codes = world.codes
    rec["themas"] = sorted(rng.sample(codes["thema"], rng.randint(1, 2)))
    if rng.random() < 0.3:
        rec["actiedomeinen"] = [rng.choice(codes["actiedomein"])]
    if rng.random() < 0.2:
        rec["beleidsinstrumenten"] = [rng.choice(codes["beleidsinstrument"])]
    if rng.random() < 0.1:
        rec["waardeketens"] = [rng.choice(codes["waardeketen"])]


def _places_and_actors(rec: Record, rng: random.Random, world: World, where: _Setting) -> None:
    """Municipalities, the practice it is part of, and the actors in their roles."""
    nis = {where.place["nis"]}
    if rng.random() < 0.15:
        nis.add(rng.choice(world.municipalities)["nis"])
    rec["gemeenten"] = sorted(nis)
    if where.i > 10 and rng.random() < 0.05:
        rec["onderdeel_van"] = f"{ID_PREFIX}praktijk-{rng.randint(1, where.i - 1)}"
    actors: list[dict[str, Any]] = [{"organisatie": world.gov_ids[where.gov_index], "rol": "trekker"}]
    if rng.random() < 0.2:
        actors.append({"organisatie": rng.choice(world.org_ids), "rol": rng.choice(ROLES_ORG[1:])})
    if rng.random() < 0.05:
        actors.append({"persoon": rng.choice(world.people), "rol": "contactpersoon",
                       "toelichting": {"nl": "Aanspreekpunt (synthetisch)", "en": "Point of contact (synthetic)"}})
    rec["actoren"] = [a for a in actors if a["rol"] in world.codes["rol"]] or actors[:1]


def _narrative(rec: Record, rng: random.Random, world: World, where: _Setting) -> None:
    """Goals, lessons, key figures, links and the investment."""
    if rng.random() < 0.2:
        rec["doelstellingen"] = [{"nl": g[0], "en": g[1]} for g in rng.sample(GOALS, 1)]
    if rng.random() < 0.06:
        rec["succesfactoren"] = [{"nl": les[0], "en": les[1]} for les in rng.sample(LESSONS, 1)]
    if rng.random() < 0.04:
        rec["valkuilen"] = [{"nl": les[0]} for les in rng.sample(LESSONS, 1)]
    if rng.random() < 0.05:
        value = rng.randint(5, 500)
        rec["kerncijfers"] = [{
            "id": "bereik",
            "waarde": value,
            "eenheid": pick_code(world.codes, "eenheid", "persoon", 0),
            "omschrijving": {"nl": "Bereikte personen (synthetisch)", "en": "People reached (synthetic)"},
            "datum": str(min(2026, where.year + 1)),
            "gebied": where.place["nis"],
        }]
    if rng.random() < 0.1:
        rec["links"] = [{"url": f"https://{where.pid}.synth.invalid/", "titel": {"nl": "Projectpagina (synthetisch)"}}]
    if rng.random() < 0.05:
        rec["investeringsbedrag"] = Decimal(rng.randint(1, 400) * 2500)


def _hanging_off(rec: Record, rng: random.Random, world: World, where: _Setting, funded: bool) -> list[tuple[str, Record]]:
    """The grant of a funded practice, and now and then a publication about it."""
    i, pid = where.i, where.pid
    extra: list[tuple[str, Record]] = []
    if funded:
        prog = rec["programmas"][0]
        prog_index = world.programmes.index(prog)
        extra.append(("financieringen", {
            "id": f"{ID_PREFIX}financiering-{i}",
            "titel": {"nl": f"Subsidie voor synthetische praktijk {i}", "en": f"Grant for synthetic practice {i}"},
            "programma": prog,
            "financier": world.funders[prog_index % len(world.funders)],
            "ontvanger": world.gov_ids[where.gov_index],
            "praktijk": pid,
            "bedrag": Decimal(rng.randint(4, 200) * 2500),
            "dossiernummer": f"SYN-{where.year}-{i:06d}",
            "bronnen": rec["bronnen"],
            "gewijzigd": MODIFIED,
        }))
    if rng.random() < 0.02:
        extra.append(("publicaties", {
            "id": f"{ID_PREFIX}publicatie-{i}",
            "titel": {"nl": f"Inspiratiegids bij synthetische praktijk {i}", "en": f"Inspiration guide for synthetic practice {i}"},
            "type": pick_code(world.codes, "publicatietype", "inspiratiegids", 0),
            "uitgever": world.gov_ids[where.gov_index],
            "praktijk": pid,
            "bronnen": rec["bronnen"],
            "gewijzigd": MODIFIED,
        }))
    return extra

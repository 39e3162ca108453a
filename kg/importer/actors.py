"""The sheet's people and organisations as the practice's actors, matched or created.

The municipality (by name, in force at the start date), its government as ``trekker``, the
contact person, the city services (``betrokken-dienst``), the local governments the free
text names (``samenwerkend-bestuur``) and the external partners (``partner``). A name found
as written (case, accents, spaces, legal form ignored) or by a known alias is taken; one
found only approximately, one with a question mark, one split off a compound item and every
new record are noted for review.
"""

from __future__ import annotations

import re
from typing import Any

from kg.importer.lookup import Lookup, Match, Municipality, Organisation
from kg.importer.proposal import Proposal
from kg.importer.sheet import Line, Sheet
from kg.importer.values import normal, slug, unquestioned

__all__ = ["map_actors", "resolve_municipality"]

_COMPOUND = re.compile(r"\s+en\s+|\s*,\s*")
_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)\s*")
_NAME_WORDS = re.compile(r"[A-ZÀ-Ý][\w'-]*(?:\s+[A-ZÀ-Ý][\w'-]*){0,2}")
#: Words in a new organisation's name → the organisation type guessed for it (else middenveld).
_TYPE_HINTS = (
    (re.compile(r"universiteit|hogeschool|\bku\b|kenniscentrum|ucll|onderzoek", re.I), "kennisinstelling"),
    (re.compile(r"\b(nv|bv|bvba|cvba|srl)\b|bedrijf", re.I), "onderneming"),
    (re.compile(r"intercommunale", re.I), "intercommunale"),
    (re.compile(r"platform|netwerk|samenwerking", re.I), "samenwerkingsverband"),
)


def _day(date: str) -> str:
    """The first day of a date of any precision, for comparing with validity days."""
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


def _in_force(town: Municipality, start: str) -> bool:
    day = _day(start)
    return (not town.valid_from or town.valid_from <= day) and (not town.valid_through or day <= town.valid_through)


def resolve_municipality(lookup: Lookup, name: str, start: str | None) -> tuple[Municipality | None, str]:
    """The municipality a name means at the start date, and why it needs review ("" when sure).

    A name shared by a municipality that merged on 1 January 2025 and its successor is
    resolved by the start date; without a date it is left for the curator to choose."""
    towns = lookup.municipality(name)
    if not towns:
        return None, "no municipality of this name in data/reference/gemeenten.csv; left out"
    if len(towns) == 1:
        town = towns[0]
        if start and not _in_force(town, start):
            return town, f"{town.name} ({town.nis}) was not in force at the start date {start}; check the name or the date"
        return town, ""
    if not start:
        codes = " or ".join(f"{t.nis} ({t.valid_from or '…'} – {t.valid_through or '…'})" for t in towns)
        return None, f"the name is shared by {codes}; the sheet gives no start date to choose: choose one"
    fitting = [t for t in towns if _in_force(t, start)]
    if len(fitting) == 1:
        town = fitting[0]
        period = f"from {town.valid_from}" if town.valid_from else f"until {town.valid_through}"
        return town, f"{name} merged on 1 January 2025; the start date {start} chose {town.nis} (in force {period})"
    return None, f"{len(fitting)} municipalities named {name} were in force at {start}; choose one"


def _actor(proposal: Proposal, entry: dict[str, Any]) -> int:
    actors: list[dict[str, Any]] = proposal.record.setdefault("actoren", [])
    actors.append(entry)
    return len(actors) - 1


def _organisation(proposal: Proposal, lookup: Lookup, org: Organisation, names: list[str], extra: dict[str, Any]) -> None:
    """A new organisation record, made findable for the sheets after this one."""
    lookup.add_organisation(org, names)
    data: dict[str, Any] = {"id": org.id, "naam": {"nl": org.name}, "type": org.type, **extra,
                            "bronnen": proposal.record["bronnen"], "gewijzigd": proposal.record["gewijzigd"]}
    proposal.records.append(("organisaties", data, f"New organisation named by the sheet for {proposal.id!r}; "
                                                    "made by `kg import`, check its name and type."))


def _city(proposal: Proposal, lookup: Lookup, town: Municipality, line: int) -> Organisation:
    """The government of a municipality: its record, or a new one (noted)."""
    found = lookup.city_of(town.nis)
    for name in (f"Stad {town.name}", f"Gemeente {town.name}"):
        match = found is None and lookup.find("organisatie", name, approximate=False)
        if match and match.how == "exact":
            found = lookup.organisations.get(match.id)
    if found is not None:
        return found
    org = Organisation(lookup.new_id("organisatie", f"gemeente-{slug(town.name)}"), f"Gemeente {town.name}", "gemeente", town.nis)
    _organisation(proposal, lookup, org, [org.name], {"gemeente": town.nis})
    proposal.note(("actoren",), line, town.name, org.id, f"no organisation record for the government of {town.name}; "
                  "a new one was made (type gemeente: check whether it is a stad)")
    return org


def map_actors(proposal: Proposal, sheet: Sheet, lookup: Lookup, town: Municipality | None) -> None:
    """Every actor the sheet names, in the sheet's order."""
    city = None
    gemeente = sheet.info.get("gemeente")
    if town is not None and gemeente is not None:
        city = _city(proposal, lookup, town, gemeente.number)
        _actor(proposal, {"organisatie": city.id, "rol": "trekker"})
    _contact(proposal, sheet, lookup, city)
    for item in sheet.items("diensten"):
        _service(proposal, lookup, item, city)
    _governments(proposal, sheet, lookup, town)
    for item in sheet.items("partners"):
        _partner(proposal, lookup, item)


def _contact(proposal: Proposal, sheet: Sheet, lookup: Lookup, city: Organisation | None) -> None:
    """The contact person: an existing person record, or a new one keeping the e-mail unpublished."""
    contact, email = sheet.info.get("contactpersoon"), sheet.info.get("email")
    if contact is None or not contact.text:
        if email is not None and email.text:
            proposal.note((), email.number, email.text, "(left out)", "an e-mail address without a contact person", name="e-mailadres")
        return
    name, questioned = unquestioned(contact.text)
    match = lookup.find("persoon", name)
    if match is None or match.how != "exact":
        person = lookup.new_id("persoon", slug(name))
        data: dict[str, Any] = {"id": person, "naam": name}
        if city is not None:
            data["organisatie"] = city.id
        if email is not None and email.text:
            data["email"] = email.text
            data["email_publiceren"] = False
        data |= {"bronnen": proposal.record["bronnen"], "gewijzigd": proposal.record["gewijzigd"]}
        lookup.add_names("persoon", person, [name])
        proposal.records.append(("personen", data, f"Contact person of {proposal.id!r}, from the sheet; the e-mail "
                                                  "address is kept for curators and not published (email_publiceren: false)."))
        why = "a new person record (e-mail kept, not published)" + (
            f"; a person named alike exists: {match.id}" if match is not None else "")
        index = _actor(proposal, {"persoon": person, "rol": "contactpersoon"})
        proposal.note(("actoren", index), contact.number, contact.text, person, why)
        return
    index = _actor(proposal, {"persoon": match.id, "rol": "contactpersoon"})
    if questioned:
        proposal.note(("actoren", index), contact.number, contact.text, match.id, "the sheet puts a question mark after the name")


def _service(proposal: Proposal, lookup: Lookup, item: Line, city: Organisation | None) -> None:
    """One "Betrokken diensten" item: a service of the city, or several named in one item."""
    whole = _find_service(lookup, item.text, city)
    parts = [p for p in _COMPOUND.split(_PARENTHESIS.sub(" ", item.text)) if p.strip()]
    if whole is None and len(parts) > 1 and any(_find_service(lookup, p, city) for p in parts):
        remark = _PARENTHESIS.search(item.text)
        after = item.text.find(remark.group(0)) if remark else len(item.text)
        for part in parts:
            entry: dict[str, Any] = {"organisatie": "", "rol": "betrokken-dienst"}
            if remark and item.text.find(part) > after:
                entry["toelichting"] = {"nl": remark.group(1).strip()}
            _place_service(proposal, lookup, Line(item.number, part.strip()), city, entry,
                           f"split from the item '{item.text}'")
        return
    _place_service(proposal, lookup, item, city, {"organisatie": "", "rol": "betrokken-dienst"}, "")


def _find_service(lookup: Lookup, name: str, city: Organisation | None) -> Match | None:
    """A service by its name with the city's (``Economie (Stad Leuven)``), or an organisation
    of that name that belongs to the city (``AGSL``) or to no city: never another city's service."""
    if city is not None:
        found = lookup.names.get("organisatie", {}).get(normal(f"{name} ({city.name})"))
        if found is not None:
            return Match(found, "exact")
    match = lookup.find("organisatie", name, approximate=False)
    org = lookup.organisations.get(match.id) if match is not None else None
    if org is None:
        return None
    if (city is not None and org.onderdeel_van == city.id) or (not org.onderdeel_van and org.type != "stadsdienst"):
        return match
    return None


def _place_service(proposal: Proposal, lookup: Lookup, line: Line, city: Organisation | None, entry: dict[str, Any], why: str) -> None:
    name, questioned = unquestioned(line.text)
    item = Line(line.number, name)
    match = _find_service(lookup, item.text, city)
    reasons = [why] if why else []
    if questioned:
        reasons.append("the sheet puts a question mark after the name")
    if match is None:
        label = item.text[:1].upper() + item.text[1:]
        owner = f" ({city.name})" if city else ""
        org = Organisation(lookup.new_id("organisatie", slug(f"{city.id if city else 'dienst'}-{item.text}")), f"{label}{owner}",
                           "stadsdienst", onderdeel_van=city.id if city else "")
        _organisation(proposal, lookup, org, [org.name], {"onderdeel_van": city.id} if city else {})
        reasons.append("a service not known yet: a new organisation record (type stadsdienst)")
        entry["organisatie"] = org.id
    else:
        entry["organisatie"] = match.id
    index = _actor(proposal, entry)
    if reasons:
        proposal.note(("actoren", index), line.number, line.text, entry["organisatie"], "; ".join(reasons))


def _governments(proposal: Proposal, sheet: Sheet, lookup: Lookup, own: Municipality | None) -> None:
    """Municipalities the "Samenwerking met andere lokale besturen" text names, as actors."""
    body = sheet.sections.get("besturen", [])
    text = sheet.text("besturen")
    start = proposal.record.get("start")
    seen = {own.nis} if own else set()
    for line in body:
        for match in _NAME_WORDS.finditer(line.text):
            town = _mentioned(lookup, match.group(0), start)
            if town is None or town.nis in seen:
                continue
            seen.add(town.nis)
            city = _city(proposal, lookup, town, line.number)
            index = _actor(proposal, {"organisatie": city.id, "rol": "samenwerkend-bestuur", "toelichting": {"nl": text}})
            proposal.note(("actoren", index), line.number, town.name, city.id,
                          "a municipality named in the free text on cooperation; check that it cooperates")


def _mentioned(lookup: Lookup, words: str, start: str | None) -> Municipality | None:
    """The municipality a run of capitalised words names (the longest run first)."""
    tokens = words.split()
    for n in range(len(tokens), 0, -1):
        for i in range(len(tokens) - n + 1):
            town, why = resolve_municipality(lookup, " ".join(tokens[i:i + n]), start)
            if town is not None and "not in force" not in why:
                return town
    return None


def _partner(proposal: Proposal, lookup: Lookup, item: Line) -> None:
    """One "Externe partners" bullet: a name, perhaps with a remark after a colon."""
    name, _, remark = item.text.partition(":")
    if not remark or len(name) > 60:
        name, remark = item.text, ""
    name, questioned = unquestioned(name)
    entry: dict[str, Any] = {"organisatie": "", "rol": "partner"}
    if remark:
        entry["toelichting"] = {"nl": item.text}
    reasons = ["the sheet puts a question mark after the name"] if questioned else []
    match = lookup.find("organisatie", name)
    if match is None:
        kind = next((t for pattern, t in _TYPE_HINTS if pattern.search(name)), "middenveld")
        org = Organisation(lookup.new_id("organisatie", slug(name)), name, kind)
        _organisation(proposal, lookup, org, [name], {})
        reasons.append(f"a partner not known yet: a new organisation record (type {kind} guessed)")
        entry["organisatie"] = org.id
    else:
        entry["organisatie"] = match.id
        if match.how != "exact":
            reasons.append(f"matched only approximately (to the name '{match.name}')")
    index = _actor(proposal, entry)
    if reasons:
        proposal.note(("actoren", index), item.number, item.text, entry["organisatie"], "; ".join(reasons))

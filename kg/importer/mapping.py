"""A parsed sheet mapped onto the record format: a :class:`~kg.importer.proposal.Proposal`.

Faithful, never a silent guess: texts are kept verbatim; themes and funding channels are
matched to their vocabularies by label (case and accents ignored); amounts become decimals
in euro and dates keep the sheet's precision (:mod:`kg.importer.values`); the actors are
matched or created by :mod:`kg.importer.actors`. Whatever the importer had to interpret,
could not place, or found empty becomes a note for the review report and a comment in the
record.
"""

from __future__ import annotations

import re
from typing import Any

from kg.importer.actors import map_actors, resolve_municipality
from kg.importer.layout import SECTIONS
from kg.importer.lookup import Lookup, Municipality
from kg.importer.proposal import Proposal
from kg.importer.sheet import Sheet
from kg.importer.values import read_amount, read_date, slug, unquestioned
from kg.records.field_types import URL_PATTERN

__all__ = ["map_sheet", "practice_id", "sheet_id", "source_id"]

_SPLIT_CHANNELS = re.compile(r"\s*[;,]\s*")
_NUMBERED = re.compile(r"\((\d{1,2})\)\s*")


def practice_id(title: str, town: Municipality | None, prefix: str = "") -> str:
    """The id of an imported practice: its municipality and its title (``leuven-strategie-circulaire-stad``)."""
    return prefix + slug(f"{town.name} {title}" if town else title)[:80].strip("-")


def source_id(practice: str, town: Municipality | None, title: str, prefix: str = "") -> str:
    """The id of the sheet's ``bronnen`` record (``leuven-praktijkfiche-strategie-circulaire-stad``)."""
    return prefix + slug(f"{town.name} praktijkfiche {title}" if town else f"praktijkfiche {title}")[:90].strip("-")


def sheet_id(sheet: Sheet, lookup: Lookup, prefix: str = "") -> str:
    """The id the practice of a sheet gets, known before anything is mapped."""
    gemeente = sheet.info.get("gemeente")
    name = unquestioned(gemeente.text)[0] if gemeente else ""
    town = resolve_municipality(lookup, name, _start(sheet)[0])[0] if name else None
    return practice_id(sheet.title.text, town, prefix)


def map_sheet(sheet: Sheet, lookup: Lookup, *, name: str, bron: str | None, today: str, prefix: str = "") -> Proposal:
    """The proposal for one sheet. ``bron`` is the id of its source record when one already
    cites the same file (same checksum); otherwise a new one is named here. ``prefix`` is
    put before every new id (``synth-`` in a synthetic data folder)."""
    start = _start(sheet)
    gemeente = sheet.info.get("gemeente")
    town_name, questioned = unquestioned(gemeente.text) if gemeente else ("", False)
    town, town_why = resolve_municipality(lookup, town_name, start[0]) if town_name else (None, "")
    if questioned:
        town_why = "; ".join(filter(None, ["the sheet puts a question mark after the name", town_why]))
    pid = practice_id(sheet.title.text, town, prefix)
    proposal = Proposal(name, sheet.title.text, pid)
    record = proposal.record
    record["id"] = pid
    record["bronnen"] = [bron or source_id(pid, town, sheet.title.text, prefix)]
    record["gewijzigd"] = today
    record["titel"] = {"nl": sheet.title.text}
    for key, line, why in sheet.repairs:
        field = {"themas": "themas", "beschrijving": "beschrijving", "reden": "reden"}.get(key, "")
        proposal.note((field,) if field else (), line, SECTIONS[key].heading, "(heading added)", why, name=key)
    _kind(proposal, sheet)
    _themes(proposal, sheet, lookup)
    _texts(proposal, sheet)
    if start[0]:
        record["start"] = start[0]
        # The sheet's start, attributed to the sheet (docs/records.md, 'periodes'): another source may differ.
        record["periodes"] = [{"start": start[0], "bron": record["bronnen"][0]}]
    if start[1]:
        info = sheet.info["start"]
        proposal.note(("start",) if start[0] else (), info.number, info.text, start[0] or "(left out)", start[1], name="start")
    if town is not None:
        record["gemeenten"] = [town.nis]
    if gemeente is None:
        proposal.note((), sheet.title.number, "", "(left out)", "the sheet has no 'Gemeente' line: no municipality and no lead government",
                      name="gemeenten")
    elif town_why or not gemeente.text:
        proposal.note(("gemeenten",) if town else (), gemeente.number, gemeente.text, town.nis if town else "(left out)",
                      town_why or "empty field", name="gemeenten")
    map_actors(proposal, sheet, lookup, town)
    _funding(proposal, sheet, lookup)
    _amount(proposal, sheet)
    _goals(proposal, sheet)
    _lists(proposal, sheet)
    _leftovers(proposal, sheet)
    return proposal


def _start(sheet: Sheet) -> tuple[str | None, str]:
    info = sheet.info.get("start")
    if info is None or not info.text:
        return None, "empty field" if info is not None else ""
    return read_date(info.text)


def _kind(proposal: Proposal, sheet: Sheet) -> None:
    """The sheet does not say what kind of practice it is: a guess from the title, always noted."""
    strategy = "strategie" in sheet.title.text.lower()
    proposal.record["type"] = "strategie" if strategy else "voorbeeldpraktijk"
    why = ("the sheet does not state the kind of practice; the title names a strategy" if strategy
           else "the sheet does not state the kind of practice; every sheet of the practice database is an example practice")
    proposal.note(("type",), sheet.title.number, sheet.title.text, proposal.record["type"], why)


def _themes(proposal: Proposal, sheet: Sheet, lookup: Lookup) -> None:
    codes: list[str] = []
    for item in sheet.items("themas"):
        code = lookup.concept("thema", item.text)
        if code is None:
            proposal.note(("themas",), item.number, item.text, "(left out)", "not a theme of the vocabulary (ontology/vocabularies/thema.ttl)")
        elif code not in codes:
            codes.append(code)
    if codes:
        proposal.record["themas"] = codes


def _texts(proposal: Proposal, sheet: Sheet) -> None:
    for key in ("beschrijving", "reden"):
        text = sheet.text(key)
        if text:
            proposal.record[key] = {"nl": text}
        else:
            required = " (required: the record is not valid without it)" if key == "beschrijving" else ""
            proposal.note((), sheet.first_line(key), "", "(left out)", f"empty or missing section{required}", name=key)


def _funding(proposal: Proposal, sheet: Sheet, lookup: Lookup) -> None:
    """"Financieringskanaal": funding channels by label, programmes by name, the rest noted."""
    info = sheet.info.get("financiering")
    if info is None or not info.text:
        if info is not None:
            proposal.note((), info.number, "", "(left out)", "empty field", name="financieringskanalen")
        return
    channels: list[str] = []
    programmes: list[str] = []
    for part in filter(None, _SPLIT_CHANNELS.split(info.text)):
        code = lookup.concept("financieringskanaal", part)
        match = lookup.find("programma", part) if code is None else None
        if code is not None:
            channels.append(code)
        elif match is not None:
            programmes.append(match.id)
            if match.how != "exact":
                proposal.note(("programmas",), info.number, part, match.id, f"matched only approximately (to '{match.name}')")
        else:
            proposal.note((), info.number, part, "(left out)", "neither a funding channel of the vocabulary nor a known programme",
                          name="financieringskanalen")
    if channels:
        proposal.record["financieringskanalen"] = list(dict.fromkeys(channels))
    if programmes:
        proposal.record["programmas"] = list(dict.fromkeys(programmes))


def _amount(proposal: Proposal, sheet: Sheet) -> None:
    info = sheet.info.get("investeringsbedrag")
    if info is None:
        return
    if not info.text:
        proposal.note((), info.number, "", "(left out)", "empty field", name="investeringsbedrag")
        return
    value, why = read_amount(info.text)
    if value is not None:
        proposal.record["investeringsbedrag"] = value
    if why or not info.text.strip().isdigit():
        proposal.note(("investeringsbedrag",) if value is not None else (), info.number, info.text,
                      str(value) if value is not None else "(left out)", why or f"read as {value} euro", name="investeringsbedrag")


def _goals(proposal: Proposal, sheet: Sheet) -> None:
    """Objectives the short description numbers "(1) …, (2) …": taken as ``doelstellingen``, noted."""
    text = sheet.text("beschrijving")
    marks = list(_NUMBERED.finditer(text))
    run = [m for n, m in enumerate(marks) if int(m.group(1)) == n + 1]
    if len(run) < 2:
        return
    goals: list[dict[str, Any]] = []
    for n, mark in enumerate(run):
        end = run[n + 1].start() if n + 1 < len(run) else len(text)
        piece = text[mark.end():end]
        if n + 1 == len(run):
            piece = re.split(r"[.;\n]", piece, maxsplit=1)[0]
        goals.append({"nl": re.sub(r"[,;]?\s*(en)?\s*$", "", piece.strip()).strip()})
    proposal.record["doelstellingen"] = goals
    line = next((ln.number for ln in sheet.sections.get("beschrijving", []) if "(1)" in ln.text), sheet.first_line("beschrijving"))
    proposal.note(("doelstellingen",), line, "(1) … (" + str(len(run)) + ")", f"{len(goals)} objectives",
                  "read from the numbered list in the short description")


def _lists(proposal: Proposal, sheet: Sheet) -> None:
    for key in ("succesfactoren", "valkuilen", "uitdagingen"):
        items = sheet.items(key)
        if items:
            proposal.record[key] = [{"nl": item.text} for item in items]


def _leftovers(proposal: Proposal, sheet: Sheet) -> None:
    """Fields of the sheet the record format has no key for, or that are empty."""
    website = sheet.info.get("website")
    if website is not None and website.text:
        if URL_PATTERN.match(website.text):
            proposal.record["links"] = [{"url": website.text}]
        else:
            proposal.note((), website.number, website.text, "(left out)", "not a web address (http:// or https://)", name="links")
    hiring = sheet.info.get("aanwerving")
    if hiring is not None:
        why = "no field of the record format holds it" if hiring.text else "empty field"
        proposal.note((), hiring.number, hiring.text, "(left out)", why, name="aanwerving")
    if "document" in sheet.headings:
        text = sheet.text("document")
        proposal.note((), sheet.headings["document"], text or "Document!", "(left out)",
                      "the sheet's attachment is not part of its text; add it as a link if it is online", name="document")

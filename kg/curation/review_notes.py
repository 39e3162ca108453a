"""The importer's review notes in Dutch, for the workspace's "new practice from a sheet" form.

Why here: the importer (``kg import``, ``POST /api/import``) writes its notes in English, as
every command-line report of the project; the workspace shows them to curators in the page's
language. A note's reason is one or more parts joined by ``"; "``; each part is matched
against the importer's wordings below. A part no pattern knows keeps its English words
(:func:`dutch` returns None for it, and the page marks it as English);
``tests/test_curation_sheet.py`` imports real sheets and fails on any such part, so a new
wording in the importer is noticed.

>>> dutch("read 09/2021 as month/year")
'09/2021 gelezen als maand/jaar'
>>> dutch("the sheet puts a question mark after the name; matched only approximately (to the name 'Voka')")
"de fiche zet een vraagteken achter de naam; slechts bij benadering herkend (als 'Voka')"
>>> dutch("something new") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["bilingual", "dutch"]

_PARTS: tuple[tuple[str, str], ...] = (
    (r"no organisation record for the government of (.+)", "geen organisatierecord voor het bestuur van {0}"),
    (r"a new one was made \(type gemeente: check whether it is a stad\)", "er werd een nieuw gemaakt (type gemeente: kijk na of het een stad is)"),
    (r"an e-mail address without a contact person", "een e-mailadres zonder contactpersoon"),
    (r"the sheet puts a question mark after the name", "de fiche zet een vraagteken achter de naam"),
    (r"a service not known yet: a new organisation record \(type stadsdienst\)",
     "een dienst die nog niet bekend is: een nieuw organisatierecord (type stadsdienst)"),
    (r"a municipality named in the free text on cooperation", "een gemeente genoemd in de vrije tekst over samenwerking"),
    (r"check that it cooperates", "kijk na of ze samenwerkt"),
    (r"a partner not known yet: a new organisation record \(type (.+) guessed\)",
     "een partner die nog niet bekend is: een nieuw organisatierecord (type {0} geraden)"),
    (r"matched only approximately \(to (?:the name )?'(.+)'\)", "slechts bij benadering herkend (als '{0}')"),
    (r"reduced from HTML to its text", "van HTML tot tekst herleid"),
    (r"the sheet has no 'Gemeente' line: no municipality and no lead government",
     "de fiche heeft geen regel 'Gemeente': geen gemeente en geen trekkend bestuur"),
    (r"empty field", "leeg veld"),
    (r"no municipality of this name in data/reference/gemeenten\.csv", "geen gemeente met deze naam in data/reference/gemeenten.csv"),
    (r"left out", "weggelaten"),
    (r"(.+) \((\d+)\) was not in force at the start date (.+)", "{0} ({1}) bestond niet op de startdatum {2}"),
    (r"check the name or the date", "kijk de naam of de datum na"),
    (r"the name is shared by (.+)", "de naam wordt gedeeld door {0}"),
    (r"the sheet gives no start date to choose: choose one", "de fiche geeft geen startdatum om te kiezen: kies er een"),
    (r"(.+) merged on 1 January 2025", "{0} fusioneerde op 1 januari 2025"),
    (r"the start date (.+) chose (\d+) \(in force from (.+)\)", "de startdatum {0} koos {1} (geldig vanaf {2})"),
    (r"the start date (.+) chose (\d+) \(in force until (.+)\)", "de startdatum {0} koos {1} (geldig tot {2})"),
    (r"(\d+) municipalities named (.+) were in force at (.+)", "{0} gemeenten met de naam {1} bestonden op {2}"),
    (r"choose one", "kies er een"),
    (r"the sheet does not state the kind of practice", "de fiche zegt niet wat voor praktijk het is"),
    (r"the title names a strategy", "de titel noemt een strategie"),
    (r"every sheet of the practice database is an example practice", "elke fiche van de praktijkendatabank is een voorbeeldpraktijk"),
    (r"not a theme of the vocabulary \(ontology/vocabularies/thema\.ttl\)", "geen thema van de woordenlijst (ontology/vocabularies/thema.ttl)"),
    (r"empty or missing section \(required: the record is not valid without it\)",
     "lege of ontbrekende rubriek (verplicht: zonder is het record niet geldig)"),
    (r"empty or missing section", "lege of ontbrekende rubriek"),
    (r"neither a funding channel of the vocabulary nor a known programme", "geen financieringskanaal van de woordenlijst en geen bekend programma"),
    (r"read as (.+) euro", "gelezen als {0} euro"),
    (r"not an amount in euro: write it as '€ 25\.000' or '25000 euro'", "geen bedrag in euro: schrijf het als '€ 25.000' of '25000 euro'"),
    (r"read from the numbered list in the short description", "gelezen uit de genummerde lijst in de korte beschrijving"),
    (r"not a web address \(http:// or https://\)", "geen webadres (http:// of https://)"),
    (r"no field of the record format holds it", "geen veld van het recordformaat kan het bevatten"),
    (r"the sheet's attachment is not part of its text", "de bijlage van de fiche hoort niet bij haar tekst"),
    (r"add it as a link if it is online", "voeg ze toe als link als ze online staat"),
    (r"read (.+) as month/year", "{0} gelezen als maand/jaar"),
    (r"read (.+) as day/month/year", "{0} gelezen als dag/maand/jaar"),
    (r"not a date: write it as '2020', 'september 2021', '09/2021' or '1 september 2021'",
     "geen datum: schrijf ze als '2020', 'september 2021', '09/2021' of '1 september 2021'"),
    (r"a new person record \(e-mail kept, not published\)", "een nieuw persoonsrecord (e-mailadres bewaard, niet gepubliceerd)"),
    (r"a person named alike exists: (.+)", "er bestaat een persoon met een gelijkaardige naam: {0}"),
    (r"split from the item '(.+)'", "afgesplitst van het item '{0}'"),
    (r"no heading '(.+)'", "geen kop '{0}'"),
    (r"the text after the themes is taken as the short description", "de tekst na de thema's wordt als korte beschrijving genomen"),
    (r"the text after the title is taken as the short description", "de tekst na de titel wordt als korte beschrijving genomen"),
)
_COMPILED = tuple((re.compile(f"^{pattern}$"), template) for pattern, template in _PARTS)


def _part(text: str) -> str | None:
    for pattern, template in _COMPILED:
        match = pattern.match(text.strip())
        if match:
            return template.format(*match.groups())
    return None


def dutch(why: str) -> str | None:
    """The Dutch wording of a note's reason, or None when a part of it is not known here."""
    parts = [_part(part) for part in why.split("; ")]
    return None if any(p is None for p in parts) else "; ".join(p for p in parts if p is not None)


def bilingual(note: Mapping[str, Any]) -> dict[str, Any]:
    """A note of the importer (``kg.importer.review.Note.as_json``) with ``why_nl`` and ``why_en``."""
    return {**note, "why_en": note["why"], "why_nl": dutch(str(note["why"])) or note["why"],
            "why_nl_known": dutch(str(note["why"])) is not None}

"""The layout of a practice sheet of the VVSG practice database, declared once.

The parser (:mod:`kg.importer.sheet`) reads it and the generator of synthetic sheets
(``kg synth --sheets``) writes it, so the two cannot drift apart. A section is known by its
heading; the labels of the "Praktische info" bullets name its fields.

>>> SECTIONS["themas"].heading
"Het project heeft invloed op de volgende thema's:"
>>> heading_key("korte   beschrijving"), heading_key("Valkuilen:"), heading_key("Iets anders")
('beschrijving', 'valkuilen', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["BULLETS", "INFO_LABELS", "LIST_SEPARATOR", "SECTIONS", "Section", "heading_key"]


@dataclass(frozen=True)
class Section:
    """One heading of a sheet and how its body is written: ``text`` (paragraphs), ``bars``
    (items separated by ``|``), ``bullets`` (one item per bullet) or ``info`` (labelled bullets)."""

    heading: str
    body: str


#: The sections in the order a sheet has them, by the key the mapping uses.
SECTIONS: dict[str, Section] = {
    "themas": Section("Het project heeft invloed op de volgende thema's:", "bars"),
    "beschrijving": Section("Korte beschrijving:", "text"),
    "reden": Section("Reden van het project:", "text"),
    "info": Section("Praktische info", "info"),
    "diensten": Section("Betrokken diensten binnen de gemeente:", "bars"),
    "besturen": Section("Samenwerking met andere lokale besturen:", "text"),
    "partners": Section("Externe partners:", "bullets"),
    "document": Section("Document!", "text"),
    "succesfactoren": Section("Succesfactoren", "bullets"),
    "valkuilen": Section("Valkuilen", "bullets"),
    "uitdagingen": Section("Uitdagingen", "bullets"),
}

#: The labelled bullets of "Praktische info", label → field key.
INFO_LABELS: dict[str, str] = {
    "Startdatum": "start",
    "Investeringsbedrag": "investeringsbedrag",
    "Financieringskanaal": "financiering",
    "Aanwerving": "aanwerving",
    "Gemeente": "gemeente",
    "Contactpersoon": "contactpersoon",
    "E-mailadres": "email",
    "Website": "website",
}

#: The bullet characters sheets use (the database writes •; hand-made copies - or *).
BULLETS = "•-*–·"
#: What separates the items of a ``bars`` section.
LIST_SEPARATOR = "|"


def _norm(text: str) -> str:
    return re.sub(r"[\s:]+", " ", text).strip().lower()


_BY_HEADING = {_norm(s.heading): key for key, s in SECTIONS.items()}


def heading_key(line: str) -> str | None:
    """The section a line opens, or None: spacing, case and a trailing colon do not matter."""
    return _BY_HEADING.get(_norm(line))

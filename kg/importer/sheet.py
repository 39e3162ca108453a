"""A sheet's text read into its title, sections and "Praktische info" fields, each with its line.

Why lines everywhere: the review report and every error point the curator at the line of the
sheet a value was read from. Real sheets vary (:mod:`kg.importer.layout` holds the layout):
a heading may be missing, so text that cannot belong to the section before it is handed to
the missing section that follows, and that is noted; bullets may be ``•``, ``-`` or ``*``;
the labelled bullets of "Praktische info" are recognised by their label wherever they stand.

>>> s = parse_sheet("Repair café\\n\\nMaterialen | Water\\n\\nEen korte tekst.\\n* Startdatum: 2021\\n")
>>> s.title, s.items("themas"), s.text("beschrijving"), s.info["start"]
(Line(number=1, text='Repair café'), [Line(number=3, text='Materialen'), Line(number=3, text='Water')], 'Een korte tekst.', Line(number=6, text='2021'))
>>> [(key, line) for key, line, _ in s.repairs]
[('themas', 3), ('beschrijving', 5)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.importer.layout import BULLETS, INFO_LABELS, LIST_SEPARATOR, SECTIONS, heading_key

__all__ = ["Line", "NoTitle", "Sheet", "bullet_text", "parse_sheet"]

_BULLET = re.compile(rf"^\s*[{re.escape(BULLETS)}]\s+(.*)$")
_INFO = re.compile(r"^\s*(" + "|".join(re.escape(label) for label in INFO_LABELS) + r")\s*:\s*(.*)$", re.IGNORECASE)
_LABEL_KEYS = {label.lower(): key for label, key in INFO_LABELS.items()}
_ORDER = list(SECTIONS)


@dataclass(frozen=True)
class Line:
    """A value read from the sheet, and its 1-based line."""

    number: int
    text: str


class NoTitle(ValueError):
    """The sheet has no title line before its first heading (or no text at all)."""

    def __init__(self, line: int) -> None:
        super().__init__("The sheet has no title: its first line of text must be the practice's name, before any heading.")
        self.line = line


@dataclass
class Sheet:
    """What a sheet says, located: ``sections`` hold the raw lines under each heading found."""

    title: Line
    sections: dict[str, list[Line]] = field(default_factory=dict)
    info: dict[str, Line] = field(default_factory=dict)
    headings: dict[str, int] = field(default_factory=dict)
    #: Sections whose heading was missing: (section, line, what was done).
    repairs: list[tuple[str, int, str]] = field(default_factory=list)

    def text(self, key: str) -> str:
        """A text section verbatim: its lines, trailing spaces removed, joined by line breaks."""
        return "\n".join(line.text for line in self.sections.get(key, []))

    def first_line(self, key: str) -> int:
        """Where a section's body starts (its heading when empty, else the title)."""
        body = self.sections.get(key)
        return body[0].number if body else self.headings.get(key, self.title.number)

    def items(self, key: str) -> list[Line]:
        """The items of a ``bars`` or ``bullets`` section, each with its line."""
        kind = SECTIONS[key].body
        if kind == "bars":
            return [Line(line.number, part.strip()) for line in self.sections.get(key, [])
                    for part in line.text.split(LIST_SEPARATOR) if part.strip()]
        items: list[Line] = []
        for line in self.sections.get(key, []):
            text = bullet_text(line.text)
            if text is None and items:  # a bullet's text wrapped onto the next line
                items[-1] = Line(items[-1].number, f"{items[-1].text} {line.text.strip()}")
            else:
                items.append(Line(line.number, (text if text is not None else line.text).strip()))
        return [item for item in items if item.text]


def bullet_text(line: str) -> str | None:
    """The text of a bullet line (any of the bullet characters), or None for other lines.

    >>> bullet_text(" • Voka"), bullet_text("- UCLL"), bullet_text("*KU"), bullet_text("-instrumenten")
    ('Voka', 'UCLL', None, None)
    """
    match = _BULLET.match(line)
    return match.group(1) if match else None


def parse_sheet(text: str) -> Sheet:
    """Read a sheet's text; raises :class:`NoTitle` when it has no title line."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise NoTitle(1)
    if heading_key(lines[start]) is not None or _info(lines[start]) is not None:
        raise NoTitle(start + 1)
    sheet = Sheet(Line(start + 1, lines[start].strip()))
    current = "_preamble"
    body: dict[str, list[Line]] = {current: []}
    for number, raw in enumerate(lines[start + 1:], start=start + 2):
        stripped = raw.rstrip()
        if not stripped.strip():
            continue
        key = heading_key(stripped)
        if key is not None:
            current = key
            sheet.headings[key] = number
            body.setdefault(key, [])
            continue
        info = _info(stripped)
        if info is not None:
            sheet.info[info[0]] = Line(number, info[1])
            continue
        body.setdefault(current, []).append(Line(number, stripped.strip()))
    _repair(sheet, body)
    return sheet


def _info(line: str) -> tuple[str, str] | None:
    """A labelled "Praktische info" line (with or without bullet): (field key, value)."""
    text = bullet_text(line)
    match = _INFO.match(text if text is not None else line)
    if match is None or (text is None and not line.lstrip().startswith(tuple(INFO_LABELS))):
        return None
    return _LABEL_KEYS[match.group(1).lower()], match.group(2).strip()


def _repair(sheet: Sheet, body: dict[str, list[Line]]) -> None:
    """Sections in place; lines that cannot belong where they stand go to a missing section.

    A ``bars`` section is one line: lines after it (and text before the first heading that
    is not a themes line) belong to the next section whose heading is missing."""
    preamble = body.pop("_preamble", [])
    if preamble and "themas" not in body and LIST_SEPARATOR in preamble[0].text:
        body["themas"] = [preamble.pop(0)]
        sheet.repairs.append(("themas", body["themas"][0].number,
                              f"no heading {SECTIONS['themas'].heading!r}; the line with '|' after the title is taken as the themes"))
    orphans: list[tuple[str, list[Line]]] = [("title", preamble)] if preamble else []
    for key in _ORDER:
        lines = body.get(key)
        if lines is None:
            continue
        if SECTIONS[key].body == "bars" and len(lines) > 1:
            orphans.append((key, lines[1:]))
            lines = lines[:1]
        sheet.sections[key] = lines
    for after, lines in orphans:
        position = _ORDER.index(after) + 1 if after in _ORDER else 0
        target = next((k for k in _ORDER[position:] if k not in sheet.sections and SECTIONS[k].body == "text"), None)
        if target is None:
            continue
        sheet.sections[target] = lines
        after_name = "the title" if after == "title" else f"the {after}"
        if after == "themas":
            after_name = "the themes"
        sheet.repairs.append((target, lines[0].number,
                              f"no heading {SECTIONS[target].heading!r}; the text after {after_name} is taken as "
                              f"{'the short description' if target == 'beschrijving' else SECTIONS[target].heading.rstrip(':')}"))

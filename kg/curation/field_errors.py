"""What the gate refused, as messages at the form's fields, in Dutch and English.

Why here: the build reports a problem at a file and line (record checks) or a SHACL result
at a file, line, focus node and path; a curator sees a form. The line of the record file the
form wrote leads to its top-level key (:func:`kg.curation.record_edit.key_lines`), which is
the form field; a record check that names a key in quotes (``'titel.nl'``) is put there even
when its line is the record's first. SHACL results carry their shape's ``sh:message`` in both
languages; the record checks speak English, so the few a form can cause are translated here
and any other keeps its English words behind a Dutch lead.

>>> e = from_problem("The required key 'beschrijving' is missing.", 1, [(1, "id"), (3, "titel")])
>>> e.key, e.nl
('beschrijving', "Dit veld is verplicht ('beschrijving').")
>>> from_problem("'start' must be a date (YYYY, YYYY-MM or YYYY-MM-DD); found '20x'.", 4, [(1, "id"), (4, "start")]).key
'start'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["FieldError", "from_problem", "from_result"]

_QUOTED = re.compile(r"'([a-z_]+)(?:[.'])")
#: The record checks' messages a form can cause, in Dutch (English pattern → Dutch template).
_DUTCH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"The required key '(.+)' is missing\."), "Dit veld is verplicht ('{0}')."),
    (re.compile(r"'(.+)' needs a Dutch text \(nl\)"), "'{0}' heeft een Nederlandse tekst nodig; andere talen zijn optioneel."),
    (re.compile(r"'(.+)' must be non-empty text"), "'{0}' mag niet leeg zijn."),
    (re.compile(r"The end '(.+)' lies before the start '(.+)'\."), "Het einde '{0}' ligt vóór de start '{1}'."),
    (re.compile(r"'(.+)' refers to (\w+) '(.+)', which does not exist"), "'{0}' verwijst naar {1} '{2}', die niet bestaat."),
    (re.compile(r"'(.+)' is not a concept of the scheme '(.+)'\."), "'{0}' is geen begrip van de lijst '{1}'."),
    (re.compile(r"'(.+)' names NIS code (\d+), which is not a municipality"), "'{0}': NIS-code {1} is geen gemeente."),
    (re.compile(r"'(.+)' must be a number"), "'{0}' moet een getal zijn, bv. 100000 of 4.3."),
    (re.compile(r"'(.+)' must be (a date|a day|an http).*found '(.*)'\."), "'{0}' heeft niet de juiste vorm: '{2}'."),
)


@dataclass(frozen=True)
class FieldError:
    """One message for the form: the field's key (None: about the whole record) in both languages."""

    key: str | None
    nl: str
    en: str
    severity: str = "Violation"
    #: Where the gate saw it: the SHACL path (an IRI) or the record check's line.
    path: str | None = None
    line: int | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _key_at(line: int | None, lines: Sequence[tuple[int, str]]) -> str | None:
    if line is None:
        return None
    found = None
    for start, key in lines:
        if start <= line:
            found = key
    return found


def _dutch(message: str) -> str:
    for pattern, template in _DUTCH:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups())
    return f"Het recordformaat weigert dit: {message}"


def from_problem(message: str, line: int | None, lines: Sequence[tuple[int, str]]) -> FieldError:
    """A record check's problem at its field."""
    known = {key for _, key in lines}
    quoted = _QUOTED.search(message)
    key = quoted.group(1) if quoted and (quoted.group(1) in known or "required key" in message) else _key_at(line, lines)
    return FieldError(key, _dutch(message), message, line=line)


def from_result(severity: str, nl: str, en: str, line: int | None, path: str | None,
                lines: Sequence[tuple[int, str]]) -> FieldError:
    """A SHACL result at its field (the key of its line in the file the form wrote)."""
    key = _key_at(line, lines)  # a result about no key is at the record's id line: the whole record
    return FieldError(None if key == "id" else key, nl or en, en or nl, severity, path, line)

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
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kg.importer.yaml_out import load_round_trip
from kg.records.format import RECORD_KINDS, Field

__all__ = ["FieldError", "from_problem", "from_result", "nested_field"]

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
    (re.compile(r"An actor names exactly one of 'organisatie' or 'persoon'"),
     "Een actor noemt precies één van 'organisatie' of 'persoon'."),
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


def nested_field(text: str, kind: str, line: int | None, path: str | None = None) -> str | None:
    """The form's input inside a structure that a message at ``line`` of the record file ``text``
    is about (``actoren.2.rol``), or None for a top-level key. A SHACL ``path`` naming a
    sibling's predicate moves it to that sibling (a missing role is reported at the actor's
    first line, which names its organisation).

    >>> text = "id: x\\nactoren:\\n  - organisatie: a\\n    rol: trekker\\n  - organisatie: b\\n"
    >>> nested_field(text, "praktijk", 5), nested_field(text, "praktijk", 5, "http://www.w3.org/ns/prov#hadRole")
    ('actoren.1.organisatie', 'actoren.1.rol')
    >>> nested_field(text, "praktijk", 1) is None
    True
    """
    if line is None:
        return None
    try:
        node = load_round_trip(text)
    except Exception:  # noqa: BLE001 -- not YAML: the record checks say so, about the whole record
        return None
    places: list[tuple[int, tuple[str | int, ...]]] = []
    _places(node, (), places)
    found = max((p for p in places if p[0] <= line), key=lambda p: (p[0], len(p[1])), default=None)
    if found is None or len(found[1]) < 2:
        return None
    steps = list(found[1])
    siblings = _fields_at(kind, steps[:-1])
    if path and siblings and isinstance(steps[-1], str):
        steps[-1] = next((k for k, spec in siblings.items() if path in {p.value for p in spec.predicates}), steps[-1])
    return ".".join(str(s) for s in steps)


def _places(node: Any, at: tuple[str | int, ...], out: list[tuple[int, tuple[str | int, ...]]]) -> None:
    """(1-based line, path) of every key and list item in ``node``."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            out.append((node.lc.key(key)[0] + 1, (*at, str(key))))
            _places(value, (*at, str(key)), out)
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            out.append((node.lc.item(i)[0] + 1, (*at, i)))
            _places(value, (*at, i), out)


def _fields_at(kind: str, steps: Sequence[str | int]) -> Mapping[str, Field] | None:
    """The declared fields of the structure at ``steps`` (``actoren``, 2 → an actor's)."""
    fields: Mapping[str, Field] | None = RECORD_KINDS[kind].fields
    for step in steps:
        if isinstance(step, int):
            continue
        spec = fields.get(step) if fields is not None else None
        fields = spec.fields if spec is not None else None
    return fields

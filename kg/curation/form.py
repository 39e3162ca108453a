"""The edit form of a record kind, generated from the record format and the SHACL shapes.

Why generated: a form written per kind drifts from the format the build checks. Each key of
:data:`kg.records.format.RECORD_KINDS` becomes one form field, in the documented key order:
its widget from the value type (a text per language, a date at the precision the format
allows, a list of codes as checkboxes of the scheme's concepts, references and other lists
one value per line), ``required`` from the format, its label and help text from the
property shape of the kind's node shape (``sh:name``, ``sh:description`` in nl and en).
Structures (actors, key figures, enumerations, readings, links) are kept as they are: the
form shows them read-only and a publication never touches them (docs/curation.md).

Values travel as strings: :func:`form_values` turns a record into the form's values,
:func:`record_values` turns a submitted form back into the record's values of the fields
the form edits (None: the key is removed).

>>> f = {x.key: x for x in fields_of("praktijk", Path("ontology/vocabularies"), Path("shapes"), "https://x.test")}
>>> f["titel"].widget, f["titel"].required, f["themas"].widget, f["actoren"].widget, f["start"].widget
('text', True, 'checks', 'kept', 'input')
>>> record_values(f.values(), {"v:titel:nl": ["Nieuw"], "v:titel:en": [""], "v:gemeenten": ["24062\\n 11002 "]})["gemeenten"]
['24062', '11002']
>>> f["bronnen"].widget, record_values(f.values(), {"v:bronnen": ["a", " ", "b "]})["bronnen"]
('refs', ['a', 'b'])
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.namespaces import SH, SKOS
from kg.records.field_types import ID_PATTERN, Field
from kg.records.format import RECORD_KINDS

__all__ = ["EDITABLE_KINDS", "ID_PATTERN", "FormField", "Option", "fields_of", "form_values", "record_keys", "record_values"]

#: The kinds curators edit (municipalities are Statbel's reference table, not records).
EDITABLE_KINDS = tuple(name for name, kind in RECORD_KINDS.items() if kind.folder is not None)
#: Set by the publication, never by the form.
_SERVER_KEYS = frozenset({"id", "gewijzigd"})
_INPUT_TYPES = {"url": "url", "email": "email", "day": "date", "decimal": "number"}


def record_keys(kind: str) -> tuple[str, ...]:
    """The keys a record of ``kind`` may have that a curator sets (not ``id``, ``gewijzigd``)."""
    return tuple(key for key in RECORD_KINDS[kind].fields if key not in _SERVER_KEYS)


@dataclass(frozen=True)
class Option:
    """A concept a code field may hold: its code and labels."""

    code: str
    nl: str
    en: str


@dataclass(frozen=True)
class FormField:
    """One field of the form. ``widget``: text (one box per language), input, check, select,
    checks (several codes), refs (several references, each a box suggesting existing records),
    lines (one value per line), kept (shown, not edited)."""

    key: str
    type: str
    widget: str
    required: bool
    label: Mapping[str, str]
    help: Mapping[str, str]
    options: tuple[Option, ...] = ()
    input_type: str = "text"
    target: str | None = None

    @property
    def editable(self) -> bool:
        return self.widget != "kept"


def _widget(key: str, spec: Field) -> str:
    if key in _SERVER_KEYS or spec.type == "struct" or spec.fields is not None or (spec.type == "text" and spec.many):
        return "kept"
    if spec.type == "decimal" and spec.node is not None:  # an amount: a node of its own, kept as is
        return "kept"
    if spec.many:
        return {"code": "checks", "ref": "refs"}.get(spec.type, "lines")
    return {"text": "text", "bool": "check", "code": "select"}.get(spec.type, "input")


def fields_of(kind: str, vocab_dir: Path, shapes_dir: Path, base_iri: str) -> list[FormField]:
    """The form of ``kind``, one field per key in the format's order."""
    record_kind = RECORD_KINDS[kind]
    texts = _shape_texts(shapes_dir, base_iri, record_kind.classes[0].value)
    out = []
    for key, spec in record_kind.fields.items():
        widget = _widget(key, spec)
        predicate = (spec.predicates or spec.written or (None,))[0]
        label, help_ = texts.get(predicate.value if predicate is not None else "", ({}, {}))
        options = _options(vocab_dir, spec.scheme) if spec.scheme else ()
        out.append(FormField(key, spec.type, widget, spec.required, label or {"nl": key, "en": key}, help_, options,
                             _INPUT_TYPES.get(spec.type, "text"), spec.target))
    return out


@functools.lru_cache(maxsize=16)
def _shape_texts(shapes_dir: Path, base_iri: str, cls: str) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """Predicate → (sh:name, sh:description) by language, of the property shapes of the node
    shape that targets ``cls``."""
    store = ox.Store()
    for path in sorted(shapes_dir.glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=f"{base_iri}/")
    query = (f"SELECT ?path ?what ?text WHERE {{ ?node <{SH.targetClass.value}> <{cls}> ; <{SH.property.value}> ?p . "
             f"?p <{SH.path.value}> ?path . VALUES ?what {{ <{SH.name.value}> <{SH.description.value}> }} ?p ?what ?text }}")
    found: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
    for row in store.query(query):  # type: ignore[union-attr]
        path, what, text = row["path"], row["what"], row["text"]
        if not isinstance(path, ox.NamedNode) or not isinstance(text, ox.Literal) or text.language not in ("nl", "en"):
            continue
        names, helps = found.setdefault(path.value, ({}, {}))
        target = names if what == SH.name else helps
        value = text.value
        target.setdefault(text.language, value[:1].upper() + value[1:] if target is names else value)
    return found


@functools.lru_cache(maxsize=32)
def _options(vocab_dir: Path, scheme: str) -> tuple[Option, ...]:
    """The concepts of a scheme (``ontology/vocabularies/<scheme>.ttl``) with their labels."""
    path = vocab_dir / f"{scheme}.ttl"
    if not path.is_file():
        return ()
    labels: dict[str, dict[str, str]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri="https://x.invalid/"):
        if quad.predicate == SKOS.prefLabel and isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            if "/concept/" in quad.subject.value and quad.object.language:
                labels.setdefault(quad.subject.value.rsplit("/", 1)[-1], {})[quad.object.language] = quad.object.value
    return tuple(sorted((Option(code, names.get("nl", code), names.get("en", names.get("nl", code)))
                         for code, names in labels.items()), key=lambda o: o.nl.casefold()))


def form_values(fields: Iterable[FormField], record: Mapping[str, Any]) -> dict[str, Any]:
    """The values the form shows for ``record``: text per language, lists joined by lines."""
    out: dict[str, Any] = {}
    for f in fields:
        value = record.get(f.key)
        if f.widget == "text":
            text = value if isinstance(value, Mapping) else {}
            out[f.key] = {lang: str(text.get(lang, "")) for lang in ("nl", "en")}
        elif f.widget in ("checks", "refs"):
            out[f.key] = [str(v) for v in value or []]
        elif f.widget == "lines":
            out[f.key] = "\n".join(str(v) for v in value or [])
        elif f.widget == "check":
            out[f.key] = bool(value)
        else:
            out[f.key] = "" if value is None else str(value)
    return out


def record_values(fields: Iterable[FormField], form: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The submitted form's values of the editable fields (None: remove the key). A form lists
    the fields it shows in ``_fields`` (an unticked checkbox sends nothing); a field it does not
    list is left as it is."""
    def one(name: str) -> str:
        return (form.get(name) or [""])[0].strip()

    shown = set(form["_fields"]) if "_fields" in form else None
    out: dict[str, Any] = {}
    for f in fields:
        if shown is not None and f.key not in shown:
            continue
        name = f"v:{f.key}"
        if f.widget == "text":
            text = {lang: " ".join(one(f"{name}:{lang}").split()) for lang in ("nl", "en")}
            out[f.key] = {lang: v for lang, v in text.items() if v} or None
        elif f.widget in ("checks", "refs"):
            out[f.key] = [v.strip() for v in form.get(name, []) if v.strip()] or None
        elif f.widget == "lines":
            out[f.key] = [line.strip() for line in one(name).splitlines() if line.strip()] or None
        elif f.widget == "check":
            out[f.key] = True if one(name) else None
        elif f.widget in ("input", "select"):
            out[f.key] = one(name) or None
    return out

"""The edit form of a record kind, generated from the record format and the SHACL shapes.

Why generated: a form written per kind drifts from the format the build checks. Each key of
:data:`kg.records.format.RECORD_KINDS` becomes one form field, in the documented key order:
its widget from the value type (a text per language, a date at the precision the format
allows, a list of codes as checkboxes of the scheme's concepts, references and other lists
one value per line), ``required`` from the format, its label and help text from the
property shape of the kind's node shape (``sh:name``, ``sh:description`` in nl and en).
Structures (actors, key figures, enumerations and their items, readings, links, periods) are
repeatable groups whose items have the fields of the structure's declaration, labelled by the
node shape of the item's class, to any depth; text lists (objectives, lessons) are repeatable
texts. Only an amount (a node of its own with one value) is kept as it is (docs/curation.md).

Values travel as strings: :func:`form_values` turns a record into the form's values,
:func:`record_values` turns a submitted form back into the record's values of the fields
the form edits (None: the key is removed).

>>> f = {x.key: x for x in fields_of("praktijk", Path("ontology/vocabularies"), Path("shapes"), "https://x.test")}
>>> f["titel"].widget, f["titel"].required, f["themas"].widget, f["actoren"].widget, f["start"].widget
('text', True, 'checks', 'group', 'input')
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

__all__ = ["EDITABLE_KINDS", "ID_PATTERN", "FormField", "Option", "fields_of", "form_values", "record_keys", "record_values",
           "submission", "targets"]

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
    #: The fields of one item of a repeatable group (widget ``group``), from the structure's declaration.
    parts: tuple[FormField, ...] = ()

    @property
    def editable(self) -> bool:
        return self.widget != "kept"


def _widget(key: str, spec: Field, nested: bool = False) -> str:
    if key in _SERVER_KEYS and not nested:
        return "kept"
    if spec.type == "struct" and spec.many and spec.fields is not None:
        return "group"
    if spec.type == "text" and spec.many:
        return "texts"
    if spec.type == "struct" or spec.fields is not None:
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
    return [_form_field(key, spec, texts, vocab_dir, shapes_dir, base_iri) for key, spec in record_kind.fields.items()]


def _form_field(key: str, spec: Field, texts: Mapping[str, tuple[dict[str, str], dict[str, str]]], vocab_dir: Path,
                shapes_dir: Path, base_iri: str, nested: bool = False) -> FormField:
    """One field; a repeatable structure with the fields of its items, labelled by the node
    shape of the item's class (``actoren`` → ``prov:Association`` → ``sh:name`` of ``prov:hadRole``)."""
    widget = _widget(key, spec, nested)  # nested: an item's own id (a key figure's) is a value like any other
    predicate = (spec.predicates or spec.written or (None,))[0]
    label, help_ = texts.get(predicate.value if predicate is not None else "", ({}, {}))
    options = _options(vocab_dir, spec.scheme) if spec.scheme else ()
    parts: tuple[FormField, ...] = ()
    if widget == "group" and spec.fields is not None:
        inner = _shape_texts(shapes_dir, base_iri, spec.node.cls.value) if spec.node is not None else {}
        parts = tuple(_form_field(k, s, inner, vocab_dir, shapes_dir, base_iri, True) for k, s in spec.fields.items())
        labels = [tuple(sorted(p.label.items())) for p in parts]  # one predicate for two keys (an actor's agent)
        parts = tuple(FormField(p.key, p.type, p.widget, p.required, {lang: f"{text} ({p.key})" for lang, text in p.label.items()},
                                p.help, p.options, p.input_type, p.target, p.parts) if labels.count(labels[i]) > 1 else p
                      for i, p in enumerate(parts))
    return FormField(key, spec.type, widget, spec.required, label or {"nl": key, "en": key}, help_, options,
                     _INPUT_TYPES.get(spec.type, "text"), spec.target, parts)


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


def targets(fields: Iterable[FormField]) -> set[str]:
    """The kinds of record the form's references point at, inside structures too (for suggestions)."""
    found: set[str] = set()
    for f in fields:
        if f.editable and f.target:
            found.add(f.target)
        found |= targets(f.parts)
    return found


def form_values(fields: Iterable[FormField], record: Mapping[str, Any]) -> dict[str, Any]:
    """The values the form shows for ``record``: text per language, lists joined by lines, a
    group as a list of its items' values."""
    return {f.key: _shown(f, record.get(f.key)) for f in fields}


def _shown(f: FormField, value: Any) -> Any:
    if f.widget == "text":
        text = value if isinstance(value, Mapping) else {}
        return {lang: str(text.get(lang, "")) for lang in ("nl", "en")}
    if f.widget == "texts":
        return [{lang: str(t.get(lang, "")) for lang in ("nl", "en")} for t in value or [] if isinstance(t, Mapping)]
    if f.widget == "group":
        return [form_values(f.parts, item) for item in value or [] if isinstance(item, Mapping)]
    if f.widget in ("checks", "refs"):
        return [str(v) for v in value or []]
    if f.widget == "lines":
        return "\n".join(str(v) for v in value or [])
    if f.widget == "check":
        return bool(value)
    return "" if value is None else str(value)


def record_values(fields: Iterable[FormField], form: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The submitted form's values of the editable fields (None: remove the key). A form lists
    the fields it shows in ``_fields`` (an unticked checkbox sends nothing); a field it does not
    list is left as it is. A group's items come in the order of their ``_item:<path>`` markers
    (the order on the page, after adding, removing and moving items); an item left empty is dropped.

    >>> f = {x.key: x for x in fields_of("praktijk", Path("ontology/vocabularies"), Path("shapes"), "https://x.test")}
    >>> record_values([f["actoren"]], {"_item:actoren": ["b", "a"], "v:actoren.a.rol": ["trekker"],
    ...     "v:actoren.a.organisatie": ["stad-leuven"], "v:actoren.b.rol": ["partner"], "v:actoren.b.persoon": ["x"]})
    {'actoren': [{'persoon': 'x', 'rol': 'partner'}, {'organisatie': 'stad-leuven', 'rol': 'trekker'}]}
    """
    shown = set(form["_fields"]) if "_fields" in form else None
    out: dict[str, Any] = {}
    for f in fields:
        if (shown is None or f.key in shown) and f.editable:
            out[f.key] = _submitted(f, form, f.key)
    return out


def _submitted(f: FormField, form: Mapping[str, Sequence[str]], path: str) -> Any:
    """The value of field ``f`` named ``v:<path>`` in the submitted form (None: empty)."""
    name = f"v:{path}"

    def one(field_name: str) -> str:
        return (form.get(field_name) or [""])[0].strip()

    if f.widget == "text":
        text = {lang: " ".join(one(f"{name}:{lang}").split()) for lang in ("nl", "en")}
        return {lang: v for lang, v in text.items() if v} or None
    if f.widget in ("group", "texts"):
        items = []
        for token in form.get(f"_item:{path}", []):
            if f.widget == "texts":
                text = {lang: " ".join(one(f"{name}.{token}:{lang}").split()) for lang in ("nl", "en")}
                item: dict[str, Any] = {lang: v for lang, v in text.items() if v}
            else:
                values = {part.key: _submitted(part, form, f"{path}.{token}.{part.key}") for part in f.parts}
                item = {k: v for k, v in values.items() if v is not None}
            if item:
                items.append(item)
        return items or None
    if f.widget in ("checks", "refs"):
        return [v.strip() for v in form.get(name, []) if v.strip()] or None
    if f.widget == "lines":
        return [line.strip() for line in one(name).splitlines() if line.strip()] or None
    if f.widget == "check":
        return True if one(name) else None
    return one(name) or None


def submission(fields: Iterable[FormField], values: Mapping[str, Any]) -> dict[str, list[str]]:
    """What the form sends for the form ``values`` (:func:`form_values`) untouched: the names the
    template gives its inputs (``v:<path>``, ``v:<path>:<lang>``, ``_item:<path>`` per item, the
    position as its token). The inverse of :func:`record_values`, for tests and scripts."""
    out: dict[str, list[str]] = {"_fields": []}
    for f in fields:
        if f.editable:
            out["_fields"].append(f.key)
            _send(f, values.get(f.key), f.key, out)
    return out


def _send(f: FormField, value: Any, path: str, out: dict[str, list[str]]) -> None:
    name = f"v:{path}"
    if f.widget == "text":
        for lang in ("nl", "en"):
            out[f"{name}:{lang}"] = [value.get(lang, "")]
    elif f.widget in ("group", "texts"):
        for i, item in enumerate(value or []):
            out.setdefault(f"_item:{path}", []).append(str(i))
            if f.widget == "texts":
                for lang in ("nl", "en"):
                    out[f"{name}.{i}:{lang}"] = [item.get(lang, "")]
            else:
                for part in f.parts:
                    _send(part, item.get(part.key), f"{path}.{i}.{part.key}", out)
    elif f.widget in ("checks", "refs"):
        out[name] = list(value or [])
    elif f.widget == "check":
        if value:
            out[name] = ["1"]
    else:
        out[name] = [value or ""]

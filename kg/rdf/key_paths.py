"""From a SHACL result back to the record: which YAML key, hence which line, it is about.

The validation report points at a focus node, a predicate and sometimes a value; an editor
needs ``data/praktijken/x.yaml`` line 12. This reads the record format
(:mod:`kg.records.format`) backwards: the predicates each key becomes, those the mapping's
structures write on the record (``written``) and the hash-node fragments of list items
(``node``). Kept apart from the mapping so the build's hot path stays small and this
lookup, used only when a report is written, can be read on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.records.format import RECORD_KINDS, Field, RecordKind
from kg.records.record import KeyPath, Record

__all__ = ["key_for_path", "key_path"]


def _reverse_table(kind: RecordKind) -> dict[str, str]:
    """Predicate IRI → the key that writes it on the record's subject (the first key, in
    writing order, when several do: ``dct:subject`` → ``themas``)."""
    table: dict[str, str] = {}
    written = kind.written()
    for key, spec in written:
        for predicate in spec.predicates:
            table.setdefault(predicate.value, key)
    for key, spec in written:
        for predicate in spec.written:
            table.setdefault(predicate.value, key)
    return table


_REVERSE = {name: _reverse_table(kind) for name, kind in RECORD_KINDS.items()}
#: Per kind, the keys whose values become hash nodes (``#rol-1``, ``#cijfer-x``, ``#bedrag``).
_NODES = {
    name: [(key, spec) for key, spec in kind.fields.items() if spec.node is not None]
    for name, kind in RECORD_KINDS.items()
}
#: A figure's value or its range: a result about the one the figure lacks points at the one it has.
_VALUE_KEYS = ("waarde", "min", "max")


def key_for_path(kind: str, predicate_iri: str) -> str | None:
    """The record key whose value a predicate of the record's subject carries, e.g.
    ``key_for_path("praktijk", "http://purl.org/dc/terms/title") == "titel"``; None when
    the predicate is not one the mapping writes for that kind.

    >>> key_for_path("praktijk", "http://purl.org/dc/terms/title"), key_for_path("praktijk", "http://example.org/x")
    ('titel', None)
    """
    return _REVERSE.get(kind, {}).get(predicate_iri)


def key_path(record: Record, focus_iri: str, predicate_iri: str | None, value: str | None = None) -> KeyPath:
    """The key path inside ``record`` (for ``Record.line``) that a SHACL result about
    ``focus_iri`` / ``predicate_iri`` / ``value`` points at, as precisely as known:
    ``('actoren', 1, 'rol')`` for ``…#rol-2`` + ``prov:hadRole``, ``('gemeenten', 0)``
    for the first municipality, ``('titel',)`` for a title, ``()`` when unknown."""
    data = record.data
    _, _, fragment = focus_iri.partition("#")
    if fragment:
        return _fragment_path(record, fragment, predicate_iri)
    if predicate_iri is None:
        return ()
    key = key_for_path(record.kind, predicate_iri)
    if key is None:
        return ()
    item = data.get(key)
    if value is not None and isinstance(item, list):
        for index, entry in enumerate(item):
            if isinstance(entry, Mapping):
                continue
            text = str(entry)
            if value == text or value.endswith("/" + text):
                return (key, index)
    if value is not None and isinstance(item, Mapping) and len(item) > 1:
        for lang, text in item.items():
            if text == value:
                return (key, lang)
    return (key,)


def _fragment_path(record: Record, fragment: str, predicate_iri: str | None) -> KeyPath:
    """The key path of a result about a hash node of the record, known by its fragment."""
    nodes = _NODES.get(record.kind, [])
    for key, spec in nodes:  # a node of its own name: #bedrag, #nis
        if not spec.many and spec.node is not None and spec.node.fragment == fragment:
            return (key,)
    for key, spec in nodes:  # nodes named by the item's id alone: an indicator's observations
        if spec.node is not None and spec.node.stem == "" and any(
            isinstance(item, Mapping) and str(item.get("id")) == fragment for item in record.data.get(key) or ()
        ):
            return _item_by_id(record.data, key, spec, fragment, predicate_iri)
    stem, _, rest = fragment.partition("-")
    found = next(((key, spec) for key, spec in nodes if spec.many and spec.node is not None and spec.node.stem == stem), None)
    if found is None:
        return ()
    key, spec = found
    if spec.node is not None and spec.node.named_by_id:
        return _item_by_id(record.data, key, spec, rest, predicate_iri)
    if not rest.isdigit():
        return (key,)
    index = int(rest) - 1
    if spec.fields is not None and predicate_iri is not None:
        items = record.data.get(key) or []
        item = items[index] if 0 <= index < len(items) else {}
        sub = _sub_key(spec.fields, item, predicate_iri)
        return (key, index, sub) if sub else (key, index)
    return (key, index)


def _sub_key(fields: Mapping[str, Field], item: Mapping[str, Any], predicate_iri: str) -> str | None:
    """The key of a struct item that writes the predicate: the one the item has when
    several could (an actor's ``prov:agent`` is its ``organisatie`` or its ``persoon``)."""
    candidates = [key for key, spec in fields.items() if any(p.value == predicate_iri for p in spec.predicates)]
    return next((key for key in candidates if key in item), candidates[0] if candidates else None)


def _item_by_id(data: Mapping[str, Any], key: str, spec: Field, item_id: str, predicate_iri: str | None) -> KeyPath:
    """The key path of a figure (an item with an ``id``) and the key a predicate of its node writes."""
    for index, item in enumerate(data.get(key) or ()):
        if str(item.get("id")) == item_id:
            sub = _sub_key(spec.fields or {}, {}, predicate_iri or "")
            if sub in _VALUE_KEYS and sub not in item:
                sub = next((k for k in _VALUE_KEYS if k in item), sub)
            return (key, index, sub) if sub else (key, index)
    # An item of an item: an enumeration's #opsomming-{id}-{n}, or a list inside that item, #opsomming-{id}-{n}.{m}
    # (ids have no dots, so the dot tells the two apart).
    head, dot, nested = item_id.partition(".")
    prefix, _, position = head.rpartition("-")
    for index, item in enumerate(data.get(key) or ()):
        if str(item.get("id")) == prefix and position.isdigit():
            return (key, index, *_item_path(spec.fields or {}, item, int(position) - 1, nested if dot else "", predicate_iri or ""))
    return (key,)


def _item_path(fields: Mapping[str, Field], parent: Mapping[str, Any], n: int, nested: str, predicate_iri: str) -> KeyPath:
    """The path below an enumeration to its item ``n`` (0-based), or to that item's item ``nested`` (1-based)."""
    for inner, inner_spec in fields.items():
        if inner_spec.node is not None and inner_spec.many:
            found = parent.get(inner) or []
            item = found[n] if 0 <= n < len(found) else {}
            if nested.isdigit():
                return (inner, n, *_item_path(inner_spec.fields or {}, item, int(nested) - 1, "", predicate_iri))
            sub = _sub_key(inner_spec.fields or {}, item, predicate_iri)
            return (inner, n, sub) if sub else (inner, n)
    return ()

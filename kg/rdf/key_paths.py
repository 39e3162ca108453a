"""From a SHACL result back to the record: which YAML key, hence which line, it is about.

The validation report points at a focus node, a predicate and sometimes a value; an editor
needs ``data/praktijken/x.yaml`` line 12. This reads the mapping contract backwards: the
simple keys from ``kg.rdf.keys``, plus the predicates and hash-node fragments that the kind
functions of ``kg.rdf.mapping`` write by hand (listed here, because only this direction needs
them). Kept apart from the mapping so the build's hot path stays small and this lookup,
used only when a report is written, can be read on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.namespaces import ADMS, CIRC, DCT, FOAF, ORG, OWL, PROV, RDF, SCHEMA
from kg.rdf.keys import ACTOR_KEYS, FIGURE_KEYS, KINDS, SIMPLE_KEYS, TEXT_LISTS
from kg.records.reader import Record

__all__ = ["key_for_path", "key_path"]

#: Keys written by the kind functions of ``kg.rdf.mapping`` rather than the tables, for ``key_for_path``.
_STRUCTURED_KEYS: dict[str, dict[str, str]] = {
    "praktijk": {
        PROV.qualifiedAssociation.value: "actoren",
        PROV.wasAssociatedWith.value: "actoren",
        CIRC.kerncijfer.value: "kerncijfers",
        FOAF.page.value: "links",
        CIRC.investeringsbedrag.value: "investeringsbedrag",
        RDF.type.value: "type",
        **{predicate.value: key for key, (predicate, _, _) in TEXT_LISTS.items()},
    },
    "organisatie": {ORG.unitOf.value: "onderdeel_van", RDF.type.value: "type"},
    "persoon": {SCHEMA.email.value: "email"},
    "financiering": {SCHEMA.amount.value: "bedrag"},
    "publicatie": {FOAF.page.value: "links", RDF.type.value: "type"},
    "indicator": {CIRC.observatie.value: "observaties"},
    "bron": {DCT.language.value: "taal", FOAF.page.value: "links"},
    "gemeente": {
        ADMS.identifier.value: "nis",
        OWL.sameAs.value: "nis",
        PROV.wasDerivedFrom.value: "nis",
    },
}

#: Sub-resource fragment stem → the record key holding the list it comes from.
_FRAGMENT_KEYS = {
    "rol": "actoren",
    "cijfer": "kerncijfers",
    **{stem: key for key, (_, _, stem) in TEXT_LISTS.items()},
}


def _reverse_table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for key in SIMPLE_KEYS.get(kind, ()):
        for predicate in key.predicates:
            table.setdefault(predicate.value, key.key)
    for iri, key_name in _STRUCTURED_KEYS.get(kind, {}).items():
        table.setdefault(iri, key_name)
    return table


_REVERSE = {kind: _reverse_table(kind) for kind in KINDS}
_REVERSE_FIGURE = {p.value: key.key for key in FIGURE_KEYS for p in key.predicates}
_REVERSE_ACTOR = {p.value: key.key for key in ACTOR_KEYS for p in key.predicates}


def key_for_path(kind: str, predicate_iri: str) -> str | None:
    """The record key whose value a predicate of the record's subject carries, e.g.
    ``key_for_path("praktijk", "http://purl.org/dc/terms/title") == "titel"``; None when
    the predicate is not one the mapping writes for that kind."""
    return _REVERSE.get(kind, {}).get(predicate_iri)


def key_path(record: Record, focus_iri: str, predicate_iri: str | None, value: str | None = None) -> tuple[str | int, ...]:
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


def _fragment_path(record: Record, fragment: str, predicate_iri: str | None) -> tuple[str | int, ...]:
    data = record.data
    if fragment in ("investeringsbedrag", "bedrag", "nis"):
        return (fragment,)
    if record.kind == "indicator":
        return _figure_path(data, "observaties", fragment, predicate_iri)
    stem, _, rest = fragment.partition("-")
    key = _FRAGMENT_KEYS.get(stem)
    if key is None:
        return ()
    if key == "kerncijfers":
        return _figure_path(data, key, rest, predicate_iri)
    if not rest.isdigit():
        return (key,)
    index = int(rest) - 1
    if key == "actoren" and predicate_iri is not None:
        sub = _REVERSE_ACTOR.get(predicate_iri)
        items = data.get(key) or []
        if sub == "organisatie" and 0 <= index < len(items) and "organisatie" not in items[index]:
            sub = "persoon"
        return (key, index, sub) if sub else (key, index)
    return (key, index)


def _figure_path(data: Mapping[str, Any], key: str, figure_id: str, predicate_iri: str | None) -> tuple[str | int, ...]:
    for index, figure in enumerate(data.get(key) or ()):
        if str(figure.get("id")) == figure_id:
            sub = _REVERSE_FIGURE.get(predicate_iri or "")
            if sub in ("waarde", "min", "max") and sub not in figure:
                sub = next((k for k in ("waarde", "min", "max") if k in figure), sub)
            return (key, index, sub) if sub else (key, index)
    return (key,)

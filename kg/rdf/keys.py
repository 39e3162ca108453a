"""The mapping contract as a table, derived from the record format: which triples each simple key becomes.

The record format (:mod:`kg.records.format`) says of each key which predicates it
becomes; this module turns that into what the mapping's hot loop needs: per record kind,
the simple keys in the order their triples are written, each with a converter from a
value to its RDF objects (``SIMPLE_KEYS``, ``FIGURE_KEYS``, ``ACTOR_KEYS``), and the text
lists of a practice (``TEXT_LISTS``). How a value type becomes a term (a code → a
concept IRI, a NIS code → a municipality IRI …) is the one rule that lives here::

    >>> [key.key for key in SIMPLE_KEYS["persoon"]]
    ['naam', 'organisatie', 'bronnen', 'gewijzigd']
    >>> TEXT_LISTS["lessen"][2]
    'les'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode

from kg.namespaces import XSD
from kg.rdf.iris import Iris
from kg.rdf.literals import date_literal, decimal_literal
from kg.records.format import (
    ACTOR,
    ENUMERATION,
    FIGURE,
    LIST_ITEM,
    PERIOD,
    PRAKTIJK,
    RECORD_KINDS,
    SOURCE_PERIOD,
    SUB_ITEM,
    Field,
)

__all__ = [
    "ACTOR_KEYS",
    "ENUMERATION_KEYS",
    "LIST_ITEM_KEYS",
    "FIGURE_KEYS",
    "PERIOD_KEYS",
    "SIMPLE_KEYS",
    "SOURCE_PERIOD_KEYS",
    "SUB_ITEM_KEYS",
    "TEXT_LISTS",
    "Key",
    "Term",
    "term_of",
]

Term = NamedNode | Literal

Convert = Callable[[Iris, Any], Sequence[Term]]

#: How a value of each type becomes an RDF object, unless its field says otherwise (``term``).
_TERM_OF_TYPE = {
    "text": "text",
    "string": "string",
    "bool": "boolean",
    "email": "string",
    "date": "date",
    "day": "date",
    "decimal": "decimal",
    "url": "url",
    "code": "concept",
    "ref": "ref",
    "nis": "ref",
}


def _converter(term: str, target: str, language: str) -> Convert:
    """The function turning one value of a key into its RDF objects."""
    if term == "text":
        def text(iris: Iris, value: Any) -> Sequence[Term]:
            if isinstance(value, Mapping):
                return [Literal(t, language=lang) for lang, t in value.items()]
            return (Literal(str(value), language=language),)
        return text
    if term == "ref":
        return lambda iris, value: (iris.entity(target, str(value)),)
    if term == "concept":
        return lambda iris, value: (iris.concept(target, str(value)),)
    if term == "date":
        return lambda iris, value: (date_literal(value),)
    if term == "string":
        return lambda iris, value: (Literal(str(value)),)
    if term == "url":
        return lambda iris, value: (NamedNode(str(value)),)
    if term == "decimal":
        return lambda iris, value: (decimal_literal(value),)
    if term == "boolean":
        return lambda iris, value: (Literal("true" if value else "false", datatype=XSD.boolean),)
    if term == "area":
        return lambda iris, value: (
            iris.entity("gewest", "vlaanderen") if value == "vlaanderen" else iris.entity("gemeente", str(value)),
        )
    raise AssertionError(f"unknown term kind {term!r}")  # pragma: no cover - a typo in the format


@dataclass(frozen=True)
class Key:
    """One simple record key: which predicates it becomes and what kind of object.

    ``term`` is one of ``text`` (language map), ``string``, ``date``, ``decimal``,
    ``url``, ``concept`` (``target`` = scheme), ``ref`` (``target`` = concept of the
    referenced record) or ``area`` (a NIS code or ``vlaanderen``). Lists map item by item.
    """

    key: str
    predicates: tuple[NamedNode, ...]
    term: str
    target: str = ""
    language: str = "nl"
    convert: Convert = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "convert", _converter(self.term, self.target, self.language))


def term_of(spec: Field) -> tuple[str, str]:
    """(term kind, target) of a field the key table maps: its own ``term``, or its type's;
    the target is the scheme of a code, the record kind of a reference (a NIS code names
    a municipality unless its field names another kind of place)."""
    term = spec.term or _TERM_OF_TYPE.get(spec.type)
    if term is None:
        raise AssertionError(f"a field of type {spec.type!r} has predicates but no term")  # pragma: no cover - a format error
    if term == "concept":
        return term, spec.scheme or ""
    if term == "ref":
        return term, spec.target or "gemeente"
    return term, ""


def _keys(fields: Sequence[tuple[str, Field]]) -> tuple[Key, ...]:
    keys = []
    for name, spec in fields:
        if spec.predicates:
            term, target = term_of(spec)
            keys.append(Key(name, spec.predicates, term, target, spec.language))
    return tuple(keys)


#: The simple keys of each record kind, in the order their triples are written.
SIMPLE_KEYS: dict[str, tuple[Key, ...]] = {name: _keys(kind.written()) for name, kind in RECORD_KINDS.items()}

#: The keys of a key figure (practice) or observation (indicator), written on its hash node.
FIGURE_KEYS = _keys(list(FIGURE.items()))

#: The keys of one actor of a practice, written on its ``prov:Association`` hash node.
ACTOR_KEYS = _keys(list(ACTOR.items()))

#: The keys of an enumeration and of one of its items, on their hash nodes.
ENUMERATION_KEYS = _keys(list(ENUMERATION.items()))
LIST_ITEM_KEYS = _keys(list(LIST_ITEM.items()))
SUB_ITEM_KEYS = _keys(list(SUB_ITEM.items()))

#: The keys of one period of an organisation's municipality, on its hash node.
PERIOD_KEYS = _keys(list(PERIOD.items()))

#: The keys of one source's period of a practice (``periodes`` item), on its ``dct:PeriodOfTime`` node.
SOURCE_PERIOD_KEYS = _keys(list(SOURCE_PERIOD.items()))


def _text_lists() -> dict[str, tuple[NamedNode, NamedNode, str]]:
    lists = {}
    for name, spec in PRAKTIJK.fields.items():
        if spec.type == "text" and spec.many and spec.node is not None:
            lists[name] = (spec.written[0], spec.node.cls, spec.node.stem)
    return lists


#: Ordered text lists of a practice: key → (predicate, class, fragment stem).
TEXT_LISTS = _text_lists()

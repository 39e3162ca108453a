"""The building blocks of the record format: value types, fields, hash nodes and record kinds.

Why apart from :mod:`kg.records.format`: that module is the declaration itself (every key of
every record kind); this one says what a declaration is made of, so the declaration reads as
tables and both stay small. Everything here is re-exported by :mod:`kg.records.format`.

    >>> _f("code", scheme="thema").scheme, ItemNode("rol-{position}", NamedNode("http://x/A")).local(position=2)
    ('thema', 'rol-2')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from kg.namespaces import RDF, SCHEMA

__all__ = [
    "DATE_PATTERN", "DAY_PATTERN", "EMAIL_PATTERN", "ID_PATTERN", "LANG_PATTERN", "NIS_PATTERN", "PATTERNS", "PROVENANCE", "URL_PATTERN",
    "Field", "ItemNode", "RecordKind", "_amount", "_f", "_many", "_text_list",
]

# --------------------------------------------------------------------------- value types

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
DAY_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
NIS_PATTERN = re.compile(r"^[1-9]\d{4}$")
URL_PATTERN = re.compile(r"^https?://[^\s<>\"]+$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
LANG_PATTERN = re.compile(r"^[a-z]{2}$")

#: The value types written as a string of a fixed form: the pattern, and how a message names it.
PATTERNS: Mapping[str, tuple[re.Pattern[str], str]] = {
    "id": (ID_PATTERN, "an id of lower-case letters, digits and hyphens, e.g. 'stad-leuven'"),
    "date": (DATE_PATTERN, "a date written \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\" (quoted)"),
    "day": (DAY_PATTERN, "a day written \"YYYY-MM-DD\" (quoted)"),
    "nis": (NIS_PATTERN, "a five-digit NIS code such as \"24062\" (quoted)"),
    "url": (URL_PATTERN, "a web address starting with http:// or https://"),
    "email": (EMAIL_PATTERN, "an e-mail address such as info@example.be"),
    "lang": (LANG_PATTERN, "a two-letter language code such as nl or en"),
    "code": (ID_PATTERN, "a concept code of lower-case letters, digits and hyphens"),
    "ref": (ID_PATTERN, "the id of another record"),
}


#: Where a record comes from: written after the record's own keys, in this order.
PROVENANCE = ("bronnen", "gewijzigd")


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class ItemNode:
    """The hash node each value of a key becomes (``…/id/praktijk/x#rol-1``), written by
    :mod:`kg.rdf.mapping`: its fragment, its class, and what the mapping writes on it
    besides the fields of a struct. ``fragment`` is ``"{stem}-{position}"`` (1-based list
    position), ``"{stem}-{id}"`` (the item's own ``id``), ``"{id}"``, or a fixed name."""

    fragment: str
    cls: NamedNode
    predicates: tuple[NamedNode, ...] = ()

    @property
    def stem(self) -> str:
        """``rol`` of ``rol-{position}``; the whole fragment when it is a fixed name; ``""`` for ``{id}``."""
        return self.fragment.partition("{")[0].rstrip("-")

    def local(self, position: int = 0, id: str = "") -> str:
        """The fragment of one item's node: ``rol-2`` for position 2, ``cijfer-bereik`` for id ``bereik``."""
        return self.fragment.format(position=position, id=id)

    @property
    def named_by_id(self) -> bool:
        """Whether the fragment ends in the item's ``id`` (a figure) rather than a position."""
        return self.fragment.endswith("{id}")


@dataclass(frozen=True)
class Field:
    """One key of a record: what it may hold and what it becomes in RDF.

    Exactly one of three says how it is mapped: ``predicates`` (the key table of
    :mod:`kg.rdf.keys` writes each value as an object of each predicate; ``term`` and
    ``language`` override how a value becomes an object, the value type decides
    otherwise), ``written`` and/or ``node`` (a structure the kind functions of
    :mod:`kg.rdf.mapping` write by code: the predicates they put on the record's subject,
    and the hash node of each value), or ``unmapped`` (why the key writes no triple of
    its own). ``written`` may also add to ``predicates`` what code writes beside the table.
    """

    type: str
    required: bool = False
    many: bool = False
    scheme: str | None = None
    target: str | None = None
    fields: Mapping[str, Field] | None = None
    predicates: tuple[NamedNode, ...] = ()
    term: str = ""
    language: str = "nl"
    written: tuple[NamedNode, ...] = ()
    node: ItemNode | None = None
    unmapped: str = ""
    #: Classes a record has besides those of its kind when this key holds a certain code.
    classes_of_code: Mapping[str, tuple[NamedNode, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordKind:
    """A kind of record: the URI concept ``name``, its folder in ``data/`` (None for the
    municipalities of the reference CSV), the classes every record of it has, and its
    keys in the order ``docs/records.md`` lists them (the order of the checks)."""

    name: str
    folder: str | None
    classes: tuple[NamedNode, ...]
    fields: Mapping[str, Field]
    #: The key that names a record (its file name, or the CSV's first column).
    id_key: str = "id"
    #: Predicates the mapping derives from *other* records → why (no key of this record writes them).
    derived: Mapping[NamedNode, str] = field(default_factory=dict)

    def written(self) -> list[tuple[str, Field]]:
        """The keys in the order their triples are written: the record's own keys, then
        its provenance (:data:`PROVENANCE`), as the published graphs always had them."""
        own = [(k, f) for k, f in self.fields.items() if k not in PROVENANCE]
        return own + [(k, self.fields[k]) for k in PROVENANCE if k in self.fields]


def _f(
    type_: str, *predicates: NamedNode, required: bool = False, many: bool = False, scheme: str | None = None,
    target: str | None = None, fields: Mapping[str, Field] | None = None, term: str = "", language: str = "nl",
    written: tuple[NamedNode, ...] = (), node: ItemNode | None = None, unmapped: str = "",
    classes_of_code: Mapping[str, tuple[NamedNode, ...]] | None = None,
) -> Field:
    """A field, with its predicates written out in a row (the tables below stay one line per key)."""
    return Field(type_, required, many, scheme, target, fields, predicates, term, language, written, node, unmapped,
                 classes_of_code or {})


def _many(
    type_: str, *predicates: NamedNode, required: bool = False, scheme: str | None = None, target: str | None = None,
    fields: Mapping[str, Field] | None = None, written: tuple[NamedNode, ...] = (), node: ItemNode | None = None,
) -> Field:
    """A list field: each item is checked and mapped like a single value."""
    return _f(type_, *predicates, required=required, many=True, scheme=scheme, target=target, fields=fields,
              written=written, node=node)


def _text_list(predicate: NamedNode, cls: NamedNode, stem: str) -> Field:
    """An ordered list of texts (objectives, lessons …): one hash node per item."""
    return Field("text", many=True, written=(predicate,), node=ItemNode(f"{stem}-{{position}}", cls, (RDF.value, SCHEMA.position)))


def _amount(predicate: NamedNode, fragment: str) -> Field:
    """A sum of money in euro, written as a ``schema:MonetaryAmount`` hash node."""
    return Field("decimal", written=(predicate,), node=ItemNode(fragment, SCHEMA.MonetaryAmount, (SCHEMA.value, SCHEMA.currency)))

"""The mapping contract as data: which triples each simple record key becomes.

Shared with ``ontology/`` and ``shapes/``, the contract is a table (record key →
predicates → kind of term, ``SIMPLE_KEYS``) rather than code, so that both directions read
the same facts: ``kg.rdf.mapping`` writes quads from it, ``kg.rdf.key_paths`` reads it backwards to
find the YAML key a SHACL result points at. The structured parts (actor roles, lessons,
figures, amounts, links) are code in ``kg.rdf.mapping``; the key lists they use live here.

The literal helpers sit here too because the table's converters need them and so do the
kind functions: one definition of how a date or an amount is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pyoxigraph import Literal, NamedNode

from kg.namespaces import ADMS, BESLUIT, CIRC, DCT, FOAF, FRAPO, ORG, PROV, RDFS, SCHEMA, SKOS, XSD
from kg.rdf.iris import Iris

__all__ = [
    "ACTOR_KEYS",
    "FIGURE_KEYS",
    "KINDS",
    "SIMPLE_KEYS",
    "TEXT_LISTS",
    "Key",
    "Term",
    "date_literal",
    "decimal_literal",
    "text_literals",
]

Term = NamedNode | Literal

#: Record kinds in the order their graphs are produced.
KINDS = (
    "praktijk",
    "organisatie",
    "persoon",
    "programma",
    "financiering",
    "publicatie",
    "indicator",
    "bron",
    "gemeente",
)

_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


# --------------------------------------------------------------------------- terms


def text_literals(value: Any, language: str = "nl") -> Iterator[Literal]:
    """Multilingual text ``{nl: …, en: …}`` → one language-tagged literal per language."""
    if isinstance(value, Mapping):
        for lang, text in value.items():
            yield Literal(str(text), language=lang)
    else:
        yield Literal(str(value), language=language)


def date_literal(value: str) -> Literal:
    """``"2020"`` → gYear, ``"2022-11"`` → gYearMonth, ``"2022-11-15"`` → date."""
    text = str(value)
    datatype = _DATE_TYPES.get(len(text))
    if datatype is None:  # records.py rejects these; say so rather than guess
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.")
    return Literal(text, datatype=datatype)


def decimal_literal(value: Any) -> Literal:
    """An amount or figure as ``xsd:decimal``, never in exponent notation."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number.")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(number, "f")
    return Literal(text, datatype=XSD.decimal)


Convert = Callable[[Iris, Any], Sequence[Term]]


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
    if term == "area":
        return lambda iris, value: (
            iris.entity("gewest", "vlaanderen") if value == "vlaanderen" else iris.entity("gemeente", str(value)),
        )
    raise AssertionError(f"unknown term kind {term!r}")  # pragma: no cover - a typo in the tables


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


# --------------------------------------------------------------------------- table


def _key(key: str, *predicates: NamedNode, term: str, target: str = "", language: str = "nl") -> Key:
    return Key(key, predicates, term, target, language)


def _text_key(key: str, *predicates: NamedNode) -> Key:
    return Key(key, predicates, "text")


def _concepts(key: str, scheme: str, *predicates: NamedNode) -> Key:
    return Key(key, predicates, "concept", scheme)


def _refs(key: str, concept: str, *predicates: NamedNode) -> Key:
    return Key(key, predicates, "ref", concept)


_COMMON = (
    _refs("bronnen", "bron", PROV.wasDerivedFrom),
    _key("gewijzigd", DCT.modified, term="date"),
)

#: The simple keys of each record kind, in the order their triples are written.
SIMPLE_KEYS: dict[str, tuple[Key, ...]] = {
    "praktijk": (
        _concepts("type", "praktijktype", CIRC.praktijktype),
        _text_key("titel", DCT.title, RDFS.label),
        _text_key("beschrijving", DCT.description),
        _text_key("reden", CIRC.reden),
        _key("start", SCHEMA.startDate, term="date"),
        _key("einde", SCHEMA.endDate, term="date"),
        _concepts("status", "status", ADMS.status),
        _concepts("themas", "thema", DCT.subject, CIRC.thema),
        _concepts("actiedomeinen", "actiedomein", DCT.subject, CIRC.actiedomein),
        _concepts("beleidsinstrumenten", "beleidsinstrument", DCT.subject, CIRC.beleidsinstrument),
        _concepts("waardeketens", "waardeketen", DCT.subject, CIRC.waardeketen),
        _refs("gemeenten", "gemeente", DCT.spatial),
        _refs("onderdeel_van", "praktijk", DCT.isPartOf),
        _concepts("financieringskanalen", "financieringskanaal", CIRC.financieringskanaal),
        _refs("programmas", "programma", CIRC.programma),
        _text_key("toekomst", CIRC.toekomst),
        _text_key("doelgroep", CIRC.doelgroep),
        *_COMMON,
    ),
    "organisatie": (
        _text_key("naam", SKOS.prefLabel, RDFS.label),
        _key("afkorting", SKOS.altLabel, term="text"),
        _concepts("type", "organisatietype", ORG.classification),
        _refs("gemeente", "gemeente", BESLUIT.werkingsgebied),
        _refs("onderdeel_van", "organisatie", ORG.subOrganizationOf),
        _key("website", FOAF.homepage, term="url"),
        _key("email", SCHEMA.email, term="string"),
        _text_key("beschrijving", DCT.description),
        *_COMMON,
    ),
    "persoon": (
        _key("naam", FOAF.name, RDFS.label, term="string"),
        _refs("organisatie", "organisatie", ORG.memberOf),
        *_COMMON,
    ),
    "programma": (
        _text_key("naam", SKOS.prefLabel, RDFS.label),
        _concepts("type", "financieringskanaal", CIRC.financieringskanaal),
        _refs("financier", "organisatie", SCHEMA.funder),
        _text_key("beschrijving", DCT.description),
        _key("website", FOAF.homepage, term="url"),
        *_COMMON,
    ),
    "financiering": (
        _text_key("titel", DCT.title, RDFS.label),
        _refs("programma", "programma", DCT.isPartOf),
        _refs("financier", "organisatie", SCHEMA.funder),
        _refs("ontvanger", "organisatie", CIRC.ontvanger),
        _refs("praktijk", "praktijk", SCHEMA.fundedItem),
        _key("dossiernummer", FRAPO.hasGrantNumber, term="string"),
        *_COMMON,
    ),
    "publicatie": (
        _text_key("titel", DCT.title, RDFS.label),
        _concepts("type", "publicatietype", CIRC.publicatietype),
        _refs("uitgever", "organisatie", DCT.publisher),
        _refs("praktijk", "praktijk", PROV.wasGeneratedBy),
        _text_key("beschrijving", DCT.description),
        *_COMMON,
    ),
    "indicator": (
        _text_key("titel", DCT.title, RDFS.label),
        _text_key("beschrijving", DCT.description),
        _text_key("opmerking", SKOS.note),
        *_COMMON,
    ),
    "bron": (
        _text_key("titel", DCT.title, RDFS.label),
        _concepts("type", "documenttype", DCT.type),
        _refs("uitgever", "organisatie", DCT.publisher),
        _key("bestand", CIRC.tekstbestand, term="string"),
        _refs("vertaling_van", "bron", CIRC.vertalingVan),
        _key("gewijzigd", DCT.modified, term="date"),
    ),
    "gemeente": (
        _key("naam_nl", SKOS.prefLabel, RDFS.label, term="text", language="nl"),
        _key("naam_fr", SKOS.prefLabel, RDFS.label, term="text", language="fr"),
        _key("nis", SKOS.notation, term="string"),
        _refs("arrondissement_code", "arrondissement", CIRC.arrondissement, SCHEMA.containedInPlace),
        _refs("provincie_code", "provincie", CIRC.provincie),
        _key("geldig_van", SCHEMA.validFrom, term="date"),
        _key("geldig_tot", SCHEMA.validThrough, term="date"),
        _refs("vervangen_door", "gemeente", DCT.isReplacedBy),
        _key("gewijzigd", DCT.modified, term="date"),
    ),
}

#: The keys of a key figure (practice) or observation (indicator), written on its hash node.
FIGURE_KEYS = (
    _key("waarde", SCHEMA.value, term="decimal"),
    _key("min", SCHEMA.minValue, term="decimal"),
    _key("max", SCHEMA.maxValue, term="decimal"),
    _concepts("eenheid", "eenheid", CIRC.eenheid),
    _text_key("omschrijving", DCT.description),
    _key("datum", DCT.date, term="date"),
    _key("gebied", DCT.spatial, term="area"),
    _text_key("opmerking", SKOS.note),
)

#: The keys of one actor of a practice, written on its ``prov:Association`` hash node.
ACTOR_KEYS = (
    _refs("organisatie", "organisatie", PROV.agent),
    _refs("persoon", "persoon", PROV.agent),
    _concepts("rol", "rol", PROV.hadRole),
    _text_key("toelichting", CIRC.toelichting),
)

#: Ordered text lists of a practice: key → (predicate, class, fragment stem).
TEXT_LISTS = {
    "doelstellingen": (CIRC.doelstelling, CIRC.Doelstelling, "doelstelling"),
    "resultaten": (CIRC.resultaat, CIRC.Resultaat, "resultaat"),
    "succesfactoren": (CIRC.succesfactor, CIRC.Succesfactor, "succesfactor"),
    "valkuilen": (CIRC.valkuil, CIRC.Valkuil, "valkuil"),
    "uitdagingen": (CIRC.uitdaging, CIRC.Uitdaging, "uitdaging"),
    "lessen": (CIRC.les, CIRC.GeleerdeLes, "les"),
}

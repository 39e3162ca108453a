"""The record format of ``docs/records.md``, declared once: its keys, and what each becomes in RDF.

Why one table: three parts of the build read the same facts about a record key, and when
each kept its own list, a field added to one was silently missing from another. Here is
every key of every record kind with its value type (what :mod:`kg.records.checks`
enforces), the predicates it becomes (what :mod:`kg.rdf.keys` turns into the mapping
table) and, for the structures the mapping writes by code, the predicates and hash-node
fragments those write (what :mod:`kg.rdf.key_paths` reads backwards to find the YAML
line of a SHACL result). Adding a field is one entry here and its property shape in
``shapes/``; ``tests/test_format.py`` proves the rest follows and that the two agree.

A value type says what a key may hold: ``id``, ``string``, ``text`` (a language map),
``date``, ``day``, ``decimal``, ``bool``, ``url``, ``email``, ``nis``, ``lang``, ``code``
(a concept of ``scheme``), ``ref`` (the id of a ``target`` record) or ``struct`` (a
mapping of ``fields``); ``many`` makes it a list::

    >>> PRAKTIJK.fields["themas"].type, PRAKTIJK.fields["themas"].scheme, PRAKTIJK.fields["themas"].many
    ('code', 'thema', True)
    >>> [key for key, _ in PRAKTIJK.written()][-2:]
    ['bronnen', 'gewijzigd']

The RDF terms come from :mod:`kg.namespaces`, the one base module below the records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from kg.namespaces import ADMS, BESLUIT, CIRC, DCT, FOAF, FRAPO, GEO, ORG, OWL, PERSON, PROV, RDF, RDFS, SCHEMA, SKOS

__all__ = [
    "ACTOR",
    "COMMON",
    "FIGURE",
    "FOLDERS",
    "KINDS",
    "LINK",
    "MUNICIPALITY_COLUMNS",
    "MUNICIPALITY_CSV",
    "PATTERNS",
    "PRAKTIJK",
    "PROVENANCE",
    "RECORD_KINDS",
    "Field",
    "ItemNode",
    "RecordKind",
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


_NAMES_THE_IRI = "the record's IRI ({base}/id/{kind}/{id})"

#: A key figure (``kerncijfers`` item) or an indicator's observation, on its own hash node.
FIGURE: Mapping[str, Field] = {
    "id": _f("id", required=True, unmapped="the fragment of the figure's hash node"),
    "waarde": _f("decimal", SCHEMA.value),
    "min": _f("decimal", SCHEMA.minValue),
    "max": _f("decimal", SCHEMA.maxValue),
    "eenheid": _f("code", CIRC.eenheid, required=True, scheme="eenheid"),
    "omschrijving": _f("text", DCT.description, required=True),
    "datum": _f("date", DCT.date),
    "gebied": _f("string", DCT.spatial, term="area"),
    "opmerking": _f("text", SKOS.note),
}
#: A web page about a record: ``foaf:page <url>``, its title said of the page itself.
LINK: Mapping[str, Field] = {
    "url": _f("url", required=True, unmapped="the object of the record's foaf:page (kg.rdf.mapping links)"),
    "titel": _f("text", unmapped="dct:title of the page itself (kg.rdf.mapping links)"),
}
#: One actor of a practice, on its ``prov:Association`` hash node.
ACTOR: Mapping[str, Field] = {
    "organisatie": _f("ref", PROV.agent, target="organisatie"),
    "persoon": _f("ref", PROV.agent, target="persoon"),
    "rol": _f("code", PROV.hadRole, required=True, scheme="rol"),
    "toelichting": _f("text", CIRC.toelichting),
}

#: The keys every record has (``bron`` has no ``bronnen``), first in the checks.
COMMON: Mapping[str, Field] = {
    "id": _f("id", required=True, unmapped=_NAMES_THE_IRI),
    "gewijzigd": _f("day", DCT.modified, required=True),
    "bronnen": _many("ref", PROV.wasDerivedFrom, required=True, target="bron"),
}
#: Where a record comes from: written after the record's own keys, in this order.
PROVENANCE = ("bronnen", "gewijzigd")

_LINKS = _many("struct", fields=LINK, written=(FOAF.page,))

PRAKTIJK = RecordKind("praktijk", "praktijken", (CIRC.Praktijk,), {
    **COMMON,
    # Results about a practice's rdf:type point at its 'type'.
    "type": _f("code", CIRC.praktijktype, required=True, scheme="praktijktype", written=(RDF.type,)),
    "titel": _f("text", DCT.title, RDFS.label, required=True),
    "beschrijving": _f("text", DCT.description, required=True),
    "reden": _f("text", CIRC.reden),
    "start": _f("date", SCHEMA.startDate),
    "einde": _f("date", SCHEMA.endDate),
    "status": _f("code", ADMS.status, scheme="status"),
    "themas": _many("code", DCT.subject, CIRC.thema, scheme="thema"),
    "actiedomeinen": _many("code", DCT.subject, CIRC.actiedomein, scheme="actiedomein"),
    "beleidsinstrumenten": _many("code", DCT.subject, CIRC.beleidsinstrument, scheme="beleidsinstrument"),
    "waardeketens": _many("code", DCT.subject, CIRC.waardeketen, scheme="waardeketen"),
    "gemeenten": _many("nis", DCT.spatial),
    "onderdeel_van": _f("ref", DCT.isPartOf, target="praktijk"),
    "actoren": _many("struct", fields=ACTOR, written=(PROV.qualifiedAssociation, PROV.wasAssociatedWith),
                     node=ItemNode("rol-{position}", PROV.Association)),
    "financieringskanalen": _many("code", CIRC.financieringskanaal, scheme="financieringskanaal"),
    "programmas": _many("ref", CIRC.programma, target="programma"),
    "doelstellingen": _text_list(CIRC.doelstelling, CIRC.Doelstelling, "doelstelling"),
    "resultaten": _text_list(CIRC.resultaat, CIRC.Resultaat, "resultaat"),
    "succesfactoren": _text_list(CIRC.succesfactor, CIRC.Succesfactor, "succesfactor"),
    "valkuilen": _text_list(CIRC.valkuil, CIRC.Valkuil, "valkuil"),
    "uitdagingen": _text_list(CIRC.uitdaging, CIRC.Uitdaging, "uitdaging"),
    "lessen": _text_list(CIRC.les, CIRC.GeleerdeLes, "les"),
    "toekomst": _f("text", CIRC.toekomst),
    "doelgroep": _f("text", CIRC.doelgroep),
    "kerncijfers": _many("struct", fields=FIGURE, written=(CIRC.kerncijfer,), node=ItemNode("cijfer-{id}", CIRC.Kerncijfer)),
    "links": _LINKS,
    "investeringsbedrag": _amount(CIRC.investeringsbedrag, "investeringsbedrag"),
})

ORGANISATIE = RecordKind("organisatie", "organisaties", (ORG.Organization,), {
    **COMMON,
    "naam": _f("text", SKOS.prefLabel, RDFS.label, required=True),
    "afkorting": _f("string", SKOS.altLabel, term="text"),
    "type": _f("code", ORG.classification, required=True, scheme="organisatietype", written=(RDF.type,), classes_of_code={
        "stad": (BESLUIT.Bestuurseenheid,), "gemeente": (BESLUIT.Bestuurseenheid,), "stadsdienst": (ORG.OrganizationalUnit,),
    }),
    "gemeente": _f("nis", BESLUIT.werkingsgebied),
    # A city service is also org:unitOf its city.
    "onderdeel_van": _f("ref", ORG.subOrganizationOf, target="organisatie", written=(ORG.unitOf,)),
    "website": _f("url", FOAF.homepage),
    "email": _f("email", SCHEMA.email),
    "beschrijving": _f("text", DCT.description),
})

PERSOON = RecordKind("persoon", "personen", (PERSON.Person, FOAF.Person), {
    **COMMON,
    "naam": _f("string", FOAF.name, RDFS.label, required=True),
    "organisatie": _f("ref", ORG.memberOf, target="organisatie"),
    # Privacy by default (GDPR): written only when email_publiceren is true.
    "email": _f("email", written=(SCHEMA.email,)),
    "email_publiceren": _f("bool", unmapped="the consent that decides whether 'email' is published"),
})

PROGRAMMA = RecordKind("programma", "programmas", (FRAPO.FundingProgramme, SCHEMA.FundingScheme), {
    **COMMON,
    "naam": _f("text", SKOS.prefLabel, RDFS.label, required=True),
    "type": _f("code", CIRC.financieringskanaal, scheme="financieringskanaal"),
    "financier": _f("ref", SCHEMA.funder, target="organisatie"),
    "beschrijving": _f("text", DCT.description),
    "website": _f("url", FOAF.homepage),
})

FINANCIERING = RecordKind("financiering", "financieringen", (SCHEMA.MonetaryGrant, FRAPO.Grant), {
    **COMMON,
    "titel": _f("text", DCT.title, RDFS.label, required=True),
    "programma": _f("ref", DCT.isPartOf, target="programma"),
    "financier": _f("ref", SCHEMA.funder, required=True, target="organisatie"),
    "ontvanger": _f("ref", CIRC.ontvanger, target="organisatie"),
    "praktijk": _f("ref", SCHEMA.fundedItem, required=True, target="praktijk"),
    "bedrag": _amount(SCHEMA.amount, "bedrag"),
    "dossiernummer": _f("string", FRAPO.hasGrantNumber),
})

PUBLICATIE = RecordKind("publicatie", "publicaties", (SCHEMA.CreativeWork,), {
    **COMMON,
    "titel": _f("text", DCT.title, RDFS.label, required=True),
    "type": _f("code", CIRC.publicatietype, required=True, scheme="publicatietype", written=(RDF.type,),
               classes_of_code={"databank": (SCHEMA.Dataset,)}),
    "uitgever": _f("ref", DCT.publisher, target="organisatie"),
    "praktijk": _f("ref", PROV.wasGeneratedBy, target="praktijk"),
    "beschrijving": _f("text", DCT.description),
    "links": _LINKS,
})

INDICATOR = RecordKind("indicator", "indicatoren", (CIRC.Indicator,), {
    **COMMON,
    "titel": _f("text", DCT.title, RDFS.label, required=True),
    "beschrijving": _f("text", DCT.description),
    "opmerking": _f("text", SKOS.note),
    "observaties": _many("struct", required=True, fields=FIGURE, written=(CIRC.observatie,), node=ItemNode("{id}", CIRC.Kerncijfer)),
})

BRON = RecordKind("bron", "bronnen", (FOAF.Document, SCHEMA.CreativeWork), {
    "id": COMMON["id"],
    "gewijzigd": COMMON["gewijzigd"],
    "titel": _f("text", DCT.title, RDFS.label, required=True),
    "type": _f("code", DCT.type, required=True, scheme="documenttype"),
    # Written as the EU authority table's language IRI.
    "taal": _f("lang", required=True, written=(DCT.language,)),
    "uitgever": _f("ref", DCT.publisher, target="organisatie"),
    "bestand": _f("string", CIRC.tekstbestand),
    "vertaling_van": _f("ref", CIRC.vertalingVan, target="bron"),
    "links": _LINKS,
})

_PLACE_NAME = "the name of the {place}: written in that place's own graph (kg.rdf.mapping)"

#: Municipalities: the rows of ``data/reference/gemeenten.csv`` (Statbel REFNIS facts),
#: keys in the order their triples are written; the CSV's header is :data:`MUNICIPALITY_COLUMNS`.
GEMEENTE = RecordKind("gemeente", None, (CIRC.Gemeente, GEO.Feature), {
    "naam_nl": _f("string", SKOS.prefLabel, RDFS.label, required=True, term="text", language="nl"),
    "naam_fr": _f("string", SKOS.prefLabel, RDFS.label, term="text", language="fr"),
    # Also the adms:Identifier node #nis, owl:sameAs the OSLO municipality and prov:wasDerivedFrom Statbel.
    "nis": _f("nis", SKOS.notation, term="string", written=(ADMS.identifier, OWL.sameAs, PROV.wasDerivedFrom),
              node=ItemNode("nis", ADMS.Identifier, (SKOS.notation, ADMS.schemaAgency))),
    "arrondissement": _f("string", unmapped=_PLACE_NAME.format(place="arrondissement")),
    "arrondissement_code": _f("nis", CIRC.arrondissement, SCHEMA.containedInPlace, target="arrondissement"),
    "provincie": _f("string", unmapped=_PLACE_NAME.format(place="province")),
    "provincie_code": _f("nis", CIRC.provincie, target="provincie"),
    "geldig_van": _f("day", SCHEMA.validFrom),
    "geldig_tot": _f("day", SCHEMA.validThrough),
    "vervangen_door": _f("nis", DCT.isReplacedBy),
    "gewijzigd": _f("day", DCT.modified, required=True),
}, id_key="nis", derived={
    DCT.replaces: "the municipalities whose 'vervangen_door' names this one",
    # From data/reference/geometrieen.csv (kg.rdf.geometry): the outline #geometrie and a point #punt.
    GEO.hasGeometry: "the outline, from the geometry CSV",
    GEO.hasDefaultGeometry: "the outline, from the geometry CSV",
    CIRC.representatiefPunt: "a point inside the outline, from the geometry CSV",
})

#: Every record kind, in the order their graphs are produced.
RECORD_KINDS: Mapping[str, RecordKind] = {
    kind.name: kind
    for kind in (PRAKTIJK, ORGANISATIE, PERSOON, PROGRAMMA, FINANCIERING, PUBLICATIE, INDICATOR, BRON, GEMEENTE)
}
#: The record kinds, in the order their graphs are produced.
KINDS: tuple[str, ...] = tuple(RECORD_KINDS)
#: Folder in ``data/`` → record kind (the URI concept name).
FOLDERS: Mapping[str, str] = {kind.folder: kind.name for kind in RECORD_KINDS.values() if kind.folder is not None}

MUNICIPALITY_CSV = Path("reference") / "gemeenten.csv"
#: Outlines and representative points of the places (made by ``scripts/derive_geometrieen.py``).
GEOMETRY_CSV = Path("reference") / "geometrieen.csv"
#: The header of the municipality CSV: the NIS code first, then the other keys.
MUNICIPALITY_COLUMNS: tuple[str, ...] = (GEMEENTE.id_key, *(k for k in GEMEENTE.fields if k != GEMEENTE.id_key))

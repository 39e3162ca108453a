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

from collections.abc import Mapping
from pathlib import Path

from kg.namespaces import ADMS, BESLUIT, CIRC, DCAT, DCT, FOAF, FRAPO, GEO, ORG, OWL, PERSON, PROV, RDF, RDFS, SCHEMA, SKOS
from kg.records.field_types import (
    LANG_PATTERN,
    PATTERNS,
    PROVENANCE,
    Field,
    ItemNode,
    RecordKind,
    _amount,
    _f,
    _many,
    _text_list,
)

__all__ = [
    "ACTOR",
    "COMMON",
    "ENUMERATION",
    "FIGURE",
    "FINANCIERING",
    "FOLDERS",
    "GEMEENTE",
    "INDICATOR",
    "KINDS",
    "LANG_PATTERN",
    "LINK",
    "LIST_ITEM",
    "MUNICIPALITY_COLUMNS",
    "MUNICIPALITY_CSV",
    "REDIRECTS_CSV",
    "PATTERNS",
    "PERIOD",
    "PRAKTIJK",
    "SOURCE_PERIOD",
    "SUB_ITEM",
    "PROVENANCE",
    "READING",
    "RECORD_KINDS",
    "TRANSLATED",
    "TRANSLATION",
    "Field",
    "ItemNode",
    "reading_field",
    "RecordKind",
]

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

#: A curator's reading (``lezingen`` item): what a curator concludes from a source that the
#: source does not state. Written as a ``circ:Lezing`` (a reified statement: RDF does not
#: assert it), so a query for funders, types or dates never returns it; see docs/model.md.
READING: Mapping[str, Field] = {
    "over": _f("string", required=True, unmapped="rdf:predicate: the predicate the named key writes (kg.rdf.annotations)"),
    "deel": _f("string", unmapped="rdf:subject: the hash node the reading is about, e.g. 'rol-3' (kg.rdf.annotations)"),
    "waarde": _f("string", unmapped="rdf:object: the value read, as the named key would write it (kg.rdf.annotations)"),
    "rol": _f("code", DCT.subject, scheme="rol"),
    "toelichting": _f("text", SKOS.editorialNote, required=True),
    "bronnen": _many("ref", PROV.wasDerivedFrom, target="bron"),
}
#: The reserved key of a text mapping listing its languages that are curators' translations
#: (``{nl: Stad Oostende, en: City of Ostend, vertaald: [en]}``), see docs/records.md.
TRANSLATED = "vertaald"
#: The node a translated literal gets: a ``circ:Vertaling`` describing (subject, predicate,
#: literal), numbered in writing order within the record (kg.rdf.annotations).
TRANSLATION = ItemNode("vertaling-{position}", CIRC.Vertaling, (RDF.subject, RDF.predicate, RDF.object, PROV.wasAttributedTo))
_READINGS = _many("struct", fields=READING, written=(CIRC.lezing,),
                  node=ItemNode("lezing-{position}", CIRC.Lezing, (RDF.subject, RDF.predicate, RDF.object, PROV.wasAttributedTo)))

#: A municipality a local government governs for a period (``werkingsgebieden`` item): a city
#: whose municipality changed code (Hasselt 71022 → 71072 on 1 January 2025) names each code.
PERIOD: Mapping[str, Field] = {
    "nis": _f("nis", DCT.spatial, required=True),
    "van": _f("day", SCHEMA.validFrom),
    "tot": _f("day", SCHEMA.validThrough),
}

#: The time a practice ran as one source states it (``periodes`` item): sources may disagree
#: (the coaching web page says "van november 2022 tot juni 2023", the deck "vanaf september
#: 2022 – juni 2023"), so each gives its own ``dct:PeriodOfTime``, its dates at the precision
#: the source writes them (a year, a month or a day), attributed to that source.
SOURCE_PERIOD: Mapping[str, Field] = {
    "start": _f("date", DCAT.startDate),
    "einde": _f("date", DCAT.endDate),
    "bron": _f("ref", PROV.wasDerivedFrom, required=True, target="bron"),
    "citaat": _f("text", DCT.description),
}

#: One item of an item (``opsommingen[].items[].items``): a list inside a list item of the source
#: ("Klimaatplan 2030" → "Bijdrage vanuit sector Afval" → "LT-visie afvalverwerking"), one level deep.
SUB_ITEM: Mapping[str, Field] = {
    "tekst": _f("text", RDF.value, required=True),
    "themas": _many("code", DCT.subject, CIRC.thema, scheme="thema"),
    "actiedomeinen": _many("code", DCT.subject, CIRC.actiedomein, scheme="actiedomein"),
    "beleidsinstrumenten": _many("code", DCT.subject, CIRC.beleidsinstrument, scheme="beleidsinstrument"),
    "waardeketens": _many("code", DCT.subject, CIRC.waardeketen, scheme="waardeketen"),
    "afgebroken": _f("bool", CIRC.afgebroken),
}
#: One item of a source's enumeration (``opsommingen[].items``), in source order, with the
#: concepts it names (only those its words name: docs/records.md, "What counts as stated"),
#: and the source's list inside it, if any (``items``: ``#opsomming-{id}-{n}.{m}``).
LIST_ITEM: Mapping[str, Field] = {
    **SUB_ITEM,
    "onvolledig": _f("bool", CIRC.onvolledig),
    "items": _many("struct", fields=SUB_ITEM, written=(SCHEMA.itemListElement,),
                   node=ItemNode("opsomming-{id}.{position}", CIRC.OpsommingItem, (SCHEMA.position,))),
}
#: A titled enumeration of a source (``opsommingen`` item): survey answers, context lists,
#: selection criteria; a ``circ:Opsomming`` whose items are ``circ:OpsommingItem`` nodes.
ENUMERATION: Mapping[str, Field] = {
    "id": _f("id", required=True, unmapped="the fragment of the enumeration's hash node"),
    "soort": _f("code", CIRC.opsommingsoort, required=True, scheme="opsommingsoort"),
    "titel": _f("text", DCT.title, required=True),
    "tekst": _f("text", DCT.description),
    "onvolledig": _f("bool", CIRC.onvolledig),
    "afgebroken": _f("bool", CIRC.afgebroken),
    "items": _many("struct", fields=LIST_ITEM, written=(SCHEMA.itemListElement,),
                   node=ItemNode("opsomming-{id}-{position}", CIRC.OpsommingItem, (SCHEMA.position, SCHEMA.itemListElement))),
}

#: The keys every record has (``bron`` has no ``bronnen``), first in the checks.
COMMON: Mapping[str, Field] = {
    "id": _f("id", required=True, unmapped=_NAMES_THE_IRI),
    "gewijzigd": _f("day", DCT.modified, required=True),
    "bronnen": _many("ref", PROV.wasDerivedFrom, required=True, target="bron"),
}

_LINKS = _many("struct", fields=LINK, written=(FOAF.page,))

#: What the mapping writes on every record besides its keys: the link to each translation mark.
_MARKS = {CIRC.vertaling: "a text's 'vertaald' languages: one circ:Vertaling per literal (kg.rdf.annotations)"}

PRAKTIJK = RecordKind("praktijk", "praktijken", (CIRC.Praktijk,), {
    **COMMON,
    # Results about a practice's rdf:type point at its 'type'.
    "type": _f("code", CIRC.praktijktype, required=True, scheme="praktijktype", written=(RDF.type,)),
    "titel": _f("text", DCT.title, required=True),
    "beschrijving": _f("text", DCT.description, required=True),
    "reden": _f("text", CIRC.reden),
    "start": _f("date", SCHEMA.startDate),
    "einde": _f("date", SCHEMA.endDate),
    "periodes": _many("struct", fields=SOURCE_PERIOD, written=(DCT.temporal,), node=ItemNode("periode-{position}", DCT.PeriodOfTime)),
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
    "opsommingen": _many("struct", fields=ENUMERATION, written=(CIRC.opsomming,),
                         node=ItemNode("opsomming-{id}", CIRC.Opsomming, (SCHEMA.itemListElement,))),
    "links": _LINKS,
    # The practice's own website as the sheet names it ("Website: Leuven2030"), when it gives no address.
    "websitenaam": _f("string", CIRC.websitenaam),
    # The practice's own mailbox (the do-network's lokaalcirculair@…), not an organisation's.
    "email": _f("email", SCHEMA.email),
    "investeringsbedrag": _amount(CIRC.investeringsbedrag, "investeringsbedrag"),
    "lezingen": _READINGS,
}, derived=_MARKS)

ORGANISATIE = RecordKind("organisatie", "organisaties", (ORG.Organization,), {
    **COMMON,
    "naam": _f("text", SKOS.prefLabel, RDFS.label, required=True),
    "afkorting": _f("string", SKOS.altLabel, term="text"),
    # Recommended, not required: an organisation the sources only name has no stated type.
    "type": _f("code", ORG.classification, scheme="organisatietype", written=(RDF.type,), classes_of_code={
        "stad": (BESLUIT.Bestuurseenheid,), "gemeente": (BESLUIT.Bestuurseenheid,),
        "lokaal-bestuur": (BESLUIT.Bestuurseenheid,), "stadsdienst": (ORG.OrganizationalUnit,),
    }),
    "gemeente": _f("nis", BESLUIT.werkingsgebied),
    "werkingsgebieden": _many("struct", fields=PERIOD, written=(BESLUIT.werkingsgebied, CIRC.werkingsgebiedPeriode),
                              node=ItemNode("werkingsgebied-{position}", CIRC.WerkingsgebiedPeriode)),
    # A city service is also org:unitOf its city.
    "onderdeel_van": _f("ref", ORG.subOrganizationOf, target="organisatie", written=(ORG.unitOf,)),
    "website": _f("url", FOAF.homepage),
    "email": _f("email", SCHEMA.email),
    "beschrijving": _f("text", DCT.description),
    "links": _LINKS,
    "lezingen": _READINGS,
}, derived=_MARKS)

PERSOON = RecordKind("persoon", "personen", (PERSON.Person, FOAF.Person), {
    **COMMON,
    "naam": _f("string", FOAF.name, RDFS.label, required=True),
    "organisatie": _f("ref", ORG.memberOf, target="organisatie"),
    # Privacy by default (GDPR): written only when email_publiceren is true.
    "email": _f("email", written=(SCHEMA.email,)),
    "email_publiceren": _f("bool", unmapped="the consent that decides whether 'email' is published"),
    "lezingen": _READINGS,
}, derived=_MARKS)

PROGRAMMA = RecordKind("programma", "programmas", (FRAPO.FundingProgramme, SCHEMA.FundingScheme), {
    **COMMON,
    "naam": _f("text", SKOS.prefLabel, RDFS.label, required=True),
    "type": _f("code", CIRC.financieringskanaal, scheme="financieringskanaal"),
    "financier": _f("ref", SCHEMA.funder, target="organisatie"),
    "beschrijving": _f("text", DCT.description),
    "website": _f("url", FOAF.homepage),
    "lezingen": _READINGS,
}, derived=_MARKS)

FINANCIERING = RecordKind("financiering", "financieringen", (SCHEMA.MonetaryGrant, FRAPO.Grant), {
    **COMMON,
    "titel": _f("text", DCT.title, required=True),
    "programma": _f("ref", DCT.isPartOf, target="programma"),
    # Optional: a grant whose source names no funder states none (docs/records.md, "What counts as stated").
    "financier": _f("ref", SCHEMA.funder, target="organisatie"),
    "ontvanger": _f("ref", CIRC.ontvanger, target="organisatie"),
    "praktijk": _f("ref", SCHEMA.fundedItem, required=True, target="praktijk"),
    "bedrag": _amount(SCHEMA.amount, "bedrag"),
    "dossiernummer": _f("string", FRAPO.hasGrantNumber),
    "lezingen": _READINGS,
}, derived=_MARKS)

PUBLICATIE = RecordKind("publicatie", "publicaties", (SCHEMA.CreativeWork,), {
    **COMMON,
    "titel": _f("text", DCT.title, required=True),
    "type": _f("code", CIRC.publicatietype, required=True, scheme="publicatietype", written=(RDF.type,),
               classes_of_code={"databank": (SCHEMA.Dataset,)}),
    "uitgever": _f("ref", DCT.publisher, target="organisatie"),
    "praktijk": _f("ref", PROV.wasGeneratedBy, target="praktijk"),
    "beschrijving": _f("text", DCT.description),
    "links": _LINKS,
    "lezingen": _READINGS,
}, derived=_MARKS)

INDICATOR = RecordKind("indicator", "indicatoren", (CIRC.Indicator,), {
    **COMMON,
    "titel": _f("text", DCT.title, required=True),
    "beschrijving": _f("text", DCT.description),
    "opmerking": _f("text", SKOS.note),
    "observaties": _many("struct", required=True, fields=FIGURE, written=(CIRC.observatie,), node=ItemNode("{id}", CIRC.Kerncijfer)),
    "lezingen": _READINGS,
}, derived=_MARKS)

BRON = RecordKind("bron", "bronnen", (FOAF.Document, SCHEMA.CreativeWork), {
    "id": COMMON["id"],
    "gewijzigd": COMMON["gewijzigd"],
    "titel": _f("text", DCT.title, required=True),
    "type": _f("code", DCT.type, required=True, scheme="documenttype"),
    # Written as the EU authority table's language IRI.
    "taal": _f("lang", required=True, written=(DCT.language,)),
    # Languages of passages the document quotes as they are (the English slide of a Dutch deck).
    "ook_in": _many("lang", written=(CIRC.ookInTaal,)),
    "uitgever": _f("ref", DCT.publisher, target="organisatie"),
    "bestand": _f("string", CIRC.tekstbestand),
    "vertaling_van": _f("ref", CIRC.vertalingVan, target="bron"),
    "links": _LINKS,
    "lezingen": _READINGS,
}, derived=_MARKS)

def reading_field(fields: Mapping[str, Field], over: str) -> Field | None:
    """The field a reading's ``over`` names: a key of the record, else a key of one of its
    structures (a figure's ``datum``, an actor's ``rol``), so its value converts alike.

    >>> reading_field(FINANCIERING.fields, "financier").target, reading_field(INDICATOR.fields, "datum").type
    ('organisatie', 'date')
    >>> reading_field(PRAKTIJK.fields, "lezingen") is None
    True
    """
    if over in fields and over != "lezingen":
        return fields[over]
    for spec in fields.values():
        if spec.fields is not None and spec.fields is not READING and over in spec.fields:
            return spec.fields[over]
    return None


_PLACE_NAME = "the name of the {place}: written in that place's own graph (kg.rdf.places)"

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
    # French names of the places above, as the reference data gives them (last: added later).
    "arrondissement_fr": _f("string", unmapped=_PLACE_NAME.format(place="arrondissement, in French")),
    "provincie_fr": _f("string", unmapped=_PLACE_NAME.format(place="province, in French")),
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
#: IRIs that no longer describe a thing of their own: 301 (merged) and 410 (withdrawn); read by the web tier.
REDIRECTS_CSV = Path("reference") / "redirects.csv"
#: Outlines and representative points of the places (made by ``scripts/derive_geometrieen.py``).
GEOMETRY_CSV = Path("reference") / "geometrieen.csv"
#: The header of the municipality CSV: the NIS code first, then the other keys.
MUNICIPALITY_COLUMNS: tuple[str, ...] = (GEMEENTE.id_key, *(k for k in GEMEENTE.fields if k != GEMEENTE.id_key))

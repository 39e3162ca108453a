"""From records to RDF: one named graph of pyoxigraph quads per source record.

The mapping contract (which triples each record key becomes; shared with ``ontology/`` and
``shapes/``) is written down here as code: a table of simple keys (key → predicates →
kind of term, ``SIMPLE_KEYS``) and one small function per record kind for the rest
(actor roles, lessons, figures, amounts, links, municipality history). The same tables
answer the reverse question for the SHACL report — which record key, hence which YAML
line, a result path points at (``key_for_path``, ``key_path``).

Guarantees, because the build depends on them:

- canonical IRIs only (``kg.iris``); sub-resources get hash IRIs from their parent and
  position or id (``…/id/praktijk/x#rol-1``), vocabulary blank nodes are skolemised:
  the graph has no blank nodes;
- deterministic: the same corpus gives the same quads in the same order (records in kind
  then id order, keys in table order, lists in file order);
- fast: pyoxigraph terms throughout, cached IRIs, no rdflib (100 000 practices are a
  benchmark, not a wish).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

from kg.errors import Problem, SourceError
from kg.iris import Iris
from kg.namespaces import (
    ADMS,
    BESLUIT,
    CIRC,
    DCT,
    FOAF,
    FRAPO,
    ORG,
    OWL,
    PERSON,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
)
from kg.records import Corpus, Record

__all__ = ["KINDS", "RecordGraph", "Term", "key_for_path", "key_path", "map_corpus", "map_record"]

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

#: Where municipality, arrondissement and province facts come from (a ``bron`` record).
STATBEL_SOURCE = "statbel-refnis"

_LANGUAGES = {
    "nl": "NLD",
    "en": "ENG",
    "fr": "FRA",
    "de": "DEU",
}
_EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
_VLAANDEREN_GEMEENTE = "https://data.vlaanderen.be/id/gemeente/"
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
_EUR = Literal("EUR")


@dataclass(frozen=True)
class RecordGraph:
    """The quads of one named graph: a source record, or a derived/loaded document
    (arrondissement, province, concept scheme, ontology) with ``record`` None."""

    kind: str
    id: str
    graph: NamedNode
    subject: NamedNode
    quads: tuple[Quad, ...]
    record: Record | None


# --------------------------------------------------------------------------- terms


def _text(value: Any, language: str = "nl") -> Iterator[Literal]:
    """Multilingual text ``{nl: …, en: …}`` → one language-tagged literal per language."""
    if isinstance(value, Mapping):
        for lang, text in value.items():
            yield Literal(str(text), language=lang)
    else:
        yield Literal(str(value), language=language)


def _date(value: str) -> Literal:
    """``"2020"`` → gYear, ``"2022-11"`` → gYearMonth, ``"2022-11-15"`` → date."""
    text = str(value)
    datatype = _DATE_TYPES.get(len(text))
    if datatype is None:  # records.py rejects these; say so rather than guess
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.")
    return Literal(text, datatype=datatype)


def _decimal(value: Any) -> Literal:
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
        return lambda iris, value: (_date(value),)
    if term == "string":
        return lambda iris, value: (Literal(str(value)),)
    if term == "url":
        return lambda iris, value: (NamedNode(str(value)),)
    if term == "decimal":
        return lambda iris, value: (_decimal(value),)
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

_FIGURE_KEYS = (
    _key("waarde", SCHEMA.value, term="decimal"),
    _key("min", SCHEMA.minValue, term="decimal"),
    _key("max", SCHEMA.maxValue, term="decimal"),
    _concepts("eenheid", "eenheid", CIRC.eenheid),
    _text_key("omschrijving", DCT.description),
    _key("datum", DCT.date, term="date"),
    _key("gebied", DCT.spatial, term="area"),
    _text_key("opmerking", SKOS.note),
)

_ACTOR_KEYS = (
    _refs("organisatie", "organisatie", PROV.agent),
    _refs("persoon", "persoon", PROV.agent),
    _concepts("rol", "rol", PROV.hadRole),
    _text_key("toelichting", CIRC.toelichting),
)

#: Ordered text lists of a practice: key → (predicate, class, fragment stem).
_TEXT_LISTS = {
    "doelstellingen": (CIRC.doelstelling, CIRC.Doelstelling, "doelstelling"),
    "resultaten": (CIRC.resultaat, CIRC.Resultaat, "resultaat"),
    "succesfactoren": (CIRC.succesfactor, CIRC.Succesfactor, "succesfactor"),
    "valkuilen": (CIRC.valkuil, CIRC.Valkuil, "valkuil"),
    "uitdagingen": (CIRC.uitdaging, CIRC.Uitdaging, "uitdaging"),
    "lessen": (CIRC.les, CIRC.GeleerdeLes, "les"),
}

#: Keys written by the kind functions rather than the tables, for ``key_for_path``.
_STRUCTURED_KEYS: dict[str, dict[str, str]] = {
    "praktijk": {
        PROV.qualifiedAssociation.value: "actoren",
        PROV.wasAssociatedWith.value: "actoren",
        CIRC.kerncijfer.value: "kerncijfers",
        FOAF.page.value: "links",
        CIRC.investeringsbedrag.value: "investeringsbedrag",
        RDF.type.value: "type",
        **{predicate.value: key for key, (predicate, _, _) in _TEXT_LISTS.items()},
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
    **{stem: key for key, (_, _, stem) in _TEXT_LISTS.items()},
}


# --------------------------------------------------------------------------- writing


class _Graph:
    """Collects the quads of one named graph; ``add`` is the hot path of the build."""

    __slots__ = ("iris", "name", "quads")

    def __init__(self, iris: Iris, name: NamedNode) -> None:
        self.iris = iris
        self.name = name
        self.quads: list[Quad] = []

    def add(self, subject: NamedNode, predicate: NamedNode, obj: Term) -> None:
        self.quads.append(Quad(subject, predicate, obj, self.name))

    def keys(self, subject: NamedNode, data: Mapping[str, Any], keys: Sequence[Key]) -> None:
        """Write every simple key present in ``data`` (absent or empty values write nothing)."""
        append = self.quads.append
        name = self.name
        iris = self.iris
        for key in keys:
            value = data.get(key.key)
            if value is None:
                continue
            convert = key.convert
            predicates = key.predicates
            for item in value if isinstance(value, list) else (value,):
                for obj in convert(iris, item):
                    for predicate in predicates:
                        append(Quad(subject, predicate, obj, name))

    def links(self, subject: NamedNode, links: Sequence[Mapping[str, Any]]) -> None:
        """``links`` → ``foaf:page <url>``; a link's title is said of the page itself."""
        for link in links:
            page = NamedNode(str(link["url"]))
            self.add(subject, FOAF.page, page)
            if link.get("titel"):
                for title in _text(link["titel"]):
                    self.add(page, DCT.title, title)

    def amount(self, subject: NamedNode, predicate: NamedNode, node: NamedNode, value: Any) -> None:
        """A sum of money in euro as a ``schema:MonetaryAmount`` hash node."""
        self.add(subject, predicate, node)
        self.add(node, RDF.type, SCHEMA.MonetaryAmount)
        self.add(node, SCHEMA.value, _decimal(value))
        self.add(node, SCHEMA.currency, _EUR)

    def figure(self, subject: NamedNode, predicate: NamedNode, node: NamedNode, figure: Mapping[str, Any]) -> None:
        """A key figure or indicator observation: value (or range), unit, date, area."""
        self.add(subject, predicate, node)
        self.add(node, RDF.type, CIRC.Kerncijfer)
        self.keys(node, figure, _FIGURE_KEYS)


_POSITIONS: dict[int, Literal] = {}


def _position(index: int) -> Literal:
    """``schema:position`` as xsd:integer; the same few literals serve every record."""
    literal = _POSITIONS.get(index)
    if literal is None:
        literal = _POSITIONS[index] = Literal(str(index), datatype=XSD.integer)
    return literal


def _hash(subject: NamedNode, local: str) -> NamedNode:
    return NamedNode(f"{subject.value}#{local}")


def _praktijk(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.add(s, RDF.type, CIRC.Praktijk)
    g.keys(s, data, SIMPLE_KEYS["praktijk"])
    for index, actor in enumerate(data.get("actoren") or (), start=1):
        node = _hash(s, f"rol-{index}")
        g.add(s, PROV.qualifiedAssociation, node)
        g.add(node, RDF.type, PROV.Association)
        g.keys(node, actor, _ACTOR_KEYS)
        agent = actor.get("organisatie")
        g.add(s, PROV.wasAssociatedWith, g.iris.entity("organisatie", agent) if agent else g.iris.entity("persoon", actor["persoon"]))
    for key, (predicate, cls, stem) in _TEXT_LISTS.items():
        for index, text in enumerate(data.get(key) or (), start=1):
            node = _hash(s, f"{stem}-{index}")
            g.add(s, predicate, node)
            g.add(node, RDF.type, cls)
            for literal in _text(text):
                g.add(node, RDF.value, literal)
            g.add(node, SCHEMA.position, _position(index))
    for figure in data.get("kerncijfers") or ():
        g.figure(s, CIRC.kerncijfer, _hash(s, f"cijfer-{figure['id']}"), figure)
    g.links(s, data.get("links") or ())
    if data.get("investeringsbedrag") is not None:
        g.amount(s, CIRC.investeringsbedrag, _hash(s, "investeringsbedrag"), data["investeringsbedrag"])


def _organisatie(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    kind = data.get("type")
    g.add(s, RDF.type, ORG.Organization)
    if kind in ("stad", "gemeente"):
        g.add(s, RDF.type, BESLUIT.Bestuurseenheid)
    if kind == "stadsdienst":
        g.add(s, RDF.type, ORG.OrganizationalUnit)
    g.keys(s, data, SIMPLE_KEYS["organisatie"])
    if kind == "stadsdienst" and data.get("onderdeel_van"):
        g.add(s, ORG.unitOf, g.iris.entity("organisatie", data["onderdeel_van"]))


def _persoon(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.add(s, RDF.type, PERSON.Person)
    g.add(s, RDF.type, FOAF.Person)
    g.keys(s, data, SIMPLE_KEYS["persoon"])
    # Privacy by default (GDPR): a personal address is published only on explicit consent.
    if data.get("email") and data.get("email_publiceren") is True:
        g.add(s, SCHEMA.email, Literal(str(data["email"])))


def _programma(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.add(s, RDF.type, FRAPO.FundingProgramme)
    g.add(s, RDF.type, SCHEMA.FundingScheme)
    g.keys(s, data, SIMPLE_KEYS["programma"])


def _financiering(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.add(s, RDF.type, SCHEMA.MonetaryGrant)
    g.add(s, RDF.type, FRAPO.Grant)
    g.keys(s, data, SIMPLE_KEYS["financiering"])
    if data.get("bedrag") is not None:
        g.amount(s, SCHEMA.amount, _hash(s, "bedrag"), data["bedrag"])


def _publicatie(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.add(s, RDF.type, SCHEMA.CreativeWork)
    if data.get("type") == "databank":
        g.add(s, RDF.type, SCHEMA.Dataset)
    g.keys(s, data, SIMPLE_KEYS["publicatie"])
    g.links(s, data.get("links") or ())


def _indicator(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.add(s, RDF.type, CIRC.Indicator)
    g.keys(s, data, SIMPLE_KEYS["indicator"])
    for figure in data.get("observaties") or ():
        g.figure(s, CIRC.observatie, _hash(s, str(figure["id"])), figure)


def _bron(g: _Graph, s: NamedNode, data: Mapping[str, Any]) -> None:
    g.add(s, RDF.type, FOAF.Document)
    g.add(s, RDF.type, SCHEMA.CreativeWork)
    g.keys(s, data, SIMPLE_KEYS["bron"])
    if data.get("taal"):
        code = _LANGUAGES.get(str(data["taal"]), str(data["taal"]).upper())
        g.add(s, DCT.language, NamedNode(_EU_LANGUAGE + code))
    g.links(s, data.get("links") or ())


def _gemeente(g: _Graph, s: NamedNode, data: Mapping[str, Any], predecessors: Sequence[str]) -> None:
    nis = str(data["nis"])
    g.add(s, RDF.type, CIRC.Gemeente)
    g.keys(s, data, SIMPLE_KEYS["gemeente"])
    for old in predecessors:
        g.add(s, DCT.replaces, g.iris.entity("gemeente", old))
    identifier = _hash(s, "nis")
    g.add(s, ADMS.identifier, identifier)
    g.add(identifier, RDF.type, ADMS.Identifier)
    g.add(identifier, SKOS.notation, Literal(nis))
    g.add(identifier, ADMS.schemaAgency, Literal("Statbel"))
    g.add(s, OWL.sameAs, NamedNode(_VLAANDEREN_GEMEENTE + nis))
    g.add(s, PROV.wasDerivedFrom, g.iris.entity("bron", STATBEL_SOURCE))


_KIND_FUNCTIONS: dict[str, Callable[[_Graph, NamedNode, Mapping[str, Any]], None]] = {
    "praktijk": _praktijk,
    "organisatie": _organisatie,
    "persoon": _persoon,
    "programma": _programma,
    "financiering": _financiering,
    "publicatie": _publicatie,
    "indicator": _indicator,
    "bron": _bron,
}


def map_record(record: Record, iris: Iris, predecessors: Sequence[str] = ()) -> RecordGraph:
    """The named graph of one record. ``predecessors`` (NIS codes) only matter for a
    municipality: the ones it replaced, so ``dct:replaces`` sits in its own graph."""
    subject = iris.entity(record.kind, record.id)
    g = _Graph(iris, iris.graph(record.kind, record.id))
    if record.kind == "gemeente":
        _gemeente(g, subject, record.data, predecessors)
    else:
        _KIND_FUNCTIONS[record.kind](g, subject, record.data)
    return RecordGraph(record.kind, record.id, g.name, subject, tuple(g.quads), record)


# --------------------------------------------------------------------------- derived


def _places(municipalities: Sequence[Record], iris: Iris) -> list[RecordGraph]:
    """Arrondissements and provinces, from the columns of the municipality rows.

    A place takes its name from the first row (in NIS order) that names it and its
    ``dct:modified`` from the latest row about it, so the result is deterministic.
    """
    graphs: list[RecordGraph] = []
    for kind, code_key, name_key in (
        ("arrondissement", "arrondissement_code", "arrondissement"),
        ("provincie", "provincie_code", "provincie"),
    ):
        rows: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for record in municipalities:
            if record.data.get(code_key):
                rows[str(record.data[code_key])].append(record.data)
        for code in sorted(rows):
            subject = iris.entity(kind, code)
            g = _Graph(iris, iris.graph(kind, code))
            g.add(subject, RDF.type, CIRC.Arrondissement if kind == "arrondissement" else CIRC.Provincie)
            name = next((row[name_key] for row in rows[code] if row.get(name_key)), None)
            if name:
                g.add(subject, SKOS.prefLabel, Literal(str(name), language="nl"))
                g.add(subject, RDFS.label, Literal(str(name), language="nl"))
            g.add(subject, SKOS.notation, Literal(code))
            if kind == "arrondissement":
                provinces = sorted({str(row["provincie_code"]) for row in rows[code] if row.get("provincie_code")})
                for province in provinces:
                    g.add(subject, SCHEMA.containedInPlace, iris.entity("provincie", province))
            g.add(subject, PROV.wasDerivedFrom, iris.entity("bron", STATBEL_SOURCE))
            modified = max((str(row["gewijzigd"]) for row in rows[code] if row.get("gewijzigd")), default=None)
            if modified:
                g.add(subject, DCT.modified, _date(modified))
            graphs.append(RecordGraph(kind, code, g.name, subject, tuple(g.quads), None))
    return graphs


def _turtle(path: Path, kind: str, ref: str, graph: NamedNode, subject: NamedNode, iris: Iris) -> RecordGraph:
    """A Turtle document (vocabulary, ontology) as one named graph, relative IRIs
    resolved against ``{base}/``. Blank nodes (e.g. OWL lists) become deterministic
    skolem IRIs under ``{base}/.well-known/genid/``, so the graph has none."""
    skolems: dict[str, NamedNode] = {}

    def named(term: Any) -> Any:
        if isinstance(term, BlankNode):
            node = skolems.get(term.value)
            if node is None:
                node = skolems[term.value] = NamedNode(
                    f"{iris.base}/.well-known/genid/{kind}-{ref}-{len(skolems) + 1}"
                )
            return node
        return term

    try:
        parsed = list(parse(path=path, format=RdfFormat.TURTLE, base_iri=iris.relative_base))
    except SyntaxError as exc:
        raise SourceError([Problem(path, exc.lineno or 1, f"The Turtle is not valid: {exc.msg}", exc.offset)]) from exc
    except OSError as exc:
        raise SourceError([Problem(path, 1, f"The file cannot be read: {exc.strerror or exc}.")]) from exc
    quads = tuple(Quad(named(q.subject), q.predicate, named(q.object), graph) for q in parsed)
    return RecordGraph(kind, ref, graph, subject, quads, None)


def map_vocabulary(path: Path, iris: Iris) -> RecordGraph:
    """One concept scheme file ``{scheme}.ttl`` → graph ``{base}/graph/conceptscheme/{scheme}``."""
    scheme = path.stem
    return _turtle(path, "conceptscheme", scheme, iris.graph("conceptscheme", scheme), iris.scheme(scheme), iris)


def map_ontology(path: Path, iris: Iris) -> RecordGraph:
    """The ontology document → graph ``{base}/graph/ontology``, subject the ontology IRI."""
    return _turtle(path, "ontology", path.stem, iris.ontology_graph(), NamedNode(CIRC.prefix.rstrip("#/")), iris)


def map_corpus(corpus: Corpus, base_iri: str | Iris, ontology: Path | None = None) -> list[RecordGraph]:
    """Every named graph of the knowledge graph, in a fixed order: the records (by kind,
    then id), arrondissements, provinces, concept schemes (by file name), the ontology.

    >>> # graphs = map_corpus(load_corpus(data, vocab), "https://data.lokaalcirculair.be")
    """
    iris = base_iri if isinstance(base_iri, Iris) else Iris(base_iri)
    # Millions of small objects are created and all kept: the cyclic garbage collector
    # would walk the growing heap again and again (a third of the time) and find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _map_corpus(corpus, iris, ontology)
    finally:
        if collecting:
            gc.enable()


def _map_corpus(corpus: Corpus, iris: Iris, ontology: Path | None) -> list[RecordGraph]:
    municipalities = corpus.of_kind("gemeente")
    predecessors: dict[str, list[str]] = defaultdict(list)
    for record in municipalities:
        successor = record.data.get("vervangen_door")
        if successor:
            predecessors[str(successor)].append(record.id)
    graphs: list[RecordGraph] = []
    for kind in KINDS:
        for record in corpus.of_kind(kind):
            graphs.append(map_record(record, iris, sorted(predecessors.get(record.id, ())) if kind == "gemeente" else ()))
    graphs.extend(_places(municipalities, iris))
    for path in sorted(corpus.vocabulary_files, key=lambda p: p.name):
        graphs.append(map_vocabulary(path, iris))
    if ontology is not None:
        graphs.append(map_ontology(ontology, iris))
    return graphs


# --------------------------------------------------------------------------- reverse


def _reverse_table(kind: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for key in SIMPLE_KEYS.get(kind, ()):
        for predicate in key.predicates:
            table.setdefault(predicate.value, key.key)
    for iri, key_name in _STRUCTURED_KEYS.get(kind, {}).items():
        table.setdefault(iri, key_name)
    return table


_REVERSE = {kind: _reverse_table(kind) for kind in KINDS}
_REVERSE_FIGURE = {p.value: key.key for key in _FIGURE_KEYS for p in key.predicates}
_REVERSE_ACTOR = {p.value: key.key for key in _ACTOR_KEYS for p in key.predicates}


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

"""The data-quality metrics of the knowledge graph, each defined once (W3C DQV).

One table, :data:`METRICS`, says for every metric its key (the last segment of its IRI
``{base}/id/kwaliteitsmetriek/{key}``), its label and definition in Dutch and English, its
dimension in the DQV note's list (``ldqd:``), the datatype of its values, and how a build
computes it: a SPARQL query on the new store that answers ``?n`` (how many things are
looked at) and ``?k`` (how many of them pass), or the SHACL report, or the record dates.
:mod:`kg.artefacts.quality` runs them; the definitions are published with the measurements
(``dqv:Metric``) so a reader never has to guess what a number means.

The Flemish OSLO profile "Datakwaliteit" reuses the same DQV classes (Kwaliteitsmeting,
Kwaliteitsmetriek, Kwaliteitsdimensie); the terms here are DQV's own, which that profile keeps.

>>> sorted(m.dimension.value.rsplit("#", 1)[1] for m in METRICS.values() if m.key.startswith("praktijken"))
['completeness', 'completeness', 'completeness', 'completeness', 'completeness']
>>> all(m.label_nl and m.label_en and m.definition_nl and m.definition_en for m in METRICS.values())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.namespaces import PREFIXES, XSD, Namespace

__all__ = ["DQV", "LDQD", "METRICS", "Metric", "ratio_query"]

DQV = Namespace("http://www.w3.org/ns/dqv#")
#: The quality dimensions listed with the DQV note (https://www.w3.org/2016/05/ldqd).
LDQD = Namespace("http://www.w3.org/2016/05/ldqd#")

#: How each ratio is computed: the things looked at (``?x``), and the pattern one passes.
_PREFIXES = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("circ", "dct", "foaf", "org", "owl", "prov", "schema", "besluit"))


def ratio_query(things: str, passes: str) -> str:
    """SPARQL counting ``?x`` matching ``things`` (``?n``) and those also matching ``passes`` (``?k``).

    >>> "COUNT(DISTINCT ?x) AS ?n" in ratio_query("?x a circ:Praktijk", "?x circ:thema ?t")
    True
    """
    return (f"{_PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?n) (COUNT(DISTINCT ?ok) AS ?k) WHERE {{\n"
            f"  {things}\n  OPTIONAL {{ {passes} BIND(?x AS ?ok) }}\n}}")


@dataclass(frozen=True)
class Metric:
    """One metric: what it measures, in which dimension, and how the build computes it."""

    key: str
    label_nl: str
    label_en: str
    definition_nl: str
    definition_en: str
    dimension: ox.NamedNode
    datatype: ox.NamedNode
    #: A ratio query (:func:`ratio_query`), or "" for a metric computed from the report or the dates.
    query: str = ""


_PRACTICE = "?x a circ:Praktijk ."

METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("shacl-schendingen", "SHACL-schendingen", "SHACL violations",
           "Aantal resultaten met ernst sh:Violation in het SHACL-rapport van de build (altijd 0 in een gepubliceerde build: "
           "een schending houdt de build tegen); ook per soort record en per shape.",
           "Number of results of severity sh:Violation in the build's SHACL report (always 0 in a published build: a "
           "violation stops the build); also per kind of record and per shape.",
           LDQD.consistency, XSD.integer),
    Metric("shacl-waarschuwingen", "SHACL-waarschuwingen", "SHACL warnings",
           "Aantal resultaten met ernst sh:Warning in het SHACL-rapport van de build (aanbevolen maar ontbrekende gegevens); "
           "ook per soort record en per shape.",
           "Number of results of severity sh:Warning in the build's SHACL report (recommended facts that are missing); "
           "also per kind of record and per shape.",
           LDQD.consistency, XSD.integer),
    Metric("praktijken-met-thema", "Praktijken met een thema", "Practices with a theme",
           "Aandeel van de praktijken (circ:Praktijk) met minstens één thema (circ:thema).",
           "Share of the practices (circ:Praktijk) with at least one theme (circ:thema).",
           LDQD.completeness, XSD.decimal, ratio_query(_PRACTICE, "?x circ:thema ?thema .")),
    Metric("praktijken-met-gemeente", "Praktijken met een gemeente", "Practices with a municipality",
           "Aandeel van de praktijken met een gemeente: rechtstreeks (dct:spatial) of via een betrokken organisatie "
           "(prov:wasAssociatedWith) met die gemeente als werkingsgebied (besluit:werkingsgebied).",
           "Share of the practices with a municipality: directly (dct:spatial) or through an organisation involved "
           "(prov:wasAssociatedWith) whose area of operation (besluit:werkingsgebied) it is.",
           LDQD.completeness, XSD.decimal,
           ratio_query(_PRACTICE, "{ ?x dct:spatial ?g } UNION { ?x prov:wasAssociatedWith ?o . ?o besluit:werkingsgebied ?g } "
                                  "?g a circ:Gemeente .")),
    Metric("praktijken-met-startdatum", "Praktijken met een startdatum", "Practices with a start date",
           "Aandeel van de praktijken met een startdatum (schema:startDate).",
           "Share of the practices with a start date (schema:startDate).",
           LDQD.completeness, XSD.decimal, ratio_query(_PRACTICE, "?x schema:startDate ?start .")),
    Metric("praktijken-met-actor", "Praktijken met een actor", "Practices with an actor",
           "Aandeel van de praktijken met minstens één betrokken organisatie of persoon (prov:wasAssociatedWith).",
           "Share of the practices with at least one organisation or person involved (prov:wasAssociatedWith).",
           LDQD.completeness, XSD.decimal, ratio_query(_PRACTICE, "?x prov:wasAssociatedWith ?actor .")),
    Metric("praktijken-met-bron", "Praktijken met een bron", "Practices with a source",
           "Aandeel van de praktijken die naar minstens één brondocument verwijzen (prov:wasDerivedFrom).",
           "Share of the practices that cite at least one source document (prov:wasDerivedFrom).",
           LDQD.completeness, XSD.decimal, ratio_query(_PRACTICE, "?x prov:wasDerivedFrom ?source .")),
    Metric("gemeenten-gekoppeld", "Gemeenten gekoppeld aan data.vlaanderen.be", "Municipalities linked to data.vlaanderen.be",
           "Aandeel van de gemeenten (circ:Gemeente) met een owl:sameAs naar hun OSLO-IRI onder "
           "https://data.vlaanderen.be/id/gemeente/.",
           "Share of the municipalities (circ:Gemeente) with an owl:sameAs to their OSLO IRI under "
           "https://data.vlaanderen.be/id/gemeente/.",
           LDQD.interlinking, XSD.decimal,
           ratio_query("?x a circ:Gemeente .",
                       '?x owl:sameAs ?same FILTER(STRSTARTS(STR(?same), "https://data.vlaanderen.be/id/gemeente/"))')),
    Metric("organisaties-met-website", "Organisaties met een website", "Organisations with a website",
           "Aandeel van de organisaties (org:Organization) met een website (foaf:homepage).",
           "Share of the organisations (org:Organization) with a website (foaf:homepage).",
           LDQD.interlinking, XSD.decimal, ratio_query("?x a org:Organization .", "?x foaf:homepage ?site .")),
    Metric("vertaalde-teksten", "Teksten ook in het Engels", "Texts also in English",
           "Aandeel van de teksten in het Nederlands (een eigenschap met een @nl-waarde, rdfs:label niet meegeteld: dat "
           "herhaalt de naam) van onze eigen resources (IRI onder /id/) die ook een Engelse waarde hebben.",
           "Share of the Dutch texts (a property with an @nl value, rdfs:label not counted: it repeats the "
           "name) of our own resources (IRI under /id/) that also have an English value.",
           LDQD.versatility, XSD.decimal),
    Metric("dagen-sinds-nieuwste-wijziging", "Dagen sinds de nieuwste wijziging", "Days since the newest change",
           "Aantal dagen tussen de dag van de build en de jongste wijzigingsdatum (dct:modified) van een record.",
           "Number of days between the day of the build and the most recent modification date (dct:modified) of a record.",
           LDQD.timeliness, XSD.integer),
    Metric("dagen-sinds-oudste-wijziging", "Dagen sinds de oudste wijziging", "Days since the oldest change",
           "Aantal dagen tussen de dag van de build en de oudste wijzigingsdatum (dct:modified) van een record: "
           "hoe lang het langst onaangeroerde record niet meer is nagekeken.",
           "Number of days between the day of the build and the oldest modification date (dct:modified) of a record: "
           "how long the least recently touched record has gone unreviewed.",
           LDQD.timeliness, XSD.integer),
)}

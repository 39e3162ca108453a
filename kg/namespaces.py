"""The RDF namespaces the knowledge graph uses, as pyoxigraph term factories.

One tiny module so every part of the build spells an IRI the same way::

    >>> from kg.namespaces import DCT, SCHEMA
    >>> DCT.title
    <NamedNode value=http://purl.org/dc/terms/title>
    >>> SCHEMA["startDate"].value
    'http://schema.org/startDate'

Terms are cached: the mapping asks for the same few hundred predicates and classes
millions of times, and building a ``NamedNode`` validates its IRI each time.
``PREFIXES`` gives the prefix table for serialising readable Turtle.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

__all__ = [
    "Namespace",
    "PREFIXES",
    "LABEL_PATH",
    "LABEL_PREDICATES",
    "ADMS",
    "BESLUIT",
    "CIRC",
    "DCAT",
    "DCT",
    "EU_LANGUAGE",
    "FOAF",
    "FRAPO",
    "GENERIEK",
    "GEO",
    "GEOF",
    "CRS84",
    "LDES",
    "ORG",
    "OSLO_GEMEENTE",
    "OWL",
    "PERSON",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SD",
    "SH",
    "SKOS",
    "SPDX",
    "TREE",
    "VANN",
    "VOID",
    "VOID_EXT",
    "XSD",
]


class Namespace:
    """An IRI prefix that hands out cached ``NamedNode`` terms by attribute or by key."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._terms: dict[str, NamedNode] = {}

    @property
    def prefix(self) -> str:
        """The namespace IRI itself, e.g. ``http://purl.org/dc/terms/``."""
        return self._prefix

    def __getitem__(self, local: str) -> NamedNode:
        term = self._terms.get(local)
        if term is None:
            term = self._terms[local] = NamedNode(self._prefix + local)
        return term

    def __getattr__(self, local: str) -> NamedNode:
        # Only called on the first access of a name: the term is then stored as an
        # ordinary attribute, so the hot loops of the mapping pay a plain lookup.
        if local.startswith("__"):
            raise AttributeError(local)
        term = self[local]
        setattr(self, local, term)
        return term

    def __contains__(self, iri: object) -> bool:
        value = iri.value if isinstance(iri, NamedNode) else iri
        return isinstance(value, str) and value.startswith(self._prefix)

    def __repr__(self) -> str:
        return f"Namespace({self._prefix!r})"


#: Our own vocabulary. Fixed, independent of the configured base IRI, so that the terms
#: mean the same in every deployment (a test server, a mirror, production).
CIRC = Namespace("https://data.lokaalcirculair.be/ns/circulair#")

ADMS = Namespace("http://www.w3.org/ns/adms#")
BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")  # http, as published by OSLO
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
FRAPO = Namespace("http://purl.org/cerif/frapo/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")  # GeoSPARQL 1.1
GEOF = Namespace("http://www.opengis.net/def/function/geosparql/")
GENERIEK = Namespace("https://data.vlaanderen.be/ns/generiek#")
LDES = Namespace("https://w3id.org/ldes#")
ORG = Namespace("http://www.w3.org/ns/org#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
PERSON = Namespace("http://www.w3.org/ns/person#")
PROV = Namespace("http://www.w3.org/ns/prov#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SCHEMA = Namespace("http://schema.org/")  # http, as in the schema.org RDF dumps
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
TREE = Namespace("https://w3id.org/tree#")
VANN = Namespace("http://purl.org/vocab/vann/")
VOID = Namespace("http://rdfs.org/ns/void#")
#: VoID extensions (datatype partitions), as read by the SIB SPARQL editor from an endpoint's VoID.
VOID_EXT = Namespace("http://ldf.fi/void-ext#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# IRI spaces of other datasets the graph links to (not vocabularies: no prefix in PREFIXES,
# so the serialisations keep writing these IRIs in full).
#: The EU Publications Office's language authority table (``…/language/NLD``).
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
#: The Flemish (OSLO) municipality IRIs, by NIS code.
OSLO_GEMEENTE = Namespace("https://data.vlaanderen.be/id/gemeente/")
#: The coordinate reference system of every geometry: OGC CRS84 (longitude, latitude in WGS84),
#: written in front of each ``geo:wktLiteral`` so that no reader has to assume it.
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

#: Prefix table for readable serialisations (Turtle, TriG, HTML pages).
PREFIXES: dict[str, str] = {
    "circ": CIRC.prefix,
    "adms": ADMS.prefix,
    "besluit": BESLUIT.prefix,
    "dcat": DCAT.prefix,
    "dct": DCT.prefix,
    "foaf": FOAF.prefix,
    "frapo": FRAPO.prefix,
    "generiek": GENERIEK.prefix,
    "geo": GEO.prefix,
    "geof": GEOF.prefix,
    "ldes": LDES.prefix,
    "org": ORG.prefix,
    "owl": OWL.prefix,
    "person": PERSON.prefix,
    "prov": PROV.prefix,
    "rdf": RDF.prefix,
    "rdfs": RDFS.prefix,
    "schema": SCHEMA.prefix,
    "sd": SD.prefix,
    "sh": SH.prefix,
    "skos": SKOS.prefix,
    "spdx": SPDX.prefix,
    "tree": TREE.prefix,
    "vann": VANN.prefix,
    "void": VOID.prefix,
    "void-ext": VOID_EXT.prefix,
    "xsd": XSD.prefix,
}

#: The predicates that name a thing of this graph, best first (docs/model.md, "Labels"). Each name is
#: stated once per fact: a thing with a title (practice, grant, publication, indicator, source,
#: concept scheme) has ``dct:title`` only; a named record or place ``skos:prefLabel`` (a person
#: ``foaf:name``) and the ``rdfs:label`` that SKOS and FOAF make it imply; a concept ``skos:prefLabel``;
#: a term of the ontology ``rdfs:label``. Label indexes, search and page titles read these.
LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, DCT.title, FOAF.name, SCHEMA.name)
#: The SPARQL property path that reaches a name of every thing of the graph: what generated queries
#: and the query page's label look-ups use, and what docs/model.md gives researchers for a generic
#: "the label of ?x" (``?x rdfs:label|skos:prefLabel|dct:title ?label``).
LABEL_PATH = "rdfs:label|skos:prefLabel|dct:title"

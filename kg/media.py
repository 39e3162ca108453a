"""Every representation the project reads or writes: the one media-type table.

Content negotiation, SPARQL answers, the Service Description, dumps, harvesting
pages and the query page all derive from the :class:`Format` values below, so a
new format is one line here (and, where it is an answer format, nothing else).

>>> TURTLE.content_type
'text/turtle; charset=utf-8'
>>> by_alias("json-ld") is JSONLD
True
>>> DUMP_FORMATS["lokaalcirculair.nq.gz"].file_media_type
'application/gzip'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

#: Media types that are text although they are not ``text/*``: they get ``charset=utf-8``.
_UTF8_TYPES = frozenset({
    "application/ld+json", "application/n-triples", "application/n-quads", "application/rdf+xml",
    "application/trig", "application/sparql-results+json", "application/sparql-results+xml", "application/json",
    "application/xhtml+xml", "application/xml", "application/problem+json", "application/geo+json",
})


def with_charset(media_type: str) -> str:
    """The Content-Type header value for ``media_type``: text types say they are UTF-8.

    >>> with_charset("application/n-quads")
    'application/n-quads; charset=utf-8'
    >>> with_charset("application/gzip")
    'application/gzip'
    """
    if media_type.startswith("text/") or media_type in _UTF8_TYPES:
        return f"{media_type}; charset=utf-8"
    return media_type


@dataclass(frozen=True)
class Format:
    """One representation we can produce."""

    media_type: str
    suffix: str
    label: str
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    #: Other media types clients use for the same thing (``application/json`` for SPARQL JSON);
    #: an Accept range naming one of them matches this format as if it named ``media_type``.
    also: tuple[str, ...] = ()
    #: Local name in the W3C ``http://www.w3.org/ns/formats/`` namespace (Service Description).
    w3c: str | None = None

    @property
    def content_type(self) -> str:
        """The exact Content-Type header value, with charset for text types."""
        return with_charset(self.media_type)


HTML = Format("text/html", "html", "HTML")
#: Turtle is also what clients asking for N3 get (Turtle is N3's RDF subset; SPARQLWrapper's ``N3``).
TURTLE = Format(
    "text/turtle", "ttl", "Turtle", rdf=ox.RdfFormat.TURTLE, w3c="Turtle",
    also=("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3", "application/n3"),
)
JSONLD = Format(
    "application/ld+json", "jsonld", "JSON-LD", rdf=ox.RdfFormat.JSON_LD, w3c="JSON-LD", also=("application/x-json+ld",),
)
#: What a client asking for plain ``application/json`` gets of an RDF resource: the JSON-LD (JSON
#: with a context), labelled as asked. Offered beside :data:`JSONLD` wherever it is offered.
JSON_AS_JSONLD = Format("application/json", "jsonld", "JSON", rdf=ox.RdfFormat.JSON_LD)
NTRIPLES = Format("application/n-triples", "nt", "N-Triples", rdf=ox.RdfFormat.N_TRIPLES, w3c="N-Triples")
RDFXML = Format("application/rdf+xml", "rdf", "RDF/XML", rdf=ox.RdfFormat.RDF_XML, w3c="RDF_XML")
NQUADS = Format("application/n-quads", "nq", "N-Quads", rdf=ox.RdfFormat.N_QUADS, w3c="N-Quads")
TRIG = Format("application/trig", "trig", "TriG", rdf=ox.RdfFormat.TRIG, w3c="TriG")
SPARQL_JSON = Format(
    "application/sparql-results+json", "srj", "SPARQL JSON", results=ox.QueryResultsFormat.JSON,
    also=("application/json",), w3c="SPARQL_Results_JSON",
)
SPARQL_XML = Format(
    "application/sparql-results+xml", "srx", "SPARQL XML", results=ox.QueryResultsFormat.XML,
    also=("application/xml", "text/xml"), w3c="SPARQL_Results_XML",
)
SPARQL_CSV = Format("text/csv", "csv", "CSV", results=ox.QueryResultsFormat.CSV, w3c="SPARQL_Results_CSV")
SPARQL_TSV = Format("text/tab-separated-values", "tsv", "TSV", results=ox.QueryResultsFormat.TSV, w3c="SPARQL_Results_TSV")
#: GeoJSON (RFC 7946): a document about a place as a Feature, a list as a FeatureCollection.
#: Not an RDF format, so not among DOCUMENT_FORMATS: only things with a geometry offer it.
GEOJSON = Format("application/geo+json", "geojson", "GeoJSON")
#: Plain JSON: the metadata documents of OGC API – Features (landing page, collections).
#: Not in ALL_FORMATS: ``json`` as a name keeps meaning SPARQL JSON or JSON-LD where those are offered.
JSON = Format("application/json", "json", "JSON")

ALL_FORMATS: tuple[Format, ...] = (
    HTML, TURTLE, JSONLD, NTRIPLES, RDFXML, NQUADS, TRIG, SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV, GEOJSON,
)
#: Representations of a linked-data document, in the server's order of preference for ties.
DOCUMENT_FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML, HTML)
#: Representations of SELECT/ASK answers.
RESULT_FORMATS: tuple[Format, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
#: Representations of CONSTRUCT/DESCRIBE answers (triples).
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG)
#: Formats whose serialisation can declare prefixes (the rest would ignore them).
PREFIXED_FORMATS: frozenset[Format] = frozenset({TURTLE, TRIG, RDFXML})

#: Names accepted in ``?format=`` and as file suffixes, besides each format's suffix and media type.
_EXTRA_ALIASES: dict[str, Format] = {
    "turtle": TURTLE, "json-ld": JSONLD, "ntriples": NTRIPLES, "n-triples": NTRIPLES, "xml": RDFXML, "rdfxml": RDFXML,
    "nquads": NQUADS, "n-quads": NQUADS, "json": SPARQL_JSON, "htm": HTML, "text/plain": NTRIPLES,
    "n3": TURTLE, "rdf+xml": RDFXML,
}
ALIASES: dict[str, Format] = {
    **{alias: f for f in ALL_FORMATS for alias in f.also},
    **{f.suffix: f for f in ALL_FORMATS}, **{f.media_type: f for f in ALL_FORMATS}, **_EXTRA_ALIASES,
}
BY_MEDIA_TYPE: dict[str, Format] = {f.media_type: f for f in ALL_FORMATS}


def by_alias(name: str) -> Format | None:
    """The format a ``?format=`` value or file suffix names, if any (case and spaces ignored)."""
    return ALIASES.get(name.strip().lower())


@dataclass(frozen=True)
class Dump:
    """One whole-graph dump file of a build."""

    file: str
    format: Format

    @property
    def rdf(self) -> ox.RdfFormat:
        """The RDF syntax inside the file (every dump format is an RDF format)."""
        assert self.format.rdf is not None, self.format
        return self.format.rdf

    @property
    def gzipped(self) -> bool:
        return self.file.endswith(".gz")

    @property
    def file_media_type(self) -> str:
        """What the file itself is on the wire (a gzip file for ``.gz``)."""
        return "application/gzip" if self.gzipped else self.format.media_type


GRAPH_DUMPS: tuple[Dump, ...] = (
    Dump("lokaalcirculair.nq.gz", NQUADS),
    Dump("lokaalcirculair.nt.gz", NTRIPLES),
    Dump("lokaalcirculair.ttl", TURTLE),
    Dump("lokaalcirculair.jsonld", JSONLD),
)
#: The dumps by file name.
DUMP_FORMATS: dict[str, Dump] = {d.file: d for d in GRAPH_DUMPS}

"""The SPARQL 1.1 Service Description of the endpoint: what ``GET /sparql`` without a query tells a client.

Clients (and crawlers of linked-data catalogues) learn from it where the
endpoint is, that its default graph is the union of all graphs, which answer
formats it writes (from :mod:`kg.media`, so a new format appears here by
itself) and how large the data is; it points on to the VoID description, the
DCAT catalogue and the LDES feed. It lists the prefixes the endpoint declares for
every query that uses them without declaring them (``sh:declare`` with
``sh:prefix``/``sh:namespace``, as SHACL declares prefixes; see
:mod:`endpoint.sparql.prefixes`).
"""

from __future__ import annotations

import pyoxigraph as ox

from endpoint.sparql.prefixes import DECLARED
from endpoint.sparql.protocol import PATH
from kg import media
from kg.artefacts.examples import EXAMPLES_GRAPH
from kg.artefacts.layout import VOID_GRAPH
from kg.namespaces import PREFIXES
from kg.store.graph_store import GraphStore

__all__ = ["SD_OFFERS", "service_description"]

#: The Service Description's formats, and the query page for browsers.
SD_OFFERS = (media.TURTLE, media.JSONLD, media.NTRIPLES, media.RDFXML, media.HTML)
#: W3C format IRIs (http://www.w3.org/ns/formats/) of what this endpoint writes.
_FORMAT_IRIS = [f.w3c for f in (*media.RESULT_FORMATS, *media.GRAPH_FORMATS) if f.w3c]
_FORMATS_NS = "http://www.w3.org/ns/formats/"


def service_description(root: str, store: GraphStore, fmt: media.Format, base: str) -> bytes:
    """The Service Description of the endpoint at ``{root}/sparql``, in RDF format ``fmt``;
    ``base`` is the base IRI of the graph names (the two graphs that describe the endpoint
    itself are listed as ``sd:namedGraph``: the VoID partitions and the example queries)."""
    endpoint = root + PATH
    sd, void, dct, rdfs = PREFIXES["sd"], PREFIXES["void"], PREFIXES["dct"], PREFIXES["rdfs"]
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    service, dataset, graph = (ox.NamedNode(endpoint + frag) for frag in ("#service", "#dataset", "#default-graph"))

    def n(ns: str, local: str) -> ox.NamedNode:
        return ox.NamedNode(ns + local)

    triples = [
        ox.Triple(service, rdf_type, n(sd, "Service")),
        ox.Triple(service, n(sd, "endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, n(sd, "supportedLanguage"), n(sd, "SPARQL11Query")),
        ox.Triple(service, n(sd, "feature"), n(sd, "UnionDefaultGraph")),
        ox.Triple(service, n(sd, "defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, n(sd, "defaultDataset"), dataset),
        ox.Triple(service, n(dct, "title"), ox.Literal("SPARQL-endpoint van Lokaal Circulair", language="nl")),
        ox.Triple(service, n(dct, "title"), ox.Literal("Lokaal Circulair SPARQL endpoint", language="en")),
        ox.Triple(service, n(dct, "description"), ox.Literal(
            "Read-only SPARQL 1.1 endpoint. The default graph is the union of all record graphs. "
            "SPARQL Update and SERVICE are refused; every query has a deadline and a result cap "
            f"(see {endpoint}#limits).", language="en")),
        ox.Triple(dataset, rdf_type, n(sd, "Dataset")),
        ox.Triple(dataset, rdf_type, n(void, "Dataset")),
        ox.Triple(dataset, n(sd, "defaultGraph"), graph),
        ox.Triple(dataset, n(void, "sparqlEndpoint"), ox.NamedNode(endpoint)),
        ox.Triple(dataset, n(rdfs, "seeAlso"), ox.NamedNode(root + "/.well-known/void")),
        ox.Triple(dataset, n(rdfs, "seeAlso"), ox.NamedNode(root + "/catalog")),
        ox.Triple(dataset, n(rdfs, "seeAlso"), ox.NamedNode(root + "/ldes")),
        ox.Triple(graph, rdf_type, n(sd, "Graph")),
    ]
    for name, title_nl, title_en in ((VOID_GRAPH, "VoID-statistieken en partities van de graaf", "VoID statistics and partitions of the graph"),
                                     (EXAMPLES_GRAPH, "Voorbeeldqueries (sh:SPARQLExecutable)", "Example queries (sh:SPARQLExecutable)")):
        named = ox.NamedNode(f"{endpoint}#graph-{name.rsplit('/', 1)[-1]}")
        triples += [ox.Triple(dataset, n(sd, "namedGraph"), named), ox.Triple(named, rdf_type, n(sd, "NamedGraph")),
                    ox.Triple(named, n(sd, "name"), ox.NamedNode(base + name)),
                    ox.Triple(named, n(dct, "title"), ox.Literal(title_nl, language="nl")),
                    ox.Triple(named, n(dct, "title"), ox.Literal(title_en, language="en"))]
    for local in _FORMAT_IRIS:
        triples.append(ox.Triple(service, n(sd, "resultFormat"), ox.NamedNode(_FORMATS_NS + local)))
    for name, namespace in DECLARED.items():
        declaration = ox.NamedNode(f"{endpoint}#prefix-{name}")
        triples.append(ox.Triple(service, n(PREFIXES["sh"], "declare"), declaration))
        triples.append(ox.Triple(declaration, n(PREFIXES["sh"], "prefix"), ox.Literal(name)))
        triples.append(ox.Triple(declaration, n(PREFIXES["sh"], "namespace"),
                                 ox.Literal(namespace, datatype=n(PREFIXES["xsd"], "anyURI"))))
    info = store.build_info()
    if info is not None:
        count = ox.Literal(str(info.triples), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
        triples.append(ox.Triple(graph, n(void, "triples"), count))
        triples.append(ox.Triple(dataset, n(void, "triples"), count))
    assert fmt.rdf is not None, fmt
    if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        prefixes = {k: PREFIXES[k] for k in ("sd", "void", "dct", "rdfs", "sh", "xsd")}
        return ox.serialize(triples, format=fmt.rdf, prefixes=prefixes) or b""
    return ox.serialize(triples, format=fmt.rdf) or b""

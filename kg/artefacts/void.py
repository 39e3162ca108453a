"""VoID description of the knowledge graph, served at ``/.well-known/void`` (VoID §7).

The dataset is the same resource as the DCAT dataset (``{base}/id/dataset/lokaalcirculair``),
so a portal and a linked-data crawler meet one IRI. Its title, description and licence come
from ``metadata/catalog.ttl``; everything else is measured by the build on the new store:

* ``void:triples`` (distinct triples of the union graph, i.e. of the N-Triples dump),
  ``void:entities`` (distinct subjects in the ``void:uriSpace`` ``{base}/id/``),
  ``void:distinctSubjects``, ``void:distinctObjects``, ``void:properties``, ``void:classes``;
* one ``void:classPartition`` per class (with its number of entities) and one
  ``void:propertyPartition`` per property (with its number of triples);
* inside each class partition, a ``void:propertyPartition`` per property its instances use
  (with its number of triples), and in that, what the objects are: a ``void:classPartition``
  per class of the objects, a ``void-ext:datatypePartition`` per datatype of literals (the
  shape of the data that VoID-aware editors such as the SIB SPARQL editor complete from);
* ``void:vocabulary`` for every namespace those classes and properties come from;
* a ``void:Linkset`` for the ``owl:sameAs`` links of our municipalities to
  ``https://data.vlaanderen.be/id/gemeente/{NIS}`` (the Flemish address register).

Partitions and linksets are described only here, so their IRIs are fragments of this
document (``{public}/.well-known/void#…``). The statistics and partitions (every triple whose
predicate is ``rdf:type`` or of VoID) are also a named graph of the store,
``{base}/graph/void`` (:data:`kg.artefacts.layout.VOID_GRAPH`), so a tool learns them from the
endpoint itself; the titles stay in the catalogue, and the graph is in no dump (it describes them).
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterator, Sequence

import pyoxigraph as ox

from kg.artefacts.catalog import PREFIXES_CATALOG, load_metadata
from kg.artefacts.layout import DUMPS, VOID, VOID_GRAPH, Names, write_rdf
from kg.artefacts.step import ArtefactInputs, ArtefactStep, Need
from kg.artefacts.void_statistics import LINK_PREDICATE, LINK_TARGET, VoidStatistics, measure
from kg.media import DUMP_FORMATS
from kg.namespaces import DCT, FOAF, PREFIXES, RDF, RDFS, VOID_EXT, XSD
from kg.namespaces import VOID as V
from kg.rdf.mapping import RecordGraph
from kg.terms import term_value

__all__ = ["VOID_STEP", "class_partition", "void_graph", "void_triples", "write_void"]

#: Kinds whose first record is shown as an example resource, in this order.
_EXAMPLE_KINDS = ("praktijk", "organisatie", "gemeente", "financiering", "conceptscheme")


def write_void(inputs: ArtefactInputs) -> dict[str, int]:
    """VoID description with statistics measured on the new store."""
    names = Names.of(inputs.settings)
    folder = inputs.slot.artefacts_dir
    examples = _examples(inputs.graphs)
    dumps = [name for name in sorted(DUMP_FORMATS) if (folder / DUMPS / name).is_file()]
    graph = ox.NamedNode(names.base + VOID_GRAPH)
    inputs.slot.remove_graphs([graph])  # an incremental build's store holds the previous one
    # Measured by the build while it waited for the SHACL child (kg.build.shacl_child), or here.
    measured = inputs.void_statistics or measure(inputs.slot, names.uri_space)
    triples = list(void_triples(names, measured, examples, dumps))
    write_rdf(folder, VOID, triples, {**PREFIXES_CATALOG, "owl": PREFIXES["owl"], "void-ext": VOID_EXT.prefix},
              first=names.base + "/id/")
    inputs.slot.load(void_graph(triples, graph))
    return {t.predicate.value.rsplit("#", 1)[-1]: int(term_value(t.object)) for t in triples
            if t.subject == names.dataset and t.predicate in (V.triples, V.entities)}


#: Reads the store (its statistics, unless measured ahead) and which dumps exist.
VOID_STEP = ArtefactStep(
    "void", "VoID description with statistics measured on the new store", write_void,
    needs=frozenset({Need.STORE, Need.DUMPS}),
)


def void_graph(triples: Sequence[ox.Triple], graph: ox.NamedNode) -> list[ox.Quad]:
    """The statistics and partitions of the VoID document as quads of ``graph``: the triples
    whose predicate is ``rdf:type`` or of VoID (titles and links to pages stay out: the store's
    search and labels should not find the description as if it were data)."""
    kept = (V.prefix, VOID_EXT.prefix)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples
            if t.predicate == RDF.type or t.predicate.value.startswith(kept)]


def _examples(graphs: Sequence[RecordGraph]) -> list[ox.NamedNode]:
    found: dict[str, ox.NamedNode] = {}
    for graph in graphs:
        if graph.kind in _EXAMPLE_KINDS and graph.kind not in found:
            found[graph.kind] = graph.subject
    return [found[k] for k in _EXAMPLE_KINDS if k in found]


def void_triples(names: Names, measured: VoidStatistics, examples: Sequence[ox.NamedNode],
                 dumps: Sequence[str]) -> Iterator[ox.Triple]:
    """Every triple of the VoID document; ``measured`` is what :func:`measure` found."""
    ds = names.dataset
    yield ox.Triple(ds, RDF.type, V.Dataset)
    for t in load_metadata(names):
        if t.subject == ds and t.predicate in (DCT.title, DCT.description):
            yield t
    yield ox.Triple(ds, DCT.publisher, names.publisher)
    yield ox.Triple(ds, DCT.license, ox.NamedNode("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"))
    yield ox.Triple(ds, FOAF.homepage, ox.NamedNode(names.url()))
    yield ox.Triple(ds, V.sparqlEndpoint, ox.NamedNode(names.url("sparql")))
    yield ox.Triple(ds, V.rootResource, ds)
    yield ox.Triple(ds, V.uriSpace, ox.Literal(names.uri_space))
    yield ox.Triple(ds, V.uriRegexPattern, ox.Literal("^" + re.escape(names.uri_space)))
    for name in dumps:
        yield ox.Triple(ds, V.dataDump, ox.NamedNode(names.url(DUMPS, name)))
    for example in examples:
        yield ox.Triple(ds, V.exampleResource, example)
    for feature in ("turtle", "n-triples", "n-quads", "json-ld", "rdf-xml"):
        yield ox.Triple(ds, V.feature, ox.NamedNode(f"http://www.w3.org/ns/formats/{_FORMAT_IDS[feature]}"))
    yield ox.Triple(ds, RDFS.seeAlso, ox.NamedNode(names.url("catalog")))

    yield from _statistics(ds, names, measured)
    yield from _linkset(ds, names, measured)


_FORMAT_IDS = {"turtle": "Turtle", "n-triples": "N-Triples", "n-quads": "N-Quads", "json-ld": "JSON-LD", "rdf-xml": "RDF_XML"}


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD.integer)


def _statistics(ds: ox.NamedNode, names: Names, measured: VoidStatistics) -> Iterator[ox.Triple]:
    for key, value in (("triples", measured["triples"]), ("entities", measured["entities"]),
                       ("distinctSubjects", measured["distinctSubjects"]), ("distinctObjects", measured["distinctObjects"])):
        yield ox.Triple(ds, V[key], _integer(value))
    classes, properties = measured["classes"], measured["properties"]
    yield ox.Triple(ds, V.classes, _integer(len(classes)))
    yield ox.Triple(ds, V.properties, _integer(len(properties)))
    vocabularies: set[str] = set()
    for cls, count in classes:
        if not isinstance(cls, ox.NamedNode):
            continue
        node = class_partition(names, cls)
        yield ox.Triple(ds, V.classPartition, node)
        yield ox.Triple(node, V["class"], cls)
        yield ox.Triple(node, V.entities, _integer(count))
        vocabularies.add(_namespace(cls.value))
    for prop, count in properties:
        assert isinstance(prop, ox.NamedNode)
        node = names.void_node("eigenschap-" + _fragment(prop.value))
        yield ox.Triple(ds, V.propertyPartition, node)
        yield ox.Triple(node, V.property, prop)
        yield ox.Triple(node, V.triples, _integer(count))
        vocabularies.add(_namespace(prop.value))
    yield from _class_shapes(names, measured)
    for vocabulary in sorted(v for v in vocabularies if v and not v.startswith(names.base + "/")):
        yield ox.Triple(ds, V.vocabulary, ox.NamedNode(vocabulary))


def _class_shapes(names: Names, measured: VoidStatistics) -> Iterator[ox.Triple]:
    """The property partitions inside each class partition, and the classes and datatypes
    of their objects (``…#klasse-circ-Praktijk-eigenschap-dct-title-datatype-rdf-langString``)."""
    for cls, prop, count in measured["class_properties"]:
        if isinstance(cls, ox.NamedNode) and isinstance(prop, ox.NamedNode):
            node = names.void_node(f"klasse-{_fragment(cls.value)}-eigenschap-{_fragment(prop.value)}")
            yield ox.Triple(names.void_node("klasse-" + _fragment(cls.value)), V.propertyPartition, node)
            yield ox.Triple(node, V.property, prop)
            yield ox.Triple(node, V.triples, _integer(count))
    for cls, prop, what, is_datatype in measured["class_property_ranges"]:
        if not (isinstance(cls, ox.NamedNode) and isinstance(prop, ox.NamedNode) and isinstance(what, ox.NamedNode)):
            continue
        inside = names.void_node(f"klasse-{_fragment(cls.value)}-eigenschap-{_fragment(prop.value)}")
        kind = "datatype" if is_datatype else "klasse"
        node = names.void_node(f"klasse-{_fragment(cls.value)}-eigenschap-{_fragment(prop.value)}-{kind}-{_fragment(what.value)}")
        if is_datatype:
            yield ox.Triple(inside, VOID_EXT.datatypePartition, node)
            yield ox.Triple(node, VOID_EXT.datatype, what)
        else:
            yield ox.Triple(inside, V.classPartition, node)
            yield ox.Triple(node, V["class"], what)


def _linkset(ds: ox.NamedNode, names: Names, measured: VoidStatistics) -> Iterator[ox.Triple]:
    links = measured["links"]
    linkset = names.void_node("linkset-gemeenten-data-vlaanderen")
    target = names.void_node("data-vlaanderen-gemeenten")
    yield ox.Triple(ds, V.subset, linkset)
    yield ox.Triple(linkset, RDF.type, V.Linkset)
    yield ox.Triple(linkset, DCT.title, ox.Literal("Gemeenten gekoppeld aan het Vlaamse adressenregister", language="nl"))
    yield ox.Triple(linkset, DCT.title, ox.Literal("Municipalities linked to the Flemish address register", language="en"))
    yield ox.Triple(linkset, V.subjectsTarget, ds)
    yield ox.Triple(linkset, V.objectsTarget, target)
    yield ox.Triple(linkset, V.linkPredicate, LINK_PREDICATE)
    yield ox.Triple(linkset, V.triples, _integer(links))
    yield ox.Triple(target, RDF.type, V.Dataset)
    yield ox.Triple(target, DCT.title, ox.Literal("Gemeenten op data.vlaanderen.be", language="nl"))
    yield ox.Triple(target, DCT.title, ox.Literal("Municipalities on data.vlaanderen.be", language="en"))
    yield ox.Triple(target, V.uriSpace, ox.Literal(LINK_TARGET))
    yield ox.Triple(target, FOAF.homepage, ox.NamedNode("https://data.vlaanderen.be/"))


def _namespace(iri: str) -> str:
    """``http://purl.org/dc/terms/title`` → ``http://purl.org/dc/terms/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else ""


_PREFIX_OF = {ns: prefix for prefix, ns in {**PREFIXES, **PREFIXES_CATALOG}.items()}


def class_partition(names: Names, cls: ox.NamedNode) -> ox.NamedNode:
    """The VoID class partition of ``cls`` (what a per-kind quality measurement is computed on)."""
    return names.void_node("klasse-" + _fragment(cls.value))


def _fragment(iri: str) -> str:
    """A readable, stable fragment for a class or property: ``dct-title``; a hash for others."""
    namespace = _namespace(iri)
    local = iri[len(namespace):]
    prefix = _PREFIX_OF.get(namespace)
    if prefix and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", local):
        return f"{prefix}-{local}"
    return hashlib.sha1(iri.encode("utf-8")).hexdigest()[:12]

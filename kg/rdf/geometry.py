"""Where a place lies: GeoSPARQL 1.1 geometries of municipalities, arrondissements, provinces and the region.

Every place with a row in ``data/reference/geometrieen.csv`` becomes a ``geo:Feature`` with two
hash sub-resources in its own graph (so its document carries them, like every other hash node):

- ``…#geometrie``: the outline, ``geo:hasGeometry`` and ``geo:hasDefaultGeometry``;
- ``…#punt``: a point inside the outline, ``circ:representatiefPunt`` (for a pin or a label;
  not ``geo:hasCentroid``, because a centroid may fall outside a concave municipality).

Each geometry's ``geo:asWKT`` is a ``geo:wktLiteral`` that names its CRS (OGC CRS84,
longitude/latitude) in front, and says where it comes from (``prov:wasDerivedFrom`` the public
TopoJSON file at its commit, its licence ``dct:license``). A practice is located through the
municipalities it names (``dct:spatial``): the queries in ``queries/`` join the two, so a
practice never carries a copy of an outline.
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad

from kg.namespaces import CIRC, CRS84, DCT, GEO, PROV, RDF, RDFS, SKOS
from kg.rdf.iris import Iris
from kg.records.geometries import Geometry

__all__ = ["REGION", "SOURCE_FILE", "SOURCE_LICENSE", "geometry_quads", "region_quads"]

#: The file the outlines were derived from, at the commit copied (``data/reference/README.md``).
SOURCE_FILE = NamedNode(
    "https://github.com/bmesuere/belgium-topojson/blob/a903fdab5a765822dafabf42c258809d4ad74e78/belgium.json"
)
#: Its licence: CC0 1.0.
SOURCE_LICENSE = NamedNode("http://creativecommons.org/publicdomain/zero/1.0/")
#: The Flemish Region: its IRI concept and id, its REFNIS code and names.
REGION = ("gewest", "vlaanderen")
_REGION_CODE = "02000"
_REGION_NAMES = (("Vlaams Gewest", "nl"), ("Flemish Region", "en"))


def wkt_literal(wkt: str) -> Literal:
    """A ``geo:wktLiteral`` with the CRS written out (GeoSPARQL 1.1, requirement 8).

    >>> wkt_literal("POINT (4.7 50.88)").value
    '<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT (4.7 50.88)'
    """
    return Literal(f"<{CRS84}> {wkt}", datatype=GEO.wktLiteral)


def geometry_quads(subject: NamedNode, graph: NamedNode, geometry: Geometry, typed: bool = True) -> list[Quad]:
    """The quads that place ``subject`` (a place's IRI) on the map, in ``graph``; ``typed`` adds
    ``a geo:Feature`` (a municipality record has it already, as a class of its kind)."""
    outline = NamedNode(f"{subject.value}#geometrie")
    point = NamedNode(f"{subject.value}#punt")
    quads = [Quad(subject, RDF.type, GEO.Feature, graph)] if typed else []
    quads += [
        Quad(subject, GEO.hasGeometry, outline, graph),
        Quad(subject, GEO.hasDefaultGeometry, outline, graph),
        Quad(subject, CIRC.representatiefPunt, point, graph),
    ]
    for node, cls, wkt in ((outline, GEO.Geometry, geometry.wkt), (point, GEO.Geometry, geometry.point)):
        quads += [
            Quad(node, RDF.type, cls, graph),
            Quad(node, GEO.asWKT, wkt_literal(wkt), graph),
            Quad(node, PROV.wasDerivedFrom, SOURCE_FILE, graph),
            Quad(node, DCT.license, SOURCE_LICENSE, graph),
        ]
    return quads


def region_quads(iris: Iris, geometry: Geometry | None) -> tuple[NamedNode, NamedNode, list[Quad]]:
    """Subject, graph and quads of the Flemish Region: named, coded, and (when known) its outline."""
    subject, graph = iris.entity(*REGION), iris.graph(*REGION)
    quads = [Quad(subject, SKOS.notation, Literal(_REGION_CODE), graph)]
    for name, language in _REGION_NAMES:
        quads += [
            Quad(subject, SKOS.prefLabel, Literal(name, language=language), graph),
            Quad(subject, RDFS.label, Literal(name, language=language), graph),
        ]
    if geometry is not None:
        quads += geometry_quads(subject, graph, geometry)
    return subject, graph, quads

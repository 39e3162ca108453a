"""One published file as a DCAT-AP distribution: the live build's dumps, every release's, and the SHACL report alike.

The live dataset (:mod:`kg.artefacts.catalog`) and each release (:mod:`kg.artefacts.catalog_releases`)
describe their files the same way, so a harvester finds the same fields on both: title and
description in nl and en, download and access URL, IANA media type and compression, EU file
type, the W3C standard, ``dcat:byteSize`` and an ``spdx:checksum`` (SHA-256), licence and
availability.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from kg.artefacts.layout import dump_media_type
from kg.namespaces import DCAT, DCT, RDF, SPDX, XSD, Namespace

__all__ = ["DCATAP", "DUMP_DESCRIPTIONS", "FILE_TYPE", "IANA", "LICENCE", "STABLE", "dump_distribution", "file_distribution"]

DCATAP = Namespace("http://data.europa.eu/r5r/")
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LICENCE = ox.NamedNode("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
STABLE = ox.NamedNode("http://publications.europa.eu/resource/authority/planned-availability/STABLE")

#: Per dump file: (key for its IRI, EU file type, the W3C standard it follows, title nl, title en).
DUMP_DESCRIPTIONS: dict[str, tuple[str, str, str, str, str]] = {
    "lokaalcirculair.nq.gz": ("nq-gz", "RDF_N_QUADS", "https://www.w3.org/TR/n-quads/",
                              "Volledige dump, N-Quads (gzip), met één benoemde graaf per record",
                              "Full dump, N-Quads (gzip), one named graph per record"),
    "lokaalcirculair.nt.gz": ("nt-gz", "RDF_N_TRIPLES", "https://www.w3.org/TR/n-triples/",
                              "Volledige dump, N-Triples (gzip)", "Full dump, N-Triples (gzip)"),
    "lokaalcirculair.ttl": ("ttl", "RDF_TURTLE", "https://www.w3.org/TR/turtle/",
                            "Volledige dump, Turtle", "Full dump, Turtle"),
    "lokaalcirculair.jsonld": ("jsonld", "JSON_LD", "https://www.w3.org/TR/json-ld11/",
                               "Volledige dump, JSON-LD", "Full dump, JSON-LD"),
}


def dump_distribution(dataset: ox.NamedNode, dist: ox.NamedNode, identifier: str, url: str, name: str,
                      size: int, sha256: str, title_suffix: tuple[str, str] = ("", "")) -> Iterator[ox.Triple]:
    """The triples of one dump file ``name`` of ``dataset``, published at ``url``.

    ``title_suffix`` (nl, en) is added to the titles, e.g. the release version.
    """
    _key, file_type, standard, title_nl, title_en = DUMP_DESCRIPTIONS[name]
    media, compression = dump_media_type(name)
    yield from file_distribution(
        dataset, dist, identifier, url,
        titles=(title_nl + title_suffix[0], title_en + title_suffix[1]),
        descriptions=(f"De hele kennisgraaf als één bestand ({name}); controleer het met de SHA-256 in {name}.sha256.",
                      f"The whole knowledge graph as one file ({name}); check it against the SHA-256 in {name}.sha256."),
        media=media, file_type=file_type, standard=standard, size=size, sha256=sha256, compression=compression,
    )


def file_distribution(dataset: ox.NamedNode, dist: ox.NamedNode, identifier: str, url: str, *,
                      titles: tuple[str, str], descriptions: tuple[str, str], media: str, file_type: str,
                      standard: str, size: int, sha256: str, compression: str | None = None) -> Iterator[ox.Triple]:
    """The triples of any published file of ``dataset`` (a dump, the SHACL report): the fields
    of the module docstring, titles and descriptions given as (nl, en)."""
    address = ox.NamedNode(url)
    checksum = ox.NamedNode(dist.value + "#sha256")
    yield from (
        ox.Triple(dataset, DCAT.distribution, dist),
        ox.Triple(dist, RDF.type, DCAT.Distribution),
        ox.Triple(dist, DCT.identifier, ox.Literal(identifier)),
        ox.Triple(dist, DCT.title, ox.Literal(titles[0], language="nl")),
        ox.Triple(dist, DCT.title, ox.Literal(titles[1], language="en")),
        ox.Triple(dist, DCT.description, ox.Literal(descriptions[0], language="nl")),
        ox.Triple(dist, DCT.description, ox.Literal(descriptions[1], language="en")),
        ox.Triple(dist, DCAT.downloadURL, address),
        ox.Triple(dist, DCAT.accessURL, address),
        ox.Triple(dist, DCAT.mediaType, ox.NamedNode(IANA + media)),
        ox.Triple(dist, DCT["format"], ox.NamedNode(FILE_TYPE + file_type)),
        ox.Triple(dist, DCT.conformsTo, ox.NamedNode(standard)),
        ox.Triple(dist, DCAT.byteSize, ox.Literal(str(size), datatype=XSD.nonNegativeInteger)),
        ox.Triple(dist, SPDX.checksum, checksum),
        ox.Triple(checksum, RDF.type, SPDX.Checksum),
        ox.Triple(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256),
        ox.Triple(checksum, SPDX.checksumValue, ox.Literal(sha256, datatype=XSD.hexBinary)),
        ox.Triple(dist, DCT.license, LICENCE),
        ox.Triple(dist, DCATAP.availability, STABLE),
    )
    if compression:
        yield ox.Triple(dist, DCAT.compressFormat, ox.NamedNode(IANA + compression))

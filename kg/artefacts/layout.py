"""Where the harvesting artefacts of a build live, and under which URLs they are served.

The build writes them (``kg.artefacts.dumps``, ``kg.artefacts.catalog``, ``kg.artefacts.void``,
``kg.artefacts.ldes``, ``kg.artefacts.sitemap``) into the new build's ``artefacts/`` folder; the
web tier reads the live build's folder through :mod:`kg.artefacts.reader`. This module is the
one place both sides take the layout from, so they cannot drift apart::

    artefacts/
      dumps/lokaalcirculair.{nq.gz,nt.gz,ttl,jsonld} (+ .sha256)   served at /dumps/{file}
      catalog.{ttl,jsonld,rdf,nt}                                  served at /catalog
      void.{ttl,jsonld,rdf,nt}                                     served at /.well-known/void
      ldes/                                                        served at /ldes (see kg.artefacts.ldes)
      quality.{ttl,jsonld,rdf,nt}                                  served at /kwaliteit (kg.artefacts.quality)
      validation-report.ttl                                        served at /kwaliteit/validatierapport.ttl
      sitemap.xml (+ sitemap-{n}.xml beyond 50 000 pages)          served at /sitemap.xml

and, beside the builds, the frozen releases (:mod:`kg.artefacts.release_layout`), served at
``/releases/{version}/``.

Two bases, on purpose:

* **identifiers** (the dataset, the catalogue, LDES member IRIs) use the canonical base
  IRI (``KG_BASE_IRI``), like every other IRI of the graph;
* **addresses** (download URLs, endpoint URLs, page URLs) use the public URL of the
  service (``KG_PUBLIC_URL``, defaulting to the base IRI).

Neither is ever ``localhost``: artefacts are written once by the build and must be
right wherever they are harvested from. A server running on ``localhost`` serves the
same files and maps its own paths onto them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Protocol

import pyoxigraph as ox

from kg.media import DUMP_FORMATS
from kg.settings import Settings
from kg.terms import term_value

__all__ = [
    "CATALOG",
    "DATASET_NAME",
    "DUMPS",
    "LDES",
    "QUALITY",
    "RDF_SUFFIXES",
    "RELEASES_PATH",
    "SITEMAP",
    "VALIDATION_REPORT",
    "VOID",
    "Names",
    "Queryable",
    "dump_media_type",
    "public_base",
    "select",
    "serialize",
    "sha256_of",
    "write_rdf",
]

#: Sub-folder of the dumps, and the stems of the other artefacts.
DUMPS = "dumps"
CATALOG = "catalog"
VOID = "void"
#: The named graph of every build holding the VoID statistics and partitions (under the base IRI).
VOID_GRAPH = "/graph/void"
LDES = "ldes"
QUALITY = "quality"
#: The SHACL report of a build that went live, among its artefacts.
VALIDATION_REPORT = "validation-report.ttl"
SITEMAP = "sitemap.xml"
#: The SHACL report of the build (the gate's results; the curator workspace shows them per record).
VALIDATION_REPORT = "validation-report.ttl"

#: The URL path of the releases (``/releases/{version}/{file}``).
RELEASES_PATH = "releases"

#: The one dataset this service publishes (its IRI is ``{base}/id/dataset/{name}``).
DATASET_NAME = "lokaalcirculair"

#: Serialisations written for the catalogue and VoID documents: suffix → format.
RDF_SUFFIXES: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "nt": ox.RdfFormat.N_TRIPLES,
}


def public_base(settings: Settings) -> str:
    """Root URL of the service as harvesters should see it: ``KG_PUBLIC_URL`` or the base IRI."""
    return (settings.public_url or settings.base_iri).rstrip("/")


def dump_media_type(name: str) -> tuple[str, str | None]:
    """(media type of the RDF inside, compression media type or None) of a dump file name."""
    dump = DUMP_FORMATS[name]
    return dump.format.media_type, ("application/gzip" if dump.gzipped else None)


class Names:
    """The IRIs and URLs of the published things, for one configuration.

    >>> names = Names("https://data.lokaalcirculair.be", "https://data.lokaalcirculair.be")
    >>> names.dataset.value
    'https://data.lokaalcirculair.be/id/dataset/lokaalcirculair'
    >>> names.url("dumps", "lokaalcirculair.ttl")
    'https://data.lokaalcirculair.be/dumps/lokaalcirculair.ttl'
    """

    def __init__(self, base_iri: str, public: str, publisher: str = "https://data.lokaalcirculair.be/ns/circulair#projectteam") -> None:
        self.base = base_iri.rstrip("/")
        self.public = public.rstrip("/")
        #: Who publishes the catalogue, the dataset and the services (``KG_PUBLISHER_IRI``).
        self.publisher = ox.NamedNode(publisher)
        self.catalog = ox.NamedNode(f"{self.base}/id/catalogus/{DATASET_NAME}")
        self.dataset = ox.NamedNode(f"{self.base}/id/dataset/{DATASET_NAME}")
        self.uri_space = f"{self.base}/id/"

    @classmethod
    def of(cls, settings: Settings) -> "Names":
        return cls(settings.base_iri, public_base(settings), settings.publisher_iri)

    def url(self, *segments: str) -> str:
        """A public URL: ``{public}/{segment}/{segment}…`` (no segment: the home page ``{public}/``)."""
        return "/".join([self.public, *segments]) if segments else self.public + "/"

    def distribution(self, key: str) -> ox.NamedNode:
        """A distribution of the dataset, e.g. ``…/id/distributie/lokaalcirculair-nt-gz``."""
        return ox.NamedNode(f"{self.base}/id/distributie/{key}")

    def service(self, key: str) -> ox.NamedNode:
        """A data service (``sparql``, ``ldes``): ``{base}/id/dataservice/{key}``."""
        return ox.NamedNode(f"{self.base}/id/dataservice/{key}")

    @property
    def series(self) -> ox.NamedNode:
        """The knowledge graph as a ``dcat:DatasetSeries`` whose members are its releases."""
        return ox.NamedNode(f"{self.base}/id/datasetreeks/{DATASET_NAME}")

    def release(self, version: str) -> ox.NamedNode:
        """Release ``version`` as a dataset of its own: ``{base}/id/dataset/lokaalcirculair/1.0.0``.

        Never reused and never redescribed otherwise: what a paper cites.
        """
        return ox.NamedNode(f"{self.dataset.value}/{version}")

    def void_node(self, fragment: str) -> ox.NamedNode:
        """A node described only in the VoID document (partitions, linksets)."""
        return ox.NamedNode(f"{self.public}/.well-known/void#{fragment}")


def write_rdf(
    folder: Path, stem: str, triples: Iterable[ox.Triple], prefixes: dict[str, str], first: str = ""
) -> dict[str, Path]:
    """Write one small RDF document in every format of ``RDF_SUFFIXES``; returns suffix → path.

    The documents are written once per build so the web tier only streams files.
    Triples are sorted first: the same description gives the same bytes, hence the
    same ETag, build after build. Subjects starting with ``first`` (our own IRIs) come
    before the code-list values they use, so a person reading the Turtle meets the
    catalogue and the dataset first.
    """
    ordered = sorted(
        set(triples),
        key=lambda t: (not (first and term_value(t.subject).startswith(first)), str(t.subject), str(t.predicate), str(t.object)),
    )
    written: dict[str, Path] = {}
    for suffix, fmt in RDF_SUFFIXES.items():
        target = folder / f"{stem}.{suffix}"
        usable = prefixes if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        ox.serialize(ordered, str(target), format=fmt, prefixes=usable)
        written[suffix] = target
    return written


class Queryable(Protocol):
    """Anything that answers SPARQL: the new build's slot, or an in-memory ``pyoxigraph.Store``."""

    def query(self, sparql: str, /) -> object: ...


def select(source: Queryable, sparql: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
    """Rows of a SELECT on anything with ``query()`` (a ``BuildSlot`` during the build), as
    dicts of variable name → term with unbound variables left out."""
    result = source.query(sparql)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("select() needs a SELECT query")
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]


def serialize(quads: Iterable[ox.Quad] | Iterable[ox.Triple], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """``pyoxigraph.serialize`` into bytes (typed: it returns bytes when given no output)."""
    out = ox.serialize(quads, format=fmt, prefixes=prefixes)
    assert out is not None
    return out


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in 1 MB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()

"""Canonical IRIs of the knowledge graph (Flemish URI standard, DESIGN.md §2).

Everything the graph publishes has one IRI built here, from one configured base IRI:

- things:      ``{base}/id/{concept}/{reference}``
- documents:   ``{base}/doc/{concept}/{reference}`` (``/id`` answers 303 to it)
- named graphs ``{base}/graph/{concept}/{reference}`` (one per source record)
- concepts:    ``{base}/id/concept/{scheme}/{code}``, schemes ``{base}/id/conceptscheme/{scheme}``
- vocabulary:  ``CIRC`` — fixed, whatever the base, so terms mean the same everywhere.

The base is configuration, never hard-wired, so a test build and production differ only
in that one string::

    >>> iris = Iris("https://example.org/")
    >>> iris.entity("praktijk", "leuven-strategie").value
    'https://example.org/id/praktijk/leuven-strategie'
    >>> iris.concept("thema", "materialen").value
    'https://example.org/id/concept/thema/materialen'
    >>> iris.split("https://example.org/doc/gemeente/24062")
    ('doc', 'gemeente', '24062')

The web tier takes request paths apart with the same rules (one place for both): a
reference is checked against a strict pattern before anything else sees it, so a path
parameter can never name a file, climb out of its folder or smuggle a host into a
``Location`` header (every redirect target is built from parts that passed this check);
links from a page go to this server's own paths, so browsing works on any host and
nothing canonical ever contains ``localhost``::

    >>> u = Iris("https://data.lokaalcirculair.be")
    >>> u.parse("praktijk", "leuven-strategie.ttl")
    Target(concept='praktijk', ref='leuven-strategie', suffix='ttl')
    >>> u.parse("concept", "thema/materialen").iri
    'https://data.lokaalcirculair.be/id/concept/thema/materialen'
    >>> u.parse("praktijk", "../../etc/passwd") is None
    True
    >>> u.href("https://data.lokaalcirculair.be/id/praktijk/x#rol-1")
    '/doc/praktijk/x#rol-1'
    >>> u.href("https://data.lokaalcirculair.be/ns/circulair#Praktijk")
    '/ns/circulair#Praktijk'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pyoxigraph import NamedNode

from kg.errors import ConfigError
from kg.namespaces import CIRC

__all__ = ["CIRC", "CONCEPTS", "DEFAULT_BASE_IRI", "ONTOLOGY_IRI", "SPACES", "SUFFIXES", "Iris", "Target"]

DEFAULT_BASE_IRI = "https://data.lokaalcirculair.be"

#: Record kind (and other instance kinds) → the concept segment of its IRIs. The kinds
#: already are the lower-case Dutch singular names the URI standard asks for; the table
#: exists so that code asks "is this a concept we publish?" in one place.
CONCEPTS: Mapping[str, str] = MappingProxyType(
    {
        "praktijk": "praktijk",
        "organisatie": "organisatie",
        "persoon": "persoon",
        "programma": "programma",
        "financiering": "financiering",
        "publicatie": "publicatie",
        "indicator": "indicator",
        "bron": "bron",
        "gemeente": "gemeente",
        "arrondissement": "arrondissement",
        "provincie": "provincie",
        "gewest": "gewest",
        "concept": "concept",
        "conceptscheme": "conceptscheme",
        "dataset": "dataset",
    }
)

#: The three IRI spaces under the base: things, documents about them, named graphs.
SPACES = ("id", "doc", "graph")

#: Suffixes of a document path that choose its representation (``/doc/praktijk/x.ttl``);
#: ``.json`` is the JSON-LD under the name a developer tries first.
SUFFIXES = ("ttl", "jsonld", "json", "nt", "rdf", "html", "geojson")

#: The ontology document (its terms are hash IRIs ``…/ns/circulair#Term``).
ONTOLOGY_IRI = CIRC.prefix.rstrip("#")

#: One path segment of a reference: ids, NIS codes, concept codes. No dots, so a
#: format suffix is never ambiguous, and nothing that a file system would interpret.
_SEGMENT = r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,199})"
_REF = re.compile(rf"^{_SEGMENT}$")
_CONCEPT_REF = re.compile(rf"^{_SEGMENT}/{_SEGMENT}$")


@dataclass(frozen=True)
class Target:
    """A validated ``{concept}/{ref}`` from a request path, with its format suffix."""

    concept: str
    ref: str
    suffix: str | None = None
    base: str = ""

    @property
    def key(self) -> str:
        """``concept/ref``: the part shared by the thing and its document."""
        return f"{self.concept}/{self.ref}"

    @property
    def iri(self) -> str:
        """The canonical IRI of the thing."""
        return f"{self.base}/id/{self.key}"

    @property
    def doc_iri(self) -> str:
        """The canonical IRI of the document about it."""
        return f"{self.base}/doc/{self.key}"

    @property
    def id_path(self) -> str:
        return f"/id/{self.key}"

    @property
    def doc_path(self) -> str:
        return f"/doc/{self.key}"

    def __repr__(self) -> str:  # short, for doctests and logs
        return f"Target(concept={self.concept!r}, ref={self.ref!r}, suffix={self.suffix!r})"


@dataclass(frozen=True)
class Iris:
    """IRI factory for one base IRI; terms are cached because the mapping asks for the
    same organisations, municipalities and concepts over and over."""

    base: str = DEFAULT_BASE_IRI
    _cache: dict[tuple[str, str, str], NamedNode] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _id_prefix: str = field(default="", init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        base = self.base.rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise ConfigError(
                f"The base IRI {self.base!r} must start with http:// or https://; "
                "set KG_BASE_IRI to e.g. https://data.lokaalcirculair.be."
            )
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "_id_prefix", base + "/id/")

    def _term(self, space: str, concept: str, ref: str) -> NamedNode:
        key = (space, concept, ref)
        term = self._cache.get(key)
        if term is None:
            if concept not in CONCEPTS:
                raise ValueError(f"{concept!r} is not a concept the graph publishes ({', '.join(CONCEPTS)}).")
            term = self._cache[key] = NamedNode(f"{self.base}/{space}/{concept}/{ref}")
        return term

    def entity(self, concept: str, ref: str) -> NamedNode:
        """The thing itself: ``{base}/id/{concept}/{ref}``."""
        return self._term("id", concept, ref)

    def entity_iri(self, concept: str, ref: str) -> str:
        """The IRI of :meth:`entity` as a string, without making (or caching) the term."""
        if concept not in CONCEPTS:
            raise ValueError(f"{concept!r} is not a concept the graph publishes ({', '.join(CONCEPTS)}).")
        return f"{self._id_prefix}{concept}/{ref}"

    def doc(self, concept: str, ref: str) -> NamedNode:
        """The document describing the thing: ``{base}/doc/{concept}/{ref}``."""
        return self._term("doc", concept, ref)

    def curator(self, pseudonym: str) -> NamedNode:
        """A curator as the public history names them: ``{base}/id/curator/{pseudonym}``, the
        account's random pseudonym (stable per account, neither its name nor its e-mail)."""
        return NamedNode(f"{self.base}/id/curator/{pseudonym}")

    def graph(self, concept: str, ref: str) -> NamedNode:
        """The named graph holding the thing's source record: ``{base}/graph/{concept}/{ref}``."""
        return self._term("graph", concept, ref)

    def concept(self, scheme: str, code: str) -> NamedNode:
        """A SKOS concept: ``{base}/id/concept/{scheme}/{code}``."""
        key = ("concept", scheme, code)
        term = self._cache.get(key)
        if term is None:
            term = self._cache[key] = NamedNode(f"{self.base}/id/concept/{scheme}/{code}")
        return term

    def scheme(self, scheme: str) -> NamedNode:
        """A SKOS concept scheme: ``{base}/id/conceptscheme/{scheme}``."""
        return self._term("id", "conceptscheme", scheme)

    def ontology_graph(self) -> NamedNode:
        """The named graph holding the ontology: ``{base}/graph/ontology``."""
        return NamedNode(f"{self.base}/graph/ontology")

    @property
    def relative_base(self) -> str:
        """The base with a trailing slash, against which the Turtle documents in
        ``ontology/`` and ``shapes/`` resolve relative IRIs such as ``<id/concept/thema/x>``."""
        return self.base + "/"

    def split(self, iri: str) -> tuple[str, str, str] | None:
        """Take an IRI of this graph apart into (space, concept, reference), or ``None``
        when it is not one of ours. A ``#fragment`` stays on the reference."""
        prefix = self.base + "/"
        if not iri.startswith(prefix):
            return None
        parts = iri[len(prefix):].split("/", 2)
        if len(parts) != 3 or parts[0] not in SPACES or parts[1] not in CONCEPTS or not parts[2]:
            return None
        return parts[0], parts[1], parts[2]

    # --- request paths and links (the web tier) ---------------------------------------

    def parse(self, concept: str, ref: str, allow_suffix: bool = True) -> Target | None:
        """A path's ``{concept}/{ref}`` checked and split, or None when it is not one of ours."""
        if concept not in CONCEPTS:
            return None
        suffix = None
        if allow_suffix and "." in ref:
            ref, _, suffix = ref.rpartition(".")
            if suffix not in SUFFIXES:
                return None
        pattern = _CONCEPT_REF if concept == "concept" else _REF
        if not pattern.match(ref):
            return None
        return Target(concept, ref, suffix, self.base)

    def target(self, iri: str) -> Target | None:
        """The target of one of our thing IRIs (``…/id/…``, fragment dropped), else None."""
        if not iri.startswith(self._id_prefix):
            return None
        concept, _, ref = iri[len(self._id_prefix):].partition("#")[0].partition("/")
        return self.parse(concept, ref, allow_suffix=False)

    def href(self, iri: str) -> str:
        """Where a link to this IRI should point from one of our pages.

        Our things go to their local document (keeping a ``#fragment``), terms of our
        ontology to the local ontology page; anything else stays as it is.
        """
        if iri.startswith(self._id_prefix):
            head, hash_, fragment = iri.partition("#")
            target = self.target(head)
            if target is not None:
                return target.doc_path + (hash_ + fragment if hash_ else "")
        if iri.startswith(ONTOLOGY_IRI):
            return "/ns/circulair" + iri[len(ONTOLOGY_IRI):]
        return iri


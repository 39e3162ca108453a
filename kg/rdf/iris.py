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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pyoxigraph import NamedNode

from kg.errors import ConfigError
from kg.namespaces import CIRC

__all__ = ["CIRC", "CONCEPTS", "DEFAULT_BASE_IRI", "SPACES", "Iris"]

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


@dataclass(frozen=True)
class Iris:
    """IRI factory for one base IRI; terms are cached because the mapping asks for the
    same organisations, municipalities and concepts over and over."""

    base: str = DEFAULT_BASE_IRI
    _cache: dict[tuple[str, str, str], NamedNode] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        base = self.base.rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise ConfigError(
                f"The base IRI {self.base!r} must start with http:// or https://; "
                "set KG_BASE_IRI to e.g. https://data.lokaalcirculair.be."
            )
        object.__setattr__(self, "base", base)

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

    def doc(self, concept: str, ref: str) -> NamedNode:
        """The document describing the thing: ``{base}/doc/{concept}/{ref}``."""
        return self._term("doc", concept, ref)

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

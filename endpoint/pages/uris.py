"""Where things live on this server: canonical IRIs ↔ local paths (DESIGN.md §2).

The data always carries canonical IRIs (``{base}/id/{concept}/{ref}``); a server on
``localhost:8000`` or a mirror maps its own paths onto them, so browsing works
anywhere and nothing canonical ever contains ``localhost``. This module is the one
place that takes a request path apart and that turns an IRI into a link.

References are checked against a strict pattern before anything else sees them: a
path parameter can never name a file, climb out of its folder or smuggle a host
into a ``Location`` header (every redirect target is built from parts that passed
this check)::

    >>> u = Uris("https://data.lokaalcirculair.be")
    >>> u.parse("praktijk", "leuven-strategie.ttl")
    Target(concept='praktijk', ref='leuven-strategie', suffix='ttl')
    >>> u.parse("concept", "thema/materialen").iri
    'https://data.lokaalcirculair.be/id/concept/thema/materialen'
    >>> u.parse("praktijk", "../../etc/passwd") is None
    True
    >>> u.href("https://data.lokaalcirculair.be/id/praktijk/x#rol-1")
    '/doc/praktijk/x#rol-1'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.namespaces import CIRC
from kg.rdf.iris import CONCEPTS

#: One path segment of a reference: ids, NIS codes, concept codes. No dots, so a
#: format suffix is never ambiguous, and nothing that a file system would interpret.
_SEGMENT = r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,199})"
_REF = re.compile(rf"^{_SEGMENT}$")
_CONCEPT_REF = re.compile(rf"^{_SEGMENT}/{_SEGMENT}$")

#: Suffixes that choose a representation of a document.
SUFFIXES = ("ttl", "jsonld", "nt", "rdf", "html")

#: The ontology document (hash IRIs ``…/ns/circulair#Term``).
ONTOLOGY_IRI = CIRC.prefix.rstrip("#")


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


class Uris:
    """IRI ↔ path mapping for one canonical base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self._id_prefix = self.base + "/id/"

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

    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self._id_prefix)

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

    def is_sub(self, iri: str, parent: str) -> bool:
        """True for a hash sub-resource of ``parent`` (``parent#rol-1``)."""
        return iri.startswith(parent + "#")

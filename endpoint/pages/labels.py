"""Labels and types of every resource, in memory, per build.

A page links to dozens of things (themes, organisations, municipalities) and needs a
readable name for each, in the reader's language with Dutch as the fallback. Asking the
store each time would cost a query per link; one SELECT at the start of a build gives
them all (a few hundred thousand strings even for the 10 000-practice benchmark).

Which property names a thing, best first: :data:`kg.namespaces.LABEL_PREDICATES`
(``skos:prefLabel``, ``rdfs:label``, ``dct:title``, ``foaf:name``, ``schema:name``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from endpoint.pages.one_of import one_of
from kg.artefacts.document_rdf import LABEL_PROPERTIES
from kg.store.graph_store import GraphStore

__all__ = ["LABEL_PROPERTIES", "LabelIndex"]

_RANK = {p.value: i for i, p in enumerate(LABEL_PROPERTIES)}


class LabelIndex:
    """IRI → {language: label} and IRI → set of type IRIs."""

    def __init__(self) -> None:
        self._labels: dict[str, dict[str, tuple[int, str]]] = {}
        self.types: dict[str, set[str]] = {}

    @classmethod
    def load(cls, store: GraphStore) -> "LabelIndex":
        index = cls()
        index._read(store, "")
        return index

    def patched(self, store: GraphStore, touched: Sequence[str]) -> "LabelIndex":
        """A copy with the labels and types of the ``touched`` IRIs read again (after an
        incremental build: the label of an IRI depends only on triples about it)."""
        index = LabelIndex()
        index._labels, index.types = dict(self._labels), dict(self.types)
        for iri in touched:
            index._labels.pop(iri, None)
            index.types.pop(iri, None)
        if touched:
            index._read(store, "VALUES ?s { " + " ".join(f"<{iri}>" for iri in touched) + " } ")
        return index

    def _read(self, store: GraphStore, restriction: str) -> None:
        before, after = one_of("p", (p.value for p in LABEL_PROPERTIES), restricted=bool(restriction))
        for row in store.select(f"SELECT ?s ?p ?l WHERE {{ {restriction}{before}?s ?p ?l FILTER(isIRI(?s) && isLiteral(?l)){after} }}"):
            label = row["l"]
            assert isinstance(label, ox.Literal)
            self.add(row["s"].value, row["p"].value, label.value, label.language or "")
        for row in store.select(f"SELECT ?s ?t WHERE {{ {restriction}?s a ?t FILTER(isIRI(?s) && isIRI(?t)) }}"):
            self.types.setdefault(row["s"].value, set()).add(row["t"].value)

    def add(self, iri: str, predicate: str, text: str, language: str) -> None:
        rank = _RANK.get(predicate, len(_RANK))
        langs = self._labels.setdefault(iri, {})
        current = langs.get(language)
        if current is None or rank < current[0] or (rank == current[0] and text < current[1]):
            langs[language] = (rank, text)

    def __contains__(self, iri: str) -> bool:
        return iri in self._labels

    def get(self, iri: str, lang: str = "nl") -> str | None:
        """The label in ``lang``, else Dutch, else untagged, else English, else any; None if none."""
        found = self.get_tagged(iri, lang)
        return found[0] if found else None

    def get_tagged(self, iri: str, lang: str = "nl") -> tuple[str, str] | None:
        """(label, its language tag) as :meth:`get` chooses it; None if the thing has no label."""
        langs = self._labels.get(iri)
        if not langs:
            return None
        for code in (lang, "nl", "", "en"):
            if code in langs:
                return langs[code][1], code
        rank_text, code = min((value, code) for code, value in langs.items())
        return rank_text[1], code

    def label(self, iri: str, lang: str = "nl") -> str:
        """A label to show: the best one, or a readable tail of the IRI."""
        found = self.get(iri, lang)
        if found is not None:
            return found
        tail = iri.rstrip("/").rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
        return tail or iri

    def languages(self, iri: str) -> dict[str, str]:
        return {code: text for code, (_, text) in self._labels.get(iri, {}).items()}

    def has_type(self, iri: str, type_iri: str) -> bool:
        return type_iri in self.types.get(iri, ())

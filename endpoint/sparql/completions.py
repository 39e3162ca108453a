"""What the query editor completes: prefixes, classes, properties and concepts of the live build.

Computed once per build and language from the store itself (the ontology and
vocabularies are loaded into it by every build) and from the build's VoID class and
property partitions (what the data really uses, e.g. ``dct:title``), not from a hand-kept list, and
handed to the page with it, so completing costs no network round trip per key.
Each entry is what the editor inserts (``circ:Praktijk``, or ``<iri>`` where no
project prefix fits), its kind and its label in the page's language (Dutch
where no English label exists).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.artefacts.layout import VOID
from kg.artefacts.reader import ArtefactReader
from kg.errors import KGError
from kg.namespaces import LABEL_PATH, PREFIXES
from kg.namespaces import VOID as VOID_NS
from kg.store.graph_store import GraphStore

__all__ = ["completions", "compact"]

_LOCAL = re.compile(r"[A-Za-z_][\w\-]*")
_KINDS = (
    ("class", ("owl:Class", "rdfs:Class")),
    ("property", ("owl:ObjectProperty", "owl:DatatypeProperty", "rdf:Property", "owl:AnnotationProperty")),
    ("concept", ("skos:Concept",)),
)
_QUERY = """
SELECT ?s ?kind (SAMPLE(?own) AS ?label) (SAMPLE(?nl) AS ?dutch) WHERE {{
  {unions}
  OPTIONAL {{ ?s {label_path} ?own FILTER(LANGMATCHES(LANG(?own), "{lang}")) }}
  OPTIONAL {{ ?s {label_path} ?nl FILTER(LANG(?nl) = "nl" || LANG(?nl) = "") }}
  FILTER(ISIRI(?s))
}} GROUP BY ?s ?kind ORDER BY ?kind ?s
"""
#: (build id, language) → entries; a new build makes new keys (the old ones are dropped).
_CACHE: dict[tuple[str, str], list[dict[str, str]]] = {}


def compact(iri: str) -> str:
    """``circ:Praktijk`` for an IRI in a project namespace, else ``<iri>``.

    >>> compact("https://data.lokaalcirculair.be/ns/circulair#Praktijk"), compact("urn:x")
    ('circ:Praktijk', '<urn:x>')
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def completions(store: GraphStore, lang: str) -> list[dict[str, str]]:
    """The editor's entries for the live build in language ``lang`` (cached per build)."""
    key = (store.build_id, lang)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    entries = [{"text": f"{p}:", "kind": "prefix", "label": ns} for p, ns in PREFIXES.items()]
    try:
        result = store.query(_query(lang))
    except KGError:
        return entries  # completion is a help: the page works without it
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        subject, kind, own, dutch = (row[v] for v in ("s", "kind", "label", "dutch"))
        if subject is None or kind is None:
            continue
        label = own or dutch
        entries.append({"text": compact(subject.value), "kind": kind.value, "label": label.value if label is not None else ""})
    entries.extend(_partitions(store, {e["text"] for e in entries}))
    _CACHE.clear()
    _CACHE[key] = entries
    return entries


def _partitions(store: GraphStore, known: set[str]) -> list[dict[str, str]]:
    """Classes and properties of the VoID partitions that the ontology does not declare."""
    triples = ArtefactReader(store.artefacts_dir).rdf_document_triples(VOID) or []
    kinds = {VOID_NS["class"].value: "class", VOID_NS.property.value: "property"}
    found: dict[str, str] = {}
    for triple in triples:
        kind = kinds.get(triple.predicate.value)
        if kind and isinstance(triple.object, ox.NamedNode):
            text = compact(triple.object.value)
            if text not in known:
                found.setdefault(text, kind)
    return [{"text": text, "kind": kind, "label": ""} for text, kind in sorted(found.items())]


def _query(lang: str) -> str:
    unions = " UNION ".join(
        f'{{ ?s a {cls} BIND("{kind}" AS ?kind) }}' for kind, classes in _KINDS for cls in classes
    )
    prologue = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rdf", "rdfs", "owl", "skos", "dct"))
    return prologue + _QUERY.format(unions=unions, lang=lang, label_path=LABEL_PATH)

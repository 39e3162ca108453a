"""The example queries (``queries/*.rq``) as data: read once, for the build and for the web.

Each file is one research question, with comment lines at its top: ``# title:`` (Dutch),
``# title@en:``, ``# description:`` (Dutch), ``# description@en:`` (a missing English line
falls back to the Dutch one). As RDF every example is an ``sh:SPARQLExecutable`` (with
``sh:select``, ``sh:ask``, ``sh:construct`` or ``sh:describe``, ``rdfs:label`` and
``rdfs:comment`` in nl and en, ``schema:keywords``, ``schema:target`` the endpoint and
``sh:prefixes`` the project prefixes, declared with ``sh:declare``): the convention of SPARQL
editors such as the SIB SPARQL editor. The build loads them as the graph
``{base}/graph/sparql/examples`` (:mod:`kg.artefacts.examples_graph`), so they are queryable at
the endpoint itself; the web serves the same triples at ``/.well-known/sparql-examples``.

>>> example = Example("01-praktijken-per-thema", "# title: Per thema\\nSELECT * {}", "Per thema", "By theme", "", "")
>>> example.form, example.keywords, example.body
('SELECT', ['praktijken', 'thema'], 'SELECT * {}')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import OWL, PREFIXES, RDF, RDFS, SCHEMA, SH, XSD

__all__ = ["Example", "read_examples", "example_triples", "EXAMPLES_PATH", "EXAMPLES_GRAPH", "META_KEYS"]

#: Where the web serves the examples, and their IRIs: ``{base}/.well-known/sparql-examples#{name}``.
EXAMPLES_PATH = "/.well-known/sparql-examples"
#: The named graph of the examples in the store, under the base IRI.
EXAMPLES_GRAPH = "/graph/sparql/examples"
META_KEYS = ("title", "title@en", "description", "description@en")
_FORM = re.compile(r"^\s*(?:(?:PREFIX|BASE)\b[^<]*<[^>]*>\s*)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_STOP = frozenset({"per", "door", "van", "met", "die", "hun", "een", "meer", "dan", "and", "the"})


@dataclass(frozen=True)
class Example:
    """One example query and its texts in both languages."""

    name: str
    query: str
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str

    @property
    def body(self) -> str:
        """The query without its header lines (they are the label and the comment)."""
        lines = self.query.splitlines(keepends=True)
        while lines and lines[0].startswith("#") and lines[0][1:].strip().partition(":")[0].strip() in META_KEYS:
            lines.pop(0)
        return "".join(lines)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE (SELECT when it cannot tell)."""
        text = "\n".join(line for line in self.body.splitlines() if not line.lstrip().startswith("#"))
        match = _FORM.match(text)
        return match.group(1).upper() if match else "SELECT"

    @property
    def keywords(self) -> list[str]:
        """Keywords from the file name: ``01-praktijken-per-thema`` → praktijken, thema."""
        return [w for w in re.split(r"[-_]", self.name) if len(w) > 2 and not w.isdigit() and w not in _STOP]


def read_examples(folder: Path) -> list[Example]:
    """The examples of ``folder/*.rq``, sorted by file name."""
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta: dict[str, str] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, _, value = line[1:].strip().partition(":")
            if key.strip() in META_KEYS and value.strip():
                meta[key.strip()] = value.strip()
        title = meta.get("title", path.stem)
        description = meta.get("description", "")
        examples.append(Example(path.stem, text, title, meta.get("title@en", title),
                                description, meta.get("description@en", description)))
    return examples


def example_triples(base: str, endpoint: str, examples: list[Example]) -> list[ox.Triple]:
    """The examples as ``sh:SPARQLExecutable`` resources at ``{base}/.well-known/sparql-examples#{name}``."""
    triples: list[ox.Triple] = []
    target = ox.NamedNode(endpoint)
    # The project prefixes, declared the SHACL way on the examples' document: editors that read
    # sh:declare from the endpoint (the SIB SPARQL editor) learn them without configuration.
    document = ox.NamedNode(base + EXAMPLES_PATH)
    triples.append(ox.Triple(document, RDF.type, OWL.Ontology))
    for name, namespace in PREFIXES.items():
        declaration = ox.NamedNode(f"{base}{EXAMPLES_PATH}#prefix-{name}")
        triples.append(ox.Triple(document, SH.declare, declaration))
        triples.append(ox.Triple(declaration, SH["prefix"], ox.Literal(name)))
        triples.append(ox.Triple(declaration, SH["namespace"], ox.Literal(namespace, datatype=XSD.anyURI)))
    for ex in examples:
        node = ox.NamedNode(f"{base}{EXAMPLES_PATH}#{ex.name}")
        kind = ex.form.lower()
        triples.append(ox.Triple(node, RDF.type, SH.SPARQLExecutable))
        triples.append(ox.Triple(node, RDF.type, SH[f"SPARQL{kind.capitalize()}Executable"]))
        triples.append(ox.Triple(node, SH[kind], ox.Literal(ex.body)))
        for lang, title, description in (("nl", ex.title_nl, ex.description_nl), ("en", ex.title_en, ex.description_en)):
            triples.append(ox.Triple(node, RDFS.label, ox.Literal(title, language=lang)))
            if description:
                triples.append(ox.Triple(node, RDFS.comment, ox.Literal(description, language=lang)))
        triples.extend(ox.Triple(node, SCHEMA.keywords, ox.Literal(word)) for word in ex.keywords)
        triples.append(ox.Triple(node, SCHEMA.target, target))
        triples.append(ox.Triple(node, SH.prefixes, document))
    return triples

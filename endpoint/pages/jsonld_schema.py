"""The JSON Schema of each kind of JSON-LD document, derived from the published context.

The context (:mod:`endpoint.pages.jsonld`) decides the JSON type of every key: a set term is
always an array, a language map an object of strings (of arrays for ``andereNaam``), an IRI
term a string or an embedded node, a datatype-coerced term a plain string (an ``xsd:integer`` a
JSON number, an ``xsd:boolean`` a JSON boolean). So the schema of a
document is a consequence of the context, written down per kind for developers in
``docs/schemas/<kind>.schema.json`` (``python -m endpoint.pages.jsonld_schema docs/schemas``
rewrites them; a test checks they are current and that every document of the build fits).

A key outside the context (a value that did not fit its term, a property without a term) is
written under its compact IRI (``dct:title``) in expanded form; the schema allows such keys,
as arrays or single expanded values, so a new property never breaks a client that ignores it.

>>> schema = document_schema("praktijk")
>>> schema["properties"]["@graph"]["prefixItems"][0]["properties"]["thema"]["type"]
'array'
>>> schema["properties"]["@graph"]["prefixItems"][0]["properties"]["agent"]["type"]
['string', 'object']
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from endpoint.pages.jsonld import context
from kg.namespaces import XSD
from kg.rdf.iris import CONCEPTS

__all__ = ["KINDS", "document_schema", "write_schemas"]

#: The kinds of document (the first segment after ``/doc/``).
KINDS: tuple[str, ...] = tuple(sorted(CONCEPTS))

_NODE: dict[str, Any] = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
_EXPANDED_VALUE: dict[str, Any] = {
    "type": "object",
    "properties": {"@value": {"type": "string"}, "@type": {"type": "string"}, "@language": {"type": "string"},
                   "id": {"type": "string"}},
}
_ANY_VALUE: dict[str, Any] = {"anyOf": [{"type": "string"}, _EXPANDED_VALUE, _NODE]}


def _key_schema(name: str) -> dict[str, Any]:
    term = next(t for t in context().terms() if t.name == name)
    if term.language_map:
        item: dict[str, Any] = {"type": "array", "items": {"type": "string"}} if term.many else {"type": "string"}
        return {"type": "object", "additionalProperties": item}
    if term.coerce == "@id":
        one: dict[str, Any] = {"type": ["string", "object"], "properties": _NODE["properties"]}
    elif term.coerce == XSD.integer.value:
        one = {"type": "integer"}
    elif term.coerce == XSD.boolean.value:
        one = {"type": "boolean"}
    elif term.coerce:
        one = {"type": "string"}
    else:
        one = {"anyOf": [{"type": "string"}, _EXPANDED_VALUE]}
    if term.many:
        return {"type": "array", "items": one}
    return one


def _node_schema(required: list[str]) -> dict[str, Any]:
    names = [t.name for t in context().terms()]
    return {
        "type": "object",
        "required": required,
        "properties": {"id": {"type": "string", "format": "uri"}, "type": {"type": "array", "items": {"type": "string"}},
                       "@reverse": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object", "required": ["id"]}}},
                       **{name: _key_schema(name) for name in names}},
        "patternProperties": {"^[a-z]+:": {"anyOf": [_ANY_VALUE, {"type": "array", "items": _ANY_VALUE}]}},
        "additionalProperties": False,
    }


def document_schema(kind: str) -> dict[str, Any]:
    """The schema of ``/doc/<kind>/….jsonld``: the thing first in ``@graph``, every node of one shape."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://data.lokaalcirculair.be/ns/schemas/{kind}.schema.json",
        "title": f"JSON-LD document of a {kind}",
        "description": "Keys and their JSON types follow the published context /ns/context.jsonld: set terms are "
                       "always arrays, language maps objects keyed by language, single-valued terms scalars.",
        "type": "object",
        "required": ["@context", "@graph"],
        "properties": {
            "@context": {"type": "string"},
            "@graph": {"type": "array", "minItems": 1, "prefixItems": [_node_schema(["id", "type"])],
                       "items": _node_schema(["id"])},
        },
        "additionalProperties": False,
    }


def write_schemas(folder: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(document_schema(kind), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    for written_path in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(written_path)

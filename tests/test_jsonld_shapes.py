"""JSON-LD documents as plain JSON: one shape per kind of document, written down in ``docs/schemas/``.

Every document of the build (each ``/doc/`` page of the sitemap) is fetched as ``.json`` and checked
against its kind's JSON Schema; across the documents of one kind, every key of the thing has one
JSON type (a ``jq`` script written against one record works on the next); and no node says one fact
under two keys (a title as ``titel`` and ``label``, a theme as ``thema`` and ``onderwerp``).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

import httpx
import jsonschema

from endpoint.pages.jsonld_schema import KINDS, document_schema

SCHEMAS = Path(__file__).parent.parent / "docs" / "schemas"


def _json_type(value: object) -> str:
    return {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), "null")


#: Pairs of keys a record may fill with the same text because its source does, each with the reason:
#: two facts the record states, not one fact said twice by the model.
SAME_BY_SOURCE = {
    ("beschrijving", "reden"): "a practice sheet can repeat its description word for word as the reason "
                               "(data/praktijken/leuven-strategie-circulaire-stad.yaml says so)",
}


def _canonical(value: object) -> str:
    """A value with embedded nodes reduced to their ``id`` and arrays to sets, to compare two keys."""
    if isinstance(value, list):
        return json.dumps(sorted(_canonical(v) for v in value))
    if isinstance(value, dict) and "id" in value:
        return json.dumps(value["id"])  # an embedded node compares as the IRI string it stands for
    return json.dumps(value, sort_keys=True)


def _twice_said(value: object, found: list[tuple[str, str, str]]) -> None:
    """Every (node, key, key) of the document whose two keys carry the same value set."""
    if isinstance(value, list):
        for item in value:
            _twice_said(item, found)
    elif isinstance(value, dict):
        if "id" in value:
            keys = sorted(k for k in value if k not in ("id", "type", "@reverse"))
            seen = {k: _canonical(value[k]) for k in keys}
            found.extend((str(value["id"]), a, b) for i, a in enumerate(keys) for b in keys[i + 1:]
                         if seen[a] == seen[b] and (a, b) not in SAME_BY_SOURCE)
        for item in value.values():
            _twice_said(item, found)


def _prefixed_keys(value: object, found: set[str]) -> None:
    """The keys written as compact IRIs (``rdf:object``): properties the context has no term for."""
    if isinstance(value, list):
        for item in value:
            _prefixed_keys(item, found)
    elif isinstance(value, dict):
        found.update(k for k in value if ":" in k and not k.startswith("@"))
        for item in value.values():
            _prefixed_keys(item, found)


def test_twice_said_finds_a_title_repeated_as_a_label_and_a_subject_under_its_narrower_key() -> None:
    found: list[tuple[str, str, str]] = []
    node = {"id": "x", "titel": {"nl": "Proef"}, "label": {"nl": "Proef"}, "beschrijving": {"nl": "a"},
            "reden": {"nl": "a"}, "thema": [{"id": "t"}], "onderwerp": ["t"], "gebied": [{"id": "g"}]}
    _twice_said({"@graph": [node]}, found)
    assert found == [("x", "label", "titel"), ("x", "onderwerp", "thema")]


def test_the_schemas_in_docs_are_the_ones_the_context_gives() -> None:
    for kind in KINDS:
        written = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert written == document_schema(kind), f"docs/schemas/{kind}.schema.json is stale: python -m endpoint.pages.jsonld_schema"
        jsonschema.Draft202012Validator.check_schema(written)


def test_every_document_fits_its_kinds_schema_and_keeps_its_key_types(http: httpx.Client) -> None:
    locs = re.findall(r"<loc>([^<]+)</loc>", http.get("/sitemap.xml").text)
    assert locs
    validators = {kind: jsonschema.Draft202012Validator(json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")))
                  for kind in KINDS}
    types: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    prefixed: set[str] = set()
    for loc in locs:
        path = urlparse(loc).path
        kind = path.split("/")[2]
        r = http.get(path + ".json")
        assert r.status_code == 200, path
        doc = r.json()
        errors = sorted(validators[kind].iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, (path, [(list(e.path), e.message[:200]) for e in errors[:3]])
        for key, value in doc["@graph"][0].items():
            types[kind][key].add(_json_type(value))
        twice: list[tuple[str, str, str]] = []
        _twice_said(doc, twice)
        assert not twice, (path, "one fact under two keys (docs/json.md, 'One key per fact')", twice[:5])
        _prefixed_keys(doc, prefixed)
    # Every property of the graph has a short key; only what a reading reads (any IRI or literal) has none.
    assert prefixed <= {"rdf:object"}, prefixed
    mixed = {(kind, key): found for kind, keys in types.items() for key, found in keys.items() if len(found) > 1}
    assert not mixed, mixed

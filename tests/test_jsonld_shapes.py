"""JSON-LD documents as plain JSON: one shape per kind of document, written down in ``docs/schemas/``.

Every document of the build (each ``/doc/`` page of the sitemap) is fetched as ``.json`` and checked
against its kind's JSON Schema; and across the documents of one kind, every key of the thing has one
JSON type (a ``jq`` script written against one record works on the next).
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
    mixed = {(kind, key): found for kind, keys in types.items() for key, found in keys.items() if len(found) > 1}
    assert not mixed, mixed

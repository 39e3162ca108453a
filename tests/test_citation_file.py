"""The project's own ``CITATION.cff``: valid Citation File Format 1.2.0, and in step with the package.

The check ``cffconvert --validate`` performs (the CFF 1.2.0 JSON schema, vendored in
``tests/fixtures/cff/``), plus what a schema cannot know: the version and licence it states are
those of ``pyproject.toml``.
"""

from __future__ import annotations

import json
import tomllib

import jsonschema
import yaml

from kg.settings import PROJECT_ROOT

SCHEMA = PROJECT_ROOT / "tests" / "fixtures" / "cff" / "1.2.0" / "schema.json"


def test_citation_file_is_valid_cff_1_2_0() -> None:
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(citation)]
    assert errors == []


def test_the_schema_check_is_live() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {"cff-version": "1.2.0", "title": "x", "authors": [{"name": "x"}], "message": "x", "license": "not-a-licence"}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))


def test_version_and_licence_follow_pyproject() -> None:
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]["text"]

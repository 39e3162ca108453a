"""The fast YAML reader: YAML 1.2 scalars, lines of keys and items, clear syntax errors."""

from __future__ import annotations

import datetime

import pytest

from kg.records.yaml_lines import LineList, LineMap, YamlSyntaxError, load


def test_lines_of_keys_and_items() -> None:
    doc = load("# comment\nid: x\nactoren:\n  - organisatie: a\n    rol: trekker\n  - persoon: b\n")
    assert isinstance(doc, LineMap)
    assert doc.key_line("id") == 2
    assert doc.key_line("actoren") == 3
    actors = doc["actoren"]
    assert isinstance(actors, LineList)
    assert [actors.item_line(0), actors.item_line(1)] == [4, 6]
    assert actors[0].key_line("rol") == 5


def test_yaml_12_scalars_like_ruamel() -> None:
    doc = load("a: yes\nb: no\nc: true\nd: 2020\ne: '2020'\nf: 4.5\ng: ~\nh: 2020-01-02\ni: 0o17\nj: 010\nk: .inf\n")
    assert doc["a"] == "yes" and doc["b"] == "no"
    assert doc["c"] is True
    assert doc["d"] == 2020 and doc["e"] == "2020"
    assert doc["f"] == 4.5 and doc["g"] is None
    assert doc["h"] == datetime.date(2020, 1, 2)
    assert doc["i"] == 15 and doc["j"] == 10
    assert doc["k"] == float("inf")


def test_block_and_quoted_scalars_are_strings() -> None:
    doc = load("a: >-\n  twee\n  regels\nb: \"true\"\nc: |\n  1\n")
    assert doc == {"a": "twee regels", "b": "true", "c": "1\n"}


def test_duplicate_key_is_an_error_with_its_line() -> None:
    with pytest.raises(YamlSyntaxError) as info:
        load("id: x\ntitel: a\ntitel: b\n")
    assert info.value.line == 3
    assert "duplicate key" in info.value.message


def test_syntax_error_has_line_and_column() -> None:
    with pytest.raises(YamlSyntaxError) as info:
        load("id: x\ntitel: [\n")
    assert info.value.line >= 2
    assert info.value.column is not None


def test_empty_document_is_none() -> None:
    assert load("") is None
    assert load("# only a comment\n") is None

"""Editing the structures of a record in the generated form keeps the rest of its file byte for byte.

The form's values of every curated record, sent back untouched (the names the template gives its
inputs, :func:`kg.curation.form.submission`), must write the very same file; a change inside one
structure (a key figure's value, a nested enumeration item, a reordered actor) changes only
those lines. The form is the generated one (format declaration + shapes), for every kind.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from conftest import REPO

from endpoint.curation.publishing import _plain
from kg.curation.form import EDITABLE_KINDS, FormField, fields_of, form_values, record_values, submission
from kg.curation.record_edit import edited_yaml
from kg.importer.yaml_out import load_round_trip
from kg.records.format import RECORD_KINDS

_DAY = "2099-01-01"


def _fields(kind: str) -> list[FormField]:
    return fields_of(kind, REPO / "ontology" / "vocabularies", REPO / "shapes", "https://data.lokaalcirculair.be")


def _records() -> list[tuple[str, Path]]:
    return [(kind, path) for kind in EDITABLE_KINDS
            for path in sorted((REPO / "data" / str(RECORD_KINDS[kind].folder)).glob("*.yaml"))]


def _form(kind: str, text: str) -> dict[str, list[str]]:
    fields = _fields(kind)
    return submission(fields, form_values(fields, _plain(dict(load_round_trip(text)))))


def _changed(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return ([d[2:] for d in diff if d.startswith("- ") and not d[2:].startswith("gewijzigd:")],
            [d[2:] for d in diff if d.startswith("+ ") and not d[2:].startswith("gewijzigd:")])


def test_every_record_sent_back_untouched_is_the_same_file() -> None:
    records = _records()
    assert len(records) > 50
    for kind, path in records:
        text = path.read_text(encoding="utf-8")
        values = record_values(_fields(kind), _form(kind, text))
        assert edited_yaml(text, kind, path.stem, values, _DAY) == text, path


@pytest.mark.parametrize(("rid", "change", "lost", "gained"), [
    # a key figure's value: one line
    ("aal-circulair", {"v:kerncijfers.0.waarde": ["150"]}, ["    waarde: 149"], ["    waarde: 150"]),
    # an item of an enumeration's items, two levels deep: one line, its flow style kept
    ("bevraging-lokale-besturen-circulaire-economie", {"v:opsommingen.0.items.1.tekst:nl": ["Lokale tewerkstelling creëren"]},
     ["      - tekst: {nl: Creëren van lokale tewerkstelling}"], ["      - tekst: {nl: Lokale tewerkstelling creëren}"]),
])
def test_a_change_inside_a_structure_changes_only_its_lines(rid: str, change: dict[str, list[str]], lost: list[str],
                                                             gained: list[str]) -> None:
    text = (REPO / "data" / "praktijken" / f"{rid}.yaml").read_text(encoding="utf-8")
    form = {**_form("praktijk", text), **change}
    after = edited_yaml(text, "praktijk", rid, record_values(_fields("praktijk"), form), _DAY)
    assert _changed(text, after) == (lost, gained)
    assert f'gewijzigd: "{_DAY}"' in after


def test_moving_and_removing_items_keeps_each_item_with_its_comments() -> None:
    rid = "leuven-strategie-circulaire-stad"
    text = (REPO / "data" / "praktijken" / f"{rid}.yaml").read_text(encoding="utf-8")
    form = _form("praktijk", text)
    tokens = form["_item:actoren"]
    # The first actor removed: its lines go, nothing else changes.
    form["_item:actoren"] = tokens[1:]
    after = edited_yaml(text, "praktijk", rid, record_values(_fields("praktijk"), form), _DAY)
    old_actors = load_round_trip(text)["actoren"]
    assert [dict(a) for a in load_round_trip(after)["actoren"]] == [dict(a) for a in old_actors[1:]]
    lost, gained = _changed(text, after)
    assert gained == [] and lost[:2] == ["  - organisatie: stad-leuven", "    rol: trekker"]
    assert all(line.startswith("      ") or line.startswith("    toelichting") or line.startswith("        ") for line in lost[2:])
    # The third actor moved before the second: both whole, the comment between the actors kept.
    form["_item:actoren"] = [tokens[2], tokens[1], *tokens[3:]]
    after = edited_yaml(text, "praktijk", rid, record_values(_fields("praktijk"), form), _DAY)
    assert [dict(a) for a in load_round_trip(after)["actoren"]] == [dict(a) for a in [old_actors[2], old_actors[1], *old_actors[3:]]]
    assert text.count("# Betrokken diensten binnen de gemeente") == after.count("# Betrokken diensten binnen de gemeente") == 1


def test_codes_inside_a_structure_keep_the_files_order() -> None:
    """Checkboxes send codes in label order: an unchanged set is no change, a new code comes after the others."""
    rid = "bevraging-lokale-besturen-circulaire-economie"
    text = (REPO / "data" / "praktijken" / f"{rid}.yaml").read_text(encoding="utf-8")
    form = _form("praktijk", text)
    name = next(k for k, v in form.items() if k.endswith(".beleidsinstrumenten") and len(v) == 2)
    form[name] = sorted(form[name], reverse=True)
    assert edited_yaml(text, "praktijk", rid, record_values(_fields("praktijk"), form), _DAY) == text
    first, second = form[name]
    form[name] = ["circulair-aankopen", first, second]
    after = edited_yaml(text, "praktijk", rid, record_values(_fields("praktijk"), form), _DAY)
    lost, gained = _changed(text, after)
    assert len(lost) == len(gained) == 1 and gained[0].endswith(", circulair-aankopen]")

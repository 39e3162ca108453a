"""The round trip on the real sheet: importing Leuven's sheet (004) gives, on every field the
sheet states, the facts of the hand-curated record; compared as RDF graphs, field by field.

Where the curated record knows more than the sheet says (an English title, action domains,
policy instruments, the notes on the actors), the comparison lists it rather than failing:
that is the curator's knowledge, not something the importer should have guessed. Texts are
compared with whitespace and typographic quotes normalised: the curated file folds long
lines and straightens ‘’, the importer keeps the sheet's characters verbatim.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from importer_support import LEUVEN_RECORD, LEUVEN_SHEET, VOCAB, copy_data

from kg.errors import Problem
from kg.importer.batch import import_sheets
from kg.namespaces import CIRC, DCT, PROV, RDF, SCHEMA
from kg.rdf.iris import Iris
from kg.rdf.mapping import map_record
from kg.records.record import Record
from kg.records.record_file import read_record

BASE = "https://data.lokaalcirculair.be"
#: Keys whose triples are the curator's own: the record's provenance date.
_NOT_FROM_THE_SHEET = {DCT.modified}
#: On a sub-node (actor, objective …) only these say the fact; notes and positions are commentary.
_NODE_FACTS = {PROV.agent, PROV.hadRole, RDF.value, SCHEMA.value, SCHEMA.currency}


def _text(term: ox.Term) -> str:
    if isinstance(term, ox.Literal):
        value = re.sub(r"\s+", " ", term.value.replace("‘", "'").replace("’", "'")).strip()
        return f"{value}@{term.language}" if term.language else value
    return str(term)


def facts(record: Record) -> dict[str, set[Any]]:
    """The practice's graph as predicate → set of facts; a hash node becomes the tuple of its facts."""
    graph = map_record(record, Iris(BASE))
    subject = graph.subject
    by_subject: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in graph.quads:
        by_subject[str(quad.subject)].append(quad)
    out: dict[str, set[Any]] = defaultdict(set)
    for quad in by_subject[str(subject)]:
        if quad.predicate in _NOT_FROM_THE_SHEET:
            continue
        node = by_subject.get(str(quad.object))
        if node and str(quad.object).startswith(subject.value + "#"):
            out[str(quad.predicate)].add(tuple(sorted((str(q.predicate), _text(q.object)) for q in node if q.predicate in _NODE_FACTS)))
        else:
            out[str(quad.predicate)].add(_text(quad.object))
    return out


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, set[Any]], dict[str, set[Any]], list[str]]:
    data = copy_data(tmp_path_factory.mktemp("leuven") / "data")
    (data / "praktijken" / LEUVEN_RECORD.name).unlink()
    [result] = import_sheets([LEUVEN_SHEET], data, VOCAB, today="2026-12-07")
    assert result.action == "new", result.problems
    # Both read as the build reads them (values checked: texts with their 'vertaald' marks become Texts).
    problems: list[Problem] = []
    imported = read_record(result.record, "praktijk", problems)
    curated = read_record(LEUVEN_RECORD, "praktijk", problems)
    assert imported is not None and curated is not None and not problems, problems
    return facts(imported), facts(curated), [n.field for n in result.proposal.notes]


def test_same_record_and_same_source(graphs: tuple[dict[str, set[Any]], dict[str, set[Any]], list[str]]) -> None:
    imported, curated, _ = graphs
    # Same IRI (the id derives from the municipality and the title) and the same source document:
    # the sheet's checksum finds the source record that already cites the file.
    assert imported[str(PROV.wasDerivedFrom)] == curated[str(PROV.wasDerivedFrom)]


def test_every_field_the_sheet_states_has_the_curated_facts(
    graphs: tuple[dict[str, set[Any]], dict[str, set[Any]], list[str]], capsys: pytest.CaptureFixture[str],
) -> None:
    imported, curated, _ = graphs
    differences = {}
    for predicate, values in imported.items():
        theirs = curated.get(predicate, set())
        # The curated record may add English labels and codes from keys the sheet does not state.
        theirs_here = {v for v in theirs if not (isinstance(v, str) and v.endswith("@en"))}
        if predicate == str(DCT.subject):
            assert values <= theirs_here, predicate
        elif values != theirs_here:
            differences[predicate] = (values - theirs_here, theirs_here - values)
    assert differences == {}
    more = {p: v for p, v in curated.items() if p not in imported or not v <= imported[p]}
    with capsys.disabled():  # what the curator knows beyond the sheet: the report, not a failure
        print("\nThe curated Leuven record knows more than the sheet on:", ", ".join(sorted(re.split("[/#]", p.strip("<>"))[-1] for p in more)))
    assert str(CIRC.actiedomein) in more  # the sheet names no action domains


def test_actors_match_by_organisation_and_role(graphs: tuple[dict[str, set[Any]], dict[str, set[Any]], list[str]]) -> None:
    imported, curated, _ = graphs
    assert imported[str(PROV.qualifiedAssociation)] == curated[str(PROV.qualifiedAssociation)]
    assert len(imported[str(PROV.qualifiedAssociation)]) >= 20


def test_what_the_importer_was_unsure_of_is_listed(graphs: tuple[dict[str, set[Any]], dict[str, set[Any]], list[str]]) -> None:
    _, _, notes = graphs
    # The question-marked partner, the compound service item, the objectives read from the
    # description, the guessed kind, the non-URL website and the empty fields.
    for field in ("type", "doelstellingen", "links", "investeringsbedrag", "aanwerving"):
        assert field in notes
    assert sum(1 for n in notes if n.startswith("actoren[")) >= 4


def test_the_source_folder_is_untouched(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    [result] = import_sheets([LEUVEN_SHEET], data, VOCAB, dry_run=True)
    assert result.action == "exists"

"""kg.shacl.gate: the SHACL gate names record, file, line, path and a Dutch and English message."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph
from sample_data import BASE, sample_corpus

from kg.errors import SourceError, ValidationFailed
from kg.rdf.iris import Iris
from kg.rdf.mapping import RecordGraph, map_corpus, map_record
from kg.records.record import Corpus
from kg.settings import PROJECT_ROOT
from kg.shacl.gate import ENGINES, ValidationReport, validate
from kg.shacl.rdflib_terms import SHACL

SH = SHACL

#: Small shapes of our own, so the mechanics are tested whatever the real shapes say.
#: Relative IRIs (<id/concept/rol/…>) resolve against the base, like in shapes/.
TEST_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <http://schema.org/> .
@prefix circ: <https://data.lokaalcirculair.be/ns/circulair#> .

<shapes/Praktijk> a sh:NodeShape ;
    sh:targetClass circ:Praktijk ;
    sh:property [
        sh:path dct:title ; sh:minCount 1 ;
        sh:message "Een praktijk heeft een titel."@nl , "A practice has a title."@en ] ;
    sh:property [
        sh:path dct:spatial ; sh:maxCount 1 ; sh:severity sh:Warning ;
        sh:message "Meer dan één gemeente: klopt dat?"@nl , "More than one municipality: is that right?"@en ] .

<shapes/Rol> a sh:NodeShape ;
    sh:targetClass prov:Association ;
    sh:property [
        sh:path prov:hadRole ;
        sh:in ( <id/concept/rol/trekker> <id/concept/rol/coach> <id/concept/rol/contactpersoon> ) ;
        sh:message "Deze rol is hier niet toegelaten."@nl , "This role is not allowed here."@en ] .

<shapes/Les> a sh:NodeShape ;
    sh:targetClass circ:Les ;
    sh:property [ sh:path schema:position ; sh:maxInclusive 0 ; sh:severity sh:Info ] .
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return sample_corpus(tmp_path_factory.mktemp("validation"))


@pytest.fixture(scope="module")
def graphs(corpus: Corpus) -> list[RecordGraph]:
    ontology = next(iter(corpus.vocabulary_files)).parent.parent / "circulair.ttl"
    return map_corpus(corpus, BASE, ontology)


@pytest.fixture()
def shapes(tmp_path: Path) -> Path:
    folder = tmp_path / "shapes"
    folder.mkdir()
    (folder / "test.ttl").write_text(TEST_SHAPES, encoding="utf-8")
    return folder


def broken(graphs: list[RecordGraph], corpus: Corpus, kind: str, ref: str, **changes: object) -> list[RecordGraph]:
    """The graphs with one record re-mapped after changing its data (``None`` drops a
    key): the kind of record the loader lets through but the shapes must stop."""
    record = corpus.records[(kind, ref)]
    data = {k: v for k, v in {**record.data, **changes}.items() if v is not None}
    replaced = map_record(dataclasses.replace(record, data=data), Iris(BASE))
    return [replaced if (g.kind, g.id) == (kind, ref) else g for g in graphs]


# --------------------------------------------------------------------------- mechanics


def test_warnings_and_notes_do_not_block(graphs: list[RecordGraph], shapes: Path) -> None:
    report = validate(graphs, shapes)
    assert report.conforms
    assert report.violations == []
    (warning,) = report.warnings  # leuven-strategie lies in two municipalities
    assert warning.record == "praktijk/leuven-strategie"
    assert warning.message_nl == "Meer dan één gemeente: klopt dat?"
    assert warning.message_en == "More than one municipality: is that right?"
    assert warning.path == "http://purl.org/dc/terms/spatial"
    assert warning.file is not None and warning.file.name == "leuven-strategie.yaml"
    assert warning.line == 12  # the 'gemeenten' key
    # sh:targetClass circ:Les reaches circ:Doelstelling-free lesson classes through the
    # ontology's rdfs:subClassOf; the Info results (positions > 0) prove it
    assert {r.focus_node.rpartition("#")[2] for r in report.infos} == {"succesfactor-1", "valkuil-1"}


def test_a_violation_names_record_file_line_path_and_both_messages(
    graphs: list[RecordGraph], corpus: Corpus, shapes: Path
) -> None:
    report = validate(broken(graphs, corpus, "praktijk", "leuven-pilot", titel=None), shapes)
    assert not report.conforms
    (violation,) = report.violations
    assert violation.severity == "Violation"
    assert (violation.kind, violation.record_id) == ("praktijk", "leuven-pilot")
    assert violation.focus_node == f"{BASE}/id/praktijk/leuven-pilot"
    assert violation.path == "http://purl.org/dc/terms/title"
    assert violation.component == "http://www.w3.org/ns/shacl#MinCountConstraintComponent"
    assert violation.message_nl == "Een praktijk heeft een titel."
    assert violation.message_en == "A practice has a title."
    assert violation.file == corpus.records[("praktijk", "leuven-pilot")].path
    assert violation.line == 3  # where the title was; the loader knew its line


def test_a_result_on_a_sub_resource_points_at_its_list_item(graphs: list[RecordGraph], corpus: Corpus, shapes: Path) -> None:
    record = corpus.records[("praktijk", "leuven-strategie")]
    actors = [dict(a) for a in record.data["actoren"]]
    actors[1]["rol"] = "partner"
    report = validate(broken(graphs, corpus, "praktijk", "leuven-strategie", actoren=actors), shapes)
    (violation,) = report.violations
    assert violation.focus_node == f"{BASE}/id/praktijk/leuven-strategie#rol-2"
    assert violation.record == "praktijk/leuven-strategie"
    assert violation.value == f"{BASE}/id/concept/rol/partner"
    assert violation.line == record.line("actoren", 1, "rol") == 17
    assert violation.message_en == "This role is not allowed here."


def test_the_table_is_readable_in_a_terminal(graphs: list[RecordGraph], corpus: Corpus, shapes: Path) -> None:
    report = validate(broken(graphs, corpus, "praktijk", "leuven-pilot", titel=None), shapes)
    table = report.table()
    first = table.splitlines()[0]
    assert first.split()[:2] == ["Violation", "praktijk/leuven-pilot"]
    assert "leuven-pilot.yaml:3" in first and "dct:title" in first
    assert "    nl: Een praktijk heeft een titel." in table
    assert "    en: A practice has a title." in table
    assert table.splitlines()[-1] == "1 violation(s), 1 warning(s), 2 note(s)."


def test_the_turtle_report_keeps_shacl_results_and_adds_file_and_line(
    graphs: list[RecordGraph], corpus: Corpus, shapes: Path
) -> None:
    report = validate(broken(graphs, corpus, "praktijk", "leuven-pilot", titel=None), shapes)
    text = report.to_turtle()
    parsed = Graph().parse(data=text, format="turtle")
    (node,) = parsed.subjects(RDF.type, SH.ValidationReport)
    assert str(parsed.value(node, SH.conforms)) == "false"
    results = list(parsed.objects(node, SH.result))
    assert len(results) == len(report.results) == 4
    comments = {str(parsed.value(r, RDFS.comment)) for r in results}
    assert "data/praktijken/leuven-pilot.yaml:3" in comments
    violation = next(r for r in results if parsed.value(r, SH.resultSeverity) == SH.Violation)
    assert str(parsed.value(violation, RDFS.seeAlso)) == f"{BASE}/id/praktijk/leuven-pilot"
    assert {m.language for m in parsed.objects(violation, SH.resultMessage)} == {"nl", "en"}
    assert report.to_turtle() == text  # stable, for reproducible artefacts
    again = validate(broken(graphs, corpus, "praktijk", "leuven-pilot", titel=None), shapes)
    assert again.to_turtle() == text


def test_restricted_to_keeps_the_results_of_the_given_files(graphs: list[RecordGraph], corpus: Corpus, shapes: Path) -> None:
    report = validate(broken(graphs, corpus, "praktijk", "leuven-pilot", titel=None), shapes)
    pilot = corpus.records[("praktijk", "leuven-pilot")].path
    only = report.restricted_to([pilot])
    assert isinstance(only, ValidationReport)
    assert [r.record for r in only.results] == ["praktijk/leuven-pilot"]
    assert not only.conforms
    assert report.restricted_to([corpus.records[("bron", "fiche-leuven")].path]).results == ()


def test_pyshacl_messages_are_the_fallback(graphs: list[RecordGraph], corpus: Corpus, tmp_path: Path) -> None:
    (tmp_path / "s.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix schema: <http://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix circ: <https://data.lokaalcirculair.be/ns/circulair#> .\n"
        "<shapes/S> a sh:NodeShape ; sh:targetClass circ:Praktijk ;\n"
        "  sh:property [ sh:path schema:startDate ; sh:datatype xsd:date ] .\n"
    )
    report = validate(graphs, tmp_path)
    (violation,) = report.violations  # "2020" is a gYear
    assert violation.record == "praktijk/leuven-strategie"
    assert violation.message_nl and violation.message_nl == violation.message_en
    assert violation.value == "2020"
    assert violation.line == 7


def test_shapes_that_do_not_parse_or_do_not_exist_stop_the_gate(graphs: list[RecordGraph], tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no SHACL shapes"):
        validate(graphs, tmp_path / "nowhere")
    (tmp_path / "bad.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path .\n")
    with pytest.raises(SourceError) as caught:
        validate(graphs, tmp_path)
    (problem,) = caught.value.problems
    assert problem.file == tmp_path / "bad.ttl" and problem.line == 2


# --------------------------------------------------------------------------- the real shapes


def test_the_sample_records_satisfy_the_repository_shapes(graphs: list[RecordGraph]) -> None:
    report = validate(graphs, PROJECT_ROOT / "shapes")
    assert report.violations == [], report.table()


def test_the_repository_shapes_stop_a_practice_without_title(graphs: list[RecordGraph], corpus: Corpus) -> None:
    report = validate(broken(graphs, corpus, "praktijk", "leuven-pilot", titel=None), PROJECT_ROOT / "shapes")
    assert not report.conforms
    titles = [v for v in report.violations if v.path == "http://purl.org/dc/terms/title"]
    assert titles, report.table()
    violation = titles[0]
    assert violation.record == "praktijk/leuven-pilot"
    assert violation.file == corpus.records[("praktijk", "leuven-pilot")].path and violation.line == 3
    assert violation.message_nl and violation.message_en and violation.message_nl != violation.message_en


def test_both_engines_give_the_report_a_failed_gate_carries(graphs: list[RecordGraph], corpus: Corpus, shapes: Path) -> None:
    """The report model is one, whichever engine made it, and it is what ValidationFailed takes."""
    for engine in ENGINES:
        report = validate(broken(graphs, corpus, "praktijk", "leuven-pilot", titel=None), shapes, engine=engine)
        assert isinstance(report, ValidationReport)
        error = ValidationFailed(report)
        assert error.report is report and "1 violation;" in str(error)

"""kg.records: the record format is enforced with file and line for every problem."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.errors import SourceError
from kg.records.corpus import load_corpus
from kg.records.format import MUNICIPALITY_COLUMNS

VOCAB = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<id/concept/{scheme}/{code}> skos:inScheme <id/conceptscheme/{scheme}> .
"""

CODES = {
    "thema": ["materialen", "energie"],
    "praktijktype": ["strategie"],
    "rol": ["trekker", "partner"],
    "organisatietype": ["stad"],
    "documenttype": ["praktijkfiche"],
    "eenheid": ["aantal"],
}


def make_data(root: Path) -> tuple[Path, Path]:
    """A tiny, valid data folder: one source, one city, one practice, two municipalities."""
    data, vocab = root / "data", root / "vocab"
    for folder in ("praktijken", "organisaties", "bronnen", "reference"):
        (data / folder).mkdir(parents=True)
    vocab.mkdir()
    for scheme, codes in CODES.items():
        (vocab / f"{scheme}.ttl").write_text("".join(VOCAB.format(scheme=scheme, code=c) for c in codes))
    (data / "reference" / "gemeenten.csv").write_text(
        ",".join(MUNICIPALITY_COLUMNS) + "\n"
        "24062,Leuven,Louvain,Leuven,24000,Vlaams-Brabant,20001,,,,2026-11-25\n"
        "46013,Kruibeke,Kruibeke,Sint-Niklaas,46000,Oost-Vlaanderen,40000,,2024-12-31,46030,2026-11-25\n"
        "46030,Beveren-Kruibeke-Zwijndrecht,,Sint-Niklaas,46000,Oost-Vlaanderen,40000,2025-01-01,,,2026-11-25\n"
    )
    (data / "bronnen" / "fiche.yaml").write_text(
        'id: fiche\ntitel: {nl: "Praktijkfiche"}\ntype: praktijkfiche\ntaal: nl\ngewijzigd: "2026-11-25"\n'
    )
    (data / "organisaties" / "stad-leuven.yaml").write_text(
        'id: stad-leuven\nnaam: {nl: "Stad Leuven"}\ntype: stad\ngemeente: "24062"\nbronnen: [fiche]\ngewijzigd: "2026-11-25"\n'
    )
    (data / "praktijken" / "strategie.yaml").write_text(
        "# a comment is fine\n"
        "id: strategie\n"
        "type: strategie\n"
        'titel: {nl: "Strategie circulaire stad", en: "Circular city strategy"}\n'
        'beschrijving: {nl: "Een eerste stedelijke strategie."}\n'
        'start: "2020"\n'
        "themas: [materialen, energie]\n"
        'gemeenten: ["24062"]\n'
        "actoren:\n"
        "  - organisatie: stad-leuven\n"
        "    rol: trekker\n"
        "investeringsbedrag: 100000.50\n"
        "bronnen: [fiche]\n"
        'gewijzigd: "2026-11-25"\n'
    )
    return data, vocab


def problems_of(data: Path, vocab: Path) -> list[str]:
    with pytest.raises(SourceError) as info:
        load_corpus(data, vocab)
    return [str(p) for p in info.value.problems]


def test_valid_data_loads_with_values_and_lines(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    corpus = load_corpus(data, vocab)
    practice = corpus.get("praktijk", "strategie")
    assert practice is not None
    assert practice.data["titel"] == {"nl": "Strategie circulaire stad", "en": "Circular city strategy"}
    assert practice.data["investeringsbedrag"] == Decimal("100000.50")
    assert practice.data["actoren"] == [{"organisatie": "stad-leuven", "rol": "trekker"}]
    assert practice.line("themas") == 7
    assert practice.line("actoren", 0, "rol") == 11
    assert practice.line("nonexistent") == 1
    assert [r.id for r in corpus.of_kind("gemeente")] == ["24062", "46013", "46030"]
    assert corpus.concepts["thema"] == {"materialen", "energie"}


def test_unknown_key_names_file_line_and_allowed_keys(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "praktijken" / "strategie.yaml"
    path.write_text(path.read_text().replace("themas:", "temas:"))
    [problem] = problems_of(data, vocab)
    assert problem.startswith(f"{path}:7: Unknown key 'temas'.")
    assert "themas" in problem


def test_wrong_types_are_reported_together(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "praktijken" / "strategie.yaml"
    text = path.read_text().replace('start: "2020"', "start: 2020").replace("investeringsbedrag: 100000.50", "investeringsbedrag: veel")
    path.write_text(text.replace('titel: {nl: "Strategie circulaire stad", en: "Circular city strategy"}', 'titel: "Strategie"'))
    problems = problems_of(data, vocab)
    assert any(":4: 'titel' must be text per language" in p for p in problems)
    assert any(":6: 'start' must be a string, not int. Put quotes around it." in p for p in problems)
    assert any(":12: 'investeringsbedrag' must be a number" in p for p in problems)


def test_dangling_references_are_errors(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "praktijken" / "strategie.yaml"
    text = path.read_text().replace("themas: [materialen, energie]", "themas: [materialen, afval]")
    text = text.replace('gemeenten: ["24062"]', 'gemeenten: ["99999"]').replace("organisatie: stad-leuven", "organisatie: stad-gent")
    path.write_text(text)
    problems = problems_of(data, vocab)
    assert any(":7: 'afval' is not a concept of the scheme 'thema'. Known codes: energie, materialen." in p for p in problems)
    assert any(":8: 'gemeenten' names NIS code 99999, which is not a municipality" in p for p in problems)
    assert any(":10: 'organisatie' refers to organisatie 'stad-gent', which does not exist in data/." in p for p in problems)


def test_id_must_match_file_name_and_patterns_apply(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "organisaties" / "stad-leuven.yaml"
    path.write_text(path.read_text().replace("id: stad-leuven", "id: Stad Leuven").replace('gemeente: "24062"', 'gemeente: "2406"'))
    problems = problems_of(data, vocab)
    assert any("'id' must be an id of lower-case letters" in p for p in problems)
    assert any("'gemeente' must be a five-digit NIS code" in p for p in problems)


def test_missing_required_keys_and_end_before_start(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "praktijken" / "strategie.yaml"
    path.write_text(path.read_text().replace('beschrijving: {nl: "Een eerste stedelijke strategie."}\n', "").replace('start: "2020"', 'start: "2020-05"\neinde: "2019"'))
    problems = problems_of(data, vocab)
    assert any("The required key 'beschrijving' is missing." in p for p in problems)
    assert any("The end '2019' lies before the start '2020-05'." in p for p in problems)


def test_a_source_period_needs_a_date_its_order_and_a_cited_source(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "praktijken" / "strategie.yaml"
    periods = ('periodes:\n  - bron: fiche\n'                                   # line 8: no date at all
               '  - start: "2021-03"\n    einde: "2020"\n    bron: fiche\n'      # line 9: ends before it starts
               '  - start: "2020"\n    bron: andere-fiche\n')                    # line 13: a source the record does not cite
    path.write_text(path.read_text().replace('start: "2020"\n', 'start: "2020"\n' + periods))
    problems = problems_of(data, vocab)
    assert any(":8: A period ('periodes' item) has a 'start', an 'einde' or both" in p for p in problems)
    assert any(":9: The end '2020' of this period lies before its start '2021-03'." in p for p in problems)
    assert any(":13: 'bron' refers to bron 'andere-fiche', which does not exist in data/." in p for p in problems)
    assert any(":13: 'periodes.2.bron' names 'andere-fiche', which is not one of the record's 'bronnen'." in p for p in problems)


def test_broken_yaml_gives_line_and_column(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "praktijken" / "strategie.yaml"
    path.write_text('id: strategie\ntitel: {nl: "open\n')
    [problem] = problems_of(data, vocab)
    assert problem.startswith(f"{path}:")
    assert "This is not valid YAML" in problem


def test_a_text_needs_dutch(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "organisaties" / "stad-leuven.yaml"
    path.write_text(path.read_text().replace('naam: {nl: "Stad Leuven"}', 'naam: {en: "City of Leuven"}'))
    [problem] = problems_of(data, vocab)
    assert "'naam' needs a Dutch text (nl)" in problem


def test_municipality_csv_rows_are_checked(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    csv_path = data / "reference" / "gemeenten.csv"
    csv_path.write_text(csv_path.read_text().replace(",46030,2026-11-25", ",46031,2026-11-25"))
    [problem] = problems_of(data, vocab)
    assert problem.startswith(f"{csv_path}:3:")
    assert "replaced by 46031" in problem


def test_a_translation_mark_names_languages_of_the_text(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "praktijken" / "strategie.yaml"
    marked = 'titel: {nl: "Strategie circulaire stad", en: "Circular city strategy", vertaald: [en]}'
    path.write_text(path.read_text().replace('titel: {nl: "Strategie circulaire stad", en: "Circular city strategy"}', marked))
    practice = load_corpus(data, vocab).get("praktijk", "strategie")
    assert practice is not None
    assert dict(practice.data["titel"]) == {"nl": "Strategie circulaire stad", "en": "Circular city strategy"}
    assert practice.data["titel"].translated == ("en",)
    path.write_text(path.read_text().replace("vertaald: [en]", "vertaald: [fr]"))
    [problem] = problems_of(data, vocab)
    assert problem.endswith(":4: 'titel.vertaald' names fr, which the text does not have.")


def test_a_reading_is_about_a_key_and_a_part_of_its_record(tmp_path: Path) -> None:
    data, vocab = make_data(tmp_path)
    path = data / "praktijken" / "strategie.yaml"
    reading = ("lezingen:\n  - over: themas\n    waarde: energie\n    toelichting: {nl: \"Niet vermeld.\"}\n"
               "  - over: financier\n    toelichting: {nl: \"x\"}\n"
               "  - over: waarde\n    deel: cijfer-x\n    toelichting: {nl: \"x\"}\n"
               "  - over: gemeenten\n    waarde: \"99999\"\n    toelichting: {nl: \"x\"}\n")
    path.write_text(path.read_text().replace("bronnen: [fiche]", reading + "bronnen: [fiche]"))
    problems = problems_of(data, vocab)
    assert any("'lezingen.1.over' names 'financier', which is no key of a praktijk record." in p for p in problems)
    assert any("'lezingen.2.deel' names 'cijfer-x', which is no part of this record. Parts: " in p and "rol-1" in p for p in problems)
    assert any("'lezingen.3.waarde' names NIS code 99999, which is not a municipality" in p for p in problems)
    assert not any("lezingen.0" in p for p in problems)

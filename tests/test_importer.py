"""``kg import``: one test per variation real sheets have, each asserting the value written
and the report line; bad input; --dry-run; --update changing only what the sheet changed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from importer_support import VOCAB, copy_data, line_of, make_sheet, snapshot

from kg.errors import SourceError
from kg.importer.batch import import_sheets
from kg.importer.results import SheetResult
from kg.importer.writer import review_path
from kg.records.yaml_lines import load


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    return copy_data(tmp_path / "data")


def run(data: Path, tmp_path: Path, text: str | bytes, name: str = "sheet.txt", **options: Any) -> SheetResult:
    sheet = tmp_path / name
    sheet.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    [result] = import_sheets([sheet], data, VOCAB, today="2026-12-07", **options)
    return result


def written(result: SheetResult) -> dict[str, Any]:
    """The record as written, read back by the record reader."""
    return dict(load(result.record.read_text(encoding="utf-8")))


def report_line(result: SheetResult, field: str) -> str:
    """The review report's row for ``field`` (the file beside the record)."""
    rows = [row for row in review_path(result.record).read_text(encoding="utf-8").splitlines() if row.startswith(f"| {field} |")]
    assert rows, f"no review line for {field}"
    return rows[0]


def test_a_plain_sheet_becomes_a_valid_record_with_its_source(data: Path, tmp_path: Path) -> None:
    result = run(data, tmp_path, make_sheet())
    assert result.action == "new", result.problems
    record = written(result)
    assert record["titel"] == {"nl": "Repair café Wezembeek"}
    assert record["themas"] == ["materialen", "samenleving"]
    assert record["gemeenten"] == ["24062"]
    assert {"organisatie": "stad-leuven", "rol": "trekker"} in record["actoren"]
    assert {"persoon": "jessie-van-couwenberghe", "rol": "contactpersoon"} in record["actoren"]
    assert record["links"] == [{"url": "https://www.leuven.be/"}]
    bron = dict(load((data / "bronnen" / f"{record['bronnen'][0]}.yaml").read_text(encoding="utf-8")))
    assert (data / "sources" / bron["bestand"]).read_bytes() == (tmp_path / "sheet.txt").read_bytes()
    assert "sha256" in (data / "bronnen" / f"{record['bronnen'][0]}.yaml").read_text(encoding="utf-8").splitlines()[0]


def test_missing_heading(data: Path, tmp_path: Path) -> None:
    text = make_sheet(skip=("beschrijving",))
    result = run(data, tmp_path, text)
    assert written(result)["beschrijving"] == {"nl": "Een repaircafé in de bibliotheek, elke eerste zaterdag."}
    assert f"| {line_of(text, 'Een repaircafé')} |" in report_line(result, "beschrijving")
    assert "no heading 'Korte beschrijving:'" in report_line(result, "beschrijving")


@pytest.mark.parametrize("bullet", ["•", "-", "*"])
def test_each_bullet(data: Path, tmp_path: Path, bullet: str) -> None:
    result = run(data, tmp_path, make_sheet(bullet=bullet, start="2019", partners=("Voka",)))
    record = written(result)
    assert record["start"] == "2019"
    assert {"organisatie": "voka", "rol": "partner"} in record["actoren"]
    assert record["uitdagingen"] == [{"nl": "Jongeren bereiken."}]


@pytest.mark.parametrize(("amount", "value"), [("€ 25.000", Decimal("25000")), ("25000 euro", Decimal("25000")),
                                               ("€25.000,50", Decimal("25000.50"))])
def test_each_amount_notation(data: Path, tmp_path: Path, amount: str, value: Decimal) -> None:
    text = make_sheet(investeringsbedrag=amount)
    result = run(data, tmp_path, text)
    assert Decimal(str(written(result)["investeringsbedrag"])) == value
    row = report_line(result, "investeringsbedrag")
    assert f"| {line_of(text, 'Investeringsbedrag')} | {amount} | {value} | read as {value} euro |" in row


@pytest.mark.parametrize(("date", "value", "why"), [
    ("2020", "2020", None), ("september 2021", "2021-09", None),
    ("09/2021", "2021-09", "read 09/2021 as month/year"), ("1 september 2021", "2021-09-01", None),
])
def test_each_date_notation(data: Path, tmp_path: Path, date: str, value: str, why: str | None) -> None:
    text = make_sheet(start=date)
    result = run(data, tmp_path, text)
    assert written(result)["start"] == value
    if why is None:
        assert not any(n.field == "start" for n in result.proposal.notes)
    else:
        assert f"| start | {line_of(text, 'Startdatum')} | {date} | {value} | {why} |" in report_line(result, "start")


def test_question_marked_name(data: Path, tmp_path: Path) -> None:
    text = make_sheet(partners=("Platform Leuven Circulair?",))
    result = run(data, tmp_path, text)
    actors = written(result)["actoren"]
    index = actors.index({"organisatie": "platform-leuven-circulair", "rol": "partner"})
    row = report_line(result, f"actoren[{index}]")
    assert f"| {line_of(text, 'Platform Leuven')} | Platform Leuven Circulair? | platform-leuven-circulair |" in row
    assert "question mark" in row
    assert "# REVIEW: the sheet puts a question mark" in result.record.read_text(encoding="utf-8")


@pytest.mark.parametrize(("start", "nis"), [("2020", "37015"), ("maart 2025", "37022")])
def test_merged_municipality_resolved_by_the_start_date(data: Path, tmp_path: Path, start: str, nis: str) -> None:
    text = make_sheet(gemeente="Tielt", start=start)
    result = run(data, tmp_path, text)
    assert written(result)["gemeenten"] == [nis]
    row = report_line(result, "gemeenten")
    assert f"| {line_of(text, 'Gemeente:')} | Tielt | {nis} | Tielt merged on 1 January 2025" in row


def test_merged_municipality_without_a_date_is_asked(data: Path, tmp_path: Path) -> None:
    text = make_sheet(gemeente="Tielt", start="")
    result = run(data, tmp_path, text)
    assert "gemeenten" not in written(result)
    row = report_line(result, "gemeenten")
    assert "37015" in row and "37022" in row and "choose one" in row


def test_unknown_theme(data: Path, tmp_path: Path) -> None:
    text = make_sheet(themes="Materialen  |  Ruimtevaart")
    result = run(data, tmp_path, text)
    assert written(result)["themas"] == ["materialen"]
    assert f"| themas | {line_of(text, 'Ruimtevaart')} | Ruimtevaart | (left out) | not a theme of the vocabulary" in report_line(result, "themas")


def test_unknown_partner_gets_a_new_organisation(data: Path, tmp_path: Path) -> None:
    text = make_sheet(partners=("Kringwinkel Wezembeek vzw",))
    result = run(data, tmp_path, text)
    actors = written(result)["actoren"]
    new = next(a["organisatie"] for a in actors if a["rol"] == "partner")
    org = dict(load((data / "organisaties" / f"{new}.yaml").read_text(encoding="utf-8")))
    assert org["naam"] == {"nl": "Kringwinkel Wezembeek vzw"}
    assert org["bronnen"] == written(result)["bronnen"]
    row = report_line(result, f"actoren[{actors.index({'organisatie': new, 'rol': 'partner'})}]")
    assert "a partner not known yet: a new organisation record" in row


def test_alias_and_legal_form_match_existing_organisations(data: Path, tmp_path: Path) -> None:
    result = run(data, tmp_path, make_sheet(partners=("KUleuven", "Vzw Leuven 2030")))
    partners = [a["organisatie"] for a in written(result)["actoren"] if a["rol"] == "partner"]
    assert partners == ["ku-leuven", "leuven-2030"]
    assert not any(n.field.startswith("actoren") and n.read in ("KUleuven", "Vzw Leuven 2030") for n in result.proposal.notes)


def test_an_html_page_of_a_sheet_gives_the_same_record(data: Path, tmp_path: Path) -> None:
    text = make_sheet(title="Deelfietsen Leuven", partners=("Voka", "Platform Leuven Circulair?"))
    body = "".join(f"<ul><li>{line.strip()[2:]}</li></ul>" if line.startswith(" ") else f"<p>{line.replace('&', '&amp;')}</p>"
                   for line in text.splitlines() if line.strip())
    html = f"<!DOCTYPE html><html><head><title>x</title><script>var a=1;</script></head><body>{body}</body></html>"
    from_html = run(data, tmp_path, html, name="sheet.html", dry_run=True)
    from_text = run(data, tmp_path, text, name="sheet.txt", dry_run=True)
    assert from_html.proposal.ordered() == from_text.proposal.ordered()
    assert any("reduced from HTML" in n.why for n in from_html.proposal.notes)


@pytest.mark.parametrize(("content", "line", "words"), [
    (b"", 1, "empty"),
    (b"\n\n   \n", 1, "empty"),
    (b"Titel\nmeer\n\x00\x01\x02binary", 3, "binary"),
    (b"Korte beschrijving:\n\nTekst zonder titel.\n", 1, "no title"),
    ("\n\n • Startdatum: 2020\n".encode(), 3, "no title"),
])
def test_bad_input_names_file_and_line_and_writes_nothing(data: Path, tmp_path: Path, content: bytes, line: int, words: str) -> None:
    before = snapshot(data)
    good = tmp_path / "good.txt"
    good.write_text(make_sheet(), encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        import_sheets([good, bad], data, VOCAB)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == (bad, line)
    assert words in str(problem).lower()
    assert snapshot(data) == before


def test_a_50_mb_file_is_refused_unread(data: Path, tmp_path: Path) -> None:
    before = snapshot(data)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    with pytest.raises(SourceError) as caught:
        import_sheets([huge], data, VOCAB)
    assert "50.0 MB" in str(caught.value) and f"{huge}:1:" in str(caught.value)
    assert snapshot(data) == before


def test_dry_run_writes_nothing(data: Path, tmp_path: Path) -> None:
    before = snapshot(data)
    result = run(data, tmp_path, make_sheet(partners=("Iets Helemaal Nieuws",)), dry_run=True)
    assert result.action == "new" and result.files
    assert snapshot(data) == before


def test_an_existing_record_is_not_overwritten_without_update(data: Path, tmp_path: Path) -> None:
    run(data, tmp_path, make_sheet())
    before = snapshot(data)
    again = run(data, tmp_path, make_sheet(investeringsbedrag="€ 5.000"))
    assert again.action == "exists" and "--update" in again.problems[0]
    assert snapshot(data) == before


def test_update_changes_only_the_changed_fields(data: Path, tmp_path: Path) -> None:
    first = run(data, tmp_path, make_sheet(investeringsbedrag="€ 5.000"))
    path = first.record
    curated = path.read_text(encoding="utf-8").replace("\ntitel:", "\n# A curator's note stays.\nstatus: lopend\ntitel:", 1)
    path.write_text(curated, encoding="utf-8")
    before = written(first)
    result = run(data, tmp_path, make_sheet(investeringsbedrag="€ 7.500", themes="Materialen  |  Water"), update=True)
    assert result.action == "updated", result.problems
    assert [line for line in result.diff if not line.startswith(" ")] == ["themas:", "investeringsbedrag:"]
    after = written(result)
    assert after["investeringsbedrag"] == 7500 and after["themas"] == ["materialen", "water"]
    changed = ("investeringsbedrag", "themas")
    assert {k: v for k, v in after.items() if k not in changed} == {k: v for k, v in before.items() if k not in changed}
    assert "# A curator's note stays." in path.read_text(encoding="utf-8")
    unchanged = run(data, tmp_path, make_sheet(investeringsbedrag="€ 7.500", themes="Materialen  |  Water"), update=True)
    assert unchanged.action == "unchanged"

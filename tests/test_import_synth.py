"""Synthetic sheets: ``kg synth --sheets`` writes them with the variations and planted
defects; ``kg import`` writes records that pass ``kg validate``, and lists every sheet it
did not write with its reason."""

from __future__ import annotations

from pathlib import Path

from importer_support import VOCAB

from kg.build.pipeline import check
from kg.importer.batch import import_sheets
from kg.settings import PROJECT_ROOT, Settings
from kg.store.synthetic_marker import SYNTHETIC_BASE_IRI
from kg.synth.sheets import DEFECT_EVERY, synthesize_sheets


def test_imported_synthetic_sheets_validate(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    summary = synthesize_sheets(out, 130, source_data=PROJECT_ROOT / "data", seed=3)
    assert len(summary.broken) == 130 // DEFECT_EVERY
    results = import_sheets([out / "sheets"], out / "data", VOCAB, today="2026-12-07")
    written = [r for r in results if r.action == "new"]
    refused = {r.sheet.name: r.problems for r in results if r.action != "new"}
    # Only the sheets with an empty short description cannot become a valid record.
    assert set(refused) == {name for name, defect in summary.broken.items() if defect == "empty-description"}
    assert all("beschrijving" in " ".join(p) for p in refused.values())
    # The other planted defects are listed for review, at the field they concern.
    for result in results:
        defect = summary.broken.get(result.sheet.name, "")
        fields = {n.field for n in result.proposal.notes}
        if defect == "unknown-theme":
            assert "themas" in fields
        elif defect == "bad-amount":
            assert "investeringsbedrag" in fields and "investeringsbedrag" not in result.proposal.record
        elif defect == "bad-date":
            assert "start" in fields and "start" not in result.proposal.record
        elif defect == "unknown-municipality":
            assert "gemeenten" in fields and "gemeenten" not in result.proposal.record
    assert len(written) == 130 - len(refused)
    settings = Settings(data_dir=out / "data", ontology_dir=PROJECT_ROOT / "ontology", shapes_dir=PROJECT_ROOT / "shapes",
                        base_iri=SYNTHETIC_BASE_IRI, store=str(tmp_path / "store"))
    report = check(settings)
    assert report.conforms, report.table()
    assert all(r.record.stem.startswith("synth-") for r in written)

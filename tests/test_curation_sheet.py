"""The importer's review notes in the workspace's language: every reason the importer gives for
the real sheets in ``data/sources/`` and for synthetic sheets with every planted defect has a
Dutch wording (:mod:`kg.curation.review_notes`); a new wording in the importer fails here."""

from __future__ import annotations

from pathlib import Path

from importer_support import VOCAB

from kg.curation.review_notes import bilingual, dutch
from kg.importer.batch import import_sheets
from kg.settings import PROJECT_ROOT
from kg.synth.sheets import synthesize_sheets


def test_every_review_note_of_real_and_synthetic_sheets_reads_in_dutch(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    synthesize_sheets(out, 130, source_data=PROJECT_ROOT / "data", seed=5)
    results = import_sheets([out / "sheets"], out / "data", VOCAB, dry_run=True, today="2026-12-07")
    # The real sheets exist as records already: proposed (dry run, nothing written), their notes are made all the same.
    real = import_sheets(sorted((PROJECT_ROOT / "data" / "sources").glob("*.txt")), PROJECT_ROOT / "data", VOCAB,
                         dry_run=True, today="2026-12-07")
    reasons = {note.why for result in [*results, *real] for note in result.proposal.notes}
    assert len(reasons) > 10, "the synthetic sheets give the importer many reasons to note"
    unknown = sorted(why for why in reasons if dutch(why) is None)
    assert not unknown, f"review notes without a Dutch wording in kg/curation/review_notes.py: {unknown}"


def test_a_note_for_the_workspace_carries_both_languages() -> None:
    note = bilingual({"field": "start", "line": 19, "read": "09/2021", "chosen": "2021-09", "why": "read 09/2021 as month/year"})
    assert note["why_en"] == "read 09/2021 as month/year" and note["why_nl"] == "09/2021 gelezen als maand/jaar"

"""``kg import`` and ``kg synth --sheets`` as a curator runs them: output, exit codes, files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from importer_support import LEUVEN_RECORD, LEUVEN_SHEET, copy_data, snapshot


def kg(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")} | {"KG_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_leuven_sheet_dry_run_then_import(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    (data / "praktijken" / LEUVEN_RECORD.name).unlink()
    before = snapshot(data)
    dry = kg("import", "--dry-run", str(LEUVEN_SHEET), data=data)
    assert dry.returncode == 0, dry.stderr
    assert "would be new record" in dry.stdout and "Dry run: nothing was written." in dry.stdout
    assert "Platform Leuven Circulair?" in dry.stdout and "the sheet puts a question mark after the name" in dry.stdout
    assert snapshot(data) == before
    done = kg("import", str(LEUVEN_SHEET), data=data)
    assert done.returncode == 0, done.stderr
    assert (data / "praktijken" / LEUVEN_RECORD.name).is_file()
    assert (data / "praktijken" / "review" / f"{LEUVEN_RECORD.stem}.md").is_file()
    again = kg("import", str(LEUVEN_SHEET), data=data)
    assert again.returncode == 1 and "--update" in again.stdout


def test_bad_input_exits_3_naming_file_and_line(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    empty = tmp_path / "leeg.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = kg("import", str(empty), data=data)
    assert result.returncode == 3
    assert f"{empty}:1: The file is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_synth_sheets_asks_for_one_kind(tmp_path: Path) -> None:
    data = copy_data(tmp_path / "data")
    both = kg("synth", "--sheets", "3", "--practices", "3", "--out", str(tmp_path / "s"), data=data)
    assert both.returncode == 2 and "either --practices" in both.stderr
    made = kg("synth", "--sheets", "3", "--out", str(tmp_path / "s"), data=data)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (tmp_path / "s" / "sheets").iterdir()) == ["sheet-000001.txt", "sheet-000002.txt", "sheet-000003.txt"]
    assert (tmp_path / "s" / "data" / "SYNTHETIC").is_file()

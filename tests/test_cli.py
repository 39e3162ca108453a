"""The kg command: clear one-paragraph errors with exit codes, never a stack trace."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.settings import PROJECT_ROOT, Settings


def run(*args: str, store: Path, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["KG_STORE"] = str(store)
    env["KG_DATA_DIR"] = str(data or PROJECT_ROOT / "data")
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", target)
    return target


def test_bad_record_exits_3_with_file_and_line(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / "praktijken" / "aal-circulair.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "onbekende_sleutel: waarde")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("build", store=tmp_path / "store", data=data_copy)
    assert result.returncode == 3
    assert f"{path}:2: Unknown key 'onbekende_sleutel'." in result.stderr
    assert result.stderr.startswith("Error: 1 problem in the source data:")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "store" / "current").exists()


def test_validate_one_file_and_query_a_built_store(built_store: Settings) -> None:
    store = Path(built_store.store)
    ok = run("validate", str(PROJECT_ROOT / "data" / "praktijken" / "aal-circulair.yaml"), store=store)
    assert ok.returncode == 0, ok.stderr
    assert "OK: no violations" in ok.stdout
    answer = run("query", "PREFIX frapo: <http://purl.org/cerif/frapo/> SELECT ?nr WHERE { ?g frapo:hasGrantNumber ?nr }", store=store)
    assert answer.returncode == 0, answer.stderr
    assert "2017-077" in answer.stdout
    assert answer.stdout.rstrip().endswith("(1 row)")


def test_bad_query_exits_6_with_the_parser_message(built_store: Settings) -> None:
    result = run("query", "SELEC ?x WHERE { ?x ?p ?o }", store=Path(built_store.store))
    assert result.returncode == 6
    assert result.stderr.startswith("Error: The query does not parse:")
    assert "Traceback" not in result.stderr


def test_query_without_a_build_says_to_build(tmp_path: Path) -> None:
    result = run("query", "ASK {}", store=tmp_path / "nothing")
    assert result.returncode == 5
    assert "Run `kg build` first" in result.stderr


def run_env(*args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """``kg ARGS`` with exactly these KG_* variables (none of the developer's)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(variables)
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("command", [["serve", "--port", "9"], ["build"]])
def test_a_remote_store_without_an_artefacts_folder_is_one_clear_line(command: list[str]) -> None:
    result = run_env(*command, KG_STORE="http://127.0.0.1:9/query")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: ") and "KG_ARTEFACTS_DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_remote_store_is_one_clear_line(tmp_path: Path) -> None:
    result = run_env("serve", "--port", "9", KG_STORE="http://127.0.0.1:9/query", KG_ARTEFACTS_DIR=str(tmp_path))
    assert result.returncode == 5, result.stderr
    assert result.stderr.startswith("Error: ") and "cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_setting_names_its_variable(tmp_path: Path) -> None:
    for command in (["serve"], ["build"], ["validate"], ["query", "ASK {}"]):
        result = run_env(*command, KG_STORE=str(tmp_path / "store"), KG_KEEP_BUILDS="1")
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("Error: KG_KEEP_BUILDS='1'")
        assert "Traceback" not in result.stderr
    missing = run_env("validate", KG_DATA_DIR=str(tmp_path / "no-such-folder"))
    assert missing.returncode == 2 and missing.stderr.startswith("Error: KG_DATA_DIR=")


def test_query_without_a_build_prints_no_traceback(tmp_path: Path) -> None:
    result = run_env("query", "ASK {}", KG_STORE=str(tmp_path / "nothing"))
    assert result.returncode == 5
    assert result.stderr.startswith("Error: No built knowledge graph")
    assert "Traceback" not in result.stderr

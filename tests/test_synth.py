"""kg synth: complete, deterministic synthetic data that can never reach the published graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import ConfigError, SourceError, StoreError
from kg.records.corpus import load_corpus
from kg.settings import PROJECT_ROOT
from kg.store.synthetic_marker import MARKER, SYNTHETIC_BASE_IRI, guard_build
from kg.synth.defects import DEFECTS
from kg.synth.generator import synthesize

DATA = PROJECT_ROOT / "data"
VOCAB = PROJECT_ROOT / "ontology" / "vocabularies"


def make(out: Path, n: int = 60, **kw: object) -> Path:
    synthesize(out, n, source_data=DATA, vocab_dir=VOCAB, **kw)  # type: ignore[arg-type]
    return out


def test_a_complete_data_folder_that_loads(tmp_path: Path) -> None:
    out = make(tmp_path / "data")
    corpus = load_corpus(out, VOCAB)
    assert len(corpus.of_kind("praktijk")) == 60
    assert corpus.of_kind("organisatie") and corpus.of_kind("financiering") and corpus.of_kind("programma")
    assert all(r.id.startswith("synth-") for r in corpus.of_kind("praktijk"))
    practice = corpus.of_kind("praktijk")[0]
    assert practice.data["titel"]["nl"] and practice.data["actoren"] and practice.data["gemeenten"]
    assert (out / "reference" / "gemeenten.csv").read_bytes() == (DATA / "reference" / "gemeenten.csv").read_bytes()
    manifest = json.loads((out / MARKER).read_text())
    assert manifest["base_iri"] == SYNTHETIC_BASE_IRI and manifest["practices"] == 60


def test_same_seed_same_bytes_and_smaller_sets_are_prefixes(tmp_path: Path) -> None:
    a, b, c = make(tmp_path / "a", 30), make(tmp_path / "b", 30), make(tmp_path / "c", 40)
    d = make(tmp_path / "d", 30, seed=1)
    name = "praktijken/synth-praktijk-17.yaml"
    assert (a / name).read_bytes() == (b / name).read_bytes() == (c / name).read_bytes()
    assert (a / name).read_bytes() != (d / name).read_bytes()


def test_record_defects_are_all_reported_with_file_and_line(tmp_path: Path) -> None:
    record_defects = [d.name for d in DEFECTS if d.stage == "records"]
    out = make(tmp_path / "data", 100, broken_share=len(record_defects) / 100, defects=record_defects)
    broken = json.loads((out / MARKER).read_text())["broken"]
    assert sorted(broken.values()) == sorted(record_defects)
    with pytest.raises(SourceError) as info:
        load_corpus(out, VOCAB)
    files = {p.file.stem for p in info.value.problems}
    assert set(broken) <= files


def test_refuses_to_write_into_the_real_data_or_a_full_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        synthesize(DATA / "synth", 5, source_data=DATA, vocab_dir=VOCAB)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ConfigError):
        make(tmp_path / "full")


def test_guard_keeps_synthetic_and_real_apart(tmp_path: Path) -> None:
    synthetic = make(tmp_path / "data", 5)
    with pytest.raises(ConfigError, match="synth.invalid"):
        guard_build(synthetic, "https://data.lokaalcirculair.be", tmp_path / "store")
    with pytest.raises(ConfigError, match="reserved"):
        guard_build(DATA, SYNTHETIC_BASE_IRI, tmp_path / "store")
    store = tmp_path / "store"
    guard_build(synthetic, SYNTHETIC_BASE_IRI, store)  # marks the store
    assert (store / MARKER).is_file()
    with pytest.raises(StoreError, match="synthetic"):
        guard_build(DATA, "https://data.lokaalcirculair.be", store)
    real_store = tmp_path / "real"
    (real_store / "builds" / "20260101T000000000000Z").mkdir(parents=True)
    with pytest.raises(StoreError, match="real builds"):
        guard_build(synthetic, SYNTHETIC_BASE_IRI, real_store)


def test_kg_build_refuses_synthetic_data_under_the_real_base(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    out = make(tmp_path / "data", 5)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(KG_DATA_DIR=str(out), KG_STORE=str(tmp_path / "store"))
    done = subprocess.run([sys.executable, "-m", "kg", "build"], env=env, capture_output=True, text=True)
    assert done.returncode == ConfigError.exit_code
    assert "synthetic data" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "store" / "builds").exists()

"""Synthetic data for measurement only: a complete ``data/`` folder of N practices.

Why: the real data is a few hundred entities; the build, the endpoint and the pages must
be measured at 100 000 practices. ``kg synth`` writes records in the real YAML format
(docs/records.md) with everything a practice can carry (:mod:`kg.synth.practice`): themes,
action domains, policy instruments, value chains, municipalities, organisations in roles
(also written as records, :mod:`kg.synth.world`), programmes and grants with amounts,
periods, key figures, nl/en text. A share of them can be deliberately broken, one defect
per broken record (:mod:`kg.synth.defects`), so that the error paths are measured and
tested too.

Synthetic data must never reach the published graph. Three guards, any one sufficient:

1. every id starts with ``synth-`` and every text says it is synthetic;
2. the folder carries a ``SYNTHETIC`` marker file, written here; the build refuses it
   unless the base IRI is ``https://synth.invalid`` (:mod:`kg.store.synthetic_marker`);
3. a store that received a synthetic build is marked too, and the two kinds never mix.

Deterministic: the same seed gives the same files byte for byte, and record *i* does not
depend on N (each record draws from its own generator), so the 1 000-practice set is a
prefix of the 10 000-practice one.

Only the municipality reference CSV and the Statbel source record (with its publisher)
are copied from the real data folder: they are reference facts the mapping needs, not
practices.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.store.synthetic_marker import MARKER, SYNTHETIC_BASE_IRI
from kg.synth.defects import DEFECTS, Defect
from kg.synth.practice import practice
from kg.synth.world import ID_PREFIX, NEEDED_SCHEMES, REFERENCE_RECORDS, World, read_codes
from kg.synth.yaml_text import Record, to_yaml

__all__ = ["SynthSummary", "synthesize"]


@dataclass
class SynthSummary:
    """What ``synthesize`` wrote: counts per folder and the planted defects."""

    out: Path
    seed: int
    practices: int
    counts: dict[str, int] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # practice id -> defect name

    def manifest(self) -> dict[str, Any]:
        return {
            "base_iri": SYNTHETIC_BASE_IRI,
            "seed": self.seed,
            "practices": self.practices,
            "counts": self.counts,
            "broken": self.broken,
        }

    def count(self, folder: str) -> None:
        self.counts[folder] = self.counts.get(folder, 0) + 1


def synthesize(
    out: Path,
    practices: int,
    *,
    source_data: Path,
    vocab_dir: Path,
    seed: int = 0,
    broken_share: float = 0.0,
    defects: Sequence[str] | None = None,
) -> SynthSummary:
    """Write a complete synthetic data folder to ``out`` (which must not exist or be empty).

    ``broken_share`` of the practices (rounded, spread evenly) get one defect each, the
    defects taken in turn from ``defects`` (names in :data:`~kg.synth.defects.DEFECTS`; default all).
    """
    chosen = _chosen_defects(practices, broken_share, defects)
    _check_target(out, source_data)
    codes = read_codes(vocab_dir)
    missing = [s for s in NEEDED_SCHEMES if not codes.get(s)]
    if missing:
        raise ConfigError(f"The vocabularies in {vocab_dir} lack the concept schemes {', '.join(missing)}; `kg synth` needs them.")
    csv_path = source_data / "reference" / "gemeenten.csv"
    if not csv_path.is_file():
        raise ConfigError(f"{csv_path} is missing; `kg synth` copies the municipality reference data from there.")
    with csv_path.open(encoding="utf-8", newline="") as handle:
        municipalities = list(csv.DictReader(handle))

    out.mkdir(parents=True, exist_ok=True)
    summary = SynthSummary(out, seed, practices)
    _copy_reference(out, source_data, csv_path, summary)
    world = World(practices, seed, codes, municipalities)
    writer = _Writer(out, summary)
    _write_world(world, seed, writer)
    _write_practices(practices, seed, world, chosen, broken_share, writer)
    (out / MARKER).write_text(json.dumps(summary.manifest(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return summary


def _chosen_defects(practices: int, broken_share: float, defects: Sequence[str] | None) -> list[Defect]:
    """The defects to plant, after checking the numbers asked for."""
    if practices < 1:
        raise ConfigError("--practices must be at least 1.")
    if not 0.0 <= broken_share <= 1.0:
        raise ConfigError("--broken-share must lie between 0 and 1, e.g. 0.01 for one record in a hundred.")
    chosen = [d for d in DEFECTS if defects is None or d.name in defects]
    if defects is not None and len(chosen) != len(set(defects)):
        known = ", ".join(d.name for d in DEFECTS)
        raise ConfigError(f"Unknown defect name in {sorted(defects)}; known: {known}.")
    return chosen


def _check_target(out: Path, source_data: Path) -> None:
    """Never inside the real data, never over existing files."""
    if out.resolve() == source_data.resolve() or source_data.resolve() in out.resolve().parents:
        raise ConfigError(f"{out} lies inside the real data folder {source_data}; write synthetic data elsewhere (e.g. var/bench/).")
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"{out} exists and is not empty; choose a new folder or remove it first.")


def _copy_reference(out: Path, source_data: Path, csv_path: Path, summary: SynthSummary) -> None:
    """The municipality CSV and the Statbel source, from the real data."""
    (out / "reference").mkdir()
    shutil.copyfile(csv_path, out / "reference" / "gemeenten.csv")
    for relative in REFERENCE_RECORDS:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_data / relative, target)
        summary.count(target.parent.name)


class _Writer:
    """Writes record files into their folders and counts them."""

    def __init__(self, out: Path, summary: SynthSummary) -> None:
        self.out = out
        self.summary = summary
        self.folders: dict[str, Path] = {}

    def __call__(self, folder: str, record: Record, text: str | None = None) -> None:
        path = self.folders.get(folder)
        if path is None:
            path = self.folders[folder] = self.out / folder
            path.mkdir(exist_ok=True)
        (path / f"{record['id']}.yaml").write_text(text if text is not None else to_yaml(record), encoding="utf-8")
        self.summary.count(folder)


def _write_world(world: World, seed: int, write: _Writer) -> None:
    """The shared entities, and a source text file for every source record."""
    sources = write.out / "sources"
    sources.mkdir()
    for folder, record in world.records(seed):
        write(folder, record)
        if folder == "bronnen":
            (sources / record["bestand"]).write_text(
                "Synthetische brontekst, gemaakt door `kg synth` voor metingen. Ze beschrijft niets echts.\n"
                "Synthetic source text made by `kg synth` for measurements. It describes nothing real.\n",
                encoding="utf-8",
            )


def _write_practices(practices: int, seed: int, world: World, chosen: list[Defect], broken_share: float, write: _Writer) -> None:
    """Every practice with what hangs off it; the broken ones spread evenly over the range."""
    n_broken = round(practices * broken_share) if chosen else 0
    broken_at = {round((k + 0.5) * practices / n_broken) for k in range(n_broken)} if n_broken else set()
    k = 0
    for i in range(1, practices + 1):
        defect = chosen[k % len(chosen)] if i in broken_at else None
        rec, extra = practice(i, seed, world, force_grant=defect is not None and defect.on == "financiering")
        text: str | None = None
        if defect is not None:
            k += 1
            damaged = rec if defect.on == "praktijk" else next(r for folder, r in extra if folder == "financieringen")
            if defect.apply is not None:
                defect.apply(damaged, random.Random(f"{seed}-defect-{i}"))
            if defect.raw is not None:
                text = defect.raw(to_yaml(rec))
            write.summary.broken[rec["id"] if "id" in rec else f"{ID_PREFIX}praktijk-{i}"] = defect.name
        write("praktijken", rec, text)
        for folder, record in extra:
            write(folder, record)

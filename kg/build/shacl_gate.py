"""The SHACL gate of one build, with the engine ``KG_VALIDATOR`` names, started beside the store load.

* ``sparql`` (the default): the compiled SHACL queries on the merged graph, with the triple
  dumps and the VoID statistics of the same graph (:mod:`kg.build.shacl_child`), in a child
  process for large data or right here for small data;
* ``pyshacl`` (the reference engine): on the graph list, in this process once the store is
  loaded; the triple dumps are then written from the new store by the dumps step.

Either way the build asks :meth:`RunningGate.outcome` after loading the store, and
:func:`stop_on_violation` stops it before anything goes live.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kg.artefacts.quality_store import StoreAnswers
from kg.artefacts.void_statistics import VoidStatistics
from kg.build.parallel import start_check_and_dump
from kg.build.record_chunks import Batch
from kg.build.shacl_child import ChildAnswer, result_of
from kg.errors import ValidationFailed
from kg.shacl.compiled import RawResult, Shapes
from kg.shacl.gate import ValidationReport, report_from_raw, validate

__all__ = ["FAILED_REPORT", "GateOutcome", "RunningGate", "start_gate", "stop_on_violation"]

#: Where a build that failed the gate leaves its report, beside the store.
FAILED_REPORT = "last-failed-validation.ttl"


@dataclass
class GateOutcome:
    """What the gate found, and what it measured on the way."""

    report: ValidationReport
    void_statistics: VoidStatistics | None = None
    #: The child process's own stage times (reported as ``child: …``).
    child_timings: dict[str, float] = field(default_factory=dict)
    #: Their CPU seconds.
    child_cpu: dict[str, float] = field(default_factory=dict)
    #: The compiled engine's raw results, kept for the next (incremental) build.
    raw: list[RawResult] | None = None
    #: The quality metrics' answers of the merged graph, when the child asked them.
    quality_answers: StoreAnswers | None = None


class RunningGate(ABC):
    """A gate started for one build."""

    #: True when a child process does the work: this process is free meanwhile.
    in_child: bool = False
    #: Stage names of the store load that happens meanwhile, and of waiting for the outcome.
    load_stage: str = "load store"
    outcome_stage: str = "SHACL validation"

    @abstractmethod
    def outcome(self) -> GateOutcome:
        """Wait for the gate (or run it) and return what it found."""

    def close(self) -> None:  # noqa: B027 - nothing to release unless a child was started
        """Release the child process, if any (after the outcome, or when the build failed)."""


class _CompiledGate(RunningGate):
    """The compiled SPARQL engine, with the triple dumps and the VoID statistics."""

    load_stage = "load store (beside the SHACL gate)"
    outcome_stage = "SHACL gate and triple dumps (rest of the child process)"

    def __init__(self, batch: Batch, shapes_dir: Path, base: str, dumps_dir: Path) -> None:
        self.batch, self.shapes_dir, self.base = batch, shapes_dir, base
        self.pool: ProcessPoolExecutor | None
        self.future: Future[ChildAnswer]
        self.pool, self.future = start_check_and_dump(batch, shapes_dir, base, dumps_dir)
        self.in_child = self.pool is not None

    def outcome(self) -> GateOutcome:
        answer = result_of(self.future)
        report = report_from_raw(answer.raw, Shapes.load(self.shapes_dir, self.base), self.batch.graphs)
        return GateOutcome(report, answer.statistics, answer.times, answer.cpu, answer.raw, answer.quality)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class _ReferenceGate(RunningGate):
    """pyshacl on the graph list, in this process (slow on large data; the reference)."""

    def __init__(self, batch: Batch, shapes_dir: Path) -> None:
        self.batch, self.shapes_dir = batch, shapes_dir

    def outcome(self) -> GateOutcome:
        return GateOutcome(validate(self.batch.graphs, self.shapes_dir, engine="pyshacl"))


def start_gate(engine: str, batch: Batch, shapes_dir: Path, base: str, dumps_dir: Path) -> RunningGate:
    """Start the gate of ``engine`` (``KG_VALIDATOR``) on the mapped records."""
    if engine == "pyshacl":
        return _ReferenceGate(batch, shapes_dir)
    return _CompiledGate(batch, shapes_dir, base, dumps_dir)


def stop_on_violation(report: ValidationReport, root: Path) -> None:
    """Stop the build on a Violation, keeping the report beside the store."""
    if not report.conforms:
        root.mkdir(parents=True, exist_ok=True)
        (root / FAILED_REPORT).write_text(report.to_turtle(), encoding="utf-8")
        raise ValidationFailed(report)

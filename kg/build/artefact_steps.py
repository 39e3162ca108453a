"""The artefact steps of a build in order, and running those whose needs are met.

Each step declares what it needs (:class:`kg.artefacts.step.ArtefactStep`); the order here
is the one place that says which comes first. The LDES history comes before the catalogue
and the sitemap because their dates are read from it; the quality measurements before the
catalogue, which links them; the dumps before the catalogue and
VoID, which describe them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.artefacts.catalog import CATALOG_STEP
from kg.artefacts.document_pages import DOCUMENTS_STEP
from kg.artefacts.dumps import DUMPS_STEP
from kg.artefacts.ldes import LDES_STEP
from kg.artefacts.quality import QUALITY_STEP
from kg.artefacts.sitemap import SITEMAP_STEP
from kg.artefacts.step import ArtefactInputs, ArtefactStep, Need
from kg.artefacts.void import VOID_STEP
from kg.build.stopwatch import Stopwatch

__all__ = ["ARTEFACT_STEPS", "run_ready_steps"]

#: Steps run in order after the store is loaded and before the switch (a test may add one).
ARTEFACT_STEPS: list[ArtefactStep] = [DUMPS_STEP, LDES_STEP, QUALITY_STEP, CATALOG_STEP, VOID_STEP, SITEMAP_STEP, DOCUMENTS_STEP]


def run_ready_steps(
    steps: Sequence[ArtefactStep], inputs: ArtefactInputs, available: frozenset[Need], done: set[str],
    watch: Stopwatch, manifest: dict[str, Any], stage_suffix: str = "",
) -> None:
    """Run, in order, every step not ``done`` yet whose needs are ``available``; what a step
    makes is available to the steps after it. Summaries go into ``manifest`` by key."""
    have = set(available)
    for step in steps:
        if step.key in done or not step.ready(frozenset(have)):
            continue
        with watch.stage(step.title + stage_suffix):
            summary = step.write(inputs)
        if summary is not None:
            manifest[step.key] = summary
        done.add(step.key)
        have |= step.makes
